/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User and group names as each mount namespace sees them: /etc/passwd and /etc/group read
 * through /proc/PID/root of a process in that namespace, so a container's uid 1000 gets the
 * container's name for it.  Written as USER and GROUP records, once per mount namespace.
 */
#ifndef SYSREC_USERS_H
#define SYSREC_USERS_H

#include <stdint.h>
#include <sys/types.h>

#include "trace_writer.h"

struct users;

int users__new(struct users **out);
void users__free(struct users *u);

/*
 * users__write_ns - the first time mount namespace @mnt_ns is met, write its users and
 * groups, read through process @pid.  A process gone or without the files writes nothing
 * (and the namespace is tried again with the next process met in it).
 * @return 0 or the writer's error.
 */
int users__write_ns(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		    uint64_t mnt_ns);

#endif
