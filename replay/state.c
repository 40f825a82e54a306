// SPDX-License-Identifier: Apache-2.0
/*
 * The state engine: tables of threads, processes, fds, containers, users and groups, updated
 * record by record.  Metadata records set state directly; lifecycle records and the syscalls
 * that change fds replay what the kernel did.  See state.h for the two-step protocol.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "event.h"
#include "fd_effects.h"
#include "hmap.h"
#include "net_state.h"
#include "state.h"
#include "state_alloc.h"
#include "probe_defs.h"
#include "symbols.h"

#ifndef CLONE_THREAD
#define CLONE_FILES 0x00000400
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#endif

struct sr_state {
	struct sr_hmap threads;    /* tid -> struct sr_thread */
	struct sr_hmap procs;      /* pid -> struct sr_proc */
	struct sr_hmap containers; /* cgroup id -> struct sr_container */
	struct sr_hmap users;      /* ns_mnt << 32 | uid -> struct sr_user */
	struct sr_hmap groups;     /* ns_mnt << 32 | gid -> struct sr_group */
	struct sr_symbols *syms;   /* mappings and symbol tables, for samples */
	struct sr_probe_defs *probes; /* probe definitions and tracepoint formats */
	struct sr_net_state *net;  /* interfaces and namespace owners, for packets */
	uint32_t *exited;          /* tids of threads that exited, oldest first */
	size_t exited_cnt, exited_cap;
	uint32_t gen;              /* last generation number handed out */
};

void sr_state__oom(void)
{
	fputs("sysrec: out of memory while rebuilding the trace's state\n", stderr);
	exit(1);
}

static void _put(struct sr_hmap *m, uint64_t key, void *val)
{
	if (sr_hmap__put(m, key, val))
		sr_state__oom();
}

uint32_t sr_state__next_gen(struct sr_state *st)
{
	return ++st->gen;
}

struct sr_state *sr_state__new(void)
{
	struct sr_state *st = sr_xcalloc(1, sizeof(struct sr_state));

	st->syms = sr_symbols__new();
	st->probes = sr_probe_defs__new();
	st->net = sr_net_state__new();
	return st;
}

struct sr_net_state *sr_state__net(struct sr_state *st)
{
	return st->net;
}

struct sr_symbols *sr_state__symbols(struct sr_state *st)
{
	return st->syms;
}

const struct sr_probe_def *sr_state__probe(struct sr_state *st, uint64_t id)
{
	return sr_probe_defs__get(st->probes, id);
}

/* ---- fd tables ---- */

static void _fdtable_put(struct sr_fdtable *t)
{
	if (!t || --t->refs)
		return;
	for (uint32_t i = 0; i < t->cap; i++)
		sr_fd__free(t->fds[i]);
	free(t->fds);
	free(t);
}

static struct sr_fdtable *_fdtable_new(void)
{
	struct sr_fdtable *t = sr_xcalloc(1, sizeof(*t));

	t->refs = 1;
	return t;
}

static struct sr_fdtable *_fdtable_copy(const struct sr_fdtable *src)
{
	struct sr_fdtable *t = _fdtable_new();

	if (!src || !src->cap)
		return t;
	t->fds = sr_xcalloc(src->cap, sizeof(*t->fds));
	t->cap = src->cap;
	for (uint32_t i = 0; i < src->cap; i++)
		if (src->fds[i])
			t->fds[i] = sr_fd__dup(src->fds[i]);
	return t;
}

struct sr_fd *sr_state__fd(struct sr_proc *p, int64_t fd)
{
	if (!p || !p->fdt || fd < 0 || fd >= p->fdt->cap)
		return NULL;
	return p->fdt->fds[fd];
}

/* Install @f as fd @num of @p (replacing what was there); takes ownership of @f. */
void sr_state__fd_install(struct sr_state *st, struct sr_proc *p, int64_t num, struct sr_fd *f)
{
	struct sr_fdtable *t;

	if (!p || num < 0 || num >= SR_FD_NUM_MAX) {
		sr_fd__free(f);
		return;
	}
	if (!p->fdt)
		p->fdt = _fdtable_new();
	t = p->fdt;
	if (num >= t->cap) {
		uint32_t cap = t->cap ? t->cap : 64;

		while (cap <= num)
			cap *= 2;
		t->fds = sr_xrealloc(t->fds, cap * sizeof(*t->fds));
		memset(t->fds + t->cap, 0, (cap - t->cap) * sizeof(*t->fds));
		t->cap = cap;
	}
	sr_fd__free(t->fds[num]);
	f->num = (int32_t)num;
	f->gen = sr_state__next_gen(st);
	t->fds[num] = f;
}

void sr_state__fd_remove(struct sr_proc *p, int64_t num)
{
	if (!sr_state__fd(p, num))
		return;
	sr_fd__free(p->fdt->fds[num]);
	p->fdt->fds[num] = NULL;
}

/* ---- processes and threads ---- */

static void _proc_free(struct sr_proc *p)
{
	_fdtable_put(p->fdt);
	free(p->exe);
	free(p->cwd);
	free(p->args);
	free(p);
}

struct sr_proc *sr_state__proc(struct sr_state *st, uint32_t pid)
{
	return sr_hmap__get(&st->procs, pid);
}

static struct sr_proc *_proc_get_or_new(struct sr_state *st, uint32_t pid)
{
	struct sr_proc *p = sr_state__proc(st, pid);

	if (p)
		return p;
	p = sr_xcalloc(1, sizeof(*p));
	p->pid = pid;
	p->exit_code = p->exit_signal = -1;
	p->fdt = _fdtable_new();
	_put(&st->procs, pid, p);
	return p;
}

/* A process whose last thread is gone leaves the table (its pid may be reused). */
static void _proc_unref(struct sr_state *st, struct sr_proc *p)
{
	if (!p || (p->threads && --p->threads))
		return;
	if (sr_hmap__get(&st->procs, p->pid) == p)
		sr_hmap__del(&st->procs, p->pid);
	_proc_free(p);
}

static void _thread_attach(struct sr_state *st, struct sr_thread *t, struct sr_proc *p)
{
	if (t->proc == p)
		return;
	if (t->proc)
		_proc_unref(st, t->proc);
	t->proc = p;
	p->threads++;
}

struct sr_thread *sr_state__thread(struct sr_state *st, uint32_t tid)
{
	return sr_hmap__get(&st->threads, tid);
}

static void _thread_del(struct sr_state *st, struct sr_thread *t);

static struct sr_thread *_thread_get_or_new(struct sr_state *st, uint32_t tid)
{
	struct sr_thread *t = sr_state__thread(st, tid);

	if (t && t->exited) /* its tid is used again: a new thread */
		_thread_del(st, t);
	else if (t)
		return t;
	t = sr_xcalloc(1, sizeof(*t));
	t->tid = tid;
	_put(&st->threads, tid, t);
	return t;
}

static void _thread_del(struct sr_state *st, struct sr_thread *t)
{
	if (sr_hmap__get(&st->threads, t->tid) == t)
		sr_hmap__del(&st->threads, t->tid);
	_proc_unref(st, t->proc);
	free(t->cgroup);
	free(t);
}

/* Each table's values, through its own callback type (no cast of function pointers:
 * calling through the wrong type is undefined). */
#define EACH(m, fn, ctx, type)                                    \
	do {                                                      \
		for (size_t i_ = 0; i_ < (m)->cap; i_++) {        \
			type v_ = (m)->slots[i_].val;             \
			int ret_ = v_ ? (fn)(v_, (ctx)) : 0;      \
			if (ret_)                                 \
				return ret_;                      \
		}                                                 \
		return 0;                                         \
	} while (0)

int sr_state__each_thread(struct sr_state *st, int (*fn)(struct sr_thread *t, void *ctx),
			  void *ctx)
{
	EACH(&st->threads, fn, ctx, struct sr_thread *);
}

int sr_state__each_proc(struct sr_state *st, int (*fn)(struct sr_proc *p, void *ctx), void *ctx)
{
	EACH(&st->procs, fn, ctx, struct sr_proc *);
}

int sr_state__each_container(struct sr_state *st,
			     int (*fn)(const struct sr_container *c, void *ctx), void *ctx)
{
	EACH(&st->containers, fn, ctx, const struct sr_container *);
}

int sr_state__each_user(struct sr_state *st, int (*fn)(const struct sr_user *u, void *ctx),
			void *ctx)
{
	EACH(&st->users, fn, ctx, const struct sr_user *);
}

int sr_state__each_group(struct sr_state *st, int (*fn)(const struct sr_group *g, void *ctx),
			 void *ctx)
{
	EACH(&st->groups, fn, ctx, const struct sr_group *);
}

/* ---- containers, users, groups ---- */

struct sr_container *sr_state__container_by_id(struct sr_state *st, const char *id)
{
	for (size_t i = 0; i < st->containers.cap; i++) {
		struct sr_container *c = st->containers.slots[i].val;

		if (c && !strcmp(c->id, id))
			return c;
	}
	return NULL;
}

const struct sr_user *sr_state__user(struct sr_state *st, uint64_t ns_mnt, uint32_t uid)
{
	return sr_hmap__get(&st->users, ns_mnt << 32 | uid);
}

const struct sr_group *sr_state__group(struct sr_state *st, uint64_t ns_mnt, uint32_t gid)
{
	return sr_hmap__get(&st->groups, ns_mnt << 32 | gid);
}

static void _container_free(struct sr_container *c)
{
	free(c->id);
	free(c->name);
	free(c->image);
	free(c->runtime);
	free(c->pod_name);
	free(c->pod_namespace);
	free(c->pod_uid);
	free(c->labels);
	free(c);
}

/* Blob @i of @rec as a new NUL-terminated string ("" when absent). */
static char *_blob_str(const struct trace_rec *rec, unsigned int i)
{
	if (i >= rec->blob_cnt)
		return sr_xstrndup("", 0);
	return sr_xstrndup(rec->blobs[i].data, rec->blobs[i].sz);
}

static bool _blob_set(const struct trace_rec *rec, unsigned int i)
{
	return i < rec->blob_cnt && rec->blobs[i].sz;
}

static void _on_container(struct sr_state *st, const struct trace_rec *rec)
{
	struct sr_container *c, *old;

	if (rec->int_cnt < 1 || rec->blob_cnt < 1)
		return;
	c = sr_xcalloc(1, sizeof(*c));
	c->cgroup_id = rec->ints[0];
	c->id = _blob_str(rec, 0);
	c->name = _blob_str(rec, 1);
	c->image = _blob_str(rec, 2);
	c->runtime = _blob_str(rec, 3);
	c->pod_name = _blob_str(rec, 4);
	c->pod_namespace = _blob_str(rec, 5);
	c->pod_uid = _blob_str(rec, 6);
	c->labels = _blob_str(rec, 7);
	c->labels_len = rec->blob_cnt > 7 ? rec->blobs[7].sz : 0;
	c->gen = sr_state__next_gen(st);
	old = sr_hmap__get(&st->containers, c->cgroup_id);
	if (old) {
		/* Threads point at containers: update in place. */
		struct sr_container tmp = *old;

		*old = *c;
		*c = tmp;
		_container_free(c);
		return;
	}
	_put(&st->containers, c->cgroup_id, c);
}

static void _on_user(struct sr_state *st, const struct trace_rec *rec)
{
	struct sr_user *u, *old;

	if (rec->int_cnt < 3 || rec->blob_cnt < 1)
		return;
	u = sr_xcalloc(1, sizeof(*u));
	u->uid = (uint32_t)rec->ints[0];
	u->gid = (uint32_t)rec->ints[1];
	u->ns_mnt = rec->ints[2];
	u->name = _blob_str(rec, 0);
	u->home = _blob_str(rec, 1);
	u->shell = _blob_str(rec, 2);
	old = sr_hmap__get(&st->users, u->ns_mnt << 32 | u->uid);
	if (old) {
		free(old->name);
		free(old->home);
		free(old->shell);
		free(old);
	}
	_put(&st->users, u->ns_mnt << 32 | u->uid, u);
}

static void _on_group(struct sr_state *st, const struct trace_rec *rec)
{
	struct sr_group *g, *old;

	if (rec->int_cnt < 2 || rec->blob_cnt < 1)
		return;
	g = sr_xcalloc(1, sizeof(*g));
	g->gid = (uint32_t)rec->ints[0];
	g->ns_mnt = rec->ints[1];
	g->name = _blob_str(rec, 0);
	old = sr_hmap__get(&st->groups, g->ns_mnt << 32 | g->gid);
	if (old) {
		free(old->name);
		free(old);
	}
	_put(&st->groups, g->ns_mnt << 32 | g->gid, g);
}

/* ---- thread state and lifecycle records ---- */

static void _set_str(char **dst, const struct trace_rec *rec, unsigned int i)
{
	free(*dst);
	*dst = _blob_str(rec, i);
}

static void _on_thread(struct sr_state *st, const struct trace_rec *rec)
{
	const uint64_t *v = rec->ints;
	struct sr_thread *t;
	struct sr_proc *p;
	bool new_proc;

	if (rec->int_cnt < 2)
		return;
	t = _thread_get_or_new(st, (uint32_t)v[0]);
	new_proc = !sr_state__proc(st, (uint32_t)v[1]);
	p = _proc_get_or_new(st, (uint32_t)v[1]);
	_thread_attach(st, t, p);
	if (rec->int_cnt > 2)
		p->ppid = (uint32_t)v[2];
	if (new_proc && !_blob_set(rec, 1)) {
		/* A process first seen without exe: it is a fork of its parent. */
		struct sr_proc *pp = sr_state__proc(st, p->ppid);

		if (pp && pp != p) {
			free(p->exe);
			free(p->cwd);
			free(p->args);
			p->exe = sr_xstrndup(pp->exe ? pp->exe : "", pp->exe ? strlen(pp->exe) : 0);
			p->cwd = pp->cwd ? sr_xstrndup(pp->cwd, strlen(pp->cwd)) : NULL;
			p->args = pp->args ? sr_xmemdup(pp->args, pp->args_len + 1) : NULL;
			p->args_len = pp->args_len;
		}
	}
#define INT_AT(i, dst) if (rec->int_cnt > (i)) (dst) = (__typeof__(dst))v[i]
	INT_AT(3, t->vtid);
	INT_AT(4, t->vpid);
	INT_AT(5, t->uid);
	INT_AT(6, t->gid);
	INT_AT(7, t->euid);
	INT_AT(8, t->egid);
	INT_AT(9, t->cgroup_id);
	INT_AT(11, t->start_ts);
	for (int i = 0; i < SR_NS_CNT; i++)
		INT_AT(12 + i, t->ns[i]);
#undef INT_AT
	if (rec->int_cnt > 10)
		t->snapshot = rec->ints[10] & TR_THREAD_F_SNAPSHOT;
	if (t->tid == p->pid && rec->int_cnt > 11)
		p->start_ts = t->start_ts;
	if (rec->blob_cnt > 0) {
		uint32_t n = rec->blobs[0].sz < 16 ? rec->blobs[0].sz : 16;

		memcpy(t->comm, rec->blobs[0].data, n);
		t->comm[n] = '\0';
	}
	if (_blob_set(rec, 1))
		_set_str(&p->exe, rec, 1);
	if (_blob_set(rec, 2)) {
		_set_str(&p->args, rec, 2);
		p->args_len = rec->blobs[2].sz;
		p->args_cut = rec->int_cnt > TR_THREAD_FLAGS &&
			      (rec->ints[TR_THREAD_FLAGS] & TR_THREAD_F_ARGS_CUT);
	}
	if (_blob_set(rec, 3))
		_set_str(&p->cwd, rec, 3);
	if (rec->blob_cnt > 4) {
		free(t->cgroup);
		t->cgroup = rec->blobs[4].sz ? _blob_str(rec, 4) : NULL;
	}
	if (rec->blob_cnt > 5) {
		t->ctr = NULL;
		if (rec->blobs[5].sz) {
			char *id = _blob_str(rec, 5);

			t->ctr = sr_state__container_by_id(st, id);
			free(id);
		}
	}
	t->exited = false;
	t->gen = sr_state__next_gen(st);
	p->gen = sr_state__next_gen(st);
}

static void _on_fork(struct sr_state *st, const struct trace_rec *rec)
{
	uint64_t flags;
	struct sr_thread *parent, *child;
	struct sr_proc *pp, *cp;

	if (rec->int_cnt < 4 || rec->ints[0] == rec->ints[1]) /* a thread is not its own child */
		return;
	parent = sr_state__thread(st, (uint32_t)rec->ints[1]);
	flags = rec->ints[3];
	child = _thread_get_or_new(st, (uint32_t)rec->ints[0]);
	if (!parent || !parent->proc) {
		_thread_attach(st, child, _proc_get_or_new(st, (uint32_t)rec->ints[2]));
		child->gen = sr_state__next_gen(st);
		return;
	}
	pp = parent->proc;
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	child->uid = parent->uid;
	child->gid = parent->gid;
	child->euid = parent->euid;
	child->egid = parent->egid;
	child->cgroup_id = parent->cgroup_id;
	memcpy(child->ns, parent->ns, sizeof(child->ns));
	free(child->cgroup);
	child->cgroup = parent->cgroup ? sr_xstrndup(parent->cgroup, strlen(parent->cgroup)) : NULL;
	child->ctr = parent->ctr;
	child->start_ts = rec->ts;
	child->exited = false;
	if (flags & CLONE_THREAD) {
		_thread_attach(st, child, pp);
		child->vpid = parent->vpid;
	} else {
		bool existed = sr_state__proc(st, (uint32_t)rec->ints[2]) != NULL;

		cp = _proc_get_or_new(st, (uint32_t)rec->ints[2]);
		_thread_attach(st, child, cp);
		if (cp == pp) { /* a "new process" with the parent's pid: a bad record */
			child->gen = sr_state__next_gen(st);
			return;
		}
		if (!existed || !cp->exe) {
			struct sr_fdtable *fdt;

			cp->ppid = flags & CLONE_PARENT ? pp->ppid : pp->pid;
			free(cp->exe);
			free(cp->cwd);
			free(cp->args);
			cp->exe = pp->exe ? sr_xstrndup(pp->exe, strlen(pp->exe)) : NULL;
			cp->cwd = pp->cwd ? sr_xstrndup(pp->cwd, strlen(pp->cwd)) : NULL;
			cp->args = pp->args ? sr_xmemdup(pp->args, pp->args_len + 1) : NULL;
			cp->args_len = pp->args_len;
			cp->start_ts = rec->ts;
			/* The new table before the old one goes: they may be the same. */
			if (flags & CLONE_FILES) {
				fdt = pp->fdt;
				if (fdt)
					fdt->refs++;
			} else {
				fdt = _fdtable_copy(pp->fdt);
			}
			_fdtable_put(cp->fdt);
			cp->fdt = fdt;
		}
		cp->gen = sr_state__next_gen(st);
	}
	child->gen = sr_state__next_gen(st);
}

static void _on_exec(struct sr_state *st, const struct trace_rec *rec)
{
	struct sr_proc *p;
	struct sr_thread *t;
	struct sr_fdtable *ft;

	if (rec->int_cnt < 2)
		return;
	/* The thread first: replacing an exited one with its tid may free its process. */
	t = _thread_get_or_new(st, (uint32_t)rec->ints[0]);
	p = _proc_get_or_new(st, (uint32_t)rec->ints[1]);
	_thread_attach(st, t, p);
	if (rec->blob_cnt > 0) {
		/* The kernel names the thread after the file it executes (15 bytes at most). */
		const char *f = rec->blobs[0].data, *slash = memrchr(f, '/', rec->blobs[0].sz);
		size_t off = slash ? (size_t)(slash - f) + 1 : 0, n = rec->blobs[0].sz - off;

		n = n < 15 ? n : 15;
		memcpy(t->comm, f + off, n);
		t->comm[n] = '\0';
		_set_str(&p->exe, rec, 0);
	}
	if (rec->blob_cnt > 2 && rec->blobs[2].sz) /* the file "/dev/fd/N" stood for */
		_set_str(&p->exe, rec, 2);
	if (rec->blob_cnt > 1) {
		_set_str(&p->args, rec, 1);
		p->args_len = rec->blobs[1].sz;
		p->args_cut = rec->int_cnt > TR_EXEC_FLAGS &&
			      (rec->ints[TR_EXEC_FLAGS] & TR_EXEC_F_ARGS_CUT);
	}
	/* exec unshares the fd table, then closes the close-on-exec fds. */
	if (p->fdt && p->fdt->refs > 1) {
		ft = _fdtable_copy(p->fdt);
		_fdtable_put(p->fdt);
		p->fdt = ft;
	}
	ft = p->fdt;
	for (uint32_t i = 0; ft && i < ft->cap; i++)
		if (ft->fds[i] && ft->fds[i]->cloexec)
			sr_state__fd_remove(p, i);
	p->gen = sr_state__next_gen(st);
}

static void _on_fd(struct sr_state *st, const struct trace_rec *rec)
{
	struct sr_proc *p;

	if (rec->int_cnt < 3)
		return;
	p = _proc_get_or_new(st, (uint32_t)rec->ints[0]);
	if (rec->int_cnt > 3 && (rec->ints[3] & TR_FD_F_ADDR_ONLY)) {
		struct sr_fd *f = sr_state__fd(p, (int64_t)rec->ints[1]), *nf = sr_fd__from_rec(rec);

		if (f) { /* the addresses of a socket we know: the rest stays */
			f->family = nf->family;
			memcpy(f->lip, nf->lip, sizeof(f->lip));
			memcpy(f->rip, nf->rip, sizeof(f->rip));
			f->lport = nf->lport;
			f->rport = nf->rport;
			f->server = nf->server;
			if (f->type == TR_FD_SOCKET)
				f->type = nf->type;
			sr_fd__name_tuple(f);
			f->gen = sr_state__next_gen(st);
			sr_fd__free(nf);
			return;
		}
		nf->flags = 0;
		sr_state__fd_install(st, p, (int64_t)rec->ints[1], nf);
		return;
	}
	sr_state__fd_install(st, p, (int64_t)rec->ints[1], sr_fd__from_rec(rec));
}

/* ---- the protocol ---- */

static void _syscall_enter(struct sr_state *st, struct sr_evt *ev)
{
	const struct trace_rec *rec = ev->rec;

	if (rec->int_cnt < 4)
		return;
	ev->sc = sr_syscall__get((unsigned int)rec->ints[0]);
	for (unsigned int i = 0; i < rec->blob_cnt; i++)
		if (rec->blobs[i].tag < SR_SYSCALL_MAX_ARGS)
			ev->arg_blob[rec->blobs[i].tag] = &rec->blobs[i];
	sr_fd_effects__enter(st, ev);
}

#define EXITED_KEEP_NS 2000000000ull

/* Threads that exited more than EXITED_KEEP_NS before @now leave the tables. */
static void _purge_exited(struct sr_state *st, uint64_t now)
{
	size_t i = 0;

	for (; i < st->exited_cnt; i++) {
		struct sr_thread *t = sr_state__thread(st, st->exited[i]);

		if (t && t->exited && t->exit_ts + EXITED_KEEP_NS > now)
			break;
		if (t && t->exited)
			_thread_del(st, t);
	}
	memmove(st->exited, st->exited + i, (st->exited_cnt - i) * sizeof(*st->exited));
	st->exited_cnt -= i;
}

/* A packet's interface, container, headers, and its addresses as an fd would show them
 * (local = source: fd.sip/sport are the sender's, fd.dip/dport the receiver's). */
static void _packet(struct sr_state *st, struct sr_evt *ev)
{
	const struct trace_rec *rec = ev->rec;
	struct sr_fd *f = &ev->pkt_fd;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], *name;
	size_t alen;

	memset(&ev->pkt, 0, sizeof(ev->pkt));
	memset(f, 0, sizeof(*f));
	ev->pkt_ifname = NULL;
	if (rec->int_cnt < TR_PACKET_INT_CNT)
		return;
	ev->pkt_ifname = sr_net_state__ifname(st->net, rec->ints[TR_PACKET_NETNS],
					      (uint32_t)rec->ints[TR_PACKET_IFINDEX]);
	ev->pkt_ctr = sr_net_state__container(st->net, rec->ints[TR_PACKET_NETNS],
					      &ev->pkt_ctr_known);
	sr_pkt__decode(rec->blob_cnt ? rec->blobs[0].data : NULL, rec->blob_cnt ? rec->blobs[0].sz : 0,
		       (uint16_t)rec->ints[TR_PACKET_ETHERTYPE], &ev->pkt);
	if (!ev->pkt.family)
		return;
	alen = ev->pkt.family == AF_INET ? 4 : 16;
	f->num = -1;
	f->type = ev->pkt.family == AF_INET ? TR_FD_IPV4 : TR_FD_IPV6;
	f->family = ev->pkt.family;
	f->l4proto = ev->pkt.l4proto;
	memcpy(f->lip, ev->pkt.src, alen);
	memcpy(f->rip, ev->pkt.dst, alen);
	f->lport = ev->pkt.sport;
	f->rport = ev->pkt.dport;
	inet_ntop(ev->pkt.family, ev->pkt.src, a, sizeof(a));
	inet_ntop(ev->pkt.family, ev->pkt.dst, b, sizeof(b));
	name = sr_evt__scratch(ev, 2 * INET6_ADDRSTRLEN + 20);
	if (name)
		snprintf(name, 2 * INET6_ADDRSTRLEN + 20, "%s:%u->%s:%u", a, f->lport, b, f->rport);
	f->name = name ? name : "";
	ev->fd = f;
}

void sr_state__enter(struct sr_state *st, struct sr_evt *ev)
{
	const struct trace_rec *rec = ev->rec;

	if (st->exited_cnt && st->exited[0] && rec->ts > EXITED_KEEP_NS)
		_purge_exited(st, rec->ts);

	ev->st = st;
	ev->sc = NULL;
	ev->fd_num = -1;
	ev->fd = NULL;
	ev->fd_is_ret = false;
	ev->pkt_ctr = NULL;
	ev->pkt_ctr_known = false;
	ev->scratch_used = 0;
	memset(ev->arg_blob, 0, sizeof(ev->arg_blob));
	switch (rec->type) {
	case TR_THREAD:
		_on_thread(st, rec);
		break;
	case TR_FD:
		_on_fd(st, rec);
		break;
	case TR_CONTAINER:
		_on_container(st, rec);
		break;
	case TR_USER:
		_on_user(st, rec);
		break;
	case TR_GROUP:
		_on_group(st, rec);
		break;
	case TR_PROC_FORK:
		_on_fork(st, rec);
		break;
	case TR_PROC_EXEC:
		_on_exec(st, rec);
		sr_symbols__record(st->syms, rec);
		break;
	case TR_SYMBOLS:
	case TR_MAPPING:
		sr_symbols__record(st->syms, rec);
		break;
	case TR_PROBE_DEF:
		sr_symbols__record(st->syms, rec);
		sr_probe_defs__record(st->probes, rec);
		break;
	case TR_TP_FORMAT:
		sr_probe_defs__record(st->probes, rec);
		break;
	case TR_IFACE:
		sr_net_state__on_iface(st->net, rec);
		break;
	}
	ev->thr = rec->tid ? sr_state__thread(st, rec->tid) : NULL;
	if (rec->type == TR_THREAD && rec->int_cnt > 0) { /* the key, not rec->tid: slices leave it 0 */
		struct sr_thread *t = sr_state__thread(st, (uint32_t)rec->ints[0]);

		if (t)
			sr_net_state__on_thread(st->net, t->ns[SR_NS_NET], t->ctr, t->tid);
	}
	if (rec->type == TR_PACKET)
		_packet(st, ev);
	if (rec->type == TR_SYSCALL)
		_syscall_enter(st, ev);
}

void sr_state__leave(struct sr_state *st, struct sr_evt *ev)
{
	const struct trace_rec *rec = ev->rec;

	if (rec->type == TR_SYSCALL && rec->int_cnt >= 4) {
		sr_fd_effects__leave(st, ev);
		return;
	}
	if (rec->type == TR_PROC_EXIT && rec->int_cnt >= 2) {
		struct sr_thread *t = sr_state__thread(st, (uint32_t)rec->ints[0]);

		if (!t)
			return;
		if (t->proc && t->tid == t->proc->pid && rec->int_cnt >= 4) {
			t->proc->exit_code = (int32_t)rec->ints[2];
			t->proc->exit_signal = (int32_t)rec->ints[3];
			t->proc->exited = true;
		}
		/* Kept a little longer: its last CPU record comes once it is freed. */
		t->exited = true;
		t->exit_ts = rec->ts;
		if (st->exited_cnt == st->exited_cap) {
			st->exited_cap = st->exited_cap ? st->exited_cap * 2 : 64;
			st->exited = sr_xrealloc(st->exited, st->exited_cap * sizeof(*st->exited));
		}
		st->exited[st->exited_cnt++] = t->tid;
	}
}

void sr_state__free(struct sr_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->threads.cap; i++) {
		struct sr_thread *t = st->threads.slots[i].val;

		if (t) {
			_proc_unref(st, t->proc);
			free(t->cgroup);
			free(t);
		}
	}
	/* Processes without threads (known only from FD or EXEC records). */
	for (size_t i = 0; i < st->procs.cap; i++) {
		struct sr_proc *p = st->procs.slots[i].val;

		if (p && !p->threads)
			_proc_free(p);
	}
	for (size_t i = 0; i < st->containers.cap; i++)
		if (st->containers.slots[i].val)
			_container_free(st->containers.slots[i].val);
	sr_net_state__free(st->net);
	for (size_t i = 0; i < st->users.cap; i++) {
		struct sr_user *u = st->users.slots[i].val;

		if (u) {
			free(u->name);
			free(u->home);
			free(u->shell);
			free(u);
		}
	}
	for (size_t i = 0; i < st->groups.cap; i++) {
		struct sr_group *g = st->groups.slots[i].val;

		if (g) {
			free(g->name);
			free(g);
		}
	}
	sr_hmap__free(&st->threads);
	sr_hmap__free(&st->procs);
	sr_hmap__free(&st->containers);
	sr_hmap__free(&st->users);
	sr_hmap__free(&st->groups);
	sr_symbols__free(st->syms);
	sr_probe_defs__free(st->probes);
	free(st->exited);
	free(st);
}
