/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Record layouts between the BPF programs and the capture consumer (the ring-buffer side; the
 * trace file has its own encoding, see format/).  Plain C with fixed-width types only,
 * naturally aligned, explicit padding, every record a multiple of 8 bytes; a static assertion
 * per struct makes a layout change fail the build.
 *
 * Included by BPF code (vmlinux.h gives the __u* types) and by user space (<linux/types.h>).
 */
#ifndef SYSREC_RECORDS_H
#define SYSREC_RECORDS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

enum sr_rb_type {
	SR_RB_SYSCALL = 1,
	SR_RB_THREAD = 2, /* a thread's identity, when first seen or after it changed */
	SR_RB_FORK = 3,
	SR_RB_EXEC = 4,
	SR_RB_EXIT = 5,
	SR_RB_CPU = 6,    /* a thread's cumulative CPU time (the cpu_times iterator) */
	SR_RB_SAMPLE = 7, /* a sampled counter (perf event) with stacks */
	SR_RB_PROBE = 8,  /* a hit of a --probe */
	SR_RB_SOCK = 9,   /* a socket's addresses after connect/accept/bind (sock.bpf.c) */
	SR_RB_FDINFO = 10, /* an fd a pipe/socketpair made or recvmsg received (sock.bpf.c) */
};

/* Kinds of lost events, counted per CPU (map "drops"). */
enum sr_drop_kind {
	SR_DROP_RING_FULL = 0, /* the ring had no room for a record */
	SR_DROP_CAPTURE = 1,   /* a record was sent without some of its data (a fault reading
				* user memory is normal and not counted; this is the scratch
				* buffer running out) */
	SR_DROP_KIND_CNT = 2,
};

#define SR_NR_MAX 1024     /* syscall event ids below this are recorded: x86_64 numbers, and
			    * ia32 ones at 512 + their number (event_kinds.h) */
#define SR_MAX_CAPS 3      /* arguments with user memory captured per syscall */
#define SR_ITEM_MAX 4096   /* largest captured argument (snaplen limit) */
#define SR_PATH_MAX 4096   /* longest path captured */
#define SR_SNAPLEN_MAX 65535
#define SR_SOCKADDR_MAX 128
#define SR_ARGS_MAX 4096   /* bytes of exec arguments captured */
#define SR_COMM_LEN 16

/* Selection modes (rodata select_mode). */
#define SR_SEL_PIDS_FLAG 0x1    /* tgids in map `traced`, and their descendants */
#define SR_SEL_CGROUPS_FLAG 0x2 /* tasks under a cgroup of map `cgroups` */

/* Load-time capture rule of one argument (rodata `caps`, filled from the event table). */
struct sr_cap {
	__u8 type;    /* enum sr_param_type: SR_PT_PATH/STR/BUF/SOCKADDR, 0 = none */
	__u8 arg;     /* argument index */
	__u8 len_src; /* enum sr_len_src */
	__u8 len_arg;
	__u8 out;     /* 1: output memory, captured only when the call succeeded */
	__u8 pad[3];
};
_Static_assert(sizeof(struct sr_cap) == 8, "sr_cap layout");

struct sr_rb_hdr {
	__u64 ts;   /* bpf_ktime_get_ns() when the record was made */
	__u32 tid;  /* kernel thread id (pid in the initial namespace) */
	__u16 type; /* enum sr_rb_type */
	__u16 len;  /* whole record, header included, multiple of 8 */
};
_Static_assert(sizeof(struct sr_rb_hdr) == 16, "sr_rb_hdr layout");

/* SR_RB_SYSCALL flags */
#define SR_SC_F_NO_LATENCY 0x01 /* the entry time was not seen (capture started mid-call) */
#define SR_SC_F_PENDING 0x02    /* still in progress when the capture stopped: no result */

/* One syscall, made at its exit; followed by data_cnt struct sr_rb_data items. */
struct sr_rb_syscall {
	struct sr_rb_hdr hdr;
	__s64 ret;
	__u64 latency_ns; /* exit - entry */
	__u64 args[6];
	__u16 nr;
	__u8 data_cnt;
	__u8 flags;
	__u32 pad;
};
_Static_assert(sizeof(struct sr_rb_syscall) == 88, "sr_rb_syscall layout");

/* Captured user memory of one argument; sz bytes follow, then padding to 8 bytes. */
struct sr_rb_data {
	__u16 sz;  /* bytes captured */
	__u8 arg;  /* argument index */
	__u8 kind; /* enum sr_param_type of the argument */
	__u32 pad;
};
_Static_assert(sizeof(struct sr_rb_data) == 8, "sr_rb_data layout");

/* After a successful connect, accept, accept4 or bind: the socket's addresses. */
struct sr_rb_sock {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__s32 fd;
	__u16 nr;
	__u16 family;       /* AF_INET or AF_INET6 */
	__u16 lport, rport; /* host order */
	__u8 laddr[16], raddr[16];
};
_Static_assert(sizeof(struct sr_rb_sock) == 64, "sr_rb_sock layout");

/* The identity of an fd as the kernel has it; path_sz bytes of path components follow
 * (innermost first, one per SR_NAME_MAX-byte slot, each ending with a NUL; files only). */
struct sr_rb_fdinfo {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__s32 fd;
	__u64 ino;
	__u64 peer_ino;     /* a unix socket's peer */
	__u32 mode;         /* the inode's i_mode: its type */
	__u16 nr;           /* the call that made or received it (event id) */
	__u16 family;       /* sockets */
	__u16 sock_type;    /* SOCK_STREAM, ... */
	__u16 lport, rport; /* AF_INET/AF_INET6, host order */
	__u16 path_sz;
	__u16 path_flags;   /* SR_EXE_F_* */
	__u8 cloexec;
	__u8 pad[5];
	__u8 laddr[16], raddr[16];
};
_Static_assert(sizeof(struct sr_rb_fdinfo) == 96, "sr_rb_fdinfo layout");

/* The data item (arg = SR_ARG_SOCK_TUPLE) with a socket's addresses as the kernel has them,
 * after connect, accept, accept4 and bind: the local end the caller cannot see in its
 * arguments (an ephemeral port, the peer of an accept with no address buffer). */
#define SR_ARG_SOCK_TUPLE 64
struct sr_sock_tuple {
	__u16 family;       /* AF_INET or AF_INET6 */
	__u16 lport, rport; /* host order */
	__u16 pad;
	__u8 laddr[16], raddr[16]; /* network order; 4 bytes used for AF_INET */
};
_Static_assert(sizeof(struct sr_sock_tuple) == 40, "sr_sock_tuple layout");

struct sr_rb_thread {
	struct sr_rb_hdr hdr;
	__u32 pid, ppid; /* tgid and the parent's tgid, initial namespace */
	__u32 vtid, vpid; /* as seen in the thread's own pid namespace */
	__u32 uid, gid, euid, egid;
	__u64 cgroup_id; /* cgroup v2 id */
	__u64 start_ns;  /* task start time, CLOCK_MONOTONIC */
	__u32 ns_mnt, ns_pid, ns_net, ns_uts, ns_ipc, ns_user, ns_cgroup, ns_time;
	char comm[SR_COMM_LEN];
};
_Static_assert(sizeof(struct sr_rb_thread) == 112, "sr_rb_thread layout");

struct sr_rb_fork {
	struct sr_rb_hdr hdr; /* tid: the parent thread */
	__u32 child_tid, child_pid;
	__u64 clone_flags; /* as the parent's clone, clone3, fork or vfork asked (exit signal in
			    * the low byte); 0 for a thread the kernel started itself */
};
_Static_assert(sizeof(struct sr_rb_fork) == 32, "sr_rb_fork layout");

/* A successful exec; exe_sz bytes of the executed file's path components (innermost first,
 * one per SR_NAME_MAX-byte slot, each ending with a NUL; only where the filename does not name
 * the file: "/dev/fd/N..." or a relative path), filename_sz bytes of filename, args_sz bytes
 * of NUL-separated arguments, then padding to 8 bytes. */
#define SR_EXE_F_DELETED 0x1 /* the file was unlinked (" (deleted)"); = SR_PATH_F_DELETED */
#define SR_EXE_F_CUT 0x2     /* deeper than the components kept; = SR_PATH_F_CUT */
struct sr_rb_exec {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__u32 old_tid; /* the thread that called exec, when not the leader */
	__u16 filename_sz, args_sz;
	__u32 args_len; /* the whole argument area: more than args_sz when it was cut */
	__u16 exe_sz, exe_flags;
	__u32 pad;
};
_Static_assert(sizeof(struct sr_rb_exec) == 40, "sr_rb_exec layout");

struct sr_rb_exit {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__s32 exit_code; /* wait status: (code << 8) | signal */
	__u64 cpu_ns;    /* CPU time of the thread's whole life (se.sum_exec_runtime) */
};
_Static_assert(sizeof(struct sr_rb_exit) == 32, "sr_rb_exit layout");

/* A sample of a perf event: the counter, then ustack_cnt user and kstack_cnt kernel return
 * addresses (innermost first). */
#define SR_STACK_MAX 127
struct sr_rb_sample {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__u32 event_id;   /* index of the --sample event (the attachment's cookie) */
	__u64 value;      /* the counter's value */
	__u64 period;     /* events per sample (the frequency's current period) */
	__u16 ustack_cnt;
	__u16 kstack_cnt;
	__u32 pad;
	__u64 ips[];      /* ustack_cnt user addresses, then kstack_cnt kernel addresses */
};
_Static_assert(sizeof(struct sr_rb_sample) == 48, "sr_rb_sample layout");

/* --probe: what each probe copies, by probe id (the attachment's cookie). */
#define SR_MAX_PROBES 64
#define SR_PROBE_ARGS 8
#define SR_PROBE_RAW_MAX 2048 /* bytes of a tracepoint's record kept */
#define SR_PROBE_ID_BASE 64   /* probe N is PROBE_DEF id 64 + N in the file (0-63: samples) */

enum sr_probe_arg_src {
	SR_ARG_NONE = 0,
	SR_ARG_REG,    /* a register of pt_regs: .idx is the index in sr_probe_regs order */
	SR_ARG_RETVAL, /* the return value (uretprobe) */
	SR_ARG_USDT,   /* USDT argument .idx (0-based) */
	SR_ARG_TP_PTR, /* a tracepoint field at offset .idx that points to a user string */
};

enum sr_probe_arg_type {
	SR_AT_U64 = 0,
	SR_AT_STRING, /* the value is a user pointer to a NUL-terminated string */
	SR_AT_MAYBE_STRING, /* a string when the value points to one (USDT args of unknown type) */
	SR_AT_KSTRING, /* a kernel function's string: kernel or user memory, by its address (kprobes) */
};

struct sr_probe_arg {
	__u8 src;  /* enum sr_probe_arg_src */
	__u8 type; /* enum sr_probe_arg_type */
	__u16 idx;
};

struct sr_probe_cfg {
	__u16 raw_sz; /* tracepoints: bytes of the record to copy */
	__u8 arg_cnt;
	__u8 pad;
	struct sr_probe_arg args[SR_PROBE_ARGS];
};

/* A probe hit: raw_sz bytes of tracepoint record, then arg_cnt u64 values, then data items
 * (struct sr_rb_data, .arg = the argument index) with the strings. */
struct sr_rb_probe {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__u16 probe_id;
	__u16 raw_sz;
	__u8 arg_cnt;
	__u8 data_cnt;
	__u8 pad[6];
};
_Static_assert(sizeof(struct sr_rb_probe) == 32, "sr_rb_probe layout");

/* A thread's CPU time so far; the recorder turns successive values into CPU events. */
struct sr_rb_cpu {
	struct sr_rb_hdr hdr;
	__u32 pid;
	__u32 pad;      /* 1: the thread's final value (it was freed) */
	__u64 cpu_ns;   /* se.sum_exec_runtime */
	__u64 start_ns; /* the thread's start (CLOCK_MONOTONIC) */
};
_Static_assert(sizeof(struct sr_rb_cpu) == 40, "sr_rb_cpu layout");

#endif
