#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end checks of the sysrec binary's command line: exit codes, one-line errors, and
# `info` text and JSON (jq is the oracle for the JSON).  Usage: test_cli.sh SYSREC CORPUS_DIR
set -u
sysrec=$1
corpus=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect CODE DESCRIPTION -- COMMAND...: runs it, keeps stdout/stderr in $tmp/out, $tmp/err
expect()
{
	local want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	local got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want; stderr: $(cat "$tmp/err")"; fi
}
one_line() # DESCRIPTION PATTERN: stderr is exactly one line matching PATTERN
{
	if [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q -- "$2" "$tmp/err"; then ok; else bad "$1: stderr: $(cat "$tmp/err")"; fi
}

full=$corpus/every_type.sysrec
[ -f "$full" ] || { echo "FAIL: corpus file $full missing"; exit 1; }

expect 0 "--version" -- "$sysrec" --version
grep -q '^sysrec ' "$tmp/out" && ok || bad "--version prints 'sysrec VERSION'"
expect 0 "--help" -- "$sysrec" --help
grep -q USAGE "$tmp/out" && ok || bad "--help has USAGE"
expect 0 "info --help" -- "$sysrec" info --help
grep -q EXAMPLES "$tmp/out" && ok || bad "info --help has EXAMPLES"
expect 2 "no command" -- "$sysrec"
expect 2 "unknown command" -- "$sysrec" frobnicate
one_line "unknown command" "unknown command 'frobnicate'"
expect 2 "info without a file" -- "$sysrec" info
one_line "info without a file" "expected one trace file"
expect 2 "info bad option" -- "$sysrec" info -Q "$full"
one_line "info bad option" "unknown option '-Q'"
expect 1 "info missing file" -- "$sysrec" info "$tmp/none.sysrec"
one_line "info missing file" "cannot open '$tmp/none.sysrec': No such file or directory"
expect 1 "info -j missing file" -- "$sysrec" info -j "$tmp/none.sysrec"
jq -e '.error.message == "No such file or directory"' "$tmp/out" >/dev/null && ok || bad "info -j error JSON"
printf 'just some text\n' >"$tmp/text"
expect 1 "info on text" -- "$sysrec" info "$tmp/text"
one_line "info on text" "not a sysrec trace"

expect 0 "info" -- "$sysrec" info "$full"
grep -q '^file .*closed cleanly' "$tmp/out" && ok || bad "info says closed cleanly"
grep -q '^records ' "$tmp/out" && ok || bad "info prints the record line"
expect 0 "info -j" -- "$sysrec" info -j "$full"
jq -e '.closed_cleanly == true and .record_count > 0 and
       ([.records[]] | add) == .record_count and .format_major == 1' "$tmp/out" >/dev/null \
	&& ok || bad "info -j: counts per type add up to record_count"
total=$(jq .record_count "$tmp/out")

# Cut the file in the middle: everything before the cut is read, exit 1, one line naming it.
size=$(stat -c %s "$full")
head -c $((size * 2 / 3)) "$full" >"$tmp/cut.sysrec"
expect 1 "info on a truncated file" -- "$sysrec" info -j "$tmp/cut.sysrec"
one_line "truncated file" "truncated at offset"
jq -e ".closed_cleanly == false and .record_count < $total and .error.offset > 0" "$tmp/out" \
	>/dev/null && ok || bad "info -j on a truncated file: fewer records and the offset"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
