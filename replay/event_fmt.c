// SPDX-License-Identifier: Apache-2.0
/* Events as text and as typed argument values; see event_fmt.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "decode.h"
#include "event_fmt.h"
#include "stack_fmt.h"
#include "probe_defs.h"
#include "symbols.h"

void sr_str__putn(struct sr_str *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->full = true;
		n = s->cap > s->len + 1 ? s->cap - s->len - 1 : 0;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	if (s->cap)
		s->p[s->len] = '\0';
}

void sr_str__puts(struct sr_str *s, const char *p)
{
	sr_str__putn(s, p, strlen(p));
}

/* Decimal and hex numbers without printf: the text output writes several per event. */
void sr_str__u64(struct sr_str *s, uint64_t v)
{
	char buf[20];
	size_t n = 0;

	do
		buf[sizeof(buf) - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10));
	sr_str__putn(s, buf + sizeof(buf) - n, n);
}

void sr_str__i64(struct sr_str *s, int64_t v)
{
	if (v < 0) {
		sr_str__putn(s, "-", 1);
		sr_str__u64(s, (uint64_t)0 - (uint64_t)v);
		return;
	}
	sr_str__u64(s, (uint64_t)v);
}

void sr_str__hex(struct sr_str *s, uint64_t v)
{
	static const char hex[] = "0123456789abcdef";
	char buf[18];
	size_t n = 0;

	do
		buf[sizeof(buf) - 1 - n++] = hex[v & 15];
	while ((v >>= 4));
	buf[sizeof(buf) - 1 - n++] = 'x';
	buf[sizeof(buf) - 1 - n++] = '0';
	sr_str__putn(s, buf + sizeof(buf) - n, n);
}

void sr_str__printf(struct sr_str *s, const char *fmt, ...)
{
	size_t room = s->cap > s->len ? s->cap - s->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->p + s->len, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= room) {
		s->full = true;
		s->len = room ? s->cap - 1 : s->len;
		return;
	}
	s->len += (size_t)n;
}

void sr_str__text(struct sr_str *s, const char *p, size_t n)
{
	size_t room, need;

	if (sr_text_is_plain(p, n)) { /* the common case: nothing to escape */
		sr_str__putn(s, p, n);
		return;
	}
	room = s->cap > s->len ? s->cap - s->len : 0;
	need = sr_text_escape(room ? s->p + s->len : NULL, room, p, n);
	if (need < room) {
		s->len += need;
		return;
	}
	s->full = true;
	if (room)
		s->len += strlen(s->p + s->len);
}

void sr_str__texts(struct sr_str *s, const char *p)
{
	sr_str__text(s, p, strlen(p));
}

void sr_str__buf(struct sr_str *s, const void *data, size_t n, enum sr_buf_fmt bf)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	char tmp[2];

	if (bf == SR_BUF_ASCII) {
		sr_str__text(s, data, n);
		return;
	}
	for (size_t i = 0; i < n && !s->full; i++) {
		unsigned char c = p[i];

		if (bf == SR_BUF_HEX) {
			tmp[0] = hex[c >> 4];
			tmp[1] = hex[c & 15];
			sr_str__putn(s, tmp, 2);
		} else {
			tmp[0] = c >= 0x20 && c < 0x7f ? (char)c : '.';
			sr_str__putn(s, tmp, 1);
		}
	}
}

static const struct trace_rec_type_info *_rec_info(const struct sr_evt *ev)
{
	return ev->rec->type == TR_SYSCALL ? NULL : trace_rec_type__get(ev->rec->type);
}

static int _name_cnt(const char *const *names)
{
	int n = 0;

	while (names && names[n])
		n++;
	return n;
}

/* Samples show their event by name and their stack as text, not raw addresses. */
static const char *const sample_args[] = { "event", "value", "period", "stack" };

static bool _sample_arg(struct sr_evt *ev, int i, struct sr_value *out)
{
	const char *name;
	struct sr_str s;

	switch (i) {
	case 0:
		name = sr_symbols__event_name(sr_state__symbols(ev->st), ev->rec->ints[0]);
		out->type = SR_FT_STR;
		out->s.p = name ? name : "?";
		out->s.len = strlen(out->s.p);
		return true;
	case 1:
	case 2:
		out->type = SR_FT_UINT;
		out->u = ev->rec->ints[i + 1];
		return true;
	default:
		s = (struct sr_str){ .p = sr_evt__scratch(ev, 8192), .cap = 8192 };
		if (!s.p || !sr_stack__text(ev, SR_STACK_USER | SR_STACK_KERNEL, SR_STACK_LEAF_FIRST,
					    &s))
			return false;
		ev->scratch_used -= 8192 - (s.len + 1);
		out->type = SR_FT_STR;
		out->s.p = s.p;
		out->s.len = s.len;
		return true;
	}
}

/* Packets show their interface, direction, length on the wire, and a tcpdump-like line. */
static const char *const packet_args[] = { "iface", "dir", "len", "pkt" };

static bool _is_packet(const struct sr_evt *ev)
{
	return ev->rec->type == TR_PACKET && ev->rec->int_cnt >= TR_PACKET_INT_CNT;
}

static bool _packet_arg(struct sr_evt *ev, int i, struct sr_value *out)
{
	const struct trace_rec *rec = ev->rec;
	char *p;
	int n;

	out->type = SR_FT_STR;
	switch (i) {
	case 0:
		if (ev->pkt_ifname) {
			out->s.p = ev->pkt_ifname;
			out->s.len = strlen(ev->pkt_ifname);
			return true;
		}
		p = sr_evt__scratch(ev, 24);
		if (!p)
			return false;
		n = snprintf(p, 24, "if%u", (unsigned int)rec->ints[TR_PACKET_IFINDEX]);
		break;
	case 1:
		out->s.p = rec->ints[TR_PACKET_DIRECTION] ? "out" : "in";
		out->s.len = strlen(out->s.p);
		return true;
	case 2:
		out->type = SR_FT_UINT;
		out->u = rec->ints[TR_PACKET_WIRE_LEN];
		return true;
	default:
		p = sr_evt__scratch(ev, 256);
		if (!p)
			return false;
		n = sr_pkt__summary(&ev->pkt, (uint16_t)rec->ints[TR_PACKET_ETHERTYPE],
				    (uint32_t)rec->ints[TR_PACKET_WIRE_LEN], p, 256);
		break;
	}
	out->s.p = p;
	out->s.len = n < 0 ? 0 : (size_t)n;
	return true;
}

/* Probe hits show the probe, then its arguments by name (tracepoint fields decoded with the
 * tracepoint's format, uprobe values by the spec's types, captured strings). */
static const struct sr_probe_def *_probe(const struct sr_evt *ev)
{
	return ev->rec->int_cnt >= 2 ? sr_state__probe(ev->st, ev->rec->ints[0]) : NULL;
}

static const struct trace_blob *_tagged(const struct trace_rec *rec, unsigned int tag)
{
	for (unsigned int i = 0; i < rec->blob_cnt; i++)
		if (rec->blobs[i].tag == tag)
			return &rec->blobs[i];
	return NULL;
}

static bool _str_val(struct sr_value *out, const void *p, size_t len)
{
	out->type = SR_FT_STR;
	out->s.p = p;
	out->s.len = strnlen(p, len);
	return true;
}

static bool _probe_arg(struct sr_evt *ev, int i, struct sr_value *out)
{
	const struct sr_probe_def *d = _probe(ev);
	const struct trace_rec *rec = ev->rec;
	const struct trace_blob *raw = _tagged(rec, 0), *b;
	const struct sr_parg *a;
	uint64_t v = 0;

	if (i == 0) {
		const char *spec = d && d->spec ? d->spec : "?";

		return _str_val(out, spec, strlen(spec));
	}
	if (!d) { /* no definition: the raw values */
		if (1 + i >= rec->int_cnt)
			return false;
		out->type = SR_FT_UINT;
		out->u = rec->ints[1 + i];
		return true;
	}
	a = &d->args[i - 1];
	switch (a->kind) {
	case SR_PARG_STRING:
	case SR_PARG_AUTO:
		b = a->value >= 0 ? _tagged(rec, 16 + (unsigned int)a->value) : NULL;
		if (b)
			return _str_val(out, b->data, b->sz);
		if (a->kind == SR_PARG_STRING)
			return false;
		/* fall through: not a string after all */
		__attribute__((fallthrough));
	case SR_PARG_CHARS:
		if (!raw || a->offset + a->size > raw->sz)
			return false;
		return _str_val(out, (const char *)raw->data + a->offset, a->size);
	case SR_PARG_DATA_LOC: {
		uint32_t loc;

		if (!raw || a->offset + 4u > raw->sz)
			return false;
		memcpy(&loc, (const char *)raw->data + a->offset, 4);
		if ((loc & 0xffff) + (loc >> 16) > raw->sz)
			return false;
		return _str_val(out, (const char *)raw->data + (loc & 0xffff), loc >> 16);
	}
	default:
		if (a->value >= 0) {
			if (2 + a->value >= rec->int_cnt)
				return false;
			v = rec->ints[2 + a->value];
		} else {
			if (!raw || !a->size || a->size > 8 || a->offset + a->size > raw->sz)
				return false;
			memcpy(&v, (const char *)raw->data + a->offset, a->size); /* little-endian */
			if (a->is_signed && a->size < 8 && (v >> (a->size * 8 - 1)) & 1)
				v |= ~0ull << (a->size * 8);
		}
		if (a->is_signed) {
			out->type = SR_FT_INT;
			out->i = (int64_t)v;
		} else {
			out->type = SR_FT_UINT;
			out->u = v;
		}
		return true;
	}
}

static int _probe_arg_cnt(const struct sr_evt *ev)
{
	const struct sr_probe_def *d = _probe(ev);

	return 1 + (d ? d->arg_cnt : ev->rec->int_cnt > 2 ? ev->rec->int_cnt - 2 : 0);
}

static const char *_probe_arg_name(const struct sr_evt *ev, int i)
{
	static const char *const generic[] = { "arg1", "arg2", "arg3", "arg4", "arg5", "arg6",
					       "arg7", "arg8" };
	const struct sr_probe_def *d = _probe(ev);

	if (i == 0)
		return "probe";
	return d ? d->args[i - 1].name : generic[(i - 1) % 8];
}

/* Non-syscall records show their fields, except the key that repeats the thread id. */
int sr_evt__arg_cnt(const struct sr_evt *ev)
{
	const struct trace_rec_type_info *ti;
	int ni, nb;

	if (ev->rec->type == TR_SAMPLE && ev->rec->int_cnt >= 4)
		return 4;
	if (ev->rec->type == TR_PROBE_HIT)
		return _probe_arg_cnt(ev);
	if (_is_packet(ev))
		return 4;
	if (ev->rec->type == TR_SYSCALL) {
		if (ev->sc && ev->sc->nargs >= 0)
			return ev->sc->nargs;
		return ev->rec->int_cnt > 4 ? ev->rec->int_cnt - 4 : 0;
	}
	ti = _rec_info(ev);
	if (!ti)
		return 0;
	ni = _name_cnt(ti->int_names);
	nb = _name_cnt(ti->blob_names);
	if (ni > ev->rec->int_cnt)
		ni = ev->rec->int_cnt;
	if (nb > ev->rec->blob_cnt)
		nb = ev->rec->blob_cnt;
	return ni + nb;
}

const char *sr_evt__arg_name(const struct sr_evt *ev, int i)
{
	const struct trace_rec_type_info *ti;
	int ni;

	if (i < 0 || i >= sr_evt__arg_cnt(ev))
		return NULL;
	if (ev->rec->type == TR_SAMPLE && ev->rec->int_cnt >= 4)
		return sample_args[i];
	if (ev->rec->type == TR_PROBE_HIT)
		return _probe_arg_name(ev, i);
	if (_is_packet(ev))
		return packet_args[i];
	if (ev->rec->type == TR_SYSCALL) {
		static const char *const generic[] = { "arg0", "arg1", "arg2", "arg3", "arg4", "arg5" };

		return ev->sc && ev->sc->nargs >= 0 ? ev->sc->args[i].name : generic[i % 6];
	}
	ti = _rec_info(ev);
	ni = _name_cnt(ti->int_names);
	if (ni > ev->rec->int_cnt)
		ni = ev->rec->int_cnt;
	return i < ni ? ti->int_names[i] : ti->blob_names[i - ni];
}

int sr_evt__arg_index(const struct sr_evt *ev, const char *name)
{
	int n = sr_evt__arg_cnt(ev);

	for (int i = 0; i < n; i++) {
		const char *an = sr_evt__arg_name(ev, i);

		if (an && !strcmp(an, name))
			return i;
	}
	return -1;
}

static const struct sr_param *_param(const struct sr_evt *ev, int i)
{
	return ev->sc && ev->sc->nargs > i ? &ev->sc->args[i] : NULL;
}

bool sr_evt__arg_value(struct sr_evt *ev, int i, struct sr_value *out)
{
	const struct trace_rec *rec = ev->rec;
	const struct sr_param *pm;
	uint64_t raw;

	if (i < 0 || i >= sr_evt__arg_cnt(ev))
		return false;
	if (rec->type == TR_SAMPLE && rec->int_cnt >= 4)
		return _sample_arg(ev, i, out);
	if (rec->type == TR_PROBE_HIT)
		return _probe_arg(ev, i, out);
	if (_is_packet(ev))
		return _packet_arg(ev, i, out);
	if (rec->type != TR_SYSCALL) {
		const struct trace_rec_type_info *ti = _rec_info(ev);
		int ni = _name_cnt(ti->int_names);

		if (ni > rec->int_cnt)
			ni = rec->int_cnt;
		if (i < ni) {
			out->type = SR_FT_UINT;
			out->u = rec->ints[i];
		} else {
			out->type = SR_FT_STR;
			out->s.p = rec->blobs[i - ni].data;
			out->s.len = rec->blobs[i - ni].sz;
		}
		return true;
	}
	if (4 + i >= rec->int_cnt)
		return false;
	raw = rec->ints[4 + i];
	pm = _param(ev, i);
	if (!pm) {
		out->type = SR_FT_UINT;
		out->u = raw;
		return true;
	}
	switch (pm->type) {
	case SR_PT_PATH:
	case SR_PT_STR:
	case SR_PT_BUF:
		if (!ev->arg_blob[i])
			return false;
		out->type = pm->type == SR_PT_BUF ? SR_FT_BYTES : SR_FT_STR;
		out->s.p = ev->arg_blob[i]->data;
		out->s.len = ev->arg_blob[i]->sz;
		return true;
	case SR_PT_SOCKADDR: {
		struct sr_sockaddr sa;
		char *buf;

		if (!ev->arg_blob[i] ||
		    !sr_sockaddr__parse(ev->arg_blob[i]->data, ev->arg_blob[i]->sz, &sa))
			return false;
		buf = sr_evt__scratch(ev, 128);
		if (!buf)
			return false;
		out->type = SR_FT_STR;
		out->s.p = buf;
		out->s.len = sr_sockaddr__str(&sa, buf, 128);
		return true;
	}
	case SR_PT_FDPAIR: {
		int32_t fds[2];
		char *buf;

		if (!ev->arg_blob[i] || ev->arg_blob[i]->sz < sizeof(fds) ||
		    !(buf = sr_evt__scratch(ev, 32)))
			return false;
		memcpy(fds, ev->arg_blob[i]->data, sizeof(fds));
		out->type = SR_FT_STR;
		out->s.p = buf;
		out->s.len = (size_t)snprintf(buf, 32, "[%d,%d]", fds[0], fds[1]);
		return true;
	}
	case SR_PT_INT:
	case SR_PT_FD:
	case SR_PT_PID:
	case SR_PT_SIGNAL:
		out->type = SR_FT_INT;
		out->i = pm->wide && pm->type == SR_PT_INT ? (int64_t)raw : (int32_t)raw;
		return true;
	case SR_PT_UID:
	case SR_PT_GID:
		out->type = SR_FT_UINT;
		out->u = (uint32_t)raw;
		return true;
	default:
		out->type = SR_FT_UINT;
		out->u = pm->wide ? raw : (uint32_t)raw;
		return true;
	}
}

static void _fd_text(struct sr_evt *ev, int64_t fd, struct sr_str *s)
{
	struct sr_fd *f = ev->thr ? sr_state__fd(ev->thr->proc, fd) : NULL;

	if (fd == -100) {
		sr_str__puts(s, "AT_FDCWD");
		return;
	}
	sr_str__i64(s, fd);
	if (f && f->name[0]) {
		sr_str__putn(s, "(", 1);
		sr_str__texts(s, f->name);
		sr_str__putn(s, ")", 1);
	}
}

void sr_evt__arg_text(struct sr_evt *ev, int i, enum sr_buf_fmt bf, struct sr_str *s)
{
	const struct sr_param *pm = ev->rec->type == TR_SYSCALL ? _param(ev, i) : NULL;
	struct sr_value v;
	char buf[64];
	size_t len;
	const char *t;

	if (!sr_evt__arg_value(ev, i, &v)) {
		/* An output buffer of a call that returned nothing is empty, not unreadable. */
		if (pm && pm->type >= SR_PT_PATH && !(pm->dir == SR_DIR_OUT &&
						      (int64_t)ev->rec->ints[1] <= 0))
			sr_str__puts(s, "<unreadable>");
		else if (!pm || pm->type < SR_PT_PATH)
			sr_str__puts(s, "?");
		return;
	}
	if (!pm) {
		if (v.type == SR_FT_STR) { /* exec args are NUL-separated: shown with spaces */
			for (size_t k = 0; k < v.s.len;) {
				size_t n = strnlen(v.s.p + k, v.s.len - k);

				sr_str__text(s, v.s.p + k, n);
				if (k + n < v.s.len)
					sr_str__putn(s, " ", 1);
				k += n + 1;
			}
			if (ev->rec->type == TR_PROC_EXEC && ev->rec->int_cnt > TR_EXEC_FLAGS &&
			    (ev->rec->ints[TR_EXEC_FLAGS] & TR_EXEC_F_ARGS_CUT) &&
			    !strcmp(sr_evt__arg_name(ev, i), "args"))
				sr_str__puts(s, SR_ARGS_CUT_MARK); /* the driver kept their first bytes */
		} else {
			t = sr_value__str(&v, buf, sizeof(buf), &len);
			sr_str__text(s, t, len);
		}
		return;
	}
	switch (pm->type) {
	case SR_PT_FD:
		_fd_text(ev, v.i, s);
		return;
	case SR_PT_HEX:
		sr_str__hex(s, v.u);
		return;
	case SR_PT_MODE:
		sr_str__printf(s, "%#" PRIo64, v.u);
		return;
	case SR_PT_SIGNAL:
		t = sr_signal__name((int)v.i);
		if (t)
			sr_str__puts(s, t);
		else
			sr_str__i64(s, v.i);
		return;
	case SR_PT_PATH:
	case SR_PT_STR:
		sr_str__text(s, v.s.p, v.s.len);
		return;
	case SR_PT_BUF:
		sr_str__buf(s, v.s.p, v.s.len, bf);
		return;
	default:
		if (v.type == SR_FT_INT) {
			sr_str__i64(s, v.i);
		} else if (v.type == SR_FT_UINT) {
			sr_str__u64(s, v.u);
		} else { /* a unix socket's path, too */
			t = sr_value__str(&v, buf, sizeof(buf), &len);
			sr_str__text(s, t, len);
		}
	}
}

void sr_evt__args_text(struct sr_evt *ev, enum sr_buf_fmt bf, struct sr_str *s)
{
	int n = sr_evt__arg_cnt(ev);

	for (int i = 0; i < n && !s->full; i++) {
		if (i)
			sr_str__putn(s, " ", 1);
		sr_str__texts(s, sr_evt__arg_name(ev, i)); /* a probe's, from the trace */
		sr_str__putn(s, "=", 1);
		sr_evt__arg_text(ev, i, bf, s);
	}
}

bool sr_evt__res_text(struct sr_evt *ev, struct sr_str *s)
{
	int64_t ret;
	const char *name;

	if (ev->rec->type != TR_SYSCALL || ev->rec->int_cnt < 4)
		return false;
	if (ev->rec->ints[3] & TR_SC_F_PENDING) {
		sr_str__puts(s, "<pending>");
		return true;
	}
	ret = (int64_t)ev->rec->ints[1];
	if (ret < 0 && ret > -4096 && (name = sr_errno__name((int)-ret))) {
		sr_str__i64(s, ret);
		sr_str__putn(s, " ", 1);
		sr_str__puts(s, name);
		return true;
	}
	if (ev->fd_is_ret && ev->fd && ev->fd->name[0]) {
		sr_str__i64(s, ret);
		sr_str__putn(s, "(", 1);
		sr_str__texts(s, ev->fd->name);
		sr_str__putn(s, ")", 1);
		return true;
	}
	if (ret > 0xffffffffLL || ret < -0xffffffffLL)
		sr_str__hex(s, (uint64_t)ret);
	else
		sr_str__i64(s, ret);
	return true;
}
