#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Rotation and the flight recorder end to end, root (BPF, runc):
#  1. rotation: `--rotate-time 1 --keep 3` of a process that opened its file before the
#     recording keeps exactly 3 files; each reads alone with the process's name, user and the
#     fd's path (from the file's checkpoint); replay of the 3 merges them without a gap or a
#     duplicate (the process's "tick N" writes are consecutive).
#  2. flight recorder: `--flight-recorder 8M --post 1` while 24 MB of incompressible reads
#     overflow it (the memory segments stay within SIZE plus one piece); an "incident" (a
#     process that starts, opens a marker file and exits) in a runc container and on the host;
#     seconds later `sysrec trigger` writes a file that has both incidents with process names
#     and the container, and the long-running process with its fd's path (the window starts
#     at a checkpoint, not at the recording's start); SIGUSR1, a --trigger filter and the stop
#     each write one more file, named by time.
#  3. refusals: one line and a non-zero exit for bad options, no recorder, not root.
# Usage: test_flight.sh SYSREC INCIDENT_SOURCE [-v] [-k]
set -uo pipefail
sysrec=$1 src=$2
. "$(dirname "$0")/../lib/harness.sh"
harness_init flight "${3:-}" "${4:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF, runc)"
	exit 77
fi
for t in gcc jq; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
gcc -static -O2 -o "$tmp/incident" "$src" || { echo "SKIP: cannot link a static binary"; exit 77; }
cp "$tmp/incident" "$tmp/holder"
export SYSREC_RUN_DIR=$tmp/run # the control socket of this test's recorders only

"$tmp/holder" --hold "$tmp/held.txt" &
holder=$!
cleanups+=("kill $holder")
sleep 0.3

# ---- 1. rotation ----
mkdir "$tmp/rot"
rc=$(run_rc "$tmp/rot.out" "$tmp/rot.err" "$sysrec" record --rotate-time 1 --keep 3 -p "$holder" \
	-o "$tmp/rot/r.sysrec" -d 5.8)
eq "rotation: record exits 0" "$rc" 0
no_crash "rotation: record" "$tmp/rot.err"
grep -q "wrote [0-9]* records to [56] files" "$tmp/rot.err" && ok || bad "rotation summary: $(cat "$tmp/rot.err")"
mapfile -t files < <(ls "$tmp"/rot/r-*Z.sysrec)
eq "rotation: --keep 3 keeps exactly 3 files" "${#files[@]}" 3
for f in "${files[@]}"; do
	n=${f##*/}
	"$sysrec" info "$f" >"$tmp/info" 2>&1 && grep -q "closed cleanly" "$tmp/info" && ok ||
		bad "rotation: $n: info: $(head -3 "$tmp/info")"
	eq "rotation: $n alone: process, user and fd named" "$("$sysrec" replay -q \
		-p '%proc.name %user.name %fd.name' "$f" "evt.type=write and thread.tid=$holder" | sort -u)" \
		"holder root $tmp/held.txt"
	[ "$("$sysrec" replay -q --count "$f" "evt.type=write and thread.tid=$holder")" -ge 3 ] && ok ||
		bad "rotation: $n: fewer than 3 writes of the holder"
	[ "$(stat -c %a "$f")" = 600 ] && ok || bad "rotation: $n: mode $(stat -c %a "$f")"
done
# merged: the ticks of all three files follow each other, none twice, none missing
"$sysrec" replay -q -p '%evt.buffer' "${files[@]}" "evt.type=write and thread.tid=$holder" |
	grep -o 'tick [0-9]*' | awk '{ print $2 }' >"$tmp/ticks"
n=$(wc -l <"$tmp/ticks")
first=$(head -1 "$tmp/ticks") last=$(tail -1 "$tmp/ticks")
[ "$n" -ge 20 ] && ok || bad "merged rotation: only $n ticks"
eq "merged rotation: ticks consecutive, in order, no duplicate" "$(seq "$first" "$last")" "$(cat "$tmp/ticks")"
# the merged replay counts every event once: the sum of the files
sum=0
for f in "${files[@]}"; do sum=$((sum + $("$sysrec" replay -q --count "$f"))); done
eq "merged rotation: events = sum of the files" "$("$sysrec" replay -q --count "${files[@]}")" "$sum"

# samples in a rotated file: its checkpoint restates the symbol tables and the mappings of
# the live processes (not those of the shell the program exec'd from)
mkdir "$tmp/rs"
rc=$(run_rc "$tmp/rs.out" "$tmp/rs.err" "$sysrec" record --sample cpu-clock:499 --rotate-time 1 \
	-o "$tmp/rs/s.sysrec" -- sh -c "exec $tmp/incident --spin 2500")
eq "rotation with samples: record exits 0" "$rc" 0
last=$(ls "$tmp"/rs/s-*Z.sysrec | tail -2 | head -1) # a whole second, after a rotation
"$sysrec" replay -q -c 'profile 0' "$last" >"$tmp/rs.profile" 2>&1
self=$(awk '$3 == "flight_spin_fn" { sub("%", "", $2); print $2 }' "$tmp/rs.profile")
awk -v s="${self:-0}" 'BEGIN { exit !(s >= 80) }' && ok ||
	bad "rotation with samples: ${last##*/}: flight_spin_fn should be >= 80% self: $(head -5 "$tmp/rs.profile")"

# ---- 2. the flight recorder ----
mkdir "$tmp/fl"
# the issue's kind of trigger: a program started (a successful execve names its file)
trig="evt.type=execve and evt.res=SUCCESS and evt.arg.filename endswith /filter-incident"
"$sysrec" record --flight-recorder 8M --post 1 -s 4096 --buffer-size 32 -o "$tmp/fl/inc.sysrec" \
	--trigger "$trig" >"$tmp/fl.out" 2>"$tmp/fl.err" &
rec=$!
cleanups+=("kill -INT $rec")
for _ in $(seq 100); do
	grep -q "flight recorder: keeping" "$tmp/fl.err" 2>/dev/null && break
	sleep 0.1
done
grep -q "flight recorder: keeping the last 8 MB" "$tmp/fl.err" && ok || bad "flight recorder did not start: $(cat "$tmp/fl.err")"
[ -S "$tmp/run/record.$rec.sock" ] && ok || bad "no control socket $tmp/run/record.$rec.sock"
eq "control socket mode" "$(stat -c %a "$tmp/run/record.$rec.sock") $(stat -c %a "$tmp/run")" "600 700"

# overflow the window: 6000 reads of 4 KiB of random bytes (24 MB, incompressible), paced
# (1 MB per 0.1 s) so that a recorder built with sanitizers keeps up and loses nothing
for _ in $(seq 24); do
	dd if=/dev/urandom of=/dev/null bs=4096 count=250 status=none
	sleep 0.1
done
sleep 1.5
# each segment once (the current one is open twice: the writer's fd and the recorder's)
mem=$(for l in /proc/$rec/fd/*; do
	case $(readlink "$l") in /memfd:sysrec-segment-*) stat -L -c '%i %s' "$l" ;; esac
done | sort -u | awk '{ n += $2 } END { print n + 0 }')
# (the closed pieces stay within SIZE less a piece; the current one is closed at a piece, plus
# what the writer had queued then: 1M of slack for that)
[ "$mem" -gt $((5 << 20)) ] && [ "$mem" -le $((9 << 20)) ] && ok ||
	bad "memory segments hold $mem bytes; expected the window to be full and within 8M (+1M)"

# the incidents: one in a runc container, one on the host
marker=incident-marker-$$
echo "container secret" >"$tmp/$marker"
ctr=""
if command -v runc >/dev/null; then
	ctr=sysrec-flight-$$
	b=$tmp/bundle
	mkdir -p "$b/rootfs/bin" "$b/rootfs/proc" "$b/rootfs/etc"
	cp "$tmp/incident" "$b/rootfs/bin/incident"
	cp "$tmp/$marker" "$b/rootfs/etc/$marker"
	(cd "$b" && runc spec && jq --arg cg "/sysrec-flight/$ctr" --arg m "/etc/$marker" \
		'.process.terminal = false | .process.args = ["/bin/incident", $m]
		| .linux.cgroupsPath = $cg' config.json >c.json && mv c.json config.json)
	cleanups+=("runc delete -f $ctr" "rmdir /sys/fs/cgroup/*/sysrec-flight/$ctr /sys/fs/cgroup/*/sysrec-flight")
	runc run --bundle "$b" "$ctr" </dev/null >"$tmp/runc.out" 2>&1 || bad "runc run: $(cat "$tmp/runc.out")"
else
	note "runc is missing: the container incident is skipped"
fi
"$tmp/incident" "$tmp/$marker" || bad "the host incident failed"
sleep 2 # the trigger comes seconds later
rc=$(run_rc "$tmp/trig.out" "$tmp/trig.err" "$sysrec" trigger "test incident")
eq "sysrec trigger exits 0" "$rc" 0
d1=$(cat "$tmp/trig.out")
[ -f "$d1" ] && ok || bad "sysrec trigger printed '$d1', no such file ($(cat "$tmp/trig.err"))"
case $d1 in "$tmp"/fl/inc-20*Z.sysrec) ok ;; *) bad "dump name '$d1' is not inc-TIME.sysrec" ;; esac
eq "dump mode" "$(stat -c %a "$d1")" 600
"$sysrec" info "$d1" >"$tmp/d1.info" 2>&1
grep -q "closed cleanly" "$tmp/d1.info" && ok || bad "dump info: $(head -3 "$tmp/d1.info")"
grep -q "flight.trigger .*sysrec trigger (pid [0-9]*): test incident" "$tmp/d1.info" && ok ||
	bad "dump: no flight.trigger property: $(grep flight "$tmp/d1.info")"
if [ -n "$ctr" ]; then
	eq "dump: the container incident, named, with its container" "$("$sysrec" replay -q \
		-p '%proc.name %container.name %fd.name %evt.res' "$d1" "evt.type=openat and fd.name contains $marker and container.name!=host")" \
		"incident $ctr /etc/$marker SUCCESS"
	[ "$("$sysrec" replay -q --count "$d1" "proc.name=incident and container.name=$ctr and evt.type in (procexec,procexit)")" -ge 2 ] &&
		ok || bad "dump: the container incident's exec and exit are missing"
fi
eq "dump: the host incident, named" "$("$sysrec" replay -q -p '%proc.name %container.name %fd.name %user.name' \
	"$d1" "proc.name=incident and evt.type=openat and fd.name=$tmp/$marker")" "incident host $tmp/$marker root"
eq "dump: the host incident's execve names its file" "$("$sysrec" replay -q -p '%evt.arg.filename %evt.res' \
	"$d1" "proc.name=incident and evt.type=execve and container.name=host")" "$tmp/incident SUCCESS"
# the window starts at a checkpoint: part of the dd was dropped, the holder is still named
reads=$("$sysrec" replay -q --count "$d1" 'proc.name=dd and evt.type=read')
[ "$reads" -lt 6000 ] && ok || bad "dump: all $reads reads of dd are in it (the window did not move)"
grep -q "^drops *0" "$tmp/d1.info" && ok || bad "dump: events lost: $(grep -A3 '^drops' "$tmp/d1.info")"
eq "dump: the long-running process and its fd named" "$("$sysrec" replay -q \
	-p '%proc.name %fd.name' "$d1" "evt.type=write and thread.tid=$holder" | sort -u)" "holder $tmp/held.txt"
eq "dump: no unknown thread" "$("$sysrec" replay -q --count "$d1" 'evt.type!=cpu and not proc.name exists')" 0
# --post 1: the window goes on a second after the trigger
grep -q "flight.post_ns *1000000000" "$tmp/d1.info" && ok || bad "dump: flight.post_ns"

# SIGUSR1, then the --trigger filter, then the stop: one file each
kill -USR1 "$rec"
sleep 2.5
"$tmp/incident" "$tmp/$marker" # not the filter's program: no trigger
cp "$tmp/$marker" "$tmp/filter-marker"
cp "$tmp/incident" "$tmp/filter-incident"
"$tmp/filter-incident" "$tmp/filter-marker"
sleep 2.5
kill -INT "$rec"
wait "$rec"
eq "flight recorder exits 0" "$?" 0
no_crash "flight recorder" "$tmp/fl.err"
mapfile -t dumps < <(ls "$tmp"/fl/inc-*Z.sysrec)
eq "four triggers, four files" "${#dumps[@]}" 4
reasons=""
for f in "${dumps[@]}"; do
	reasons+="$("$sysrec" info "$f" | awk '$1 == "flight.trigger" { print $2 }')|"
done
eq "files in trigger order (names by time)" "$reasons" "sysrec|SIGUSR1|--trigger|stop|"
eq "filter dump: the matching open" "$("$sysrec" replay -q -p '%proc.name %fd.name' "${dumps[2]}" \
	"proc.name=filter-incident and evt.type=openat and fd.name contains filter-marker")" "filter-incident $tmp/filter-marker"
grep -q "flight recorder: [0-9]* records seen, 4 files written; 0 events lost" "$tmp/fl.err" && ok ||
	bad "flight recorder summary: $(tail -2 "$tmp/fl.err")"
[ ! -e "$tmp/run/record.$rec.sock" ] && ok || bad "the control socket was left behind"

# ---- 3. refusals ----
rc=$(run_rc "$tmp/e.out" "$tmp/e.err" "$sysrec" trigger)
eq "trigger without a recorder exits 1" "$rc" 1
one_line "trigger without a recorder" "$tmp/e.err" "no flight recorder is running"
for args in "--post 1" "--trigger proc.name=x" "--keep 2" "--flight-recorder 1M" \
	"--flight-recorder 8X" "--flight-recorder 8M --rotate-size 5" "--rotate-time 0" \
	"--flight-recorder 8M --trigger proc.name=(" "--rotate-size 0"; do
	# shellcheck disable=SC2086 # the words are the options
	rc=$(run_rc "$tmp/e.out" "$tmp/e.err" "$sysrec" record $args -o "$tmp/e.sysrec" -d 1)
	eq "record $args exits 2" "$rc" 2
	one_line "record $args" "$tmp/e.err" "record: "
done
# not root: the socket's directory is closed to others
"$sysrec" record --flight-recorder 8M -o "$tmp/fl/x.sysrec" -p "$holder" >/dev/null 2>"$tmp/x.err" &
rec=$!
cleanups+=("kill -INT $rec")
for _ in $(seq 100); do [ -S "$tmp/run/record.$rec.sock" ] && break; sleep 0.1; done
if command -v setpriv >/dev/null; then
	chmod 755 "$tmp"
	rc=$(run_rc "$tmp/e.out" "$tmp/e.err" setpriv --reuid 65534 --regid 65534 --clear-groups \
		"$sysrec" trigger)
	eq "trigger as nobody exits 1" "$rc" 1
	one_line "trigger as nobody" "$tmp/e.err" "only root"
	chmod 700 "$tmp"
fi
kill -INT "$rec"
wait "$rec" || bad "the second flight recorder: $(cat "$tmp/x.err")"

echo "flight: $pass passed, $fail failed"
[ "$fail" = 0 ]
