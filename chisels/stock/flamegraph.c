// SPDX-License-Identifier: Apache-2.0
/*
 * Chisels over samples:
 *   flamegraph  folded stacks ("proc;main;work;hot 42"), the format FlameGraph's
 *               flamegraph.pl and speedscope read; with svg=FILE also a self-contained SVG
 *   profile     the functions samples were in: self (the innermost frame) and total (anywhere
 *               on the stack), as perf report --children shows them
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agg.h"
#include "stock.h"
#include "sr_log.h"
#include "trace_writer.h"

struct flame {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *stack, *comm, *func;
	struct agg agg;      /* folded stack -> samples */
	struct agg self;     /* profile: function -> samples as the innermost frame */
	struct agg total;    /* profile: function -> samples with it on the stack */
	uint64_t samples;
	char *svg;           /* flamegraph svg=FILE */
	size_t limit;
	bool profile;
	char err[160];
};

static int _common(struct flame *f, struct sysrec_ctx *ctx, const struct sysrec_host *h)
{
	f->h = h;
	f->ctx = ctx;
	f->stack = h->field(ctx, "sample.stack");
	f->comm = h->field(ctx, "proc.name");
	f->func = h->field(ctx, "sample.func");
	if (!f->stack || !f->comm || !f->func)
		return -EINVAL;
	return h->set_filter(ctx, "evt.type=sample");
}

static int _flame_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
		       char **argv, void **state)
{
	struct flame *f = calloc(1, sizeof(*f));

	*state = f;
	if (!f)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "svg=", 4) || !argv[i][4]) {
			snprintf(f->err, sizeof(f->err), "unknown argument '%s' (expected svg=FILE)",
				 argv[i]);
			return -EINVAL;
		}
		f->svg = strdup(argv[i] + 4);
		if (!f->svg)
			return -ENOMEM;
	}
	return _common(f, ctx, h);
}

static int _profile_init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc,
			 char **argv, void **state)
{
	struct flame *f = calloc(1, sizeof(*f));
	char *end;

	*state = f;
	if (!f)
		return -ENOMEM;
	f->profile = true;
	f->limit = 20;
	if (argc > 1 || (argc == 1 && ((f->limit = strtoul(argv[0], &end, 10)), *end))) {
		snprintf(f->err, sizeof(f->err), "expected an optional count of rows (0: all)");
		return -EINVAL;
	}
	return _common(f, ctx, h);
}

static int _count(struct flame *f, struct agg *a, const char *key, size_t len)
{
	struct agg_ent *e = agg__get(a, key, len);

	if (!e) {
		snprintf(f->err, sizeof(f->err), "out of memory");
		return -ENOMEM;
	}
	e->v[0]++;
	return 0;
}

/* Each function once per sample, however deep the recursion. */
static int _totals(struct flame *f, const char *stack)
{
	const char *seen[256];
	size_t seen_len[256], n = 0;

	for (const char *p = stack; *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool dup = false;

		for (size_t i = 0; i < n && !dup; i++)
			dup = seen_len[i] == len && !memcmp(seen[i], p, len);
		if (!dup) {
			if (n < 256) {
				seen[n] = p;
				seen_len[n++] = len;
			}
			if (_count(f, &f->total, p, len))
				return -ENOMEM;
		}
		p += len + (end != NULL);
	}
	return 0;
}

static int _event(void *state, const struct sysrec_event *ev)
{
	struct flame *f = state;
	const char *stack, *comm, *func;
	char key[16384];
	int n;

	if (!f->h->get_text(ev, f->stack, &stack))
		stack = "[no stack]";
	f->samples++;
	if (f->profile) {
		if (!f->h->get_text(ev, f->func, &func))
			func = "[unknown]";
		return _count(f, &f->self, func, strlen(func)) ?: _totals(f, stack);
	}
	if (!f->h->get_text(ev, f->comm, &comm))
		comm = "?";
	n = snprintf(key, sizeof(key), "%s;%s", comm, stack);
	return _count(f, &f->agg, key, agg__key_len(key, sizeof(key), n));
}

/* ---- SVG ---- */

struct node {
	char *name;
	uint64_t value;
	struct node *child, *next;
};

static struct node *_child(struct node *parent, const char *name, size_t len)
{
	struct node *c;

	for (c = parent->child; c; c = c->next)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strndup(name, len))) {
		free(c);
		return NULL;
	}
	c->next = parent->child;
	parent->child = c;
	return c;
}

static void _free_tree(struct node *n)
{
	while (n) {
		struct node *next = n->next;

		_free_tree(n->child);
		free(n->name);
		free(n);
		n = next;
	}
}

static int _depth(const struct node *n)
{
	int d = 0;

	for (const struct node *c = n->child; c; c = c->next) {
		int cd = _depth(c);

		d = cd > d ? cd : d;
	}
	return d + 1;
}

/* Names come from get_text(), escaped (no control bytes, valid UTF-8): only XML's own
 * characters are left to replace.  A control byte, which XML 1.0 forbids, would become '?'. */
static void _xml(FILE *out, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			fputc('?', out);
		else if (*s == '<')
			fputs("&lt;", out);
		else if (*s == '>')
			fputs("&gt;", out);
		else if (*s == '&')
			fputs("&amp;", out);
		else if (*s == '"')
			fputs("&quot;", out);
		else
			fputc(*s, out);
	}
}

#define SVG_W 1200.0
#define ROW_H 16
#define PAD 10

/* Frames drawn bottom-up: root at the bottom, as flamegraph.pl does. */
static void _svg_node(FILE *out, const struct node *n, double x, int depth, int height,
		      uint64_t total)
{
	double w = (SVG_W - 2 * PAD) * (double)n->value / (double)total;
	unsigned int h = 5381;
	int y = height - PAD - (depth + 1) * ROW_H;
	const struct node *c;
	double cx = x;

	if (w < 0.1)
		return;
	for (const char *p = n->name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	fprintf(out, "<g><title>");
	_xml(out, n->name);
	fprintf(out, " (%" PRIu64 " samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
		"height=\"%d\" fill=\"rgb(%u,%u,%u)\" rx=\"2\"/>", n->value,
		100.0 * (double)n->value / (double)total, x, y, w, ROW_H - 1, 200 + h % 55,
		60 + (h >> 8) % 140, 40 + (h >> 16) % 40);
	if (w > 30) {
		size_t fit = (size_t)(w / 7);

		fprintf(out, "<text x=\"%.1f\" y=\"%d\">", x + 3, y + ROW_H - 4);
		if (strlen(n->name) > fit && fit > 2) {
			size_t m = fit - 2 < 500 ? fit - 2 : 500, len;
			char cut[512];

			/* not inside a UTF-8 character: the SVG must stay valid XML */
			len = agg__key_len(cut, m + 1, snprintf(cut, m + 1, "%s", n->name));
			memcpy(cut + len, "..", 3);
			_xml(out, cut);
		} else if (strlen(n->name) <= fit) {
			_xml(out, n->name);
		}
		fprintf(out, "</text>");
	}
	fprintf(out, "</g>\n");
	for (c = n->child; c; c = c->next) {
		_svg_node(out, c, cx, depth + 1, height, total);
		cx += (SVG_W - 2 * PAD) * (double)c->value / (double)total;
	}
}

static int _write_svg(struct flame *f)
{
	struct node root = { .name = "all" };
	struct sr_diag diag = { 0 };
	int height, fd, err;
	FILE *out;

	for (size_t i = 0; i < f->agg.cap; i++) {
		const struct agg_ent *e = &f->agg.slots[i];
		struct node *n = &root;

		if (!e->key)
			continue;
		root.value += e->v[0];
		for (const char *p = e->key; *p && n;) {
			const char *end = strchr(p, ';');
			size_t len = end ? (size_t)(end - p) : strlen(p);

			n = _child(n, p, len);
			if (n)
				n->value += e->v[0];
			p += len + (end != NULL);
		}
		if (!n) {
			_free_tree(root.child);
			return -ENOMEM;
		}
	}
	/* as every output file: never through a link, never onto a FIFO or device */
	err = trace_writer__create_file(f->svg, &fd, &diag);
	out = err ? NULL : fdopen(fd, "w");
	if (!out) {
		if (!err) {
			err = -errno;
			close(fd);
		} else if (diag.err) {
			sr_err("flamegraph: %s", diag.msg);
		}
		_free_tree(root.child);
		return err;
	}
	height = _depth(&root) * ROW_H + 2 * PAD + 20;
	fprintf(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\" "
		"font-family=\"Verdana\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#f8f8f0\"/>\n"
		"<text x=\"%d\" y=\"16\" font-size=\"14\">sysrec flame graph: %" PRIu64
		" samples</text>\n", (int)SVG_W, height, PAD, root.value);
	if (root.value)
		_svg_node(out, &root, PAD, 0, height, root.value);
	fprintf(out, "</svg>\n");
	_free_tree(root.child);
	return fclose(out) ? -errno : 0;
}

static void _flame_end(void *state)
{
	struct flame *f = state;
	FILE *out = f->h->out(f->ctx);
	struct agg_ent **v;
	size_t cnt;
	int err;

	v = agg__sorted(&f->agg, 0, &cnt);
	for (size_t i = 0; v && i < cnt; i++)
		fprintf(out, "%s %" PRIu64 "\n", v[i]->key, v[i]->v[0]);
	free(v);
	if (f->svg && (err = _write_svg(f)))
		fprintf(stderr, "sysrec: flamegraph: cannot write '%s': %s\n", f->svg, strerror(-err));
}

/* Sorted by total, as perf report --children: callers show up, not only leaves. */
static void _profile_end(void *state)
{
	struct flame *f = state;
	FILE *out = f->h->out(f->ctx);
	struct agg_ent **v;
	size_t cnt;

	v = agg__sorted(&f->total, 0, &cnt);
	fprintf(out, "%-8s %-8s %s   (%" PRIu64 " samples)\n", "Total", "Self", "Function",
		f->samples);
	for (size_t i = 0; v && i < cnt && (!f->limit || i < f->limit); i++) {
		struct agg_ent *self = agg__get(&f->self, v[i]->key, v[i]->key_len);

		fprintf(out, "%6.2f%%  %6.2f%%  %s\n", 100.0 * (double)v[i]->v[0] / (double)f->samples,
			self ? 100.0 * (double)self->v[0] / (double)f->samples : 0.0, v[i]->key);
	}
	free(v);
}

static void _fini(void *state)
{
	struct flame *f = state;

	if (!f)
		return;
	agg__release(&f->agg);
	agg__release(&f->self);
	agg__release(&f->total);
	free(f->svg);
	free(f);
}

static const char *_error(void *state)
{
	struct flame *f = state;

	return f && f->err[0] ? f->err : NULL;
}

const struct sysrec_chisel chisel_flamegraph = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "flamegraph",
	.description = "folded stacks of the samples (flamegraph.pl, speedscope); svg=FILE also draws one",
	.args = "[svg=FILE]", .init = _flame_init, .on_event = _event, .on_end = _flame_end,
	.fini = _fini, .last_error = _error,
};

const struct sysrec_chisel chisel_profile = {
	.sz = sizeof(struct sysrec_chisel), .api_version = SYSREC_CHISEL_API_VERSION,
	.name = "profile",
	.description = "functions the samples were in: self and total share, like perf report",
	.args = "[TOP_N]", .init = _profile_init, .on_event = _event, .on_end = _profile_end,
	.fini = _fini, .last_error = _error,
};
