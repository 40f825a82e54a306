// SPDX-License-Identifier: Apache-2.0
/* Running one chisel: loading, ABI checks, the host functions, events; see chisel_run.h. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "chisel_run.h"
#include "event_fmt.h"
#include "fields.h"
#include "filter.h"

#define MAX_WORDS 64

_Static_assert(sizeof(struct sysrec_value) == sizeof(struct sr_value) &&
		       offsetof(struct sysrec_value, s) == offsetof(struct sr_value, s) &&
		       offsetof(struct sysrec_value, ip) == offsetof(struct sr_value, ip),
	       "struct sysrec_value is struct sr_value");
_Static_assert((int)SYSREC_T_ABSTIME == (int)SR_FT_ABSTIME &&
		       (int)SYSREC_T_IPADDR == (int)SR_FT_IPADDR,
	       "enum sysrec_type is enum sr_ftype");

struct chisel_run {
	struct sysrec_chisel c; /* the chisel's struct, zero-extended to ours */
	void *dl;               /* dlopen handle of a .so chisel */
	void *state;
	bool inited;
	FILE *out;
	char *words;            /* the split spec, NUL-separated */
	char *argv[MAX_WORDS + 1];
	int argc;
	struct sr_field_ref **fields;
	size_t field_cnt;
	struct sr_filter *filter;
	uint64_t interval_ns, interval_start;
	bool reported; /* a host function already printed why init() fails */
	uint64_t span_start, span_end;
};

/* ---- host functions ---- */

static struct chisel_run *_run(struct sysrec_ctx *ctx)
{
	return (struct chisel_run *)ctx;
}

static const struct sysrec_field *_field(struct sysrec_ctx *ctx, const char *name)
{
	struct chisel_run *r = _run(ctx);
	struct sr_field_ref *ref, **v;
	char err[256];

	if (!name)
		return NULL;
	ref = calloc(1, sizeof(*ref));
	if (!ref)
		return NULL;
	if (sr_field__parse(name, strlen(name), ref, err, sizeof(err))) {
		fprintf(stderr, "sysrec: chisel %s: %s\n", r->c.name, err);
		r->reported = true;
		free(ref);
		return NULL;
	}
	v = realloc(r->fields, (r->field_cnt + 1) * sizeof(*v));
	if (!v) {
		free(ref);
		return NULL;
	}
	r->fields = v;
	r->fields[r->field_cnt++] = ref;
	return (const struct sysrec_field *)ref;
}

static bool _get(const struct sysrec_event *ev, const struct sysrec_field *f,
		 struct sysrec_value *out)
{
	return sr_field__get((struct sr_evt *)ev, (const struct sr_field_ref *)f,
			     (struct sr_value *)out);
}

static bool _get_u64(const struct sysrec_event *ev, const struct sysrec_field *f, uint64_t *out)
{
	struct sr_value v;

	if (!sr_field__get((struct sr_evt *)ev, (const struct sr_field_ref *)f, &v))
		return false;
	switch (v.type) {
	case SR_FT_INT:
		if (v.i < 0)
			return false;
		*out = (uint64_t)v.i;
		return true;
	case SR_FT_UINT:
	case SR_FT_BOOL:
	case SR_FT_DURATION:
	case SR_FT_ABSTIME:
		*out = v.u;
		return true;
	default:
		return false;
	}
}

/* Text goes to the event's scratch space: valid for the rest of the callback. */
static bool _get_text(const struct sysrec_event *cev, const struct sysrec_field *f,
		      const char **out)
{
	struct sr_evt *ev = (struct sr_evt *)cev;
	struct sr_value v;
	struct sr_str s;
	char buf[64];
	const char *t;
	size_t len, cap;

	if (!sr_field__get(ev, (const struct sr_field_ref *)f, &v))
		return false;
	cap = v.type == SR_FT_STR || v.type == SR_FT_BYTES ? v.s.len * SR_ESC_RATIO + 1
							   : sizeof(buf);
	s = (struct sr_str){ .p = sr_evt__scratch(ev, cap), .cap = cap };
	if (!s.p)
		return false;
	if (v.type == SR_FT_STR || v.type == SR_FT_BYTES) {
		sr_str__text(&s, v.s.p, v.s.len);
	} else {
		t = sr_value__str(&v, buf, sizeof(buf), &len);
		sr_str__putn(&s, t, len);
	}
	s.p[s.len] = '\0';
	*out = s.p;
	return true;
}

static size_t _escape(const char *p, size_t len, char *dst, size_t dst_sz)
{
	return sr_text_escape(dst, dst_sz, p, len);
}

static int _set_filter(struct sysrec_ctx *ctx, const char *text)
{
	struct chisel_run *r = _run(ctx);
	struct sr_filter_err ferr = {};
	int ret;

	if (r->inited || !text)
		return -EINVAL;
	sr_filter__free(r->filter);
	r->filter = NULL;
	ret = sr_filter__compile(text, &r->filter, &ferr);
	if (ret == -EINVAL) {
		fprintf(stderr, "sysrec: chisel %s: filter: %s at column %zu of '%s'\n", r->c.name,
			ferr.msg, ferr.column, text);
		r->reported = true;
	}
	return ret;
}

static void _set_interval(struct sysrec_ctx *ctx, uint64_t ns)
{
	if (!_run(ctx)->inited)
		_run(ctx)->interval_ns = ns;
}

static FILE *_out(struct sysrec_ctx *ctx)
{
	return _run(ctx)->out;
}

static void _span(struct sysrec_ctx *ctx, uint64_t *start_ns, uint64_t *end_ns)
{
	*start_ns = _run(ctx)->span_start;
	*end_ns = _run(ctx)->span_end;
}

static const struct sysrec_host host = {
	.sz = sizeof(struct sysrec_host),
	.api_version = SYSREC_CHISEL_API_VERSION,
	.field = _field,
	.get = _get,
	.get_u64 = _get_u64,
	.get_text = _get_text,
	.set_filter = _set_filter,
	.set_interval = _set_interval,
	.out = _out,
	.span = _span,
	.escape = _escape,
};

/* ---- loading ---- */

/* Split @spec into words as a shell would (blanks separate; '...' and "..." quote). */
static int _split(struct chisel_run *r, const char *spec)
{
	char *w = r->words = calloc(1, strlen(spec) + 1);
	const char *p = spec;

	if (!w)
		return -ENOMEM;
	while (*p) {
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (r->argc == MAX_WORDS)
			return -E2BIG;
		r->argv[r->argc++] = w;
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (!quote && (*p == '\'' || *p == '"'))
				quote = *p;
			else if (quote && *p == quote)
				quote = 0;
			else
				*w++ = *p;
		}
		if (quote)
			return -EINVAL;
		*w++ = '\0';
	}
	return r->argc ? 0 : -EINVAL;
}

static int _from_so(struct chisel_run *r, const char *path, const struct sysrec_chisel **out,
		    char *err, size_t err_sz)
{
	sysrec_chisel_entry_fn entry;

	r->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!r->dl) {
		snprintf(err, err_sz, "cannot load chisel '%s': %s", path, dlerror());
		return -EINVAL;
	}
	*(void **)&entry = dlsym(r->dl, SYSREC_CHISEL_ENTRY);
	if (!entry) {
		snprintf(err, err_sz, "'%s' is not a sysrec chisel: it has no %s()", path,
			 SYSREC_CHISEL_ENTRY);
		return -EINVAL;
	}
	*out = entry();
	if (!*out) {
		snprintf(err, err_sz, "'%s': %s() returned NULL", path, SYSREC_CHISEL_ENTRY);
		return -EINVAL;
	}
	return 0;
}

/* Accept an older (smaller) struct, or a newer one whose unknown tail is zero. */
static int _check_abi(struct chisel_run *r, const struct sysrec_chisel *c, const char *what,
		      char *err, size_t err_sz)
{
	size_t min = offsetof(struct sysrec_chisel, on_event) + sizeof(c->on_event);

	if (c->sz < min || c->api_version != SYSREC_CHISEL_API_VERSION) {
		snprintf(err, err_sz, "chisel '%s' was built for another sysrec chisel ABI (version "
			 "%u, struct size %zu; this sysrec has version %u, size %zu)", what,
			 c->api_version, c->sz, SYSREC_CHISEL_API_VERSION, sizeof(*c));
		return -EINVAL;
	}
	for (size_t i = sizeof(*c); i < c->sz; i++)
		if (((const uint8_t *)c)[i]) {
			snprintf(err, err_sz, "chisel '%s' needs a newer sysrec (it uses callbacks "
				 "this version does not know)", what);
			return -EINVAL;
		}
	memcpy(&r->c, c, c->sz < sizeof(*c) ? c->sz : sizeof(*c));
	if (!r->c.name || !r->c.init || !r->c.on_event) {
		snprintf(err, err_sz, "chisel '%s' lacks a name, init() or on_event()", what);
		return -EINVAL;
	}
	return 0;
}

static const struct sysrec_chisel *_stock(const char *name)
{
	size_t cnt;
	const struct sysrec_chisel *const *all = chisels__stock(&cnt);

	for (size_t i = 0; i < cnt; i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

int chisel_run__open(const char *spec, FILE *out, struct chisel_run **out_run, char *err,
		     size_t err_sz)
{
	struct chisel_run *r = calloc(1, sizeof(*r));
	const struct sysrec_chisel *c = NULL;
	const char *name;
	int ret;

	err[0] = '\0';
	if (!r)
		return -ENOMEM;
	r->out = out;
	ret = _split(r, spec);
	if (ret) {
		snprintf(err, err_sz, "bad chisel '%s': %s", spec,
			 ret == -E2BIG ? "too many arguments" : "expected 'NAME [ARG...]'");
		goto fail;
	}
	name = r->argv[0];
	if (strchr(name, '/') || (strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".so"))) {
		ret = _from_so(r, name, &c, err, err_sz);
	} else if (!(c = _stock(name))) {
		snprintf(err, err_sz, "unknown chisel '%s' (see 'sysrec chisels')", name);
		ret = -ENOENT;
	}
	ret = ret ?: _check_abi(r, c, name, err, err_sz);
	if (ret)
		goto fail;
	ret = r->c.init((struct sysrec_ctx *)r, &host, r->argc - 1, r->argv + 1, &r->state);
	r->inited = true;
	if (ret) {
		const char *why = r->c.last_error ? r->c.last_error(r->state) : NULL;

		if (why)
			snprintf(err, err_sz, "chisel %s: %s", r->c.name, why);
		else if (!r->reported)
			snprintf(err, err_sz, "chisel %s: cannot start with these arguments (see "
				 "'sysrec chisels')", r->c.name);
		ret = -EINVAL;
		goto fail;
	}
	*out_run = r;
	return 0;
fail:
	chisel_run__free(r);
	return ret;
}

int chisel_run__event(struct chisel_run *r, struct sr_evt *ev, char *err, size_t err_sz)
{
	uint64_t wall = ev->boot_time_ns + ev->rec->ts;
	int ret;

	if (r->filter && !sr_filter__match(r->filter, ev))
		return 0;
	if (r->interval_ns && r->c.on_interval) {
		if (!r->interval_start)
			r->interval_start = wall - wall % r->interval_ns;
		while (wall >= r->interval_start + r->interval_ns) {
			r->c.on_interval(r->state, r->interval_start,
					 r->interval_start + r->interval_ns);
			r->interval_start += r->interval_ns;
		}
	}
	ret = r->c.on_event(r->state, (const struct sysrec_event *)ev);
	if (ret) {
		const char *why = r->c.last_error ? r->c.last_error(r->state) : NULL;

		snprintf(err, err_sz, "chisel %s stopped: %s", r->c.name, why ? why : "an error");
	}
	return ret;
}

void chisel_run__set_span(struct chisel_run *r, uint64_t start_ns, uint64_t end_ns)
{
	r->span_start = start_ns;
	r->span_end = end_ns;
}

void chisel_run__end(struct chisel_run *r)
{
	if (r->interval_ns && r->c.on_interval && r->interval_start)
		r->c.on_interval(r->state, r->interval_start, r->interval_start + r->interval_ns);
	if (r->c.on_end)
		r->c.on_end(r->state);
	fflush(r->out);
}

void chisel_run__free(struct chisel_run *r)
{
	if (!r)
		return;
	if (r->inited && r->c.fini)
		r->c.fini(r->state);
	for (size_t i = 0; i < r->field_cnt; i++)
		free(r->fields[i]);
	free(r->fields);
	sr_filter__free(r->filter);
	if (r->dl)
		dlclose(r->dl);
	free(r->words);
	free(r);
}
