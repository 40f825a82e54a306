// SPDX-License-Identifier: Apache-2.0
/*
 * The "top" chisels: sum a value (bytes moved, time spent, calls) per key (a process, a file,
 * a connection, a container, or any field) over the events of a filter, and print the
 * largest.  One implementation; each chisel is a definition.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "stock.h"

enum top_value { TOP_BYTES, TOP_TIME, TOP_CPU, TOP_COUNT };

struct top_def {
	const char *key, *key2;     /* fields; key2 (optional) is shown as a second column */
	const char *key_title, *key2_title;
	enum top_value value;
	const char *filter;
};

struct top {
	const struct top_def *def;
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *key, *key2, *val;
	const char *key_title;
	const struct sysrec_field *when;
	uint64_t first_ns, last_ns; /* time span of the events seen, for CPU % */
	struct agg agg;
	size_t limit;
	char err[160];
};

static int _limit(struct top *t, int argc, char **argv)
{
	char *end;

	t->limit = 10;
	if (argc < 1)
		return 0;
	t->limit = strtoul(argv[0], &end, 10);
	if (*end || !*argv[0] || argc > 1) {
		snprintf(t->err, sizeof(t->err), "expected an optional count of rows (0: all), "
			 "got '%s'", argv[argc > 1 ? 1 : 0]);
		return -EINVAL;
	}
	return 0;
}

static int _init(const struct top_def *def, const char *key, struct sysrec_ctx *ctx,
		 const struct sysrec_host *h, int argc, char **argv, void **state)
{
	struct top *t = calloc(1, sizeof(*t));

	*state = t;
	if (!t)
		return -ENOMEM;
	t->def = def;
	t->h = h;
	t->ctx = ctx;
	t->key_title = def->key_title;
	if (_limit(t, argc, argv))
		return -EINVAL;
	t->key = h->field(ctx, key);
	if (!t->key)
		return -EINVAL;
	if (def->key2 && !(t->key2 = h->field(ctx, def->key2)))
		return -EINVAL;
	t->val = h->field(ctx, def->value == TOP_TIME ? "evt.latency" :
			       def->value == TOP_CPU ? "thread.cpu" : "evt.buflen");
	t->when = h->field(ctx, "evt.rawtime");
	if (!t->val || !t->when)
		return -EINVAL;
	return def->filter ? h->set_filter(ctx, def->filter) : 0;
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct top *t = state;
	const char *k, *k2 = NULL;
	uint64_t v = 1;
	char key[4200];
	struct agg_ent *e;
	int n;

	uint64_t when;

	if (t->h->get_u64(ev, t->when, &when)) {
		t->first_ns = t->first_ns && t->first_ns < when ? t->first_ns : when;
		t->last_ns = when > t->last_ns ? when : t->last_ns;
	}
	if (t->def->value != TOP_COUNT && !t->h->get_u64(ev, t->val, &v))
		return 0;
	if (!t->h->get_text(ev, t->key, &k) || (t->key2 && !t->h->get_text(ev, t->key2, &k2)))
		return 0;
	/* Two-field keys are "key\x1fkey2": one entry per pair. */
	n = snprintf(key, sizeof(key), "%s%s%s", k, k2 ? "\x1f" : "", k2 ? k2 : "");
	e = agg__get(&t->agg, key, agg__key_len(key, sizeof(key), n));
	if (!e) {
		snprintf(t->err, sizeof(t->err), "out of memory");
		return -ENOMEM;
	}
	e->v[0] += v;
	e->v[1]++;
	return 0;
}

static void _end(void *state)
{
	struct top *t = state;
	FILE *f = t->h->out(t->ctx);
	const char *vt = t->def->value == TOP_BYTES ? "Bytes" : t->def->value == TOP_TIME ? "Time"
			 : t->def->value == TOP_CPU ? "CPU%  (time)" : "Calls";
	uint64_t start, end, span;

	/* CPU % of the whole trace (the cpu events come once a second: their own span is not
	 * the trace's). */
	t->h->span(t->ctx, &start, &end);
	if (end <= start) {
		start = t->first_ns;
		end = t->last_ns;
	}
	span = end > start ? end - start : 0;
	struct agg_ent **v;
	size_t cnt;
	char buf[32];

	v = agg__sorted(&t->agg, 0, &cnt);
	if (!v)
		return;
	if (t->key2)
		fprintf(f, "%-18s %-10s %s\n", vt, t->def->key2_title, t->key_title);
	else
		fprintf(f, "%-18s %s\n", vt, t->key_title);
	fprintf(f, "------------------------------------------------------------\n");
	for (size_t i = 0; i < cnt && (!t->limit || i < t->limit); i++) {
		char d[24];
		const char *val = t->def->value == TOP_BYTES ? agg__bytes(v[i]->v[0], buf, sizeof(buf))
				: t->def->value == TOP_TIME ? agg__duration(v[i]->v[0], buf, sizeof(buf))
				: t->def->value == TOP_CPU
				? (snprintf(buf, sizeof(buf), "%5.1f (%s)",
					    span ? 100.0 * (double)v[i]->v[0] / (double)span : 0.0,
					    agg__duration(v[i]->v[0], d, sizeof(d))), buf)
				: (snprintf(buf, sizeof(buf), "%" PRIu64, v[i]->v[0]), buf);
		char *sep = strchr(v[i]->key, '\x1f');

		if (sep)
			fprintf(f, "%-18s %-10s %.*s\n", val, sep + 1, (int)(sep - v[i]->key),
				v[i]->key);
		else
			fprintf(f, "%-18s %s\n", val, v[i]->key);
	}
	free(v);
}

static void _fini(void *state)
{
	struct top *t = state;

	if (!t)
		return;
	agg__release(&t->agg);
	free(t);
}

static const char *_error(void *state)
{
	struct top *t = state;

	return t && t->err[0] ? t->err : NULL;
}

#define TOP_CHISEL(id, desc, ...)                                                             \
	static const struct top_def id##_def = { __VA_ARGS__ };                               \
	static int id##_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,   \
			     char **argv, void **state)                                       \
	{                                                                                     \
		return _init(&id##_def, id##_def.key, ctx, h, argc, argv, state);             \
	}                                                                                     \
	const struct sysrec_chisel chisel_##id = {                                            \
		.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION, \
		.name = #id, .description = desc, .args = "[TOP_N]", .init = id##_init,       \
		.on_event = _event, .on_end = _end, .fini = _fini, .last_error = _error,      \
	};

#define FILE_IO "evt.is_io and fd.type in (file, directory)"
#define NET_IO "evt.is_io and fd.type in (ipv4, ipv6)"

TOP_CHISEL(topprocs_file, "processes by bytes read and written to files",
	   .key = "proc.name", .key2 = "proc.pid", .key_title = "Process", .key2_title = "PID",
	   .value = TOP_BYTES, .filter = FILE_IO)
TOP_CHISEL(topprocs_cpu, "processes by CPU time (CPU% of one CPU over the trace)",
	   .key = "proc.name", .key2 = "proc.pid", .key_title = "Process", .key2_title = "PID",
	   .value = TOP_CPU, .filter = "evt.type=cpu")
TOP_CHISEL(topcontainers_cpu, "containers by CPU time (CPU% of one CPU over the trace)",
	   .key = "container.name", .key_title = "Container", .value = TOP_CPU,
	   .filter = "evt.type=cpu")
TOP_CHISEL(topprocs_net, "processes by bytes sent and received on IPv4/IPv6 sockets",
	   .key = "proc.name", .key2 = "proc.pid", .key_title = "Process", .key2_title = "PID",
	   .value = TOP_BYTES, .filter = NET_IO)
TOP_CHISEL(topfiles_bytes, "files by bytes read and written", .key = "fd.name",
	   .key_title = "Filename", .value = TOP_BYTES, .filter = FILE_IO)
TOP_CHISEL(topfiles_time, "files by time spent in syscalls on them", .key = "fd.name",
	   .key_title = "Filename", .value = TOP_TIME,
	   .filter = "fd.type in (file, directory) and evt.latency exists")
TOP_CHISEL(topconns, "connections by bytes sent and received", .key = "fd.name",
	   .key_title = "Connection (client->server)", .value = TOP_BYTES, .filter = NET_IO)
TOP_CHISEL(topcontainers_file, "containers by bytes read and written to files",
	   .key = "container.name", .key_title = "Container", .value = TOP_BYTES,
	   .filter = FILE_IO)
TOP_CHISEL(topcontainers_net, "containers by bytes sent and received on sockets",
	   .key = "container.name", .key_title = "Container", .value = TOP_BYTES,
	   .filter = NET_IO)

/* fdbytes_by FIELD: bytes of I/O on any fd, per value of FIELD. */
static const struct top_def fdbytes_def = {
	.key_title = "", .value = TOP_BYTES, .filter = "evt.is_io and fd.num exists",
};

static int _fdbytes_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
			 char **argv, void **state)
{
	struct top *t;
	int ret;

	if (argc < 1) {
		t = calloc(1, sizeof(*t));
		*state = t;
		if (t)
			snprintf(t->err, sizeof(t->err), "needs a field to group by, e.g. fd.name");
		return -EINVAL;
	}
	ret = _init(&fdbytes_def, argv[0], ctx, h, argc - 1, argv + 1, state);
	if (*state)
		((struct top *)*state)->key_title = argv[0];
	return ret;
}

const struct sysrec_chisel chisel_fdbytes_by = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "fdbytes_by", .description = "bytes of I/O on any fd, grouped by a field",
	.args = "FIELD [TOP_N]", .init = _fdbytes_init, .on_event = _event, .on_end = _end,
	.fini = _fini, .last_error = _error,
};
