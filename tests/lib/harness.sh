# SPDX-License-Identifier: Apache-2.0
# The shared part of the bash end-to-end tests (tests/replay, tests/chisels), sourced:
# a temporary directory with cleanups, and the checks: ok, bad, note, eq.
#
#   harness_init NAME VERBOSE KEEP   make $tmp (/tmp/sysrec-NAME-XXXXXX) and the traps; VERBOSE
#                                    non-empty: print every passing eq; KEEP: keep $tmp
#   cleanups+=("command")            run at exit (errors ignored)
#   eq DESCRIPTION GOT WANT          a check; long or multi-line values are shown as a diff
#   run_rc, one_line, no_crash       running a command that should refuse, cleanly
# $pass and $fail count the checks.

harness_init()
{
	tmp=$(realpath "$(mktemp -d "/tmp/sysrec-$1-XXXXXX")")
	harness_verbose=$2
	harness_keep=$3
	cleanups=()
	pass=0
	fail=0
	trap harness_cleanup EXIT
	trap 'echo "FAIL: line $LINENO: command failed (status $?): $BASH_COMMAND"' ERR
}

harness_cleanup()
{
	local c
	for c in "${cleanups[@]}"; do eval "$c" >/dev/null 2>&1 || true; done
	if [ -n "$harness_keep" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
note() { echo "NOTE: $*"; }

eq()
{
	if [ "$2" == "$3" ]; then
		ok
		[ -z "$harness_verbose" ] || echo "ok: $1: '$(head -c 300 <<<"$2")'"
	elif [ "${#2}" -gt 300 ] || [ "${#3}" -gt 300 ] || [[ $2 == *$'\n'* ]] || [[ $3 == *$'\n'* ]]; then
		bad "$1: differs (diff got expected, first lines):"
		diff <(echo "$2") <(echo "$3") | head -n 30 || true
	else
		bad "$1: got '$2', expected '$3'"
	fi
}

# run_rc OUT ERR COMMAND...: run COMMAND with stdout/stderr in files; prints the exit code.
run_rc() { local out=$1 err=$2 rc=0; shift 2; "$@" >"$out" 2>"$err" || rc=$?; echo "$rc"; }

# one_line DESCRIPTION ERRFILE PATTERN: a refusal is one line on stderr matching PATTERN.
one_line()
{
	if [ "$(wc -l <"$2")" = 1 ] && grep -q -- "$3" "$2"; then ok; else
		bad "$1: stderr should be one line matching '$3', is: $(cat "$2")"; fi
}

# no_crash DESCRIPTION ERRFILE: no sanitizer or crash report.
no_crash()
{
	if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation|core dumped' "$2"; then
		bad "$1: crashed: $(head -c 2000 "$2")"; else ok; fi
}
