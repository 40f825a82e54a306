/* SPDX-License-Identifier: Apache-2.0 */
/* Typed values of event fields (filters/fields.h), and their text form. */
#ifndef SYSREC_VALUE_H
#define SYSREC_VALUE_H

#include <stddef.h>
#include <stdint.h>

enum sr_ftype {
	SR_FT_UINT = 1, /* u (counts, ids, fd numbers, ports) */
	SR_FT_INT,      /* i (return values) */
	SR_FT_STR,      /* s (names, paths); compared bytewise */
	SR_FT_BYTES,    /* s (an I/O buffer: may hold NULs; string operators apply) */
	SR_FT_BOOL,     /* u 0/1; constants true/false/1/0 */
	SR_FT_IPADDR,   /* ip; constants are addresses or CIDR networks (10.0.0.0/8, ::1/128) */
	SR_FT_DURATION, /* u nanoseconds; constants 1500, 10us, 2.5ms, 1s */
	SR_FT_ABSTIME,  /* u nanoseconds since the epoch */
	SR_FT_DYN,      /* the type depends on the event (evt.arg.*): any of the above */
};

struct sr_value {
	enum sr_ftype type; /* never SR_FT_DYN */
	union {
		uint64_t u;
		int64_t i;
		struct {
			const char *p; /* not NUL-terminated in general */
			size_t len;
		} s;
		struct {
			uint8_t family; /* AF_INET or AF_INET6 */
			uint8_t addr[16]; /* network order; 4 bytes used for AF_INET */
		} ip;
	};
};

/*
 * sr_value__str - @v as text, as filters compare it against strings and the text output
 * shows it: numbers in decimal, addresses as text, durations in ns, strings as they are.
 * Writes into @buf (NUL-terminated, truncated to @sz) unless @v is a string, in which case
 * the string itself is returned without copying.  *@len receives the length.
 * Strings are raw, as the trace holds them (filters compare these bytes): whatever prints
 * one for people escapes it first (sr_str__text(), text_escape.h).
 */
const char *sr_value__str(const struct sr_value *v, char *buf, size_t sz, size_t *len);

#endif
