/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The recorder: drains the driver's per-CPU rings in timestamp order into the trace writer,
 * and writes the drop counters as they change.
 *
 * Merge: each ring is in time order; a record is written once no ring can still deliver an
 * earlier one, i.e. its time is at or below every non-empty ring's head and below the time of
 * the pass minus a small slack (a record being written while the pass looked had its time
 * taken just before).  Records stay in the rings until written: nothing is copied twice.
 */
#ifndef SYSREC_RECORDER_H
#define SYSREC_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "bpf_driver.h"
#include "trace_writer.h"

struct recorder;
struct containers;
struct users;
struct ifaces;

/* @ctrs resolves the cgroups of thread identities to containers; @users and @ifaces write the
 * user names and interfaces of the mount and network namespaces met (all borrowed). */
int recorder__new(struct bpf_driver *drv, struct trace_writer *w, struct containers *ctrs,
		  struct users *users, struct ifaces *ifaces, struct recorder **out);
void recorder__free(struct recorder *r);

/* Take every thread's CPU time now as the baseline: later CPU records count from it. */
int recorder__cpu_baseline(struct recorder *r);

struct proc_syms;
/* Write the mappings and symbols samples need, from @ps (record --sample). */
void recorder__set_symbols(struct recorder *r, struct proc_syms *ps);

struct rec_filter;
/* Route the driver's records through @f (record -F); the recorder does not own it. */
void recorder__set_filter(struct recorder *r, struct rec_filter *f);

struct packets;
/* Merge the packets @p queues (record --packets) into the stream by time; not owned. */
void recorder__set_packets(struct recorder *r, struct packets *p);

/*
 * recorder__drain - write every record with a time at or below @until (UINT64_MAX: all that
 * is committed).  @return the number of records written, or a negative error (the writer's).
 */
int64_t recorder__drain(struct recorder *r, uint64_t until);

/* Read the drop counters and write a DROPS record for each that changed.  @return 0 or error. */
int recorder__note_drops(struct recorder *r, uint64_t ts);

/* True when a ring is a quarter full or more: drain again without pausing. */
bool recorder__rings_filling(struct recorder *r);

/* Lost events so far, all CPUs and kinds. */
uint64_t recorder__drops_total(struct recorder *r);

/* Records the driver sent that could not be converted (a driver bug), so far. */
uint64_t recorder__bad_records(struct recorder *r);

#endif
