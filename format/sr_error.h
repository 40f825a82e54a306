/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error codes shared by every part of sysrec.
 *
 * Functions that can fail return 0 on success and a negative number on failure: -errno when a
 * standard errno says it accurately (-ENOENT, -ENOMEM, -EBADMSG for corrupt data, -EOPNOTSUPP
 * for a missing kernel feature), or -SR_ERR_* from the project range below, which starts above
 * the errno space as libbpf's does.  sr_strerror() names both.
 *
 * Never renumber a code: retire it and keep its slot (the list is checked by
 * tests/format/test_errors.c against docs/errors.md).
 */
#ifndef SYSREC_SR_ERROR_H
#define SYSREC_SR_ERROR_H

enum sr_error {
	SR_ERR_START = 4000,
	/* A trace file ends in the middle of a block (crash, full disk, kill -9). */
	SR_ERR_TRUNCATED = 4000,
	/* A trace file's major version is not one this reader understands. */
	SR_ERR_VERSION = 4001,
	/* Not a sysrec trace file (bad magic). */
	SR_ERR_MAGIC = 4002,
	/* A block's checksum does not match its bytes. */
	SR_ERR_CHECKSUM = 4003,
	/* A record is larger than the format allows. */
	SR_ERR_RECORD_SIZE = 4004,
	/* The trace writer's background thread failed earlier; the error is sticky. */
	SR_ERR_WRITER = 4005,
	/* A filter expression does not parse or does not type-check. */
	SR_ERR_FILTER = 4006,
	/* A command-line argument is invalid. */
	SR_ERR_USAGE = 4007,
	SR_ERR_END,
};

/*
 * A parser's diagnostic: the machine-readable code plus a human message and the position it
 * refers to (a byte offset in a file, or a column in an expression).  Parsers take an optional
 * `struct sr_diag *` and fill it when they fail; `msg` is complete on its own
 * ("chunk at offset 4096: checksum mismatch (stored 0x1234abcd, computed 0x99887766)").
 */
struct sr_diag {
	int err;       /* negative error code, 0 if nothing went wrong */
	long long pos; /* byte offset or column, -1 when not applicable */
	char msg[256];
};

/* Fill @d (when not NULL) and return @err, so callers can `return sr_diag__set(...)`. */
int sr_diag__set(struct sr_diag *d, int err, long long pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * sr_strerror - human text for an error code.
 * @err: a value returned by a sysrec function, negative or positive (both accepted).
 * @return a static string, never NULL; "unknown error N" codes use a thread-local buffer.
 */
const char *sr_strerror(int err);

#endif
