/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record -F: a filter applied while recording.  Events that do not match are not written;
 * every record still goes through a state engine (the observer of the writer sees what the
 * snapshot code writes), and a matching event is written with the state it needs (its thread,
 * ancestors, fds, container, names) as replay -w does, so the file stays self-contained even
 * though the events that opened its fds were filtered out.
 */
#ifndef SYSREC_REC_FILTER_H
#define SYSREC_REC_FILTER_H

#include <stdint.h>

#include "record.h"
#include "trace_writer.h"

struct rec_filter;
struct sr_filter;

/* Takes @filter (compiled) and watches @w from now on.  @return 0 or -ENOMEM. */
int rec_filter__new(struct sr_filter *filter, struct trace_writer *w, uint64_t boot_time_ns,
		    struct rec_filter **out);

/* One record of the driver's stream: written if it is metadata or a matching event. */
int rec_filter__record(struct rec_filter *f, const struct trace_rec *rec);

/* Events seen and events kept. */
void rec_filter__counts(const struct rec_filter *f, uint64_t *seen, uint64_t *kept);

/* After the writer is closed (it calls the filter until then). */
void rec_filter__free(struct rec_filter *f);

#endif
