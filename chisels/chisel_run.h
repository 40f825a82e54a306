/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running one chisel over a replay: finding it (a stock chisel by name, or a .so by path),
 * checking its ABI, the host functions it calls (field access through the filter field
 * registry, its own filter, intervals), and feeding it events.
 */
#ifndef SYSREC_CHISEL_RUN_H
#define SYSREC_CHISEL_RUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "sysrec_chisel.h"

struct chisel_run;

/*
 * chisel_run__open - load the chisel @spec names ("NAME ARG..." or "PATH.so ARG...", words
 * split as a shell would, with '...' and "..." quoting) and call its init().
 * @return 0 and *@out; -ENOENT (no such chisel), -EINVAL (bad .so, ABI, arguments or
 *         filter), -ENOMEM; a one-line reason in @err (empty when the chisel printed it).
 */
int chisel_run__open(const char *spec, FILE *out, struct chisel_run **out_run, char *err,
		     size_t err_sz);

/* Give @ev to the chisel when it matches the chisel's own filter.  @return 0, or non-zero
 * when the chisel asks to stop (with a reason in @err). */
int chisel_run__event(struct chisel_run *r, struct sr_evt *ev, char *err, size_t err_sz);

/* The time the traces cover (host->span()). */
void chisel_run__set_span(struct chisel_run *r, uint64_t start_ns, uint64_t end_ns);

/* The end of the trace: the last interval and on_end(). */
void chisel_run__end(struct chisel_run *r);

/* fini() and unload. */
void chisel_run__free(struct chisel_run *r);

/* The stock chisels, in name order. */
const struct sysrec_chisel *const *chisels__stock(size_t *cnt);

#endif
