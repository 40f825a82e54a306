// SPDX-License-Identifier: Apache-2.0
/* The recording's state for self-contained files; see checkpoint.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "event.h"
#include "event_table.h"
#include "filter.h"
#include "hmap.h"
#include "state.h"
#include "state_alloc.h"
#include "state_dump.h"

/* A metadata record kept as it was written; blob bytes follow the struct. */
struct kept {
	struct trace_rec rec;
	uint64_t seq;   /* order of first appearance: the checkpoint keeps it */
	uint64_t stamp; /* when it was last written (a MAPPING older than its process's exec is
			 * stale) */
};

struct checkpoint {
	struct sr_state *st;
	struct sr_evt *ev;
	struct sr_filter *trigger;
	struct sr_hmap kept; /* _key() -> struct kept */
	uint64_t kept_seq, stamp;
	size_t mapping_cnt;
	/* pid -> stamp of its last exec, since the last checkpoint (while there are mappings):
	 * an exec costs one insert, not a walk over every mapping kept */
	struct sr_hmap execs;
	uint64_t boot_time_ns, last_ts, evt_num;
	bool busy; /* the checkpoint's own records are not observed */
	trace_writer_observer_fn prev;
	void *prev_ctx;
	/* a --trigger match not taken yet */
	bool fired;
	uint64_t fired_ts;
	char fired_desc[160];
};

static uint64_t _mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t _mix_bytes(uint64_t h, const void *p, size_t sz)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < sz; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return _mix(h, sz);
}

/* Which kept record @rec replaces (0: it is not kept). */
static uint64_t _key(const struct trace_rec *rec)
{
	uint64_t h = _mix(0, rec->type);

	switch (rec->type) {
	case TR_IFACE: /* ifindex, netns */
	case TR_MAPPING: /* pid, start */
	case TR_DROPS: /* cpu, kind */
		if (rec->int_cnt < 2)
			return 0;
		return _mix(_mix(h, rec->ints[0]), rec->ints[1]) | 1;
	case TR_TP_FORMAT:
	case TR_PROBE_DEF:
		return rec->int_cnt ? _mix(h, rec->ints[0]) | 1 : 0;
	case TR_SYMBOLS: /* kind, build-id, path */
		h = _mix(h, rec->int_cnt ? rec->ints[0] : 0);
		for (unsigned int i = 0; i < rec->blob_cnt && i < 2; i++)
			h = _mix_bytes(h, rec->blobs[i].data, rec->blobs[i].sz);
		return h | 1;
	}
	return 0;
}

static void _forget(struct checkpoint *cp, uint64_t key)
{
	struct kept *k = sr_hmap__del(&cp->kept, key);

	if (k && k->rec.type == TR_MAPPING)
		cp->mapping_cnt--;
	free(k);
}

static void _keep(struct checkpoint *cp, const struct trace_rec *rec, uint64_t key)
{
	size_t sz = sizeof(struct kept);
	struct kept *k, *old;
	char *p;

	for (unsigned int i = 0; i < rec->blob_cnt; i++)
		sz += rec->blobs[i].sz;
	k = malloc(sz);
	if (!k)
		sr_state__oom();
	k->rec = *rec;
	p = (char *)(k + 1);
	for (unsigned int i = 0; i < rec->blob_cnt; i++) {
		memcpy(p, rec->blobs[i].data, rec->blobs[i].sz);
		k->rec.blobs[i].data = p;
		p += rec->blobs[i].sz;
	}
	old = sr_hmap__get(&cp->kept, key);
	k->seq = old ? old->seq : cp->kept_seq++;
	k->stamp = ++cp->stamp;
	if (old)
		_forget(cp, key);
	if (sr_hmap__put(&cp->kept, key, k))
		sr_state__oom();
	if (rec->type == TR_MAPPING)
		cp->mapping_cnt++;
}

/* After an exec the process's mappings are those written from then on. */
static void _note_exec(struct checkpoint *cp, uint64_t pid)
{
	if (sr_hmap__put(&cp->execs, pid, (void *)(uintptr_t)++cp->stamp))
		sr_state__oom();
}

/* A kept MAPPING that is no longer state: its process is gone, or exec'd since. */
static bool _stale_mapping(struct checkpoint *cp, const struct kept *k)
{
	uint64_t pid = k->rec.ints[0];
	uintptr_t exec = (uintptr_t)sr_hmap__get(&cp->execs, pid);

	return !sr_state__proc(cp->st, (uint32_t)pid) || exec > k->stamp;
}

static void _trigger_desc(struct checkpoint *cp, const struct sr_evt *ev)
{
	const struct trace_rec_type_info *ti = trace_rec_type__get(ev->rec->type);
	const char *what = ev->sc && ev->sc->name ? ev->sc->name : ti ? ti->name : "?";

	snprintf(cp->fired_desc, sizeof(cp->fired_desc), "%s by %s (pid %u, tid %u)", what,
		 ev->thr ? ev->thr->comm : "?", ev->thr && ev->thr->proc ? ev->thr->proc->pid : 0,
		 ev->rec->tid);
}

static void _observe(const struct trace_rec *rec, void *ctx)
{
	struct checkpoint *cp = ctx;
	struct sr_evt *ev = cp->ev;
	uint64_t key;

	if (cp->prev)
		cp->prev(rec, cp->prev_ctx);
	if (cp->busy)
		return;
	if (rec->ts > cp->last_ts)
		cp->last_ts = rec->ts;
	key = _key(rec);
	if (key)
		_keep(cp, rec, key);
	if (rec->type == TR_PROC_EXEC && rec->int_cnt > 1 && cp->mapping_cnt)
		_note_exec(cp, rec->ints[1]);
	ev->rec = rec;
	ev->boot_time_ns = cp->boot_time_ns;
	sr_state__enter(cp->st, ev);
	if (cp->trigger && rec->type < TR_THREAD) {
		ev->num = ++cp->evt_num;
		if (!cp->fired && sr_filter__match(cp->trigger, ev)) {
			cp->fired = true;
			cp->fired_ts = rec->ts;
			_trigger_desc(cp, ev);
		}
	}
	sr_state__leave(cp->st, ev);
}

int checkpoint__new(struct trace_writer *w, uint64_t boot_time_ns, struct sr_filter *trigger,
		    struct checkpoint **out)
{
	struct checkpoint *cp = calloc(1, sizeof(*cp));

	if (!cp || !(cp->ev = calloc(1, sizeof(*cp->ev))) || !(cp->st = sr_state__new())) {
		if (cp)
			free(cp->ev);
		free(cp);
		return -ENOMEM;
	}
	cp->trigger = trigger;
	cp->boot_time_ns = boot_time_ns;
	trace_writer__get_observer(w, &cp->prev, &cp->prev_ctx);
	trace_writer__set_observer(w, _observe, cp);
	*out = cp;
	return 0;
}

/* Metadata first (probe definitions, formats, symbols, interfaces), then the state, then what
 * refers to processes (mappings), then the drop baselines; each group in first-seen order. */
static int _rank(unsigned int type)
{
	switch (type) {
	case TR_MAPPING:
		return 1;
	case TR_DROPS:
		return 2;
	}
	return 0;
}

static int _cmp_kept(const void *a, const void *b)
{
	const struct kept *x = *(struct kept *const *)a, *y = *(struct kept *const *)b;
	int rx = _rank(x->rec.type), ry = _rank(y->rec.type);

	if (rx != ry)
		return rx - ry;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int _append(struct checkpoint *cp, struct trace_writer *w, const struct kept *k,
		   uint64_t *cnt)
{
	struct trace_rec r = k->rec;

	r.ts = cp->last_ts;
	if (r.type == TR_DROPS) {
		if (r.int_cnt <= TR_DROPS_COUNT || !r.ints[TR_DROPS_COUNT])
			return 0; /* nothing lost before: no baseline needed */
		r.ints[TR_DROPS_FLAGS] = TR_DROPS_F_BASELINE;
		if (r.int_cnt <= TR_DROPS_FLAGS)
			r.int_cnt = TR_DROPS_FLAGS + 1;
	}
	(*cnt)++;
	return trace_writer__append(w, &r);
}

int checkpoint__write(struct checkpoint *cp, struct trace_writer *w, uint64_t *rec_cnt)
{
	struct kept **all = malloc((cp->kept.cnt + 1) * sizeof(*all));
	struct sr_state_dump_stats ds;
	size_t n = 0, i = 0;
	uint64_t cnt = 0;
	int err = 0;

	if (!all)
		return -ENOMEM;
	for (size_t s = 0; s < cp->kept.cap; s++)
		if (cp->kept.slots[s].val)
			all[n++] = cp->kept.slots[s].val;
	qsort(all, n, sizeof(*all), _cmp_kept);
	cp->busy = true;
	for (; !err && i < n && _rank(all[i]->rec.type) == 0; i++)
		err = _append(cp, w, all[i], &cnt);
	if (!err)
		err = sr_state_dump__write(cp->st, w, cp->last_ts, &ds);
	cnt += ds.containers + ds.names + ds.threads + ds.fds;
	for (; !err && i < n; i++) {
		const struct trace_rec *r = &all[i]->rec;

		if (r->type == TR_MAPPING && _stale_mapping(cp, all[i])) {
			_forget(cp, _key(r));
			continue;
		}
		err = _append(cp, w, all[i], &cnt);
	}
	/* Every mapping older than its process's exec is gone now: start counting afresh. */
	if (!err)
		sr_hmap__free(&cp->execs);
	cp->busy = false;
	free(all);
	*rec_cnt = cnt;
	return err;
}

uint64_t checkpoint__last_ts(const struct checkpoint *cp)
{
	return cp->last_ts;
}

bool checkpoint__take_trigger(struct checkpoint *cp, uint64_t *ts, char *desc, size_t sz)
{
	if (!cp->fired)
		return false;
	cp->fired = false;
	*ts = cp->fired_ts;
	snprintf(desc, sz, "%s", cp->fired_desc);
	return true;
}

void checkpoint__free(struct checkpoint *cp)
{
	if (!cp)
		return;
	for (size_t i = 0; i < cp->kept.cap; i++)
		free(cp->kept.slots[i].val);
	sr_hmap__free(&cp->kept);
	sr_hmap__free(&cp->execs);
	sr_state__free(cp->st);
	sr_filter__free(cp->trigger);
	free(cp->ev);
	free(cp);
}
