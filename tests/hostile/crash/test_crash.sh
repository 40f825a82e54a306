#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Crash consistency, root (BPF): the recorder killed with SIGKILL at 50 random
# moments while a process makes ~40 000 syscalls a second (10 during start-up, 30 while
# recording, 10 around the stop of -d), and the flight recorder killed during a dump (four
# at a time).  Start-up (loading BPF) is most of its run time.
#  - every file left opens (`sysrec info`) and replays (`sysrec replay`): exit 0, or exit 1
#    with the one line of a truncated file (the kill cut a block: docs/errors.md); no file at
#    all is fine only when the kill came before the recorder created it;
#  - loss: the recorder flushes every second (FLUSH_S, capture/cmd_record.c), so a file killed
#    while recording holds the events up to FLUSH_S before the kill, plus what the writer was
#    compressing.  The check allows twice that (BOUND_S), so that a loaded machine does not
#    make it flaky; the largest loss seen is printed;
#  - a flight-recorder dump killed while written is absent, or readable up to its last
#    complete chunk, or refused in one clear line; the reader never crashes.
# Usage: test_crash.sh SYSREC HELPER_SOURCE [-v] [-k]
set -uo pipefail
sysrec=$(realpath "$1") src=$(realpath "$2")
. "$(dirname "$0")/../../lib/harness.sh"
harness_init crash "${3:-}" "${4:-}"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (BPF)"
	exit 77
fi
for t in gcc jq; do
	command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
done
cd "$tmp"
gcc -O2 -o helper "$src" || { echo "SKIP: cannot build the helper"; exit 77; }

FLUSH_S=1                   # the recorder's flush interval
BOUND_NS=$((2 * FLUSH_S * 1000000000))
LONG_MS=3000                # -d of the kills while recording
SHORT_MS=1500               # -d of the others (start-up, stop: the length does not matter)
seed=$$
RANDOM=$seed                # a different set of moments each run; printed on failure
rnd() { echo $(((RANDOM << 15 | RANDOM) % $1)); } # 0 .. $1 - 1

./helper load &
load=$!
cleanups+=("kill $load")

# readable DESC FILE: info and replay of FILE exit 0, or 1 with one line saying what is wrong
# (a truncated file; @2: also other clear one-line refusals, for dumps)
readable()
{
	local desc=$1 f=$2 allow=${3:-truncated} rc what
	for what in info replay; do
		if [ $what = info ]; then
			rc=$(run_rc info.out info.err "$sysrec" info -j "$f")
		else
			rc=$(run_rc /dev/null info.err "$sysrec" replay -q "$f")
		fi
		no_crash "$desc: $what" info.err
		if [ "$rc" = 0 ]; then
			ok
		elif [ "$rc" = 1 ] && [ "$allow" = truncated ]; then
			one_line "$desc: $what exit 1" info.err "trace is truncated at offset"
		elif [ "$rc" = 1 ]; then
			one_line "$desc: $what exit 1" info.err \
				"trace is truncated at offset\|empty file, not a sysrec trace\|no header block"
		else
			bad "$desc: $what: exit $rc: $(head -c 500 info.err)"
		fi
	done
}

# wait_ready ERRFILE: until the recorder's -v line says it records (it loads BPF first: seconds)
wait_ready()
{
	local w
	for ((w = 0; w < 6000; w++)); do
		grep -qs "^sysrec: recording" "$1" && return 0
		sleep 0.02
	done
	return 1
}

# delay KIND: a random moment (us) in KIND's phase: from the start for a start-up kill, from
# the moment it records for the others
delay()
{
	case $1 in
	startup) rnd $((startup_ms * 1000)) ;;
	recording) rnd $((LONG_MS * 1000 - 200000)) ;;
	stop) echo $((SHORT_MS * 1000 - 100000 + $(rnd 500000))) ;;
	esac
}

# killer I KIND US: kill recorder I US microseconds into its KIND of phase; the kill's time
# (CLOCK_MONOTONIC ns) goes to kI.kill, empty when the recorder had ended by itself.
killer()
{
	[ "$2" = startup ] || wait_ready "k$1.err"
	echo "$3" >"k$1.us"
	./helper kill "${rec_pid[$1]}" "$3" >"k$1.kill" 2>/dev/null || : >"k$1.kill"
}

# check I KIND: the file of recorder I opens and replays; the loss, where it can be measured
check()
{
	local i=$1 kind=$2 f=k$i.sysrec kill_ns start last dur_ns
	local desc="kill $i ($kind, $(cat "k$i.us")us, seed $seed)"
	kill_ns=$(cat "k$i.kill")
	no_crash "$desc: record" "k$i.err"
	if [ -z "$kill_ns" ]; then
		phase[finished]=$((${phase[finished]:-0} + 1))
		readable "$desc (it had ended)" "$f"
		return
	fi
	if [ ! -e "$f" ]; then
		phase[before the file]=$((${phase[before the file]:-0} + 1))
		[ "$kind" = startup ] && ok || bad "$desc: no file"
		return
	fi
	readable "$desc" "$f"
	[ -s info.out ] || return
	start=$(jq '.properties."capture.start_ns"' info.out)
	last=$(jq '.last_ts // 0' info.out)
	[ "$kind" = recording ] && dur_ns=$((LONG_MS * 1000000)) || dur_ns=$((SHORT_MS * 1000000))
	if [ "$(jq .closed_cleanly info.out)" = true ]; then
		phase[closed]=$((${phase[closed]:-0} + 1))
	elif ((kill_ns < start + dur_ns)); then
		phase[while recording]=$((${phase[while recording]:-0} + 1))
	else
		phase[stopping]=$((${phase[stopping]:-0} + 1))
	fi
	# Recording for more than BOUND at the kill and not stopped yet (-d counts from after
	# capture.start_ns): the load's events reach to within BOUND of the kill.
	if ((kill_ns > start + BOUND_NS && kill_ns < start + dur_ns)); then
		loss=$((kill_ns - last))
		checked=$((checked + 1))
		((loss > max_loss)) && max_loss=$loss
		((loss <= BOUND_NS)) && ok ||
			bad "$desc: the last event is $((loss / 1000000)) ms before the kill (at most $((BOUND_NS / 1000000)))"
	fi
}

# How long start-up takes here (loading BPF is most of it), for the start-up kills.
t0=$(date +%s%N)
"$sysrec" record -v --buffer-size 1 -p "$load" -d 0.5 -o calib.sysrec 2>calib.err &
calib=$!
wait_ready calib.err || bad "the recorder does not start: $(cat calib.err)"
startup_ms=$((($(date +%s%N) - t0) / 1000000))
wait "$calib"
eq "a recording that ends by itself: exit status" "$?" 0
echo "start-up takes ${startup_ms} ms"

# ---- 50 kills of a recording, one after the other (recorders started together slow each
# other down in the verifier: their loss would measure the machine, not the writer) ----
declare -A phase=()
max_loss=0 checked=0
for ((i = 0; i < 50; i++)); do
	kind=recording
	((i < 10)) && kind=startup
	((i >= 40)) && kind=stop
	[ $kind = recording ] && ms=$LONG_MS || ms=$SHORT_MS
	"$sysrec" record -v --buffer-size 1 -p "$load" -o "k$i.sysrec" \
		-d "$(printf %d.%03d $((ms / 1000)) $((ms % 1000)))" 2>"k$i.err" &
	rec_pid[i]=$!
	cleanups+=("kill -KILL ${rec_pid[i]}")
	killer "$i" $kind "$(delay $kind)"
	wait "${rec_pid[i]}" 2>/dev/null || true
	check "$i" $kind
done
for p in "before the file" "while recording" stopping closed finished; do
	echo "kills: ${phase[$p]:-0} $p"
done
echo "loss checked on $checked files: at most $((max_loss / 1000000)) ms (bound $((BOUND_NS / 1000000)) ms)"
[ "$checked" -ge 5 ] && ok || bad "only $checked kills landed where the loss can be checked"

# ---- the flight recorder killed during a dump: 4 at once ----
export SYSREC_RUN_DIR=$tmp/run
fr=()
for ((i = 0; i < 4; i++)); do
	mkdir "fr$i"
	"$sysrec" record -v --buffer-size 1 --flight-recorder 16M -p "$load" -o "fr$i/f.sysrec" \
		2>"fr$i.err" &
	fr[i]=$!
	cleanups+=("kill -KILL ${fr[i]}")
done
for ((i = 0; i < 4; i++)); do
	wait_ready "fr$i.err" || bad "flight $i: the recorder does not start: $(cat "fr$i.err")"
done
sleep 2 # a window with some seconds of the load in it
for ((i = 0; i < 4; i++)); do
	us[i]=$(rnd 600000) # writing the dump of this window takes about that long
	kill -USR1 "${fr[i]}"
	./helper kill "${fr[i]}" "${us[i]}" >/dev/null &
	frk[i]=$!
done
for ((i = 0; i < 4; i++)); do
	rc=0
	wait "${fr[i]}" 2>/dev/null || rc=$?
	eq "flight $i: killed" "$rc" 137
	no_crash "flight $i: record" "fr$i.err"
	shopt -s nullglob
	dumps=(fr$i/f-*.sysrec)
	shopt -u nullglob
	for d in "${dumps[@]}"; do
		readable "flight $i: dump killed ${us[i]}us after the trigger" "$d" any
		echo "flight $i: killed ${us[i]}us after SIGUSR1: a dump of $(stat -c %s "$d") bytes:" \
			"$([ -s info.out ] && jq -r 'if .closed_cleanly then "complete" else
				"\(.record_count) records, no index" end' info.out || head -1 info.err)"
	done
	[ ${#dumps[@]} = 0 ] && echo "flight $i: killed ${us[i]}us after SIGUSR1: no dump"
done
wait "${frk[@]}" || true

echo "crash: $pass passed, $fail failed"
[ "$fail" = 0 ]
