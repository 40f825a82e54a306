// SPDX-License-Identifier: Apache-2.0
/*
 * An ia32 program (built with gcc -m32 -static): the calls whose x86_64 numbers mean other
 * syscalls (openat is 295 here, preadv there), the ia32-only ones (stat64, _llseek, fcntl64)
 * and socketcall(2), the way older libcs reach the socket operations.
 * Usage: ia32 PORT    (a TCP port on 127.0.0.1 that is listening)
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SC_SOCKET 1
#define SC_CONNECT 3

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long sc_args[3];
	char buf[64];
	uint64_t pos = 0;
	char st[128]; /* struct stat64 (96 bytes) */
	int fd, dup_fd, s;

	if (argc < 2)
		return 2;
	fd = (int)syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
	if (read(fd, buf, sizeof(buf)) < 0)
		return 1;
	syscall(SYS__llseek, fd, 0UL, 0UL, &pos, SEEK_SET);
	dup_fd = (int)syscall(SYS_fcntl64, fd, F_DUPFD, 10);
	if (read(dup_fd, buf, 4) < 0)
		return 1;
	syscall(SYS_stat64, "/etc/passwd", st);
	syscall(SYS_getpid);
	close(dup_fd);
	close(fd);
	/* socketcall(SYS_SOCKET), socketcall(SYS_CONNECT) */
	sc_args[0] = AF_INET, sc_args[1] = SOCK_STREAM, sc_args[2] = 0;
	s = (int)syscall(SYS_socketcall, SC_SOCKET, sc_args);
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(0x7f000001);
	sc_args[0] = (unsigned long)s, sc_args[1] = (unsigned long)&sa, sc_args[2] = sizeof(sa);
	syscall(SYS_socketcall, SC_CONNECT, sc_args);
	if (write(s, "ia32-hello", 10) != 10)
		return 1;
	close(s);
	return 0;
}
