/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record --probe SPEC: user-chosen probes.
 *
 *   tracepoint:CAT:NAME                  any kernel tracepoint (raw record + its format)
 *   uprobe:PATH:FUNC[+OFF] [ARG...]      a user function's entry
 *   uretprobe:PATH:FUNC [ARG...]         its return ($retval)
 *   usdt:PATH:PROVIDER:NAME [ARG...]     a USDT (SystemTap SDT) probe
 *   kprobe: kretprobe: fentry: fexit:    kernel functions, where the kernel allows them
 *
 * ARG (perf-probe-like): [NAME=]SOURCE[:TYPE], SOURCE one of $arg1..$arg6 (the function's
 * arguments, or the USDT probe's), $retval, %REG (%di, %si, %dx, %cx, %r8, %r9, %ax, %bx,
 * %sp, %bp, %ip); TYPE one of u64 (default), s64, x64, u32, s32, string, ustring (kprobes:
 * string is a kernel string, ustring a user one).  A kernel-function probe without ARGs
 * records the function's arguments as its BTF types them (a kretprobe its return value, an
 * fexit both): names, sizes, signs, and strings for char pointers.  With --container,
 * PATH is the container's own file: resolved inside the root of one of its processes, links
 * included (root_open.h: never out of that root; a regular file only), and attached through
 * the fd opened; the PROBE_DEF still names PATH as written.
 */
#ifndef SYSREC_PROBES_H
#define SYSREC_PROBES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "records.h"
#include "trace_writer.h"

struct bpf_driver;
struct probes;

enum probe_kind {
	PROBE_TRACEPOINT = 2, /* the PROBE_DEF kinds of format/record.h */
	PROBE_UPROBE = 3,
	PROBE_URETPROBE = 4,
	PROBE_USDT = 5,
	PROBE_KPROBE = 6,     /* where the kernel has kprobes */
	PROBE_KRETPROBE = 7,
	PROBE_FENTRY = 8,     /* where the kernel allows tracing programs (not under lockdown) */
	PROBE_FEXIT = 9,
};

struct probe_spec {
	int kind;
	char text[512];       /* as written */
	char target[4096];    /* tracepoint CAT:NAME, or the binary's path */
	char func[256];       /* uprobe function, USDT provider, kernel function */
	char name[128];       /* tracepoint name, USDT name */
	uint64_t offset;      /* uprobe FUNC+OFF */
	struct sr_probe_arg args[SR_PROBE_ARGS];
	char arg_names[SR_PROBE_ARGS][48]; /* "name:type" */
	int arg_cnt;
};

/* Parse one --probe value.  @return 0, or -EINVAL with a one-line reason in @err. */
int probe_spec__parse(const char *text, struct probe_spec *out, char *err, size_t err_sz);

/*
 * probes__open - check and attach @cnt probes (ids 0..cnt-1).  @root_pid: resolve paths in
 * this process's root (a container's), or 0.  A kernel-function probe the kernel does not
 * allow, a missing binary, function or tracepoint: -errno with one line in @err naming it.
 */
int probes__open(struct bpf_driver *drv, struct probe_spec *specs, size_t cnt, pid_t root_pid,
		 struct probes **out, char *err, size_t err_sz);
void probes__close(struct probes *p);

/* PROBE_DEF records, and the TP_FORMAT of each tracepoint. */
int probes__write_defs(struct probes *p, struct trace_writer *w, uint64_t ts);

#endif
