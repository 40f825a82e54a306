/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state engine: the threads, processes, file descriptors, containers, users and groups of
 * one capture host, rebuilt from a trace's snapshot records and kept current by its events
 * (fork, exec, exit, and the syscalls that open, close, duplicate or connect fds).
 *
 * An event is applied in two steps so that it is shown with the right state:
 *   sr_state__enter() - before the event is used: metadata records update the tables;
 *                       an event gets its thread and fd, and the effects it should already
 *                       show are applied (the fd an open() returned, the exe after execve);
 *   sr_state__leave() - after it was used: removals (close, thread exit).
 *
 * Every object carries a generation number that changes whenever the object does, so a
 * writer of derived traces (-w, record -F) can tell which state it has already written.
 */
#ifndef SYSREC_STATE_H
#define SYSREC_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

struct sr_evt;

enum { SR_NS_MNT, SR_NS_PID, SR_NS_NET, SR_NS_UTS, SR_NS_IPC, SR_NS_USER, SR_NS_CGROUP,
       SR_NS_TIME, SR_NS_CNT };

struct sr_fd {
	int32_t num;
	uint8_t type;    /* enum tr_fd_type */
	uint8_t l4proto; /* IPPROTO_TCP, IPPROTO_UDP, or 0 */
	uint8_t family;  /* AF_INET, AF_INET6 for sockets with addresses, else 0 */
	bool cloexec;
	bool server;     /* the local end is the server: accepted, listening, or guessed */
	uint16_t lport, rport; /* local and remote ports (host order) */
	uint32_t flags;  /* open flags */
	uint8_t lip[16], rip[16]; /* local and remote addresses, network order */
	uint64_t ino;
	char *name;      /* path, "ip:port->ip:port", unix path, "pipe:[ino]"; never NULL */
	uint32_t gen;
};

struct sr_fdtable {
	struct sr_fd **fds; /* indexed by fd number */
	uint32_t cap;
	uint32_t refs;      /* processes sharing it (CLONE_FILES) */
};

struct sr_container {
	uint64_t cgroup_id;
	char *id, *name, *image, *runtime, *pod_name, *pod_namespace, *pod_uid;
	char *labels; /* key=value entries separated by NUL */
	uint32_t labels_len;
	uint32_t gen;
};

/* Shown after arguments the driver cut at its limit (proc.args, proc.cmdline). */
#define SR_ARGS_CUT_MARK " [args truncated at 4096 bytes]"

struct sr_proc {
	uint32_t pid, ppid;
	char *exe, *cwd;
	char *args; /* NUL-separated, no final NUL; argv[0] first */
	uint32_t args_len;
	bool args_cut; /* args holds only the first bytes of the arguments */
	struct sr_fdtable *fdt;
	uint32_t threads; /* live threads referring to it */
	uint32_t gen;
	uint64_t start_ts;
	bool exited;
	int32_t exit_code, exit_signal; /* of the leader, -1 while running */
};

struct sr_thread {
	uint32_t tid, vtid, vpid;
	struct sr_proc *proc;
	char comm[17];
	uint32_t uid, gid, euid, egid;
	uint64_t cgroup_id, start_ts;
	uint64_t ns[SR_NS_CNT];
	char *cgroup;             /* path, or NULL */
	struct sr_container *ctr; /* NULL: the host */
	bool snapshot;            /* known from the capture-start snapshot */
	bool exited;              /* gone; kept a while for the records that follow its exit */
	uint64_t exit_ts;
	uint32_t gen;
};

struct sr_user {
	uint64_t ns_mnt;
	uint32_t uid, gid;
	char *name, *home, *shell;
};

struct sr_group {
	uint64_t ns_mnt;
	uint32_t gid;
	char *name;
};

struct sr_state;

struct sr_state *sr_state__new(void);
void sr_state__free(struct sr_state *st);

/*
 * sr_state__enter - apply @ev->rec (see the top of this file) and fill @ev's thread, fd and
 * syscall pointers.  Never fails: a record that does not fit the state (unknown thread,
 * out-of-range fd, missing fields) leaves it unchanged.  Memory exhaustion is fatal (the
 * engine cannot continue with a half-updated table); it prints one line and exits.
 */
void sr_state__enter(struct sr_state *st, struct sr_evt *ev);
void sr_state__leave(struct sr_state *st, struct sr_evt *ev);

struct sr_thread *sr_state__thread(struct sr_state *st, uint32_t tid);
struct sr_proc *sr_state__proc(struct sr_state *st, uint32_t pid);
struct sr_container *sr_state__container_by_id(struct sr_state *st, const char *id);
const struct sr_user *sr_state__user(struct sr_state *st, uint64_t ns_mnt, uint32_t uid);
const struct sr_group *sr_state__group(struct sr_state *st, uint64_t ns_mnt, uint32_t gid);
struct sr_fd *sr_state__fd(struct sr_proc *p, int64_t fd);
/* Sample addresses to names (symbols.h). */
struct sr_symbols *sr_state__symbols(struct sr_state *st);
struct sr_net_state;
struct sr_net_state *sr_state__net(struct sr_state *st);
/* A probe of the trace (probe_defs.h), or NULL. */
struct sr_probe_def;
const struct sr_probe_def *sr_state__probe(struct sr_state *st, uint64_t id);

/* Iterate over every thread (for snapshots of the state; exited ones are still listed for a
 * while, see sr_thread.exited); stops when @fn returns non-0, and returns that value. */
int sr_state__each_thread(struct sr_state *st, int (*fn)(struct sr_thread *t, void *ctx),
			  void *ctx);

/* The same over the other tables (what a checkpoint of the whole state writes). */
int sr_state__each_proc(struct sr_state *st, int (*fn)(struct sr_proc *p, void *ctx), void *ctx);
int sr_state__each_container(struct sr_state *st,
			     int (*fn)(const struct sr_container *c, void *ctx), void *ctx);
int sr_state__each_user(struct sr_state *st, int (*fn)(const struct sr_user *u, void *ctx),
			void *ctx);
int sr_state__each_group(struct sr_state *st, int (*fn)(const struct sr_group *g, void *ctx),
			 void *ctx);

#endif
