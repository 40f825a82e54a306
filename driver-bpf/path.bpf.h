/*
 * The path of an open file, as d_path would write it for a task: its components, innermost
 * first, one per SR_NAME_MAX-byte slot (each ending with a NUL) from a fixed offset of the
 * per-CPU scratch buffer.  User space joins them (capture/convert.c).  A walk up the dentries
 * and across mounts, stopping at the task's root or the top of its mount tree, one step per
 * bpf_loop() iteration (5.17): fixed slots, not a growing offset, keep the callback's states
 * alike, so the verifier converges at once.  Older kernels reject a program that merely holds
 * the callback, so the programs that use this come in two builds, one without it (the loader
 * picks: `*_nopath`).
 */
#ifndef SYSREC_PATH_BPF_H
#define SYSREC_PATH_BPF_H

#include "helpers.bpf.h"

#define SR_PATH_DEPTH 16 /* components kept */
#define SR_NAME_MAX 256

struct sr_path_walk {
	struct dentry *d, *root_d;
	struct vfsmount *vm, *root_m;
	struct mount *m;
	__u32 base; /* offset of slot 0 in the scratch buffer */
	__u32 cnt;  /* slots filled */
	__u32 cut;  /* stopped for want of slots */
};

/* Dentry @d's name into slot @slot; 0 when unreadable. */
static __always_inline bool _sr_name(__u32 base, __u32 slot, struct dentry *d)
{
	__u8 *buf = sr_scratch_buf();
	__u32 off = base + (slot & (SR_PATH_DEPTH - 1)) * SR_NAME_MAX;

	return buf && bpf_probe_read_kernel_str(buf + (off & (SR_SCRATCH_HALF - 1)), SR_NAME_MAX,
						BPF_CORE_READ(d, d_name.name)) > 0;
}

static long _sr_path_step(__u32 i, struct sr_path_walk *w)
{
	/* locals: BPF_CORE_READ on w->x would relocate struct sr_path_walk's own fields */
	struct dentry *d = w->d, *parent;
	struct vfsmount *vm = w->vm;
	struct mount *m = w->m, *mp;
	__u32 cnt = w->cnt;

	if (d == w->root_d && vm == w->root_m)
		return 1;
	if (cnt >= SR_PATH_DEPTH) {
		w->cut = 1;
		return 1;
	}
	parent = BPF_CORE_READ(d, d_parent);
	if (d == BPF_CORE_READ(vm, mnt_root) || d == parent) {
		mp = BPF_CORE_READ(m, mnt_parent);
		if (mp == m || !mp) { /* the top of the tree */
			if (!cnt && d == parent && _sr_name(w->base, 0, d)) /* in no directory: memfd */
				w->cnt = 1;
			return 1;
		}
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->vm = (struct vfsmount *)((void *)mp + bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	if (!_sr_name(w->base, cnt, d))
		return 1;
	w->cnt = cnt + 1;
	w->d = parent;
	return 0;
}

#define SR_PATH_F_DELETED 0x1 /* unlinked: d_path's " (deleted)" */
#define SR_PATH_F_CUT 0x2     /* deeper than SR_PATH_DEPTH components */

/* The components of @file's path as task @p sees it, in the slots from @base of the scratch
 * buffer.  @return the number of slots filled (0: none, e.g. without bpf_loop); *@flags:
 * SR_PATH_F_*. */
static __always_inline __u32 sr_path(struct file *file, struct task_struct *p, __u32 base,
				     __u16 *flags)
{
	struct dentry *d = BPF_CORE_READ(file, f_path.dentry);
	struct vfsmount *vm = BPF_CORE_READ(file, f_path.mnt);
	struct sr_path_walk w = {
		.d = d,
		.vm = vm,
		.m = (struct mount *)((void *)vm - bpf_core_field_offset(struct mount, mnt)),
		.root_d = BPF_CORE_READ(p, fs, root.dentry),
		.root_m = BPF_CORE_READ(p, fs, root.mnt),
		.base = base,
	};

	*flags = 0;
	if (!d)
		return 0;
	if (!BPF_CORE_READ(d, d_hash.pprev))
		*flags |= SR_PATH_F_DELETED;
	bpf_loop(SR_PATH_DEPTH + 8, _sr_path_step, &w, 0); /* (+ mount crossings) */
	if (w.cut)
		*flags |= SR_PATH_F_CUT;
	return w.cnt < SR_PATH_DEPTH ? w.cnt : SR_PATH_DEPTH;
}

#endif
