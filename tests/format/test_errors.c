// SPDX-License-Identifier: Apache-2.0
/*
 * The error table (curl's test 1477 in spirit): every code from SR_ERR_START to SR_ERR_END - 1
 * has a name in format/sr_error.h, its own sr_strerror() text, and an entry in docs/errors.md.
 * The names are read from the header itself, so the list is not restated here.  CMake passes
 * both paths (SYSREC_SR_ERROR_H_PATH, SYSREC_ERRORS_MD_PATH).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format_tests.h"
#include "sr_error.h"
#include "tf_util.h"
#include "test.h"

#ifndef SYSREC_SR_ERROR_H_PATH
#error "CMake must define SYSREC_SR_ERROR_H_PATH"
#endif
#ifndef SYSREC_ERRORS_MD_PATH
#error "CMake must define SYSREC_ERRORS_MD_PATH"
#endif

#define CODE_CNT (SR_ERR_END - SR_ERR_START)

/* Does @text contain @name as a whole identifier? */
static bool _has_word(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
		bool start = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		bool end = !(isalnum((unsigned char)p[len]) || p[len] == '_');

		if (start && end)
			return true;
	}
	return false;
}

/* Names of the codes from the header's "SR_ERR_NAME = 4000," lines. */
static bool _read_names(char names[CODE_CNT][64])
{
	char line[512];
	unsigned int found = 0;
	FILE *f = fopen(SYSREC_SR_ERROR_H_PATH, "r");

	if (!ASSERT_OK_PTR(f, "open " SYSREC_SR_ERROR_H_PATH))
		return false;
	while (fgets(line, sizeof(line), f)) {
		char name[64], *end;
		const char *eq;
		long v;

		if (sscanf(line, " %63[A-Z0-9_] =", name) != 1 || strncmp(name, "SR_ERR_", 7))
			continue;
		eq = strchr(line, '=');
		if (!eq)
			continue;
		errno = 0;
		v = strtol(eq + 1, &end, 10);
		if (errno || end == eq + 1 || !strcmp(name, "SR_ERR_START"))
			continue;
		if (!ASSERT_TRUE(v >= SR_ERR_START && v < SR_ERR_END, "code in range")) {
			TEST_FAIL("(%s = %ld)", name, v);
			continue;
		}
		if (!ASSERT_EQ(names[v - SR_ERR_START][0], 0, "one name per code"))
			TEST_FAIL("(%s and %s are both %ld)", names[v - SR_ERR_START], name, v);
		snprintf(names[v - SR_ERR_START], 64, "%s", name);
		found++;
	}
	fclose(f);
	return ASSERT_EQ(found, CODE_CNT, "named codes in sr_error.h");
}

void test_errors__documented(void)
{
	char names[CODE_CNT][64] = { { 0 } };
	uint8_t *doc = NULL;
	size_t doc_sz = 0;
	char *text = NULL;
	int err;

	_read_names(names);
	err = tf_load(SYSREC_ERRORS_MD_PATH, &doc, &doc_sz);
	if (!ASSERT_OK(err, "read " SYSREC_ERRORS_MD_PATH))
		TEST_FAIL("docs/errors.md must list every SR_ERR_* code");
	text = calloc(1, doc_sz + 1);
	if (!ASSERT_OK_PTR(text, "calloc"))
		goto out;
	if (doc)
		memcpy(text, doc, doc_sz);
	for (int code = SR_ERR_START; code < SR_ERR_END; code++) {
		const char *name = names[code - SR_ERR_START];
		const char *msg = sr_strerror(-code);
		char generic[64];

		if (!ASSERT_TRUE(name[0], "the code has a name in sr_error.h")) {
			TEST_FAIL("(code %d)", code);
			continue;
		}
		snprintf(generic, sizeof(generic), "unknown error %d", code);
		if (!ASSERT_TRUE(msg && msg[0] && strcmp(msg, generic), "sr_strerror has a text"))
			TEST_FAIL("(%s)", name);
		ASSERT_STREQ(sr_strerror(code), msg, "positive and negative codes agree");
		for (int other = SR_ERR_START; other < code; other++)
			if (!ASSERT_TRUE(strcmp(sr_strerror(other), msg), "texts are distinct"))
				TEST_FAIL("(%s and %s)", name, names[other - SR_ERR_START]);
		if (doc && !ASSERT_TRUE(_has_word(text, name), "documented in docs/errors.md"))
			TEST_FAIL("(%s is missing from %s)", name, SYSREC_ERRORS_MD_PATH);
	}
	/* errno values and unknown codes */
	ASSERT_STREQ(sr_strerror(-ENOENT), strerror(ENOENT), "errno text");
	char unknown[64];

	snprintf(unknown, sizeof(unknown), "unknown error %d", SR_ERR_END + 100);
	ASSERT_STREQ(sr_strerror(SR_ERR_END + 100), unknown, "an unknown code");
out:
	free(text);
	free(doc);
}
