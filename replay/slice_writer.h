/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Writing a derived trace (replay -w): only the selected events, each preceded by the state
 * it needs that the new file does not have yet — its thread and process (with ancestors, for
 * proc.pname/aname), the fds its arguments name, its container, user and group names.  The
 * state engine's generation numbers say what changed since it was last written, so the new
 * file is self-contained and small: nothing of the processes that were filtered out.
 */
#ifndef SYSREC_SLICE_WRITER_H
#define SYSREC_SLICE_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "event.h"
#include "trace_writer.h"

struct sr_input;
struct sr_slice;

/*
 * sr_slice__open - create @path with the header of @in's first file (plus slice.* props).
 * @redact: leave out I/O buffers, non-path string arguments and command lines.
 * @return 0 and *@out; -errno with one line in @err.
 */
int sr_slice__open(struct sr_slice **out, const char *path, const struct sr_input *in,
		   bool redact, char *err, size_t err_sz);

/* The same on a writer the caller owns (record -F): closing the slice leaves @w open. */
int sr_slice__wrap(struct sr_slice **out, struct trace_writer *w, bool redact);

/* Write @ev (after sr_state__enter) with the state it needs.  @return 0 or -errno. */
int sr_slice__event(struct sr_slice *s, struct sr_evt *ev);

/* Host-wide records (drop counts, interfaces) are kept as they are; @boot_time_ns is their
 * file's, as records are rewritten to the clock of the first file. */
int sr_slice__meta(struct sr_slice *s, const struct trace_rec *rec, uint64_t boot_time_ns);

/* Finish the file (index and footer).  @return 0, or -errno with one line in @err. */
int sr_slice__close(struct sr_slice *s, char *err, size_t err_sz);

/* Close after an error: what was written stays readable. */
void sr_slice__abort(struct sr_slice *s);

#endif
