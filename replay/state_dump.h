/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The whole state as records: every container, user and group name, live thread (and the
 * exited leader of a process whose other threads live on) and open fd, written at one time.
 * It is the checkpoint at the start of a rotated file or a flight-recorder window: replay of
 * that file alone names every process and fd that was there before it began.
 */
#ifndef SYSREC_STATE_DUMP_H
#define SYSREC_STATE_DUMP_H

#include <stdint.h>

#include "state.h"
#include "trace_writer.h"

struct sr_state_dump_stats {
	uint32_t threads, fds, containers, names;
};

/* Append the state of @st to @w with time @ts.  @return 0 or the writer's error. */
int sr_state_dump__write(struct sr_state *st, struct trace_writer *w, uint64_t ts,
			 struct sr_state_dump_stats *stats);

#endif
