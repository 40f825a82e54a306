#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The trace-format benchmark of docs/performance.md, end to end: record the workloads from real
# programs (bench/workloads/record.sh; skipped when OUT_DIR already has them, unless
# --record), then run bench_format on each workload once the machine is quiet (1-minute load
# average below 0.7, see common.sh) and print the table.
#
# Usage: bench/run_format.sh [--record] [BUILD_DIR [OUT_DIR]] [-- bench_format options]
#   BUILD_DIR  a CMake build of this repository (default build/release)
#   OUT_DIR    workloads, logs and results (default /tmp/sysrec-bench); results go to
#              OUT_DIR/results.txt
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$here/common.sh"

record=0
if [ "${1:-}" = "--record" ]; then
	record=1
	shift
fi
build=${1:-$here/../build/release}
out=/tmp/sysrec-bench
[ $# -gt 0 ] && shift
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	out=$1
	shift
fi
[ "${1:-}" = "--" ] && shift
build=$(cd "$build" && pwd)
bench="$build/bench/bench_format"
[ -x "$bench" ] || { echo "run_format.sh: '$bench' missing: build first" >&2; exit 1; }

workloads=(nginx getppid build)
for w in "${workloads[@]}"; do
	[ -f "$out/$w.sysrec" ] || record=1
done
if [ "$record" = 1 ]; then
	"$here/workloads/record.sh" "$build" "$out"
fi

results="$out/results.txt"
{
	echo "# bench/run_format.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cpus, kernel $(uname -r)"
	dirty=$(git -C "$here/.." status --porcelain -- format bench 2>/dev/null | head -c 200)
	echo "# repository at $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?')," \
		"format/ and bench/ ${dirty:+NOT }clean${dirty:+: $dirty}"
	sed 's/^/# /' "$out/rates.txt"
} >"$results"
for w in "${workloads[@]}"; do
	wait_quiet 2>&1 | tee -a "$results"
	"$bench" "$@" "$out/$w.sysrec" | tee -a "$results"
done
echo "results in $results" >&2
