// SPDX-License-Identifier: Apache-2.0
/* Kernel feature probes (see kernel_features.h; not features.h: that name is glibc's). */
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kernel_features.h"

static const struct bpf_insn ret0[] = {
	{ .code = 0xb7, .dst_reg = 0, .imm = 0 }, /* r0 = 0 */
	{ .code = 0x95 },                         /* exit */
};

static int _why(char *why, size_t sz, int err, const char *what)
{
	snprintf(why, sz, "%s: %s%s", what, strerror(err),
		 err == EPERM ? " (kernel lockdown, or not root)" : "");
	return -err;
}

/* The kernel knows helper @name (enum bpf_func_id in its BTF). */
static bool _btf_helper(const char *name)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "bpf_func_id", BTF_KIND_ENUM) : -ENOENT;
	bool found = false;

	if (id > 0) {
		const struct btf_type *t = btf__type_by_id(vmlinux, (uint32_t)id);
		const struct btf_enum *e = btf_enum(t);

		for (int i = 0; i < btf_vlen(t) && !found; i++)
			found = !strcmp(btf__name_by_offset(vmlinux, e[i].name_off), name);
	}
	btf__free(vmlinux);
	return found;
}

int feature__tracing_prog(const char *func, bool fexit, char *why, size_t sz)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, func, BTF_KIND_FUNC) : -ENOENT;
	int fd;

	btf__free(vmlinux);
	if (id < 0) {
		snprintf(why, sz, "%s: no such function in the kernel's BTF", func);
		return -ENOENT;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .attach_btf_id = (uint32_t)id,
		    .expected_attach_type = fexit ? BPF_TRACE_FEXIT : BPF_TRACE_FENTRY);
	/* Loading is the check (lockdown refuses it): attaching would cost a trampoline and an
	 * RCU-tasks grace period, tens of seconds in an emulated guest. */
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sysrec_feature", "GPL", ret0, 2, &opts);
	if (fd < 0)
		return _why(why, sz, errno, "load");
	close(fd);
	/* the recorder reads the arguments with bpf_get_func_arg() */
	if (!_btf_helper("BPF_FUNC_get_func_arg")) {
		snprintf(why, sz, "no bpf_get_func_arg helper (Linux 5.17)");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* A tp_btf program on sys_exit: how every syscall is recorded. */
static int _tp_btf(char *why, size_t sz)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, "btf_trace_sys_exit", BTF_KIND_TYPEDEF)
			 : -ENOENT;
	int fd;

	btf__free(vmlinux);
	if (id < 0) {
		snprintf(why, sz, "no btf_trace_sys_exit in the kernel's BTF");
		return -ENOENT;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .attach_btf_id = (uint32_t)id,
		    .expected_attach_type = BPF_TRACE_RAW_TP);
	fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "sysrec_feature", "GPL", ret0, 2, &opts);
	if (fd < 0)
		return _why(why, sz, errno, "load");
	close(fd);
	return 0;
}

/* A libbpf_probe_*() answer (1 yes, 0 no, <0 error) as 0 or a negative errno with why. */
static int _answer(int r, const char *what, char *why, size_t sz)
{
	if (r == 1)
		return 0;
	snprintf(why, sz, "%s: %s", what, r == 0 ? "not supported" : strerror(-r));
	return r ? r : -EOPNOTSUPP;
}

static int _map(enum bpf_map_type t, const char *name, char *why, size_t sz)
{
	return _answer(libbpf_probe_bpf_map_type(t, NULL), name, why, sz);
}

static int _prog(enum bpf_prog_type t, const char *name, char *why, size_t sz)
{
	return _answer(libbpf_probe_bpf_prog_type(t, NULL), name, why, sz);
}

static int _helper(enum bpf_prog_type t, enum bpf_func_id h, const char *name, char *why,
		   size_t sz)
{
	return _answer(libbpf_probe_bpf_helper(t, h, NULL), name, why, sz);
}

static int _path(const char *path, const char *what, char *why, size_t sz)
{
	if (!access(path, F_OK))
		return 0;
	snprintf(why, sz, "%s: %s missing (%s)", what, path, strerror(errno));
	return -ENOENT;
}

/* iter/task programs need the kernel's bpf_iter__task context type. */
static int _btf_type(const char *name, char *why, size_t sz)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int id = vmlinux ? btf__find_by_name_kind(vmlinux, name, BTF_KIND_STRUCT) : -ENOENT;

	btf__free(vmlinux);
	if (id >= 0)
		return 0;
	snprintf(why, sz, "no %s in the kernel's BTF", name);
	return -ENOENT;
}

/* cgroup2 mounted alone (unified) or beside v1 controllers (hybrid) */
static int _cgroup2(char *why, size_t sz)
{
	if (!access("/sys/fs/cgroup/cgroup.controllers", F_OK)) {
		snprintf(why, sz, "unified at /sys/fs/cgroup");
		return 0;
	}
	if (!access("/sys/fs/cgroup/unified/cgroup.procs", F_OK)) {
		snprintf(why, sz, "hybrid: at /sys/fs/cgroup/unified");
		return 0;
	}
	snprintf(why, sz, "not mounted: containers are known by their v1 cgroups only");
	return -ENOENT;
}

static int _perf_sw(char *why, size_t sz)
{
	struct perf_event_attr a = { .type = PERF_TYPE_SOFTWARE, .size = sizeof(a),
				     .config = PERF_COUNT_SW_CPU_CLOCK, .sample_freq = 99,
				     .freq = 1, .disabled = 1 };
	int fd = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return _why(why, sz, errno, "perf_event_open(cpu-clock)");
	close(fd);
	return 0;
}

static int _perf_hw(char *why, size_t sz)
{
	struct perf_event_attr a = { .type = PERF_TYPE_HARDWARE, .size = sizeof(a),
				     .config = PERF_COUNT_HW_CPU_CYCLES, .sample_freq = 99,
				     .freq = 1, .disabled = 1 };
	int fd = (int)syscall(SYS_perf_event_open, &a, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0) {
		snprintf(why, sz, "no hardware PMU (%s): --sample uses cpu-clock", strerror(errno));
		return -errno;
	}
	close(fd);
	return 0;
}

static void _lockdown(FILE *out)
{
	char buf[128] = "";
	int fd = open("/sys/kernel/security/lockdown", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fprintf(out, "%-24s %s\n", "lockdown", buf[0] ? buf : "(no securityfs lockdown file)");
}

int features__print(FILE *out)
{
	struct utsname u;
	char why[256];
	int missing = 0;

	uname(&u);
	fprintf(out, "kernel                   %s %s\n", u.release, u.machine);
	_lockdown(out);
#define ROW(name, needed, call) do { \
		int _r; \
		why[0] = '\0'; \
		_r = (call); \
		if (_r && (needed)) \
			missing++; \
		fprintf(out, "%-24s %-3s %s%s\n", name, _r ? "no" : "yes", why, \
			_r && (needed) ? " [needed by sysrec record]" : ""); \
	} while (0)
	ROW("btf", true, _path("/sys/kernel/btf/vmlinux", "kernel BTF", why, sizeof(why)));
	ROW("tp_btf", true, _tp_btf(why, sizeof(why)));
	ROW("ringbuf", true, _map(BPF_MAP_TYPE_RINGBUF, "ring buffer maps", why, sizeof(why)));
	ROW("task_storage", false, _map(BPF_MAP_TYPE_TASK_STORAGE, "task storage maps", why, sizeof(why)));
	ROW("raw_tracepoint", false, _prog(BPF_PROG_TYPE_RAW_TRACEPOINT, "raw tracepoint programs", why, sizeof(why)));
	ROW("tracepoint", false, _prog(BPF_PROG_TYPE_TRACEPOINT, "tracepoint programs", why, sizeof(why)));
	ROW("kprobe_prog", false, _prog(BPF_PROG_TYPE_KPROBE, "kprobe/uprobe programs", why, sizeof(why)));
	ROW("uprobes", false, _path("/sys/bus/event_source/devices/uprobe", "uprobe PMU", why, sizeof(why)));
	ROW("kprobes", false, _path("/sys/bus/event_source/devices/kprobe", "kprobe PMU (CONFIG_KPROBES)", why, sizeof(why)));
	ROW("fentry", false, feature__tracing_prog("vfs_read", false, why, sizeof(why)));
	ROW("fexit", false, feature__tracing_prog("vfs_read", true, why, sizeof(why)));
	ROW("attach_cookie", false, _helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_get_attach_cookie, "helper bpf_get_attach_cookie", why, sizeof(why)));
	ROW("bpf_loop", false, _helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, "helper bpf_loop", why, sizeof(why)));
	ROW("task_iterator", false, _btf_type("bpf_iter__task", why, sizeof(why)));
	ROW("perf_sw_events", false, _perf_sw(why, sizeof(why)));
	ROW("perf_hw_events", false, _perf_hw(why, sizeof(why)));
	ROW("cgroup_v2", false, _cgroup2(why, sizeof(why)));
#undef ROW
	return missing;
}
