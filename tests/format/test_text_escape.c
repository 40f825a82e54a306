// SPDX-License-Identifier: Apache-2.0
/*
 * Cases for the terminal-safe escaping of values from a trace (format/text_escape.h): each
 * kind of byte and UTF-8 edge case, cutting at the destination's capacity, and a round trip
 * over random bytes (the escaped form is safe and can be read back to the same bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "format_tests.h"
#include "test.h"
#include "text_escape.h"

/* @len bytes of @in escaped into a static buffer. */
static const char *_esc(const char *in, size_t len)
{
	static char out[1024];

	sr_text_escape(out, sizeof(out), in, len);
	return out;
}

#define ESC(lit) _esc(lit, sizeof(lit) - 1)

void test_text_escape__bytes(void)
{
	ASSERT_STREQ(ESC("plain text: /etc/passwd 42"), "plain text: /etc/passwd 42", "plain");
	ASSERT_STREQ(ESC(""), "", "empty");
	ASSERT_STREQ(ESC("a\\b"), "a\\\\b", "backslash doubled");
	ASSERT_STREQ(ESC("\\x1b"), "\\\\x1b", "a literal \\x1b is not an escape");
	ASSERT_STREQ(ESC("l1\nl2\tt\rr"), "l1\\nl2\\tt\\rr", "newline, tab, CR");
	ASSERT_STREQ(ESC("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07", "ESC and BEL");
	ASSERT_STREQ(ESC("\x1b[2J"), "\\x1b[2J", "clear screen");
	ASSERT_STREQ(ESC("a\0b"), "a\\x00b", "NUL");
	ASSERT_STREQ(ESC("\x7f\x01\x1f"), "\\x7f\\x01\\x1f", "DEL and other controls");
	ASSERT_STREQ(ESC(" ~"), " ~", "the ends of printable ASCII");
}

void test_text_escape__utf8(void)
{
	ASSERT_STREQ(ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		     "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "valid 2, 3 and 4 bytes kept");
	ASSERT_STREQ(ESC("\xc2\xa0\xdf\xbf\xef\xbf\xbd"), "\xc2\xa0\xdf\xbf\xef\xbf\xbd",
		     "U+00A0, U+07FF, U+FFFD kept");
	ASSERT_STREQ(ESC("\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf"),
		     "\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf", "U+D7FF, U+E000, U+10FFFF kept");
	/* C1 controls: valid UTF-8 that terminals obey (U+009B is CSI) */
	ASSERT_STREQ(ESC("\xc2\x9b" "2J"), "\\xc2\\x9b2J", "C1 CSI");
	ASSERT_STREQ(ESC("\xc2\x80\xc2\x9f"), "\\xc2\\x80\\xc2\\x9f", "C1 range ends");
	/* line separators, bidi overrides and isolates, non-characters */
	ASSERT_STREQ(ESC("\xe2\x80\xa8\xe2\x80\xa9"), "\\xe2\\x80\\xa8\\xe2\\x80\\xa9",
		     "U+2028, U+2029");
	ASSERT_STREQ(ESC("a\xe2\x80\xae" "cba"), "a\\xe2\\x80\\xaecba", "U+202E right-to-left override");
	ASSERT_STREQ(ESC("\xe2\x81\xa6\xe2\x81\xa9"), "\\xe2\\x81\\xa6\\xe2\\x81\\xa9", "U+2066, U+2069");
	ASSERT_STREQ(ESC("\xef\xbf\xbe\xef\xbf\xbf"), "\\xef\\xbf\\xbe\\xef\\xbf\\xbf",
		     "U+FFFE, U+FFFF");
	ASSERT_STREQ(ESC("\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa"),
		     "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa", "their neighbours kept");
}

void test_text_escape__invalid_utf8(void)
{
	ASSERT_STREQ(ESC("\xff\xfe"), "\\xff\\xfe", "bytes that never occur");
	ASSERT_STREQ(ESC("\x80"), "\\x80", "lone continuation byte");
	ASSERT_STREQ(ESC("a\xbf" "b"), "a\\xbfb", "lone continuation between ASCII");
	ASSERT_STREQ(ESC("a\xc3"), "a\\xc3", "2-byte sequence cut by the end");
	ASSERT_STREQ(ESC("a\xe2\x82"), "a\\xe2\\x82", "3-byte sequence cut by the end");
	ASSERT_STREQ(ESC("\xf0\x9f\x98"), "\\xf0\\x9f\\x98", "4-byte sequence cut by the end");
	ASSERT_STREQ(ESC("\xe2(\xa1"), "\\xe2(\\xa1", "a sequence broken by ASCII");
	ASSERT_STREQ(ESC("\xc3\xc3\xa9"), "\\xc3\xc3\xa9", "a broken lead before a valid one");
	ASSERT_STREQ(ESC("\xc0\xaf\xc1\xbf"), "\\xc0\\xaf\\xc1\\xbf", "overlong 2-byte");
	ASSERT_STREQ(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf", "overlong 3-byte '/'");
	ASSERT_STREQ(ESC("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf", "overlong 4-byte '/'");
	ASSERT_STREQ(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80", "surrogate U+D800");
	ASSERT_STREQ(ESC("\xed\xbf\xbf"), "\\xed\\xbf\\xbf", "surrogate U+DFFF");
	ASSERT_STREQ(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80", "U+110000");
	ASSERT_STREQ(ESC("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80", "lead byte 0xf5");
	ASSERT_EQ(sr_utf8_len((const unsigned char *)"\xe2\x82\xac", 2), 0, "cut by n");
	ASSERT_EQ(sr_utf8_len((const unsigned char *)"\xe2\x82\xac", 3), 3, "whole");
}

void test_text_escape__capacity(void)
{
	char out[16];

	memset(out, 'z', sizeof(out));
	ASSERT_EQ(sr_text_escape(out, 4, "ab\x1b", 3), 6, "full length returned");
	ASSERT_STREQ(out, "ab", "an escape is not cut");
	ASSERT_EQ(sr_text_escape(out, 6, "ab\x1b", 3), 6, "one byte short");
	ASSERT_STREQ(out, "ab", "still not cut");
	ASSERT_EQ(sr_text_escape(out, 7, "ab\x1b", 3), 6, "exact fit");
	ASSERT_STREQ(out, "ab\\x1b", "whole");
	ASSERT_EQ(sr_text_escape(out, 3, "a\xe2\x82\xac", 4), 4, "UTF-8 that does not fit");
	ASSERT_STREQ(out, "a", "a character is not cut");
	ASSERT_EQ(sr_text_escape(out, 4, "abcdefgh", 8), 8, "plain text is cut anywhere");
	ASSERT_STREQ(out, "abc", "plain text cut");
	ASSERT_EQ(sr_text_escape(out, 1, "abc", 3), 3, "room for the NUL only");
	ASSERT_STREQ(out, "", "empty");
	ASSERT_EQ(sr_text_escape(NULL, 0, "a\n", 2), 3, "counting only");
	ASSERT_TRUE(sr_text_is_plain("abc \xc3\xa9", 6), "plain with UTF-8");
	ASSERT_FALSE(sr_text_is_plain("a\\b", 3), "a backslash is escaped");
	ASSERT_FALSE(sr_text_is_plain("\xc2\x9b", 2), "C1 is escaped");
	ASSERT_FALSE(sr_text_is_plain("\xe2\x82", 2), "cut UTF-8 is escaped");
}

/* The escaped form read back (the inverse of sr_text_escape()); -1 on a malformed escape. */
static int _unescape(const char *s, unsigned char *out, size_t *len)
{
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			out[n++] = (unsigned char)*s++;
			continue;
		}
		switch (s[1]) {
		case '\\':
		case 'n':
		case 't':
		case 'r':
			out[n++] = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' : s[1] == 'r' ? '\r' : '\\';
			s += 2;
			break;
		case 'x': {
			char hex[3] = { s[2], s[2] ? s[3] : 0, 0 };
			char *end;

			out[n++] = (unsigned char)strtoul(hex, &end, 16);
			if (end != hex + 2)
				return -1;
			s += 4;
			break;
		}
		default:
			return -1;
		}
	}
	*len = n;
	return 0;
}

/* Nothing a terminal acts on, and valid UTF-8 throughout. */
static bool _safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++) {
		size_t u;

		if (p[i] < 0x20 || p[i] == 0x7f)
			return false;
		if (p[i] < 0x80)
			continue;
		u = sr_utf8_len(p + i, n - i);
		if (!u || (p[i] == 0xc2 && p[i + 1] < 0xa0))
			return false;
		i += u - 1;
	}
	return true;
}

void test_text_escape__round_trip(void)
{
	/* bytes that make escaping hard: the escape's own characters, controls, UTF-8 parts */
	static const unsigned char alphabet[] = { '\\', 'x', '1', 'b', 'n', ' ', 0, '\n', '\t',
		'\r', 0x1b, 0x07, 0x7f, 0x80, 0x9b, 0xa9, 0xbf, 0xc2, 0xc3, 0xe2, 0x82, 0xac, 0xed,
		0xa0, 0xf0, 0x9f, 0x98, 0xf4, 0x90, 0xff };
	unsigned char in[64], back[1024];
	char out[64 * SR_ESC_RATIO + 1];
	uint64_t rng = 15;

	for (int iter = 0; iter < 20000; iter++) {
		size_t len, n, back_len;

		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		len = (rng >> 33) % sizeof(in);
		for (size_t i = 0; i < len; i++) {
			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			in[i] = (rng >> 40) & 1 ? alphabet[(rng >> 33) % sizeof(alphabet)]
						: (unsigned char)(rng >> 48);
		}
		n = sr_text_escape(out, sizeof(out), in, len);
		if (!ASSERT_LE(n, len * SR_ESC_RATIO, "at most SR_ESC_RATIO times as long") ||
		    !ASSERT_EQ(strlen(out), n, "the whole text fits") ||
		    !ASSERT_TRUE(_safe(out), "no control bytes, valid UTF-8") ||
		    !ASSERT_OK(_unescape(out, back, &back_len), "well-formed escapes") ||
		    !ASSERT_EQ(back_len, len, "read back: length") ||
		    !ASSERT_TRUE(!memcmp(back, in, len), "read back: the same bytes") ||
		    !ASSERT_EQ(sr_text_is_plain(in, len), n == len && !memcmp(out, in, len),
			       "plain exactly when unchanged"))
			return;
	}
}
