/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The field registry: every field a filter, an output format (-p) or a chisel can read from an
 * event, with its type, description and getter.  `sysrec fields` and docs/filters.md are
 * generated from this table, so a field exists exactly when it is documented.
 *
 * A field reference is a name, optionally with an argument: `evt.arg.path`, `evt.arg[1]`,
 * `proc.aname[2]`.  sr_field__parse() resolves the text once; the getter then runs per event.
 */
#ifndef SYSREC_FIELDS_H
#define SYSREC_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "value.h"

struct sr_evt;

/* What may follow a field's name. */
enum sr_field_arg {
	SR_FARG_NONE = 0,
	SR_FARG_INDEX,         /* [N] optional; e.g. proc.aname[2] (default 1 when absent) */
	SR_FARG_NAME_OR_INDEX, /* .NAME or [N] required; e.g. evt.arg.fd, evt.arg[0] */
};

struct sr_field_ref;

struct sr_field_def {
	const char *name; /* "proc.name", "evt.arg" */
	enum sr_ftype type;
	enum sr_field_arg arg;
	const char *desc; /* one sentence, for `sysrec fields` */
	/* Fill @out for @ev: true when the event has the field (see `exists`), false if not. */
	bool (*get)(struct sr_evt *ev, const struct sr_field_ref *ref, struct sr_value *out);
};

#define SR_FIELD_ARG_NAME_MAX 64

struct sr_field_ref {
	const struct sr_field_def *def;
	int32_t idx;                          /* [N], or -1 */
	char name[SR_FIELD_ARG_NAME_MAX];     /* .NAME, or "" */
};

/*
 * sr_field__parse - resolve @len bytes of @text ("proc.name", "evt.arg.fd", "evt.arg[2]").
 * @return 0 and *@ref; -ENOENT for an unknown field, -EINVAL for a missing or bad argument;
 *         @err (if not NULL) then gets a message without position, e.g.
 *         "unknown field 'proc.nmae' (did you mean proc.name?)".
 */
int sr_field__parse(const char *text, size_t len, struct sr_field_ref *ref, char *err,
		    size_t err_sz);

/* The value of @ref for @ev (see sr_field_def.get). */
static inline bool sr_field__get(struct sr_evt *ev, const struct sr_field_ref *ref,
				 struct sr_value *out)
{
	return ref->def->get(ev, ref, out);
}

/* Every field, in documentation order; *@cnt receives the count.  Static storage. */
const struct sr_field_def *sr_field__all(size_t *cnt);

/* Name of a type as `sysrec fields` shows it ("uint", "string", "ipaddr", ...). */
const char *sr_ftype__name(enum sr_ftype type);

#endif
