// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Syscalls still in progress when the capture stops.  After the syscall hooks are detached,
 * the recorder runs this task iterator once: every selected task whose state still holds an
 * entry time is inside a syscall we saw enter, and gets a SYSCALL record marked pending,
 * with its number and arguments from its saved registers and the time it has waited so far.
 * And the CPU time of each thread (cpu_times, below).
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "helpers.bpf.h"

SEC("iter/task")
int pending_syscalls(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	struct sr_task_state *st;
	struct sr_rb_syscall *r;
	struct pt_regs *regs;
	__u64 now, args[6];
	void *ring;
	long id;

	if (!task)
		return 0;
	st = sr_task_state(task, task->pid, false);
	if (!st || !st->enter_ts || (select_mode && st->sel != SR_SEL_YES))
		return 0;
	regs = (struct pt_regs *)bpf_task_pt_regs(task);
	ring = sr_ring();
	r = ring ? bpf_ringbuf_reserve(ring, sizeof(*r), 0) : NULL;
	if (!r) {
		sr_drop(SR_DROP_RING_FULL);
		return 0;
	}
	now = bpf_ktime_get_ns();
	sr_hdr(&r->hdr, SR_RB_SYSCALL, task->pid, now, sizeof(*r));
	id = BPF_CORE_READ(regs, orig_ax);
	if (id >= 0 && id < SR_COMPAT_BASE)
		id = sr_syscall_id(task, id);
	r->nr = (__u16)id;
	r->ret = 0;
	r->latency_ns = now - st->enter_ts;
	r->flags = SR_SC_F_PENDING;
	r->data_cnt = 0;
	r->pad = 0;
	sr_syscall_args(regs, id, args);
	__builtin_memcpy(r->args, args, sizeof(args));
	st->enter_ts = 0;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}


/* A CPU record: the thread's CPU time so far (@final: it was freed, the account closes). */
static __always_inline int _emit_cpu(struct task_struct *t, __u32 final)
{
	struct sr_rb_cpu *r;
	void *ring = sr_ring();

	r = ring ? bpf_ringbuf_reserve(ring, sizeof(*r), 0) : NULL;
	if (!r) {
		sr_drop(SR_DROP_RING_FULL);
		return 0;
	}
	sr_hdr(&r->hdr, SR_RB_CPU, t->pid, bpf_ktime_get_ns(), sizeof(*r));
	r->pid = t->tgid;
	r->pad = final;
	r->cpu_ns = t->se.sum_exec_runtime;
	r->start_ns = t->start_time;
	bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
	return 0;
}

/*
 * CPU time per thread.  The recorder runs this iterator at the start (a baseline it does not
 * write), every second and at the end; it writes the differences as CPU events.  Selected
 * tasks only; with no selection, every task, kernel threads included (they use CPU too).
 */
SEC("iter/task")
int cpu_times(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;

	if (!task || task->tgid == self_tgid)
		return 0;
	if (select_mode & SR_SEL_PIDS) {
		__u32 tgid = task->tgid;

		if (!bpf_map_lookup_elem(&traced, &tgid))
			return 0;
	} else if (select_mode && !sr_task_in_cgroups(task)) {
		return 0;
	}
	return _emit_cpu(task, 0);
}

/*
 * A thread's final CPU time.  At sched_process_exit the scheduler has not yet accounted the
 * time since its last tick or switch (a short process shows 0); when the task is freed, after
 * its last schedule, it has.  Marked final (pad = 1): the recorder closes the thread's account.
 */
SEC("tp_btf/sched_process_free")
int BPF_PROG(cpu_final, struct task_struct *p)
{
	__u32 tgid = p->tgid;

	if (tgid == self_tgid)
		return 0;
	/* Task storage is gone by now: the selection from the pid map (whose entry for the
	 * process goes with its leader, here) or from the cgroups. */
	if (select_mode & SR_SEL_PIDS) {
		if (!bpf_map_lookup_elem(&traced, &tgid))
			return 0;
		if (p->pid == tgid)
			bpf_map_delete_elem(&traced, &tgid);
	} else if (select_mode && !sr_task_in_cgroups(p)) {
		return 0;
	}
	return _emit_cpu(p, 1);
}
