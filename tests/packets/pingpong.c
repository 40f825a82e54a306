// SPDX-License-Identifier: Apache-2.0
/*
 * The packet tests' traffic: one TCP exchange on 127.0.0.1:PORT (a client sends MESSAGE, the
 * server answers "pong:" MESSAGE), or a UDP flood (N datagrams of SIZE bytes).  Static, so
 * that it runs in a container's rootfs too.
 *   pingpong tcp PORT MESSAGE
 *   pingpong udp PORT N SIZE
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_in _addr(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static int _tcp(int port, const char *msg)
{
	struct sockaddr_in a = _addr(port);
	int one = 1, ls = socket(AF_INET, SOCK_STREAM, 0), c, s;
	char buf[512];
	ssize_t n;
	pid_t pid;

	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1)) {
		perror("pingpong: server");
		return 1;
	}
	pid = fork();
	if (pid == 0) { /* the server: one connection, one answer */
		s = accept(ls, NULL, NULL);
		n = s >= 0 ? read(s, buf, sizeof(buf) - 5) : -1;
		if (n > 0) {
			memmove(buf + 5, buf, (size_t)n);
			memcpy(buf, "pong:", 5);
			if (write(s, buf, (size_t)n + 5) < 0)
				_exit(1);
		}
		_exit(n > 0 ? 0 : 1);
	}
	close(ls);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) ||
	    write(c, msg, strlen(msg)) != (ssize_t)strlen(msg)) {
		perror("pingpong: client");
		return 1;
	}
	n = read(c, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("%s\n", buf);
	close(c);
	waitpid(pid, NULL, 0);
	return n > 0 ? 0 : 1;
}

static int _udp(int port, long cnt, size_t size)
{
	struct sockaddr_in a = _addr(port);
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	char *buf = calloc(1, size);
	long sent = 0;

	if (s < 0 || !buf)
		return 1;
	for (long i = 0; i < cnt; i++)
		if (sendto(s, buf, size, 0, (struct sockaddr *)&a, sizeof(a)) == (ssize_t)size)
			sent++;
	printf("sent=%ld\n", sent);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "tcp"))
		return _tcp(atoi(argv[2]), argv[3]);
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return _udp(atoi(argv[2]), atol(argv[3]), (size_t)atol(argv[4]));
	fprintf(stderr, "usage: pingpong tcp PORT MESSAGE | udp PORT N SIZE\n");
	return 2;
}
