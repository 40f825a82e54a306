/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation-failure simulation in the manner of SQLite's faultsim: an executable linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup (CMake target sysrec_faultsim
 * adds the flags) routes every allocation made by its own objects and static libraries, the
 * format library included, through a countdown.  Arm it with N and the N-th allocation from
 * then on fails (returns NULL with errno ENOMEM); every later one succeeds again, so a test sees
 * one failure per run and can check that it surfaces as a clean -ENOMEM.
 *
 * Allocations inside shared libraries (libzstd, libc's own) are not wrapped and never fail.
 * The counters are atomic: the trace writer allocates on its own thread too.
 *
 * The wrapper also remembers the largest single request, so a test can check that a reader did
 * not allocate what a corrupt length claimed.
 */
#ifndef SYSREC_FAULTSIM_H
#define SYSREC_FAULTSIM_H

#include <stdbool.h>
#include <stddef.h>

/* Fail the @n-th allocation from now (1 = the next one).  Resets the hit flag. */
void faultsim_arm(long n);
/* Stop failing; @return true if the armed allocation was reached (and failed). */
bool faultsim_disarm(void);
/* True if the armed allocation was reached since faultsim_arm(). */
bool faultsim_hit(void);
/* Allocations seen since the program started. */
unsigned long faultsim_alloc_cnt(void);
/* Largest single request since the last faultsim_reset_max(). */
size_t faultsim_max_sz(void);
void faultsim_reset_max(void);

#endif
