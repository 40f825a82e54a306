// SPDX-License-Identifier: Apache-2.0
/*
 * The flight-recorder test's programs, one static binary under two names:
 *   incident FILE       the "incident": opens FILE, reads it, exits
 *   holder --hold FILE  a long-running process that opened FILE before the recording began
 *                       and writes "tick N" to it every 100 ms, N = 1, 2, ...
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
