/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Properties: the named, typed values of a trace file's header (machine facts and capture
 * options).  Names are dotted lower case ("machine.hostname", "capture.snaplen"); the standard
 * ones are listed in docs/format.md, and readers print unknown ones as they are.
 *
 * Invariant: names are unique within one struct trace_props (setting a name again replaces it).
 */
#ifndef SYSREC_PROPS_H
#define SYSREC_PROPS_H

#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "sr_error.h"

struct trace_props;
struct sr_wbuf;

struct trace_prop {
	uint8_t kind;     /* enum tf_prop_kind */
	const char *name; /* NUL-terminated */
	uint64_t u64;     /* TF_PROP_U64 (and the bits of TF_PROP_I64) */
	const void *data; /* TF_PROP_STR (NUL-terminated as a convenience) and TF_PROP_BYTES */
	uint32_t sz;      /* bytes at data, without the convenience NUL */
};

int trace_props__new(struct trace_props **out);
void trace_props__free(struct trace_props *p);

/* Set a property (copying name and value).  @return 0, -EINVAL for an empty or over-long
 * name (max 255 bytes), -ENOMEM. */
int trace_props__set_u64(struct trace_props *p, const char *name, uint64_t v);
int trace_props__set_i64(struct trace_props *p, const char *name, int64_t v);
int trace_props__set_str(struct trace_props *p, const char *name, const char *v);
int trace_props__set_bytes(struct trace_props *p, const char *name, const void *v, uint32_t sz);
/* Set every property of @src in @dst.  @return 0 or -ENOMEM. */
int trace_props__copy(struct trace_props *dst, const struct trace_props *src);

/* Look up by name; NULL when absent.  Valid until @p is changed or freed. */
const struct trace_prop *trace_props__get(const struct trace_props *p, const char *name);
/* Convenience: the string / number value, or @dflt when absent or of another kind. */
const char *trace_props__str(const struct trace_props *p, const char *name, const char *dflt);
uint64_t trace_props__u64(const struct trace_props *p, const char *name, uint64_t dflt);

size_t trace_props__cnt(const struct trace_props *p);
/* The i-th property in insertion (file) order. */
const struct trace_prop *trace_props__at(const struct trace_props *p, size_t i);

/*
 * Fill the machine.* properties from the running host: hostname, kernel release and version,
 * arch, cpu count, page size, and boot_time_ns (CLOCK_REALTIME - CLOCK_MONOTONIC, so that
 * wall = boot_time_ns + ts).  @return 0 or -ENOMEM.
 */
int trace_props__set_machine(struct trace_props *p);

/* Serialise into the header block payload layout; @return 0 or -ENOMEM. */
int trace_props__encode(const struct trace_props *p, struct sr_wbuf *out);
/* Parse a header block payload; @base_off is its file offset for messages.
 * @return 0, -EBADMSG (diag says where), -ENOMEM. */
int trace_props__decode(const void *buf, size_t sz, long long base_off, struct trace_props **out,
			struct sr_diag *diag);

#endif
