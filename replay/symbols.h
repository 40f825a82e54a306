/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Naming sample addresses from the trace alone: the MAPPING records say which object a
 * process had at an address (and at which file offset), the SYMBOLS records carry the objects'
 * symbol tables (by build-id, else by path) and the kernel functions seen.  Nothing is read
 * from the machine replay runs on, so a binary that only existed inside a container, long
 * gone, is still named.
 */
#ifndef SYSREC_SYMBOLS_H
#define SYSREC_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "record.h"

struct sr_symbols;

struct sr_symbols *sr_symbols__new(void);
void sr_symbols__free(struct sr_symbols *s);

/* Take a MAPPING, SYMBOLS, EXEC (the process's old mappings go) or PROBE_DEF record. */
void sr_symbols__record(struct sr_symbols *s, const struct trace_rec *rec);

struct sr_sym {
	const char *name;   /* the function, or NULL when unknown */
	uint64_t offset;    /* ip - function start */
	const char *object; /* the object's path ("[kernel]" for the kernel), or NULL */
};

/* Name @ip of process @pid (@kernel: a kernel address).  Strings live as long as @s. */
void sr_symbols__resolve(struct sr_symbols *s, uint32_t pid, uint64_t ip, bool kernel,
			 struct sr_sym *out);

/* Also look in @dir for objects the trace has no symbols of (recorded with their files gone,
 * or stripped): DIR/.build-id/xx/yyyy.debug by build-id, then DIR/PATH. */
void sr_symbols__set_symfs(struct sr_symbols *s, const char *dir);

/* Name of sample event @id (its PROBE_DEF spec), or NULL. */
const char *sr_symbols__event_name(struct sr_symbols *s, uint64_t id);

#endif
