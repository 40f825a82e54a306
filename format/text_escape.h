/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Terminal-safe text: the one escaping routine every human-readable output of sysrec uses for
 * values that come from a trace (process names, paths, argv, buffers, container names, symbol
 * names).  The traced workload chose those bytes; printed raw, they would drive the analyst's
 * terminal (ESC sequences that retitle it, clear it, or forge lines of output).
 *
 * The escaped form stays one line and can be read back unambiguously, in the style of
 * strace -x and C string literals:
 *
 *   printable ASCII (0x20-0x7e)      as it is, except the backslash
 *   backslash                        \\            (so a literal "\x1b" in data shows as "\\x1b")
 *   newline, tab, carriage return    \n \t \r
 *   other bytes < 0x20, and 0x7f     \xNN          (lower-case hex)
 *   valid UTF-8 (2-4 bytes)          as it is, except the code points below
 *   C1 controls U+0080-U+009F        \xc2\xNN      (each byte; terminals obey them like ESC)
 *   U+2028, U+2029, U+202A-U+202E,   \xe2\xNN\xNN  (line breaks and bidirectional overrides
 *   U+2066-U+2069, U+FFFE, U+FFFF                  that reorder what is shown; non-characters)
 *   invalid UTF-8                    \xNN for each byte that does not start a valid sequence
 *                                    (overlong forms, surrogates, > U+10FFFF, lone
 *                                    continuation bytes, a sequence cut by the end of input)
 *
 * Only presentation changes: filters and chisels still compare the raw bytes.  The escaped
 * text never holds a NUL, a control byte, or invalid UTF-8, and is at most SR_ESC_RATIO times
 * as long as its input.
 */
#ifndef SYSREC_TEXT_ESCAPE_H
#define SYSREC_TEXT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* The escaped text is at most this many times as long as the input ("\xNN" per byte). */
#define SR_ESC_RATIO 4

/*
 * sr_text_escape - @len bytes of @src as terminal-safe text into @dst.
 * @dst: where to write; NUL-terminated whenever @dst_sz > 0.  Text that does not fit is cut
 *       between two escapes or characters, never inside one.
 * @dst_sz: capacity of @dst including the NUL (0: count only; @dst may then be NULL).
 * @return the length of the whole escaped text (without the NUL), as snprintf() does: the
 *         output was cut when it is >= @dst_sz, and then strlen(@dst) is what was written.
 */
size_t sr_text_escape(char *dst, size_t dst_sz, const void *src, size_t len);

/* sr_text_is_plain - true when @len bytes of @src show as they are (sr_text_escape() would
 * copy them unchanged): the fast path of the printers. */
bool sr_text_is_plain(const void *src, size_t len);

/* sr_utf8_len - the length (2-4) of the valid UTF-8 sequence at @p (@n bytes available), or
 * 0: not a lead byte, a sequence cut short, an overlong form, a surrogate, or > U+10FFFF. */
size_t sr_utf8_len(const unsigned char *p, size_t n);

#endif
