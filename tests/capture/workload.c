// SPDX-License-Identifier: Apache-2.0
/*
 * The program the capture tests record: each mode makes a known set of syscalls whose
 * arguments and results the tests then look for in the trace (and in strace's output).
 *
 *   files DIR       create, write, read back, fail to open, unlink files under DIR
 *   net             a TCP exchange with itself on 127.0.0.1
 *   lifecycle       fork a child that exits 7, fork one that execs `sh -c 'exit 3'`; exit 5
 *   writes N SZ     N writes of SZ incompressible bytes to /dev/null
 *   loop N          N getppid calls
 *   hold FILE       open FILE, a listening and a connected TCP socket on 127.0.0.1 and a
 *                   pipe, print "port N" (the listening port), then wait to be killed
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MSG "hello sysrec\n"

static int files(const char *dir)
{
	char path[512], missing[512], buf[64];
	int fd;

	snprintf(path, sizeof(path), "%s/capture-marker.txt", dir);
	snprintf(missing, sizeof(missing), "%s/capture-missing.txt", dir);
	fd = openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, 0640);
	if (fd < 0 || write(fd, MSG, strlen(MSG)) != (ssize_t)strlen(MSG) || close(fd))
		return 1;
	fd = openat(AT_FDCWD, path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf)) != (ssize_t)strlen(MSG) || close(fd))
		return 1;
	if (openat(AT_FDCWD, missing, O_RDONLY) != -1 || errno != ENOENT)
		return 1;
	return unlink(path) ? 1 : 0;
}

static int net(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	char buf[16];
	int l, c, s;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		return 1;
	printf("port %u\n", ntohs(a.sin_port));
	fflush(stdout);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	s = accept(l, NULL, NULL);
	if (s < 0 || write(c, "ping", 4) != 4 || read(s, buf, sizeof(buf)) != 4 ||
	    sendto(s, "pong", 4, 0, NULL, 0) != 4 || recvfrom(c, buf, sizeof(buf), 0, NULL, NULL) != 4)
		return 1;
	close(s);
	close(c);
	close(l);
	return 0;
}

static int lifecycle(void)
{
	pid_t a = fork(), b;
	int st;

	if (a == 0)
		_exit(7);
	b = fork();
	if (b == 0) {
		execl("/bin/sh", "sh", "-c", "exit 3", (char *)NULL);
		_exit(127);
	}
	if (waitpid(a, &st, 0) != a || WEXITSTATUS(st) != 7 || waitpid(b, &st, 0) != b ||
	    WEXITSTATUS(st) != 3)
		return 1;
	return 5;
}

static int hold(const char *file)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int p[2], l, c, s;

	if (open(file, O_RDONLY) < 0 || pipe(p))
		return 1;
	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		return 1;
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	s = accept(l, NULL, NULL);
	if (s < 0)
		return 1;
	printf("port %u\n", ntohs(a.sin_port));
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "files"))
		return files(argv[2]);
	if (argc >= 2 && !strcmp(argv[1], "net"))
		return net();
	if (argc >= 2 && !strcmp(argv[1], "lifecycle"))
		return lifecycle();
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return hold(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "writes")) {
		long n = atol(argv[2]), sz = atol(argv[3]);
		unsigned char *buf = malloc(sz);
		uint64_t x = 88172645463325252ull;
		int fd = open("/dev/null", O_WRONLY);

		/* Incompressible bytes, so that a trace of them fills a disk. */
		for (long i = 0; buf && i < sz; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (unsigned char)x;
		}

		for (long i = 0; i < n; i++)
			if (write(fd, buf, sz) != sz)
				return 1;
		free(buf);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "loop")) {
		long n = atol(argv[2]);

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	fprintf(stderr, "usage: workload files DIR | net | lifecycle | writes N SZ | loop N | hold FILE\n");
	return 2;
}
