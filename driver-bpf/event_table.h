/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event table: the one description of every syscall sysrec knows, with the name, the type
 * and the capture rule of each argument.  The driver's per-syscall capture rules (filled into
 * the BPF program's read-only data before load), replay's decoding and printing, and the
 * filter field documentation are all derived from it.
 *
 * Numbers are x86_64 syscall numbers.  The names and C types of the arguments come from
 * syscall_table.inc (generated from tracefs); the parameter types and capture rules are
 * decided in event_table.c from those, plus explicit rules for the families whose buffers and
 * addresses are captured.
 *
 * Plain C, no libbpf: replay-only builds link it too.
 */
#ifndef SYSREC_EVENT_TABLE_H
#define SYSREC_EVENT_TABLE_H

#include <stdint.h>

#include "event_kinds.h"

#define SR_SYSCALL_NR_MAX 512 /* table size; x86_64 numbers stay below it */
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

struct sr_syscall_info {
	const char *name; /* NULL for a number with no syscall */
	int8_t nargs;     /* -1 when the arguments are not known */
	struct sr_param args[SR_SYSCALL_MAX_ARGS];
};

/* The syscall @nr, or NULL when @nr is not a known syscall.  Static storage. */
const struct sr_syscall_info *sr_syscall__get(unsigned int nr);

/* The number of the syscall called @name, or -1. */
int sr_syscall__nr(const char *name);

/* Name of a parameter type ("fd", "path", ...). */
const char *sr_param_type__name(unsigned int type);

#endif
