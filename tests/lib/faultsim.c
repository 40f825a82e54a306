// SPDX-License-Identifier: Apache-2.0
/*
 * The --wrap'ed allocation functions behind faultsim.h.  __real_malloc() and friends are the
 * functions the linker would have used (libc's, or AddressSanitizer's interceptors in a
 * sanitizer build, so leak checking keeps working).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "faultsim.h"

void *__real_malloc(size_t sz);
void *__real_calloc(size_t n, size_t sz);
void *__real_realloc(void *p, size_t sz);
char *__real_strdup(const char *s);
void *__wrap_malloc(size_t sz);
void *__wrap_calloc(size_t n, size_t sz);
void *__wrap_realloc(void *p, size_t sz);
char *__wrap_strdup(const char *s);

static atomic_long countdown; /* > 0: armed; the allocation that brings it to 0 fails */
static atomic_bool hit;
static atomic_ulong alloc_cnt;
static atomic_size_t max_sz;

void faultsim_arm(long n)
{
	atomic_store(&hit, false);
	atomic_store(&countdown, n > 0 ? n : 0);
}

bool faultsim_disarm(void)
{
	atomic_store(&countdown, 0);
	return atomic_load(&hit);
}

bool faultsim_hit(void)
{
	return atomic_load(&hit);
}

unsigned long faultsim_alloc_cnt(void)
{
	return atomic_load(&alloc_cnt);
}

size_t faultsim_max_sz(void)
{
	return atomic_load(&max_sz);
}

void faultsim_reset_max(void)
{
	atomic_store(&max_sz, 0);
}

/* Count one allocation of @sz bytes; @return true if it must fail. */
static bool _fail_now(size_t sz)
{
	size_t m = atomic_load(&max_sz);
	long c;

	atomic_fetch_add(&alloc_cnt, 1);
	while (sz > m && !atomic_compare_exchange_weak(&max_sz, &m, sz))
		;
	c = atomic_load(&countdown);
	while (c > 0) {
		if (atomic_compare_exchange_weak(&countdown, &c, c - 1)) {
			if (c - 1)
				return false;
			atomic_store(&hit, true);
			errno = ENOMEM;
			return true;
		}
	}
	return false;
}

void *__wrap_malloc(size_t sz)
{
	return _fail_now(sz) ? NULL : __real_malloc(sz);
}

void *__wrap_calloc(size_t n, size_t sz)
{
	return _fail_now(n * sz) ? NULL : __real_calloc(n, sz);
}

void *__wrap_realloc(void *p, size_t sz)
{
	return _fail_now(sz) ? NULL : __real_realloc(p, sz);
}

char *__wrap_strdup(const char *s)
{
	return _fail_now(1) ? NULL : __real_strdup(s);
}
