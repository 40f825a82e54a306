// SPDX-License-Identifier: Apache-2.0
/*
 * The logger behind sr_log().  The callback and level are the only process-wide settings in
 * the libraries, as with libbpf_set_print(): a program has one stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_log.h"
#include "text_escape.h"

static int log_level = -1; /* -1: not yet read from SYSREC_LOG_LEVEL */
static sr_log_fn log_fn;

static int _level_from_env(void)
{
	const char *s = getenv("SYSREC_LOG_LEVEL");

	if (!s)
		return SR_LOG_WARN;
	if (!strcmp(s, "debug"))
		return SR_LOG_DEBUG;
	if (!strcmp(s, "info"))
		return SR_LOG_INFO;
	if (!strcmp(s, "error"))
		return SR_LOG_ERROR;
	return SR_LOG_WARN;
}

enum sr_log_level sr_log_get_level(void)
{
	if (log_level < 0)
		log_level = _level_from_env();
	return log_level;
}

void sr_log_set_level(enum sr_log_level level)
{
	log_level = level;
}

sr_log_fn sr_log_set_fn(sr_log_fn fn)
{
	sr_log_fn old = log_fn;

	log_fn = fn;
	return old;
}

/* One line, terminal-safe: messages may quote names a traced program chose. */
static void _log_stderr(enum sr_log_level level, const char *fmt, va_list ap)
{
	char buf[1024], esc[sizeof(buf) * SR_ESC_RATIO];
	size_t len;

	if ((int)level > (int)sr_log_get_level())
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		len--;
	sr_text_escape(esc, sizeof(esc), buf, len);
	fprintf(stderr, "sysrec: %s\n", esc);
}

void sr_log(enum sr_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_fn)
		log_fn(level, fmt, ap);
	else
		_log_stderr(level, fmt, ap);
	va_end(ap);
}
