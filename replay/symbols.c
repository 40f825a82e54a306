// SPDX-License-Identifier: Apache-2.0
/* Symbolization from MAPPING and SYMBOLS records; see symbols.h and docs/format.md. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "elf_syms.h"
#include "hmap.h"
#include "state_alloc.h"
#include "symbols.h"

struct sym {
	uint64_t addr;
	uint32_t size;
	char *name;
};

struct seg {
	uint64_t offset, vaddr, size;
};

/* A symbol table: an object's (by build-id or path) or the kernel's. */
struct table {
	uint8_t build_id[20];
	uint32_t build_id_sz;
	char *path;
	struct seg *segs;
	size_t seg_cnt;
	struct sym *syms;
	size_t sym_cnt, sym_cap;
	bool sorted;
};

struct mapping {
	uint64_t start, end, pgoff;
	uint8_t build_id[20];
	uint32_t build_id_sz;
	char *path;
	struct table *table; /* found lazily */
	bool symfs_tried;
};

struct maps {
	struct mapping *v;
	size_t cnt;
};

struct sr_symbols {
	struct sr_hmap pids; /* pid -> struct maps */
	struct table **tables;
	size_t table_cnt;
	struct table kernel;
	char **event_names;  /* by sample event id */
	size_t event_cnt;
	char *symfs;         /* --symfs: where to look for objects the trace has no table of */
};

struct sr_symbols *sr_symbols__new(void)
{
	return sr_xcalloc(1, sizeof(struct sr_symbols));
}

static void _maps_free(struct maps *m)
{
	for (size_t i = 0; m && i < m->cnt; i++)
		free(m->v[i].path);
	if (m)
		free(m->v);
	free(m);
}

static void _table_release(struct table *t)
{
	for (size_t i = 0; i < t->sym_cnt; i++)
		free(t->syms[i].name);
	free(t->syms);
	free(t->segs);
	free(t->path);
}

void sr_symbols__free(struct sr_symbols *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->pids.cap; i++)
		_maps_free(s->pids.slots[i].val);
	sr_hmap__free(&s->pids);
	for (size_t i = 0; i < s->table_cnt; i++) {
		_table_release(s->tables[i]);
		free(s->tables[i]);
	}
	free(s->tables);
	_table_release(&s->kernel);
	for (size_t i = 0; i < s->event_cnt; i++)
		free(s->event_names[i]);
	free(s->event_names);
	free(s->symfs);
	free(s);
}

static void _add_table(struct sr_symbols *s, struct table *t)
{
	s->tables = sr_xrealloc(s->tables, (s->table_cnt + 1) * sizeof(*s->tables));
	s->tables[s->table_cnt++] = t;
}

/* Append the entries of an encoded table (elf_syms.h) to @t; false if it is malformed. */
static bool _parse_table(struct table *t, const uint8_t *p, size_t len)
{
	struct sr_rcur c;
	uint32_t nseg, nsym;

	sr_rcur__init(&c, p, len);
	nseg = sr_rcur__le32(&c);
	if (c.bad || nseg > len / 24)
		return false;
	t->segs = sr_xrealloc(t->segs, (t->seg_cnt + nseg) * sizeof(*t->segs));
	for (uint32_t i = 0; i < nseg; i++) {
		struct seg *sg = &t->segs[t->seg_cnt + i];

		sg->offset = sr_rcur__le64(&c);
		sg->vaddr = sr_rcur__le64(&c);
		sg->size = sr_rcur__le64(&c);
	}
	if (c.bad)
		return false;
	t->seg_cnt += nseg;
	nsym = sr_rcur__le32(&c);
	if (c.bad || nsym > len / 14)
		return false;
	if (t->sym_cnt + nsym > t->sym_cap) {
		t->sym_cap = t->sym_cnt + nsym;
		t->syms = sr_xrealloc(t->syms, t->sym_cap * sizeof(*t->syms));
	}
	for (uint32_t i = 0; i < nsym; i++) {
		uint64_t addr = sr_rcur__le64(&c);
		uint32_t size = sr_rcur__le32(&c);
		uint16_t nlen = sr_rcur__le16(&c);
		const uint8_t *name = sr_rcur__bytes(&c, nlen);

		if (c.bad)
			return false;
		t->syms[t->sym_cnt++] = (struct sym){ addr, size, sr_xstrndup((const char *)name, nlen) };
	}
	t->sorted = false;
	return true;
}

static const struct trace_blob *_blob(const struct trace_rec *rec, unsigned int i)
{
	return i < rec->blob_cnt ? &rec->blobs[i] : NULL;
}

static void _on_symbols(struct sr_symbols *s, const struct trace_rec *rec)
{
	const struct trace_blob *bid = _blob(rec, 0), *path = _blob(rec, 1), *tab = _blob(rec, 2);
	struct table *t;

	if (rec->int_cnt < 1 || !tab)
		return;
	if (rec->ints[0] == 1) { /* kernel: entries accumulate */
		_parse_table(&s->kernel, tab->data, tab->sz);
		return;
	}
	t = sr_xcalloc(1, sizeof(*t));
	if (bid && bid->sz <= sizeof(t->build_id)) {
		memcpy(t->build_id, bid->data, bid->sz);
		t->build_id_sz = bid->sz;
	}
	t->path = path ? sr_xstrndup(path->data, path->sz) : sr_xstrndup("", 0);
	if (!_parse_table(t, tab->data, tab->sz)) {
		_table_release(t);
		free(t);
		return;
	}
	_add_table(s, t);
}

static void _on_mapping(struct sr_symbols *s, const struct trace_rec *rec)
{
	const struct trace_blob *path = _blob(rec, 0), *bid = _blob(rec, 1);
	struct maps *m;
	struct mapping *mp;
	uint32_t pid;

	if (rec->int_cnt < 4)
		return;
	pid = (uint32_t)rec->ints[0];
	m = sr_hmap__get(&s->pids, pid);
	if (!m) {
		m = sr_xcalloc(1, sizeof(*m));
		if (sr_hmap__put(&s->pids, pid, m))
			sr_state__oom();
	}
	m->v = sr_xrealloc(m->v, (m->cnt + 1) * sizeof(*m->v));
	mp = &m->v[m->cnt++];
	memset(mp, 0, sizeof(*mp));
	mp->start = rec->ints[1];
	mp->end = rec->ints[2];
	mp->pgoff = rec->ints[3];
	mp->path = path ? sr_xstrndup(path->data, path->sz) : sr_xstrndup("", 0);
	if (bid && bid->sz <= sizeof(mp->build_id)) {
		memcpy(mp->build_id, bid->data, bid->sz);
		mp->build_id_sz = bid->sz;
	}
}

static void _on_probe_def(struct sr_symbols *s, const struct trace_rec *rec)
{
	uint64_t id;

	if (rec->int_cnt < 2 || rec->ints[1] != TR_PROBE_SAMPLE || !rec->blob_cnt ||
	    rec->ints[0] > 1024)
		return;
	id = rec->ints[0];
	if (id >= s->event_cnt) {
		s->event_names = sr_xrealloc(s->event_names, (id + 1) * sizeof(*s->event_names));
		memset(s->event_names + s->event_cnt, 0, (id + 1 - s->event_cnt) * sizeof(char *));
		s->event_cnt = id + 1;
	}
	free(s->event_names[id]);
	s->event_names[id] = sr_xstrndup(rec->blobs[0].data, rec->blobs[0].sz);
}

void sr_symbols__record(struct sr_symbols *s, const struct trace_rec *rec)
{
	switch (rec->type) {
	case TR_SYMBOLS:
		_on_symbols(s, rec);
		break;
	case TR_MAPPING:
		_on_mapping(s, rec);
		break;
	case TR_PROBE_DEF:
		_on_probe_def(s, rec);
		break;
	case TR_PROC_EXEC: /* a new image: the old mappings are gone */
		if (rec->int_cnt >= 2)
			_maps_free(sr_hmap__del(&s->pids, rec->ints[1]));
		break;
	}
}

const char *sr_symbols__event_name(struct sr_symbols *s, uint64_t id)
{
	return id < s->event_cnt ? s->event_names[id] : NULL;
}

static int _cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static const struct sym *_lookup(struct table *t, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!t->sym_cnt)
		return NULL;
	if (!t->sorted) {
		qsort(t->syms, t->sym_cnt, sizeof(*t->syms), _cmp_sym);
		t->sorted = true;
	}
	hi = t->sym_cnt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	/* Inside the symbol, or just past a symbol of unknown size (0). */
	if (t->syms[lo - 1].size && addr >= t->syms[lo - 1].addr + t->syms[lo - 1].size)
		return NULL;
	return &t->syms[lo - 1];
}

void sr_symbols__set_symfs(struct sr_symbols *s, const char *dir)
{
	free(s->symfs);
	s->symfs = dir ? sr_xstrndup(dir, strlen(dir)) : NULL;
}

/* The object of @mp from --symfs: DIR/.build-id/xx/rest.debug, then DIR/PATH.  A file whose
 * build-id differs from the recorded one is another binary: refused (perf does the same).
 * A debug file's program headers lost their file offsets (its code is NOBITS), so the
 * segments the trace recorded for the object (@recorded, when there) are used instead. */
static struct table *_from_symfs(struct sr_symbols *s, struct mapping *mp,
				 const struct table *recorded)
{
	char path[4600];
	struct elf_syms es;
	struct table *t;
	int fd = -1;

	if (mp->build_id_sz > 1) {
		int n = snprintf(path, sizeof(path), "%s/.build-id/%02x/", s->symfs, mp->build_id[0]);

		for (uint32_t i = 1; i < mp->build_id_sz; i++)
			n += snprintf(path + n, sizeof(path) - (size_t)n, "%02x", mp->build_id[i]);
		snprintf(path + n, sizeof(path) - (size_t)n, ".debug");
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(path, sizeof(path), "%s%s", s->symfs, mp->path);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return NULL;
	if (elf_syms__load(fd, NULL, &es)) {
		close(fd);
		return NULL;
	}
	close(fd);
	if (mp->build_id_sz && (es.build_id_sz != mp->build_id_sz ||
				memcmp(es.build_id, mp->build_id, mp->build_id_sz))) {
		elf_syms__release(&es);
		return NULL;
	}
	t = sr_xcalloc(1, sizeof(*t));
	memcpy(t->build_id, mp->build_id, mp->build_id_sz);
	t->build_id_sz = mp->build_id_sz;
	t->path = sr_xstrndup(mp->path, strlen(mp->path));
	if (!_parse_table(t, es.table.buf, es.table.len)) {
		_table_release(t);
		free(t);
		t = NULL;
	} else {
		if (recorded && recorded->seg_cnt) {
			free(t->segs);
			t->segs = sr_xcalloc(recorded->seg_cnt, sizeof(*t->segs));
			memcpy(t->segs, recorded->segs, recorded->seg_cnt * sizeof(*t->segs));
			t->seg_cnt = recorded->seg_cnt;
		}
		_add_table(s, t);
	}
	elf_syms__release(&es);
	return t;
}

/* The trace's table of @mp's object; --symfs when the trace has none, or an empty one (a
 * stripped binary: its symbols live in a debug file elsewhere). */
static struct table *_table_of(struct sr_symbols *s, struct mapping *mp)
{
	struct table *found = NULL;

	if (mp->table)
		return mp->table;
	for (size_t i = 0; i < s->table_cnt && !(found && found->sym_cnt); i++) {
		struct table *t = s->tables[i];

		if (mp->build_id_sz ? t->build_id_sz == mp->build_id_sz &&
				      !memcmp(t->build_id, mp->build_id, mp->build_id_sz)
				    : !strcmp(t->path, mp->path))
			found = t; /* a later one with symbols (from --symfs) wins */
	}
	if ((!found || !found->sym_cnt) && s->symfs && !mp->symfs_tried) {
		struct table *t;

		mp->symfs_tried = true;
		t = _from_symfs(s, mp, found);
		if (t)
			found = t;
	}
	return mp->table = found;
}

void sr_symbols__resolve(struct sr_symbols *s, uint32_t pid, uint64_t ip, bool kernel,
			 struct sr_sym *out)
{
	const struct sym *sym;
	struct maps *m;

	memset(out, 0, sizeof(*out));
	if (kernel) {
		out->object = "[kernel]";
		sym = _lookup(&s->kernel, ip);
		if (sym) {
			out->name = sym->name;
			out->offset = ip - sym->addr;
		}
		return;
	}
	m = sr_hmap__get(&s->pids, pid);
	for (size_t i = 0; m && i < m->cnt; i++) {
		struct mapping *mp = &m->v[i];
		struct table *t;
		uint64_t foff;

		if (ip < mp->start || ip >= mp->end)
			continue;
		out->object = mp->path;
		t = _table_of(s, mp);
		if (!t)
			return;
		/* address -> file offset -> the ELF's own address, by its executable segment */
		foff = ip - mp->start + mp->pgoff;
		for (size_t k = 0; k < t->seg_cnt; k++) {
			const struct seg *sg = &t->segs[k];

			if (foff < sg->offset || foff >= sg->offset + sg->size)
				continue;
			sym = _lookup(t, foff - sg->offset + sg->vaddr);
			if (sym) {
				out->name = sym->name;
				out->offset = foff - sg->offset + sg->vaddr - sym->addr;
			}
			return;
		}
		return;
	}
}
