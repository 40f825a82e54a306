/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event table: the one description of every syscall sysrec knows, with the name, the type
 * and the capture rule of each argument.  The driver's per-syscall capture rules (filled into
 * the BPF program's read-only data before load), replay's decoding and printing, and the
 * filter field documentation are all derived from it.
 *
 * Ids are x86_64 syscall numbers, and SR_COMPAT_BASE + the ia32 number for the syscalls of
 * the ia32 ABI (event_kinds.h).  The names and C types of the arguments come from
 * syscall_table.inc and syscall_table_i386.inc (generated from tracefs and the headers); the
 * parameter types and capture rules are decided in event_table.c from those, plus explicit
 * rules for the families whose buffers and addresses are captured.
 *
 * Plain C, no libbpf: replay-only builds link it too.
 */
#ifndef SYSREC_EVENT_TABLE_H
#define SYSREC_EVENT_TABLE_H

#include <stdint.h>

#include "event_kinds.h"

#define SR_SYSCALL_NR_MAX SR_EVENT_ID_MAX /* table size: x86_64 and ia32 ids */
#define SR_SYSCALL_MAX_ARGS 6
#define SR_SYSCALL_MAX_CAPS 3 /* strings/buffers captured per call */

struct sr_param {
	const char *name;  /* from the kernel's SYSCALL_DEFINE */
	const char *ctype; /* the C type, e.g. "const char *" */
	uint8_t type;      /* enum sr_param_type */
	uint8_t len_src;   /* enum sr_len_src, for SR_PT_BUF and SR_PT_SOCKADDR */
	uint8_t len_arg;   /* argument index for SR_LEN_ARG / SR_LEN_ARG_PTR */
	uint8_t dir;       /* enum sr_param_dir */
	uint8_t wide;      /* a 64-bit C type (long, size_t, a pointer); else the low 32 bits count */
};

enum sr_abi {
	SR_ABI_X86_64 = 0,
	SR_ABI_I386,       /* ia32 compat: 32-bit programs, int 0x80 */
};

struct sr_syscall_info {
	const char *name; /* NULL for a number with no syscall */
	const char *base; /* the x86_64 syscall whose effects it has: its own name, or e.g.
			   * "fcntl" for the ia32 fcntl64 (fd state, I/O classes, capture) */
	uint8_t abi;      /* enum sr_abi */
	int8_t nargs;     /* -1 when the arguments are not known */
	struct sr_param args[SR_SYSCALL_MAX_ARGS];
};

/* The syscall @nr, or NULL when @nr is not a known syscall.  Static storage. */
const struct sr_syscall_info *sr_syscall__get(unsigned int nr);

/* The x86_64 number of the syscall called @name, or -1. */
int sr_syscall__nr(const char *name);

/*
 * Every id (both ABIs) of the syscall called @name, or with @by_base, of every syscall whose
 * base is @name (fcntl: fcntl and the ia32 fcntl and fcntl64).  Fills up to @max ids and
 * returns how many there are.
 */
int sr_syscall__ids(const char *name, int by_base, int *ids, int max);

/* ia32 socketcall(2), and whether event id @id is one of the operations the driver
 * unpacks it into (socket ... accept4, sendmmsg, recvmmsg and the pseudo ids of accept,
 * send and recv). */
int sr_syscall__via_socketcall(int id);

/* "x86_64" or "i386". */
const char *sr_abi__name(unsigned int abi);

/* Name of a parameter type ("fd", "path", ...). */
const char *sr_param_type__name(unsigned int type);

#endif
