/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the format test cases: temp trace files written from a record generator,
 * whole files loaded into memory, readers on memory, and hand-built blocks (preamble, header,
 * chunk, arbitrary block) written with the layout.h constants, for files the writer would never
 * produce.
 */
#ifndef SYSREC_TF_UTIL_H
#define SYSREC_TF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "rec_gen.h"
#include "trace_reader.h"
#include "trace_writer.h"

/* A trace in a temp file under /tmp, and optionally its bytes. */
struct tf_file {
	char path[64];
	uint8_t *buf;
	size_t sz;
};

/* Create an empty temp file (mkstemp) whose path goes to @path; @return 0 or -errno. */
int tf_temp_path(char *path, size_t path_sz);

/*
 * tf_write - write @cnt generated records to a new temp file and close it.
 * @keep: optional; receives deep copies of the records.
 * @exp: optional; notes every record.
 * Loads the file into f->buf / f->sz.  @return 0 or a negative error.
 */
int tf_write(struct tf_file *f, const struct rec_gen_opts *go, uint64_t cnt,
	     const struct trace_writer_opts *wo, struct rec_vec *keep, struct rec_expect *exp);

/* Unlink the file and free the bytes. */
void tf_release(struct tf_file *f);

/* Read a whole file into a malloc'ed buffer.  @return 0 or -errno. */
int tf_load(const char *path, uint8_t **buf, size_t *sz);

/* Open a reader on @sz bytes at @buf (borrowed).  @return as trace_reader__open_source(). */
int tf_open_mem(const void *buf, size_t sz, struct trace_reader **out, struct sr_diag *diag);

/* The footer's index offset of a complete file, or 0 when it has none. */
uint64_t tf_index_off(const uint8_t *buf, size_t sz);

/* ---- hand-built files ---- */

void tf_put_preamble(struct sr_wbuf *b, uint16_t major, uint16_t minor);
/* A block with correct checksums around @payload. */
void tf_put_block(struct sr_wbuf *b, uint16_t type, uint16_t flags, const void *payload,
		  uint32_t sz, uint32_t raw_sz);
/* A block header only, with the given sizes and payload checksum. */
void tf_put_block_header(struct sr_wbuf *b, uint16_t type, uint16_t flags, uint32_t stored_sz,
			 uint32_t raw_sz, uint32_t payload_crc);
/* The header block of @props (NULL: none).  @return 0 or -ENOMEM. */
int tf_put_header(struct sr_wbuf *b, const struct trace_props *props);

/* An extra column to put in a hand-built chunk's directory. */
struct tf_extra_col {
	uint64_t id;
	const void *data;
	size_t sz;
};

/* A chunk block of @cnt records, encoded with chunk_enc; @extra columns (may be NULL) are
 * added to the directory after the known ones.  @return 0 or a negative error. */
int tf_put_chunk(struct sr_wbuf *b, const struct trace_rec *recs, size_t cnt, uint32_t seq,
		 const struct tf_extra_col *extra, size_t extra_cnt);

#endif
