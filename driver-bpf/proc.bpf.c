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
	f->clone_flags = 0;
	sr_submit(f, sizeof(*f));
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct sr_rb_exec *e;
	__u64 now = bpf_ktime_get_ns(), arg_start, arg_end;
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
	e->pad = 0;
	n = bpf_probe_read_kernel_str(buf + sizeof(*e), SR_PATH_MAX, BPF_CORE_READ(bprm, filename));
	n = n > 0 ? n - 1 : 0;
	e->filename_sz = (__u16)n;
	off = sizeof(*e) + (n & (SR_PATH_MAX - 1));

	/* The arguments are in the new image's memory, readable now that it is current. */
	arg_start = BPF_CORE_READ(p, mm, arg_start);
	arg_end = BPF_CORE_READ(p, mm, arg_end);
	n = arg_end > arg_start ? arg_end - arg_start : 0;
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
