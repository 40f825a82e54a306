// SPDX-License-Identifier: Apache-2.0
/* In a qemu guest with `-device isa-debug-exit,iobase=0xf4,iosize=4`: end the VM with exit
 * status CODE (qemu exits with 2 * CODE + 1).  Debian kernels have no /dev/port, so the port
 * is written directly.  Static: the initramfs has no libc.
 *   vm_exit CODE */
#include <stdlib.h>
#include <sys/io.h>

int main(int argc, char **argv)
{
	unsigned int code = argc > 1 ? (unsigned int)atoi(argv[1]) : 1;

	if (ioperm(0xf4, 4, 1))
		return 1;
	outl(code, 0xf4);
	return 1; /* not reached */
}
