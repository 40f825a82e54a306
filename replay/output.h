/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Printing events: the default text line (like sysdig's), a custom format (-p '%proc.name
 * %fd.name'), or JSON lines (-j; with -p, an object of the named fields).
 */
#ifndef SYSREC_OUTPUT_H
#define SYSREC_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include "event.h"
#include "event_fmt.h"

struct sr_output;

/*
 * sr_output__new - an output to @f.  @format: NULL for the default line/object, else
 * sysdig-style text with %field references (%% for a literal %).
 * @return 0 and *@out; -EINVAL with a message in @err for an unknown field; -ENOMEM.
 */
int sr_output__new(FILE *f, bool json, const char *format, enum sr_buf_fmt bf,
		   struct sr_output **out, char *err, size_t err_sz);
/* Print @ev.  @return 0, or -errno when writing failed (e.g. EPIPE). */
int sr_output__event(struct sr_output *o, struct sr_evt *ev);
void sr_output__free(struct sr_output *o);

#endif
