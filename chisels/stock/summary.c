// SPDX-License-Identifier: Apache-2.0
/*
 * Summary chisels:
 *   errors   failed syscalls, counted by errno, syscall and process
 *   iobytes  bytes read and written on files and on network sockets, in total, and per
 *            interval of trace time when one is given
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "stock.h"

/* ---- errors ---- */

struct errs {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *res, *type, *name, *pid;
	struct agg agg;
	size_t limit;
	char err[128];
};

static int _errors_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
			char **argv, void **state)
{
	struct errs *e = calloc(1, sizeof(*e));
	char *end;

	*state = e;
	if (!e)
		return -ENOMEM;
	e->h = h;
	e->ctx = ctx;
	e->limit = 20;
	if (argc > 1 || (argc == 1 && ((e->limit = strtoul(argv[0], &end, 10)), *end))) {
		snprintf(e->err, sizeof(e->err), "expected an optional count of rows (0: all)");
		return -EINVAL;
	}
	e->res = h->field(ctx, "evt.res");
	e->type = h->field(ctx, "evt.type");
	e->name = h->field(ctx, "proc.name");
	e->pid = h->field(ctx, "proc.pid");
	if (!e->res || !e->type || !e->name || !e->pid)
		return -EINVAL;
	return h->set_filter(ctx, "evt.failed");
}

static int _errors_event(void *state, const struct sysrec_event *ev)
{
	struct errs *e = state;
	const char *res, *type, *name, *pid;
	char key[256];
	struct agg_ent *a;
	int n;

	if (!e->h->get_text(ev, e->res, &res) || !e->h->get_text(ev, e->type, &type))
		return 0;
	if (!e->h->get_text(ev, e->name, &name))
		name = "<NA>";
	if (!e->h->get_text(ev, e->pid, &pid))
		pid = "?";
	n = snprintf(key, sizeof(key), "%s\x1f%s\x1f%s\x1f%s", res, type, name, pid);
	a = agg__get(&e->agg, key, agg__key_len(key, sizeof(key), n));
	if (!a) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -ENOMEM;
	}
	a->v[0]++;
	return 0;
}

static void _errors_end(void *state)
{
	struct errs *e = state;
	FILE *f = e->h->out(e->ctx);
	struct agg_ent **v;
	size_t cnt;

	v = agg__sorted(&e->agg, 0, &cnt);
	if (!v)
		return;
	fprintf(f, "%8s  %-14s %-18s %-16s %s\n", "Count", "Error", "Syscall", "Process", "PID");
	fprintf(f, "--------  -------------- ------------------ ---------------- --------\n");
	for (size_t i = 0; i < cnt && (!e->limit || i < e->limit); i++) {
		char *parts[4] = { v[i]->key };

		for (int k = 1; k < 4; k++) {
			parts[k] = strchr(parts[k - 1], '\x1f');
			if (!parts[k])
				break;
			*parts[k]++ = '\0';
		}
		fprintf(f, "%8" PRIu64 "  %-14s %-18s %-16s %s\n", v[i]->v[0], parts[0],
			parts[1] ? parts[1] : "", parts[2] ? parts[2] : "", parts[3] ? parts[3] : "");
	}
	free(v);
}

static void _errors_fini(void *state)
{
	struct errs *e = state;

	if (e)
		agg__release(&e->agg);
	free(e);
}

static const char *_errors_error(void *state)
{
	struct errs *e = state;

	return e && e->err[0] ? e->err : NULL;
}

const struct sysrec_chisel chisel_errors = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "errors", .description = "failed syscalls by errno, syscall and process",
	.args = "[TOP_N]", .init = _errors_init, .on_event = _errors_event, .on_end = _errors_end,
	.fini = _errors_fini, .last_error = _errors_error,
};

/* ---- iobytes ---- */

enum { IO_FILE_R, IO_FILE_W, IO_NET_R, IO_NET_W, IO_CNT };

struct iob {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *len, *rd, *type;
	uint64_t total[IO_CNT], cur[IO_CNT];
	bool header;
	char err[128];
};

static int _iob_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
		     char **argv, void **state)
{
	struct iob *b = calloc(1, sizeof(*b));
	double secs = 0;
	char *end;

	*state = b;
	if (!b)
		return -ENOMEM;
	b->h = h;
	b->ctx = ctx;
	if (argc > 1 || (argc == 1 && ((secs = strtod(argv[0], &end)), *end || secs <= 0))) {
		snprintf(b->err, sizeof(b->err), "expected an optional interval in seconds, e.g. 1");
		return -EINVAL;
	}
	if (secs > 0)
		h->set_interval(ctx, (uint64_t)(secs * 1e9));
	b->len = h->field(ctx, "evt.buflen");
	b->rd = h->field(ctx, "evt.is_io_read");
	b->type = h->field(ctx, "fd.type");
	if (!b->len || !b->rd || !b->type)
		return -EINVAL;
	return h->set_filter(ctx, "evt.is_io and fd.type in (file, ipv4, ipv6, unix)");
}

static int _iob_event(void *state, const struct sysrec_event *ev)
{
	struct iob *b = state;
	uint64_t len, rd = 0;
	const char *type;
	int k;

	if (!b->h->get_u64(ev, b->len, &len) || !b->h->get_text(ev, b->type, &type))
		return 0;
	b->h->get_u64(ev, b->rd, &rd);
	k = (!strcmp(type, "file") ? IO_FILE_R : IO_NET_R) + (rd ? 0 : 1);
	b->cur[k] += len;
	b->total[k] += len;
	return 0;
}

static void _iob_line(FILE *f, const char *label, const uint64_t *v)
{
	char a[24], c[24], d[24], e[24];

	fprintf(f, "%-20s %12s %12s %12s %12s\n", label, agg__bytes(v[IO_FILE_R], a, sizeof(a)),
		agg__bytes(v[IO_FILE_W], c, sizeof(c)), agg__bytes(v[IO_NET_R], d, sizeof(d)),
		agg__bytes(v[IO_NET_W], e, sizeof(e)));
}

static void _iob_header(FILE *f)
{
	fprintf(f, "%-20s %12s %12s %12s %12s\n", "", "file read", "file write", "net read",
		"net write");
}

static void _iob_interval(void *state, uint64_t start_ns, uint64_t end_ns)
{
	struct iob *b = state;
	FILE *f = b->h->out(b->ctx);
	time_t t = (time_t)(start_ns / 1000000000);
	char label[32];
	struct tm tm;

	(void)end_ns;
	if (!b->header) {
		_iob_header(f);
		b->header = true;
	}
	localtime_r(&t, &tm);
	strftime(label, sizeof(label), "%H:%M:%S", &tm);
	_iob_line(f, label, b->cur);
	memset(b->cur, 0, sizeof(b->cur));
}

static void _iob_end(void *state)
{
	struct iob *b = state;
	FILE *f = b->h->out(b->ctx);

	if (!b->header)
		_iob_header(f);
	_iob_line(f, "total", b->total);
}

static void _iob_fini(void *state)
{
	free(state);
}

static const char *_iob_error(void *state)
{
	struct iob *b = state;

	return b && b->err[0] ? b->err : NULL;
}

const struct sysrec_chisel chisel_iobytes = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "iobytes",
	.description = "bytes read and written on files and sockets, in total (and per interval)",
	.args = "[INTERVAL_SECS]", .init = _iob_init, .on_event = _iob_event,
	.on_interval = _iob_interval, .on_end = _iob_end, .fini = _iob_fini,
	.last_error = _iob_error,
};
