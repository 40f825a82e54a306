// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * What the kernel knows of the fds a call made or used, that its arguments do not say.  A
 * program of its own on sys_exit, attached after the syscall program (so its records follow
 * the call's): the syscall program stays as small as it is, and this one only runs its walks
 * for these calls.
 *  - The addresses of a socket after a successful connect (or one that returns EINPROGRESS),
 *    accept, accept4 or bind: the ephemeral local port, the peer of an accept without an
 *    address buffer (SR_RB_SOCK; the recorder writes it before the call).
 *  - The identity of each fd a pipe, pipe2 or socketpair made (pipe:[inode], a unix pair's
 *    two inodes) and of each fd received with SCM_RIGHTS by recvmsg: the file that was sent
 *    (SR_RB_FDINFO, one per fd, after the call).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers.bpf.h"
#include "path.bpf.h"

#define NR_PIPE 22
#define NR_CONNECT 42
#define NR_ACCEPT 43
#define NR_RECVMSG 47
#define NR_BIND 49
#define NR_SOCKETPAIR 53
#define NR_ACCEPT4 288
#define NR_PIPE2 293
/* ia32: the syscalls, socketcall, and the pseudo id of socketcall's accept (event_kinds.h) */
#define NR32_PIPE 42
#define NR32_PIPE2 331
#define NR32_SOCKETPAIR 360
#define NR32_BIND 361
#define NR32_CONNECT 362
#define NR32_ACCEPT4 364
#define NR32_RECVMSG 372
#define ID32(nr) (SR_COMPAT_BASE + (nr))

#define SR_S_IFMT 0170000
#define SR_S_IFSOCK 0140000
#define SR_S_IFIFO 0010000
#define SR_AF_UNIX 1
#define SR_AF_INET 2
#define SR_AF_INET6 10
#define SR_SCM_MAX 8 /* fds of one SCM_RIGHTS message described */

/* The file of @task's fd @fd, or NULL; *@cloexec: its close-on-exec bit. */
static __always_inline struct file *_task_file(struct task_struct *task, long fd, bool *cloexec)
{
	struct files_struct *files = BPF_CORE_READ(task, files);
	struct fdtable *fdt;
	unsigned long word = 0, *coe;
	struct file **fds, *f;

	if (fd < 0 || !files)
		return NULL;
	fdt = BPF_CORE_READ(files, fdt);
	if ((unsigned long)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) || !f)
		return NULL;
	coe = BPF_CORE_READ(fdt, close_on_exec);
	if (cloexec && !bpf_probe_read_kernel(&word, sizeof(word), &coe[fd / 64]))
		*cloexec = (word >> (fd % 64)) & 1;
	return f;
}

/* A socket's addresses: local and remote port (host order) and address (network order). */
static __always_inline void _sock_addrs(struct sock *sk, __u16 family, __u16 *lport, __u16 *rport,
					__u8 *laddr, __u8 *raddr)
{
	*lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == SR_AF_INET) {
		bpf_probe_read_kernel(laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_probe_read_kernel(raddr, 4, &sk->__sk_common.skc_daddr);
	} else {
		bpf_probe_read_kernel(laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
}

/* SR_RB_SOCK: the addresses of @fd after a connect, accept or bind (call @id). */
static __always_inline void _emit_sock(struct task_struct *task, long fd, long id)
{
	struct file *f = _task_file(task, fd, NULL);
	struct socket *sock = f ? BPF_CORE_READ(f, private_data) : NULL;
	struct sock *sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
	struct sr_rb_sock *r;
	__u16 family;
	void *ring;

	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != SR_AF_INET && family != SR_AF_INET6)
		return;
	ring = sr_ring();
	r = ring ? bpf_ringbuf_reserve(ring, sizeof(*r), 0) : NULL;
	if (!r) {
		sr_drop(SR_DROP_RING_FULL);
		return;
	}
	__builtin_memset(r, 0, sizeof(*r));
	sr_hdr(&r->hdr, SR_RB_SOCK, (__u32)bpf_get_current_pid_tgid(), bpf_ktime_get_ns(),
	       sizeof(*r));
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->fd = (__s32)fd;
	r->nr = (__u16)id;
	r->family = family;
	_sock_addrs(sk, family, &r->lport, &r->rport, r->laddr, r->raddr);
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
}

/* SR_RB_FDINFO: what the kernel has of the current task's fd @fd (made or received by call
 * @id); a file's path @with_path (bpf_loop). */
static __always_inline int _emit_fdinfo(long fd, long id, bool with_path)
{
	struct task_struct *task = sr_current_task();
	struct sr_rb_fdinfo *r = (struct sr_rb_fdinfo *)sr_scratch_buf();
	struct socket *sock, *peer_sock;
	struct sock *sk, *peer;
	bool cloexec = false;
	struct inode *inode;
	struct file *f;
	__u32 off;

	f = _task_file(task, fd, &cloexec);
	if (!r || !f)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	inode = BPF_CORE_READ(f, f_inode);
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->fd = (__s32)fd;
	r->nr = (__u16)id;
	r->cloexec = cloexec;
	r->mode = BPF_CORE_READ(inode, i_mode);
	r->ino = BPF_CORE_READ(inode, i_ino);
	off = sizeof(*r);
	if ((r->mode & SR_S_IFMT) == SR_S_IFSOCK) {
		sock = BPF_CORE_READ(f, private_data);
		sk = sock ? BPF_CORE_READ(sock, sk) : NULL;
		r->sock_type = sock ? BPF_CORE_READ(sock, type) : 0;
		r->family = sk ? BPF_CORE_READ(sk, __sk_common.skc_family) : 0;
		if (r->family == SR_AF_UNIX) {
			peer = BPF_CORE_READ((struct unix_sock *)sk, peer);
			peer_sock = peer ? BPF_CORE_READ(peer, sk_socket) : NULL;
			if (peer_sock)
				r->peer_ino = BPF_CORE_READ(peer_sock, file, f_inode, i_ino);
		} else if (r->family == SR_AF_INET || r->family == SR_AF_INET6) {
			_sock_addrs(sk, r->family, &r->lport, &r->rport, r->laddr, r->raddr);
		}
	} else if (with_path && (r->mode & SR_S_IFMT) != SR_S_IFIFO) { /* a file: its path */
		r->path_sz = (__u16)(sr_path(f, task, sizeof(*r), &r->path_flags) * SR_NAME_MAX);
		off += r->path_sz;
	}
	off = (off + 7) & ~7u;
	sr_hdr(&r->hdr, SR_RB_FDINFO, (__u32)bpf_get_current_pid_tgid(), bpf_ktime_get_ns(), off);
	sr_submit(r, off);
	return 0;
}

/* Global functions: the verifier checks each once, not once per call site (recvmsg's fds,
 * a pair's two ends), which keeps this program's load in milliseconds. */
__noinline int sr_emit_fdinfo(long fd, long id)
{
	return _emit_fdinfo(fd, id, true);
}

__noinline int sr_emit_fdinfo_nopath(long fd, long id)
{
	return _emit_fdinfo(fd, id, false);
}

static __always_inline void _emit_fd(long fd, long id, bool with_path)
{
	if (with_path)
		sr_emit_fdinfo(fd, id);
	else
		sr_emit_fdinfo_nopath(fd, id);
}

/* recvmsg: the fds an SCM_RIGHTS control message brought (the first two messages looked at,
 * SR_SCM_MAX fds each).  The layouts of msghdr and cmsghdr differ in the ia32 ABI. */
static __always_inline void _received_fds(long id, __u64 msg, bool with_path)
{
	bool compat = id >= SR_COMPAT_BASE;
	__u64 control = 0, controllen = 0, pos = 0, clen = 0;
	__u32 hdr = compat ? 12 : 16, c32[3];
	int level = 0, type = 0, fds[SR_SCM_MAX];

	if (compat) {
		__u32 v[2];

		if (bpf_probe_read_user(v, sizeof(v), (void *)(msg + 16)))
			return;
		control = v[0], controllen = v[1];
	} else {
		__u64 v[2];

		if (bpf_probe_read_user(v, sizeof(v), (void *)(msg + 32)))
			return;
		control = v[0], controllen = v[1];
	}
	for (int m = 0; m < 2; m++) {
		if (!control || pos + hdr > controllen)
			return;
		if (compat) {
			if (bpf_probe_read_user(c32, sizeof(c32), (void *)(control + pos)))
				return;
			clen = c32[0], level = (int)c32[1], type = (int)c32[2];
		} else {
			struct { __u64 len; int level, type; } c;

			if (bpf_probe_read_user(&c, sizeof(c), (void *)(control + pos)))
				return;
			clen = c.len, level = c.level, type = c.type;
		}
		if (clen < hdr || clen > controllen - pos)
			return;
		if (level == 1 && type == 1) { /* SOL_SOCKET, SCM_RIGHTS */
			__u64 n = (clen - hdr) / sizeof(int);

			if (n > SR_SCM_MAX)
				n = SR_SCM_MAX;
			if (!n || bpf_probe_read_user(fds, (n & (SR_SCM_MAX * 2 - 1)) * sizeof(int) > sizeof(fds) ?
						     sizeof(fds) : (n & (SR_SCM_MAX * 2 - 1)) * sizeof(int),
						     (void *)(control + pos + hdr)))
				return;
			for (int i = 0; i < SR_SCM_MAX; i++)
				if (i < n)
					_emit_fd(fds[i], id, with_path);
			return;
		}
		pos += (clen + (compat ? 3 : 7)) & ~(compat ? 3ull : 7ull);
	}
}

static __always_inline int _sock_exit(struct pt_regs *regs, long ret, bool with_path)
{
	struct task_struct *task = sr_current_task();
	long nr = regs->orig_ax, id;
	struct sr_task_state *st;
	bool connect, accept;
	__u64 args[6];
	int pair[2];

	switch (nr) { /* the numbers that may be one of them, in either ABI */
	case NR_PIPE: case NR_CONNECT: case NR_ACCEPT: case NR_RECVMSG: case NR_BIND:
	case NR_SOCKETPAIR: case NR_ACCEPT4: case NR_PIPE2:
	case SR_NR_SOCKETCALL_I386: case NR32_PIPE2: case NR32_SOCKETPAIR: case NR32_BIND:
	case NR32_CONNECT: case NR32_ACCEPT4: case NR32_RECVMSG:
		break;
	default:
		return 0;
	}
	if (ret < 0 && ret != -115) /* EINPROGRESS: a connect bound already */
		return 0;
	id = sr_syscall_id(task, nr);
	/* The syscall program ran first: a task it records has its state, selected. */
	st = sr_task_state(task, (__u32)bpf_get_current_pid_tgid(), false);
	if (!st || (select_mode && st->sel != SR_SEL_YES))
		return 0;
	sr_syscall_args(regs, id, args);
	if (id == ID32(SR_NR_SOCKETCALL_I386))
		id = sr_socketcall(id, args);
	accept = id == NR_ACCEPT || id == NR_ACCEPT4 || id == ID32(NR32_ACCEPT4) || id == ID32(500);
	connect = id == NR_CONNECT || id == ID32(NR32_CONNECT);
	if (ret < 0 && !connect)
		return 0;
	if (accept || connect || id == NR_BIND || id == ID32(NR32_BIND)) {
		_emit_sock(task, accept ? ret : (long)(int)args[0], id);
		return 0;
	}
	switch (id) {
	case NR_PIPE: case NR_PIPE2: case ID32(NR32_PIPE): case ID32(NR32_PIPE2):
	case NR_SOCKETPAIR: case ID32(NR32_SOCKETPAIR):
		if (bpf_probe_read_user(pair, sizeof(pair), (void *)args[id == NR_SOCKETPAIR ||
					id == ID32(NR32_SOCKETPAIR) ? 3 : 0]))
			return 0;
		_emit_fd(pair[0], id, with_path);
		_emit_fd(pair[1], id, with_path);
		return 0;
	case NR_RECVMSG: case ID32(NR32_RECVMSG):
		_received_fds(id, args[1], with_path);
		return 0;
	}
	return 0;
}

/* With the paths of received files (bpf_loop, 5.17), and without. */
SEC("tp_btf/sys_exit")
int BPF_PROG(sock_exit, struct pt_regs *regs, long ret)
{
	return _sock_exit(regs, ret, true);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sock_exit_nopath, struct pt_regs *regs, long ret)
{
	return _sock_exit(regs, ret, false);
}
