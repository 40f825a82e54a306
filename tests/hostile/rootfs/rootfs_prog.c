// SPDX-License-Identifier: Apache-2.0
/*
 * The program of tests/hostile/rootfs, run inside its containers (and, built with its
 * functions renamed, the "host" binary a container's link points to):
 *   --wait FILE   wait until FILE exists (the test creates it once the recorder runs)
 *   --call N      call rootfs_target_fn N times (a uprobe's target)
 *   --spin MS     spin in rootfs_spin_fn for MS milliseconds (for --sample)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double _now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

__attribute__((noinline)) int rootfs_target_fn(int i)
{
	__asm__ volatile("" ::: "memory");
	return i * 3 + 1;
}

__attribute__((noinline)) unsigned long rootfs_spin_fn(double ms)
{
	double end = _now_ms() + ms;
	unsigned long n = 0;

	while (_now_ms() < end)
		n++;
	return n;
}

int main(int argc, char **argv)
{
	long sum = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);

		if (!strcmp(argv[i], "--wait")) {
			for (int t = 0; t < 60000 && access(argv[i + 1], F_OK); t += 10)
				usleep(10000);
		} else if (!strcmp(argv[i], "--call")) {
			for (long k = 0; k < v; k++)
				sum += rootfs_target_fn((int)k);
		} else if (!strcmp(argv[i], "--spin")) {
			sum += (long)rootfs_spin_fn((double)v);
		}
	}
	return sum == -1;
}
