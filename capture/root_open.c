// SPDX-License-Identifier: Apache-2.0
/* Files opened inside a process's root, never through a link out of it; see root_open.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "root_open.h"
#include "sr_log.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define EAGAIN_TRIES 8 /* openat2 says EAGAIN when a rename raced a ".." walk: try again */

static int _openat2(int dir_fd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags, .resolve = resolve };
	static bool warned;
	long fd = -1;

	for (int i = 0; i < EAGAIN_TRIES; i++) {
		fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof(how));
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS && errno != E2BIG)
		return -errno;
	if (!warned)
		sr_warn("openat2 is not available: files of containers (users, symbols) are not "
			"read");
	warned = true;
	return -EOPNOTSUPP;
}

/* Check the O_PATH fd @pfd (which this closes) and reopen it for reading. */
static int _reopen(int pfd, uint64_t max_sz, struct stat *st)
{
	struct stat tmp, *s = st ? st : &tmp;
	char self[64];
	int fd;

	if (fstat(pfd, s)) {
		fd = -errno;
		goto out_close;
	}
	if (!S_ISREG(s->st_mode)) {
		fd = -EINVAL;
		goto out_close;
	}
	if ((uint64_t)s->st_size > max_sz) {
		fd = -EFBIG;
		goto out_close;
	}
	/* the same inode: what was checked is what is read */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		fd = -errno;
out_close:
	close(pfd);
	return fd;
}

int root_open__dir(pid_t pid)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int _open_path(int root_fd, const char *path)
{
	return _openat2(root_fd, path, O_PATH | O_CLOEXEC,
			RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int root_open(int root_fd, const char *path, uint64_t max_sz, struct stat *st)
{
	int pfd = _open_path(root_fd, path);

	return pfd < 0 ? pfd : _reopen(pfd, max_sz, st);
}

int root_open__pid(pid_t pid, const char *path, uint64_t max_sz, struct stat *st)
{
	int root_fd = root_open__dir(pid), fd;

	if (root_fd < 0)
		return root_fd;
	fd = root_open(root_fd, path, max_sz, st);
	close(root_fd);
	return fd;
}

int root_open__stat(int root_fd, const char *path, struct stat *st)
{
	int pfd = _open_path(root_fd, path), err = 0;

	if (pfd < 0)
		return pfd;
	if (fstat(pfd, st))
		err = -errno;
	else if (!S_ISREG(st->st_mode))
		err = -EINVAL;
	close(pfd);
	return err;
}

int root_open__magic(const char *path, uint64_t max_sz, struct stat *st)
{
	int pfd = open(path, O_PATH | O_CLOEXEC);

	return pfd < 0 ? -errno : _reopen(pfd, max_sz, st);
}

int root_open__read(int root_fd, const char *path, size_t max_sz, char **buf, size_t *len,
		    struct stat *st)
{
	struct stat tmp, *s = st ? st : &tmp;
	size_t n = 0, cap;
	char *b;
	int fd, err = 0;

	*buf = NULL;
	*len = 0;
	fd = root_open(root_fd, path, max_sz, s);
	if (fd < 0)
		return fd;
	cap = (size_t)s->st_size + 1; /* +1: a file that grew since is seen to */
	b = malloc(cap + 1);
	if (!b) {
		err = -ENOMEM;
		goto out_close;
	}
	while (n < cap) {
		ssize_t r = read(fd, b + n, cap - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			break;
		}
		if (!r)
			break;
		n += (size_t)r;
	}
	if (!err && n > max_sz)
		err = -EFBIG;
	if (err) {
		free(b);
		goto out_close;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
out_close:
	close(fd);
	return err;
}
