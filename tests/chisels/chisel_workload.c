// SPDX-License-Identifier: Apache-2.0
/*
 * The program the chisel tests record.  What it does is fixed by this code, so the numbers a
 * chisel prints about it are known before it runs (and strace, run on a second copy, checks
 * the syscalls of the main process).  Nothing goes to stdout.
 *
 *   main DIR   in this order, with DIR an existing empty directory:
 *              - write "marker-7f3a" (11 bytes, one write) to DIR/marker.txt
 *              - write DIR/big.dat: exactly 10 MiB in 160 writes of 64 KiB, then read it
 *                back in 160 reads of 64 KiB (20 MiB of file I/O on one file)
 *              - open DIR/missing.txt 7 times (ENOENT) and DIR itself O_WRONLY 3 times
 *                (EISDIR)
 *              - sleep 100 ms (one clock_nanosleep)
 *              - a TCP exchange on 127.0.0.1 between two children: the server (it listens,
 *                tells the port through a pipe, accepts, reads exactly 1 MiB, replies with
 *                exactly 64 KiB) and the client (it connects, sends 1 MiB in writes of
 *                64 KiB, reads the 64 KiB reply)
 *              - a child that burns ~0.6 s of CPU in a loop, then writes its own
 *                CLOCK_PROCESS_CPUTIME_ID (ns, decimal) to DIR/spin.cpu: the oracle for
 *                the CPU chisels
 *              - children that exit with 0, with 3, and one that kills itself with SIGKILL
 *              - a child that runs `/bin/echo hello-chisel` with its stdout on DIR/echo.out
 *              - write the pids, one "ROLE PID" a line (main server client spin exit0 exit3
 *                kill9 echo), to DIR/pids in one write
 *              Exit 0, or a status from 10 up naming the step that went wrong.
 *   ctr DIR    for a container: the same TCP exchange with 512 KiB and 32 KiB, 3 MiB
 *              written to DIR/ctr.dat in 48 writes of 64 KiB, ~0.8 s of CPU; then it prints
 *              its own CPU time (ns) on stdout.
 *
 * The main process makes the same syscalls every run (its I/O sizes are fixed and the
 * network I/O is in the children, where partial reads may vary), so its per-syscall counts
 * can be compared with strace's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536
#define BIG_CHUNKS 160 /* 10 MiB */

static char buf[CHUNK];
static volatile uint64_t sink; /* what the CPU burner computes, so that it is not optimised away */

/* Write all of @len bytes (a socket may take less per call). */
static int _write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read exactly @len bytes. */
static int _read_all(int fd, size_t len)
{
	while (len) {
		ssize_t n = read(fd, buf, len < sizeof(buf) ? len : sizeof(buf));

		if (n <= 0)
			return -1;
		len -= (size_t)n;
	}
	return 0;
}

static uint64_t _cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Burn @ns of this process's CPU time; @return the CPU time used so far. */
static uint64_t _spin(uint64_t ns)
{
	uint64_t t;

	while ((t = _cpu_ns()) < ns)
		for (int i = 0; i < 2000000; i++)
			sink += (uint64_t)i * 7;
	return t;
}

/* The server: listen on 127.0.0.1 (the port goes to @port_fd as text), accept one
 * connection, read @in bytes, reply with @out bytes. */
static int _server(int port_fd, size_t in, size_t out)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	char txt[16];
	int l, s, n;

	l = socket(AF_INET, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen))
		return 1;
	n = snprintf(txt, sizeof(txt), "%u", ntohs(a.sin_port));
	if (write(port_fd, txt, (size_t)n) != n)
		return 1;
	s = accept(l, NULL, NULL);
	if (s < 0 || _read_all(s, in) || _write_all(s, buf, out))
		return 1;
	close(s);
	close(l);
	return 0;
}

static int _client(unsigned int port, size_t out, size_t in)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int c = socket(AF_INET, SOCK_STREAM, 0);

	if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)))
		return 1;
	for (size_t sent = 0; sent < out; sent += CHUNK)
		if (_write_all(c, buf, out - sent < CHUNK ? out - sent : CHUNK))
			return 1;
	if (_read_all(c, in))
		return 1;
	close(c);
	return 0;
}

/* fork(); the child runs @fn(@a, @b, @c) and exits with its result. */
static pid_t _child(int (*fn)(long, long, long), long a, long b, long c)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(a, b, c));
	return pid;
}

static int _server_fn(long fd, long in, long out)
{
	return _server((int)fd, (size_t)in, (size_t)out);
}

static int _client_fn(long port, long out, long in)
{
	return _client((unsigned int)port, (size_t)out, (size_t)in);
}

/* The TCP exchange between two children; @return 0 and their pids. */
static int _exchange(size_t up, size_t down, pid_t *server, pid_t *client)
{
	char txt[16] = "";
	int p[2], st;
	ssize_t n;

	if (pipe(p))
		return -1;
	*server = _child(_server_fn, p[1], (long)up, (long)down);
	if (*server < 0)
		return -1;
	close(p[1]);
	n = read(p[0], txt, sizeof(txt) - 1);
	close(p[0]);
	if (n <= 0)
		return -1;
	*client = _child(_client_fn, atol(txt), (long)up, (long)down);
	if (*client < 0 || waitpid(*client, &st, 0) != *client || !WIFEXITED(st) ||
	    WEXITSTATUS(st) || waitpid(*server, &st, 0) != *server || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		return -1;
	return 0;
}

static char dir_path[4000];

static int _spin_fn(long ns, long unused1, long unused2)
{
	char path[4100], txt[32];
	uint64_t t = _spin((uint64_t)ns);
	int fd, n;

	(void)unused1, (void)unused2;
	snprintf(path, sizeof(path), "%s/spin.cpu", dir_path);
	n = snprintf(txt, sizeof(txt), "%llu\n", (unsigned long long)t);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	return fd < 0 || write(fd, txt, (size_t)n) != n || close(fd) ? 1 : 0;
}

static int _exit_fn(long code, long unused1, long unused2)
{
	(void)unused1, (void)unused2;
	if (code < 0)
		kill(getpid(), SIGKILL);
	return (int)code;
}

static int _echo_fn(long unused0, long unused1, long unused2)
{
	char path[4100];
	int fd;

	(void)unused0, (void)unused1, (void)unused2;
	snprintf(path, sizeof(path), "%s/echo.out", dir_path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || dup2(fd, 1) != 1)
		return 1;
	execl("/bin/echo", "echo", "hello-chisel", (char *)NULL);
	return 127;
}

/* Run a child and check how it ended: @want_code, or @want_sig when that is non-zero. */
static pid_t _run(int (*fn)(long, long, long), long a, int want_code, int want_sig)
{
	pid_t pid = _child(fn, a, 0, 0);
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (want_sig ? !WIFSIGNALED(st) || WTERMSIG(st) != want_sig
		     : !WIFEXITED(st) || WEXITSTATUS(st) != want_code)
		return -1;
	return pid;
}

static int _file(const char *name, int flags)
{
	char path[4100];

	snprintf(path, sizeof(path), "%s/%s", dir_path, name);
	return open(path, flags, 0644);
}

static int _main(void)
{
	struct timespec pause = { .tv_nsec = 100000000 };
	pid_t server, client, spin, e0, e3, k9, echo;
	char pids[512];
	int fd, n;

	fd = _file("marker.txt", O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0 || write(fd, "marker-7f3a", 11) != 11 || close(fd))
		return 10;

	memset(buf, 'C', sizeof(buf));
	fd = _file("big.dat", O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return 11;
	for (int i = 0; i < BIG_CHUNKS; i++)
		if (write(fd, buf, CHUNK) != CHUNK)
			return 11;
	if (close(fd))
		return 11;
	fd = _file("big.dat", O_RDONLY);
	if (fd < 0)
		return 12;
	for (int i = 0; i < BIG_CHUNKS; i++)
		if (read(fd, buf, CHUNK) != CHUNK)
			return 12;
	if (close(fd))
		return 12;

	for (int i = 0; i < 7; i++)
		if (_file("missing.txt", O_RDONLY) != -1 || errno != ENOENT)
			return 13;
	for (int i = 0; i < 3; i++)
		if (open(dir_path, O_WRONLY) != -1 || errno != EISDIR)
			return 14;

	if (nanosleep(&pause, NULL))
		return 15;

	if (_exchange(1 << 20, 1 << 16, &server, &client))
		return 16;

	spin = _run(_spin_fn, 600000000L, 0, 0);
	if (spin < 0)
		return 17;
	e0 = _run(_exit_fn, 0, 0, 0);
	e3 = _run(_exit_fn, 3, 3, 0);
	k9 = _run(_exit_fn, -1, 0, SIGKILL);
	if (e0 < 0 || e3 < 0 || k9 < 0)
		return 18;
	echo = _run(_echo_fn, 0, 0, 0);
	if (echo < 0)
		return 19;

	n = snprintf(pids, sizeof(pids),
		     "main %d\nserver %d\nclient %d\nspin %d\nexit0 %d\nexit3 %d\nkill9 %d\necho %d\n",
		     (int)getpid(), (int)server, (int)client, (int)spin, (int)e0, (int)e3, (int)k9,
		     (int)echo);
	fd = _file("pids", O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0 || write(fd, pids, (size_t)n) != n || close(fd))
		return 20;
	return 0;
}

static int _ctr(void)
{
	pid_t server, client;
	int fd;

	memset(buf, 'K', sizeof(buf));
	if (_exchange(1 << 19, 1 << 15, &server, &client))
		return 16;
	fd = _file("ctr.dat", O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0)
		return 11;
	for (int i = 0; i < 48; i++)
		if (write(fd, buf, CHUNK) != CHUNK)
			return 11;
	if (close(fd))
		return 11;
	printf("%llu\n", (unsigned long long)_spin(800000000ull));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strlen(argv[2]) < sizeof(dir_path)) {
		snprintf(dir_path, sizeof(dir_path), "%s", argv[2]);
		if (!strcmp(argv[1], "main"))
			return _main();
		if (!strcmp(argv[1], "ctr"))
			return _ctr();
	}
	fprintf(stderr, "usage: chisel_workload main|ctr DIR\n");
	return 2;
}
