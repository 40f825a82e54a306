#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cost of a probe hit and of a sample (docs/performance.md, "Probes and samples (issue 6)"),
# side by side with bpftrace and perf, in interleaved rounds (median of BENCH_ROUNDS, 5):
#
#   tracepoint  bench/syscall_loop getppid N: ns per getppid with no tracer, with
#               sysrec record -e exit_group --probe tracepoint:syscalls:sys_enter_getppid
#               (syscalls filtered out in the kernel: the probe is what costs), with
#               bpftrace counting the same tracepoint, and perf record -e of it
#   uprobe      probe_target call N: ns per call with no tracer, with sysrec --probe
#               'uprobe:BIN:bench_probe_target $arg1' -e exit_group, and bpftrace counting it
#   sample      probe_target spin N: seconds of a fixed amount of work with no tracer, with
#               sysrec --sample cpu-clock:HZ and perf record -g -F HZ -e cpu-clock; cost per
#               sample = (traced - untraced) / samples written
#   program     the BPF program's own time per hit (kernel.bpf_stats_enabled: run_time_ns /
#               run_cnt, read with bpftool while the probe is attached), for what the copy
#               path does: a tracepoint's raw record alone (getppid), a raw record plus the
#               user string its filename field points to (openat), a uprobe with no
#               argument, one argument, and six; bpftrace's counting program for reference
# Each run's own timing is inside the workload (tracer start-up is not counted).
# Usage: bench/run_probes.sh BUILD_DIR OUT_DIR    Environment: BENCH_ROUNDS, SAMPLE_HZ (999)
set -euo pipefail
build=$(cd "${1:?usage: run_probes.sh BUILD_DIR OUT_DIR}" && pwd)
out=${2:?usage: run_probes.sh BUILD_DIR OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
sysrec=$build/replay/sysrec
loop=$build/bench/syscall_loop
target=$build/bench/probe_target
rounds=${BENCH_ROUNDS:-5}
hz=${SAMPLE_HZ:-999}
mkdir -p "$out"
tmp=$(mktemp -d /dev/shm/sysrec-probes.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -d /sys/kernel/tracing/events ] || mount -t tracefs nodev /sys/kernel/tracing
raw=$out/raw.tsv
printf 'round\tbench\ttool\tvalue\textra\n' >"$raw"

n_sys=2000000 n_call=2000000 n_spin=600000000
ns_per() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.1f", s * 1e9 / n }'; }
secs() { sed -n 's/.*seconds=\([0-9.]*\).*/\1/p' "$1" | head -1; }
loop_secs() { sed -n 's/.*mode=getppid .*seconds=\([0-9.]*\).*/\1/p' "$1" | head -1; }

# bpftrace needs a moment to attach: start it, wait until it has printed "Attaching".
bpftrace_run()
{
	local prog=$1 log=$2
	shift 2
	bpftrace -e "$prog" >"$log" 2>&1 &
	local bt=$!
	for _ in $(seq 100); do grep -q Attaching "$log" && break; sleep 0.1; done
	sleep 0.5
	"$@"
	bpftool prog show -j >"$log.progs" 2>/dev/null || true
	kill -INT "$bt"
	wait "$bt" || true
}

# ns per run of the programs whose name starts with $1, from a `bpftool prog show -j` dump
prog_ns()
{
	jq -r --arg n "$1" '[.[] | select(.name | startswith($n)) | select(.run_cnt != null)]
		| (map(.run_time_ns) | add) as $t | (map(.run_cnt) | add) as $c
		| if $c > 0 then "\($t / $c | . * 10 | floor / 10)\t\($c)" else "NA\t0" end' "$2"
}
# sysrec record with probe spec $2 around workload $3..., the program's cost into the raw table
prog_run()
{
	local r=$1 name=$2 spec=$3
	shift 3
	"$sysrec" record -o "$tmp/g.sysrec" -e exit_group --probe "$spec" -- sh -c \
		'"$@" >/dev/null && bpftool prog show -j >"$0"' "$tmp/progs.json" "$@" 2>"$tmp/e"
	IFS=$'\t' read -r ns cnt < <(prog_ns probe_ "$tmp/progs.json")
	printf '%s\tprogram\t%s\t%s\truns=%s\n' "$r" "$name" "$ns" "$cnt" >>"$raw"
}
# BPF run-time statistics cost two clock reads per program run (~160 ns here, on every
# attached program): on only for the program section, off for every timed run.
stats_was=$(sysctl -n kernel.bpf_stats_enabled)
trap 'sysctl -q kernel.bpf_stats_enabled="$stats_was"; rm -rf "$tmp"' EXIT

for r in $(seq "$rounds"); do
	wait_quiet
	sysctl -q kernel.bpf_stats_enabled=1
	prog_run "$r" tp-raw tracepoint:syscalls:sys_enter_getppid "$loop" -n 500000 getppid
	prog_run "$r" tp-raw+string tracepoint:syscalls:sys_enter_openat "$loop" -n 200000 openclose
	prog_run "$r" uprobe-0args "uprobe:$target:bench_probe_target" "$target" call 200000
	prog_run "$r" uprobe-1arg "uprobe:$target:bench_probe_target \$arg1" "$target" call 200000
	prog_run "$r" uprobe-6args "uprobe:$target:bench_probe_target \$arg1 \$arg2 \$arg3 \$arg4 \$arg5 \$arg6" \
		"$target" call 200000
	bpftrace_run 'tracepoint:syscalls:sys_enter_getppid { @c = count(); }' "$tmp/bt" \
		"$loop" -n 500000 getppid >/dev/null
	IFS=$'\t' read -r ns cnt < <(prog_ns sys_enter_getpp "$tmp/bt.progs")
	printf '%s\tprogram\tbpftrace-tp-count\t%s\truns=%s\n' "$r" "$ns" "$cnt" >>"$raw"
	sysctl -q kernel.bpf_stats_enabled=0

	wait_quiet
	"$loop" -n $n_sys getppid >"$tmp/o"
	printf '%s\ttracepoint\tnone\t%s\t\n' "$r" "$(ns_per "$(loop_secs "$tmp/o")" $n_sys)" >>"$raw"
	"$sysrec" record -o "$tmp/t.sysrec" -e exit_group --probe tracepoint:syscalls:sys_enter_getppid \
		-- "$loop" -n $n_sys getppid >"$tmp/o" 2>"$tmp/e"
	hits=$("$sysrec" replay -q --count "$tmp/t.sysrec" evt.type=probe)
	printf '%s\ttracepoint\tsysrec\t%s\thits=%s\n' "$r" "$(ns_per "$(loop_secs "$tmp/o")" $n_sys)" "$hits" >>"$raw"
	bpftrace_run 'tracepoint:syscalls:sys_enter_getppid { @c = count(); }' "$tmp/bt" \
		"$loop" -n $n_sys getppid >"$tmp/o"
	printf '%s\ttracepoint\tbpftrace\t%s\t\n' "$r" "$(ns_per "$(loop_secs "$tmp/o")" $n_sys)" >>"$raw"
	perf record -q -e syscalls:sys_enter_getppid -o "$tmp/p.data" -- "$loop" -n $n_sys getppid \
		>"$tmp/o" 2>/dev/null
	printf '%s\ttracepoint\tperf\t%s\t\n' "$r" "$(ns_per "$(loop_secs "$tmp/o")" $n_sys)" >>"$raw"

	wait_quiet
	"$target" call $n_call >"$tmp/o"
	printf '%s\tuprobe\tnone\t%s\t\n' "$r" "$(ns_per "$(secs "$tmp/o")" $n_call)" >>"$raw"
	"$sysrec" record -o "$tmp/u.sysrec" -e exit_group --probe "uprobe:$target:bench_probe_target \$arg1" \
		-- "$target" call $n_call >"$tmp/o" 2>"$tmp/e"
	hits=$("$sysrec" replay -q --count "$tmp/u.sysrec" evt.type=probe)
	printf '%s\tuprobe\tsysrec\t%s\thits=%s\n' "$r" "$(ns_per "$(secs "$tmp/o")" $n_call)" "$hits" >>"$raw"
	bpftrace_run "uprobe:$target:bench_probe_target { @c = count(); }" "$tmp/bt" \
		"$target" call $n_call >"$tmp/o"
	printf '%s\tuprobe\tbpftrace\t%s\t\n' "$r" "$(ns_per "$(secs "$tmp/o")" $n_call)" >>"$raw"

	wait_quiet
	"$target" spin $n_spin >"$tmp/o"
	base=$(secs "$tmp/o")
	printf '%s\tsample\tnone\t%s\t\n' "$r" "$base" >>"$raw"
	"$sysrec" record -o "$tmp/s.sysrec" -e exit_group --sample "cpu-clock:$hz" -- "$target" spin $n_spin \
		>"$tmp/o" 2>"$tmp/e"
	n=$("$sysrec" replay -q --count "$tmp/s.sysrec" evt.type=sample)
	printf '%s\tsample\tsysrec\t%s\tsamples=%s\n' "$r" "$(secs "$tmp/o")" "$n" >>"$raw"
	perf record -q -g -F "$hz" -e cpu-clock -o "$tmp/p.data" -- "$target" spin $n_spin >"$tmp/o" 2>/dev/null
	n=$(perf script -i "$tmp/p.data" -F period 2>/dev/null | grep -c . || true)
	printf '%s\tsample\tperf\t%s\tsamples=%s\n' "$r" "$(secs "$tmp/o")" "$n" >>"$raw"
	rm -f "$tmp"/*.sysrec "$tmp/p.data"
done

# Medians; per-sample cost from the median times and sample counts.
{
	printf 'bench\ttool\tmedian\tunit\tnote\n'
	for b in tracepoint uprobe sample program; do
		for t in none sysrec bpftrace perf tp-raw tp-raw+string uprobe-0args uprobe-1arg \
			uprobe-6args bpftrace-tp-count; do
			rows=$(awk -F'\t' -v b=$b -v t=$t '$2 == b && $3 == t { print $4 }' "$raw")
			[ -n "$rows" ] || continue
			v=$(median <<<"$rows")
			note=$(awk -F'\t' -v b=$b -v t=$t '$2 == b && $3 == t && $5 != "" { print $5 }' "$raw" | tail -1)
			unit=$(case $b in sample) echo s ;; program) echo ns/run ;; *) echo ns/call ;; esac)
			printf '%s\t%s\t%s\t%s\t%s\n' "$b" "$t" "$v" "$unit" "$note"
		done
	done
} | tee "$out/summary.tsv"
