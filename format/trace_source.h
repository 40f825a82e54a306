/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where a trace reader gets its bytes: a small vtable with a file backend and a memory backend,
 * so tests and fuzzers feed bytes directly without temporary files.
 */
#ifndef SYSREC_TRACE_SOURCE_H
#define SYSREC_TRACE_SOURCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct trace_source {
	/* Read up to @sz bytes at @off; returns the count (short only at end of data), or -errno. */
	ssize_t (*pread)(struct trace_source *s, void *buf, size_t sz, uint64_t off);
	/* Total size in bytes, or -errno. */
	int64_t (*size)(struct trace_source *s);
	/* Release the source and its memory. */
	void (*close)(struct trace_source *s);
	const char *name; /* for messages: the path, or "<memory>" */
};

/* Open @path read-only; a regular file only.  @return 0, or -errno (-ENOENT, -EACCES, ...),
 * -EISDIR for a directory, -ESPIPE for anything else that is not a regular file (a FIFO or a
 * pipe, a socket, a device). */
int trace_source__open_file(const char *path, struct trace_source **out);
/* Wrap @sz bytes at @buf, which the caller keeps alive until close.  @return 0 or -ENOMEM. */
int trace_source__open_mem(const void *buf, size_t sz, struct trace_source **out);
/* Close @s; NULL is allowed. */
void trace_source__close(struct trace_source *s);

#endif
