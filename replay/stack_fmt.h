/* SPDX-License-Identifier: Apache-2.0 */
/* The stacks of a sample as text: folded (root;...;leaf, for flame graphs) or leaf first. */
#ifndef SYSREC_STACK_FMT_H
#define SYSREC_STACK_FMT_H

#include <stdbool.h>

#include "event.h"
#include "event_fmt.h"

enum sr_stack_style {
	SR_STACK_FOLDED,     /* "main;work;hot_loop;sys_write_[k]": user root first, kernel last */
	SR_STACK_LEAF_FIRST, /* "hot_loop <- work <- main" */
};

/* Which frames: user, kernel or both. */
enum { SR_STACK_USER = 1, SR_STACK_KERNEL = 2 };

/* @return false when @ev is not a sample or has no frames of the kinds asked for. */
bool sr_stack__text(struct sr_evt *ev, int kinds, enum sr_stack_style style, struct sr_str *s);

/* The function the sample interrupted (the kernel's, when it was in the kernel), or NULL. */
const char *sr_stack__leaf(struct sr_evt *ev);

#endif
