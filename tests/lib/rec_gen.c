// SPDX-License-Identifier: Apache-2.0
/*
 * Deterministic mixed records (see rec_gen.h).  Every choice comes from one splitmix64 stream
 * seeded by the options, so a generator is reproduced exactly by another with the same options.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rec_gen.h"

static const char *const paths[] = {
	"/etc/passwd", "/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/proc/self/maps",
	"/usr/bin/python3", "/tmp", "/dev/null", "/var/log/syslog", "/home/user/.bashrc",
	"/usr/share/zoneinfo/UTC", "/sys/fs/cgroup/cpu.max", "/run/containerd/containerd.sock",
	"/", "a", "/usr/lib/locale/locale-archive", "/etc/nsswitch.conf", "/etc/resolv.conf",
	"/proc/1/cgroup", "/usr/lib/python3.11/os.py", "/nix/store/abc-xyz/bin/sh",
};
#define PATH_CNT (sizeof(paths) / sizeof(paths[0]))

static const char *const comms[] = { "bash", "python3", "nginx", "containerd-shim", "sh",
				     "kworker/0:1", "sysrec", "" };
#define COMM_CNT (sizeof(comms) / sizeof(comms[0]))

static const uint16_t syscall_nrs[] = { 0, 1, 2, 3, 9, 59, 231, 257, 262, 435, 999 };
#define NR_CNT (sizeof(syscall_nrs) / sizeof(syscall_nrs[0]))

static const uint16_t unknown_types[] = { 40, 63, 64, 200, 1000, 65535 };
#define UNKNOWN_CNT (sizeof(unknown_types) / sizeof(unknown_types[0]))

uint64_t rec_gen__rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t _r(struct rec_gen *g, uint64_t n)
{
	return n ? rec_gen__rand(&g->rng) % n : rec_gen__rand(&g->rng);
}

int rec_gen__init(struct rec_gen *g, const struct rec_gen_opts *opts)
{
	memset(g, 0, sizeof(*g));
	g->opts = *opts;
	g->rng = opts->seed * 0x2545f4914f6cdd1dull + 1;
	g->ts = 1000000000000ull + _r(g, 1000000);
	for (size_t i = 0; i < sizeof(g->tids) / sizeof(g->tids[0]); i++)
		g->tids[i] = 1 + (uint32_t)_r(g, 4000000);
	g->tids[0] = 0;          /* host-wide metadata */
	g->tids[1] = 0xfffffff0; /* tid deltas that wrap */
	if (opts->big_blob_at && opts->big_blob_sz) {
		uint64_t s = opts->seed ^ 0xb16b10b;

		g->big = malloc(opts->big_blob_sz);
		if (!g->big)
			return -ENOMEM;
		for (uint32_t i = 0; i < opts->big_blob_sz; i += 8) {
			uint64_t v = rec_gen__rand(&s);

			uint32_t n = opts->big_blob_sz - i < 8 ? opts->big_blob_sz - i : 8;

			memcpy(g->big + i, &v, n);
		}
	}
	return 0;
}

void rec_gen__release(struct rec_gen *g)
{
	free(g->big);
	g->big = NULL;
}

/* A blob: an interned path, a unique buffer (interned or not), or an empty one. */
static void _blob(struct rec_gen *g, struct trace_rec *rec, int slot, uint16_t tag)
{
	struct trace_blob *b = &rec->blobs[slot];
	uint64_t k = _r(g, 100);

	b->tag = tag;
	b->flags = 0;
	if (k < 55) {
		const char *p = paths[_r(g, PATH_CNT)];

		b->data = p;
		b->sz = (uint32_t)strlen(p);
		b->flags = TRACE_BLOB_F_INTERN;
	} else if (k < 92) {
		uint32_t sz = 1 + (uint32_t)_r(g, g->opts.small ? 16 : REC_GEN_BUF_SZ);

		for (uint32_t i = 0; i < sz; i++)
			g->buf[slot][i] = (uint8_t)_r(g, 256);
		b->data = g->buf[slot];
		b->sz = sz;
		if (k >= 88) /* unique but marked internable: fills the intern table */
			b->flags = TRACE_BLOB_F_INTERN;
	} else {
		b->data = k < 96 ? NULL : g->buf[slot];
		b->sz = 0;
		if (k & 1)
			b->flags = TRACE_BLOB_F_INTERN;
	}
}

static uint64_t _arg(struct rec_gen *g)
{
	switch (_r(g, 8)) {
	case 0:
		return 0;
	case 1:
		return UINT64_MAX;
	case 2:
		return (uint64_t)INT64_MIN;
	case 3:
		return 0x7ffc00000000ull + _r(g, 1u << 24) * 16;
	case 4:
		return _r(g, 0);
	default:
		return _r(g, 4096);
	}
}

static void _syscall(struct rec_gen *g, struct trace_rec *rec)
{
	static const uint8_t cnts[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 10, 6, 6, 7 };
	uint64_t k;

	rec->type = TR_SYSCALL;
	rec->int_cnt = g->opts.small ? (uint8_t)_r(g, 3) : cnts[_r(g, sizeof(cnts))];
	rec->ints[0] = syscall_nrs[_r(g, NR_CNT)];
	k = _r(g, 10);
	if (rec->int_cnt > 1) /* ret: mostly small, often -errno, sometimes huge */
		rec->ints[1] = k < 3 ? (uint64_t) - (int64_t)(1 + _r(g, 133)) :
			       k < 9 ? _r(g, 8192) : _r(g, 0);
	if (rec->int_cnt > 2) /* latency */
		rec->ints[2] = 100 + _r(g, 100000);
	for (int i = 3; i < rec->int_cnt; i++)
		rec->ints[i] = _arg(g);
	rec->blob_cnt = (uint8_t)_r(g, g->opts.small ? 2 : 4);
	for (int i = 0; i < rec->blob_cnt; i++)
		_blob(g, rec, i, (uint16_t)(i + 1));
}

static void _thread(struct rec_gen *g, struct trace_rec *rec)
{
	uint32_t tid = g->tids[_r(g, 64)];
	uint64_t k = _r(g, 10);

	rec->type = TR_THREAD;
	rec->int_cnt = k == 0 ? 1 : k == 1 ? 2 : 20;
	rec->ints[0] = tid;
	if (rec->int_cnt > 1) /* half of them process leaders */
		rec->ints[1] = _r(g, 2) ? tid : g->tids[_r(g, 64)] + 1;
	for (int i = 2; i < rec->int_cnt; i++)
		rec->ints[i] = i >= 12 ? 4026531836ull + _r(g, 8) : _r(g, 70000);
	rec->blob_cnt = 6;
	rec->blobs[0] = (struct trace_blob){ comms[_r(g, COMM_CNT)], 0, 0, TRACE_BLOB_F_INTERN };
	rec->blobs[0].sz = (uint32_t)strlen(rec->blobs[0].data);
	for (int i = 1; i < 5; i++)
		_blob(g, rec, i, (uint16_t)i);
	rec->blobs[5] = (struct trace_blob){ "", 0, 5, 0 };
	if (_r(g, 3)) {
		int n = snprintf((char *)g->buf[5], REC_GEN_BUF_SZ, "%016llx%048llx",
				 (unsigned long long)_r(g, 8), 0ull);

		rec->blobs[5] = (struct trace_blob){ g->buf[5], (uint32_t)n, 5,
						     TRACE_BLOB_F_INTERN };
	}
}

static void _container(struct rec_gen *g, struct trace_rec *rec)
{
	rec->type = TR_CONTAINER;
	rec->int_cnt = 2;
	rec->ints[0] = _r(g, 1000);
	rec->ints[1] = _r(g, 4);
	rec->blob_cnt = 4 + (uint8_t)_r(g, 5);
	for (int i = 0; i < rec->blob_cnt; i++)
		_blob(g, rec, i, (uint16_t)i);
}

static void _drops(struct rec_gen *g, struct trace_rec *rec)
{
	uint32_t cpu = (uint32_t)_r(g, 4), kind = (uint32_t)_r(g, 3);

	g->drops[cpu][kind] += 1 + _r(g, 1000);
	rec->type = TR_DROPS;
	rec->tid = 0;
	rec->int_cnt = 3;
	rec->ints[0] = cpu;
	rec->ints[1] = kind;
	rec->ints[2] = g->drops[cpu][kind];
	rec->blob_cnt = 0;
}

static void _unknown(struct rec_gen *g, struct trace_rec *rec)
{
	uint64_t k = _r(g, 4);

	rec->type = unknown_types[_r(g, UNKNOWN_CNT)];
	rec->int_cnt = k == 0 ? TRACE_REC_MAX_INTS : (uint8_t)_r(g, TRACE_REC_MAX_INTS + 1);
	rec->blob_cnt = k == 1 ? TRACE_REC_MAX_BLOBS : (uint8_t)_r(g, TRACE_REC_MAX_BLOBS + 1);
	for (int i = 0; i < rec->int_cnt; i++)
		rec->ints[i] = _arg(g);
	for (int i = 0; i < rec->blob_cnt; i++)
		_blob(g, rec, i, (uint16_t)_r(g, 65536));
}

static void _other(struct rec_gen *g, struct trace_rec *rec)
{
	static const uint16_t types[] = { TR_PROC_FORK, TR_PROC_EXEC, TR_PROC_EXIT, TR_FD,
					  TR_SAMPLE, TR_USER, TR_MAPPING };

	rec->type = types[_r(g, sizeof(types) / sizeof(types[0]))];
	rec->int_cnt = 1 + (uint8_t)_r(g, 6);
	rec->ints[0] = rec->tid;
	for (int i = 1; i < rec->int_cnt; i++)
		rec->ints[i] = _r(g, 3) ? _r(g, 100000) : _arg(g);
	rec->blob_cnt = (uint8_t)_r(g, 3);
	for (int i = 0; i < rec->blob_cnt; i++)
		_blob(g, rec, i, (uint16_t)i);
}

void rec_gen__next(struct rec_gen *g, struct trace_rec *rec)
{
	uint64_t k = _r(g, 1000);
	uint64_t meta = g->opts.meta_permille ? g->opts.meta_permille : 40;

	rec->int_cnt = 0;
	rec->blob_cnt = 0;
	/* time: small steps, sometimes a jump, sometimes (unless monotonic) backwards */
	g->ts += _r(g, 3000);
	if (k == 999)
		g->ts += 1000000000ull;
	else if (k >= 990 && !g->opts.monotonic_ts)
		g->ts -= _r(g, 5000000);
	rec->ts = g->ts;
	rec->tid = g->tids[_r(g, 64)];
	rec->cpu = _r(g, 1000) ? (uint16_t)_r(g, 4) : UINT16_MAX;

	if (g->opts.big_blob_at && g->idx == g->opts.big_blob_at) {
		rec->type = TR_PROBE_HIT;
		rec->int_cnt = 1;
		rec->ints[0] = 7;
		rec->blob_cnt = 1;
		rec->blobs[0] = (struct trace_blob){ g->big, g->opts.big_blob_sz, 0, 0 };
	} else if (k < 920 - meta) {
		_syscall(g, rec);
	} else if (k < 920 - meta / 4) {
		_thread(g, rec);
	} else if (k < 920) {
		_container(g, rec);
	} else if (k < 940) {
		_drops(g, rec);
	} else if (k < 960) {
		_unknown(g, rec);
	} else {
		_other(g, rec);
	}
	g->idx++;
}

bool rec_equal(const struct trace_rec *a, const struct trace_rec *b, char *why, size_t why_sz)
{
#define DIFF(...)                                          \
	do {                                               \
		snprintf(why, why_sz, __VA_ARGS__);        \
		return false;                              \
	} while (0)
	if (a->type != b->type)
		DIFF("type %u != %u", a->type, b->type);
	if (a->ts != b->ts)
		DIFF("ts %llu != %llu", (unsigned long long)a->ts, (unsigned long long)b->ts);
	if (a->tid != b->tid)
		DIFF("tid %u != %u", a->tid, b->tid);
	if (a->cpu != b->cpu)
		DIFF("cpu %u != %u", a->cpu, b->cpu);
	if (a->int_cnt != b->int_cnt)
		DIFF("int_cnt %u != %u", a->int_cnt, b->int_cnt);
	if (a->blob_cnt != b->blob_cnt)
		DIFF("blob_cnt %u != %u", a->blob_cnt, b->blob_cnt);
	for (int i = 0; i < a->int_cnt && i < TRACE_REC_MAX_INTS; i++)
		if (a->ints[i] != b->ints[i])
			DIFF("ints[%d] %llu != %llu", i, (unsigned long long)a->ints[i],
			     (unsigned long long)b->ints[i]);
	for (int i = 0; i < a->blob_cnt && i < TRACE_REC_MAX_BLOBS; i++) {
		const struct trace_blob *x = &a->blobs[i], *y = &b->blobs[i];

		if (x->tag != y->tag)
			DIFF("blobs[%d].tag %u != %u", i, x->tag, y->tag);
		if (x->sz != y->sz)
			DIFF("blobs[%d].sz %u != %u", i, x->sz, y->sz);
		if (x->sz && memcmp(x->data, y->data, x->sz))
			DIFF("blobs[%d] bytes differ", i);
	}
	return true;
#undef DIFF
}

bool rec_is_catalog(const struct trace_rec *rec)
{
	return (rec->type == TR_THREAD && rec->int_cnt > TR_THREAD_PID &&
		rec->ints[TR_THREAD_PID] == rec->ints[TR_THREAD_TID]) ||
	       rec->type == TR_CONTAINER;
}

int rec_vec__push(struct rec_vec *rv, const struct trace_rec *rec)
{
	struct trace_rec *c;

	if (rv->cnt == rv->cap) {
		size_t cap = rv->cap ? rv->cap * 2 : 1024;
		void *n = realloc(rv->v, cap * sizeof(*rv->v));

		if (!n)
			return -ENOMEM;
		rv->v = n;
		rv->cap = cap;
	}
	c = &rv->v[rv->cnt];
	*c = *rec;
	for (int i = 0; i < rec->blob_cnt; i++) {
		void *d = malloc(rec->blobs[i].sz ? rec->blobs[i].sz : 1);

		if (!d) {
			while (i--)
				free((void *)c->blobs[i].data);
			return -ENOMEM;
		}
		if (rec->blobs[i].sz)
			memcpy(d, rec->blobs[i].data, rec->blobs[i].sz);
		c->blobs[i].data = d;
	}
	rv->cnt++;
	return 0;
}

void rec_vec__release(struct rec_vec *rv)
{
	for (size_t i = 0; i < rv->cnt; i++)
		for (int b = 0; b < rv->v[i].blob_cnt; b++)
			free((void *)rv->v[i].blobs[b].data);
	free(rv->v);
	memset(rv, 0, sizeof(*rv));
}

void rec_expect__init(struct rec_expect *e, bool keep_catalog)
{
	memset(e, 0, sizeof(*e));
	e->keep_catalog = keep_catalog;
}

int rec_expect__note(struct rec_expect *e, const struct trace_rec *rec)
{
	if (!e->rec_cnt || rec->ts < e->min_ts)
		e->min_ts = rec->ts;
	if (rec->ts > e->max_ts)
		e->max_ts = rec->ts;
	e->rec_cnt++;
	if (rec->type < TR_TYPE_MAX)
		e->counts[rec->type]++;
	else
		e->other_cnt++;
	if (rec->type == TR_DROPS && rec->int_cnt > TR_DROPS_COUNT) {
		uint32_t cpu = (uint32_t)rec->ints[TR_DROPS_CPU];
		uint32_t kind = (uint32_t)rec->ints[TR_DROPS_KIND];
		size_t i;

		for (i = 0; i < e->drop_cnt; i++)
			if (e->drops[i].cpu == cpu && e->drops[i].kind == kind)
				break;
		if (i == e->drop_cnt && e->drop_cnt < sizeof(e->drops) / sizeof(e->drops[0]))
			e->drops[e->drop_cnt++] = (struct trace_drop_count){ cpu, kind, 0 };
		if (i < e->drop_cnt)
			e->drops[i].count = rec->ints[TR_DROPS_COUNT];
	}
	if (e->keep_catalog && rec_is_catalog(rec))
		return rec_vec__push(&e->catalog, rec);
	return 0;
}

void rec_expect__release(struct rec_expect *e)
{
	rec_vec__release(&e->catalog);
}
