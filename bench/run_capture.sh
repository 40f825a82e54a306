#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The capture-overhead benchmark of docs/performance.md ("Capture overhead (issue 3)"): three
# workloads, each run untraced, under `sysrec record` (default and --no-latency) and under the
# peer tracers perf, trace-cmd and strace, in interleaved rounds:
#
#   for workload in micro nginx build:
#     for round in 1..5: for tracer in none sysrec sysrec-nolat perf trace-cmd strace: one run
#
# and then the lost-event and recorder-CPU checks of sysrec ("lost").  Before every timed run
# the script waits until the 1-minute load average is below $BENCH_MAX_LOAD (0.7).
#
#   micro  bench/syscall_loop: getppid, 1-byte read of /dev/zero, 64-byte write to /dev/null,
#          openat+close of /etc/passwd, one after the other in one process: ns per syscall.
#          Iterations per mode: 1 M (openclose 250 k) untraced and under sysrec, 200 k (50 k)
#          under perf and trace-cmd, 5 k (1250) under strace, which is ~200x slower here
#   nginx  nginx as bench/workloads/nginx.conf.in (prefix under /tmp, a free port), loaded by
#          `wrk -t1 -c16 -d5s`: requests/s; tracers attach to the worker processes
#   build  `make -k -s -B -j2 -f bench/workloads/build.mk` of format/*.c: wall seconds of make
#          (GNU time inside the tracer, so tracer start-up is not counted)
#   lost   two `syscall_loop getppid` under one `sysrec record -- sh -c 'A & B; wait'`, paced
#          at 1 M calls/s each (2 M/s) and unpaced: recorded getppid + lost vs the exact count;
#          one loop paced at 1 M/s: the recorder's CPU (both with default options)
#
# Tracers, exactly:
#   sysrec        sysrec record -o F -- CMD                 (nginx: -p W1,W2, stopped by SIGINT)
#   sysrec-nolat  sysrec record --no-latency -o F -- CMD
#   perf          perf record -m 16M -e 'raw_syscalls:*' -o F -- CMD     (nginx: -p W1,W2)
#   trace-cmd     trace-cmd record -d --no-filter -e raw_syscalls -f 'common_pid==PID' -o F,
#                 system-wide, stopped by SIGINT (TESTBED.md: -P, -F and a command fail here).
#                 The command waits on a FIFO until trace-cmd is recording; for the build, whose
#                 pids are not known in advance, the filter is common_pid>=PID of make's parent
#   strace        strace -f -o F -- CMD                     (nginx: -p W1 -p W2)
# Trace files go to /dev/shm (tmpfs: the disk is not measured) and are deleted after each run.
# The tracer's own CPU time and peak memory are measured without its traced children
# (bench/proc_usage); sysrec's files are counted with bench/trace_count.
#
# Usage: bench/run_capture.sh BUILD_DIR OUT_DIR
# Environment: BENCH_ROUNDS (5), BENCH_WORKLOADS ("micro nginx build lost"), BENCH_MAX_LOAD
# (0.7), BENCH_WAIT_S (longest wait for a quiet machine before one run, default 30 s; then it
# measures anyway and says so).
# Writes OUT_DIR/raw.tsv (one row per measured value: workload, round, tracer, key, value),
# OUT_DIR/logs/ (each run's output) and OUT_DIR/capture_results.txt (the tables, also printed).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=common.sh
. "$here/common.sh" # median

if [ $# -ne 2 ]; then
	echo "usage: bench/run_capture.sh BUILD_DIR OUT_DIR" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
rounds=${BENCH_ROUNDS:-5}
workloads=${BENCH_WORKLOADS:-micro nginx build lost}
tracers=(none sysrec sysrec-nolat perf trace-cmd strace)

sysrec=$build/replay/sysrec
loop=$build/bench/syscall_loop
pusage=$build/bench/proc_usage
tcount=$build/bench/trace_count
for f in "$sysrec" "$loop" "$pusage" "$tcount"; do
	[ -x "$f" ] || { echo "run_capture.sh: '$f' missing: build first" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run_capture.sh: needs root (BPF, perf, tracefs)" >&2; exit 1; }
"$here/setup_capture.sh"

logs=$out/logs
raw=$out/raw.tsv
results=$out/capture_results.txt
data=/dev/shm/sysrec-capture.$$
fifo=$data/gate
rm -rf "$logs"
mkdir -p "$logs" "$data"
printf 'workload\tround\ttracer\tkey\tvalue\n' >"$raw"
t_start=$(date +%s)

NR_GETPPID=110 # x86_64
tracefs=/sys/kernel/tracing
[ -e "$tracefs/events" ] || mount -t tracefs nodev "$tracefs" 2>/dev/null || true
tc_enable0=$(cat "$tracefs/events/raw_syscalls/enable" 2>/dev/null || echo 0)

# ---- bookkeeping ----

log()
{
	echo "run_capture: $*" >&2
}

# row WORKLOAD ROUND TRACER KEY VALUE
row()
{
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$raw"
}

# kv FILE KEY: the value of KEY=VALUE in FILE (empty if absent)
kv()
{
	sed -n "s/^$2=//p" "$1" 2>/dev/null | head -n1
}

# Every background process this script starts is a process-group leader (setsid) listed here,
# so that cleanup can take down whole groups: trace-cmd forks one recorder per CPU.
groups=()
nginx_master=

cleanup()
{
	for g in "${groups[@]}"; do
		kill -KILL -- "-$g" 2>/dev/null || true
	done
	if [ -n "$nginx_master" ]; then
		kill "$nginx_master" 2>/dev/null || true
		wait "$nginx_master" 2>/dev/null || true
	fi
	_tracefs_check
	rm -rf "$data"
}

# trace-cmd disables its events when it exits; if one did not (killed), undo it.
_tracefs_check()
{
	local en

	en=$(cat "$tracefs/events/raw_syscalls/enable" 2>/dev/null || echo 0)
	if [ "$en" != 0 ] && [ "$tc_enable0" = 0 ]; then
		log "raw_syscalls events left enabled in tracefs: disabling them"
		echo 0 >"$tracefs/events/raw_syscalls/enable" || true
		echo 0 >"$tracefs/events/raw_syscalls/filter" 2>/dev/null || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# _wait_quiet: common.sh's wait_quiet (same BENCH_MAX_LOAD threshold), but polling every second
# instead of every 10 s and giving up after 30 s by default: it runs before each of ~100 runs,
# and each run raises the load average it then waits out (docs/performance.md).  Sets LOAD (the
# load it measured at) and WAITED.
_wait_quiet()
{
	local max=${BENCH_MAX_LOAD:-0.7} limit=${BENCH_WAIT_S:-30} rest

	WAITED=0
	while :; do
		read -r LOAD rest </proc/loadavg
		if awk -v l="$LOAD" -v m="$max" 'BEGIN { exit !(l < m) }'; then
			break
		fi
		if [ "$WAITED" -ge "$limit" ]; then
			log "load average still $LOAD after ${WAITED}s; measuring anyway"
			break
		fi
		sleep 1
		WAITED=$((WAITED + 1))
	done
}

# _wait_for FILE PATTERN COUNT SECS: until FILE has COUNT lines matching PATTERN.
_wait_for()
{
	local i n

	for ((i = 0; i < $4 * 20; i++)); do
		n=$(grep -c -- "$2" "$1" 2>/dev/null || true)
		[ "${n:-0}" -ge "$3" ] && return 0
		sleep 0.05
	done
	return 1
}

# _start_bg OUT ERR CMD...: CMD in the background in a new session (its pid is its group id,
# and it is in groups[]); sets BG.
_start_bg()
{
	local o=$1 e=$2

	shift 2
	setsid "$@" >"$o" 2>"$e" &
	BG=$!
	groups+=("$BG")
}

# _stop PID: SIGINT, then SIGTERM after 20 s, then SIGKILL to its whole group; reaps it.
_stop()
{
	local pid=$1 i

	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "process $pid ignored SIGINT for 20 s: terminating it"
		kill -TERM "$pid" 2>/dev/null || true
		sleep 2
	fi
	kill -KILL -- "-$pid" 2>/dev/null || true # leftovers of its group (trace-cmd recorders)
	wait "$pid" 2>/dev/null || true
}

# ---- tracer statistics, after each run (each removes the trace file) ----

# _stats_sysrec WL RND TRACER TAG COMM
_stats_sysrec()
{
	local wl=$1 rnd=$2 tr=$3 tag=$4 comm=$5 f=$data/$4.sysrec c=$logs/$4.count u=$logs/$4.usage
	local n

	if ! "$tcount" -c "$comm" -e "$NR_GETPPID" "$f" >"$c" 2>>"$logs/$tag.err"; then
		log "$tag: trace_count failed (see $logs/$tag.err)"
	fi
	n=$(kv "$c" syscalls)
	row "$wl" "$rnd" "$tr" syscalls "${n:-NA}"
	row "$wl" "$rnd" "$tr" getppid "$(kv "$c" matched)"
	row "$wl" "$rnd" "$tr" lost "$(kv "$c" lost)"
	row "$wl" "$rnd" "$tr" incomplete "$(kv "$c" incomplete)"
	row "$wl" "$rnd" "$tr" file_bytes "$(kv "$c" file_size)"
	if [ -n "$n" ] && [ "$n" -gt 0 ]; then
		row "$wl" "$rnd" "$tr" bytes_per_syscall \
			"$(awk -v s="$(kv "$c" file_size)" -v n="$n" 'BEGIN { printf "%.3f", s / n }')"
	fi
	row "$wl" "$rnd" "$tr" lost_stderr \
		"$(sed -n 's/.*; \([0-9]*\) events lost$/\1/p' "$logs/$tag.err" | tail -n1)"
	row "$wl" "$rnd" "$tr" cpu_pct "$(kv "$u" cpu_pct)"
	row "$wl" "$rnd" "$tr" steady_cpu_pct "$(kv "$u" steady_cpu_pct)"
	row "$wl" "$rnd" "$tr" rss_kb "$(kv "$u" max_rss_kb)"
	row "$wl" "$rnd" "$tr" rss_rings_kb "$(kv "$u" max_rss_bpf_maps_kb)"
	row "$wl" "$rnd" "$tr" rss_other_kb "$(kv "$u" max_rss_other_kb)"
	rm -f "$f"
}

# _stats_perf WL RND TAG: sys_enter samples and perf's count of lost samples (LOST_SAMPLES of
# sys_enter in `perf report --stat`, an estimate: perf attributes lost samples per event).
_stats_perf()
{
	local wl=$1 rnd=$2 tag=$3 f=$data/$3.perf s=$logs/$3.pstat

	perf report --stat -i "$f" >"$s" 2>&1 || true
	row "$wl" "$rnd" perf syscalls "$(awk '/sys_enter stats/ { e = 1; next }
		e && /SAMPLE events/ { print $3; exit }' "$s")"
	row "$wl" "$rnd" perf lost "$(awk '/sys_enter stats/ { e = 1; next } /stats:/ { e = 0 }
		e && /LOST_SAMPLES events/ { l = $3 } END { print l + 0 }' "$s")"
	row "$wl" "$rnd" perf file_bytes "$(stat -c %s "$f" 2>/dev/null || echo NA)"
	row "$wl" "$rnd" perf cpu_pct "$(kv "$logs/$tag.usage" cpu_pct)"
	rm -f "$f" "$f.old"
}

# _stats_tracecmd WL RND TAG, from `trace-cmd report --stat`: events recorded per CPU are
# "read events" + "entries" (still in the kernel buffer when the statistics were taken;
# trace-cmd writes them out when it stops: checked by counting a file's events once), lost
# events are overrun + commit overrun + dropped; both are halved into syscalls (one sys_enter
# and one sys_exit event per call).  CPU: trace-cmd and its per-CPU recorder processes.
_stats_tracecmd()
{
	local wl=$1 rnd=$2 tag=$3 f=$data/$3.dat s=$logs/$3.tstat u=$logs/$3.usage

	trace-cmd report --stat -i "$f" >"$s" 2>&1 || true
	row "$wl" "$rnd" trace-cmd syscalls "$(awk '/^read events:/ || /^entries:/ { n += $NF }
		END { printf "%d", n / 2 }' "$s")"
	row "$wl" "$rnd" trace-cmd lost "$(awk '/^overrun:/ || /^commit overrun:/ ||
		/^dropped events:/ { n += $NF } END { printf "%d", n / 2 }' "$s")"
	row "$wl" "$rnd" trace-cmd file_bytes "$(stat -c %s "$f" 2>/dev/null || echo NA)"
	row "$wl" "$rnd" trace-cmd cpu_pct "$(awk -v w="$(kv "$u" wall_s)" -v a="$(kv "$u" user_s)" \
		-v b="$(kv "$u" sys_s)" -v c="$(kv "$u" child_user_s)" -v d="$(kv "$u" child_sys_s)" \
		'BEGIN { if (w > 0) printf "%.1f", 100 * (a + b + c + d) / w; else print "NA" }')"
	rm -f "$f" "$f".cpu*
	_tracefs_check
}

# _stats_strace WL RND TAG: calls in the log (a call split by another thread's is counted
# once) and, for micro, the exact getppid count.
_stats_strace()
{
	local wl=$1 rnd=$2 tag=$3 f=$data/$3.strace

	row "$wl" "$rnd" strace syscalls "$(grep -v -c -e 'resumed>' -e '^[0-9]* *+++' \
		-e '^[0-9]* *---' "$f" || true)"
	row "$wl" "$rnd" strace getppid "$(grep -c '^[0-9]* *getppid(' "$f" || true)"
	row "$wl" "$rnd" strace lost 0
	row "$wl" "$rnd" strace file_bytes "$(stat -c %s "$f" 2>/dev/null || echo NA)"
	row "$wl" "$rnd" strace cpu_pct "$(kv "$logs/$tag.usage" cpu_pct)"
	rm -f "$f"
}

# ---- running a command under a tracer ----

# run_cmd TRACER TAG TC_OP COMM WL RND CMD...: CMD under TRACER, stdout in logs/TAG.out, then
# the tracer's statistics.  TC_OP is trace-cmd's pid filter operator ("==": CMD's own pid;
# ">=": it and every later pid, for a CMD that forks).  COMM: the program whose getppid calls
# sysrec's files are checked for.  $ROW_AS, when set, replaces TRACER in the rows.
run_cmd()
{
	local tr=$1 tag=$2 op=$3 comm=$4 wl=$5 rnd=$6 o e u w t st=0

	shift 6
	o=$logs/$tag.out
	e=$logs/$tag.err
	u=$logs/$tag.usage
	case $tr in
	none)
		"$@" >"$o" 2>"$e" || st=$?
		;;
	sysrec | sysrec-nolat)
		local nl=()
		[ "$tr" = sysrec-nolat ] && nl=(--no-latency)
		"$pusage" -m -o "$u" -- "$sysrec" record "${nl[@]}" -o "$data/$tag.sysrec" -- "$@" \
			>"$o" 2>"$e" || st=$?
		;;
	perf)
		"$pusage" -o "$u" -- perf record -m 16M -e 'raw_syscalls:*' -o "$data/$tag.perf" \
			-- "$@" >"$o" 2>"$e" || st=$?
		;;
	strace)
		"$pusage" -o "$u" -- strace -f -o "$data/$tag.strace" -- "$@" >"$o" 2>"$e" || st=$?
		;;
	trace-cmd)
		rm -f "$fifo"
		mkfifo "$fifo"
		# The command's pid is known before it runs: it waits on the FIFO, then execs.
		sh -c 'read -r _ <"$0"; exec "$@"' "$fifo" "$@" >"$o" 2>"$e" &
		w=$!
		_start_bg "$logs/$tag.tc" "$logs/$tag.tc" "$pusage" -o "$u" -- stdbuf -oL trace-cmd \
			record -d --no-filter -e raw_syscalls -f "common_pid$op$w" -o "$data/$tag.dat"
		t=$BG
		_wait_for "$logs/$tag.tc" 'Hit Ctrl' 1 20 || log "$tag: trace-cmd not ready after 20 s"
		echo go >"$fifo"
		wait "$w" || st=$?
		sleep 0.3 # let the recorders catch up
		_stop "$t"
		;;
	esac
	[ "$st" = 0 ] || log "$tag: exit status $st (see $logs/$tag.*)"
	case $tr in
	sysrec | sysrec-nolat) _stats_sysrec "$wl" "$rnd" "${ROW_AS:-$tr}" "$tag" "$comm" ;;
	perf) _stats_perf "$wl" "$rnd" "$tag" ;;
	trace-cmd) _stats_tracecmd "$wl" "$rnd" "$tag" ;;
	strace) _stats_strace "$wl" "$rnd" "$tag" ;;
	esac
}

# ---- workloads ----

micro_n()
{
	case $1 in
	none | sysrec | sysrec-nolat) echo "1000000 250000" ;;
	perf | trace-cmd) echo "200000 50000" ;;
	strace) echo "5000 1250" ;;
	esac
}

workload_micro()
{
	local rnd tr tag n no

	log "micro: warm-up"
	"$loop" getppid:200000 read1:200000 write64:200000 openclose:50000 >/dev/null
	for ((rnd = 1; rnd <= rounds; rnd++)); do
		for tr in "${tracers[@]}"; do
			read -r n no <<<"$(micro_n "$tr")"
			tag=micro-$rnd-$tr
			_wait_quiet
			row micro "$rnd" "$tr" load "$LOAD"
			row micro "$rnd" "$tr" waited_s "$WAITED"
			run_cmd "$tr" "$tag" "==" syscall_loop micro "$rnd" "$loop" getppid:"$n" \
				read1:"$n" write64:"$n" openclose:"$no"
			awk -v r="$rnd" -v t="$tr" '/^mode=/ {
				split($1, m, "="); split($6, v, "=");
				printf "micro\t%s\t%s\tns_%s\t%s\n", r, t, m[2], v[2] }' \
				"$logs/$tag.out" >>"$raw"
			row micro "$rnd" "$tr" loop_syscalls $((3 * n + 2 * no))
			row micro "$rnd" "$tr" loop_getppid "$n"
			log "micro round $rnd $tr (load $LOAD, waited ${WAITED}s):" \
				"$(awk '{ printf "%s %s  ", $1, $6 }' "$logs/$tag.out")"
		done
	done
}

nginx_setup()
{
	nginx_start "$1" || { log "nginx did not start (see $1/error.log)"; exit 1; }
}

# run_pids TRACER TAG WL RND PIDS...: attach TRACER to PIDS, run the load (wrk), stop it.
run_pids()
{
	local tr=$1 tag=$2 wl=$3 rnd=$4 e u t filt="" p pflags=() csv

	shift 4
	e=$logs/$tag.err
	u=$logs/$tag.usage
	csv=$(echo "$*" | tr ' ' ',')
	t=
	case $tr in
	none) ;;
	sysrec | sysrec-nolat)
		local nl=()
		[ "$tr" = sysrec-nolat ] && nl=(--no-latency)
		_start_bg /dev/null "$e" "$pusage" -m -o "$u" -- "$sysrec" record -v "${nl[@]}" \
			-o "$data/$tag.sysrec" -p "$csv"
		t=$BG
		_wait_for "$e" 'recording' 1 20 || log "$tag: sysrec not recording after 20 s"
		;;
	perf)
		_start_bg /dev/null "$e" "$pusage" -o "$u" -- perf record -m 16M -e 'raw_syscalls:*' \
			-o "$data/$tag.perf" -p "$csv"
		t=$BG
		# perf says nothing when it is ready; it writes the file header right after opening
		# the events
		for ((p = 0; p < 100; p++)); do
			[ -s "$data/$tag.perf" ] && break
			sleep 0.05
		done
		sleep 0.3
		;;
	trace-cmd)
		for p in "$@"; do
			filt="${filt:+$filt||}common_pid==$p"
		done
		_start_bg "$logs/$tag.tc" "$logs/$tag.tc" "$pusage" -o "$u" -- stdbuf -oL trace-cmd \
			record -d --no-filter -e raw_syscalls -f "$filt" -o "$data/$tag.dat"
		t=$BG
		_wait_for "$logs/$tag.tc" 'Hit Ctrl' 1 20 || log "$tag: trace-cmd not ready after 20 s"
		;;
	strace)
		for p in "$@"; do
			pflags+=(-p "$p")
		done
		_start_bg /dev/null "$e" "$pusage" -o "$u" -- strace -f -o "$data/$tag.strace" \
			"${pflags[@]}"
		t=$BG
		_wait_for "$e" 'attached' $# 20 || log "$tag: strace not attached after 20 s"
		;;
	esac
	: >"$nginx_prefix/access.log"
	wrk -t1 -c16 -d5s "$nginx_url" >"$logs/$tag.wrk" 2>&1 || log "$tag: wrk failed"
	[ -n "$t" ] && _stop "$t"
	row "$wl" "$rnd" "$tr" rps "$(awk '/^Requests\/sec:/ { print $2 }' "$logs/$tag.wrk")"
	row "$wl" "$rnd" "$tr" requests "$(awk '/requests in/ { print $1 }' "$logs/$tag.wrk")"
	case $tr in
	sysrec | sysrec-nolat) _stats_sysrec "$wl" "$rnd" "$tr" "$tag" nginx ;;
	perf) _stats_perf "$wl" "$rnd" "$tag" ;;
	trace-cmd) _stats_tracecmd "$wl" "$rnd" "$tag" ;;
	strace) _stats_strace "$wl" "$rnd" "$tag" ;;
	esac
}

workload_nginx()
{
	local rnd tr tag

	nginx_prefix=/tmp/sysrec-capture-nginx.$$
	nginx_setup "$nginx_prefix"
	log "nginx: $nginx_url, workers $nginx_workers; warm-up"
	wrk -t1 -c16 -d2s "$nginx_url" >/dev/null
	for ((rnd = 1; rnd <= rounds; rnd++)); do
		for tr in "${tracers[@]}"; do
			tag=nginx-$rnd-$tr
			_wait_quiet
			row nginx "$rnd" "$tr" load "$LOAD"
			row nginx "$rnd" "$tr" waited_s "$WAITED"
			# shellcheck disable=SC2086 # the worker pids
			run_pids "$tr" "$tag" nginx "$rnd" $nginx_workers
			log "nginx round $rnd $tr (load $LOAD, waited ${WAITED}s):" \
				"$(awk '/^Requests\/sec:/ { print $2 }' "$logs/$tag.wrk") requests/s"
		done
	done
	kill "$nginx_master" 2>/dev/null || true
	wait "$nginx_master" 2>/dev/null || true
	nginx_master=
	rm -rf "$nginx_prefix"
}

workload_build()
{
	local rnd tr tag mk

	mk=(make -k -s -f "$here/workloads/build.mk" -B -j2 SRC="$repo/format"
		OBJ="$data/build-objs")
	log "build: warm-up (${mk[*]})"
	"${mk[@]}" >/dev/null 2>&1 || true
	for ((rnd = 1; rnd <= rounds; rnd++)); do
		for tr in "${tracers[@]}"; do
			tag=build-$rnd-$tr
			_wait_quiet
			row build "$rnd" "$tr" load "$LOAD"
			row build "$rnd" "$tr" waited_s "$WAITED"
			run_cmd "$tr" "$tag" ">=" make build "$rnd" /usr/bin/time -f %e \
				-o "$logs/$tag.time" "${mk[@]}"
			row build "$rnd" "$tr" wall_s "$(tail -n1 "$logs/$tag.time")"
			log "build round $rnd $tr (load $LOAD, waited ${WAITED}s):" \
				"$(tail -n1 "$logs/$tag.time") s"
		done
	done
}

# The lost-event and CPU checks of sysrec, default options, 3 repetitions each:
#   cpu1m   one loop paced at 1 M getppid/s for 6 s
#   lost2m  two loops paced at 1 M getppid/s each (2 M/s), 6 M calls each
#   lostmax two loops unpaced, 10 M calls each
workload_lost()
{
	local rep kind tag n rate cmd procs

	for ((rep = 1; rep <= 3; rep++)); do
		for kind in cpu1m lost2m lostmax; do
			tag=lost-$rep-$kind
			n=6000000
			rate=(-r 1000000)
			procs=2
			case $kind in
			cpu1m) procs=1 ;;
			lostmax) n=10000000 rate=() ;;
			esac
			cmd=("$loop" "${rate[@]}" "getppid:$n")
			if [ "$procs" = 2 ]; then
				# shellcheck disable=SC2016 # expanded by sh -c
				cmd=(sh -c '"$0" "$@" & "$0" "$@"; wait' "${cmd[@]}")
			fi
			_wait_quiet
			row lost "$rep" "$kind" load "$LOAD"
			row lost "$rep" "$kind" waited_s "$WAITED"
			ROW_AS=$kind run_cmd sysrec "$tag" "==" syscall_loop lost "$rep" "${cmd[@]}"
			row lost "$rep" "$kind" expected_getppid $((n * procs))
			# the rate reached: all loops' calls over the longest loop's time
			awk -v r="$rep" -v k="$kind" '/^mode=/ { split($6, v, "="); split($4, s, "=");
				split($3, c, "="); printf "lost\t%s\t%s\tns_getppid\t%s\n", r, k, v[2];
				n += c[2]; if (s[2] > t) t = s[2] }
				END { if (t > 0) printf "lost\t%s\t%s\trate_mps\t%.2f\n", r, k, n / t / 1e6 }' \
				"$logs/$tag.out" >>"$raw"
			log "$kind $rep (load $LOAD, waited ${WAITED}s): $(tr '\n' ' ' <"$logs/$tag.count")"
		done
	done
}

for w in $workloads; do
	case $w in
	micro | nginx | build | lost) "workload_$w" ;;
	*) log "unknown workload '$w'"; exit 2 ;;
	esac
done
t_end=$(date +%s)

"$here/capture_report.sh" "$raw" >"$results.tmp"
{
	echo "# bench/run_capture.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), $((t_end - t_start)) s," \
		"$rounds rounds"
	echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc)" \
		"cpus, kernel $(uname -r)"
	dirty=$(git -C "$repo" status --porcelain -- capture driver-bpf format replay bench \
		2>/dev/null | tr '\n' ' ' | head -c 300)
	echo "# repository at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')," \
		"${dirty:+NOT }clean${dirty:+: $dirty}"
	echo "# $(perf --version), $(trace-cmd --version 2>&1 | awk 'NF { print; exit }'),"\
		"$(strace -V | head -n1), $(nginx -v 2>&1), $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)"
	cat "$results.tmp"
} >"$results"
rm -f "$results.tmp"
cat "$results"
log "results in $results, raw values in $raw"
