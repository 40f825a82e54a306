/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Events as text: each argument, the argument list, the result.  Shared by the text output,
 * the JSON output and the evt.* fields, so all show the same thing.
 *
 * Every value that comes from the trace (names, paths, argv, buffers) goes through the
 * terminal-safe escaping of text_escape.h (sr_str__text()): the text built here holds no
 * control bytes and no invalid UTF-8, whatever the traced program did.
 */
#ifndef SYSREC_EVENT_FMT_H
#define SYSREC_EVENT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "text_escape.h"
#include "value.h"

/* How buffers are shown: printable ASCII with '.' for the rest (default), escaped as all
 * text is (sr_text_escape(): \n, \x00, \\; valid UTF-8 kept as it is), or hex. */
enum sr_buf_fmt { SR_BUF_DOTS = 0, SR_BUF_ASCII, SR_BUF_HEX };

/* A growing output string; on overflow the text is truncated (and `full` set). */
struct sr_str {
	char *p;
	size_t len, cap;
	bool full;
};

/* Append text of sysrec's own as it is (values from the trace go through sr_str__text()). */
void sr_str__putn(struct sr_str *s, const char *p, size_t n);
void sr_str__puts(struct sr_str *s, const char *p);
void sr_str__printf(struct sr_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sr_str__u64(struct sr_str *s, uint64_t v);
void sr_str__i64(struct sr_str *s, int64_t v);
void sr_str__hex(struct sr_str *s, uint64_t v); /* 0x... */

/* Number of arguments an event shows (syscall arguments, or a record's fields). */
int sr_evt__arg_cnt(const struct sr_evt *ev);
/* Name of argument @i, or NULL. */
const char *sr_evt__arg_name(const struct sr_evt *ev, int i);
/* Index of the argument called @name, or -1. */
int sr_evt__arg_index(const struct sr_evt *ev, const char *name);
/* Argument @i as a typed value (strings point into the record or ev's scratch space). */
bool sr_evt__arg_value(struct sr_evt *ev, int i, struct sr_value *out);
/* Argument @i as shown in text ("3(/etc/passwd)", "0x80000", "SIGKILL", buffers per @bf). */
void sr_evt__arg_text(struct sr_evt *ev, int i, enum sr_buf_fmt bf, struct sr_str *s);
/* "name=value name=value ..." */
void sr_evt__args_text(struct sr_evt *ev, enum sr_buf_fmt bf, struct sr_str *s);
/* The result as shown: "3(/etc/passwd)", "-2 ENOENT", "0"; false when the event has none. */
bool sr_evt__res_text(struct sr_evt *ev, struct sr_str *s);
/* Append @n bytes of @p, a value from the trace, escaped (sr_text_escape()); on overflow the
 * text is cut between two escapes and `full` set. */
void sr_str__text(struct sr_str *s, const char *p, size_t n);
/* The same for a NUL-terminated @p. */
void sr_str__texts(struct sr_str *s, const char *p);
/* Append @n bytes of a buffer per @bf (SR_BUF_ASCII: as sr_str__text()). */
void sr_str__buf(struct sr_str *s, const void *p, size_t n, enum sr_buf_fmt bf);

#endif
