// SPDX-License-Identifier: Apache-2.0
/* A minimal external chisel: every file opened, by which process, and the count.  Build, run:
 *   cc -shared -fPIC $(pkg-config --cflags sysrec-chisel) -o opens.so opens.c
 *   sysrec replay -c ./opens.so trace.sysrec [FILTER] */
#include <stdlib.h>
#include <sysrec_chisel.h>

struct st { const struct sysrec_host *h; struct sysrec_ctx *ctx;
	    const struct sysrec_field *proc, *file; unsigned long n; };

static int init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		void **state)
{
	struct st *s = *state = calloc(1, sizeof(*s));

	if (!s || argc || !argv || !(s->proc = h->field(ctx, "proc.name")) ||
	    !(s->file = h->field(ctx, "fd.name")))
		return -1;
	s->h = h, s->ctx = ctx;
	return h->set_filter(ctx, "evt.type in (open, openat, openat2) and not evt.failed");
}

static int on_event(void *state, const struct sysrec_event *ev)
{
	struct st *s = state;
	const char *proc, *file;

	if (s->h->get_text(ev, s->proc, &proc) && s->h->get_text(ev, s->file, &file))
		fprintf(s->h->out(s->ctx), "%s opened %s\n", proc, file);
	return s->n++, 0;
}

static void on_end(void *st) { fprintf(((struct st *)st)->h->out(((struct st *)st)->ctx), "%lu opens\n", ((struct st *)st)->n); }
static void fini(void *state) { free(state); }
static const struct sysrec_chisel chisel = { .sz = sizeof(chisel), .api_version = SYSREC_CHISEL_API_VERSION, .name = "opens", .init = init, .on_event = on_event, .on_end = on_end, .fini = fini };
SYSREC_CHISEL_DEFINE(chisel)
