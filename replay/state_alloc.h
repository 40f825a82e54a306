/* SPDX-License-Identifier: Apache-2.0 */
/* Allocation for the state engine: failure is fatal (see sr_state__enter()). */
#ifndef SYSREC_STATE_ALLOC_H
#define SYSREC_STATE_ALLOC_H

#include <stddef.h>

void sr_state__oom(void) __attribute__((noreturn));
void *sr_xcalloc(size_t n, size_t sz);
void *sr_xrealloc(void *p, size_t sz);
void *sr_xmemdup(const void *p, size_t sz);
/* @sz bytes of @s plus a NUL. */
char *sr_xstrndup(const char *s, size_t sz);

#endif
