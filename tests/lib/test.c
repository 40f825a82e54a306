// SPDX-License-Identifier: Apache-2.0
/*
 * The test harness behind test.h: runs the cases of a table, counts assertions, captures the
 * library's log messages, and prints one line per case and a closing "N passed, M failed".
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sr_error.h"
#include "sr_log.h"
#include "test.h"

/* Failures printed per case before the rest are only counted (a loop may fail thousands of
 * times for one reason). */
#define TEST_MAX_PRINTED 20

struct test_state {
	const char *name;
	unsigned int fail_cnt;
	unsigned long long pass_cnt;
	bool skipped;
	char skip_reason[256];
	unsigned int log_cnt;
	char log_last[512];
	bool verbose;
};

static struct test_state cur;

static void _log_capture(enum sr_log_level level, const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };
	va_list aq;

	if (level > SR_LOG_INFO)
		return;
	cur.log_cnt++;
	va_copy(aq, ap);
	vsnprintf(cur.log_last, sizeof(cur.log_last), fmt, aq);
	va_end(aq);
	if (cur.verbose)
		fprintf(stderr, "  [%s] %s: %s\n", names[level], cur.name ? cur.name : "-",
			cur.log_last);
}

void test__pass(void)
{
	cur.pass_cnt++;
}

static void _fail_prefix(const char *file, int line)
{
	cur.fail_cnt++;
	if (cur.fail_cnt <= TEST_MAX_PRINTED)
		fprintf(stdout, "%s: %s:%d: ", cur.name ? cur.name : "-", file, line);
}

static void _fail_end(void)
{
	if (cur.fail_cnt <= TEST_MAX_PRINTED)
		fputc('\n', stdout);
	if (cur.fail_cnt == TEST_MAX_PRINTED)
		fprintf(stdout, "%s: (further failures of this case are counted, not printed)\n",
			cur.name);
	fflush(stdout);
}

bool test__fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	_fail_prefix(file, line);
	if (cur.fail_cnt <= TEST_MAX_PRINTED) {
		va_start(ap, fmt);
		vfprintf(stdout, fmt, ap);
		va_end(ap);
	}
	_fail_end();
	return false;
}

static void _print_int(int is_signed, __int128 v)
{
	if (is_signed || v < 0) {
		fprintf(stdout, "%lld", (long long)v);
		return;
	}
	fprintf(stdout, "%llu", (unsigned long long)v);
	if ((unsigned __int128)v > 0xffff)
		fprintf(stdout, " (0x%llx)", (unsigned long long)v);
}

bool test__fail_cmp(const char *file, int line, const char *what, const char *op, int a_signed,
		    __int128 a, int e_signed, __int128 e)
{
	_fail_prefix(file, line);
	if (cur.fail_cnt <= TEST_MAX_PRINTED) {
		if (!strcmp(op, "=="))
			fprintf(stdout, "%s: expected ", what);
		else if (!strcmp(op, "!="))
			fprintf(stdout, "%s: expected anything but ", what);
		else
			fprintf(stdout, "%s: expected a value %s ", what, op);
		_print_int(e_signed, e);
		fprintf(stdout, ", got ");
		_print_int(a_signed, a);
	}
	_fail_end();
	return false;
}

bool test__fail_err(const char *file, int line, const char *what, long long err)
{
	return test__fail(file, line, "%s: expected 0 (success), got %lld (%s)", what, err,
			  sr_strerror((int)err));
}

void test__skip(const char *fmt, ...)
{
	va_list ap;

	cur.skipped = true;
	va_start(ap, fmt);
	vsnprintf(cur.skip_reason, sizeof(cur.skip_reason), fmt, ap);
	va_end(ap);
	fprintf(stdout, "%s: SKIPPED: %s\n", cur.name, cur.skip_reason);
	fprintf(stderr, "*** %s: SKIPPED: %s ***\n", cur.name, cur.skip_reason);
	fflush(stdout);
}

bool test__failed(void)
{
	return cur.fail_cnt != 0;
}

const char *test__name(void)
{
	return cur.name;
}

unsigned int test__log_cnt(void)
{
	return cur.log_cnt;
}

const char *test__log_last(void)
{
	return cur.log_last;
}

static double _now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool _selected(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!fnmatch(argv[i], name, 0))
			return true;
	return false;
}

int test_main(int argc, char **argv, const struct test_case *cases, size_t cnt)
{
	unsigned int passed = 0, failed = 0, skipped = 0, run = 0;
	const char *v = getenv("SYSREC_TEST_VERBOSE");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (size_t i = 0; i < cnt; i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: %s [-l | CASE...]\n  CASE is a case name or a shell glob; -l lists "
		       "the cases\n",
		       argv[0]);
		return 0;
	}
	sr_log_set_fn(_log_capture);
	for (size_t i = 0; i < cnt; i++) {
		double t0;

		if (!_selected(argc, argv, cases[i].name))
			continue;
		memset(&cur, 0, sizeof(cur));
		cur.name = cases[i].name;
		cur.verbose = v && *v && strcmp(v, "0");
		run++;
		t0 = _now();
		cases[i].fn();
		if (cur.fail_cnt) {
			failed++;
			printf("#%u %s: FAIL (%u failed assertions, %.2fs)\n", run, cur.name,
			       cur.fail_cnt, _now() - t0);
			if (cur.log_cnt)
				printf("#%u %s: %u library messages, the last: %s\n", run, cur.name,
				       cur.log_cnt, cur.log_last);
		} else if (cur.skipped) {
			skipped++;
			printf("#%u %s: SKIP (%s)\n", run, cur.name, cur.skip_reason);
		} else {
			passed++;
			printf("#%u %s: OK (%llu assertions, %.2fs)\n", run, cur.name, cur.pass_cnt,
			       _now() - t0);
		}
	}
	sr_log_set_fn(NULL);
	if (!run) {
		fprintf(stderr, "%s: no case matches", argv[0]);
		for (int i = 1; i < argc; i++)
			fprintf(stderr, " '%s'", argv[i]);
		fprintf(stderr, " (-l lists them)\n");
		return 2;
	}
	if (skipped)
		printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	else
		printf("%u passed, %u failed\n", passed, failed);
	if (failed)
		return 1;
	return skipped == run ? 77 : 0;
}
