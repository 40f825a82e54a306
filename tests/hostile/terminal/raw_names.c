// SPDX-License-Identifier: Apache-2.0
/*
 * An external chisel that reads raw values with get() and prints them through the host's
 * escape(), as docs/chisels.md asks: each distinct fd.name of the events, escaped, then how
 * many of the raw names held a byte below 0x20 (the count is taken on the raw bytes).
 */
#include <stdlib.h>
#include <string.h>
#include <sysrec_chisel.h>

struct st {
	const struct sysrec_host *h;
	struct sysrec_ctx *ctx;
	const struct sysrec_field *name;
	unsigned long raw_ctl;
};

static int init(struct sysrec_ctx *ctx, const struct sysrec_host *h, int argc, char **argv,
		void **state)
{
	struct st *s = *state = calloc(1, sizeof(*s));

	if (!s || argc || !argv || !SYSREC_HOST_HAS(h, escape) ||
	    !(s->name = h->field(ctx, "fd.name")))
		return -1;
	s->h = h;
	s->ctx = ctx;
	return h->set_filter(ctx, "evt.type=openat and fd.name exists");
}

static int on_event(void *state, const struct sysrec_event *ev)
{
	struct st *s = state;
	struct sysrec_value v;
	char out[4096 * 4 + 1];

	if (!s->h->get(ev, s->name, &v) || v.type != SYSREC_T_STR)
		return 0;
	for (size_t i = 0; i < v.s.len; i++)
		if ((unsigned char)v.s.p[i] < 0x20) {
			s->raw_ctl++;
			break;
		}
	s->h->escape(v.s.p, v.s.len, out, sizeof(out));
	fprintf(s->h->out(s->ctx), "name %s\n", out);
	return 0;
}

static void on_end(void *state)
{
	struct st *s = state;

	fprintf(s->h->out(s->ctx), "%lu raw names with control bytes\n", s->raw_ctl);
}

static void fini(void *state)
{
	free(state);
}

static const struct sysrec_chisel chisel = {
	.sz = sizeof(chisel), .api_version = SYSREC_CHISEL_API_VERSION, .name = "raw_names",
	.init = init, .on_event = on_event, .on_end = on_end, .fini = fini,
};
SYSREC_CHISEL_DEFINE(chisel)
