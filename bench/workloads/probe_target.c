// SPDX-License-Identifier: Apache-2.0
/*
 * Workloads of bench/run_probes.sh, each timed inside the program (CLOCK_MONOTONIC) so that
 * tracer start-up is not counted:
 *   call N     N calls of a non-inlined function (bench_probe_target), for uprobes
 *   spin N     N rounds of integer arithmetic with frame pointers, for samples
 * Prints: seconds=S count=N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((noinline)) unsigned long bench_probe_target(unsigned long x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 3 + 1;
}

__attribute__((noinline)) unsigned long bench_spin(unsigned long x, long n)
{
	for (long i = 0; i < n; i++) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		__asm__ volatile("" : "+r"(x));
	}
	return x;
}

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 1000000;
	unsigned long x = 1;
	double t0;

	if (argc < 2 || (strcmp(argv[1], "call") && strcmp(argv[1], "spin"))) {
		fprintf(stderr, "usage: probe_target call|spin N\n");
		return 2;
	}
	t0 = _now();
	if (!strcmp(argv[1], "call"))
		for (long i = 0; i < n; i++)
			x = bench_probe_target(x);
	else
		x = bench_spin(x, n);
	printf("seconds=%.6f count=%ld sink=%lu\n", _now() - t0, n, x & 1);
	return 0;
}
