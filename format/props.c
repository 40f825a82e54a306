// SPDX-License-Identifier: Apache-2.0
/* Header properties: a small ordered list with unique names, and its byte encoding. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bytes.h"
#include "props.h"

#define PROP_NAME_MAX 255
#define PROP_HDR_SZ 8 /* kind:u8 pad:u8 name_len:u16 value_len:u32 */

struct trace_props {
	struct trace_prop *v;
	size_t cnt;
	size_t cap;
};

int trace_props__new(struct trace_props **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void _prop_release(struct trace_prop *p)
{
	free((void *)p->name);
	free((void *)p->data);
}

void trace_props__free(struct trace_props *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->cnt; i++)
		_prop_release(&p->v[i]);
	free(p->v);
	free(p);
}

const struct trace_prop *trace_props__get(const struct trace_props *p, const char *name)
{
	for (size_t i = 0; p && i < p->cnt; i++)
		if (!strcmp(p->v[i].name, name))
			return &p->v[i];
	return NULL;
}

/* Replace or append a property; takes ownership of @data (malloc'ed or NULL). */
static int _set(struct trace_props *p, const char *name, uint8_t kind, uint64_t u64, void *data,
		uint32_t sz)
{
	struct trace_prop *slot = (struct trace_prop *)trace_props__get(p, name);
	size_t name_len = strlen(name);
	char *name_copy;

	if (!name_len || name_len > PROP_NAME_MAX) {
		free(data);
		return -EINVAL;
	}
	if (!slot) {
		if (p->cnt == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			void *n = realloc(p->v, cap * sizeof(*p->v));

			if (!n) {
				free(data);
				return -ENOMEM;
			}
			p->v = n;
			p->cap = cap;
		}
		name_copy = strdup(name);
		if (!name_copy) {
			free(data);
			return -ENOMEM;
		}
		slot = &p->v[p->cnt++];
		memset(slot, 0, sizeof(*slot));
		slot->name = name_copy;
	}
	free((void *)slot->data);
	slot->kind = kind;
	slot->u64 = u64;
	slot->data = data;
	slot->sz = sz;
	return 0;
}

static int _set_data(struct trace_props *p, const char *name, uint8_t kind, const void *v,
		     uint32_t sz)
{
	char *copy = malloc((size_t)sz + 1); /* + NUL as a convenience for strings */

	if (!copy)
		return -ENOMEM;
	if (sz)
		memcpy(copy, v, sz);
	copy[sz] = 0;
	return _set(p, name, kind, 0, copy, sz);
}

int trace_props__set_u64(struct trace_props *p, const char *name, uint64_t v)
{
	return _set(p, name, TF_PROP_U64, v, NULL, 0);
}

int trace_props__set_i64(struct trace_props *p, const char *name, int64_t v)
{
	return _set(p, name, TF_PROP_I64, (uint64_t)v, NULL, 0);
}

int trace_props__set_str(struct trace_props *p, const char *name, const char *v)
{
	size_t len = strlen(v);

	if (len > TF_MAX_HEADER_SZ)
		return -EINVAL;
	return _set_data(p, name, TF_PROP_STR, v, (uint32_t)len);
}

int trace_props__set_bytes(struct trace_props *p, const char *name, const void *v, uint32_t sz)
{
	if (sz > TF_MAX_HEADER_SZ)
		return -EINVAL;
	return _set_data(p, name, TF_PROP_BYTES, v, sz);
}

const char *trace_props__str(const struct trace_props *p, const char *name, const char *dflt)
{
	const struct trace_prop *v = trace_props__get(p, name);

	return v && v->kind == TF_PROP_STR ? v->data : dflt;
}

uint64_t trace_props__u64(const struct trace_props *p, const char *name, uint64_t dflt)
{
	const struct trace_prop *v = trace_props__get(p, name);

	return v && (v->kind == TF_PROP_U64 || v->kind == TF_PROP_I64) ? v->u64 : dflt;
}

size_t trace_props__cnt(const struct trace_props *p)
{
	return p ? p->cnt : 0;
}

const struct trace_prop *trace_props__at(const struct trace_props *p, size_t i)
{
	return p && i < p->cnt ? &p->v[i] : NULL;
}

static uint64_t _clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* The first line of a small file, without its newline ("" when unreadable). */
static void _read_line(const char *path, char *buf, size_t sz)
{
	FILE *f = fopen(path, "re");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)sz, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

int trace_props__set_machine(struct trace_props *p)
{
	struct utsname u;
	char host[256] = "", boot_id[64] = "";
	uint64_t best_gap = UINT64_MAX, boot = 0;
	int err = 0;

	/* REALTIME - MONOTONIC from the tightest of a few samples; good to well under 1 us. */
	for (int i = 0; i < 5; i++) {
		uint64_t m0 = _clock_ns(CLOCK_MONOTONIC);
		uint64_t r = _clock_ns(CLOCK_REALTIME);
		uint64_t m1 = _clock_ns(CLOCK_MONOTONIC);

		if (m1 - m0 < best_gap) {
			best_gap = m1 - m0;
			boot = r - (m0 + (m1 - m0) / 2);
		}
	}
	if (gethostname(host, sizeof(host) - 1))
		host[0] = 0;
	_read_line("/proc/sys/kernel/random/boot_id", boot_id, sizeof(boot_id));
	if (uname(&u))
		memset(&u, 0, sizeof(u));
	err = err ?: trace_props__set_str(p, "machine.hostname", host);
	err = err ?: trace_props__set_str(p, "machine.kernel_release", u.release);
	err = err ?: trace_props__set_str(p, "machine.kernel_version", u.version);
	err = err ?: trace_props__set_str(p, "machine.arch", u.machine);
	err = err ?: trace_props__set_u64(p, "machine.cpu_cnt", (uint64_t)sysconf(_SC_NPROCESSORS_CONF));
	err = err ?: trace_props__set_u64(p, "machine.page_sz", (uint64_t)sysconf(_SC_PAGESIZE));
	err = err ?: trace_props__set_u64(p, "machine.boot_time_ns", boot);
	err = err ?: trace_props__set_str(p, "machine.boot_id", boot_id);
	err = err ?: trace_props__set_str(p, "capture.clock", "monotonic");
	return err;
}

int trace_props__encode(const struct trace_props *p, struct sr_wbuf *out)
{
	sr_wbuf__le32(out, (uint32_t)trace_props__cnt(p));
	for (size_t i = 0; i < trace_props__cnt(p); i++) {
		const struct trace_prop *v = &p->v[i];
		uint16_t name_len = (uint16_t)strlen(v->name);
		int fixed = v->kind == TF_PROP_U64 || v->kind == TF_PROP_I64;
		uint8_t hdr[PROP_HDR_SZ] = { v->kind, 0 };

		put_le16(hdr + 2, name_len);
		put_le32(hdr + 4, fixed ? 8 : v->sz);
		sr_wbuf__bytes(out, hdr, sizeof(hdr));
		sr_wbuf__bytes(out, v->name, name_len);
		if (fixed)
			sr_wbuf__le64(out, v->u64);
		else
			sr_wbuf__bytes(out, v->data, v->sz);
	}
	return out->oom ? -ENOMEM : 0;
}

int trace_props__decode(const void *buf, size_t sz, long long base_off, struct trace_props **out,
			struct sr_diag *diag)
{
	struct trace_props *p = NULL;
	struct sr_rcur c;
	uint32_t cnt;
	int err;

	sr_rcur__init(&c, buf, sz);
	cnt = sr_rcur__le32(&c);
	/* Each property takes at least its 8-byte header and a 1-byte name. */
	if (c.bad || cnt > sr_rcur__left(&c) / (PROP_HDR_SZ + 1))
		return sr_diag__set(diag, -EBADMSG, base_off,
				    "header at offset %lld: bad property count", base_off);
	err = trace_props__new(&p);
	if (err)
		return err;
	for (uint32_t i = 0; i < cnt; i++) {
		long long at = base_off + (long long)(c.p - (const uint8_t *)buf);
		const uint8_t *hdr = sr_rcur__bytes(&c, PROP_HDR_SZ);
		const uint8_t *name, *val;
		char name_z[PROP_NAME_MAX + 1];
		uint16_t name_len;
		uint32_t val_len;

		if (!hdr)
			goto out_bad;
		name_len = get_le16(hdr + 2);
		val_len = get_le32(hdr + 4);
		name = sr_rcur__bytes(&c, name_len);
		val = sr_rcur__bytes(&c, val_len);
		if (!name || !val || !name_len || name_len > PROP_NAME_MAX)
			goto out_bad;
		memcpy(name_z, name, name_len);
		name_z[name_len] = 0;
		if (memchr(name_z, 0, name_len))
			goto out_bad;
		switch (hdr[0]) {
		case TF_PROP_U64:
		case TF_PROP_I64:
			if (val_len != 8)
				goto out_bad;
			err = _set(p, name_z, hdr[0], get_le64(val), NULL, 0);
			break;
		case TF_PROP_STR:
		case TF_PROP_BYTES:
			err = _set_data(p, name_z, hdr[0], val, val_len);
			break;
		default: /* a kind from a newer writer: skipped, its length told us how */
			err = 0;
			break;
		}
		if (err)
			goto out_free;
		continue;
out_bad:
		err = sr_diag__set(diag, -EBADMSG, at,
				   "header at offset %lld: property %u at offset %lld is malformed",
				   base_off, i, at);
		goto out_free;
	}
	*out = p;
	return 0;
out_free:
	trace_props__free(p);
	return err;
}

int trace_props__copy(struct trace_props *dst, const struct trace_props *src)
{
	int err = 0;

	for (size_t i = 0; !err && i < trace_props__cnt(src); i++) {
		const struct trace_prop *p = trace_props__at(src, i);

		switch (p->kind) {
		case TF_PROP_U64:
			err = trace_props__set_u64(dst, p->name, p->u64);
			break;
		case TF_PROP_I64:
			err = trace_props__set_i64(dst, p->name, (int64_t)p->u64);
			break;
		case TF_PROP_STR:
			err = trace_props__set_str(dst, p->name, p->data);
			break;
		default:
			err = trace_props__set_bytes(dst, p->name, p->data, p->sz);
		}
	}
	return err;
}
