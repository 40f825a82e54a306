/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The filter language (PRODUCT.md section 7), sysdig-compatible where the concepts match:
 *
 *   proc.name=nginx and evt.type in (open,openat) and not fd.name startswith /proc
 *
 * Operators: = == != < <= > >= contains icontains startswith endswith glob in exists;
 * and, or, not, parentheses.  Values are bare words or quoted strings ('..' or "..", with
 * backslash escapes).  A filter is compiled once (fields resolved through the registry,
 * constants pre-parsed into the field's type, `in` lists sorted or hashed) and then
 * evaluated per event with short-circuiting.
 */
#ifndef SYSREC_FILTER_H
#define SYSREC_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct sr_evt;
struct sr_filter;

struct sr_filter_err {
	size_t column;  /* 1-based column of the error in the filter text */
	char msg[256];  /* e.g. "unknown field 'proc.nmae' (did you mean proc.name?)" */
};

/*
 * sr_filter__compile - compile @text.
 * @return 0 and *@out; -EINVAL for a bad filter (details in *@err); -ENOMEM.
 * An empty or all-blank @text compiles to a filter that matches every event.
 */
int sr_filter__compile(const char *text, struct sr_filter **out, struct sr_filter_err *err);

/* True when @ev matches @f.  A field the event does not have makes its comparison false
 * (and `not` of it true), except `exists`, which tests exactly that. */
bool sr_filter__match(const struct sr_filter *f, struct sr_evt *ev);

void sr_filter__free(struct sr_filter *f);

#endif
