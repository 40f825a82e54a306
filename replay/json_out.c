// SPDX-License-Identifier: Apache-2.0
#include <inttypes.h>
#include <string.h>

#include "json_out.h"

void json_out__begin(struct json_out *j, struct sr_str *s)
{
	j->s = s;
	j->first = true;
	sr_str__putn(s, "{", 1);
}

void json_out__end(struct json_out *j)
{
	sr_str__putn(j->s, "}", 1);
}

void json_out__key(struct json_out *j, const char *key)
{
	if (!j->first)
		sr_str__putn(j->s, ",", 1);
	j->first = false;
	json_out__string(j, key, strlen(key));
	sr_str__putn(j->s, ":", 1);
}

void json_out__string(struct json_out *j, const char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	struct sr_str *s = j->s;
	size_t run = 0;

	sr_str__putn(s, "\"", 1);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			run++;
			continue;
		}
		sr_str__putn(s, p + i - run, run);
		run = 0;
		if (c >= 0x80) { /* valid UTF-8 passes through; other bytes as the text "\xNN" */
			size_t u = sr_utf8_len((const unsigned char *)p + i, len - i);

			if (u) {
				sr_str__putn(s, p + i, u);
				i += u - 1;
			} else {
				memcpy(esc, "\\\\x", 3); /* a JSON-escaped backslash, then x */
				esc[3] = hex[c >> 4];
				esc[4] = hex[c & 15];
				sr_str__putn(s, esc, 5);
			}
			continue;
		}
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			sr_str__putn(s, esc, 2);
		} else if (c == '\n') {
			sr_str__putn(s, "\\n", 2);
		} else if (c == '\t') {
			sr_str__putn(s, "\\t", 2);
		} else {
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			sr_str__putn(s, esc, 6);
		}
	}
	sr_str__putn(s, p + len - run, run);
	sr_str__putn(s, "\"", 1);
}

void json_out__u64(struct json_out *j, uint64_t v)
{
	char buf[24];
	int n = 0;

	do
		buf[sizeof(buf) - 1 - n++] = (char)('0' + v % 10);
	while ((v /= 10));
	sr_str__putn(j->s, buf + sizeof(buf) - n, (size_t)n);
}

void json_out__i64(struct json_out *j, int64_t v)
{
	if (v < 0) {
		sr_str__putn(j->s, "-", 1);
		json_out__u64(j, (uint64_t)0 - (uint64_t)v);
		return;
	}
	json_out__u64(j, (uint64_t)v);
}

void json_out__bool(struct json_out *j, bool v)
{
	sr_str__puts(j->s, v ? "true" : "false");
}

void json_out__null(struct json_out *j)
{
	sr_str__putn(j->s, "null", 4);
}

void json_out__object_begin(struct json_out *j)
{
	sr_str__putn(j->s, "{", 1);
	j->first = true;
}

void json_out__object_end(struct json_out *j)
{
	sr_str__putn(j->s, "}", 1);
	j->first = false;
}
