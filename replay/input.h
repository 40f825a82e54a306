/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The records of one or more trace files, merged into one stream by wall-clock time
 * (rotated captures of one host, or captures of several hosts).  Files of the same boot
 * (machine.boot_id, else hostname) share one state engine; other hosts get their own.
 */
#ifndef SYSREC_INPUT_H
#define SYSREC_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "sr_error.h"
#include "state.h"
#include "trace_reader.h"

struct sr_input_file {
	const char *path;
	struct trace_reader *r;
	uint64_t boot_time_ns;
	struct sr_state *st; /* shared by the files of one host boot */
	struct trace_rec rec; /* the file's next record, when has_rec */
	bool has_rec;
	bool done;
	int err;             /* why the file ended early (0: it did not) */
	uint64_t file_sz;
};

struct sr_input {
	struct sr_input_file *files;
	size_t cnt;
	struct sr_state **states;
	size_t state_cnt;
	uint64_t start_wall; /* wall-clock time of the earliest first record, ns */
	struct sr_input_file *handed; /* its record is in use: advance it on the next call */
};

/*
 * sr_input__open - open @cnt files and read their first records.
 * @return 0; or -errno / -SR_ERR_* with one line in *@diag naming the file that failed.
 */
int sr_input__open(struct sr_input *in, const char *const *paths, size_t cnt,
		   struct sr_diag *diag);
void sr_input__close(struct sr_input *in);

/*
 * sr_input__next - the next record in time order, with its file.
 * @return 1 and *@rec / *@file (valid until the next call); 0 at the end.  A file that ends
 * with an error (truncated or corrupt) stops contributing; its error stays in file->err and
 * trace_reader__diag(file->r) says where.
 */
int sr_input__next(struct sr_input *in, const struct trace_rec **rec,
		   struct sr_input_file **file);

/* Bytes of the files read so far and in total, for a progress indicator. */
void sr_input__progress(const struct sr_input *in, uint64_t *done, uint64_t *total);

#endif
