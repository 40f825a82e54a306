/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A tiny test harness in the spirit of the BPF selftests' test_progs: an executable holds a
 * table of named cases; each case is a void function that makes assertions.
 *
 * Every ASSERT_*() macro evaluates to a bool: true when the assertion holds; otherwise it
 * prints the case name, file:line, what was checked, the expected and the actual value, marks
 * the case failed and evaluates to false, so a case can stop after a failed setup:
 *
 *	err = trace_reader__open_source(src, &r, &diag);
 *	if (!ASSERT_OK(err, "open"))
 *		goto out;
 *
 * Integers are compared by value whatever their types (both sides are widened to 128 bits), so
 * ASSERT_EQ(rec.ts, 5) and ASSERT_EQ(err, -SR_ERR_TRUNCATED) need no casts.
 *
 * test_main() runs every case, or those named by the arguments (shell globs accepted), prints
 * one line per case and a closing line "N passed, M failed" (", K skipped" when any were
 * skipped), and returns the exit code: 1 if any case failed, 77 (ctest's SKIP_RETURN_CODE) if
 * every case that ran was skipped, else 0.  `-l` lists the cases.
 *
 * Library log messages (sr_log) are captured rather than printed; a failing case prints how
 * many there were and the last one.  SYSREC_TEST_VERBOSE=1 prints them all.
 */
#ifndef SYSREC_TEST_H
#define SYSREC_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

/* An entry of the case table: TEST_CASE(test_reader__truncated_header). */
#define TEST_CASE(f) { .name = #f, .fn = f }

/* Run @cases (see above); @return the exit code for main(). */
int test_main(int argc, char **argv, const struct test_case *cases, size_t cnt);

/* Skip the current case: prints the reason loudly.  The case should return right after. */
void test__skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* True when the current case has failed so far (e.g. to decide a forked child's exit code). */
bool test__failed(void);

/* Name of the current case. */
const char *test__name(void);

/* Library log messages captured since the case started: their count and the last one. */
unsigned int test__log_cnt(void);
const char *test__log_last(void);

/* Mark the current case failed with a message; evaluates to false.  For checks that do not
 * fit the macros below (a record differs, a file has the wrong shape). */
#define TEST_FAIL(...) test__fail(__FILE__, __LINE__, __VA_ARGS__)

/* ---- implementation details of the macros ---- */

#define _TEST_SIGNED(x)                                                                           \
	_Generic((x), signed char: 1, short: 1, int: 1, long: 1, long long: 1, default: 0)

bool test__fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool test__fail_cmp(const char *file, int line, const char *what, const char *op, int a_signed,
		    __int128 a, int e_signed, __int128 e);
bool test__fail_err(const char *file, int line, const char *what, long long err);
void test__pass(void);

#define _ASSERT_CMP(actual, expected, op, what)                                                   \
	({                                                                                        \
		__auto_type _a = (actual);                                                        \
		__auto_type _e = (expected);                                                      \
		bool _ok = (__int128)_a op(__int128) _e;                                          \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail_cmp(__FILE__, __LINE__, (what), #op, _TEST_SIGNED(_a), _a,      \
				       _TEST_SIGNED(_e), _e);                                     \
		_ok;                                                                              \
	})

/* ---- the assertions ---- */

#define ASSERT_EQ(actual, expected, what) _ASSERT_CMP(actual, expected, ==, what)
#define ASSERT_NEQ(actual, expected, what) _ASSERT_CMP(actual, expected, !=, what)
#define ASSERT_LT(actual, expected, what) _ASSERT_CMP(actual, expected, <, what)
#define ASSERT_LE(actual, expected, what) _ASSERT_CMP(actual, expected, <=, what)
#define ASSERT_GT(actual, expected, what) _ASSERT_CMP(actual, expected, >, what)
#define ASSERT_GE(actual, expected, what) _ASSERT_CMP(actual, expected, >=, what)

/* @err is 0 (prints sr_strerror() of it when not). */
#define ASSERT_OK(err, what)                                                                      \
	({                                                                                        \
		long long _err = (err);                                                           \
		bool _ok = _err == 0;                                                             \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail_err(__FILE__, __LINE__, (what), _err);                         \
		_ok;                                                                              \
	})

#define ASSERT_TRUE(cond, what)                                                                   \
	({                                                                                        \
		bool _ok = !!(cond);                                                              \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail(__FILE__, __LINE__, "%s: expected true: %s", (what), #cond);   \
		_ok;                                                                              \
	})

#define ASSERT_FALSE(cond, what)                                                                  \
	({                                                                                        \
		bool _ok = !(cond);                                                               \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail(__FILE__, __LINE__, "%s: expected false: %s", (what), #cond);  \
		_ok;                                                                              \
	})

#define ASSERT_OK_PTR(ptr, what)                                                                  \
	({                                                                                        \
		bool _ok = (ptr) != NULL;                                                         \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail(__FILE__, __LINE__, "%s: got NULL", (what));                   \
		_ok;                                                                              \
	})

#define ASSERT_STREQ(actual, expected, what)                                                      \
	({                                                                                        \
		const char *_a = (actual), *_e = (expected);                                      \
		bool _ok = _a && _e && !strcmp(_a, _e);                                           \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail(__FILE__, __LINE__, "%s: expected \"%s\", got \"%s\"", (what),  \
				   _e ? _e : "(null)", _a ? _a : "(null)");                       \
		_ok;                                                                              \
	})

/* @haystack contains @needle. */
#define ASSERT_STR_HAS(haystack, needle, what)                                                    \
	({                                                                                        \
		const char *_h = (haystack), *_n = (needle);                                      \
		bool _ok = _h && _n && strstr(_h, _n);                                            \
		if (_ok)                                                                          \
			test__pass();                                                             \
		else                                                                              \
			test__fail(__FILE__, __LINE__, "%s: \"%s\" does not contain \"%s\"",   \
				   (what), _h ? _h : "(null)", _n ? _n : "(null)");               \
		_ok;                                                                              \
	})

#endif
