// SPDX-License-Identifier: Apache-2.0
/* The whole state as records; see state_dump.h. */
#include "state_dump.h"
#include "state_records.h"

struct dump {
	struct sr_state *st;
	struct trace_writer *w;
	uint64_t ts;
	struct sr_state_dump_stats *stats;
};

static int _append(struct dump *d, struct trace_rec *r)
{
	r->ts = d->ts;
	r->cpu = 0;
	r->tid = 0; /* state, not an event of a thread (the key says whose) */
	return trace_writer__append(d->w, r);
}

static int _container(const struct sr_container *c, void *ctx)
{
	struct dump *d = ctx;
	struct trace_rec r;

	sr_rec__container(&r, c);
	d->stats->containers++;
	return _append(d, &r);
}

static int _user(const struct sr_user *u, void *ctx)
{
	struct dump *d = ctx;
	struct trace_rec r;

	sr_rec__user(&r, u);
	d->stats->names++;
	return _append(d, &r);
}

static int _group(const struct sr_group *g, void *ctx)
{
	struct dump *d = ctx;
	struct trace_rec r;

	sr_rec__group(&r, g);
	d->stats->names++;
	return _append(d, &r);
}

/* A process with live threads whose leader is gone (exited, or never seen): the leader's
 * record first, so the process has its pid, parent and exe. */
static int _orphan_leader(struct sr_proc *p, void *ctx)
{
	struct dump *d = ctx;
	struct sr_thread *leader = sr_state__thread(d->st, p->pid);
	struct trace_rec r;

	if (!p->threads || (leader && !leader->exited && leader->proc == p))
		return 0;
	sr_rec__thread(&r, NULL, p, false, 0);
	return _append(d, &r);
}

static int _thread(struct sr_thread *t, void *ctx)
{
	struct dump *d = ctx;
	struct trace_rec r;

	if (t->exited || !t->proc)
		return 0;
	sr_rec__thread(&r, t, t->proc, false, TR_THREAD_F_SNAPSHOT);
	d->stats->threads++;
	return _append(d, &r);
}

static int _fds(struct sr_proc *p, void *ctx)
{
	struct dump *d = ctx;

	if (!p->threads || !p->fdt)
		return 0;
	for (uint32_t i = 0; i < p->fdt->cap; i++) {
		struct trace_rec r;
		int err;

		if (!p->fdt->fds[i])
			continue;
		sr_rec__fd(&r, p->pid, p->fdt->fds[i], false);
		d->stats->fds++;
		err = _append(d, &r);
		if (err)
			return err;
	}
	return 0;
}

int sr_state_dump__write(struct sr_state *st, struct trace_writer *w, uint64_t ts,
			 struct sr_state_dump_stats *stats)
{
	struct sr_state_dump_stats none;
	struct dump d = { st, w, ts, stats ? stats : &none };

	*d.stats = (struct sr_state_dump_stats){ 0 };
	/* Containers before threads (a THREAD names its container by id). */
	return sr_state__each_container(st, _container, &d) ?:
	       sr_state__each_user(st, _user, &d) ?:
	       sr_state__each_group(st, _group, &d) ?:
	       sr_state__each_proc(st, _orphan_leader, &d) ?:
	       sr_state__each_thread(st, _thread, &d) ?:
	       sr_state__each_proc(st, _fds, &d);
}
