// SPDX-License-Identifier: Apache-2.0
/*
 * The record-type table: names and field lists of every record type of format v1.  It is the
 * single source for `sysrec info`, the generic JSON dump of records and docs/format.md's
 * record section.  Fields are only ever appended (readers detect them by count).
 */
#include <stddef.h>

#include "record.h"

#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define NO_NAMES ((const char *const[]){ NULL })

static const struct trace_rec_type_info rec_types[] = {
	{ TR_SYSCALL, "syscall", "one system call, from entry to exit (or pending)",
	  NAMES("nr", "ret", "latency_ns", "flags", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5"),
	  NO_NAMES },
	{ TR_PROC_FORK, "fork", "a new thread or process (clone, fork, vfork)",
	  NAMES("child_tid", "parent_tid", "child_pid", "clone_flags"), NO_NAMES },
	{ TR_PROC_EXEC, "exec", "a successful execve/execveat",
	  NAMES("tid", "pid", "flags", "args_len"), NAMES("filename", "args", "exe", "cwd") },
	{ TR_PROC_EXIT, "exit", "a thread exits",
	  NAMES("tid", "pid", "exit_code", "signal", "cpu_ns"), NO_NAMES },
	{ TR_PROBE_HIT, "probe", "a hit of a user-defined probe (tracepoint, uprobe, usdt, ...)",
	  NAMES("probe_id"), NAMES("raw") },
	{ TR_SAMPLE, "sample", "a sampled counter with stacks",
	  NAMES("event_id", "pid", "value", "period"), NAMES("user_stack", "kernel_stack") },
	{ TR_PACKET, "packet", "a network packet seen on an interface",
	  NAMES("ifindex", "netns", "direction", "wire_len", "ethertype", "pkttype", "hatype"),
	  NAMES("data") },
	{ TR_CPU, "cpu", "CPU time a thread used since its previous CPU record",
	  NAMES("tid", "pid", "cpu_ns", "total_ns"), NO_NAMES },
	{ TR_THREAD, "thread", "state of a thread: identity, credentials, cgroup, namespaces",
	  NAMES("tid", "pid", "ppid", "vtid", "vpid", "uid", "gid", "euid", "egid", "cgroup_id",
		"flags", "start_ts", "ns_mnt", "ns_pid", "ns_net", "ns_uts", "ns_ipc", "ns_user",
		"ns_cgroup", "ns_time"),
	  NAMES("comm", "exe", "args", "cwd", "cgroup", "container_id") },
	{ TR_FD, "fd", "state of a file descriptor",
	  NAMES("pid", "fd", "fd_type", "flags", "l4proto", "sport", "dport", "ino", "server"),
	  NAMES("name", "sip", "dip") },
	{ TR_CONTAINER, "container", "a container and its runtime metadata",
	  NAMES("cgroup_id", "flags"),
	  NAMES("id", "name", "image", "runtime", "pod_name", "pod_namespace", "pod_uid",
		"labels") },
	{ TR_USER, "user", "a user name, from the passwd file of a mount namespace",
	  NAMES("uid", "gid", "ns_mnt"), NAMES("name", "home", "shell") },
	{ TR_GROUP, "group", "a group name, from the group file of a mount namespace",
	  NAMES("gid", "ns_mnt"), NAMES("name") },
	{ TR_IFACE, "iface", "a network interface",
	  NAMES("ifindex", "netns", "flags", "mtu"), NAMES("name", "addresses", "hwaddr") },
	{ TR_SYMBOLS, "symbols", "a symbol table (kernel, or an ELF object by build-id)",
	  NAMES("kind"), NAMES("build_id", "path", "table") },
	{ TR_TP_FORMAT, "tp_format", "a tracepoint's format, from tracefs",
	  NAMES("tp_id"), NAMES("name", "format") },
	{ TR_DROPS, "drops", "lost events, cumulative per cpu and kind",
	  NAMES("cpu", "kind", "count", "flags"), NO_NAMES },
	{ TR_PROBE_DEF, "probe_def", "a probe or sample event the user asked for",
	  NAMES("probe_id", "kind", "freq"), NAMES("spec", "arg_names") },
	{ TR_MAPPING, "mapping", "an executable mapping of a process",
	  NAMES("pid", "start", "end", "pgoff", "dev", "ino"), NAMES("path", "build_id") },
};

#define REC_TYPE_CNT (sizeof(rec_types) / sizeof(rec_types[0]))

const struct trace_rec_type_info *trace_rec_type__get(unsigned int type)
{
	for (size_t i = 0; i < REC_TYPE_CNT; i++)
		if (rec_types[i].type == type)
			return &rec_types[i];
	return NULL;
}

const struct trace_rec_type_info *trace_rec_type__all(size_t *cnt)
{
	*cnt = REC_TYPE_CNT;
	return rec_types;
}
