/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file descriptors of the processes that exist when a capture starts, as FD records:
 * what /proc/PID/fd links to, the open flags from /proc/PID/fdinfo, and for sockets the
 * addresses and ports from the socket tables of the process's own network namespace
 * (/proc/PID/net/{tcp,tcp6,udp,udp6,unix}, read once per namespace).
 */
#ifndef SYSREC_FD_SNAPSHOT_H
#define SYSREC_FD_SNAPSHOT_H

#include <stdint.h>
#include <sys/types.h>

#include "trace_writer.h"

struct fd_snapshot;

int fd_snapshot__new(struct fd_snapshot **out);
void fd_snapshot__free(struct fd_snapshot *fs);

/* Append an FD record for each open fd of @pid (which lives in network namespace @netns).
 * A process that exits meanwhile gives fewer records, not an error.  @return 0 or the
 * writer's error; *@cnt gets the number written. */
int fd_snapshot__write(struct fd_snapshot *fs, struct trace_writer *w, uint64_t ts, pid_t pid,
		       uint64_t netns, uint32_t *cnt);

#endif
