#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Cost of packet capture (docs/performance.md, "Packet capture (issue 7)"), side by side with
# tcpdump, in interleaved rounds (median of BENCH_ROUNDS, 5):
#
#   bench/udp_blast PORT N SIZE: N datagrams of SIZE bytes on loopback, timed inside; packets/s
#   of the sender with no capture, under
#     sysrec       sysrec record -e exit_group --packets lo --packet-filter 'udp port PORT'
#                  -- udp_blast ...   (syscalls filtered out in the kernel: packets are the cost)
#     sysrec-all   the same with every syscall recorded too (sysrec record --packets lo -- ...)
#     tcpdump      tcpdump -i lo -s 256 -w FILE 'udp port PORT'  (started first, then the run)
#   plus, for each, packets written and lost (sysrec: its summary line; tcpdump: its own count)
# Sizes: 64 and 1400 bytes.  Files go to /dev/shm.
# Usage: bench/run_packets.sh BUILD_DIR OUT_DIR    Environment: BENCH_ROUNDS, BENCH_PACKETS (1 M)
set -euo pipefail
build=$(cd "${1:?usage: run_packets.sh BUILD_DIR OUT_DIR}" && pwd)
out=${2:?usage: run_packets.sh BUILD_DIR OUT_DIR}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
sysrec=$build/replay/sysrec
blast=$build/bench/udp_blast
rounds=${BENCH_ROUNDS:-5}
n=${BENCH_PACKETS:-1000000}
port=18480
mkdir -p "$out"
tmp=$(mktemp -d /dev/shm/sysrec-packets.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
raw=$out/raw.tsv
printf 'round\tsize\ttool\tpps\twritten\tlost\n' >"$raw"
pps() { sed -n 's/.*pps=\([0-9]*\).*/\1/p' "$1"; }

for r in $(seq "$rounds"); do
	for size in 64 1400; do
		wait_quiet
		"$blast" $port "$n" "$size" >"$tmp/o"
		printf '%s\t%s\tnone\t%s\t\t\n' "$r" "$size" "$(pps "$tmp/o")" >>"$raw"

		for tool in sysrec sysrec-all; do
			opts=(--packets lo --packet-filter "udp port $port")
			[ $tool = sysrec ] && opts+=(-e exit_group)
			"$sysrec" record -o "$tmp/t.sysrec" "${opts[@]}" -- "$blast" $port "$n" "$size" \
				>"$tmp/o" 2>"$tmp/e"
			w=$(sed -n 's/.*sysrec: \([0-9]*\) packets from .*; \([0-9]*\) lost/\1/p' "$tmp/e")
			l=$(sed -n 's/.*sysrec: \([0-9]*\) packets from .*; \([0-9]*\) lost/\2/p' "$tmp/e")
			printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$size" $tool "$(pps "$tmp/o")" "$w" "$l" >>"$raw"
			rm -f "$tmp/t.sysrec"
		done

		tcpdump -i lo -s 256 -w "$tmp/t.pcap" "udp port $port" 2>"$tmp/td" &
		td=$!
		for _ in $(seq 100); do grep -q listening "$tmp/td" && break; sleep 0.05; done
		"$blast" $port "$n" "$size" >"$tmp/o"
		sleep 0.2
		kill -INT $td
		wait $td || true
		w=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$tmp/td")
		l=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$tmp/td")
		printf '%s\t%s\ttcpdump\t%s\t%s\t%s\n' "$r" "$size" "$(pps "$tmp/o")" "$w" "$l" >>"$raw"
		rm -f "$tmp/t.pcap"
	done
done

{
	printf 'size\ttool\tpps_median\twritten_median\tlost_median\n'
	for size in 64 1400; do
		for t in none sysrec sysrec-all tcpdump; do
			col() { awk -F'\t' -v s=$size -v t=$t -v c="$1" '$2 == s && $3 == t && $c != "" { print $c }' "$raw"; }
			printf '%s\t%s\t%s\t%s\t%s\n' $size $t "$(col 4 | median)" "$(col 5 | median)" "$(col 6 | median)"
		done
	done
} | tee "$out/summary.tsv"
