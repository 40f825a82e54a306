/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The probes of a trace (PROBE_DEF records) and the formats of its tracepoints (TP_FORMAT,
 * as tracefs printed them), so that a probe hit is shown with named, typed arguments.
 */
#ifndef SYSREC_PROBE_DEFS_H
#define SYSREC_PROBE_DEFS_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

#define SR_PROBE_DEF_MAX_ARGS 64

enum sr_parg_kind {
	SR_PARG_INT,      /* a number in the tracepoint record, or a uprobe value */
	SR_PARG_HEX,      /* x64 */
	SR_PARG_CHARS,    /* char[N] in the record */
	SR_PARG_DATA_LOC, /* __data_loc char[]: offset and length in the record */
	SR_PARG_STRING,   /* a user string captured at the hit (blob 16 + value index) */
	SR_PARG_AUTO,     /* a captured string when there is one, else the number */
};

struct sr_parg {
	char name[48];
	uint8_t kind;     /* enum sr_parg_kind */
	bool is_signed;
	uint16_t offset, size; /* in the tracepoint record */
	int8_t value;     /* uprobes and pointer fields: index in the hit's values, or -1 */
};

struct sr_probe_def {
	uint64_t id;
	uint32_t kind; /* enum tr_probe_kind */
	char *spec;
	struct sr_parg args[SR_PROBE_DEF_MAX_ARGS];
	int arg_cnt;
};

struct sr_probe_defs;

struct sr_probe_defs *sr_probe_defs__new(void);
void sr_probe_defs__free(struct sr_probe_defs *d);
/* Take a PROBE_DEF or TP_FORMAT record. */
void sr_probe_defs__record(struct sr_probe_defs *d, const struct trace_rec *rec);
/* The probe @id, or NULL. */
const struct sr_probe_def *sr_probe_defs__get(const struct sr_probe_defs *d, uint64_t id);

#endif
