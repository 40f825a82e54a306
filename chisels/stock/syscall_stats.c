// SPDX-License-Identifier: Apache-2.0
/*
 * syscall_stats: per syscall, the number of calls, errors, and total/min/avg/max latency,
 * like `perf trace -s`; with the argument `hist`, a log2 latency histogram for each.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "stock.h"

#define MAX_NAMES 1024
#define HIST_BUCKETS 40 /* log2(ns): up to ~18 minutes */

struct sc_stat {
	char name[32];
	uint64_t calls, errors, timed, total, min, max;
	uint64_t hist[HIST_BUCKETS];
};

struct stats {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *type, *lat, *failed;
	struct sc_stat *v;
	size_t cnt;
	bool hist;
	char err[128];
};

static int _init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		 void **state)
{
	struct stats *s = calloc(1, sizeof(*s));

	*state = s;
	if (!s)
		return -ENOMEM;
	s->h = h;
	s->ctx = ctx;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "hist")) {
			snprintf(s->err, sizeof(s->err), "unknown argument '%s' (expected 'hist')",
				 argv[i]);
			return -EINVAL;
		}
		s->hist = true;
	}
	s->v = calloc(MAX_NAMES, sizeof(*s->v));
	s->type = h->field(ctx, "evt.type");
	s->lat = h->field(ctx, "evt.latency");
	s->failed = h->field(ctx, "evt.failed");
	if (!s->v || !s->type || !s->lat || !s->failed)
		return -EINVAL;
	/* Syscalls only: the lifecycle records have no result. */
	return h->set_filter(ctx, "evt.rawres exists or evt.pending=true");
}

static struct sc_stat *_stat(struct stats *s, const char *name)
{
	for (size_t i = 0; i < s->cnt; i++)
		if (!strcmp(s->v[i].name, name))
			return &s->v[i];
	if (s->cnt == MAX_NAMES)
		return NULL;
	snprintf(s->v[s->cnt].name, sizeof(s->v[0].name), "%s", name);
	s->v[s->cnt].min = UINT64_MAX;
	return &s->v[s->cnt++];
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct stats *s = state;
	struct sc_stat *st;
	const char *name;
	uint64_t lat, failed = 0;

	if (!s->h->get_text(ev, s->type, &name))
		return 0;
	st = _stat(s, name);
	if (!st)
		return 0;
	st->calls++;
	if (s->h->get_u64(ev, s->failed, &failed) && failed)
		st->errors++;
	if (s->h->get_u64(ev, s->lat, &lat)) {
		int b = 0;

		st->timed++;
		st->total += lat;
		st->min = lat < st->min ? lat : st->min;
		st->max = lat > st->max ? lat : st->max;
		while (b < HIST_BUCKETS - 1 && (lat >> (b + 1)))
			b++;
		st->hist[b]++;
	}
	return 0;
}

static int _by_total(const void *a, const void *b)
{
	const struct sc_stat *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void _hist(FILE *f, const struct sc_stat *st)
{
	uint64_t top = 0;

	for (int b = 0; b < HIST_BUCKETS; b++)
		top = st->hist[b] > top ? st->hist[b] : top;
	for (int b = 0; b < HIST_BUCKETS; b++) {
		char bar[41];
		int w;

		if (!st->hist[b])
			continue;
		w = (int)(st->hist[b] * 40 / top);
		memset(bar, '*', (size_t)w);
		bar[w] = '\0';
		fprintf(f, "      %12" PRIu64 " -> %-12" PRIu64 " ns : %-10" PRIu64 " |%-40s|\n",
			b ? (uint64_t)1 << b : 0, ((uint64_t)2 << b) - 1, st->hist[b], bar);
	}
}

static void _end(void *state)
{
	struct stats *s = state;
	FILE *f = s->h->out(s->ctx);
	uint64_t calls = 0, errors = 0;

	qsort(s->v, s->cnt, sizeof(*s->v), _by_total);
	fprintf(f, "%-20s %10s %8s %12s %10s %10s %12s\n", "syscall", "calls", "errors",
		"total (ms)", "min (us)", "avg (us)", "max (us)");
	fprintf(f, "-------------------- ---------- -------- ------------ ---------- ---------- ------------\n");
	for (size_t i = 0; i < s->cnt; i++) {
		const struct sc_stat *st = &s->v[i];

		calls += st->calls;
		errors += st->errors;
		if (st->timed)
			fprintf(f, "%-20s %10" PRIu64 " %8" PRIu64 " %12.3f %10.3f %10.3f %12.3f\n",
				st->name, st->calls, st->errors, (double)st->total / 1e6,
				(double)st->min / 1e3, (double)st->total / (double)st->timed / 1e3,
				(double)st->max / 1e3);
		else
			fprintf(f, "%-20s %10" PRIu64 " %8" PRIu64 " %12s %10s %10s %12s\n", st->name,
				st->calls, st->errors, "-", "-", "-", "-");
		if (s->hist && st->timed)
			_hist(f, st);
	}
	fprintf(f, "%-20s %10" PRIu64 " %8" PRIu64 "\n", "total", calls, errors);
}

static void _fini(void *state)
{
	struct stats *s = state;

	if (s)
		free(s->v);
	free(s);
}

static const char *_error(void *state)
{
	struct stats *s = state;

	return s && s->err[0] ? s->err : NULL;
}

const struct sysrec_chisel chisel_syscall_stats = {
	.sz = sizeof(struct sysrec_chisel),
	.api_version = SYSREC_CHISEL_API_VERSION,
	.name = "syscall_stats",
	.description = "calls, errors and latency (total, min, avg, max) per syscall, like perf trace -s",
	.args = "[hist]",
	.init = _init,
	.on_event = _event,
	.on_end = _end,
	.fini = _fini,
	.last_error = _error,
};
