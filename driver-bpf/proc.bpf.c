// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Process lifecycle from the sched tracepoints: fork (and the pid-tree selection that follows
 * it), exec with filename and arguments, exit with the wait status.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers.bpf.h"
#include "path.bpf.h"

#define SR_SIGCHLD 17
#define SR_CLONE_VM 0x100
#define SR_CLONE_FS 0x200
#define SR_CLONE_FILES 0x400
#define SR_CLONE_SIGHAND 0x800
#define SR_CLONE_VFORK 0x4000
#define SR_CLONE_THREAD 0x10000

/*
 * The flags of the clone that made @child, as its caller (@parent, the current task) passed
 * them: from the caller's registers, still those of its clone, clone3 (flags and exit signal
 * in its struct clone_args), fork or vfork.  Kernels without bpf_task_pt_regs (5.15), and
 * threads the kernel starts itself (io_uring workers), get what the child shares with its
 * parent instead: CLONE_THREAD/VM/FS/FILES/SIGHAND/VFORK and the exit signal.
 */
static __always_inline __u64 _clone_flags(struct task_struct *parent, struct task_struct *child)
{
	struct pt_regs *regs;
	__u64 flags = 0, cargs[5];
	long nr, id;

	if (has_task_pt_regs) {
		regs = (struct pt_regs *)bpf_task_pt_regs(parent);
		nr = BPF_CORE_READ(regs, orig_ax);
		id = nr >= 0 && nr < SR_COMPAT_BASE ? sr_syscall_id(parent, nr) : -1;
		switch (id) {
		case 56: return BPF_CORE_READ(regs, di);                    /* clone */
		case SR_COMPAT_BASE + 120: return (__u32)BPF_CORE_READ(regs, bx);
		case 57: case SR_COMPAT_BASE + 2: return SR_SIGCHLD;          /* fork */
		case 58: case SR_COMPAT_BASE + 190:                           /* vfork */
			return SR_CLONE_VM | SR_CLONE_VFORK | SR_SIGCHLD;
		case 435: case SR_COMPAT_BASE + 435:                          /* clone3 */
			/* struct clone_args: flags, pidfd, child_tid, parent_tid, exit_signal */
			if (bpf_probe_read_user(cargs, sizeof(cargs), (void *)(id == 435 ?
					BPF_CORE_READ(regs, di) : (__u32)BPF_CORE_READ(regs, bx))))
				break;
			return cargs[0] | (cargs[4] & 0xff);
		}
	}
	if (child->tgid == parent->tgid)
		flags |= SR_CLONE_THREAD;
	if (child->mm && child->mm == parent->mm)
		flags |= SR_CLONE_VM;
	if (child->fs == parent->fs)
		flags |= SR_CLONE_FS;
	if (child->files && child->files == parent->files)
		flags |= SR_CLONE_FILES;
	if (child->sighand == parent->sighand)
		flags |= SR_CLONE_SIGHAND;
	if (child->vfork_done)
		flags |= SR_CLONE_VFORK;
	return flags | ((__u32)child->exit_signal & 0xff);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctid = child->pid, cpid = child->tgid;
	struct sr_rb_fork *f;

	/* A new process of a traced one is traced too (threads share the tgid). */
	if ((select_mode & SR_SEL_PIDS) && ctid == cpid && bpf_map_lookup_elem(&traced, &ptgid)) {
		__u8 one = 1;

		bpf_map_update_elem(&traced, &cpid, &one, BPF_ANY);
	}
	if (!sr_selected(ptgid))
		return 0;
	f = (struct sr_rb_fork *)sr_scratch_buf();
	if (!f)
		return 0;
	sr_hdr(&f->hdr, SR_RB_FORK, parent->pid, bpf_ktime_get_ns(), sizeof(*f));
	f->child_tid = ctid;
	f->child_pid = cpid;
	f->clone_flags = _clone_flags(parent, child);
	sr_submit(f, sizeof(*f));
	return 0;
}

static __always_inline int _sched_exec(struct task_struct *p, pid_t old_pid,
				       struct linux_binprm *bprm, bool with_path)
{
	struct sr_rb_exec *e;
	__u64 now = bpf_ktime_get_ns(), arg_start, arg_end;
	char head[9] = {};
	__u32 off;
	long n;
	__u8 *buf;

	struct sr_task_state *st = sr_task_state(p, p->pid, false);

	if (st)
		st->sel = 0; /* decide again: the exec may follow a move into a container's cgroup */
	if (!sr_selected(p->tgid))
		return 0;
	buf = sr_scratch_buf();
	if (!buf)
		return 0;
	e = (struct sr_rb_exec *)buf;
	e->pid = p->tgid;
	e->old_tid = old_pid;
	e->exe_flags = 0;
	e->pad = 0;
	/* "/dev/fd/N" (fexecve, execveat on an fd: a memfd too), a /proc magic link
	 * (/proc/self/exe, /proc/PID/fd/N) or a relative name does not say which file runs: its
	 * path then comes along, first (fixed slots). */
	if (bpf_probe_read_kernel_str(head, sizeof(head), BPF_CORE_READ(bprm, filename)) < 0)
		head[0] = 0;
	n = 0;
	if (with_path && (head[0] != '/' || (head[1] == 'd' && head[2] == 'e' && head[3] == 'v' &&
				head[4] == '/' && head[5] == 'f' && head[6] == 'd' && head[7] == '/') ||
			  (head[1] == 'p' && head[2] == 'r' && head[3] == 'o' && head[4] == 'c' &&
			   head[5] == '/')))
		n = sr_path(BPF_CORE_READ(bprm, file), p, sizeof(*e), &e->exe_flags) * SR_NAME_MAX;
	e->exe_sz = (__u16)n;
	off = sizeof(*e) + (n & (SR_PATH_DEPTH * SR_NAME_MAX * 2 - 1));
	off &= SR_SCRATCH_HALF - 1;
	n = bpf_probe_read_kernel_str(buf + off, SR_PATH_MAX, BPF_CORE_READ(bprm, filename));
	n = n > 0 ? n - 1 : 0;
	e->filename_sz = (__u16)n;
	off += n & (SR_PATH_MAX - 1);

	/* The arguments are in the new image's memory, readable now that it is current. */
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	n = arg_end > arg_start ? arg_end - arg_start : 0;
	e->args_len = (__u32)n;
	if (n > SR_ARGS_MAX)
		n = SR_ARGS_MAX;
	off &= SR_SCRATCH_HALF - 1;
	if (n && bpf_probe_read_user(buf + off, n & (SR_ARGS_MAX * 2 - 1), (void *)arg_start))
		n = 0;
	e->args_sz = (__u16)n;
	off = (off + n + 7) & ~7;
	sr_hdr(&e->hdr, SR_RB_EXEC, p->pid, now, off);
	sr_submit(e, off);

	/* A new image: new name, maybe new credentials (setuid binaries). */
	sr_emit_thread(p, p->pid, now);
	return 0;
}

/* The exec with the path of a file run through /dev/fd/N (bpf_loop, 5.17), and without. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return _sched_exec(p, old_pid, bprm, true);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec_nopath, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return _sched_exec(p, old_pid, bprm, false);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_exit, struct task_struct *p)
{
	struct sr_rb_exit *x;
	__u32 tgid = p->tgid, tid = p->pid;

	if (!has_task_storage) /* the hash map standing for task storage: the thread is gone */
		bpf_map_delete_elem(&task_state, &tid);
	if (!sr_selected(tgid))
		return 0;
	x = (struct sr_rb_exit *)sr_scratch_buf();
	if (!x)
		return 0;
	sr_hdr(&x->hdr, SR_RB_EXIT, p->pid, bpf_ktime_get_ns(), sizeof(*x));
	x->pid = tgid;
	x->exit_code = p->exit_code;
	x->cpu_ns = p->se.sum_exec_runtime;
	sr_submit(x, sizeof(*x));
	/* The pid leaves the selection when the process is freed (cpu_final): its last CPU
	 * record needs it. */
	return 0;
}

/*
 * A task moved into another cgroup2 cgroup (runc and `docker exec` moving their init, a write
 * to cgroup.procs): its identity again, with the new cgroup, so that what it does next is its
 * container's, not the host's; its selection is decided again (a move into a --container
 * cgroup).  The kernel reports a thread-group move once, for its leader.
 */
SEC("tp_btf/cgroup_attach_task")
int BPF_PROG(cgroup_attach, struct cgroup *dst, const char *path, struct task_struct *task,
	     bool threadgroup)
{
	struct sr_task_state *st;
	__u32 tgid;

	if (BPF_CORE_READ(dst, root, hierarchy_id) != 0) /* a v1 hierarchy */
		return 0;
	tgid = BPF_CORE_READ(task, tgid);
	st = sr_task_state(task, BPF_CORE_READ(task, pid), false);
	if (st)
		st->sel = 0;
	if (tgid == self_tgid)
		return 0;
	if ((select_mode & SR_SEL_PIDS) && !bpf_map_lookup_elem(&traced, &tgid))
		return 0;
	if ((select_mode & SR_SEL_CGROUPS) && !sr_task_in_cgroups(task))
		return 0;
	sr_emit_thread_in(task, BPF_CORE_READ(task, pid), bpf_ktime_get_ns(),
			  BPF_CORE_READ(dst, kn, id));
	return 0;
}
