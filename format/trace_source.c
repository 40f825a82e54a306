// SPDX-License-Identifier: Apache-2.0
/* The two trace sources: a file read with pread(), and a caller-owned memory buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_source.h"

struct file_source {
	struct trace_source base;
	int fd;
	char *path;
};

struct mem_source {
	struct trace_source base;
	const uint8_t *buf;
	size_t sz;
};

static ssize_t _file_pread(struct trace_source *s, void *buf, size_t sz, uint64_t off)
{
	struct file_source *f = (struct file_source *)s;
	size_t done = 0;

	while (done < sz) {
		ssize_t n = pread(f->fd, (uint8_t *)buf + done, sz - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static int64_t _file_size(struct trace_source *s)
{
	struct file_source *f = (struct file_source *)s;
	struct stat st;

	if (fstat(f->fd, &st))
		return -errno;
	return st.st_size;
}

static void _file_close(struct trace_source *s)
{
	struct file_source *f = (struct file_source *)s;

	close(f->fd);
	free(f->path);
	free(f);
}

int trace_source__open_file(const char *path, struct trace_source **out)
{
	struct file_source *f;
	struct stat st;
	int fd, err;

	/* O_NONBLOCK: a FIFO without a writer must not hang the open; it is refused below. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto out_close;
	}
	/* The reader reads at any offset and trusts the size: only a regular file gives both
	 * (a pipe has no offsets, /dev/zero no end). */
	if (!S_ISREG(st.st_mode)) {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -ESPIPE;
		goto out_close;
	}
	if (fcntl(fd, F_SETFL, 0)) {
		err = -errno;
		goto out_close;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		err = -ENOMEM;
		goto out_close;
	}
	f->path = strdup(path);
	if (!f->path) {
		free(f);
		err = -ENOMEM;
		goto out_close;
	}
	f->fd = fd;
	f->base.pread = _file_pread;
	f->base.size = _file_size;
	f->base.close = _file_close;
	f->base.name = f->path;
	*out = &f->base;
	return 0;
out_close:
	close(fd);
	return err;
}

static ssize_t _mem_pread(struct trace_source *s, void *buf, size_t sz, uint64_t off)
{
	struct mem_source *m = (struct mem_source *)s;

	if (off >= m->sz)
		return 0;
	if (sz > m->sz - off)
		sz = m->sz - off;
	memcpy(buf, m->buf + off, sz);
	return (ssize_t)sz;
}

static int64_t _mem_size(struct trace_source *s)
{
	return (int64_t)((struct mem_source *)s)->sz;
}

static void _mem_close(struct trace_source *s)
{
	free(s);
}

int trace_source__open_mem(const void *buf, size_t sz, struct trace_source **out)
{
	struct mem_source *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->buf = buf;
	m->sz = sz;
	m->base.pread = _mem_pread;
	m->base.size = _mem_size;
	m->base.close = _mem_close;
	m->base.name = "<memory>";
	*out = &m->base;
	return 0;
}

void trace_source__close(struct trace_source *s)
{
	if (s)
		s->close(s);
}
