/* SPDX-License-Identifier: Apache-2.0 */
/* Times given on the command line (--from, --to). */
#ifndef SYSREC_TIME_ARG_H
#define SYSREC_TIME_ARG_H

#include <stdint.h>

/*
 * sr_time_arg__parse - @s as wall-clock ns since the epoch:
 *   "+10s", "10s", "1.5ms", "2m", "250us"  a duration after @start_wall;
 *   "14:03:07", "14:03:07.25"              local time of day, on @start_wall's date;
 *   "2026-11-22 14:03:07[.25]" (or with T)  local date and time;
 *   "1795355000123456789"                   ns since the epoch (16 digits or more).
 * @return 0, or -EINVAL.
 */
int sr_time_arg__parse(const char *s, uint64_t start_wall, uint64_t *out);

/* A duration with an optional unit (ns, us, ms, s, m, h; default ns): 0 or -EINVAL. */
int sr_duration__parse(const char *s, size_t len, uint64_t *ns);

#endif
