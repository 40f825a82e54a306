#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Terminal-safe output: a hostile workload (hostile.c: ESC sequences, BEL,
# newlines, DEL, C1 controls and invalid UTF-8 in its comm, file names, child's argv and exe,
# buffers and a unix socket's path) is recorded by the real driver; then every text output
# of sysrec over that trace (replay, -A, -X, -p with the fields that carry those bytes, -j,
# info, info -j, every stock chisel, the flame graph's SVG, and stderr of each) must hold
# no raw control byte (other than newline and tab), DEL, C1 control or invalid UTF-8
# (check_text.py), and must show each hostile value in its escaped form (nothing dropped).
# Filters still compare the raw bytes.
# Usage: test_terminal.sh SYSREC HOSTILE_SOURCE [-v] [-k]
set -uo pipefail
sysrec=$1 src=$2
here=$(dirname "$0")
. "$here/../../lib/harness.sh"
harness_init terminal "${3:-}" "${4:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
for t in cc python3 jq; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
cc -O1 -o "$tmp/hostile" "$src" || { echo "FAIL: cannot build $src"; exit 1; }
mkdir "$tmp/w"
cp "$tmp/hostile" "$tmp/w/"$'ex\x1b[2Jec' # the child it execs
F=$tmp/hostile.sysrec

rc=$(run_rc "$tmp/rec.out" "$tmp/rec.err" "$sysrec" record --sample cpu-clock:499 -o "$F" -- \
	"$tmp/hostile" "$tmp/w")
eq "record: exit status of the workload's child" "$rc" 3
no_crash "record" "$tmp/rec.err"
[ -f "$F" ] || { echo "FAIL: no trace: $(cat "$tmp/rec.err")"; exit 1; }

# safe DESCRIPTION FILE...: terminal-safe text (check_text.py)
safe()
{
	local d=$1 msg
	shift
	if msg=$(python3 "$here/check_text.py" "$@"); then ok; else bad "$d: $msg"; fi
}
# has DESCRIPTION FILE TEXT...: the file holds each TEXT (the escaped forms, as literal text)
has()
{
	local d=$1 f=$2 t
	shift 2
	for t in "$@"; do
		if grep -qF -- "$t" "$f"; then ok; else bad "$d: '$t' is missing from $(head -c 600 "$f")"; fi
	done
}
# out NAME ARGS...: run sysrec ARGS with stdout in $tmp/NAME.out, stderr in $tmp/NAME.err;
# both must be safe, the command must succeed
out()
{
	local n=$1 rc
	shift
	rc=$(run_rc "$tmp/$n.out" "$tmp/$n.err" "$sysrec" "$@")
	eq "$n: exit status" "$rc" 0
	no_crash "$n" "$tmp/$n.err"
	safe "$n: stdout" "$tmp/$n.out"
	safe "$n: stderr" "$tmp/$n.err"
}

# The hostile values as sysrec shows them: the escapes are literal text here.
comm='hx\x1b[31m\x07\n\xff\xc2\x9b'
child='ex\x1b[2Jec'
names=('\x1b]0;pwned\x07' '\x1b[2J' 'new\nline' 'bad\xff\xfe' 'c1\xc2\x9b31m' 'back\\x1b'
	'del\x7f\r\t')
sock='sock\x1b[2J\x07\xff'
argv='child \x1b]0;pwned\x07 two\nlines \xff\xfe \xc2\x9b31m'
buf_a='\x1b]0;pwned\x07\x1b[2J\r\nline2\xff\xfe\xc2\x9b31m\x7f\\x1b end'
buf_x='1b5d303b70776e6564071b5b324a0d0a6c696e6532fffec29b33316d7f5c78316220656e64'

safe "record: stderr" "$tmp/rec.err"

# ---- replay: default line, -A, -X ----
out replay replay -q "$F"
has "replay" "$tmp/replay.out" "$comm (" "$child (" "${names[@]}" "$sock" "args=$argv" \
	"buf=.]0;pwned..[2J..line2....31m."
out replay_A replay -q -A "$F"
has "replay -A" "$tmp/replay_A.out" "buf=$buf_a" "${names[@]}"
out replay_X replay -q -X "$F"
has "replay -X" "$tmp/replay_X.out" "buf=$buf_x" "${names[@]}"
# one line per event: as many lines as events
eq "replay: one line per event" "$(wc -l <"$tmp/replay.out")" "$("$sysrec" replay -q --count "$F")"

# ---- -p with the fields that carry the hostile bytes ----
out p_proc replay -q -p '%proc.name|%proc.exe|%proc.cmdline|%proc.args|%proc.pname|%proc.aname[0]' "$F"
has "-p proc.*" "$tmp/p_proc.out" "$comm|" "$child|" "$child|$argv|${argv#child }|"
out p_fd replay -q -p '%fd.name|%fd.filename|%fd.directory|%evt.arg.filename|%evt.arg[1]' "$F" \
	"fd.name exists or evt.type=openat"
has "-p fd.*" "$tmp/p_fd.out" "${names[@]}" "$sock"
out p_args replay -q -p '%evt.type %evt.args' "$F"
has "-p evt.args" "$tmp/p_args.out" "filename=${names[0]}" "($tmp/w/${names[2]})" \
	"buf=.]0;pwned..[2J..line2....31m."
out p_args_A replay -q -A -p '%evt.args' "$F"
has "-A -p evt.args (escaped once)" "$tmp/p_args_A.out" "buf=$buf_a" "back\\\\x1b)"
out p_buf replay -q -p '%evt.buffer' "$F" "evt.buffer exists"
out p_buf_A replay -q -A -p '%evt.buffer' "$F" "evt.buffer exists"
has "-A -p evt.buffer" "$tmp/p_buf_A.out" "$buf_a"
out p_buf_X replay -q -X -p '%evt.buffer' "$F" "evt.buffer exists"
has "-X -p evt.buffer" "$tmp/p_buf_X.out" "$buf_x"
out p_misc replay -q -p '%evt.time %proc.pid %user.name %group.name %container.name %sample.stack %sample.func %evt.res' "$F"

# ---- JSON: valid JSON lines, the same escaped forms inside the strings ----
out json replay -q -j "$F"
if jq -e . "$tmp/json.out" >/dev/null 2>&1; then ok; else bad "replay -j: not JSON"; fi
eq "replay -j: proc.name" "$(jq -r 'select(.["fd.name"] // "" | contains("/w/")) | .["proc.name"]' \
	"$tmp/json.out" | sort -u)" "$comm"
out json_p replay -q -j -p '%proc.cmdline %evt.args' "$F" "evt.type=procexec"
if jq -e . "$tmp/json_p.out" >/dev/null 2>&1; then ok; else bad "replay -j -p: not JSON"; fi
has "replay -j -p" "$tmp/json_p.out" "$(jq -n --arg s "$argv" '$s')"

# ---- info ----
out info info "$F"
has "info" "$tmp/info.out" "$child "
out info_j info -j "$F"
eq "info -j: comm" "$(jq -r '.processes[0].comm' "$tmp/info_j.out")" "$child"

# ---- filters compare the raw bytes, not the escaped text ----
count() { "$sysrec" replay -q --count "$F" "$1"; }
n=$(count 'proc.name contains "[31m"')
[ "$n" -gt 0 ] && ok || bad "filter on a printable part of the raw comm: $n events"
eq "filter: comm with its raw bytes" "$(count 'proc.name = "hx\x1b[31m\x07\n\xff\xc2\x9b"')" "$n"
eq "filter: the escaped text of comm matches nothing" "$(count 'proc.name contains "\\x1b"')" 0
[ "$(count 'fd.name contains "\x1b[2J"')" -gt 0 ] && ok || bad "filter on raw fd.name bytes"
eq "filter: the escaped fd.name matches nothing" "$(count 'fd.name contains "\\x1b[2J"')" 0
[ "$(count 'fd.name endswith "back\\x1b"')" -gt 0 ] && ok || bad "filter on a literal backslash"
[ "$(count 'evt.buffer contains "\x1b]0;pwned\x07"')" -gt 0 ] && ok || bad "filter on raw buffer bytes"
[ "$(count 'proc.cmdline contains "two\nlines"')" -gt 0 ] && ok || bad "filter on raw argv bytes"

# ---- every stock chisel ----
mapfile -t chisels < <("$sysrec" chisels | awk '{ print $1 }')
[ "${#chisels[@]}" -ge 20 ] && ok || bad "sysrec chisels lists ${#chisels[@]}"
for c in "${chisels[@]}"; do
	case $c in
	fdbytes_by) spec='fdbytes_by fd.name 0' ;;
	flamegraph) spec="flamegraph svg=$tmp/flame.svg" ;;
	*) spec=$c ;;
	esac
	out "c_$c" replay -q -c "$spec" "$F"
done
out c_fdbytes_proc replay -q -c 'fdbytes_by proc.name 0' "$F"
has "chisel topfiles_bytes" "$tmp/c_topfiles_bytes.out" "${names[@]:0:5}"
has "chisel topfiles_time" "$tmp/c_topfiles_time.out" "${names[0]}"
has "chisel topprocs_file" "$tmp/c_topprocs_file.out" "$comm"
has "chisel topprocs_cpu" "$tmp/c_topprocs_cpu.out" "$child"
has "chisel fdbytes_by fd.name" "$tmp/c_fdbytes_by.out" "${names[@]}" "$sock"
has "chisel fdbytes_by proc.name" "$tmp/c_fdbytes_proc.out" "$comm"
has "chisel spy_file" "$tmp/c_spy_file.out" "$comm(" "${names[@]}"
has "chisel echo_fds" "$tmp/c_echo_fds.out" "$buf_a" "$sock"
has "chisel spy_users" "$tmp/c_spy_users.out" "$argv"
has "chisel proc_tree" "$tmp/c_proc_tree.out" "$argv"
has "chisel errors" "$tmp/c_errors.out" "$comm"
has "chisel flamegraph" "$tmp/c_flamegraph.out" "$comm;" "$child;"
if [ -f "$tmp/flame.svg" ]; then
	safe "flamegraph svg=FILE" --xml "$tmp/flame.svg"
	has "flamegraph svg" "$tmp/flame.svg" "$comm" "$child"
else
	bad "flamegraph svg=FILE wrote nothing: $(cat "$tmp/c_flamegraph.err")"
fi

# an external chisel: raw values from get(), printed through the host's escape()
if cc -shared -fPIC -Wall -Werror -I "$here/../../../chisels" -o "$tmp/raw_names.so" \
	"$here/raw_names.c" 2>"$tmp/raw_names.cc"; then
	out c_raw_names replay -q -c "$tmp/raw_names.so" "$F"
	has "external chisel, escape()" "$tmp/c_raw_names.out" "${names[@]/#/name $tmp/w/}"
	# new\nline, del\x7f\r\t, the title and the clear screen: raw, they have control bytes
	has "external chisel: get() is raw" "$tmp/c_raw_names.out" "4 raw names with control bytes"
else
	bad "cannot build the external chisel: $(cat "$tmp/raw_names.cc")"
fi

echo "terminal: $pass passed, $fail failed"
[ "$fail" = 0 ]
