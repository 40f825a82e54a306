/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Long recordings in pieces: file rotation and the flight recorder.
 *
 * Rotation (--rotate-size, --rotate-time, --keep): the trace goes to files named by the time
 * they start (-o trace.sysrec gives trace-20261122T120803.512Z.sysrec, ...); each starts with
 * a checkpoint of the whole state, so it reads alone, and `sysrec replay` of several merges
 * them.  --keep N deletes the oldest so that N remain.  SIGUSR1 rotates at once.
 *
 * Flight recorder (--flight-recorder SIZE): the same pieces ("segments", SIZE/8 each) go to
 * memory (memfd) instead, and the oldest are dropped so that the closed ones stay within SIZE
 * less a piece (the current piece fills the rest).  A trigger
 * (SIGUSR1, `sysrec trigger`, a --trigger filter match, and the end of the recording) writes
 * the segments it finds, after --post seconds more, as one self-contained file named by the
 * trigger's time: the first segment's checkpoint gives the state at the start of the window,
 * and the others' checkpoints are left out (the events in between keep the state current).
 * Dumps are written by a thread of their own, one at a time, so recording goes on meanwhile.
 */
#ifndef SYSREC_SEGMENTS_H
#define SYSREC_SEGMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "props.h"
#include "trace_writer.h"

struct checkpoint;
struct segments;

struct segments_opts {
	const char *out;        /* -o: the base of the file names */
	uint64_t rotate_bytes;  /* --rotate-size, or 0 */
	uint64_t rotate_ns;     /* --rotate-time, or 0 */
	uint32_t keep;          /* --keep: files kept (rotated files, or dumps); 0: all */
	uint64_t flight_bytes;  /* --flight-recorder SIZE, or 0 */
	uint64_t post_ns;       /* --post */
	int zstd_level;
};

/*
 * segments__open - open the first file (rotation: named by the time now; flight recorder: a
 * memory segment) with @props (borrowed, kept until segments__free) and the writer on it.
 * @return 0 and *@out, *@w; or -errno with one line in @err.
 */
int segments__open(const struct segments_opts *o, struct trace_props *props,
		   struct segments **out, struct trace_writer **w, char *err, size_t err_sz);

/* The state tracker whose checkpoint starts each new piece (created on the writer). */
void segments__set_checkpoint(struct segments *sg, struct checkpoint *cp);

/* Name of the file being written (rotation) or "<memory>". */
const char *segments__current(const struct segments *sg);

/*
 * segments__trigger - a trigger at trace time @ts: @reason says what it was; @reply_fd (or
 * -1) gets one line when the dump is written ("ok PATH" or "error ...") and is closed.
 * Without a flight recorder, rotate at the next tick instead.
 */
void segments__trigger(struct segments *sg, uint64_t ts, const char *reason, int reply_fd);

/* From the main loop: rotate when due, start and finish dumps.  @now: CLOCK_MONOTONIC ns.
 * @return 0 or an error that stops the recording (the writer's, or a file that cannot be
 * created). */
int segments__tick(struct segments *sg, uint64_t now);

/*
 * segments__finish - the recording stopped: with a flight recorder, write the last window
 * ("stop") and wait for every dump; close the writer; apply --keep.
 * @return 0 or the first error (said on stderr).
 */
int segments__finish(struct segments *sg);

/* A dump is waiting or being written (a --trigger match waits until it is done). */
bool segments__busy(const struct segments *sg);

/* Files written (rotated files or dumps), for the summary line. */
uint64_t segments__files(const struct segments *sg);

void segments__free(struct segments *sg);

#endif
