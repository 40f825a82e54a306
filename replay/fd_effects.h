/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What syscalls do to fd tables and working directories (open, socket, connect, accept,
 * close, dup, fcntl, pipe, chdir, ...), and the fd objects themselves.  Internal to the state
 * engine.
 */
#ifndef SYSREC_FD_EFFECTS_H
#define SYSREC_FD_EFFECTS_H

#include <stdint.h>

#include "record.h"
#include "state.h"

struct sr_evt;

#define SR_FD_NUM_MAX (1 << 20) /* fds above this are not tracked (RLIMIT_NOFILE's usual max) */

struct sr_fd *sr_fd__new(uint8_t type, const char *name, size_t name_len);
struct sr_fd *sr_fd__dup(const struct sr_fd *f);
struct sr_fd *sr_fd__from_rec(const struct trace_rec *rec); /* a TR_FD record */
void sr_fd__free(struct sr_fd *f);
/* Rebuild a socket's name from its addresses ("client->server" once connected). */
void sr_fd__name_tuple(struct sr_fd *f);
void sr_fd__set_name(struct sr_fd *f, const char *name, size_t len);

uint32_t sr_state__next_gen(struct sr_state *st);
void sr_state__fd_install(struct sr_state *st, struct sr_proc *p, int64_t num, struct sr_fd *f);
void sr_state__fd_remove(struct sr_proc *p, int64_t num);

/* Effects of @ev, a SYSCALL with ev->sc set when known: before and after it is used. */
void sr_fd_effects__enter(struct sr_state *st, struct sr_evt *ev);
void sr_fd_effects__leave(struct sr_state *st, struct sr_evt *ev);

#endif
