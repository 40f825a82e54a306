/* SPDX-License-Identifier: Apache-2.0 */
/* CLOCK_MONOTONIC in ns: the clock of the driver's timestamps (bpf_ktime_get_ns). */
#ifndef SYSREC_MONO_CLOCK_H
#define SYSREC_MONO_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

#endif
