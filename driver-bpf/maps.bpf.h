/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Every map and every load-time setting of the sysrec BPF programs, in one place.  Settings
 * are `const volatile` globals that the loader writes through skel->rodata before load, so the
 * verifier prunes the paths they disable.
 *
 * Each .bpf.c includes this header; everything here is __weak so that the objects link into
 * one (bpftool gen object) with a single copy of each map and setting.
 */
#ifndef SYSREC_MAPS_BPF_H
#define SYSREC_MAPS_BPF_H

#include "records.h"

#define SR_MAX_CGROUPS 16

/* ---- settings (rodata) ---- */

/* The recorder's own tgid: never recorded. */
__weak const volatile __u32 self_tgid = 0;
/* Selection before any copy: SR_SEL_PIDS keeps the tgids in `traced` (and their descendants,
 * added at fork); SR_SEL_CGROUPS keeps tasks under one of the first `cgroup_cnt` cgroups of
 * `cgroups`.  With both, a task must pass both.  0: everything. */
#define SR_SEL_PIDS SR_SEL_PIDS_FLAG
#define SR_SEL_CGROUPS SR_SEL_CGROUPS_FLAG
__weak const volatile __u32 select_mode = 0;
__weak const volatile __u32 cgroup_cnt = 0;
/* Bytes of buffers and non-path strings kept (at most SR_ITEM_MAX). */
__weak const volatile __u32 snaplen = 80;
/* Per syscall number: record it at all (bitmap). */
__weak const volatile __u64 syscall_on[SR_NR_MAX / 64] = { 0 };

/* What to capture for a syscall: up to SR_MAX_CAPS arguments' user memory (records.h). */
__weak const volatile struct sr_cap caps[SR_NR_MAX][SR_MAX_CAPS] = { 0 };

/* ---- maps ---- */

/* One ring buffer per CPU (an array of ring buffers indexed by cpu): a ring shared by CPUs
 * collapses under contention.  The loader sizes and creates them. */
struct sr_ring {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct sr_ring);
} rings SEC(".maps") __weak;

/* Per-thread state: entry time of the syscall in progress, and whether the thread's identity
 * was emitted.  Task storage: ~10 ns, where a hash map lookup costs ~25. */
struct sr_task_state {
	__u64 enter_ts; /* 0: not in a syscall we saw enter */
	__u32 seen;     /* SR_RB_THREAD emitted */
	__u32 sel;      /* selection, cached: 0 not decided yet, SR_SEL_YES, SR_SEL_NO */
	/* An exec in progress, as it entered: a successful exec leaves neither its number
	 * (orig_ax becomes the new image's execve) nor its arguments in the registers. */
	__u16 exec_id;  /* event id of the execve/execveat, 0: none */
	__u16 pad;
	__s32 exec_dirfd;
	__u32 exec_flags;
	__u32 pad2;
};

#define SR_SEL_YES 1
#define SR_SEL_NO 2

/* Kernels before 5.11 have no task storage and no bpf_get_current_task_btf(): the loader
 * clears this and turns task_state into a hash map by tid (capture/bpf_driver.c). */
__weak const volatile __u32 has_task_storage = 1;
/* Kernels before 5.15 have no BPF cookies: the loader clears this, and each probe program
 * (one probe of its kind at most) takes its probe's id from probe_id_of_kind[]. */
__weak const volatile __u32 has_cookie = 1;
/* Kernels before 5.15 have no bpf_task_pt_regs: the loader clears this (clone flags are then
 * what the child shares with its parent, and calls pending at stop are not listed). */
__weak const volatile __u32 has_task_pt_regs = 1;
__weak const volatile __u32 probe_id_of_kind[8] = { 0 };

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sr_task_state);
} task_state SEC(".maps") __weak;

/* Traced tgids for SR_SEL_PIDS; children of a traced process are added at fork. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} traced SEC(".maps") __weak;

/* Cgroups for SR_SEL_CGROUPS (a task under any of them, at any depth, is selected). */
struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, SR_MAX_CGROUPS);
	__type(key, __u32);
	__type(value, __u32);
} cgroups SEC(".maps") __weak;

/* The ids of the same cgroups, for tasks other than the current one (the CPU iterator). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SR_MAX_CGROUPS);
	__type(key, __u32);
	__type(value, __u64);
} cgroup_ids SEC(".maps") __weak;

/* Lost events per CPU and kind (enum sr_drop_kind). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SR_DROP_KIND_CNT);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps") __weak;

/* Where a record is built before it is copied into the ring at its real size.  Twice the
 * largest record, so that offsets masked to half of it stay in bounds for the verifier. */
#define SR_SCRATCH_SZ (1 << 15) /* per-CPU values are limited to 32 KiB */
#define SR_SCRATCH_HALF (SR_SCRATCH_SZ / 2)

struct sr_scratch {
	__u8 buf[SR_SCRATCH_SZ];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sr_scratch);
} scratch SEC(".maps") __weak;

#endif
