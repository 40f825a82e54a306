// SPDX-License-Identifier: Apache-2.0
/*
 * The program the replay tests record.  Every mode makes a known set of syscalls, so that the
 * tests know what the replayed state and the filters must find (strace, run on the same
 * process, is the second oracle).
 *
 *   main DIR    chdir(DIR); openat("sub/../rel.txt") (relative: resolved against the cwd);
 *               dup2() it to fd 7 and write 1150 bytes through fd 7 in 5 writes of 12, 100,
 *               1000, 35 and 3 bytes, each starting with "RWMARK\n\t\0\1\377x" (cut to
 *               its size); 3 openat() of missing files (ENOENT) and 1 of a file as a
 *               directory (ENOTDIR); pipe2() and a write and a read through it; create
 *               "caf\u00e9.txt" (a UTF-8 name); a TCP exchange on 127.0.0.1 (prints "port N");
 *               then a child that runs `sh -c 'cat /etc/hostname >/dev/null; exit 0'` (cat is
 *               a grandchild: its parent is sh, its grandparent this program)
 *   hold FILE   open FILE (append) as fd 9, a pipe, a listening and a connected TCP socket on
 *               127.0.0.1; print "port N" (the listener's port), then every 20 ms write
 *               "tick\n" to fd 9, one byte through the connection (client to server) and one
 *               through the pipe, until killed
 *   ticks N     N rounds of getppid() + a 5 ms sleep (something to record twice at once)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2 */
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The sizes of the writes through fd 7 (the tests know them, and their sum: 1150). */
static const size_t write_sizes[] = { 12, 100, 1000, 35, 3 };

static void _sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A listening socket on 127.0.0.1 (port chosen by the kernel), a client connected to it, and
 * the accepted end; @return the port, or 0. */
static unsigned int _tcp(int *l, int *c, int *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);

	*l = socket(AF_INET, SOCK_STREAM, 0);
	if (*l < 0 || bind(*l, (struct sockaddr *)&a, sizeof(a)) || listen(*l, 4) ||
	    getsockname(*l, (struct sockaddr *)&a, &alen))
		return 0;
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)))
		return 0;
	*s = accept(*l, NULL, NULL);
	if (*s < 0)
		return 0;
	return ntohs(a.sin_port);
}

static int _main(const char *dir)
{
	static const char first[12] = "RWMARK\n\t\0\1\377x";
	char buf[1000], rd[64];
	int fd, p[2], l, c, s, st;
	unsigned int port;
	pid_t kid;

	memset(buf, 'a', sizeof(buf));
	memcpy(buf, first, sizeof(first));
	if (chdir(dir) || mkdir("sub", 0700))
		return 10;
	fd = openat(AT_FDCWD, "sub/../rel.txt", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0 || dup2(fd, 7) != 7 || close(fd))
		return 11;
	for (size_t i = 0; i < sizeof(write_sizes) / sizeof(write_sizes[0]); i++)
		if (write(7, buf, write_sizes[i]) != (ssize_t)write_sizes[i])
			return 12;
	close(7);
	for (int i = 0; i < 3; i++) {
		char name[32];

		snprintf(name, sizeof(name), "missing-%d.txt", i);
		if (openat(AT_FDCWD, name, O_RDONLY) != -1 || errno != ENOENT)
			return 13;
	}
	if (openat(AT_FDCWD, "rel.txt", O_RDONLY | O_DIRECTORY) != -1 || errno != ENOTDIR)
		return 14;
	if (pipe2(p, O_CLOEXEC) || write(p[1], "through-pipe", 12) != 12 ||
	    read(p[0], rd, sizeof(rd)) != 12)
		return 15;
	close(p[0]);
	close(p[1]);
	fd = openat(AT_FDCWD, "caf\xc3\xa9.txt", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 || close(fd))
		return 18;
	port = _tcp(&l, &c, &s);
	if (!port || write(c, "GET /replay", 11) != 11 || read(s, rd, sizeof(rd)) != 11)
		return 16;
	close(s);
	close(c);
	close(l);
	printf("port %u\n", port);
	fflush(stdout);
	kid = fork();
	if (kid == 0) {
		execl("/bin/sh", "sh", "-c", "cat /etc/hostname >/dev/null; exit 0", (char *)NULL);
		_exit(127);
	}
	if (kid < 0 || waitpid(kid, &st, 0) != kid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 17;
	return 0;
}

static int _hold(const char *file)
{
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0600), p[2], l, c, s;
	unsigned int port;

	if (fd < 0 || dup2(fd, 9) != 9 || close(fd) || pipe(p))
		return 1;
	port = _tcp(&l, &c, &s);
	if (!port)
		return 1;
	printf("port %u\n", port);
	fflush(stdout);
	for (;;) {
		char b;

		if (write(9, "tick\n", 5) != 5 || write(c, "t", 1) != 1 || read(s, &b, 1) != 1 ||
		    write(p[1], "p", 1) != 1 || read(p[0], &b, 1) != 1)
			return 1;
		_sleep_ms(20);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "main"))
		return _main(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return _hold(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "ticks")) {
		long n = atol(argv[2]);

		for (long i = 0; i < n; i++) {
			syscall(SYS_getppid);
			_sleep_ms(5);
		}
		return 0;
	}
	fprintf(stderr, "usage: replay_workload main DIR | hold FILE | ticks N\n");
	return 2;
}
