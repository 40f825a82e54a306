// SPDX-License-Identifier: Apache-2.0
/* Text and JSON output of events; see output.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "json_out.h"
#include "output.h"

#define LINE_SZ (256u << 10)

struct fmt_part {
	char *lit; /* text before the field */
	size_t lit_len;
	struct sr_field_ref ref;
	bool has_ref;
	bool args;  /* evt.args: built here, with the output's buffer format */
	char *name; /* the field as written, for JSON keys */
};

struct sr_output {
	FILE *f;
	bool json;
	enum sr_buf_fmt bf;
	struct fmt_part *parts;
	size_t part_cnt;
	char *line;
	char *tmp; /* escaping for JSON */
	/* fields of the default line and object */
	struct sr_field_ref time, container;
	struct sr_field_ref defaults[16]; /* of the default JSON object */
	size_t default_cnt;
};

static bool _field_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

static int _parse_format(struct sr_output *o, const char *fmt, char *err, size_t err_sz)
{
	const char *p = fmt;
	size_t cap = 0;
	struct fmt_part *part;

	for (;;) {
		const char *lit = p, *name;
		size_t len;

		/* literal text up to an unescaped % */
		char *buf = malloc(strlen(p) + 1);
		size_t n = 0;

		if (!buf)
			return -ENOMEM;
		while (*p && !(p[0] == '%' && p[1] != '%')) {
			if (p[0] == '%')
				p++;
			buf[n++] = *p++;
		}
		(void)lit;
		if (o->part_cnt == cap) {
			cap = cap ? cap * 2 : 8;
			part = realloc(o->parts, cap * sizeof(*part));
			if (!part) {
				free(buf);
				return -ENOMEM;
			}
			o->parts = part;
		}
		part = &o->parts[o->part_cnt++];
		memset(part, 0, sizeof(*part));
		part->lit = buf;
		part->lit_len = n;
		if (!*p)
			return 0;
		name = ++p; /* past the % */
		while (_field_char(*p))
			p++;
		if (*p == '[') {
			const char *close = strchr(p, ']');

			if (close)
				p = close + 1;
		}
		while (p > name && p[-1] == '.') /* "%fd.name." ends a sentence */
			p--;
		len = (size_t)(p - name);
		if (sr_field__parse(name, len, &part->ref, err, err_sz))
			return -EINVAL;
		part->has_ref = true;
		part->args = !strcmp(part->ref.def->name, "evt.args");
		part->name = strndup(name, len);
		if (!part->name)
			return -ENOMEM;
	}
}

/* The named fields of the event, as the default object shows them. */
static const char *const default_fields[] = {
	"evt.num", "evt.datetime", "evt.rawtime", "evt.cpu", "evt.type", "evt.arch", "proc.name",
	"proc.pid", "thread.tid", "container.id", "container.name", "evt.rawres", "evt.res",
	"evt.latency", "fd.num", "fd.name", NULL,
};

int sr_output__new(FILE *f, bool json, const char *format, enum sr_buf_fmt bf,
		   struct sr_output **out, char *err, size_t err_sz)
{
	struct sr_output *o = calloc(1, sizeof(*o));
	int ret;

	if (!o)
		return -ENOMEM;
	o->f = f;
	o->json = json;
	o->bf = bf;
	o->line = malloc(LINE_SZ);
	o->tmp = malloc(LINE_SZ);
	if (!o->line || !o->tmp) {
		sr_output__free(o);
		return -ENOMEM;
	}
	if (format) {
		ret = _parse_format(o, format, err, err_sz);
		if (ret) {
			sr_output__free(o);
			return ret;
		}
	}
	ret = sr_field__parse("evt.time", 8, &o->time, err, err_sz);
	ret = ret ?: sr_field__parse("container.name", 14, &o->container, err, err_sz);
	for (; !ret && default_fields[o->default_cnt]; o->default_cnt++)
		ret = sr_field__parse(default_fields[o->default_cnt],
				      strlen(default_fields[o->default_cnt]),
				      &o->defaults[o->default_cnt], err, err_sz);
	if (ret) {
		sr_output__free(o);
		return ret;
	}
	*out = o;
	return 0;
}

void sr_output__free(struct sr_output *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->part_cnt; i++) {
		free(o->parts[i].lit);
		free(o->parts[i].name);
	}
	free(o->parts);
	free(o->line);
	free(o->tmp);
	free(o);
}

/* A field's value as text, escaped (text_escape.h); "<NA>" when the event does not have it. */
static void _value_text(struct sr_output *o, struct sr_evt *ev, const struct sr_field_ref *ref,
			struct sr_str *s)
{
	struct sr_value v;
	char buf[64];
	size_t len;
	const char *t;

	if (!sr_field__get(ev, ref, &v)) {
		sr_str__puts(s, "<NA>");
		return;
	}
	if (v.type == SR_FT_BYTES) {
		sr_str__buf(s, v.s.p, v.s.len, o->bf);
		return;
	}
	t = sr_value__str(&v, buf, sizeof(buf), &len);
	sr_str__text(s, t, len);
}

/* A part of -p: evt.args is already display text (escaped), so it is built here rather than
 * escaped twice, and with the buffer format of -A/-X. */
static void _part_text(struct sr_output *o, struct sr_evt *ev, const struct fmt_part *part,
		       struct sr_str *s)
{
	if (part->args)
		sr_evt__args_text(ev, o->bf, s);
	else
		_value_text(o, ev, &part->ref, s);
}

static void _duration(struct sr_str *s, uint64_t ns)
{
	if (ns < 10000) {
		sr_str__u64(s, ns);
		sr_str__putn(s, "ns", 2);
	}
	else if (ns < 10000000) { /* 12.3us, without floating-point printf */
		sr_str__u64(s, ns / 1000);
		sr_str__putn(s, ".", 1);
		sr_str__u64(s, ns / 100 % 10);
		sr_str__putn(s, "us", 2);
	}
	else if (ns < 10000000000ull)
		sr_str__printf(s, "%.1fms", (double)ns / 1e6);
	else
		sr_str__printf(s, "%.2fs", (double)ns / 1e9);
}

/* NUM TIME CPU PROC (TID) [CONTAINER] TYPE ARGS = RESULT LATENCY */
static void _default_line(struct sr_output *o, struct sr_evt *ev, struct sr_str *s)
{
	const struct trace_rec *rec = ev->rec;
	struct sr_value v;

	sr_str__u64(s, ev->num);
	sr_str__putn(s, " ", 1);
	_value_text(o, ev, &o->time, s);
	sr_str__putn(s, " ", 1);
	sr_str__u64(s, rec->cpu);
	sr_str__putn(s, " ", 1);
	if (ev->thr && ev->thr->comm[0])
		sr_str__texts(s, ev->thr->comm);
	else
		sr_str__puts(s, "<NA>");
	sr_str__putn(s, " (", 2);
	sr_str__u64(s, rec->tid);
	sr_str__putn(s, ") ", 2);
	if (((ev->thr && ev->thr->ctr) || ev->pkt_ctr) && sr_field__get(ev, &o->container, &v)) {
		sr_str__putn(s, "[", 1);
		sr_str__text(s, v.s.p, v.s.len);
		sr_str__putn(s, "] ", 2);
	}
	sr_str__puts(s, sr_evt__type_name(ev));
	if (rec->type == TR_SYSCALL && ev->sc && ev->sc->abi != SR_ABI_X86_64) {
		sr_str__putn(s, "[", 1); /* an ia32 call: its own table, not x86_64's */
		sr_str__puts(s, sr_abi__name(ev->sc->abi));
		sr_str__putn(s, "]", 1);
	}
	if (sr_evt__arg_cnt(ev)) {
		sr_str__putn(s, " ", 1);
		sr_evt__args_text(ev, o->bf, s);
	}
	if (rec->type == TR_SYSCALL) {
		sr_str__puts(s, " = ");
		sr_evt__res_text(ev, s);
		if (rec->int_cnt > 3 && !(rec->ints[3] & TR_SC_F_NO_LATENCY)) {
			sr_str__putn(s, " ", 1);
			_duration(s, rec->ints[2]);
		}
	}
}

static int _write_line(struct sr_output *o, struct sr_str *s)
{
	if (s->full && s->len > 4) { /* show that it was cut, between two UTF-8 characters */
		size_t cut = s->len - 3;

		while (cut > 0 && ((unsigned char)s->p[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(s->p + cut, "...", 3);
		s->len = cut + 3;
	}
	s->p[s->len < LINE_SZ - 1 ? s->len : LINE_SZ - 2] = '\n';
	if (fwrite(s->p, 1, s->len + 1, o->f) != s->len + 1)
		return -errno;
	return 0;
}

/* Text as a JSON string, escaped as the text output shows it (\n, \x00; valid UTF-8 kept). */
static void _json_text(struct sr_output *o, struct json_out *j, const char *p, size_t len)
{
	struct sr_str tmp = { .p = o->tmp, .cap = LINE_SZ };

	if (sr_text_is_plain(p, len)) { /* the common case */
		json_out__string(j, p, len);
		return;
	}
	sr_str__text(&tmp, p, len);
	json_out__string(j, tmp.p, tmp.len);
}

/* A typed value: 64-bit integers exactly, strings and buffers escaped. */
static void _json_value(struct sr_output *o, struct json_out *j, const struct sr_value *v)
{
	char buf[64];
	size_t len;
	const char *t;

	switch (v->type) {
	case SR_FT_UINT:
	case SR_FT_DURATION:
	case SR_FT_ABSTIME:
		json_out__u64(j, v->u);
		return;
	case SR_FT_INT:
		json_out__i64(j, v->i);
		return;
	case SR_FT_BOOL:
		json_out__bool(j, v->u != 0);
		return;
	case SR_FT_STR:
	case SR_FT_BYTES:
		_json_text(o, j, v->s.p, v->s.len);
		return;
	default:
		t = sr_value__str(v, buf, sizeof(buf), &len);
		json_out__string(j, t, len);
	}
}

static void _json_event(struct sr_output *o, struct sr_evt *ev, struct sr_str *s)
{
	struct json_out j;
	struct sr_value v;
	int n;

	json_out__begin(&j, s);
	if (o->part_cnt) { /* -j -p: the named fields, null when absent */
		for (size_t i = 0; i < o->part_cnt; i++) {
			if (!o->parts[i].has_ref)
				continue;
			json_out__key(&j, o->parts[i].name);
			if (o->parts[i].args) {
				struct sr_str tmp = { .p = o->tmp, .cap = LINE_SZ };

				sr_evt__args_text(ev, o->bf, &tmp);
				json_out__string(&j, tmp.p, tmp.len);
			} else if (sr_field__get(ev, &o->parts[i].ref, &v))
				_json_value(o, &j, &v);
			else
				json_out__null(&j);
		}
		json_out__end(&j);
		return;
	}
	for (size_t i = 0; i < o->default_cnt; i++) {
		if (!sr_field__get(ev, &o->defaults[i], &v))
			continue; /* absent fields are left out of the default object */
		json_out__key(&j, default_fields[i]);
		_json_value(o, &j, &v);
	}
	json_out__key(&j, "evt.args");
	json_out__object_begin(&j);
	n = sr_evt__arg_cnt(ev);
	for (int i = 0; i < n; i++) {
		json_out__key(&j, sr_evt__arg_name(ev, i));
		if (sr_evt__arg_value(ev, i, &v))
			_json_value(o, &j, &v);
		else
			json_out__null(&j);
	}
	json_out__object_end(&j);
	json_out__end(&j);
}

int sr_output__event(struct sr_output *o, struct sr_evt *ev)
{
	struct sr_str s = { .p = o->line, .cap = LINE_SZ - 1 };

	s.p[0] = '\0';
	if (o->json) {
		_json_event(o, ev, &s);
		if (s.full) { /* a cut object is not JSON: say so instead */
			s.len = 0;
			s.full = false;
			sr_str__printf(&s, "{\"evt.num\":%" PRIu64 ",\"error\":\"event too large to print\"}",
				       ev->num);
		}
		return _write_line(o, &s);
	}
	if (!o->part_cnt) {
		_default_line(o, ev, &s);
	} else {
		for (size_t i = 0; i < o->part_cnt; i++) {
			sr_str__putn(&s, o->parts[i].lit, o->parts[i].lit_len);
			if (o->parts[i].has_ref)
				_part_text(o, ev, &o->parts[i], &s);
		}
	}
	return _write_line(o, &s);
}
