/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A streaming JSON writer for event output (bpftool's json_writer model): one object per
 * event written straight into a text buffer, no tree.  A DOM per event (cJSON) made -j three
 * times slower than the text output; this keeps it close.  Strings are escaped per RFC 8259;
 * valid UTF-8 passes through, other bytes become the text output's \xNN escapes (as the
 * characters '\', 'x', N, N), so the output is always valid JSON.
 */
#ifndef SYSREC_JSON_OUT_H
#define SYSREC_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "event_fmt.h"

struct json_out {
	struct sr_str *s;
	bool first; /* no member written yet in the current object */
};

void json_out__begin(struct json_out *j, struct sr_str *s);
void json_out__end(struct json_out *j);
/* Start a member; the value follows with one of the calls below. */
void json_out__key(struct json_out *j, const char *key);
void json_out__string(struct json_out *j, const char *p, size_t len);
void json_out__u64(struct json_out *j, uint64_t v);
void json_out__i64(struct json_out *j, int64_t v);
void json_out__bool(struct json_out *j, bool v);
void json_out__null(struct json_out *j);
/* A nested object as the value of the current key. */
void json_out__object_begin(struct json_out *j);
void json_out__object_end(struct json_out *j);

#endif
