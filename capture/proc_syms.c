// SPDX-License-Identifier: Apache-2.0
/* Mappings and symbol tables for samples; see proc_syms.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "mono_clock.h"
#include "elf_syms.h"
#include "hmap.h"
#include "proc_syms.h"
#include "record.h"
#include "root_open.h"
#include "sr_log.h"

#define REREAD_NS 10000000ull /* re-read a process's maps at most every 10 ms */

enum { SYMS_KERNEL = 1, SYMS_USER = 2 };

struct obj {
	uint64_t dev, ino;
	uint8_t build_id[20];
	size_t build_id_sz;
	bool loaded; /* SYMBOLS written (or the file could not be read: nothing to write) */
};

struct range {
	uint64_t start, end, pgoff;
	struct obj *obj;
};

struct pmap {
	struct range *v;
	size_t cnt;
	uint64_t read_ns;
};

struct ksym {
	uint64_t addr;
	char *name;
	bool written;
};

struct proc_syms {
	struct sr_hmap pids; /* pid -> struct pmap */
	struct obj **objs;
	size_t obj_cnt;
	struct ksym *ksyms;
	size_t ksym_cnt;
	bool kloaded;
};

int proc_syms__new(struct proc_syms **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void _pmap_free(struct pmap *m)
{
	if (m)
		free(m->v);
	free(m);
}

void proc_syms__forget(struct proc_syms *ps, uint32_t pid)
{
	_pmap_free(sr_hmap__del(&ps->pids, pid));
}

void proc_syms__free(struct proc_syms *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->pids.cap; i++)
		_pmap_free(ps->pids.slots[i].val);
	sr_hmap__free(&ps->pids);
	for (size_t i = 0; i < ps->obj_cnt; i++)
		free(ps->objs[i]);
	free(ps->objs);
	for (size_t i = 0; i < ps->ksym_cnt; i++)
		free(ps->ksyms[i].name);
	free(ps->ksyms);
	free(ps);
}

/* ---- user objects ---- */

static struct obj *_obj(struct proc_syms *ps, uint64_t dev, uint64_t ino)
{
	struct obj *o, **v;

	for (size_t i = 0; i < ps->obj_cnt; i++)
		if (ps->objs[i]->dev == dev && ps->objs[i]->ino == ino)
			return ps->objs[i];
	o = calloc(1, sizeof(*o));
	v = o ? realloc(ps->objs, (ps->obj_cnt + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(o);
		return NULL;
	}
	ps->objs = v;
	o->dev = dev;
	o->ino = ino;
	ps->objs[ps->obj_cnt++] = o;
	return o;
}

/* An object with this build-id was written already (the same library in two containers). */
static bool _written_by_id(struct proc_syms *ps, const struct obj *o)
{
	for (size_t i = 0; i < ps->obj_cnt; i++)
		if (ps->objs[i] != o && ps->objs[i]->loaded &&
		    ps->objs[i]->build_id_sz == o->build_id_sz && o->build_id_sz &&
		    !memcmp(ps->objs[i]->build_id, o->build_id, o->build_id_sz))
			return true;
	return false;
}

/* A debug file, inside the root of the process that mapped the object. */
static int _open_debug(const char *path, void *ctx)
{
	int root_fd = *(int *)ctx;

	return root_fd < 0 ? -ENOENT : root_open(root_fd, path, ROOT_OPEN_ELF_MAX, NULL);
}

/*
 * The object of mapping @range of @pid: the very file mapped (map_files), else @path inside
 * the process's root; never a device, a FIFO or a link out of that root.  @return fd or -errno.
 */
static int _open_obj(uint32_t pid, const char *range, const char *path, int root_fd)
{
	char file[128];
	int fd;

	snprintf(file, sizeof(file), "/proc/%u/map_files/%s", pid, range);
	fd = root_open__magic(file, ROOT_OPEN_ELF_MAX, NULL);
	if ((fd == -ENOENT || fd == -EACCES || fd == -EPERM) && root_fd >= 0)
		fd = root_open(root_fd, path, ROOT_OPEN_ELF_MAX, NULL);
	return fd;
}

/* Read the object of mapping @range through the process and write its SYMBOLS. */
static int _load_obj(struct proc_syms *ps, struct obj *o, struct trace_writer *w, uint64_t ts,
		     uint32_t pid, const char *range, const char *path)
{
	int root_fd = root_open__dir((pid_t)pid);
	struct elf_syms_debug dbg = { _open_debug, &root_fd };
	struct elf_syms es;
	int fd, err;

	o->loaded = true;
	fd = _open_obj(pid, range, path, root_fd);
	if (fd < 0) {
		if (root_fd >= 0)
			close(root_fd);
		return 0; /* gone already, or not a file to read: its addresses stay unnamed */
	}
	err = elf_syms__load(fd, &dbg, &es);
	close(fd);
	if (root_fd >= 0)
		close(root_fd);
	if (err)
		return err == -ENOMEM ? err : 0;
	memcpy(o->build_id, es.build_id, es.build_id_sz);
	o->build_id_sz = es.build_id_sz;
	if (!_written_by_id(ps, o)) {
		struct trace_rec rec = { .type = TR_SYMBOLS, .ts = ts, .int_cnt = 1, .blob_cnt = 3 };

		rec.ints[0] = SYMS_USER;
		rec.blobs[0] = (struct trace_blob){ o->build_id, (uint32_t)o->build_id_sz, 0, 0 };
		rec.blobs[1] = (struct trace_blob){ path, (uint32_t)strlen(path), 1, 0 };
		rec.blobs[2] = (struct trace_blob){ es.table.buf, (uint32_t)es.table.len, 2, 0 };
		err = trace_writer__append(w, &rec);
	}
	elf_syms__release(&es);
	return err;
}

static bool _known(const struct pmap *m, uint64_t start)
{
	for (size_t i = 0; i < m->cnt; i++)
		if (m->v[i].start == start)
			return true;
	return false;
}

/* (Re)read /proc/PID/maps: new executable file mappings get MAPPING records. */
static int _read_maps(struct proc_syms *ps, struct pmap *m, struct trace_writer *w, uint64_t ts,
		      uint32_t pid)
{
	char path[64], line[4400], range[64], perms[8], file[4097];
	unsigned int maj, min;
	unsigned long long start, end, off, ino;
	int err = 0;
	FILE *f;

	m->read_ns = mono_ns();
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (!err && fgets(line, sizeof(line), f)) {
		struct trace_rec rec = { .type = TR_MAPPING, .ts = ts, .tid = pid };
		struct range *v;
		struct obj *o;

		file[0] = '\0';
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %4096[^\n]", &start, &end, perms, &off,
			   &maj, &min, &ino, file) < 7 || perms[2] != 'x')
			continue;
		if (file[0] != '/' || _known(m, start))
			continue;
		char *del = strstr(file, " (deleted)");

		if (del)
			*del = '\0';
		o = _obj(ps, makedev(maj, min), ino);
		v = o ? realloc(m->v, (m->cnt + 1) * sizeof(*v)) : NULL;
		if (!v) {
			err = -ENOMEM;
			break;
		}
		m->v = v;
		m->v[m->cnt++] = (struct range){ start, end, off, o };
		snprintf(range, sizeof(range), "%llx-%llx", start, end);
		if (!o->loaded)
			err = _load_obj(ps, o, w, ts, pid, range, file);
		rec.ints[0] = pid;
		rec.ints[1] = start;
		rec.ints[2] = end;
		rec.ints[3] = off;
		rec.ints[4] = o->dev;
		rec.ints[5] = o->ino;
		rec.int_cnt = 6;
		rec.blobs[0] = (struct trace_blob){ file, (uint32_t)strlen(file), 0, 0 };
		rec.blobs[1] = (struct trace_blob){ o->build_id, (uint32_t)o->build_id_sz, 1, 0 };
		rec.blob_cnt = 2;
		err = err ?: trace_writer__append(w, &rec);
	}
	fclose(f);
	return err;
}

static bool _mapped(const struct pmap *m, uint64_t ip)
{
	for (size_t i = 0; i < m->cnt; i++)
		if (ip >= m->v[i].start && ip < m->v[i].end)
			return true;
	return false;
}

static int _user(struct proc_syms *ps, struct trace_writer *w, uint64_t ts, uint32_t pid,
		 const uint64_t *ips, size_t cnt)
{
	struct pmap *m = sr_hmap__get(&ps->pids, pid);
	bool fresh = false;

	if (!cnt)
		return 0;
	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m || sr_hmap__put(&ps->pids, pid, m)) {
			free(m);
			return -ENOMEM;
		}
		fresh = true;
	}
	for (size_t i = 0; i < cnt && !fresh; i++) {
		if (_mapped(m, ips[i]))
			continue;
		/* Not mapped: a dlopen since.  JIT code never is: do not thrash. */
		if (mono_ns() - m->read_ns < REREAD_NS)
			return 0;
		fresh = true;
	}
	return fresh ? _read_maps(ps, m, w, ts, pid) : 0;
}

/* ---- kernel ---- */

static int _cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void _load_kallsyms(struct proc_syms *ps)
{
	char line[512], name[256], type;
	unsigned long long addr;
	size_t cap = 0;
	FILE *f;

	ps->kloaded = true;
	f = fopen("/proc/kallsyms", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &addr, &type, name) != 3 || !addr ||
		    (type != 't' && type != 'T' && type != 'w' && type != 'W'))
			continue;
		if (ps->ksym_cnt == cap) {
			struct ksym *v = realloc(ps->ksyms, (cap = cap ? cap * 2 : 65536) * sizeof(*v));

			if (!v)
				break;
			ps->ksyms = v;
		}
		ps->ksyms[ps->ksym_cnt].addr = addr;
		ps->ksyms[ps->ksym_cnt].written = false;
		ps->ksyms[ps->ksym_cnt].name = strdup(name);
		if (ps->ksyms[ps->ksym_cnt].name)
			ps->ksym_cnt++;
	}
	fclose(f);
	if (ps->ksym_cnt)
		qsort(ps->ksyms, ps->ksym_cnt, sizeof(*ps->ksyms), _cmp_ksym);
	if (!ps->ksym_cnt)
		sr_warn("record: /proc/kallsyms shows no addresses (kptr_restrict?): kernel stacks "
			"will not be named");
}

static struct ksym *_ksym(struct proc_syms *ps, uint64_t ip)
{
	size_t lo = 0, hi = ps->ksym_cnt;

	while (lo < hi) { /* the last symbol at or below ip */
		size_t mid = lo + (hi - lo) / 2;

		if (ps->ksyms[mid].addr <= ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &ps->ksyms[lo - 1] : NULL;
}

static int _kernel(struct proc_syms *ps, struct trace_writer *w, uint64_t ts, const uint64_t *ips,
		   size_t cnt)
{
	struct trace_rec rec = { .type = TR_SYMBOLS, .ts = ts, .int_cnt = 1, .blob_cnt = 3 };
	struct sr_wbuf b = {};
	size_t n = 0;
	int err;

	if (!cnt)
		return 0;
	if (!ps->kloaded)
		_load_kallsyms(ps);
	for (size_t i = 0; i < cnt; i++) {
		struct ksym *k = _ksym(ps, ips[i]);

		if (k && !k->written)
			n++;
	}
	if (!n)
		return 0;
	sr_wbuf__le32(&b, 0);
	sr_wbuf__le32(&b, (uint32_t)n);
	for (size_t i = 0; i < cnt; i++) {
		struct ksym *k = _ksym(ps, ips[i]);
		uint64_t size;

		if (!k || k->written)
			continue;
		k->written = true;
		size = k + 1 < ps->ksyms + ps->ksym_cnt ? (k + 1)->addr - k->addr : 4096;
		elf_syms__put_sym(&b, k->addr, size > UINT32_MAX ? UINT32_MAX : (uint32_t)size,
				  k->name);
	}
	if (b.oom) {
		sr_wbuf__release(&b);
		return -ENOMEM;
	}
	rec.ints[0] = SYMS_KERNEL;
	rec.blobs[0] = (struct trace_blob){ "", 0, 0, 0 };
	rec.blobs[1] = (struct trace_blob){ "[kernel]", 8, 1, 0 };
	rec.blobs[2] = (struct trace_blob){ b.buf, (uint32_t)b.len, 2, 0 };
	err = trace_writer__append(w, &rec);
	sr_wbuf__release(&b);
	return err;
}

int proc_syms__sample(struct proc_syms *ps, struct trace_writer *w, uint64_t ts, uint32_t pid,
		      const uint64_t *uips, size_t ucnt, const uint64_t *kips, size_t kcnt)
{
	int err = _user(ps, w, ts, pid, uips, ucnt);

	return err ?: _kernel(ps, w, ts, kips, kcnt);
}
