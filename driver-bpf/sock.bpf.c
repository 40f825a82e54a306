// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * The addresses of a socket as the kernel has them, after a successful connect (or one that
 * returns EINPROGRESS), accept, accept4 or bind: what the caller's arguments do not say (the
 * ephemeral local port, the peer of an accept without an address buffer).  A program of its
 * own on sys_exit, attached after the syscall program (so its record follows the call's): the
 * syscall program stays as small as it is, and this one only runs its walk for these calls.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers.bpf.h"

#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_BIND 49
#define NR_ACCEPT4 288
/* ia32: the syscalls, socketcall, and the pseudo id of socketcall's accept (event_kinds.h) */
#define NR32_BIND 361
#define NR32_CONNECT 362
#define NR32_ACCEPT4 364
#define ID32(nr) (SR_COMPAT_BASE + (nr))

SEC("tp_btf/sys_exit")
int BPF_PROG(sock_exit, struct pt_regs *regs, long ret)
{
	struct task_struct *task = sr_current_task();
	long nr = regs->orig_ax, id, fd;
	bool accept, connect;
	__u64 args[6];
	struct sr_task_state *st;
	struct files_struct *files;
	struct file **fds, *f;
	struct socket *sock;
	struct sr_rb_sock *r;
	struct sock *sk;
	unsigned int max;
	__u16 family;
	void *ring;

	switch (nr) { /* the numbers that may be one of them, in either ABI */
	case NR_CONNECT: case NR_ACCEPT: case NR_BIND: case NR_ACCEPT4:
	case SR_NR_SOCKETCALL_I386: case NR32_BIND: case NR32_CONNECT: case NR32_ACCEPT4:
		break;
	default:
		return 0;
	}
	id = sr_syscall_id(task, nr);
	sr_syscall_args(regs, id, args);
	if (id == ID32(SR_NR_SOCKETCALL_I386))
		id = sr_socketcall(id, args);
	accept = id == NR_ACCEPT || id == NR_ACCEPT4 || id == ID32(NR32_ACCEPT4) || id == ID32(500);
	connect = id == NR_CONNECT || id == ID32(NR32_CONNECT);
	if (!accept && !connect && id != NR_BIND && id != ID32(NR32_BIND))
		return 0;
	if (ret < 0 && !(connect && ret == -115)) /* EINPROGRESS: bound already */
		return 0;
	/* The syscall program ran first: a task it records has its state, selected. */
	st = sr_task_state(task, (__u32)bpf_get_current_pid_tgid(), false);
	if (!st || (select_mode && st->sel != SR_SEL_YES))
		return 0;
	fd = accept ? ret : (long)(int)args[0];
	files = BPF_CORE_READ(task, files);
	if (fd < 0 || !files)
		return 0;
	max = BPF_CORE_READ(files, fdt, max_fds);
	if ((unsigned long)fd >= max)
		return 0;
	fds = BPF_CORE_READ(files, fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return 0;
	sock = BPF_CORE_READ(f, private_data);
	sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != 2 /* AF_INET */ && family != 10 /* AF_INET6 */)
		return 0;
	ring = sr_ring();
	r = ring ? bpf_ringbuf_reserve(ring, sizeof(*r), 0) : NULL;
	if (!r) {
		sr_drop(SR_DROP_RING_FULL);
		return 0;
	}
	__builtin_memset(r, 0, sizeof(*r));
	sr_hdr(&r->hdr, SR_RB_SOCK, (__u32)bpf_get_current_pid_tgid(), bpf_ktime_get_ns(),
	       sizeof(*r));
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->fd = (__s32)fd;
	r->nr = (__u16)id;
	r->family = family;
	r->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	r->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == 2) {
		bpf_probe_read_kernel(r->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_probe_read_kernel(r->raddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_probe_read_kernel(r->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(r->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}
