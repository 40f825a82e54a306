// SPDX-License-Identifier: Apache-2.0
/*
 * The flight-recorder test's programs, one static binary under two names:
 *   incident FILE       the "incident": opens FILE, reads it, exits
 *   holder --hold FILE  a long-running process that opened FILE before the recording began
 *                       and writes "tick N" to it every 100 ms, N = 1, 2, ...
 *   incident --spin N   burns CPU in N calls of flight_spin_fn (~1 ms each; for samples)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned long flight_spin_fn(unsigned long x);

__attribute__((noinline)) unsigned long flight_spin_fn(unsigned long x)
{
	for (int i = 0; i < 1000000; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

int main(int argc, char **argv)
{
	char buf[64];
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--hold")) {
		fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			return 1;
		for (unsigned long n = 1;; n++) {
			dprintf(fd, "tick %lu\n", n);
			usleep(100000);
		}
	}
	if (argc == 3 && !strcmp(argv[1], "--spin")) {
		unsigned long x = 1, n = strtoul(argv[2], NULL, 10);
		static volatile unsigned long sink; /* the calls have a use: not optimised away */

		for (unsigned long i = 0; i < n; i++) /* no clock reads: only this function runs */
			x = flight_spin_fn(x);
		sink = x;
		return 0;
	}
	if (argc != 2)
		return 2;
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (read(fd, buf, sizeof(buf)) < 0)
		return 1;
	close(fd);
	usleep(50000);
	return 0;
}
