// SPDX-License-Identifier: Apache-2.0
/*
 * A 64-bit program that makes ia32 syscalls with int 0x80 (built -no-pie: its strings must
 * have 32-bit addresses): openat (ia32 295, which is preadv in x86_64 numbers), read,
 * close, getpid (ia32 20, x86_64 writev).
 */
#include <fcntl.h>
#include <stdio.h>

static long int80(long nr, long a, long b, long c, long d)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
	return ret;
}

static char buf[64];

int main(void)
{
	static const char path[] = "/etc/hostname";
	long fd = int80(295, AT_FDCWD, (long)path, O_RDONLY, 0);  /* openat */

	int80(3, fd, (long)buf, sizeof(buf), 0); /* read */
	int80(6, fd, 0, 0, 0);                   /* close */
	int80(20, 0, 0, 0, 0);                   /* getpid */
	printf("int80 fd=%ld\n", fd);
	return 0;
}
