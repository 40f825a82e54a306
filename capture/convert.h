/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Turning the driver's ring-buffer records (driver-bpf/records.h) into trace records
 * (format/record.h).  The record-type table says what each trace field means; this file is
 * where the two layouts meet.
 *
 * SYSCALL records: ts is the time the call returned (entry = ts - latency_ns); ints are
 * nr, ret, latency_ns, flags, then the syscall's arguments (as many as it takes); blobs are the
 * captured user memory, tag = argument index.
 */
#ifndef SYSREC_CONVERT_H
#define SYSREC_CONVERT_H

#include <stdint.h>

#include "record.h"

/* The driver's path components come in slots of this size (driver-bpf/path.bpf.h). */
#define CONVERT_NAME_SLOT 256

/* Room for a name convert_rb() builds (an fd's path or socket name). */
#define CONVERT_NAME_MAX (4096 + 64)

/*
 * convert_rb - convert one ring record of @len bytes, read on @cpu, into @rec (blobs point
 * into @raw, or into @name, where a name is built).  @return 1 with a record, 0 for a record
 * type this build does not know, or -EBADMSG for a malformed record (a driver bug: lengths
 * inconsistent).
 */
int convert_rb(const void *raw, uint32_t len, uint16_t cpu, struct trace_rec *rec,
	       char name[CONVERT_NAME_MAX]);

#endif
