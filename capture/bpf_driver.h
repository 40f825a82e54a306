/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The BPF driver: loads the programs of driver-bpf/ with the capture's settings, creates one
 * ring buffer per CPU, attaches, and gives the consumer its rings and the drop counters.
 */
#ifndef SYSREC_BPF_DRIVER_H
#define SYSREC_BPF_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ring.h"
#include "sr_error.h"

struct bpf_driver;
struct bpf_object;

struct bpf_driver_opts {
	size_t sz;
	const pid_t *pids; /* select these processes and their descendants (NULL: no pid selection) */
	size_t pid_cnt;
	const int *cgroup_fds; /* select tasks under these cgroup v2 directories */
	size_t cgroup_cnt;
	uint32_t snaplen;      /* bytes of buffers kept (<= 4096) */
	uint32_t ring_sz;      /* bytes per CPU ring, power of two */
	bool no_latency;       /* do not load the sys_enter program */
	const uint64_t *syscall_on; /* bitmap of SR_NR_MAX bits, NULL: every syscall */
	/* --probe and --sample, for kernels without BPF cookies (before 5.15), where each
	 * program serves one probe: the probes of each kind (probes.h's kinds; 0: --sample
	 * events) and the id of the last one */
	uint32_t kind_cnt[10];
	uint32_t kind_id[10];
};

/*
 * bpf_driver__open - load, set up and attach the programs.
 * @return 0 and *@out; -EPERM when not root; -EOPNOTSUPP when the kernel lacks a feature
 *         (BTF, tp_btf, ring buffer); other -errno; @diag says what is missing.
 */
int bpf_driver__open(const struct bpf_driver_opts *opts, struct bpf_driver **out,
		     struct sr_diag *diag);

/* Detach everything and free; NULL is allowed. */
void bpf_driver__close(struct bpf_driver *d);

/*
 * bpf_driver__stop - end the capture of syscalls: unhook them, then write a pending SYSCALL
 * record for every selected thread still inside one (a task iterator).  The process
 * lifecycle hooks stay until close.  @return 0 or -errno.
 */
int bpf_driver__stop(struct bpf_driver *d);

struct bpf_program;
/* The perf_event program for --sample (sampler.h attaches it). */
struct bpf_program *bpf_driver__sample_prog(struct bpf_driver *d);

/* The --probe programs (probes.h attaches them) and their configuration map. */
/* Let @obj, another BPF object (kfunc.bpf.c), share the driver's maps (same names) and
 * selection settings (its rodata); call before loading it. */
int bpf_driver__share_with(struct bpf_driver *d, struct bpf_object *obj, uint32_t *self_tgid,
			   uint32_t *select_mode, uint32_t *cgroup_cnt);

struct bpf_driver_probe_progs {
	struct bpf_program *tp, *uprobe, *uretprobe, *usdt, *kprobe, *kretprobe;
	int cfg_fd;
	bool cookies; /* attach with the probe's id as BPF cookie (else: none, Linux < 5.15) */
};
void bpf_driver__probe_progs(struct bpf_driver *d, struct bpf_driver_probe_progs *out);

/* Put every selected thread's CPU time so far into the rings (SR_RB_CPU records). */
int bpf_driver__cpu_times(struct bpf_driver *d);

/* Add a process (and, from now on, its descendants) to the pid selection. */
int bpf_driver__add_pid(struct bpf_driver *d, pid_t pid);

/* The rings, one per possible CPU (index = cpu). */
struct ring *bpf_driver__rings(struct bpf_driver *d, size_t *cnt);

/* Lost events so far: @out[cpu * kinds + kind], @cnt = cpus * kinds.  @return 0 or -errno. */
int bpf_driver__drops(struct bpf_driver *d, uint64_t *out, size_t cnt);

#endif
