/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state of the processes that exist when a capture starts, read from /proc and written as
 * THREAD records (with exe, arguments, cwd and cgroup path, which the driver does not see), so
 * that replay knows processes that started before the capture.
 *
 * Processes vanish while /proc is read; that is normal and such a process is skipped (perf's
 * nsinfo__new() makes the same point).
 */
#ifndef SYSREC_PROC_SNAPSHOT_H
#define SYSREC_PROC_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace_writer.h"

struct proc_snapshot_stats {
	uint32_t proc_cnt;
	uint32_t thread_cnt;
	uint32_t fd_cnt;
};

/* Which processes to include: return true for @pid. */
typedef bool (*proc_select_fn)(pid_t pid, void *ctx);

struct containers;
struct users;
struct ifaces;

/*
 * proc_snapshot__write - append a THREAD record for every thread of every selected process
 * and an FD record for each of its open fds (fd_snapshot.h), preceded by a CONTAINER record
 * for each container met (once), USER/GROUP records of each mount namespace met (users.h) and
 * IFACE records of each network namespace met (ifaces.h).
 * @ts: the records' timestamp (capture start, CLOCK_MONOTONIC ns).
 * @sel: NULL for every process.
 * @ctrs: container resolution.
 * @return 0, or the writer's error.
 */
int proc_snapshot__write(struct trace_writer *w, uint64_t ts, proc_select_fn sel, void *ctx,
			 struct containers *ctrs, struct users *users, struct ifaces *ifaces,
			 struct proc_snapshot_stats *st);

/* The cgroup v2 path of @pid ("/..."), from /proc/PID/cgroup; @return 0 or -ENOENT. */
int proc_cgroup_path(pid_t pid, char *out, size_t cap);

/* Fill @out with the pids of @pid's descendants (walking /proc); @return their count (<= cap). */
size_t proc_snapshot__descendants(pid_t pid, pid_t *out, size_t cap);

/* Parse a "Name:\tvalue..." line of /proc/PID/status into the value's last number (NSpid's
 * last column is the pid in the innermost namespace).  @return 0 or -EINVAL. */
int proc_status_last_num(const char *status, const char *name, uint64_t *out);

#endif
