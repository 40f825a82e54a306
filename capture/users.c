// SPDX-License-Identifier: Apache-2.0
/* USER and GROUP records per mount namespace, from its own passwd and group files. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record.h"
#include "root_open.h"
#include "sr_error.h"
#include "sr_log.h"
#include "users.h"

enum { F_PASSWD, F_GROUP, F_CNT };

static const char *const file_paths[F_CNT] = { "/etc/passwd", "/etc/group" };

/* What a file was when read: a change in any of these reads it again. */
struct file_id {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtim, ctim;
	bool present;
};

struct ns_users {
	uint64_t mnt_ns;
	dev_t root_dev; /* the root the files were read in */
	ino_t root_ino;
	struct file_id files[F_CNT];
};

struct users {
	struct ns_users *v; /* namespaces read; a capture meets a handful */
	size_t cnt, cap;
	uint64_t own_mnt;   /* the recorder's own mount namespace and root */
	dev_t own_root_dev;
	ino_t own_root_ino;
};

int users__new(struct users **out)
{
	struct users *u = calloc(1, sizeof(*u));
	struct stat st;

	if (!u)
		return -ENOMEM;
	if (!stat("/proc/self/ns/mnt", &st))
		u->own_mnt = st.st_ino;
	if (!stat("/", &st)) {
		u->own_root_dev = st.st_dev;
		u->own_root_ino = st.st_ino;
	}
	*out = u;
	return 0;
}

void users__free(struct users *u)
{
	if (!u)
		return;
	free(u->v);
	free(u);
}

/* ---- parsing ---- */

/* Split a passwd/group line in place into at most @max ':'-separated fields. */
static int _fields(char *line, char **f, int max)
{
	int n = 0;

	while (n < max) {
		f[n++] = line;
		line = strchr(line, ':');
		if (!line)
			break;
		*line++ = 0;
	}
	return n;
}

static int _num(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1; /* strtoull takes spaces and a sign */
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > UINT32_MAX ? -1 : 0;
}

static int _entry(char *line, bool group, user_ent_fn fn, void *ctx)
{
	struct user_ent e = {};
	char *f[7];
	int cnt = _fields(line, f, 7);

	if (group) {
		if (cnt < 3 || _num(f[2], &e.id))
			return 0;
		e.name = f[0];
		return fn(&e, ctx);
	}
	if (cnt < 7 || _num(f[2], &e.id) || _num(f[3], &e.gid))
		return 0;
	e.name = f[0];
	e.home = f[5];
	e.shell = f[6];
	return fn(&e, ctx);
}

int users__parse(const char *text, size_t len, bool group, user_ent_fn fn, void *ctx)
{
	const char *p = text, *end = text + len;
	int err = 0;

	for (size_t n = 0; !err && p < end && n < USERS_MAX_ENTRIES; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		/* a NUL ends the line early: strchr and strlen stop there */
		if (line_len <= USERS_MAX_LINE && memchr(p, '\0', line_len) == NULL) {
			char line[USERS_MAX_LINE + 1];

			memcpy(line, p, line_len);
			line[line_len] = '\0';
			err = _entry(line, group, fn, ctx);
		}
		p += line_len + 1;
	}
	return err;
}

/* ---- writing ---- */

struct write_ctx {
	struct trace_writer *w;
	uint64_t ts, mnt_ns;
	bool group;
};

static struct trace_blob _blob(const char *s, uint16_t tag)
{
	return (struct trace_blob){ s, (uint32_t)strlen(s), tag, TRACE_BLOB_F_INTERN };
}

static int _write_ent(const struct user_ent *e, void *arg)
{
	struct write_ctx *c = arg;
	struct trace_rec rec = { .type = c->group ? TR_GROUP : TR_USER, .ts = c->ts };

	if (c->group) {
		rec.ints[0] = e->id;
		rec.ints[1] = c->mnt_ns;
		rec.int_cnt = 2;
		rec.blobs[0] = _blob(e->name, 0);
		rec.blob_cnt = 1;
	} else {
		rec.ints[0] = e->id;
		rec.ints[1] = e->gid;
		rec.ints[2] = c->mnt_ns;
		rec.int_cnt = 3;
		rec.blobs[0] = _blob(e->name, 0);
		rec.blobs[1] = _blob(e->home, 1);
		rec.blobs[2] = _blob(e->shell, 2);
		rec.blob_cnt = 3;
	}
	return trace_writer__append(c->w, &rec);
}

static void _file_id(struct file_id *id, const struct stat *st)
{
	*id = (struct file_id){ st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim,
				true };
}

static bool _same_file(const struct file_id *a, const struct file_id *b)
{
	if (a->present != b->present)
		return false;
	return !a->present || (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
			       a->mtim.tv_sec == b->mtim.tv_sec &&
			       a->mtim.tv_nsec == b->mtim.tv_nsec &&
			       a->ctim.tv_sec == b->ctim.tv_sec && a->ctim.tv_nsec == b->ctim.tv_nsec);
}

/* The identity of what @path is inside @root_fd, a FIFO or a device too (a file replaced by
 * one is a change); absent when there is nothing. */
static void _stat_id(int root_fd, const char *path, struct file_id *id)
{
	struct stat st;
	int err = root_open__stat(root_fd, path, &st);

	*id = (struct file_id){ 0 };
	if (!err || err == -EINVAL)
		_file_id(id, &st);
}

/* Read and write the two files of @ns inside @root_fd.  @return 0 or the writer's error. */
static int _read_ns(struct ns_users *ns, int root_fd, struct trace_writer *w, uint64_t ts)
{
	for (int f = 0; f < F_CNT; f++) {
		struct write_ctx c = { w, ts, ns->mnt_ns, f == F_GROUP };
		struct stat st;
		char *buf;
		size_t len;
		int err = root_open__read(root_fd, file_paths[f], ROOT_OPEN_TEXT_MAX, &buf, &len, &st);

		ns->files[f].present = false;
		if (err == -ENOMEM)
			return err;
		if (err) {
			if (err != -ENOENT) /* a link out of the root, a FIFO, a device, too big */
				sr_info("mount namespace %llu: %s not read: %s",
					(unsigned long long)ns->mnt_ns, file_paths[f], sr_strerror(err));
			_stat_id(root_fd, file_paths[f], &ns->files[f]); /* said once, until it changes */
			continue;
		}
		_file_id(&ns->files[f], &st);
		err = users__parse(buf, len, f == F_GROUP, _write_ent, &c);
		free(buf);
		if (err)
			return err;
	}
	return 0;
}

static struct ns_users *_find(struct users *u, uint64_t mnt_ns)
{
	for (size_t i = 0; i < u->cnt; i++)
		if (u->v[i].mnt_ns == mnt_ns)
			return &u->v[i];
	return NULL;
}

static struct ns_users *_add(struct users *u, uint64_t mnt_ns)
{
	if (u->cnt == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;
		struct ns_users *v = realloc(u->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		u->v = v;
		u->cap = cap;
	}
	u->v[u->cnt] = (struct ns_users){ .mnt_ns = mnt_ns };
	return &u->v[u->cnt++];
}

/* The namespace's files are as they were read, in the same root. */
static bool _unchanged(const struct ns_users *ns, int root_fd, const struct stat *root)
{
	if (ns->root_dev != root->st_dev || ns->root_ino != root->st_ino)
		return false;
	for (int f = 0; f < F_CNT; f++) {
		struct file_id now;

		_stat_id(root_fd, file_paths[f], &now);
		if (!_same_file(&now, &ns->files[f]))
			return false;
	}
	return true;
}

/* Read @mnt_ns in the root of @pid: the first time only (@first_only), or when due.  @return 0 or the writer's error. */
static int _update(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		   uint64_t mnt_ns, bool first_only, bool exec)
{
	struct ns_users *ns = _find(u, mnt_ns);
	struct stat root;
	int root_fd, err = 0;

	if (ns && (first_only || !exec))
		return 0;
	root_fd = root_open__dir(pid);
	if (root_fd < 0)
		return 0; /* gone: the next process of the namespace will do */
	if (fstat(root_fd, &root))
		goto out_close;
	if (!ns) {
		/* a runtime's process between unshare and pivot_root: the host's files */
		bool host_root = root.st_dev == u->own_root_dev && root.st_ino == u->own_root_ino;

		if (!first_only && !exec && mnt_ns != u->own_mnt && host_root)
			goto out_close;
		ns = _add(u, mnt_ns);
		if (!ns) {
			err = -ENOMEM;
			goto out_close;
		}
	} else if (_unchanged(ns, root_fd, &root)) {
		goto out_close;
	}
	ns->root_dev = root.st_dev;
	ns->root_ino = root.st_ino;
	err = _read_ns(ns, root_fd, w, ts);
out_close:
	close(root_fd);
	return err;
}

int users__write_ns(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		    uint64_t mnt_ns)
{
	return _update(u, w, ts, pid, mnt_ns, true, false);
}

int users__thread(struct users *u, struct trace_writer *w, uint64_t ts, pid_t pid,
		  uint64_t mnt_ns, bool exec)
{
	return _update(u, w, ts, pid, mnt_ns, false, exec);
}
