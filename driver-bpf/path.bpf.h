/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The path of an open file, as d_path would write it for a task: its components, innermost
 * first, each ending with a NUL, appended to the per-CPU scratch buffer.  User space joins
 * them (capture/convert.c).  A walk up the dentries and across mounts, stopping at the task's
 * root or the top of its mount tree, one step per bpf_loop() iteration (5.17; the callback is
 * verified once, an unrolled walk would not pass the verifier).
 */
#ifndef SYSREC_PATH_BPF_H
#define SYSREC_PATH_BPF_H

#include "helpers.bpf.h"

#define SR_PATH_DEPTH 32 /* components kept */
#define SR_NAME_MAX 256

struct sr_path_walk {
	struct dentry *d, *root_d;
	struct vfsmount *vm, *root_m;
	struct mount *m;
	__u32 off, start;
};

/* Dentry @d's name, with its NUL, at @off in the scratch buffer; its length, 0 on failure. */
static __always_inline __u32 _sr_name(__u32 off, struct dentry *d)
{
	__u8 *buf = sr_scratch_buf();
	long n;

	if (!buf)
		return 0;
	n = bpf_probe_read_kernel_str(buf + (off & (SR_SCRATCH_HALF - 1)), SR_NAME_MAX,
				      BPF_CORE_READ(d, d_name.name));
	return n > 0 ? (__u32)n : 0;
}

static long _sr_path_step(__u32 i, struct sr_path_walk *w)
{
	/* locals: BPF_CORE_READ on w->x would relocate struct sr_path_walk's own fields */
	struct dentry *d = w->d, *parent;
	struct vfsmount *vm = w->vm;
	struct mount *m = w->m, *mp;
	__u32 n;

	if (d == w->root_d && vm == w->root_m)
		return 1;
	parent = BPF_CORE_READ(d, d_parent);
	if (d == BPF_CORE_READ(vm, mnt_root) || d == parent) {
		mp = BPF_CORE_READ(m, mnt_parent);
		if (mp == m || !mp) { /* the top of the tree */
			if (w->off == w->start && d == parent) /* in no directory: memfd, pipe */
				w->off += _sr_name(w->off, d);
			return 1;
		}
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->vm = (struct vfsmount *)((void *)mp + bpf_core_field_offset(struct mount, mnt));
		return 0;
	}
	n = _sr_name(w->off, d);
	if (!n)
		return 1;
	w->off += n;
	w->d = parent;
	return 0;
}

#define SR_PATH_F_DELETED 0x1 /* unlinked: d_path's " (deleted)" */
#define SR_PATH_F_CUT 0x2     /* deeper than SR_PATH_DEPTH components */

/* The components of @file's path as task @p sees it, after @off in the scratch buffer.
 * @return the new offset (@off: none, e.g. without bpf_loop); *@flags: SR_PATH_F_*. */
static __always_inline __u32 sr_path(struct file *file, struct task_struct *p, __u32 off,
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
		.off = off,
		.start = off,
	};
	long steps;

	*flags = 0;
	if (!has_bpf_loop || !d)
		return off;
	if (!BPF_CORE_READ(d, d_hash.pprev))
		*flags |= SR_PATH_F_DELETED;
	steps = bpf_loop(SR_PATH_DEPTH, _sr_path_step, &w, 0);
	if (steps >= SR_PATH_DEPTH)
		*flags |= SR_PATH_F_CUT;
	return w.off > off && w.off - off <= SR_PATH_DEPTH * SR_NAME_MAX ? w.off : off;
}

#endif
