// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Syscalls: one record per call, made at its exit.  tp_btf/sys_exit reads the number and the
 * arguments from the trusted pt_regs (still valid at exit, except where noted below); the
 * small tp_btf/sys_enter program only stores the entry time for the latency (--no-latency
 * does not load it).  User memory named by an argument (paths, strings, buffers, socket
 * addresses) is copied per the per-syscall capture rules in `caps`, which the loader fills
 * from the event table.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "event_kinds.h"
#include "helpers.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define NR_RT_SIGRETURN 15
#define NR_CLONE 56
#define NR_FORK 57
#define NR_VFORK 58
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define NR_CLONE3 435
/* The same for ia32 (event ids: SR_COMPAT_BASE + the ia32 number) */
#define ID32(nr) (SR_COMPAT_BASE + (nr))
#define NR32_FORK ID32(2)
#define NR32_EXECVE ID32(11)
#define NR32_SIGRETURN ID32(119)
#define NR32_CLONE ID32(120)
#define NR32_RT_SIGRETURN ID32(173)
#define NR32_VFORK ID32(190)
#define NR32_EXECVEAT ID32(358)
#define NR32_CLONE3 ID32(435)

static __always_inline bool _syscall_on(long nr)
{
	return (syscall_on[(nr >> 6) & (SR_NR_MAX / 64 - 1)] >> (nr & 63)) & 1;
}

static __always_inline bool _is_exec(long id)
{
	return id == NR_EXECVE || id == NR_EXECVEAT || id == NR32_EXECVE || id == NR32_EXECVEAT;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long nr)
{
	struct task_struct *task = sr_current_task();
	struct sr_task_state *st;
	long id;

	if (nr < 0 || nr >= SR_COMPAT_BASE)
		return 0;
	id = sr_syscall_id(task, nr);
	if (!_syscall_on(id))
		return 0;
	st = sr_task_selected(task, bpf_get_current_pid_tgid() >> 32);
	if (!st)
		return 0;
	st->enter_ts = bpf_ktime_get_ns();
	if (_is_exec(id)) { /* execveat(dirfd, path, argv, envp, flags) */
		st->exec_id = (__u16)id;
		st->exec_dirfd = id >= SR_COMPAT_BASE ? (__s32)regs->bx : (__s32)regs->di;
		st->exec_flags = id >= SR_COMPAT_BASE ? (__u32)regs->di : (__u32)regs->r8;
	}
	return 0;
}

/* Syscalls after which the thread's identity (credentials, namespaces, name) may differ. */
static __always_inline bool _changes_identity(long id)
{
	switch (id) {
	case 105: case 106: case 113: case 114: case 117: case 119: /* set*uid, set*gid */
	case 122: case 123: /* setfsuid, setfsgid */
	case 157: /* prctl (PR_SET_NAME) */
	case 272: /* unshare */
	case 308: /* setns */
	/* ia32: setuid, setgid, setreuid, setregid, setfsuid, setfsgid, setresuid, setresgid
	 * (16- and 32-bit ids), prctl, unshare, setns */
	case ID32(23): case ID32(46): case ID32(70): case ID32(71): case ID32(138): case ID32(139):
	case ID32(164): case ID32(170): case ID32(203): case ID32(204): case ID32(208):
	case ID32(210): case ID32(213): case ID32(214): case ID32(215): case ID32(216):
	case ID32(172): case ID32(310): case ID32(346):
		return true;
	}
	return false;
}

/* Registers hold the arguments at exit, except after a successful exec (a new image), in the
 * child of a clone (a copy of the parent's registers) and after a sigreturn. */
static __always_inline bool _args_gone(long id, long ret)
{
	switch (id) {
	case NR_EXECVE: case NR_EXECVEAT: case NR_CLONE: case NR_FORK: case NR_VFORK:
	case NR_CLONE3: case NR32_EXECVE: case NR32_EXECVEAT: case NR32_CLONE: case NR32_FORK:
	case NR32_VFORK: case NR32_CLONE3:
		return ret == 0;
	case NR_RT_SIGRETURN: case NR32_RT_SIGRETURN: case NR32_SIGRETURN:
		return true;
	}
	return false;
}

/* The length a capture rule gives, before the snaplen. */
static __always_inline long _cap_len(const volatile struct sr_cap *cap, __u64 *args, long ret)
{
	__u8 la = cap->len_arg;
	int ulen = 0;

	switch (cap->len_src) {
	case SR_LEN_ARG:
		return la < 6 ? (long)args[la] : 0;
	case SR_LEN_ARG_PTR:
		if (la >= 6 || bpf_probe_read_user(&ulen, sizeof(ulen), (void *)args[la]))
			return 0;
		return ulen;
	case SR_LEN_RET:
		return ret;
	case SR_LEN_FIXED:
		return la;
	}
	return 0;
}

/* Copy one argument's user memory after the record at @off; returns the new offset. */
static __always_inline __u32 _capture(__u8 *buf, __u32 off, const volatile struct sr_cap *cap,
				      __u64 *args, long ret)
{
	struct sr_rb_data *d;
	__u8 a = cap->arg, type = cap->type;
	void *src;
	long n, max;

	if (!type || a >= 6)
		return off;
	src = (void *)args[a];
	off &= SR_SCRATCH_HALF - 1;
	d = (struct sr_rb_data *)(buf + off);
	if (type == SR_PT_PATH || type == SR_PT_STR) {
		max = type == SR_PT_PATH ? SR_PATH_MAX : snaplen;
		if (max > SR_ITEM_MAX)
			max = SR_ITEM_MAX;
		n = bpf_probe_read_user_str(buf + off + sizeof(*d), max & (SR_ITEM_MAX * 2 - 1), src);
		if (n <= 0)
			return off;
		n--; /* the NUL is not kept */
	} else {
		n = _cap_len(cap, args, ret);
		max = type == SR_PT_SOCKADDR ? SR_SOCKADDR_MAX : type == SR_PT_FDPAIR ? 8 : snaplen;
		if (n <= 0)
			return off;
		if (n > max)
			n = max;
		if (n > SR_ITEM_MAX)
			n = SR_ITEM_MAX;
		if (bpf_probe_read_user(buf + off + sizeof(*d), n & (SR_ITEM_MAX * 2 - 1), src))
			return off;
	}
	d->sz = (__u16)n;
	d->arg = a;
	d->kind = type;
	d->pad = 0;
	return off + ((sizeof(*d) + n + 7) & ~7);
}

/* The fixed part of a syscall record: event id, result, latency, arguments (read already). */
static __always_inline void _fill(struct sr_rb_syscall *r, long nr, long ret,
				  struct sr_task_state *st, __u64 now, __u64 *args)
{
	r->nr = (__u16)nr;
	r->ret = ret;
	r->flags = 0;
	r->data_cnt = 0;
	r->pad = 0;
	if (st->enter_ts) {
		r->latency_ns = now - st->enter_ts;
		st->enter_ts = 0;
	} else {
		r->latency_ns = 0;
		r->flags |= SR_SC_F_NO_LATENCY;
	}
	__builtin_memcpy(r->args, args, 6 * sizeof(__u64));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = sr_current_task();
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid;
	const volatile struct sr_cap *cap0;
	struct sr_task_state *st;
	struct sr_rb_syscall *r;
	long nr = regs->orig_ax;
	__u64 now, args[6];
	__u32 off, cnt = 0;
	__u8 *buf;

	if (nr < 0 || nr >= SR_COMPAT_BASE)
		return 0;
	nr = sr_syscall_id(task, nr); /* the event id from here on */
	if (!_syscall_on(nr))
		return 0;
	st = sr_task_selected(task, pid_tgid >> 32);
	if (!st)
		return 0;
	if (_args_gone(nr, ret))
		__builtin_memset(args, 0, sizeof(args));
	else
		sr_syscall_args(regs, nr, args);
	if (_is_exec(nr) && st->exec_id) {
		/* The exec as it entered (sys_enter): after a successful one, orig_ax is the new
		 * image's execve whichever call it was, in the new image's ABI. */
		nr = st->exec_id;
		if (ret == 0 && (nr == NR_EXECVEAT || nr == NR32_EXECVEAT)) {
			args[0] = (__u64)(__s64)st->exec_dirfd;
			args[4] = st->exec_flags;
		}
		st->exec_id = 0;
	}
	if (nr == ID32(SR_NR_SOCKETCALL_I386)) {
		nr = sr_socketcall(nr, args);
		if (!_syscall_on(nr)) { /* -e named other socket operations */
			st->enter_ts = 0;
			return 0;
		}
	}
	now = bpf_ktime_get_ns();
	if (!st->seen) {
		st->seen = 1;
		sr_emit_thread(task, tid, now);
	}

	/* No user memory to copy: the record goes straight into the ring. */
	cap0 = &caps[nr & (SR_NR_MAX - 1)][0];
	if (!cap0->type) {
		void *ring = sr_ring();

		r = ring ? bpf_ringbuf_reserve(ring, sizeof(*r), 0) : NULL;
		if (!r) {
			sr_drop(SR_DROP_RING_FULL);
			return 0;
		}
		_fill(r, nr, ret, st, now, args);
		sr_hdr(&r->hdr, SR_RB_SYSCALL, tid, now, sizeof(*r));
		bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
		goto out;
	}

	/* With user memory: built in the scratch buffer at its real size, then copied. */
	buf = sr_scratch_buf();
	if (!buf)
		return 0;
	r = (struct sr_rb_syscall *)buf;
	_fill(r, nr, ret, st, now, args);
	off = sizeof(*r);
	for (int i = 0; i < SR_MAX_CAPS; i++) {
		const volatile struct sr_cap *cap = &caps[nr & (SR_NR_MAX - 1)][i];
		__u32 next;

		if (!cap->type || (ret < 0 && cap->out))
			continue;
		next = _capture(buf, off, cap, args, ret);
		cnt += next != off;
		off = next;
	}
	r->data_cnt = (__u8)cnt;
	sr_hdr(&r->hdr, SR_RB_SYSCALL, tid, now, off);
	sr_submit(r, off);
out:
	if (ret >= 0 && _changes_identity(nr))
		sr_emit_thread(task, tid, now);
	return 0;
}
