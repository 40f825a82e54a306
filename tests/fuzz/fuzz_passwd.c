// SPDX-License-Identifier: Apache-2.0
/*
 * Fuzz target for the passwd and group parser the recorder runs on a container's own files
 * (capture/users.c, users__parse()).  The first byte chooses the file (even: passwd, odd:
 * group), the rest is its text.  Invariants, besides no crash or leak under ASan/UBSan:
 *   - at most one entry per line, and never more than USERS_MAX_ENTRIES;
 *   - every string of an entry is inside one line of the input: no ':', no newline, at most
 *     USERS_MAX_LINE bytes; a group entry has only its name;
 *   - ids fit in 32 bits;
 *   - the parse is deterministic and a callback's non-zero return stops it at once.
 *
 * Built with -fsanitize=fuzzer as fuzz_passwd when clang and SYSREC_FUZZ are available, and
 * always linked with replay_driver.c as fuzz_passwd_replay, which ctest runs over the corpus.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "users.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz_passwd: invariant violated: %s (%s:%d)\n", #cond,    \
				__FILE__, __LINE__);                                               \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

struct seen {
	bool group;
	size_t cnt, stop_at;
	unsigned long long id_sum;
};

static void _check_str(const char *s)
{
	size_t len;

	CHECK(s);
	len = strlen(s);
	CHECK(len <= USERS_MAX_LINE);
	CHECK(!memchr(s, ':', len) && !memchr(s, '\n', len));
}

static int _entry(const struct user_ent *e, void *arg)
{
	struct seen *s = arg;

	_check_str(e->name);
	CHECK(e->id <= 0xffffffffull);
	if (s->group) {
		CHECK(!e->home && !e->shell && !e->gid);
	} else {
		_check_str(e->home);
		_check_str(e->shell);
		CHECK(e->gid <= 0xffffffffull);
	}
	s->id_sum += e->id;
	return ++s->cnt == s->stop_at ? 7 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen a = {}, b = {}, c = {};
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0, lines = 1;
	int ret;

	if (!size)
		return 0;
	a.group = b.group = c.group = data[0] & 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	CHECK(!users__parse(text, len, a.group, _entry, &a));
	CHECK(a.cnt <= lines && a.cnt <= USERS_MAX_ENTRIES);
	CHECK(!users__parse(text, len, b.group, _entry, &b));
	CHECK(a.cnt == b.cnt && a.id_sum == b.id_sum);
	if (a.cnt) {
		c.stop_at = 1;
		ret = users__parse(text, len, c.group, _entry, &c);
		CHECK(ret == 7 && c.cnt == 1);
	}
	return 0;
}
