/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Helpers shared by the sysrec BPF programs, in layers (each uses only the ones above it):
 *
 *   base     sr_drop(), sr_scratch_buf()          counters and the per-CPU scratch buffer
 *   select   sr_selected()                        the in-kernel selection, before any copy
 *   select   sr_task_selected()                   the same, cached in the task's state
 *   select   sr_task_in_cgroups()                 another task (not the current one) in them
 *   store    sr_ring(), sr_submit()               this CPU's ring; copy a built record into it
 *   syscall  sr_syscall_id(), sr_syscall_args()   which syscall (x86_64 or ia32), its arguments
 *   records  sr_emit_thread()                     whole records shared by several programs
 *
 * A program body reads like a form: take the scratch buffer, fill the header, fill each
 * parameter, submit; on any failure return early and count the drop.  Never submit a half
 * filled record.
 */
#ifndef SYSREC_HELPERS_BPF_H
#define SYSREC_HELPERS_BPF_H

#include "event_kinds.h"
#include "maps.bpf.h"

/* ---- base ---- */

static __always_inline void sr_drop(__u32 kind)
{
	__u64 *cnt = bpf_map_lookup_elem(&drops, &kind);

	if (cnt)
		*cnt += 1;
}

static __always_inline __u8 *sr_scratch_buf(void)
{
	__u32 zero = 0;
	struct sr_scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	return s ? s->buf : NULL;
}

/* ---- select ---- */

static __always_inline bool sr_selected(__u32 tgid)
{
	if (tgid == self_tgid)
		return false;
	if ((select_mode & SR_SEL_PIDS) && !bpf_map_lookup_elem(&traced, &tgid))
		return false;
	if (select_mode & SR_SEL_CGROUPS) {
		for (__u32 i = 0; i < SR_MAX_CGROUPS; i++) {
			if (i >= cgroup_cnt)
				return false;
			if (bpf_current_task_under_cgroup(&cgroups, i) == 1)
				return true;
		}
		return false;
	}
	return true;
}

/* @task is in one of the selected cgroups, or below one (at most 16 levels down). */
static __always_inline bool sr_task_in_cgroups(struct task_struct *task)
{
	struct cgroup *cg = BPF_CORE_READ(task, cgroups, dfl_cgrp);

	for (int depth = 0; depth < 16 && cg; depth++) {
		__u64 id = BPF_CORE_READ(cg, kn, id);

		for (__u32 i = 0; i < SR_MAX_CGROUPS && i < cgroup_cnt; i++) {
			__u32 k = i;
			__u64 *sel = bpf_map_lookup_elem(&cgroup_ids, &k);

			if (sel && *sel == id)
				return true;
		}
		/* The parent: struct cgroup begins with its css, whose parent is the parent's. */
		cg = (struct cgroup *)BPF_CORE_READ(cg, self.parent);
	}
	return false;
}

/* The current task: a BTF pointer where the kernel gives one (5.11), else the plain one,
 * which only BPF_CORE_READ may follow. */
static __always_inline struct task_struct *sr_current_task(void)
{
	if (has_task_storage)
		return bpf_get_current_task_btf();
	return (struct task_struct *)bpf_get_current_task();
}

/* @task's state (thread @tid): task storage, or the hash map by tid that stands for it on
 * older kernels; created when missing with @create. */
static __always_inline struct sr_task_state *sr_task_state(struct task_struct *task, __u32 tid,
							   bool create)
{
	struct sr_task_state zero = {}, *st;

	if (has_task_storage)
		return bpf_task_storage_get(&task_state, task, 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	st = bpf_map_lookup_elem(&task_state, &tid);
	if (st || !create)
		return st;
	bpf_map_update_elem(&task_state, &tid, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&task_state, &tid);
}

/*
 * The state of the current task, created when missing, or NULL when it is not selected (or
 * the state cannot be had).  With a selection, the decision is cached in the task's state:
 * one task-storage lookup per event instead of a hash lookup; sched_exec clears it, as runc
 * and podman move a process into its container's cgroup before the exec.
 */
static __always_inline struct sr_task_state *sr_task_selected(struct task_struct *task, __u32 tgid)
{
	struct sr_task_state *st;

	if (tgid == self_tgid)
		return NULL;
	st = sr_task_state(task, (__u32)bpf_get_current_pid_tgid(), true);
	if (!st || !select_mode)
		return st;
	if (!st->sel)
		st->sel = sr_selected(tgid) ? SR_SEL_YES : SR_SEL_NO;
	return st->sel == SR_SEL_YES ? st : NULL;
}

/* ---- store ---- */

/* This CPU's ring. */
static __always_inline void *sr_ring(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&rings, &cpu);
}

/* Copy @len bytes of a built record into this CPU's ring; counts a drop when it has no room. */
static __always_inline void sr_submit(void *rec, __u32 len)
{
	void *ring = sr_ring();

	len &= SR_SCRATCH_SZ - 1;
	if (!ring || !len || bpf_ringbuf_output(ring, rec, len, BPF_RB_NO_WAKEUP)) {
		sr_drop(SR_DROP_RING_FULL);
		return;
	}
}

static __always_inline void sr_hdr(struct sr_rb_hdr *h, __u16 type, __u32 tid, __u64 ts, __u32 len)
{
	h->ts = ts;
	h->tid = tid;
	h->type = type;
	h->len = (__u16)len;
}

/* ---- syscall ---- */

#define SR_TS_COMPAT 0x0002 /* thread_info.status: the syscall in progress is an ia32 one */

/*
 * The event id of the syscall @nr (regs->orig_ax) that @task is in: @nr itself for an x86_64
 * syscall, SR_COMPAT_BASE + @nr for an ia32 one (a 32-bit program, or int 0x80 from a 64-bit
 * one: the kernel marks both in thread_info.status, which is what in_ia32_syscall() reads).
 */
static __always_inline long sr_syscall_id(struct task_struct *task, long nr)
{
	__u32 status;

	if (!bpf_core_field_exists(task->thread_info.status))
		return nr;
	if (has_task_storage) /* a BTF pointer: a direct load */
		status = task->thread_info.status;
	else
		status = BPF_CORE_READ(task, thread_info.status);
	return status & SR_TS_COMPAT ? SR_COMPAT_BASE + nr : nr;
}

/* The six arguments of the syscall @id from @regs, a trusted (BTF) pointer: ia32 passes them
 * in ebx, ecx, edx, esi, edi, ebp (the upper halves are not the caller's after int 0x80
 * from 64-bit code). */
static __always_inline void sr_syscall_args(struct pt_regs *regs, long id, __u64 *args)
{
	if (id >= SR_COMPAT_BASE) {
		args[0] = (__u32)regs->bx;
		args[1] = (__u32)regs->cx;
		args[2] = (__u32)regs->dx;
		args[3] = (__u32)regs->si;
		args[4] = (__u32)regs->di;
		args[5] = (__u32)regs->bp;
		return;
	}
	args[0] = regs->di;
	args[1] = regs->si;
	args[2] = regs->dx;
	args[3] = regs->r10;
	args[4] = regs->r8;
	args[5] = regs->r9;
}

/*
 * ia32 socketcall(call, args): the id of the operation it stands for (its own ia32 syscall,
 * or the pseudo ids 500-502 for accept, send and recv, which have none) with @args replaced
 * by the operation's arguments, read from the caller's array of 32-bit values; @id when the
 * call is unknown or the array unreadable (the record then shows socketcall itself).
 */
static __always_inline long sr_socketcall(long id, __u64 *args)
{
	/* By SYS_* operation (1-20): its ia32 syscall (500-502: accept, send, recv, which have
	 * none) and its number of arguments.  A table, not a switch: one path for the verifier. */
	static const __u16 sub_nr[21] = { 0, 359, 361, 362, 363, 500, 367, 368, 360, 501, 502,
					   369, 371, 373, 366, 365, 370, 372, 364, 337, 345 };
	static const __u8 sub_args[21] = { 0, 3, 3, 3, 2, 3, 3, 3, 4, 4, 4, 6, 6, 2, 5, 5, 3, 3,
					    4, 5, 4 };
	__u64 call = args[0];
	__u32 a[8] = {};
	long n;

	if (call < 1 || call > 20)
		return id;
	n = sub_args[call];
	if (bpf_probe_read_user(a, (n & 7) * sizeof(__u32), (void *)args[1]))
		return id;
	for (int i = 0; i < 6; i++)
		args[i] = a[i];
	return SR_COMPAT_BASE + sub_nr[call];
}

/* ---- records ---- */

/* Namespace inode of @ns_common-bearing field, 0 when the field is absent on this kernel. */
#define SR_NS_INUM(nsproxy, field) \
	(bpf_core_field_exists(nsproxy->field) ? BPF_CORE_READ(nsproxy, field, ns.inum) : 0)

/* The pid of @pid as seen in its own (deepest) namespace, and that namespace's inode. */
static __always_inline __u32 sr_vnr(struct pid *pid, __u32 *ns_inum)
{
	struct upid up = {};
	unsigned int level = BPF_CORE_READ(pid, level);

	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	if (ns_inum)
		*ns_inum = BPF_CORE_READ(up.ns, ns.inum);
	return up.nr;
}

/* Emit the identity of thread @task (SR_RB_THREAD), in cgroup @cgroup_id (cgroup2). */
static __always_inline void sr_emit_thread_in(struct task_struct *task, __u32 tid, __u64 ts,
					      __u64 cgroup_id)
{
	struct sr_rb_thread *t = (struct sr_rb_thread *)sr_scratch_buf();
	const struct cred *cred;
	struct nsproxy *nsp;

	if (!t)
		return;
	sr_hdr(&t->hdr, SR_RB_THREAD, tid, ts, sizeof(*t));
	/* BPF_CORE_READ throughout: @task may be a plain pointer (sr_current_task()) */
	t->pid = BPF_CORE_READ(task, tgid);
	t->ppid = BPF_CORE_READ(task, real_parent, tgid);
	t->vtid = sr_vnr(BPF_CORE_READ(task, thread_pid), &t->ns_pid);
	t->vpid = sr_vnr(BPF_CORE_READ(task, group_leader, thread_pid), NULL);
	cred = BPF_CORE_READ(task, cred);
	t->uid = BPF_CORE_READ(cred, uid.val);
	t->gid = BPF_CORE_READ(cred, gid.val);
	t->euid = BPF_CORE_READ(cred, euid.val);
	t->egid = BPF_CORE_READ(cred, egid.val);
	t->ns_user = BPF_CORE_READ(cred, user_ns, ns.inum);
	t->cgroup_id = cgroup_id;
	t->start_ns = BPF_CORE_READ(task, start_time);
	nsp = BPF_CORE_READ(task, nsproxy);
	t->ns_mnt = SR_NS_INUM(nsp, mnt_ns);
	t->ns_net = SR_NS_INUM(nsp, net_ns);
	t->ns_uts = SR_NS_INUM(nsp, uts_ns);
	t->ns_ipc = SR_NS_INUM(nsp, ipc_ns);
	t->ns_cgroup = SR_NS_INUM(nsp, cgroup_ns);
	t->ns_time = SR_NS_INUM(nsp, time_ns);
	bpf_probe_read_kernel_str(t->comm, sizeof(t->comm), &task->comm);
	sr_submit(t, sizeof(*t));
}

/* Emit the identity of the current thread @task (SR_RB_THREAD). */
static __always_inline void sr_emit_thread(struct task_struct *task, __u32 tid, __u64 ts)
{
	sr_emit_thread_in(task, tid, ts, bpf_get_current_cgroup_id());
}

#endif
