// SPDX-License-Identifier: Apache-2.0
/*
 * The getppid workload: N calls of getppid(2) in a tight loop (a cheap syscall with no
 * arguments, the floor of a capture's per-call cost).  Prints the calls per second it reached,
 * which bench/workloads/record.sh uses to rescale the strace'd run to the untraced speed.
 * Usage: bench_getppid_loop [N]   (default 10000000)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long long n = 10000000ull;
	struct timespec t0, t1;
	char *end;

	if (argc > 1) {
		errno = 0;
		n = strtoull(argv[1], &end, 10);
		if (errno || *end || !n) {
			fprintf(stderr, "bench_getppid_loop: '%s': not a positive count\n", argv[1]);
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long long i = 0; i < n; i++)
		syscall(SYS_getppid); /* not getppid(): no libc caching can skip the call */
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("%llu calls in %.6f s: %.0f calls/s\n", n, s, (double)n / s);
	return 0;
}
