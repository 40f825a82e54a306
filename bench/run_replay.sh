#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The replay-throughput benchmark of docs/performance.md ("Replay throughput (issue 4)").
#
# 1. Record.  One nginx (bench/workloads/nginx.conf.in, common.sh's nginx_start: 2 workers,
#    a free port on 127.0.0.1) is loaded by `wrk -t1 -c16 -d${BENCH_SECONDS}s` three times,
#    its two worker processes recorded each time by one tracer (the capture commands of
#    bench/run_capture.sh):
#      sysrec     sysrec record -v -o F -p W1,W2                       (stopped by SIGINT)
#      perf       perf record -m 16M -e 'raw_syscalls:*' -o F -p W1,W2   (stopped by SIGINT)
#      trace-cmd  trace-cmd record -d --no-filter -b 16384 -e raw_syscalls \
#                   -f 'common_pid==W1||common_pid==W2' -o F             (stopped by SIGINT)
#    (-b 16384: 16 MiB of kernel buffer per CPU instead of the default 1410 KiB, with which
#    trace-cmd overran here; the previous size is put back at the end.)
#    Lost events: sysrec's "N events lost" line, perf's LOST_SAMPLES (`perf report --stat`),
#    trace-cmd's overrun + commit overrun + dropped (`trace-cmd report --stat`).
# 2. Count, untimed (this also brings the files into the page cache): sysrec's events with
#    `sysrec replay -q --count F`; perf's and trace-cmd's by counting the sys_enter/sys_exit
#    lines of `perf script` and `trace-cmd report` (two events per syscall for both).  TID is
#    the nginx worker with fewer events in sysrec's file.
# 3. Time.  Wait until the 1-minute load average is below $BENCH_MAX_LOAD (common.sh
#    wait_quiet), then BENCH_ROUNDS interleaved rounds of every command below, each run under
#    `/usr/bin/time -f '%e %U %S %M'` (wall s, user s, sys s, peak RSS KiB), output to
#    /dev/null.  Before each run the script waits (at most $BENCH_IDLE_WAIT_S) until the rest
#    of the machine used less than 10% of the CPUs over one second, and records what it saw:
#      sysrec replay -q --count F 'proc.name=nginx and evt.type=writev'
#      sysrec replay -q F                           (text)
#      sysrec replay -q -j F                        (JSON)
#      sysrec replay -q --count F thread.tid=TID
#      sysrec replay -q F thread.tid=TID            (text of one thread, like perf --tid)
#      perf script -i F
#      perf script -i F --tid TID
#      trace-cmd report -i F
#    M events/s = events in the file (all of them, also for the filtered commands) / median
#    wall seconds.
# 4. Profile: `perf record -F 499 --call-graph dwarf` of the text replay for
#    $BENCH_PROFILE_S seconds (0: skip); flat and caller views in OUT_DIR/profile*.txt.
#
# Usage: bench/run_replay.sh [BUILD_DIR [OUT_DIR]]   (needs root: BPF, perf, tracefs)
#   BUILD_DIR  default build/release (`make build`); its replay/sysrec is measured
#   OUT_DIR    default /tmp/sysrec-replay-bench: results.txt (the table, also printed),
#              raw.tsv (every run), logs/, profile.txt, profile-callers.txt
# Environment:
#   BENCH_SECONDS (30)        wrk duration of each recording (10-12 M sysrec events here)
#   BENCH_ROUNDS (3)          timed rounds
#   BENCH_MAX_LOAD (0.5), BENCH_WAIT_S (1200)   wait_quiet before the timed part
#   BENCH_IDLE_WAIT_S (60)    longest wait for an idle machine before each run
#   BENCH_PROFILE_S (10)      seconds of profile; 0 skips it
#   BENCH_DATA                directory for the trace files (default a new
#                             /var/tmp/sysrec-replay.XXXXXX).  If it already holds the files
#                             of an earlier KEEP=1 run (tids.env), they are reused, not
#                             re-recorded, and never deleted
#   KEEP=1                    keep the trace files (their directory is printed)
# nginx_* are set by common.sh, workers and rps_* by tids.env; backquotes are Markdown:
# shellcheck disable=SC2154,SC2016
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=common.sh
. "$here/common.sh" # wait_quiet, median, nginx_start

build=$(cd "${1:-$repo/build/release}" && pwd)
out=${2:-/tmp/sysrec-replay-bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)
secs=${BENCH_SECONDS:-30}
rounds=${BENCH_ROUNDS:-3}
prof_s=${BENCH_PROFILE_S:-10}
sysrec=$build/replay/sysrec

log()
{
	echo "run_replay: $*" >&2
}

[ -x "$sysrec" ] || { log "'$sysrec' missing: build first (make build)"; exit 1; }
[ "$(id -u)" = 0 ] || { log "needs root (BPF, perf, tracefs)"; exit 1; }
"$here/setup_capture.sh" # perf, trace-cmd, nginx, wrk (only what is missing)

logs=$out/logs
raw=$out/raw.tsv
results=$out/results.txt
rm -rf "$logs"
mkdir -p "$logs"

reuse=0
if [ -n "${BENCH_DATA:-}" ]; then
	mkdir -p "$BENCH_DATA"
	data=$(cd "$BENCH_DATA" && pwd)
	[ -f "$data/tids.env" ] && reuse=1
else
	data=$(mktemp -d /var/tmp/sysrec-replay.XXXXXX)
fi
# The files: about 0.4 B (sysrec), 110 B (perf) and 5 B (trace-cmd) per event.
avail=$(df -Pk "$data" | awk 'NR == 2 { print $4 }')
if [ "$reuse" = 0 ] && [ "$avail" -lt $((secs * 200 * 1024)) ]; then
	log "only $((avail / 1024)) MiB free in $data: need about $((secs * 200)) MiB"
	exit 1
fi

# Run a private copy of the binary: someone rebuilding BUILD_DIR during the ~45 minutes of the
# run must not change what is measured halfway (it happened).
bindir=$(mktemp -d /tmp/sysrec-replay-bin.XXXXXX)
cp "$sysrec" "$bindir/sysrec"
bin_info="$(sha256sum "$sysrec" | cut -c1-12), built $(date -u -r "$sysrec" +%Y-%m-%dT%H:%M:%SZ)"
sysrec=$bindir/sysrec

tracefs=/sys/kernel/tracing
[ -e "$tracefs/events" ] || mount -t tracefs nodev "$tracefs" 2>/dev/null || true
tc_enable0=$(cat "$tracefs/events/raw_syscalls/enable" 2>/dev/null || echo 0)
tc_bufkb0=$(cat "$tracefs/buffer_size_kb" 2>/dev/null || true)

# Background tracers are session leaders (setsid) listed in groups[], so cleanup can take
# down a whole group: trace-cmd forks one recorder per CPU.
groups=()
nginx_master=
nginx_prefix=/tmp/sysrec-replay-nginx.$$

cleanup()
{
	local g en

	for g in "${groups[@]}"; do
		kill -KILL -- "-$g" 2>/dev/null || true
	done
	if [ -n "$nginx_master" ]; then
		kill "$nginx_master" 2>/dev/null || true
		wait "$nginx_master" 2>/dev/null || true
	fi
	rm -rf "$nginx_prefix" "$bindir"
	en=$(cat "$tracefs/events/raw_syscalls/enable" 2>/dev/null || echo 0)
	if [ "$en" != 0 ] && [ "$tc_enable0" = 0 ]; then
		log "raw_syscalls events left enabled in tracefs: disabling them"
		echo 0 >"$tracefs/events/raw_syscalls/enable" || true
		echo 0 >"$tracefs/events/raw_syscalls/filter" 2>/dev/null || true
	fi
	if [ -n "$tc_bufkb0" ] && [ "$(cat "$tracefs/buffer_size_kb" 2>/dev/null)" != "$tc_bufkb0" ]
	then
		echo "$tc_bufkb0" >"$tracefs/buffer_size_kb" 2>/dev/null || true
	fi
	if [ "$reuse" = 1 ] || [ "${KEEP:-0}" = 1 ]; then
		log "trace files kept in $data"
	else
		rm -rf "$data"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# row ROUND NAME KEY VALUE
row()
{
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$raw"
}

# _bg LOG CMD...: CMD in the background in a new session, stdout and stderr in LOG; sets BG.
_bg()
{
	local l=$1

	shift
	setsid "$@" >"$l" 2>&1 &
	BG=$!
	groups+=("$BG")
}

# _wait_for FILE PATTERN SECS: until FILE has a line matching PATTERN.
_wait_for()
{
	local i

	for ((i = 0; i < $3 * 20; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# _stop PID: SIGINT, SIGTERM after 60 s (a recorder may still be writing out its buffers),
# then SIGKILL to its group; reaps it.
_stop()
{
	local pid=$1 i

	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 600; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "process $pid ignored SIGINT for 60 s: terminating it"
		kill -TERM "$pid" 2>/dev/null || true
		sleep 2
	fi
	kill -KILL -- "-$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# _busy: percent of all CPUs busy over the next second (everyone: this script sleeps).
_busy()
{
	local a b

	a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " ");
		printf "%.0f", (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0 }'
}

# _idle: wait until the machine is idle (< 10% busy over a second), at most BENCH_IDLE_WAIT_S.
# Sets BUSY (the last reading) and IDLE_WAITED (seconds).
_idle()
{
	local limit=${BENCH_IDLE_WAIT_S:-60}

	IDLE_WAITED=0
	while :; do
		BUSY=$(_busy)
		[ "$BUSY" -lt 10 ] && break
		if [ "$IDLE_WAITED" -ge "$limit" ]; then
			log "machine still ${BUSY}% busy after ${IDLE_WAITED}s: measuring anyway"
			break
		fi
		IDLE_WAITED=$((IDLE_WAITED + 1))
	done
}

# ---- 1. record ----

# record TRACER: the nginx workers under TRACER for one wrk run of $secs seconds.
record()
{
	local tr=$1 l=$logs/record-$1.log t i filt="" p csv

	_idle # not timed, but a busy machine makes a smaller file
	csv=$(echo "$nginx_workers" | tr -s ' ' ',' | sed 's/,$//')
	case $tr in
	sysrec)
		_bg "$l" "$sysrec" record -v -o "$data/nginx.sysrec" -p "$csv"
		t=$BG
		_wait_for "$l" recording 30 || log "sysrec not recording after 30 s"
		;;
	perf)
		_bg "$l" perf record -m 16M -e 'raw_syscalls:*' -o "$data/perf.data" -p "$csv"
		t=$BG
		# perf says nothing when it is ready; it writes the file header right after opening
		# the events
		for ((i = 0; i < 100; i++)); do
			[ -s "$data/perf.data" ] && break
			sleep 0.05
		done
		sleep 0.3
		;;
	trace-cmd)
		for p in $nginx_workers; do
			filt="${filt:+$filt||}common_pid==$p"
		done
		_bg "$l" stdbuf -oL trace-cmd record -d --no-filter -b 16384 -e raw_syscalls -f "$filt" \
			-o "$data/trace.dat"
		t=$BG
		_wait_for "$l" 'Hit Ctrl' 30 || log "trace-cmd not ready after 30 s"
		;;
	esac
	wrk -t1 -c16 -d"${secs}s" "$nginx_url" >"$logs/wrk-$tr.txt" 2>&1 || log "$tr: wrk failed"
	sleep 0.3 # let the recorders catch up
	_stop "$t"
	log "recorded with $tr: $(awk '/^Requests\/sec:/ { print $2 }' "$logs/wrk-$tr.txt")" \
		"requests/s, $(du -m "${data}/$(file_of "$tr")" | cut -f1) MiB"
}

file_of()
{
	case $1 in
	sysrec) echo nginx.sysrec ;;
	perf) echo perf.data ;;
	trace-cmd) echo trace.dat ;;
	esac
}

t_start=$(date +%s)
if [ "$reuse" = 0 ]; then
	nginx_start "$nginx_prefix" || { log "nginx did not start (see $nginx_prefix/error.log)"; exit 1; }
	log "nginx $nginx_url, workers $nginx_workers; recording $secs s per tracer into $data"
	wrk -t1 -c16 -d2s "$nginx_url" >/dev/null # warm-up
	for tr in sysrec perf trace-cmd; do
		record "$tr"
	done
	kill "$nginx_master" 2>/dev/null || true
	wait "$nginx_master" 2>/dev/null || true
	nginx_master=
	{
		echo "workers='$nginx_workers'"
		for tr in sysrec perf trace-cmd; do
			echo "rps_${tr//-/_}=$(awk '/^Requests\/sec:/ { print $2 }' "$logs/wrk-$tr.txt")"
		done
		echo "lost_sysrec=$(sed -n 's/.*; \([0-9]*\) events lost$/\1/p' \
			"$logs/record-sysrec.log" | tail -n1)"
	} >"$data/tids.env"
	perf report --stat -i "$data/perf.data" >"$data/perf.stat" 2>&1 || true
	trace-cmd report --stat -i "$data/trace.dat" >"$data/trace.stat" 2>&1 || true
else
	log "reusing the trace files in $data"
fi
# shellcheck source=/dev/null
. "$data/tids.env"
cp "$data/perf.stat" "$data/trace.stat" "$logs/"
lost_perf=$(awk '/LOST_SAMPLES events/ { l += $3 } END { print l + 0 }' "$data/perf.stat")
lost_tc=$(awk '/^overrun:/ || /^commit overrun:/ || /^dropped events:/ { n += $NF }
	END { printf "%d", n }' "$data/trace.stat")

# ---- 2. count (untimed; warms the page cache) ----

log "counting events"
ev_sysrec=$("$sysrec" replay -q --count "$data/nginx.sysrec")
tid=
tid_n=
for w in $workers; do
	n=$("$sysrec" replay -q --count "$data/nginx.sysrec" "thread.tid=$w")
	if [ -z "$tid" ] || [ "$n" -lt "$tid_n" ]; then
		tid=$w
		tid_n=$n
	fi
done
ev_perf=$(perf script -i "$data/perf.data" 2>/dev/null | grep -c 'raw_syscalls:sys_e' || true)
ev_perf_tid=$(perf script -i "$data/perf.data" --tid "$tid" 2>/dev/null |
	grep -c 'raw_syscalls:sys_e' || true)
ev_tc=$(trace-cmd report -i "$data/trace.dat" 2>/dev/null | grep -c -E ' sys_(enter|exit):' || true)
log "events: sysrec $ev_sysrec (tid $tid: $tid_n), perf $ev_perf (tid $tid: $ev_perf_tid)," \
	"trace-cmd $ev_tc"
if [ "$ev_sysrec" -lt 10000000 ]; then
	log "sysrec's file has fewer than 10 M events: raise BENCH_SECONDS"
fi

# ---- 3. time ----

names=(sysrec-writev sysrec-text sysrec-json sysrec-tid-count sysrec-tid-text perf-script
	perf-script-tid trace-cmd-report)
# cmd_of NAME: the command, one word per line
cmd_of()
{
	local f=$data/nginx.sysrec

	case $1 in
	sysrec-writev) printf '%s\n' "$sysrec" replay -q --count "$f" \
		'proc.name=nginx and evt.type=writev' ;;
	sysrec-text) printf '%s\n' "$sysrec" replay -q "$f" ;;
	sysrec-json) printf '%s\n' "$sysrec" replay -q -j "$f" ;;
	sysrec-tid-count) printf '%s\n' "$sysrec" replay -q --count "$f" "thread.tid=$tid" ;;
	sysrec-tid-text) printf '%s\n' "$sysrec" replay -q "$f" "thread.tid=$tid" ;;
	perf-script) printf '%s\n' perf script -i "$data/perf.data" ;;
	perf-script-tid) printf '%s\n' perf script -i "$data/perf.data" --tid "$tid" ;;
	trace-cmd-report) printf '%s\n' trace-cmd report -i "$data/trace.dat" ;;
	esac
}

printf 'round\tname\tkey\tvalue\n' >"$raw"
log "waiting for a quiet machine (1-min load < ${BENCH_MAX_LOAD:-0.5})"
BENCH_MAX_LOAD=${BENCH_MAX_LOAD:-0.5} BENCH_WAIT_S=${BENCH_WAIT_S:-1200} wait_quiet 2>&1 |
	tee "$logs/wait_quiet.txt" >&2
t_timed=$(date +%s)
for ((rnd = 1; rnd <= rounds; rnd++)); do
	for name in "${names[@]}"; do
		mapfile -t cmd < <(cmd_of "$name")
		_idle
		read -r load _ </proc/loadavg
		tf=$logs/$name-$rnd.time
		st=0
		/usr/bin/time -f '%e %U %S %M' -o "$tf" "${cmd[@]}" >"$logs/$name-$rnd.out" \
			2>"$logs/$name-$rnd.err" || st=$?
		case $name in
		*count | *writev) ;;
		*) : >"$logs/$name-$rnd.out" ;; # the output itself is not kept
		esac
		[ "$st" = 0 ] || log "$name round $rnd: exit status $st (see $logs/$name-$rnd.err)"
		read -r wall usr sys rss <"$tf" || true
		row "$rnd" "$name" wall_s "$wall"
		row "$rnd" "$name" cpu_s "$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')"
		row "$rnd" "$name" user_s "$usr"
		row "$rnd" "$name" sys_s "$sys"
		row "$rnd" "$name" rss_kb "$rss"
		row "$rnd" "$name" busy_pct_before "$BUSY"
		row "$rnd" "$name" idle_wait_s "$IDLE_WAITED"
		row "$rnd" "$name" load "$load"
		row "$rnd" "$name" status "$st"
		case $name in
		*count | *writev) row "$rnd" "$name" matched "$(tail -n1 "$logs/$name-$rnd.out")" ;;
		esac
		log "round $rnd $name: ${wall}s wall, ${usr}+${sys}s CPU, ${rss} KiB" \
			"(busy ${BUSY}% before, waited ${IDLE_WAITED}s, load $load)"
	done
done
t_end=$(date +%s)

# ---- 4. profile ----

if [ "$prof_s" != 0 ]; then
	log "profiling the text replay for $prof_s s"
	perf record -q -F 499 --call-graph dwarf,16384 -o "$data/prof.data" -- \
		timeout -s INT "$prof_s" "$sysrec" replay -q "$data/nginx.sysrec" >/dev/null \
		2>"$logs/profile.err" || true
	perf report -i "$data/prof.data" --no-children --sort dso,sym -g none --percent-limit 0.5 \
		--stdio 2>/dev/null | grep -v '^$' >"$out/profile.txt" || true
	perf report -i "$data/prof.data" --children --sort sym -g none --percent-limit 2 \
		--stdio 2>/dev/null | grep -v '^$' >"$out/profile-callers.txt" || true
	rm -f "$data/prof.data"
fi

# ---- report ----

# med NAME KEY: median over the rounds
med()
{
	awk -F'\t' -v n="$1" -v k="$2" '$2 == n && $3 == k && $4 != "" { print $4 }' "$raw" | median
}
# range NAME KEY: min-max over the rounds
range()
{
	awk -F'\t' -v n="$1" -v k="$2" '$2 == n && $3 == k && $4 != "" { print $4 }' "$raw" |
		sort -g | sed -n '1p;$p' | paste -sd- | sed 's/^\([^-]*\)$/\1-\1/'
}

{
	echo "# bench/run_replay.sh $(date -u +%Y-%m-%dT%H:%M:%SZ): $rounds rounds," \
		"timed part $((t_end - t_timed)) s, all $((t_end - t_start)) s"
	echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc)" \
		"cpus, kernel $(uname -r)"
	dirty=$(git -C "$repo" status --porcelain -- format filters replay bench 2>/dev/null |
		tr '\n' ' ' | head -c 300)
	echo "# repository at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')," \
		"format/ filters/ replay/ bench/ ${dirty:+NOT }clean${dirty:+: $dirty}"
	echo "# sysrec $build/replay/sysrec ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' \
		"$build/CMakeCache.txt" 2>/dev/null), sha256 $bin_info), $(perf --version), $(trace-cmd --version 2>&1 |
		awk 'NF { print; exit }')"
	echo "# workload: nginx workers $workers under wrk -t1 -c16 -d${secs}s, requests/s while" \
		"recording: sysrec $rps_sysrec, perf $rps_perf, trace-cmd $rps_trace_cmd"
	echo "# files: sysrec $(stat -c %s "$data/nginx.sysrec") B, perf" \
		"$(stat -c %s "$data/perf.data") B, trace-cmd $(stat -c %s "$data/trace.dat") B;" \
		"lost: sysrec ${lost_sysrec:-?}, perf $lost_perf samples, trace-cmd $lost_tc events"
	echo "# events: one per syscall in sysrec's file, two (sys_enter, sys_exit) in perf's and" \
		"trace-cmd's; TID $tid (the less busy worker)"
	echo "# $(cat "$logs/wait_quiet.txt")"
	echo
	echo "| tool | command | events | matched | seconds, median [min-max] | M events/s |" \
		"M syscalls/s | CPU s (user+sys) | peak RSS MiB |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	for name in "${names[@]}"; do
		mapfile -t cmd < <(cmd_of "$name")
		case $name in
		sysrec*) tool=sysrec ev=$ev_sysrec sc=$ev_sysrec ;;
		perf*) tool=perf ev=$ev_perf sc=$((ev_perf / 2)) ;;
		trace-cmd*) tool=trace-cmd ev=$ev_tc sc=$((ev_tc / 2)) ;;
		esac
		case $name in
		*writev | *tid-count) m=$(med "$name" matched) ;;
		sysrec-tid-text) m=$tid_n ;;
		perf-script-tid) m=$ev_perf_tid ;;
		*) m=all ;;
		esac
		# the command as a reader would type it
		c=$(printf '%s\n' "${cmd[@]}" | sed -e "s|^$sysrec\$|sysrec|" -e "s|^$data/||" \
			-e "s|^proc.name=nginx and evt.type=writev\$|'&'|" | paste -sd' ')
		case $name in
		*count | *writev) ;;
		*) c="$c > /dev/null" ;;
		esac
		w=$(med "$name" wall_s)
		printf '| %s | `%s` | %s | %s | %.2f [%s] | %.2f | %.2f | %.2f | %.0f |\n' "$tool" "$c" \
			"$ev" "$m" "$w" "$(range "$name" wall_s)" \
			"$(awk -v e="$ev" -v w="$w" 'BEGIN { print (w > 0) ? e / w / 1e6 : 0 }')" \
			"$(awk -v e="$sc" -v w="$w" 'BEGIN { print (w > 0) ? e / w / 1e6 : 0 }')" \
			"$(med "$name" cpu_s)" "$(awk -v k="$(med "$name" rss_kb)" 'BEGIN { print k / 1024 }')"
	done
	echo
	echo "Before each run: the machine's busy % over one second (everyone else), median [max]:" \
		"$(awk -F'\t' '$3 == "busy_pct_before" { print $4 }' "$raw" | median)" \
		"[$(awk -F'\t' '$3 == "busy_pct_before" { print $4 }' "$raw" | sort -g | tail -n1)]," \
		"1-min load median $(awk -F'\t' '$3 == "load" { print $4 }' "$raw" | median)"
} >"$results"
cat "$results"
if [ -s "$out/profile.txt" ]; then
	echo "profile of the text replay: $out/profile.txt (self), $out/profile-callers.txt" >&2
fi
log "results in $results, every run in $raw"
