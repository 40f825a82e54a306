/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Opening a file on behalf of a process, inside that process's root.  The recorder runs as
 * root on the host; a container's files (its /etc/passwd, its binaries, their debug files)
 * are the container's to choose, including absolute symlinks such as /etc/passwd ->
 * /etc/shadow.  Every such path is resolved with openat2(2) under /proc/PID/root with
 * RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS: an absolute link or ".." stays inside that root and
 * /proc/.../fd links are refused.  The file is first opened with O_PATH (opening a device or a
 * FIFO has effects, or blocks), must be a regular file no larger than the caller's cap, and
 * only then is reopened for reading (through /proc/self/fd, the same inode).
 *
 * Without openat2 (kernels before 5.6, or a seccomp filter that hides it) nothing is opened:
 * -EOPNOTSUPP, and one warning.  Following links by hand is what this module exists to avoid.
 */
#ifndef SYSREC_ROOT_OPEN_H
#define SYSREC_ROOT_OPEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define ROOT_OPEN_TEXT_MAX (4u << 20)    /* /etc/passwd, /etc/group */
#define ROOT_OPEN_ELF_MAX (1ull << 30)   /* binaries, libraries, debug files (mmap'ed) */

/*
 * root_open__dir - the root directory of process @pid, as an O_PATH directory fd to pass to
 * root_open().  @return the fd (the caller closes it), or -errno (-ENOENT: the process is gone).
 */
int root_open__dir(pid_t pid);

/*
 * root_open - open @path (absolute or not: both are taken from @root_fd) for reading,
 * resolved inside @root_fd.
 * @max_sz: the largest size accepted.
 * @st: filled with the file's stat when not NULL.
 * @return a read-only fd (O_CLOEXEC, O_NONBLOCK; the caller closes it), or -errno: -ENOENT and
 * the like from the resolution, -ELOOP for a /proc magic link, -EINVAL when not a regular
 * file (a FIFO, a device, a directory), -EFBIG when larger than @max_sz, -EOPNOTSUPP without
 * openat2.
 */
int root_open(int root_fd, const char *path, uint64_t max_sz, struct stat *st);

/* root_open() in the root of process @pid.  @return the same, -ENOENT when @pid is gone. */
int root_open__pid(pid_t pid, const char *path, uint64_t max_sz, struct stat *st);

/*
 * root_open__stat - only the stat of @path inside @root_fd (nothing is opened for reading).
 * @return 0, or -errno as root_open() (-EINVAL: not a regular file; *@st is then filled).
 */
int root_open__stat(int root_fd, const char *path, struct stat *st);

/*
 * root_open__magic - open a link the kernel resolves itself (/proc/PID/map_files/RANGE: the
 * very file a process mapped) with the same checks: regular, at most @max_sz, never a device.
 * @return a read-only fd or -errno as root_open().
 */
int root_open__magic(const char *path, uint64_t max_sz, struct stat *st);

/*
 * root_open__read - the whole of @path inside @root_fd, at most @max_sz bytes.
 * @buf: set to a malloc'ed copy, NUL-terminated (the caller frees it); @len: its length.
 * @return 0, or -errno as root_open(), -EFBIG if it grew past @max_sz, -ENOMEM.
 */
int root_open__read(int root_fd, const char *path, size_t max_sz, char **buf, size_t *len,
		    struct stat *st);

#endif
