// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "event.h"
#include "filter.h"
#include "rec_filter.h"
#include "slice_writer.h"
#include "state.h"

struct rec_filter {
	struct sr_filter *filter;
	struct trace_writer *w;
	struct sr_state *st;
	struct sr_slice *slice;
	struct sr_evt *ev;
	bool busy; /* records written by rec_filter__record() itself are not observed */
	uint64_t seen, kept;
	uint64_t boot_time_ns;
};

static void _apply(struct rec_filter *f, const struct trace_rec *rec)
{
	f->ev->rec = rec;
	f->ev->boot_time_ns = f->boot_time_ns;
	sr_state__enter(f->st, f->ev);
	sr_state__leave(f->st, f->ev);
}

/* Records the snapshot, container and name code write directly: state only. */
static void _observe(const struct trace_rec *rec, void *ctx)
{
	struct rec_filter *f = ctx;

	if (!f->busy)
		_apply(f, rec);
}

int rec_filter__new(struct sr_filter *filter, struct trace_writer *w, uint64_t boot_time_ns,
		    struct rec_filter **out)
{
	struct rec_filter *f = calloc(1, sizeof(*f));

	if (!f || !(f->ev = calloc(1, sizeof(*f->ev))) || !(f->st = sr_state__new()) ||
	    sr_slice__wrap(&f->slice, w, false)) {
		if (f) {
			sr_state__free(f->st);
			free(f->ev);
		}
		free(f);
		return -ENOMEM;
	}
	f->filter = filter;
	f->w = w;
	f->boot_time_ns = boot_time_ns;
	trace_writer__set_observer(w, _observe, f);
	*out = f;
	return 0;
}

int rec_filter__record(struct rec_filter *f, const struct trace_rec *rec)
{
	struct sr_evt *ev = f->ev;
	int err = 0;

	f->busy = true;
	ev->rec = rec;
	ev->boot_time_ns = f->boot_time_ns;
	sr_state__enter(f->st, ev);
	if (rec->type < TR_THREAD) {
		ev->num = ++f->seen;
		if (sr_filter__match(f->filter, ev)) {
			f->kept++;
			err = sr_slice__event(f->slice, ev);
		}
	} else {
		err = trace_writer__append(f->w, rec);
	}
	sr_state__leave(f->st, ev);
	f->busy = false;
	return err;
}

void rec_filter__counts(const struct rec_filter *f, uint64_t *seen, uint64_t *kept)
{
	*seen = f->seen;
	*kept = f->kept;
}

void rec_filter__free(struct rec_filter *f)
{
	if (!f)
		return;
	sr_slice__abort(f->slice); /* wrapped: leaves the writer alone */
	sr_state__free(f->st);
	sr_filter__free(f->filter);
	free(f->ev);
	free(f);
}
