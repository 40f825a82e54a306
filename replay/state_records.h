/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state engine's objects written back as records (THREAD, FD, CONTAINER, USER, GROUP):
 * what replay -w, record -F and the checkpoints of rotated files and flight-recorder windows
 * write so that a file stands on its own.  Each function fills @r's type, ints and blobs; the
 * blobs borrow the object's strings; the caller sets ts, cpu and tid.
 */
#ifndef SYSREC_STATE_RECORDS_H
#define SYSREC_STATE_RECORDS_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"
#include "state.h"

void sr_rec__container(struct trace_rec *r, const struct sr_container *c);
void sr_rec__user(struct trace_rec *r, const struct sr_user *u);
void sr_rec__group(struct trace_rec *r, const struct sr_group *g);

/* Thread @t of process @p; with @t NULL, @p's leader, which exited (its exe's name as comm).
 * @redact leaves out the command line; @flags goes to ints[TR_THREAD_FLAGS]. */
void sr_rec__thread(struct trace_rec *r, const struct sr_thread *t, const struct sr_proc *p,
		    bool redact, uint64_t flags);

/* File descriptor @f of process @pid; @addr_only: only a socket's addresses (after an
 * accept or connect, TR_FD_F_ADDR_ONLY). */
void sr_rec__fd(struct trace_rec *r, uint32_t pid, const struct sr_fd *f, bool addr_only);

#endif
