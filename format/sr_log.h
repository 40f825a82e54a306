/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one logger of sysrec.  Libraries never print to stdout; they call sr_log(), which hands
 * the message to a settable callback (like libbpf_set_print()).  The default callback writes
 * "sysrec: <message>" to stderr for messages at or above the current level (warn unless
 * SYSREC_LOG_LEVEL=debug|info|warn|error says otherwise, or sr_log_set_level() is called),
 * as one terminal-safe line (text_escape.h): a message may quote a name a traced program chose.
 *
 * Message style: subject first and quoted, lower case, no trailing period:
 *   "map 'events': cannot resize to 64 MiB: Cannot allocate memory"
 */
#ifndef SYSREC_SR_LOG_H
#define SYSREC_SR_LOG_H

#include <stdarg.h>

enum sr_log_level {
	SR_LOG_ERROR = 0,
	SR_LOG_WARN = 1,
	SR_LOG_INFO = 2,
	SR_LOG_DEBUG = 3,
};

typedef void (*sr_log_fn)(enum sr_log_level level, const char *fmt, va_list ap);

/* Log a message; a trailing newline is added by the default callback when missing. */
void sr_log(enum sr_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Replace the callback (NULL restores the default); returns the previous one. */
sr_log_fn sr_log_set_fn(sr_log_fn fn);

/* Set the level of the default callback. */
void sr_log_set_level(enum sr_log_level level);
enum sr_log_level sr_log_get_level(void);

#define sr_err(...) sr_log(SR_LOG_ERROR, __VA_ARGS__)
#define sr_warn(...) sr_log(SR_LOG_WARN, __VA_ARGS__)
#define sr_info(...) sr_log(SR_LOG_INFO, __VA_ARGS__)
#define sr_debug(...) sr_log(SR_LOG_DEBUG, __VA_ARGS__)

#endif
