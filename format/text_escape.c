// SPDX-License-Identifier: Apache-2.0
/* Terminal-safe text; see text_escape.h for the escaped form. */
#include <string.h>

#include "text_escape.h"

size_t sr_utf8_len(const unsigned char *p, size_t n)
{
	size_t len = p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
		   : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;

	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3- and 4-byte forms, surrogates U+D800-U+DFFF, beyond U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return len;
}

/* Valid UTF-8 that is still escaped: C1 controls, line and paragraph separators,
 * bidirectional embeddings/overrides/isolates, and the non-characters U+FFFE/U+FFFF. */
static bool _hidden(const unsigned char *p, size_t u)
{
	if (u == 2)
		return p[0] == 0xc2 && p[1] < 0xa0;
	if (u != 3)
		return false;
	if (p[0] == 0xe2 && p[1] == 0x80)
		return p[2] >= 0xa8 && p[2] <= 0xae;
	if (p[0] == 0xe2 && p[1] == 0x81)
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	return p[0] == 0xef && p[1] == 0xbf && p[2] >= 0xbe;
}

static bool _plain_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

/*
 * The next piece of output for @p (@n > 0 bytes left): either a run of plain bytes to copy
 * (*@piece points into @p; it may be cut anywhere) or one escape or UTF-8 character to write
 * whole (*@whole set).  @return the input bytes consumed.
 */
static size_t _piece(const unsigned char *p, size_t n, char esc[16], const char **piece,
		     size_t *piece_len, bool *whole)
{
	static const char hex[] = "0123456789abcdef";
	size_t k = 0, u;

	*whole = false;
	while (k < n && _plain_ascii(p[k]))
		k++;
	if (k) {
		*piece = (const char *)p;
		*piece_len = k;
		return k;
	}
	*whole = true;
	*piece = esc;
	if (p[0] >= 0x80 && (u = sr_utf8_len(p, n))) {
		if (!_hidden(p, u)) {
			*piece = (const char *)p;
			*piece_len = u;
			return u;
		}
	} else {
		u = 1;
	}
	if (u == 1 && (p[0] == '\\' || p[0] == '\n' || p[0] == '\t' || p[0] == '\r')) {
		esc[0] = '\\';
		esc[1] = p[0] == '\\' ? '\\' : p[0] == '\n' ? 'n' : p[0] == '\t' ? 't' : 'r';
		*piece_len = 2;
		return 1;
	}
	for (size_t i = 0; i < u; i++) {
		esc[i * 4] = '\\';
		esc[i * 4 + 1] = 'x';
		esc[i * 4 + 2] = hex[p[i] >> 4];
		esc[i * 4 + 3] = hex[p[i] & 15];
	}
	*piece_len = u * 4;
	return u;
}

size_t sr_text_escape(char *dst, size_t dst_sz, const void *src, size_t len)
{
	const unsigned char *p = src;
	size_t room = dst_sz ? dst_sz - 1 : 0;
	size_t total = 0, written = 0;
	bool cut = false;
	char esc[16];

	for (size_t i = 0; i < len;) {
		const char *piece;
		size_t n;
		bool whole;

		i += _piece(p + i, len - i, esc, &piece, &n, &whole);
		total += n;
		if (cut)
			continue; /* only counting now */
		if (written + n > room) {
			cut = true;
			if (whole)
				continue;
			n = room - written;
		}
		if (n) /* @dst may be NULL when there is no room */
			memcpy(dst + written, piece, n);
		written += n;
	}
	if (dst_sz)
		dst[written] = '\0';
	return total;
}

bool sr_text_is_plain(const void *src, size_t len)
{
	const unsigned char *p = src;

	for (size_t i = 0; i < len; i++) {
		size_t u;

		if (_plain_ascii(p[i]))
			continue;
		if (p[i] < 0x80 || !(u = sr_utf8_len(p + i, len - i)) || _hidden(p + i, u))
			return false;
		i += u - 1;
	}
	return true;
}
