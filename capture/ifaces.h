/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Network interfaces per network namespace, as IFACE records: index, flags, MTU, name,
 * addresses ("127.0.0.1/8 ::1/128") and hardware address, listed with getifaddrs() from a
 * helper thread that enters the namespace (setns() changes only the calling thread), once
 * per namespace.
 */
#ifndef SYSREC_IFACES_H
#define SYSREC_IFACES_H

#include <stdint.h>
#include <sys/types.h>

#include "trace_writer.h"

struct ifaces;

int ifaces__new(struct ifaces **out);
void ifaces__free(struct ifaces *x);

/* The first time network namespace @netns is met, write its interfaces, entering it through
 * process @pid.  A process gone writes nothing (tried again with the next one).
 * @return 0 or the writer's error. */
int ifaces__write_ns(struct ifaces *x, struct trace_writer *w, uint64_t ts, pid_t pid,
		     uint64_t netns);

/* Have @fn(@ctx, netns) called from the helper thread while it is inside each namespace met
 * (record --packets opens its capture socket there). */
void ifaces__set_ns_hook(struct ifaces *x, void (*fn)(void *ctx, uint64_t netns), void *ctx);

#endif
