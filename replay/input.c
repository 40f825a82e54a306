// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

/* Files of one boot share a state: same boot id, or same hostname when there is none. */
static const char *_host_key(struct trace_reader *r)
{
	const struct trace_props *p = trace_reader__props(r);
	const char *id = trace_props__str(p, "machine.boot_id", "");

	return id[0] ? id : trace_props__str(p, "machine.hostname", "");
}

static int _advance(struct sr_input_file *f)
{
	int ret;

	if (f->done)
		return 0;
	ret = trace_reader__next(f->r, &f->rec);
	if (ret == 1) {
		f->has_rec = true;
		return 1;
	}
	f->has_rec = false;
	f->done = true;
	f->err = ret < 0 ? ret : 0;
	return 0;
}

int sr_input__open(struct sr_input *in, const char *const *paths, size_t cnt,
		   struct sr_diag *diag)
{
	memset(in, 0, sizeof(*in));
	in->files = calloc(cnt, sizeof(*in->files));
	in->states = calloc(cnt, sizeof(*in->states));
	if (!in->files || !in->states) {
		sr_input__close(in);
		return -ENOMEM;
	}
	in->start_wall = UINT64_MAX;
	for (size_t i = 0; i < cnt; i++) {
		struct sr_input_file *f = &in->files[i];
		const char *key;
		int err = trace_reader__open(paths[i], &f->r, diag);

		if (err) {
			/* Name the file: with several inputs the reader's message alone is unclear. */
			if (diag) {
				char msg[sizeof(diag->msg)];

				snprintf(msg, sizeof(msg), "%s", diag->msg[0] ? diag->msg : sr_strerror(err));
				if (!strstr(msg, paths[i]))
					snprintf(diag->msg, sizeof(diag->msg), "%s: %s", paths[i], msg);
			}
			sr_input__close(in);
			return err;
		}
		in->cnt++;
		f->path = paths[i];
		f->boot_time_ns = trace_props__u64(trace_reader__props(f->r), "machine.boot_time_ns", 0);
		key = _host_key(f->r);
		for (size_t j = 0; j < i && !f->st; j++)
			if (!strcmp(_host_key(in->files[j].r), key))
				f->st = in->files[j].st;
		if (!f->st) {
			f->st = sr_state__new();
			in->states[in->state_cnt++] = f->st;
		}
		const struct trace_summary *sum;

		if (!trace_reader__summary(f->r, &sum))
			f->file_sz = sum->file_sz;
		_advance(f);
		if (f->has_rec && f->boot_time_ns + f->rec.ts < in->start_wall)
			in->start_wall = f->boot_time_ns + f->rec.ts;
	}
	if (in->start_wall == UINT64_MAX)
		in->start_wall = 0;
	return 0;
}

void sr_input__close(struct sr_input *in)
{
	for (size_t i = 0; i < in->cnt; i++)
		trace_reader__close(in->files[i].r);
	for (size_t i = 0; i < in->state_cnt; i++)
		sr_state__free(in->states[i]);
	free(in->files);
	free(in->states);
	memset(in, 0, sizeof(*in));
}

int sr_input__next(struct sr_input *in, const struct trace_rec **rec,
		   struct sr_input_file **file)
{
	struct sr_input_file *best = NULL;
	uint64_t best_t = UINT64_MAX;

	if (in->handed)
		_advance(in->handed);
	in->handed = NULL;
	for (size_t i = 0; i < in->cnt; i++) {
		struct sr_input_file *f = &in->files[i];

		if (f->has_rec && f->boot_time_ns + f->rec.ts < best_t) {
			best_t = f->boot_time_ns + f->rec.ts;
			best = f;
		}
	}
	if (!best)
		return 0;
	*rec = &best->rec;
	*file = best;
	in->handed = best;
	return 1;
}

void sr_input__progress(const struct sr_input *in, uint64_t *done, uint64_t *total)
{
	*done = *total = 0;
	for (size_t i = 0; i < in->cnt; i++) {
		const struct sr_input_file *f = &in->files[i];
		const struct trace_chunk_info *c = f->has_rec ? trace_reader__chunk(f->r) : NULL;

		*total += f->file_sz;
		*done += f->done ? f->file_sz : c ? c->offset : 0;
	}
}
