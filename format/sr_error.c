// SPDX-License-Identifier: Apache-2.0
/* Texts for the project's error codes; errno values fall through to strerror_r(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sr_error.h"

static const char *const sr_error_text[SR_ERR_END - SR_ERR_START] = {
	[SR_ERR_TRUNCATED - SR_ERR_START] = "trace file is truncated",
	[SR_ERR_VERSION - SR_ERR_START] = "trace file format version is not supported",
	[SR_ERR_MAGIC - SR_ERR_START] = "not a sysrec trace file",
	[SR_ERR_CHECKSUM - SR_ERR_START] = "checksum mismatch",
	[SR_ERR_RECORD_SIZE - SR_ERR_START] = "record too large",
	[SR_ERR_WRITER - SR_ERR_START] = "trace writer failed earlier",
	[SR_ERR_FILTER - SR_ERR_START] = "invalid filter",
	[SR_ERR_USAGE - SR_ERR_START] = "invalid usage",
};

const char *sr_strerror(int err)
{
	static _Thread_local char buf[64];

	if (err < 0)
		err = -err;
	if (!err)
		return "success";
	if (err >= SR_ERR_START && err < SR_ERR_END && sr_error_text[err - SR_ERR_START])
		return sr_error_text[err - SR_ERR_START];
	if (err > 0 && err < SR_ERR_START) {
		const char *s = strerror_r(err, buf, sizeof(buf)); /* GNU variant */
		return s;
	}
	snprintf(buf, sizeof(buf), "unknown error %d", err);
	return buf;
}

int sr_diag__set(struct sr_diag *d, int err, long long pos, const char *fmt, ...)
{
	va_list ap;

	if (!d)
		return err;
	d->err = err;
	d->pos = pos;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return err;
}
