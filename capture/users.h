/* SPDX-License-Identifier: Apache-2.0 */
/*
 * User and group names as each mount namespace sees them: /etc/passwd and /etc/group read
 * inside the root of a process in that namespace (root_open.h: a link out of the container's
 * root is never followed; regular files of at most ROOT_OPEN_TEXT_MAX only), so a container's
 * uid 1000 gets the container's name for it.  Written as USER and GROUP records per mount
 * namespace; replay keys them by (namespace, id), so a later record replaces an earlier one.
 *
 * When: a namespace met in the /proc snapshot is read at once.  One met in the event stream
 * is read once its root is in place: a new mount namespace whose root is still the
 * recorder's own (a runtime between unshare and pivot_root) waits for a thread with another
 * root or for an exec.  After an exec in a namespace already read, the files are read again
 * if the root or the files changed (device, inode, size, mtime, ctime).  A name removed from
 * the files keeps its last value in the trace.
 */
#ifndef SYSREC_USERS_H
#define SYSREC_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "trace_writer.h"

#define USERS_MAX_ENTRIES 65536 /* per file: a bound for a hostile or broken file */
#define USERS_MAX_LINE 4096     /* longer lines are skipped */

struct users;

/* One entry of /etc/passwd (group: only @id and @name).  Strings borrowed from the text. */
struct user_ent {
	uint64_t id, gid;
	const char *name, *home, *shell;
};

typedef int (*user_ent_fn)(const struct user_ent *e, void *ctx);

int users__new(struct users **out);
void users__free(struct users *u);

/*
 * users__parse - the entries of a passwd (@group false) or group file.
 * @text: the file's bytes, @len of them (not changed; a NUL need not end them).
 * @fn: called for each well-formed entry, its strings valid during the call; a non-zero
 * return stops the parse.  Lines longer than USERS_MAX_LINE or holding a NUL are skipped.
 * @return 0, or what @fn returned.  At most USERS_MAX_ENTRIES lines are looked at.
 */
int users__parse(const char *text, size_t len, bool group, user_ent_fn fn, void *ctx);

/*
 * users__write_ns - the first time mount namespace @mnt_ns is met (the /proc snapshot),
 * write its users and groups, read inside the root of process @pid.  A process already
 * gone writes nothing (and the namespace is tried again with the next process met in it).
 * @return 0 or the writer's error.
 */
int users__write_ns(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		    uint64_t mnt_ns);

/*
 * users__thread - a thread of @pid in @mnt_ns appeared (a new thread, or @exec: it exec'd).
 * Writes the namespace's users and groups when they are due (see the top of this file).
 * @return 0 or the writer's error.
 */
int users__thread(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		  uint64_t mnt_ns, bool exec);

#endif
