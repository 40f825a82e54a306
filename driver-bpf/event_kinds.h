/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The enums of the event table that the BPF programs need too (no libc types here, so BPF
 * code can include it).  See event_table.h.
 */
#ifndef SYSREC_EVENT_KINDS_H
#define SYSREC_EVENT_KINDS_H

/*
 * Event ids of syscalls: x86_64 syscalls by their number, ia32 ones (32-bit programs, and
 * `int 0x80` from 64-bit ones) at SR_COMPAT_BASE + their <asm/unistd_32.h> number, so that
 * an ia32 openat (295) is never taken for the x86_64 syscall 295 (preadv).
 */
#define SR_COMPAT_BASE 512
#define SR_EVENT_ID_MAX 1024
#define SR_NR_SOCKETCALL_I386 102 /* socketcall(2): unpacked by the driver */

/* How an argument is shown (and whether its user memory is captured). */
enum sr_param_type {
	SR_PT_INT = 0, /* signed decimal */
	SR_PT_UINT,    /* unsigned decimal */
	SR_PT_HEX,     /* flags, addresses and opaque pointers */
	SR_PT_FD,
	SR_PT_PID,
	SR_PT_UID,
	SR_PT_GID,
	SR_PT_MODE,    /* octal */
	SR_PT_SIGNAL,
	SR_PT_PATH,     /* user string, a path: captured whole (up to 4096 bytes) */
	SR_PT_STR,      /* user string, not a path: captured up to the snaplen */
	SR_PT_BUF,      /* user buffer: captured up to the snaplen */
	SR_PT_SOCKADDR, /* user socket address: captured (up to 128 bytes) and decoded */
	SR_PT_FDPAIR,   /* int[2] of fds a call returned (pipe, socketpair): 8 bytes */
	SR_PT_CNT,
};

/* Where the length of a captured buffer or socket address comes from. */
enum sr_len_src {
	SR_LEN_NONE = 0, /* strings: up to their NUL */
	SR_LEN_ARG,      /* the value of argument len_arg */
	SR_LEN_ARG_PTR,  /* the int that argument len_arg points to, read at exit */
	SR_LEN_RET,      /* the return value, when positive */
	SR_LEN_FIXED,    /* len_arg bytes */
};

/* When the user memory holds what the syscall used. */
enum sr_param_dir {
	SR_DIR_IN = 0, /* input: still there at exit, read then */
	SR_DIR_OUT,    /* output: only meaningful after a successful return */
};

#endif
