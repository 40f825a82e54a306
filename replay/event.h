/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An event as filters, output formats and chisels see it: a record plus what the state engine
 * knows about its thread, process, fd and container at that moment.
 */
#ifndef SYSREC_EVENT_H
#define SYSREC_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event_table.h"
#include "pkt_decode.h"
#include "record.h"
#include "state.h"

#define SR_EVT_SCRATCH_SZ (64u << 10)

struct sr_input_file;

struct sr_evt {
	const struct trace_rec *rec;
	uint64_t num;            /* 1-based number of the event in this replay */
	uint64_t boot_time_ns;   /* of the file it came from: wall clock = boot_time_ns + ts */
	uint64_t start_wall;     /* wall-clock time of the replay's first record, ns */
	struct sr_state *st;
	struct sr_thread *thr;   /* NULL when the thread is not known */
	const struct sr_syscall_info *sc; /* for a SYSCALL record of a known number */
	int64_t fd_num;          /* the fd the event is about, or -1 */
	struct sr_fd *fd;        /* its state, NULL when unknown */
	bool fd_is_ret;          /* the fd is the one the call returned (open, socket, dup...) */
	const struct trace_blob *arg_blob[SR_SYSCALL_MAX_ARGS]; /* captured memory per argument */
	/* A PACKET record: its headers, its interface, its namespace's container, and the
	 * connection-like view the fd.* fields give of it (fd points at pkt_fd). */
	struct sr_pkt pkt;
	struct sr_fd pkt_fd;
	const char *pkt_ifname;       /* NULL when the trace has no IFACE record for it */
	struct sr_container *pkt_ctr; /* NULL: the host, or unknown (pkt_ctr_known) */
	bool pkt_ctr_known;
	/* The wall-clock second last formatted (evt.time, evt.datetime): many events share it. */
	int64_t time_secs;      /* 0 before the first */
	char time_date[16], time_clock[12];
	/* Bump allocator for formatted values; reset per event. */
	size_t scratch_used;
	char scratch[SR_EVT_SCRATCH_SZ];
};

/* @sz bytes of per-event scratch space, or NULL when it is exhausted. */
static inline char *sr_evt__scratch(struct sr_evt *ev, size_t sz)
{
	char *p;

	if (sz > SR_EVT_SCRATCH_SZ - ev->scratch_used)
		return NULL;
	p = ev->scratch + ev->scratch_used;
	ev->scratch_used += sz;
	return p;
}

/* The event-type name: the syscall's name, "procfork", "procexec", "procexit", or the record
 * type's name for other records ("probe", "sample", "packet"). */
const char *sr_evt__type_name(const struct sr_evt *ev);

#endif
