/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recording's state, kept while recording so that a new file can start with it: rotated
 * files and flight-recorder windows are each self-contained (threads, fds, containers, user
 * names, interfaces, probe definitions, symbol tables and mappings, drop baselines), so
 * replay of one of them alone shows names, not numbers.
 *
 * It watches the writer (every record appended, whoever wrote it) with replay's state engine,
 * and keeps a copy of the metadata records the engine does not hold as records.  It also
 * evaluates --trigger on the live stream of events.
 */
#ifndef SYSREC_CHECKPOINT_H
#define SYSREC_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_writer.h"

struct checkpoint;
struct sr_filter;

/* Watch @w from now on (after any other observer, which it keeps calling).  @trigger: a
 * compiled filter to watch for, taken (NULL: none).  @return 0 or -ENOMEM. */
int checkpoint__new(struct trace_writer *w, uint64_t boot_time_ns, struct sr_filter *trigger,
		    struct checkpoint **out);

/*
 * checkpoint__write - append the whole state to @w (right after trace_writer__rotate), at the
 * time of the last record seen.  *@rec_cnt: how many records that took.
 * @return 0 or the writer's error.
 */
int checkpoint__write(struct checkpoint *cp, struct trace_writer *w, uint64_t *rec_cnt);

/* Time of the last record seen (0 before any). */
uint64_t checkpoint__last_ts(const struct checkpoint *cp);

/* A --trigger match not yet taken: true with its time and a one-line description. */
bool checkpoint__take_trigger(struct checkpoint *cp, uint64_t *ts, char *desc, size_t sz);

/* After the writer is closed (it calls the checkpoint until then). */
void checkpoint__free(struct checkpoint *cp);

#endif
