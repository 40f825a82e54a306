// SPDX-License-Identifier: Apache-2.0
/* replay -w: a self-contained trace of the selected events; see slice_writer.h. */
#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "input.h"
#include "props.h"
#include "net_state.h"
#include "slice_writer.h"
#include "state_records.h"
#include "sr_error.h"
#include "trace_writer.h"

#define MAX_ANCESTORS 16

struct sr_slice {
	struct trace_writer *w;
	char *path;
	bool redact;
	bool wrapped; /* w belongs to the caller */
	struct sr_hmap threads; /* tid -> written (thread gen << 32 | proc gen), never 0 */
	struct sr_hmap fds;     /* pid << 24 | fd -> written fd gen */
	struct sr_hmap ctrs;    /* cgroup id -> written container gen */
	struct sr_hmap names;   /* ns_mnt << 33 | id << 1 | is_group -> 1 */
	struct sr_hmap drops;   /* cpu << 32 | kind -> 1: a DROPS record was written */
	uint64_t boot_ns;       /* the output's machine.boot_time_ns (the first input's) */
	uint64_t ts;            /* the current event's time on the output's clock */
};

#define GEN(v) ((void *)(uintptr_t)(v))

int sr_slice__open(struct sr_slice **out, const char *path, const struct sr_input *in,
		   bool redact, char *err, size_t err_sz)
{
	const struct trace_props *src = trace_reader__props(in->files[0].r);
	struct trace_props *props = NULL;
	struct sr_diag diag = { 0 };
	struct sr_slice *s;
	int ret;

	struct stat out_st, in_st;

	/* Writing over an input would destroy it while it is read. */
	for (size_t i = 0; !stat(path, &out_st) && i < in->cnt; i++)
		if (!stat(in->files[i].path, &in_st) && in_st.st_dev == out_st.st_dev &&
		    in_st.st_ino == out_st.st_ino) {
			snprintf(err, err_sz, "replay: -w '%s' is one of the input files", path);
			return -EINVAL;
		}
	if (in->state_cnt > 1) {
		snprintf(err, err_sz, "replay: -w takes the files of one capture host (these come "
			 "from %zu); write one slice per host", in->state_cnt);
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path)) || trace_props__new(&props)) {
		ret = -ENOMEM;
		goto fail;
	}
	s->redact = redact;
	s->boot_ns = in->files[0].boot_time_ns;
	ret = trace_props__copy(props, src);
	if (ret)
		goto fail;
	ret = trace_props__set_str(props, "slice.source", in->files[0].path);
	ret = ret ?: trace_props__set_u64(props, "slice.redacted", redact);
	ret = ret ?: trace_writer__create(path, props, NULL, &s->w, &diag);
	if (ret)
		goto fail;
	trace_props__free(props);
	*out = s;
	return 0;
fail:
	snprintf(err, err_sz, "cannot create '%s': %s", path,
		 diag.err ? diag.msg : sr_strerror(ret));
	trace_props__free(props);
	if (s)
		free(s->path);
	free(s);
	return ret;
}

int sr_slice__wrap(struct sr_slice **out, struct trace_writer *w, bool redact)
{
	struct sr_slice *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->w = w;
	s->redact = redact;
	s->wrapped = true;
	*out = s;
	return 0;
}

static int _put(struct sr_hmap *m, uint64_t key, uint64_t val)
{
	return sr_hmap__put(m, key, GEN(val));
}

static int _container(struct sr_slice *s, const struct sr_evt *ev, const struct sr_container *c)
{
	struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu };
	int err;

	if (!c || sr_hmap__get(&s->ctrs, c->cgroup_id) == GEN(c->gen))
		return 0;
	sr_rec__container(&r, c);
	err = trace_writer__append(s->w, &r);
	return err ?: _put(&s->ctrs, c->cgroup_id, c->gen);
}

static int _names(struct sr_slice *s, struct sr_evt *ev, const struct sr_thread *t)
{
	uint64_t ns = t->ns[SR_NS_MNT];
	const struct sr_user *u = sr_state__user(ev->st, ns, t->uid);
	const struct sr_group *g = sr_state__group(ev->st, ns, t->gid);
	uint64_t ukey = ns << 33 | (uint64_t)t->uid << 1, gkey = ns << 33 | (uint64_t)t->gid << 1 | 1;
	int err = 0;

	if (u && !sr_hmap__get(&s->names, ukey)) {
		struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu };

		sr_rec__user(&r, u);
		err = trace_writer__append(s->w, &r) ?: _put(&s->names, ukey, 1);
	}
	if (!err && g && !sr_hmap__get(&s->names, gkey)) {
		struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu };

		sr_rec__group(&r, g);
		err = trace_writer__append(s->w, &r) ?: _put(&s->names, gkey, 1);
	}
	return err;
}

/* A THREAD record for thread @t, or for process @p's leader when @t is NULL (it exited). */
static int _thread(struct sr_slice *s, const struct sr_evt *ev, const struct sr_thread *t,
		   const struct sr_proc *p)
{
	struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu };
	uint32_t tid = t ? t->tid : p->pid;
	uint64_t gens = (uint64_t)(t ? t->gen : 1) << 32 | p->gen;
	int err;

	if (sr_hmap__get(&s->threads, tid) == GEN(gens))
		return 0;
	sr_rec__thread(&r, t, p, s->redact, 0);
	err = trace_writer__append(s->w, &r);
	return err ?: _put(&s->threads, tid, gens);
}

static int _fd(struct sr_slice *s, const struct sr_evt *ev, const struct sr_proc *p, int64_t num)
{
	struct sr_fd *f = sr_state__fd((struct sr_proc *)p, num);
	struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu };
	uint64_t key = (uint64_t)p->pid << 24 | (uint64_t)num;

	if (!f || sr_hmap__get(&s->fds, key) == GEN(f->gen))
		return 0;
	sr_rec__fd(&r, p->pid, f, false);
	return trace_writer__append(s->w, &r) ?: _put(&s->fds, key, f->gen);
}

static int _sock_addrs(struct sr_slice *s, const struct sr_evt *ev, const struct sr_proc *p,
		       const struct sr_fd *f)
{
	struct trace_rec r = { .ts = s->ts, .cpu = ev->rec->cpu, .tid = ev->rec->tid };

	sr_rec__fd(&r, p->pid, f, true);
	return trace_writer__append(s->w, &r);
}

/* The event with redacted blobs left out. */
static int _event(struct sr_slice *s, const struct sr_evt *ev)
{
	struct trace_rec r;

	if (!s->redact && ev->rec->ts == s->ts)
		return trace_writer__append(s->w, ev->rec);
	r = *ev->rec;
	r.ts = s->ts;
	if (!s->redact)
		return trace_writer__append(s->w, &r);
	r.blob_cnt = 0;
	for (unsigned int i = 0; i < ev->rec->blob_cnt; i++) {
		const struct trace_blob *b = &ev->rec->blobs[i];
		bool keep = true;

		if (r.type == TR_SYSCALL) {
			const struct sr_param *pm = ev->sc && b->tag < ev->sc->nargs ?
						    &ev->sc->args[b->tag] : NULL;

			keep = pm && (pm->type == SR_PT_PATH || pm->type == SR_PT_SOCKADDR);
		} else if (r.type == TR_PROC_EXEC) {
			keep = b->tag != 1; /* the arguments */
		}
		if (keep)
			r.blobs[r.blob_cnt++] = *b;
	}
	return trace_writer__append(s->w, &r);
}

int sr_slice__event(struct sr_slice *s, struct sr_evt *ev)
{
	struct sr_thread *t = ev->thr;
	struct sr_proc *p = t ? t->proc : NULL, *chain[MAX_ANCESTORS];
	size_t n = 0;
	int err = 0;

	/* Files of one host have boot times a few ns apart: one clock for the output. */
	s->ts = ev->rec->ts + ev->boot_time_ns - s->boot_ns;
	if (p) {
		/* Ancestors first, oldest first, so that each names a known parent. */
		for (struct sr_proc *a = p->ppid != p->pid ? sr_state__proc(ev->st, p->ppid) : NULL;
		     a && n < MAX_ANCESTORS; a = a->ppid && a->ppid != a->pid ?
						  sr_state__proc(ev->st, a->ppid) : NULL) {
			struct sr_thread *leader = sr_state__thread(ev->st, a->pid);

			/* A container's slice says nothing about the host processes above it. */
			if (t->ctr && (!leader || leader->ctr != t->ctr))
				break;
			chain[n++] = a;
		}
		while (n && !err) {
			struct sr_proc *a = chain[--n];
			struct sr_thread *leader = sr_state__thread(ev->st, a->pid);

			if (leader && leader->proc == a) {
				err = _container(s, ev, leader->ctr);
				err = err ?: _thread(s, ev, leader, a);
			} else {
				err = _thread(s, ev, NULL, a);
			}
		}
		err = err ?: _container(s, ev, t->ctr);
		err = err ?: _names(s, ev, t);
		err = err ?: _thread(s, ev, t, p);
		/* The fds the call names: an fd it returned is re-created by the call itself. */
		for (int i = 0; !err && ev->sc && i < ev->sc->nargs && i < SR_SYSCALL_MAX_ARGS; i++)
			if (ev->sc->args[i].type == SR_PT_FD && 4 + i < ev->rec->int_cnt)
				err = _fd(s, ev, p, (int32_t)ev->rec->ints[4 + i]);
		if (!err && ev->fd_num >= 0 && !ev->fd_is_ret)
			err = _fd(s, ev, p, ev->fd_num);
		/* A socket an accept made: its addresses, as the recorder wrote them before it. */
		if (!err && ev->fd_is_ret && ev->fd && ev->fd->family && ev->fd->rport)
			err = _sock_addrs(s, ev, p, ev->fd);
	}
	if (!err && ev->rec->type == TR_PACKET && ev->pkt_ctr_known) {
		/* The packet's container is its namespace's: keep the thread that says so. */
		uint64_t netns = ev->rec->ints[TR_PACKET_NETNS];
		uint32_t tid = sr_net_state__owner_tid(sr_state__net(ev->st), netns);
		struct sr_thread *o = tid ? sr_state__thread(ev->st, tid) : NULL;

		if (o && o->ns[SR_NS_NET] == netns) {
			err = _container(s, ev, o->ctr);
			err = err ?: _thread(s, ev, o, o->proc);
		}
	}
	return err ?: _event(s, ev);
}

int sr_slice__meta(struct sr_slice *s, const struct trace_rec *rec, uint64_t boot_time_ns)
{
	struct trace_rec r;
	uint64_t key;

	switch (rec->type) {
	case TR_DROPS:
		if (rec->int_cnt <= TR_DROPS_COUNT)
			return 0;
		key = rec->ints[TR_DROPS_CPU] << 32 | (uint32_t)rec->ints[TR_DROPS_KIND];

		/* Counts are cumulative: only the first file's baseline is the slice's. */
		if (rec->int_cnt > TR_DROPS_FLAGS && (rec->ints[TR_DROPS_FLAGS] & TR_DROPS_F_BASELINE) &&
		    sr_hmap__get(&s->drops, key))
			return 0;
		if (_put(&s->drops, key, 1))
			return -ENOMEM;
		/* fall through */
	case TR_IFACE:
	case TR_TP_FORMAT:
	case TR_PROBE_DEF:
	case TR_SYMBOLS:
	case TR_MAPPING: /* samples need them to be named; they hold no data, only paths */
		r = *rec;
		r.ts = rec->ts + boot_time_ns - s->boot_ns;
		return trace_writer__append(s->w, &r);
	}
	return 0;
}

static void _free(struct sr_slice *s)
{
	sr_hmap__free(&s->threads);
	sr_hmap__free(&s->fds);
	sr_hmap__free(&s->ctrs);
	sr_hmap__free(&s->names);
	sr_hmap__free(&s->drops);
	free(s->path);
	free(s);
}

int sr_slice__close(struct sr_slice *s, char *err, size_t err_sz)
{
	int ret = s->wrapped ? 0 : trace_writer__close(s->w);

	if (ret)
		snprintf(err, err_sz, "cannot write '%s': %s", s->path, sr_strerror(ret));
	_free(s);
	return ret;
}

void sr_slice__abort(struct sr_slice *s)
{
	if (!s)
		return;
	if (!s->wrapped)
		trace_writer__close(s->w);
	_free(s);
}
