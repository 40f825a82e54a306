// SPDX-License-Identifier: Apache-2.0
/* Probe definitions and tracepoint formats; see probe_defs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_defs.h"
#include "state_alloc.h"

struct sr_probe_defs {
	struct sr_probe_def **v;
	size_t cnt;
};

struct sr_probe_defs *sr_probe_defs__new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_probe_defs));
}

void sr_probe_defs__free(struct sr_probe_defs *d)
{
	for (size_t i = 0; d && i < d->cnt; i++) {
		free(d->v[i]->spec);
		free(d->v[i]);
	}
	if (d)
		free(d->v);
	free(d);
}

const struct sr_probe_def *sr_probe_defs__get(const struct sr_probe_defs *d, uint64_t id)
{
	for (size_t i = 0; i < d->cnt; i++)
		if (d->v[i]->id == id)
			return d->v[i];
	return NULL;
}

static struct sr_probe_def *_get_or_new(struct sr_probe_defs *d, uint64_t id)
{
	struct sr_probe_def *p = (struct sr_probe_def *)sr_probe_defs__get(d, id);

	if (p)
		return p;
	p = sr_xcalloc(1, sizeof(*p));
	p->id = id;
	d->v = sr_xrealloc(d->v, (d->cnt + 1) * sizeof(*d->v));
	d->v[d->cnt++] = p;
	return p;
}

/* "NAME:TYPE NAME:TYPE": the uprobe values (or the pointer fields of a tracepoint). */
static void _value_args(struct sr_probe_def *p, const char *names, size_t len)
{
	char buf[512];
	int v = 0;

	snprintf(buf, sizeof(buf), "%.*s", (int)len, names);
	for (char *w = strtok(buf, " "); w && p->arg_cnt < SR_PROBE_DEF_MAX_ARGS;
	     w = strtok(NULL, " "), v++) {
		char *type = strchr(w, ':');
		struct sr_parg *a;

		if (type)
			*type++ = '\0';
		/* a tracepoint's string field is decoded in place of its pointer */
		for (int i = 0; i < p->arg_cnt; i++)
			if (!strcmp(p->args[i].name, w)) {
				p->args[i].kind = SR_PARG_STRING;
				p->args[i].value = (int8_t)v;
				goto next;
			}
		a = &p->args[p->arg_cnt++];
		memset(a, 0, sizeof(*a));
		snprintf(a->name, sizeof(a->name), "%s", w);
		a->value = (int8_t)v;
		a->is_signed = type && type[0] == 's';
		a->kind = type && !strcmp(type, "string") ? SR_PARG_STRING :
			  type && !strcmp(type, "auto") ? SR_PARG_AUTO :
			  type && !strcmp(type, "x64") ? SR_PARG_HEX : SR_PARG_INT;
next:;
	}
}

/* tracefs format lines: "field:TYPE NAME[N];	offset:O;	size:S;	signed:G;" */
static void _format(struct sr_probe_def *p, const char *fmt, size_t len)
{
	char *text = sr_xstrndup(fmt, len), *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line && p->arg_cnt < SR_PROBE_DEF_MAX_ARGS;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f = strstr(line, "field:"), *semi, *name, *br;
		const char *o = strstr(line, "offset:"), *s = strstr(line, "size:"),
			   *g = strstr(line, "signed:");
		struct sr_parg *a;

		if (!f || !o || !s || !(semi = strchr(f, ';')))
			continue;
		*semi = '\0';
		name = strrchr(f, ' ');
		name = name ? name + 1 : f + 6;
		while (*name == '*')
			name++;
		if (!strncmp(name, "common_", 7))
			continue; /* the thread, pid and flags are the event's own fields */
		a = &p->args[p->arg_cnt++];
		memset(a, 0, sizeof(*a));
		a->value = -1;
		a->offset = (uint16_t)strtoul(o + 7, NULL, 10);
		a->size = (uint16_t)strtoul(s + 5, NULL, 10);
		a->is_signed = g && g[7] == '1';
		/* Syscall tracepoints declare every argument 8 bytes, "signed:0": the C type says
		 * better ("int dfd" is -100, not 4294967196). */
		if (!strstr(f, "unsigned") && (strstr(f, "field:int ") || strstr(f, "field:long ") ||
					       strstr(f, "field:pid_t ") || strstr(f, "field:s"))) {
			a->is_signed = true;
			if (strstr(f, "field:int ") && a->size == 8)
				a->size = 4; /* little-endian: the low half is the int */
		}
		br = strchr(name, '[');
		if (br)
			*br = '\0';
		snprintf(a->name, sizeof(a->name), "%s", name);
		if (strstr(f, "__data_loc"))
			a->kind = SR_PARG_DATA_LOC;
		else if (br && strstr(f, "char"))
			a->kind = SR_PARG_CHARS;
		else
			a->kind = SR_PARG_INT;
	}
	free(text);
}

void sr_probe_defs__record(struct sr_probe_defs *d, const struct trace_rec *rec)
{
	struct sr_probe_def *p;

	if (rec->int_cnt < 1 || rec->blob_cnt < 2)
		return;
	if (rec->type == TR_TP_FORMAT) {
		p = _get_or_new(d, rec->ints[0]);
		/* The format's fields first; the PROBE_DEF names which are strings. */
		_format(p, rec->blobs[1].data, rec->blobs[1].sz);
		return;
	}
	if (rec->type != TR_PROBE_DEF || rec->int_cnt < 2 || rec->ints[1] == TR_PROBE_SAMPLE)
		return;
	p = _get_or_new(d, rec->ints[0]);
	p->kind = (uint32_t)rec->ints[1];
	free(p->spec);
	p->spec = sr_xstrndup(rec->blobs[0].data, rec->blobs[0].sz);
	_value_args(p, rec->blobs[1].data, rec->blobs[1].sz);
}
