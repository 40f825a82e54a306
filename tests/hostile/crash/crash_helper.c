// SPDX-License-Identifier: Apache-2.0
/*
 * The crash test's two helpers, in one small program:
 *   crash_helper load        a process that makes ~40 000 syscalls a second until killed
 *                            (getppid, and an openat/read/close of /etc/hostname)
 *   crash_helper kill PID US sleep US microseconds, send SIGKILL to PID, and print the
 *                            CLOCK_MONOTONIC time of the kill in ns (the trace's clock)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

static int load(void)
{
	struct timespec pause = { 0, 1000000 };
	char buf[64];

	for (;;) {
		for (int i = 0; i < 10; i++) {
			int fd = open("/etc/hostname", O_RDONLY);

			getppid();
			if (fd >= 0) {
				if (read(fd, buf, sizeof(buf)) < 0)
					return 1;
				close(fd);
			}
		}
		nanosleep(&pause, NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "load"))
		return load();
	if (argc == 4 && !strcmp(argv[1], "kill")) {
		long us = strtol(argv[3], NULL, 10);
		struct timespec d = { us / 1000000, (us % 1000000) * 1000 };
		unsigned long long t;

		nanosleep(&d, NULL);
		t = mono_ns();
		if (kill((pid_t)strtol(argv[2], NULL, 10), SIGKILL))
			return 1;
		printf("%llu\n", t);
		return 0;
	}
	fprintf(stderr, "usage: crash_helper load | kill PID MICROSECONDS\n");
	return 2;
}
