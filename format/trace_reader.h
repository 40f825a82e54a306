/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a trace file.
 *
 * The reader walks the file block by block and needs nothing but complete blocks: a file cut
 * anywhere reads up to its last complete chunk, and then trace_reader__next() says where and
 * why it stopped (-SR_ERR_TRUNCATED; trace_reader__diag() has the offset and the message).
 * The index at the end, when present, is only used for the summary, for seeking and for
 * skipping chunks.  Every length and count in the file is checked against what remains before
 * anything is allocated; decompressed sizes are capped (TF_MAX_RAW_SZ).
 *
 * Lifetimes: a record filled by trace_reader__next() borrows its blob bytes from the reader;
 * they stay valid until the next call to trace_reader__next(), trace_reader__seek_*() or
 * trace_reader__close().  Props and summary live as long as the reader.
 */
#ifndef SYSREC_TRACE_READER_H
#define SYSREC_TRACE_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "props.h"
#include "record.h"
#include "sr_error.h"
#include "trace_source.h"

struct trace_reader;

struct trace_chunk_info {
	uint64_t offset; /* of the block header */
	uint32_t stored_sz;
	uint32_t raw_sz;
	uint32_t rec_cnt;
	uint32_t seq;
	uint64_t min_ts;
	uint64_t max_ts;
	uint64_t type_mask; /* bit t: a record of type t (t < 63); bit 63: any type >= 63 */
};

struct trace_drop_count {
	uint32_t cpu;
	uint32_t kind;
	uint64_t count;
};

struct trace_summary {
	bool from_index;   /* false: built by reading every chunk (no index in the file) */
	uint64_t chunk_cnt;
	uint64_t rec_cnt;
	uint64_t min_ts, max_ts; /* 0, 0 when there are no records */
	uint64_t raw_sz;         /* chunk bytes before compression */
	uint64_t stored_sz;      /* chunk bytes in the file */
	uint64_t file_sz;
	uint64_t counts[TR_TYPE_MAX]; /* records per type; types >= TR_TYPE_MAX are in other_cnt */
	uint64_t other_cnt;
	struct trace_drop_count *drops; /* latest cumulative count per (cpu, kind) */
	size_t drop_cnt;
	const struct trace_chunk_info *chunks;
	/* THREAD records of process leaders and CONTAINER records, column-encoded; read them
	 * with trace_summary__catalog(). */
	const uint8_t *catalog;
	size_t catalog_sz;
	uint32_t catalog_rec_cnt;
	/* Why a scan stopped early (truncated or corrupt), or err 0. */
	struct sr_diag scan_diag;
};

/* Filter called before a chunk is decompressed: return false to skip it. */
typedef bool (*trace_chunk_filter_fn)(const struct trace_chunk_info *chunk, void *ctx);

/*
 * trace_reader__open - open a trace file and read its preamble and header.
 * @diag: optional; says what is wrong with the file.
 * @return 0 and *@out; -errno when the file cannot be read; -SR_ERR_MAGIC, -SR_ERR_VERSION,
 *         -SR_ERR_TRUNCATED, -SR_ERR_CHECKSUM or -EBADMSG for a bad file; -ENOMEM.
 */
int trace_reader__open(const char *path, struct trace_reader **out, struct sr_diag *diag);

/* Same on a source, which the reader owns from then on (closed even when open fails). */
int trace_reader__open_source(struct trace_source *src, struct trace_reader **out,
			      struct sr_diag *diag);

void trace_reader__close(struct trace_reader *r);

/* The header's properties.  The format version is in *@major / *@minor. */
const struct trace_props *trace_reader__props(const struct trace_reader *r);
void trace_reader__version(const struct trace_reader *r, unsigned int *major, unsigned int *minor);

/*
 * trace_reader__next - decode the next record into @rec.
 * @return 1 with a record; 0 at the end of a complete file (or of a file that ends exactly
 *         after a block: trace_reader__has_index() tells whether it was closed cleanly);
 *         -SR_ERR_TRUNCATED when the file ends inside a block; -SR_ERR_CHECKSUM or -EBADMSG
 *         for corrupt data; -ENOMEM.  After an error, trace_reader__diag() names the offset,
 *         and further calls return the same error.
 */
int trace_reader__next(struct trace_reader *r, struct trace_rec *rec);

/* What the last error was about (err 0 if none). */
const struct sr_diag *trace_reader__diag(const struct trace_reader *r);

/* True when the file ends with a valid index and footer (it was closed cleanly). */
bool trace_reader__has_index(struct trace_reader *r);

/* Skip chunks for which @fn returns false, without decompressing them.  NULL: none skipped. */
void trace_reader__set_chunk_filter(struct trace_reader *r, trace_chunk_filter_fn fn, void *ctx);

/* Info about the chunk the last record came from (valid after next() returned 1). */
const struct trace_chunk_info *trace_reader__chunk(const struct trace_reader *r);

/*
 * trace_reader__summary - time span, counts, drops, chunks and catalog.  Read from the index
 * when there is one; otherwise built by reading every chunk (a truncated or corrupt file gives
 * the summary of what could be read, with the reason in scan_diag).  Does not move the
 * position of next().
 * @return 0 and *@out (owned by the reader); -ENOMEM; -EBADMSG/-SR_ERR_CHECKSUM for a corrupt
 *         index.
 */
int trace_reader__summary(struct trace_reader *r, const struct trace_summary **out);

/* Position next() at the first chunk that may hold a record at or after @ts (by the chunks'
 * max_ts), so earlier records may still follow.  @return 0, or an error as for next(). */
int trace_reader__seek_time(struct trace_reader *r, uint64_t ts);

/* Position next() back at the first chunk. */
int trace_reader__rewind(struct trace_reader *r);

/*
 * trace_summary__catalog - call @fn for each catalog record, in file order, until it returns
 * non-zero.  The record and its blobs are valid during the call only.
 * @return 0, @fn's non-zero value, -EBADMSG for a corrupt catalog, -ENOMEM.
 */
int trace_summary__catalog(const struct trace_summary *s,
			   int (*fn)(const struct trace_rec *rec, void *ctx), void *ctx);

#endif
