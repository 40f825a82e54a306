// SPDX-License-Identifier: Apache-2.0
/*
 * Skeleton lifecycle, linear as in libbpf-bootstrap: open, set rodata, load, create the rings,
 * attach.  Settings come from the event table and the options; what the kernel refuses is
 * turned into one line naming the missing feature.
 */
#include <bpf/bpf.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bpf_driver.h"
#include "event_table.h"
#include "record.h"
#include "records.h"
#include "sr_log.h"
#include "sysrec.skel.h"

struct bpf_driver {
	struct sysrec_bpf *skel;
	int ncpu;
	struct ring *rings;
	int *ring_fds;
};

static int _libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];
	size_t len;

	if (level == LIBBPF_DEBUG && sr_log_get_level() < SR_LOG_DEBUG)
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = 0;
	sr_log(SR_LOG_DEBUG, "libbpf: %s", buf);
	return 0;
}

/* Capture rules for every syscall, from the event table. */
static void _fill_caps(struct sysrec_bpf *skel)
{
	for (unsigned int nr = 0; nr < SR_NR_MAX; nr++) {
		const struct sr_syscall_info *s = sr_syscall__get(nr);
		int c = 0;

		if (!s)
			continue;
		for (int a = 0; a < s->nargs && c < SR_MAX_CAPS; a++) {
			const struct sr_param *p = &s->args[a];

			if (p->type < SR_PT_PATH)
				continue;
			skel->rodata->caps[nr][c++] = (struct sr_cap){
				.type = p->type, .arg = (uint8_t)a, .len_src = p->len_src,
				.len_arg = p->len_arg, .out = p->dir == SR_DIR_OUT,
			};
		}
	}
}

static int _explain_load_error(int err, struct sr_diag *diag)
{
	if (err == -EPERM || err == -EACCES)
		return sr_diag__set(diag, -EPERM, -1,
				    "cannot load the BPF programs: %s (needs root, and a kernel whose lockdown allows tracing programs)",
				    sr_strerror(err));
	if (err == -EINVAL || err == -ENOTSUP || err == -EOPNOTSUPP || err == -ENOENT)
		return sr_diag__set(diag, -EOPNOTSUPP, -1,
				    "the kernel refused the BPF programs (%s): needs BTF-enabled raw tracepoints (tp_btf) and BPF ring buffers, Linux 5.8 or newer (see sysrec record --features); run with -v for the verifier's log",
				    sr_strerror(err));
	return sr_diag__set(diag, err, -1, "cannot load the BPF programs: %s", sr_strerror(err));
}

/* One ring per CPU, created before load: libbpf 1.1 cannot resize an inner-map template (its
 * template has no owning object), so the first ring serves as the template instead. */
static int _create_rings(struct bpf_driver *d, uint32_t ring_sz, struct sr_diag *diag)
{
	d->rings = calloc(d->ncpu, sizeof(*d->rings));
	d->ring_fds = malloc(d->ncpu * sizeof(*d->ring_fds));
	if (!d->rings || !d->ring_fds)
		return -ENOMEM;
	for (int cpu = 0; cpu < d->ncpu; cpu++)
		d->ring_fds[cpu] = -1;
	for (int cpu = 0; cpu < d->ncpu; cpu++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "sr_ring", 0, 0, ring_sz, NULL);

		if (fd < 0)
			return sr_diag__set(diag, errno == EPERM ? -EPERM : -EOPNOTSUPP, -1,
					    "map 'sr_ring': cannot create a %u KiB ring buffer for cpu %d: %s%s",
					    ring_sz >> 10, cpu, sr_strerror(errno),
					    errno == EINVAL ? " (BPF ring buffers need Linux 5.8)" : "");
		d->ring_fds[cpu] = fd;
	}
	return bpf_map__set_inner_map_fd(d->skel->maps.rings, d->ring_fds[0]);
}

/* After load: put the rings into the array of rings and map them. */
static int _install_rings(struct bpf_driver *d, uint32_t ring_sz, struct sr_diag *diag)
{
	int outer = bpf_map__fd(d->skel->maps.rings);

	for (int cpu = 0; cpu < d->ncpu; cpu++) {
		int err;

		if (bpf_map_update_elem(outer, &cpu, &d->ring_fds[cpu], BPF_ANY))
			return sr_diag__set(diag, -errno, -1, "map 'rings': cannot add the ring of cpu %d: %s",
					    cpu, sr_strerror(errno));
		err = ring__init(&d->rings[cpu], d->ring_fds[cpu], ring_sz);
		if (err)
			return sr_diag__set(diag, err, -1, "map 'sr_ring': cannot map the ring of cpu %d: %s",
					    cpu, sr_strerror(err));
	}
	return 0;
}

int bpf_driver__open(const struct bpf_driver_opts *o, struct bpf_driver **out,
		     struct sr_diag *diag)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	struct bpf_driver *d;
	int err;

	if (geteuid() != 0)
		return sr_diag__set(diag, -EPERM, -1, "recording needs root (CAP_BPF and CAP_PERFMON)");
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return sr_diag__set(diag, -EOPNOTSUPP, -1,
				    "the kernel has no BTF (/sys/kernel/btf/vmlinux): CONFIG_DEBUG_INFO_BTF is needed");
	if (o->ring_sz < 4096 || (o->ring_sz & (o->ring_sz - 1)) || o->snaplen > SR_ITEM_MAX)
		return sr_diag__set(diag, -EINVAL, -1, "bad ring size or snaplen");
	libbpf_set_print(_libbpf_log);
	/* Not fatal: without CAP_SYS_RESOURCE the kernel accounts BPF memory to the memcg. */
	setrlimit(RLIMIT_MEMLOCK, &unlimited);

	d = calloc(1, sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->ncpu = libbpf_num_possible_cpus();
	if (d->ncpu <= 0) {
		err = sr_diag__set(diag, -EOPNOTSUPP, -1, "cannot count the possible CPUs");
		goto out_free;
	}
	d->skel = sysrec_bpf__open();
	if (!d->skel) {
		err = sr_diag__set(diag, -errno, -1, "cannot open the BPF object: %s", sr_strerror(errno));
		goto out_free;
	}
	d->skel->rodata->self_tgid = (uint32_t)getpid();
	d->skel->rodata->snaplen = o->snaplen;
	d->skel->rodata->select_mode = (o->pid_cnt ? SR_SEL_PIDS_FLAG : 0) |
				       (o->cgroup_cnt ? SR_SEL_CGROUPS_FLAG : 0);
	d->skel->rodata->cgroup_cnt = (uint32_t)o->cgroup_cnt;
	for (int i = 0; i < SR_NR_MAX / 64; i++)
		d->skel->rodata->syscall_on[i] = o->syscall_on ? o->syscall_on[i] : ~0ull;
	_fill_caps(d->skel);
	/* Older kernels: a hash map by tid for task storage (5.11), a probe per program for
	 * cookies (5.15); see maps.bpf.h. */
	if (libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) != 1) {
		d->skel->rodata->has_task_storage = 0;
		bpf_map__set_type(d->skel->maps.task_state, BPF_MAP_TYPE_HASH);
		bpf_map__set_max_entries(d->skel->maps.task_state, 1 << 16);
		sr_info("record: no task storage in this kernel: a hash map stands for it");
	}
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, NULL) != 1) {
		d->skel->rodata->has_cookie = 0;
		for (int k = 0; k < TR_PROBE_FENTRY; k++) {
			/* (USDT ids are libbpf's own; fentry/fexit objects carry theirs) */
			if (o->kind_cnt[k] > 1 && k != TR_PROBE_USDT) {
				err = sr_diag__set(diag, -EOPNOTSUPP, -1, "this kernel has no BPF "
						   "cookies (Linux 5.15): at most one %s of each kind",
						   k ? "--probe" : "--sample event");
				goto out_free;
			}
			d->skel->rodata->probe_id_of_kind[k] = o->kind_id[k];
		}
	}
	bpf_map__set_max_entries(d->skel->maps.rings, d->ncpu);
	err = _create_rings(d, o->ring_sz, diag);
	if (err)
		goto out_free;
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_task_pt_regs, NULL) != 1) {
		/* (Linux 5.15) calls still blocked at the stop are not listed */
		bpf_program__set_autoload(d->skel->progs.pending_syscalls, false);
		d->skel->rodata->has_task_pt_regs = 0;
		sr_info("record: no bpf_task_pt_regs in this kernel: no pending calls at stop, clone flags from what the child shares");
	}
	/* The builds of the exec and fd programs that walk a file's path need bpf_loop (5.17);
	 * an older kernel refuses a program that merely holds its callback. */
	if (libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL) == 1) {
		bpf_program__set_autoload(d->skel->progs.sched_exec_nopath, false);
		bpf_program__set_autoload(d->skel->progs.sock_exit_nopath, false);
	} else {
		bpf_program__set_autoload(d->skel->progs.sched_exec, false);
		bpf_program__set_autoload(d->skel->progs.sock_exit, false);
		sr_info("record: no bpf_loop in this kernel (5.17): an exec through /dev/fd/N keeps that name as its exe, a received file has no path");
	}
	if (o->no_latency) {
		bpf_program__set_autoload(d->skel->progs.sys_enter, false);
		bpf_program__set_autoload(d->skel->progs.pending_syscalls, false);
	}

	err = sysrec_bpf__load(d->skel);
	if (err) {
		err = _explain_load_error(err, diag);
		goto out_free;
	}
	err = _install_rings(d, o->ring_sz, diag);
	if (err)
		goto out_free;
	for (size_t i = 0; i < o->pid_cnt; i++) {
		err = bpf_driver__add_pid(d, o->pids[i]);
		if (err)
			goto out_free;
	}
	for (size_t i = 0; i < o->cgroup_cnt; i++) {
		uint32_t key = (uint32_t)i;

		struct stat st;
		uint64_t id;

		if (bpf_map_update_elem(bpf_map__fd(d->skel->maps.cgroups), &key, &o->cgroup_fds[i], BPF_ANY)) {
			err = sr_diag__set(diag, -errno, -1, "map 'cgroups': cannot add a cgroup: %s",
					   sr_strerror(errno));
			goto out_free;
		}
		/* A cgroup v2 directory's inode number is the cgroup id. */
		id = fstat(o->cgroup_fds[i], &st) ? 0 : (uint64_t)st.st_ino;
		if (bpf_map_update_elem(bpf_map__fd(d->skel->maps.cgroup_ids), &key, &id, BPF_ANY)) {
			err = sr_diag__set(diag, -errno, -1, "map 'cgroup_ids': %s", sr_strerror(errno));
			goto out_free;
		}
	}
	err = sysrec_bpf__attach(d->skel);
	if (err) {
		err = _explain_load_error(err, diag);
		goto out_free;
	}
	*out = d;
	return 0;
out_free:
	bpf_driver__close(d);
	return err;
}

void bpf_driver__close(struct bpf_driver *d)
{
	if (!d)
		return;
	sysrec_bpf__destroy(d->skel);
	for (int cpu = 0; d->rings && cpu < d->ncpu; cpu++)
		ring__release(&d->rings[cpu]); /* NULL mappings are skipped */
	for (int cpu = 0; d->ring_fds && cpu < d->ncpu; cpu++)
		if (d->ring_fds[cpu] >= 0)
			close(d->ring_fds[cpu]);
	free(d->rings);
	free(d->ring_fds);
	free(d);
}

int bpf_driver__add_pid(struct bpf_driver *d, pid_t pid)
{
	uint32_t key = (uint32_t)pid;
	uint8_t one = 1;

	if (bpf_map_update_elem(bpf_map__fd(d->skel->maps.traced), &key, &one, BPF_ANY))
		return -errno;
	return 0;
}

struct ring *bpf_driver__rings(struct bpf_driver *d, size_t *cnt)
{
	*cnt = (size_t)d->ncpu;
	return d->rings;
}

int bpf_driver__drops(struct bpf_driver *d, uint64_t *out, size_t cnt)
{
	int fd = bpf_map__fd(d->skel->maps.drops);
	uint64_t *vals = calloc(d->ncpu, sizeof(*vals));

	if (!vals)
		return -ENOMEM;
	for (uint32_t kind = 0; kind < SR_DROP_KIND_CNT; kind++) {
		if (bpf_map_lookup_elem(fd, &kind, vals)) {
			free(vals);
			return -errno;
		}
		for (int cpu = 0; cpu < d->ncpu; cpu++)
			if ((size_t)cpu * SR_DROP_KIND_CNT + kind < cnt)
				out[cpu * SR_DROP_KIND_CNT + kind] = vals[cpu];
	}
	free(vals);
	return 0;
}

/* Run a task iterator once: its output goes to the rings; reading drives it. */
static int _run_iter(struct bpf_link *link)
{
	char buf[256];
	int fd, err = 0;
	ssize_t n;

	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

int bpf_driver__stop(struct bpf_driver *d)
{
	/* No call may complete behind the iterator's back: unhook syscalls first. */
	bpf_link__destroy(d->skel->links.sys_exit);
	d->skel->links.sys_exit = NULL;
	bpf_link__destroy(d->skel->links.sys_enter);
	d->skel->links.sys_enter = NULL;
	if (!d->skel->links.pending_syscalls)
		return 0; /* --no-latency: no entry times, nothing is known to be pending */
	return _run_iter(d->skel->links.pending_syscalls);
}

int bpf_driver__share_with(struct bpf_driver *d, struct bpf_object *obj, uint32_t *self_tgid,
			   uint32_t *select_mode, uint32_t *cgroup_cnt)
{
	struct bpf_map *m;

	*self_tgid = d->skel->rodata->self_tgid;
	*select_mode = d->skel->rodata->select_mode;
	*cgroup_cnt = d->skel->rodata->cgroup_cnt;
	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		struct bpf_map *mine;

		if (strchr(name, '.')) /* .rodata, .bss: the object's own */
			continue;
		mine = bpf_object__find_map_by_name(d->skel->obj, name);
		if (mine && bpf_map__reuse_fd(m, bpf_map__fd(mine)))
			return -errno;
	}
	return 0;
}

void bpf_driver__probe_progs(struct bpf_driver *d, struct bpf_driver_probe_progs *out)
{
	out->tp = d->skel->progs.probe_tp;
	out->uprobe = d->skel->progs.probe_uprobe;
	out->uretprobe = d->skel->progs.probe_uretprobe;
	out->usdt = d->skel->progs.probe_usdt;
	out->kprobe = d->skel->progs.probe_kprobe;
	out->kretprobe = d->skel->progs.probe_kretprobe;
	out->cfg_fd = bpf_map__fd(d->skel->maps.probe_cfg);
	out->cookies = d->skel->rodata->has_cookie;
}

struct bpf_program *bpf_driver__sample_prog(struct bpf_driver *d)
{
	return d->skel->progs.sample;
}

int bpf_driver__cpu_times(struct bpf_driver *d)
{
	return d->skel->links.cpu_times ? _run_iter(d->skel->links.cpu_times) : -ENOENT;
}
