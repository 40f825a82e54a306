#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The always-on benchmark of docs/performance.md ("Flight recorder (issue 9)"): what it costs
# to leave `sysrec record --flight-recorder SIZE` running on a busy host, measured on nginx
# loaded by wrk, and how that compares with recording to a file and with perf's own flight
# recorder (`perf record --overwrite`, dumped on SIGUSR2).
#
#   none     wrk -t1 -c16 for $BASE_SECS against nginx (bench/workloads/nginx.conf.in)
#   flight   sysrec record --flight-recorder $FLIGHT_SIZE -o DIR/fr.sysrec, the whole host, for
#            $FLIGHT_SECS of wrk: the "24-hour-equivalent" run (its events, at the rate of a
#            quiet production host, would take a day: the script prints that rate); then
#            `sysrec trigger` under load (time to write the window, and its size), then SIGINT
#            (the stop dump is written, not measured)
#   file     sysrec record -o DIR/f.sysrec, the whole host, for $BASE_SECS
#   perf     perf record --overwrite -a -m $PERF_PAGES -e raw_syscalls:sys_enter,sys_exit
#            --switch-output=signal, for $BASE_SECS (perf's ring of the last N pages per CPU)
#
# For each: requests/s (wrk), the recorder's CPU seconds during the load (utime + stime of
# the recorder process, all threads, from /proc/PID/stat at the start and the end of wrk),
# its peak resident memory (VmHWM) and, for sysrec's flight recorder, the largest total of its
# memory segments (memfds: shared memory that RSS does not show), sampled every 2 s.
#
# Usage: bench/run_flight.sh BUILD_DIR OUT_DIR
# Environment: FLIGHT_SECS (300), BASE_SECS (60), FLIGHT_SIZE (256M), PERF_PAGES (16M).
# Writes OUT_DIR/flight_results.txt (also printed) and OUT_DIR/logs/.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh" # nginx_start, wait_quiet

if [ $# -ne 2 ]; then
	echo "usage: bench/run_flight.sh BUILD_DIR OUT_DIR" >&2
	exit 2
fi
build=$(cd "$1" && pwd)
mkdir -p "$2/logs"
out=$(cd "$2" && pwd)
logs=$out/logs
sysrec=$build/replay/sysrec
flight_secs=${FLIGHT_SECS:-300}
base_secs=${BASE_SECS:-60}
flight_size=${FLIGHT_SIZE:-256M}
perf_pages=${PERF_PAGES:-16M}
res=$out/flight_results.txt
work=/dev/shm/sysrec-flight-bench.$$
mkdir -p "$work"
nginx_master=
cleanup()
{
	[ -z "$nginx_master" ] || kill "$nginx_master" 2>/dev/null || true
	rm -rf "$work" "/tmp/sysrec-flight-nginx.$$"
}
trap cleanup EXIT

log() { echo "bench: $*" >&2; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
# the bytes of the recorder's memory segments, each counted once (a segment can be open
# twice: the writer's fd and the recorder's own, or a dump's)
memfd_bytes()
{
	local l
	for l in /proc/"$1"/fd/*; do
		case $(readlink "$l" 2>/dev/null) in
		/memfd:sysrec-segment-*) stat -L -c '%i %s' "$l" 2>/dev/null ;;
		esac
	done | sort -u | awk '{ n += $2 } END { print n + 0 }'
}
tck=$(getconf CLK_TCK)

nginx_start "/tmp/sysrec-flight-nginx.$$" || { log "nginx did not start"; exit 1; }
log "nginx $nginx_url, workers $nginx_workers; warm-up"
wrk -t1 -c16 -d3s "$nginx_url" >/dev/null

# load TAG SECS [PID]: wrk for SECS; with PID (a recorder), its CPU and memory meanwhile.
# Prints "rps cpu_s hwm_kb max_memfd_bytes".
load()
{
	local tag=$1 secs=$2 pid=${3:-} c0=0 c1=0 w maxfd=0 m
	[ -z "$pid" ] || c0=$(cpu_ticks "$pid")
	wrk -t1 -c16 -d"${secs}s" "$nginx_url" >"$logs/$tag.wrk" 2>&1 &
	w=$!
	while kill -0 "$w" 2>/dev/null; do
		if [ -n "$pid" ]; then
			m=$(memfd_bytes "$pid")
			[ "$m" -le "$maxfd" ] || maxfd=$m
		fi
		sleep 2
	done
	wait "$w"
	[ -z "$pid" ] || c1=$(cpu_ticks "$pid")
	echo "$(awk '/^Requests\/sec:/ { print $2 }' "$logs/$tag.wrk")" \
		"$(awk -v a="$c0" -v b="$c1" -v t="$tck" 'BEGIN { printf "%.2f", (b - a) / t }')" \
		"$([ -z "$pid" ] && echo 0 || hwm_kb "$pid")" "$maxfd"
}

# start_sysrec TAG ARGS...: a recorder in the background, once it records.  Sets rec_pid.
start_sysrec()
{
	local tag=$1
	shift
	"$sysrec" record "$@" >"$logs/$tag.out" 2>"$logs/$tag.err" &
	rec_pid=$!
	for _ in $(seq 300); do
		grep -q "flight recorder: keeping\|recording" "$logs/$tag.err" 2>/dev/null && break
		sleep 0.1
	done
	sleep 1
}

wait_quiet 2>>"$logs/load.txt"
read -r none_rps _ _ _ < <(load none "$base_secs")
log "none: $none_rps requests/s"

wait_quiet 2>>"$logs/load.txt"
start_sysrec flight --flight-recorder "$flight_size" -o "$work/fr.sysrec" -v
read -r fl_rps fl_cpu fl_hwm fl_memfd < <(load flight "$flight_secs" "$rec_pid")
# a trigger while wrk still runs: how long writing the window takes
wrk -t1 -c16 -d60s "$nginx_url" >"$logs/flight-trigger.wrk" 2>&1 &
w=$!
sleep 2
t0=$(date +%s.%N)
dump=$("$sysrec" trigger "bench" 2>>"$logs/flight.err")
t1=$(date +%s.%N)
kill -INT "$w" 2>/dev/null || true
wait "$w" || true
dump_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
dump_sz=$(stat -c %s "$dump")
"$sysrec" info "$dump" >"$logs/flight-dump.info"
dump_span=$(awk '/^time/ { gsub(/[()]/, "", $(NF-1)); print $(NF-1) }' "$logs/flight-dump.info")
dump_recs=$(awk '/^records/ { print $2 }' "$logs/flight-dump.info")
kill -INT "$rec_pid"
wait "$rec_pid" || log "flight recorder exited with $?"
fl_seen=$(grep -o '[0-9]* records seen' "$logs/flight.err" | awk '{ print $1 }')
fl_lost=$(grep -o '[0-9]* events lost' "$logs/flight.err" | tail -1 | awk '{ print $1 }')
rm -f "$work"/fr-*.sysrec
log "flight: $fl_rps requests/s, recorder CPU ${fl_cpu}s, VmHWM ${fl_hwm} kB, segments $fl_memfd B"

wait_quiet 2>>"$logs/load.txt"
start_sysrec file -o "$work/f.sysrec" -v
read -r fi_rps fi_cpu fi_hwm _ < <(load file "$base_secs" "$rec_pid")
kill -INT "$rec_pid"
wait "$rec_pid" || true
fi_sz=$(stat -c %s "$work/f.sysrec")
rm -f "$work/f.sysrec"
log "file: $fi_rps requests/s, recorder CPU ${fi_cpu}s"

pe_rps=- pe_cpu=- pe_hwm=-
if command -v perf >/dev/null; then
	wait_quiet 2>>"$logs/load.txt"
	perf record --overwrite -a -m "$perf_pages" -e 'raw_syscalls:sys_enter,raw_syscalls:sys_exit' \
		--switch-output=signal -o "$work/perf.data" >"$logs/perf.out" 2>"$logs/perf.err" &
	ppid=$!
	sleep 3
	read -r pe_rps pe_cpu pe_hwm _ < <(load perf "$base_secs" "$ppid")
	kill -USR2 "$ppid" 2>/dev/null || true
	sleep 2
	kill -INT "$ppid" 2>/dev/null || true
	wait "$ppid" || true
	rm -f "$work"/perf.data*
	log "perf --overwrite: $pe_rps requests/s, perf CPU ${pe_cpu}s"
fi

per_req() { awk -v c="$1" -v r="$2" -v s="$3" 'BEGIN { if (r + 0 == 0) print "-"; else printf "%.1f", c * 1e6 / (r * s) }'; }
{
	echo "bench/run_flight.sh $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
	echo "nginx $(nginx -v 2>&1 | cut -d/ -f2), wrk -t1 -c16; FLIGHT_SECS=$flight_secs BASE_SECS=$base_secs FLIGHT_SIZE=$flight_size PERF_PAGES=$perf_pages"
	echo
	echo "| mode | run s | requests/s | vs none | recorder CPU s | CPU µs per request | peak RSS MiB | memory segments MiB |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
	rel() { awk -v a="$1" -v b="$none_rps" 'BEGIN { if (a == "-") print "-"; else printf "%+.1f%%", (a / b - 1) * 100 }'; }
	mib() { awk -v k="$1" -v d="$2" 'BEGIN { if (k == "-") print "-"; else printf "%.1f", k / d }'; }
	echo "| none | $base_secs | $none_rps | | | | | |"
	echo "| sysrec --flight-recorder $flight_size | $flight_secs | $fl_rps | $(rel "$fl_rps") | $fl_cpu | $(per_req "$fl_cpu" "$fl_rps" "$flight_secs") | $(mib "$fl_hwm" 1024) | $(mib "$fl_memfd" 1048576) |"
	echo "| sysrec -o FILE | $base_secs | $fi_rps | $(rel "$fi_rps") | $fi_cpu | $(per_req "$fi_cpu" "$fi_rps" "$base_secs") | $(mib "$fi_hwm" 1024) | (file: $(mib "$fi_sz" 1048576)) |"
	echo "| perf record --overwrite -a | $base_secs | $pe_rps | $(rel "$pe_rps") | $pe_cpu | $(per_req "$pe_cpu" "$pe_rps" "$base_secs") | $(mib "$pe_hwm" 1024) | |"
	echo
	echo "flight recorder: $fl_seen records in $flight_secs s ($(awk -v n="$fl_seen" -v s="$flight_secs" 'BEGIN { printf "%.0f", n / s }')/s);" \
		"a day at $(awk -v n="$fl_seen" 'BEGIN { printf "%.0f", n / 86400 }') records/s;" \
		"CPU per record $(awk -v c="$fl_cpu" -v n="$fl_seen" 'BEGIN { printf "%.0f", c * 1e9 / n }') ns; lost $fl_lost"
	echo "trigger under load: the window ($dump_recs records, $dump_span s) written in $dump_s s, $(mib "$dump_sz" 1048576) MiB"
} | tee "$res"
