// SPDX-License-Identifier: Apache-2.0
/* A CPU-bound program with known hot functions, for the sampling tests: built statically
 * into a container's rootfs only, so replay must name its functions from the trace alone. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

__attribute__((noinline)) unsigned long container_only_hot_fn(unsigned long x)
{
	for (int i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		__asm__ volatile("" : "+r"(x)); /* no closed form: the loop runs */
	}
	return x;
}

__attribute__((noinline)) unsigned long container_only_caller(unsigned long x)
{
	return container_only_hot_fn(x) ^ container_only_hot_fn(x + 1);
}

#ifdef OTHER_BUILD
/* another binary at the same path, for the --symfs build-id check: its code differs */
__attribute__((used)) static const char other_build[] = "another build of hot";
#endif

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3.0;
	struct timespec a, b;
	unsigned long x = 1;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		x = container_only_caller(x);
		clock_gettime(CLOCK_MONOTONIC, &b);
	} while ((double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9 < secs);
	printf("%lu\n", x & 1); /* the result is used: nothing is optimized away */
	return 0;
}
