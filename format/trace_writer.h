/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing a trace file.
 *
 * trace_writer__append() only encodes the record into the columns of the open chunk (tens of
 * nanoseconds, no system call, no allocation once the buffers have grown); a full chunk is
 * handed to the writer's own thread, which compresses it with zstd, checksums it and writes it.
 * The capture path therefore never waits for compression or for the disk, unless the
 * thread falls `queue_depth` chunks behind (then append waits; `stall_ns` counts it).
 *
 * An error on the writer thread (a full disk, an I/O error) is sticky: the next append, flush
 * or close returns it.  Everything written before is a valid trace file up to its last
 * complete chunk.
 *
 * Not thread-safe: one thread appends (the writer's own thread is internal).
 */
#ifndef SYSREC_TRACE_WRITER_H
#define SYSREC_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "props.h"
#include "record.h"
#include "sr_error.h"

struct trace_writer;

struct trace_writer_opts {
	size_t sz;            /* sizeof(struct trace_writer_opts), for ABI growth */
	int zstd_level;       /* 0: default 1 */
	uint32_t chunk_sz;    /* raw bytes per chunk before compression; 0: 1 MiB */
	uint32_t queue_depth; /* chunks queued for the writer thread; 0: 8 */
	int zstd_workers;     /* zstd's own worker threads; 0: none (the writer thread only) */
};

struct trace_writer_stats {
	uint64_t rec_cnt;   /* records appended */
	uint64_t chunk_cnt; /* chunks written to the file */
	uint64_t raw_sz;    /* chunk bytes before compression (written chunks) */
	uint64_t stored_sz; /* bytes of the current file so far (since the last rotation) */
	uint64_t stall_ns;  /* time append/flush waited for a free chunk buffer */
};

/*
 * trace_writer__create_file - create @path for an output file (a trace, a pcap), mode 0600.
 * Never through a symbolic link at the last component, never onto anything but a regular
 * file: a new file is created with O_EXCL; an existing regular file is truncated and
 * overwritten in place (so a crash leaves it readable up to its last chunk) only if it is
 * ours (our effective uid) and has a single link.
 * @fd: the file, open for writing.
 * @diag: NULL, or filled with why @path was refused (e.g. "it is a FIFO, not a regular file").
 * @return 0; -ELOOP (a symbolic link), -EISDIR (a directory), -EEXIST (a FIFO, a device, a
 *         socket, or a file that was swapped while being opened), -EPERM (another user's
 *         file), -EMLINK (a file with several hard links), or -errno from open/ftruncate.
 */
int trace_writer__create_file(const char *path, int *fd, struct sr_diag *diag);

/*
 * trace_writer__create - create @path as trace_writer__create_file() does and write its
 * header.
 * @props: header properties, copied; NULL for none.
 * @opts: NULL for defaults.
 * @diag: NULL, or filled with the reason of a failure (for a one-line message).
 * @return 0 and *@out; or the errors of trace_writer__create_file(), -EINVAL for bad
 *         options, -ENOMEM, -errno from write.
 */
int trace_writer__create(const char *path, const struct trace_props *props,
			 const struct trace_writer_opts *opts, struct trace_writer **out,
			 struct sr_diag *diag);

/* trace_writer__create() without the diagnostic. */
int trace_writer__open(const char *path, const struct trace_props *props,
		       const struct trace_writer_opts *opts, struct trace_writer **out);

/* Same on an open, writable file descriptor, which the writer then owns and closes. */
int trace_writer__open_fd(int fd, const struct trace_props *props,
			  const struct trace_writer_opts *opts, struct trace_writer **out);

/*
 * trace_writer__append - add one record.  Blobs are copied; @rec may be reused at once.
 * @return 0; -EINVAL for a record with more than TRACE_REC_MAX_INTS ints or
 *         TRACE_REC_MAX_BLOBS blobs; -SR_ERR_RECORD_SIZE when the record's blobs add up to
 *         more than TRACE_BLOB_MAX_SZ;
 *         -ENOMEM (sticky when no buffer for the next chunk could be allocated); or the
 *         sticky error of the writer thread (e.g. -ENOSPC).
 */
int trace_writer__append(struct trace_writer *w, const struct trace_rec *rec);

/* Called with every record appended from then on (after it was added; NULL: none).  For
 * a caller that must see every record written, whoever wrote it (record -F's state). */
typedef void (*trace_writer_observer_fn)(const struct trace_rec *rec, void *ctx);
void trace_writer__set_observer(struct trace_writer *w, trace_writer_observer_fn fn, void *ctx);
/* The observer set now (to chain to it), or NULL. */
void trace_writer__get_observer(const struct trace_writer *w, trace_writer_observer_fn *fn,
				void **ctx);

/*
 * trace_writer__flush - close the open chunk and hand it to the writer thread, so that the
 * file holds everything appended so far once the thread catches up (call it every second or
 * so: that bounds what a kill -9 can lose).  With @wait, return only when it is on disk.
 * @return 0 or the sticky error.
 */
int trace_writer__flush(struct trace_writer *w, int wait);

/*
 * trace_writer__close - flush, write the index and footer, close the file and free @w
 * (always, even on error; NULL is allowed).
 * @return 0 or the first error met; on error the file is still readable up to its last
 *         complete chunk.
 */
int trace_writer__close(struct trace_writer *w);

/*
 * trace_writer__rotate - finish the current file (index and footer, closed) and go on in @fd,
 * which gets @props as its header; records appended from then on go to the new file, whose
 * chunks, counts, drops and catalog start empty.  The caller writes the state the new file
 * needs (rotation: each file is self-contained).  @fd is owned by the writer in any case.
 * @return 0, or an error that is then sticky (the old file stays readable).
 */
int trace_writer__rotate(struct trace_writer *w, int fd, const struct trace_props *props);

/* Counters so far (safe to call while the writer runs). */
void trace_writer__stats(struct trace_writer *w, struct trace_writer_stats *st);

#endif
