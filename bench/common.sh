# SPDX-License-Identifier: Apache-2.0
# Shell helpers shared by bench/run_format.sh and bench/workloads/record.sh (sourced, not run).

# wait_quiet: before a timed run, wait until the 1-minute load average is below
# $BENCH_MAX_LOAD (default 0.7), polling every 10 s for up to $BENCH_WAIT_S seconds (default
# 600); then go on anyway.  Prints the load it measured at.
wait_quiet()
{
	max=${BENCH_MAX_LOAD:-0.7}
	limit=${BENCH_WAIT_S:-600}
	waited=0
	while :; do
		load=$(cut -d' ' -f1 /proc/loadavg)
		if awk -v l="$load" -v m="$max" 'BEGIN { exit !(l < m) }'; then
			break
		fi
		if [ "$waited" -ge "$limit" ]; then
			echo "bench: load average still $load after ${waited}s; measuring anyway" >&2
			break
		fi
		sleep 10
		waited=$((waited + 10))
	done
	echo "bench: load average $load (waited ${waited}s)" >&2
}

# median of the numbers on stdin, one per line
median()
{
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
