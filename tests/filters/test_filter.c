// SPDX-License-Identifier: Apache-2.0
/*
 * test_filter: the filter language (filters/filter_*.c), as three tables in the manner of
 * libpcap's TESTrun:
 *   accept - expression -> the compiled program, as sr_filter__dump() shows it;
 *   reject - expression -> the error message and its column;
 *   apply  - expression -> the numbers of the events it matches in a small fixture trace,
 *            whose records go through the real state engine (sr_state__enter/leave).
 * Plus allocation failures during compile, and no allocation during matching.
 *
 *	test_filter                  every case
 *	test_filter 'test_apply__*'  some
 *	test_filter -l               list them
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "faultsim.h"
#include "filter.h"
#include "filter_internal.h"
#include "test.h"

#define ARRAY_CNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- accept: expression -> program ---- */

/* clang-format off */
static const struct {
	const char *text;
	const char *prog;
} accept_tab[] = {
	{ "", "accept\n" },
	{ " \t\n ", "accept\n" },
	{ "proc.name=nginx", "0: proc.name = \"nginx\" ? accept : reject\n" },
	{ "proc.name == nginx", "0: proc.name = \"nginx\" ? accept : reject\n" },
	{ "proc.name=a=b", "0: proc.name = \"a=b\" ? accept : reject\n" },
	{ "fd.name!=/etc/passwd", "0: fd.name != \"/etc/passwd\" ? accept : reject\n" },
	/* precedence: not > and > or */
	{ "proc.name=a and evt.type=b or fd.name=c",
	  "0: proc.name = \"a\" ? 1 : 2\n"
	  "1: evt.type = \"b\" ? accept : 2\n"
	  "2: fd.name = \"c\" ? accept : reject\n" },
	{ "proc.name=a or evt.type=b and fd.name=c",
	  "0: proc.name = \"a\" ? accept : 1\n"
	  "1: evt.type = \"b\" ? 2 : reject\n"
	  "2: fd.name = \"c\" ? accept : reject\n" },
	{ "proc.name=a and (evt.type=b or fd.name=c)",
	  "0: proc.name = \"a\" ? 1 : reject\n"
	  "1: evt.type = \"b\" ? accept : 2\n"
	  "2: fd.name = \"c\" ? accept : reject\n" },
	{ "not proc.name=a and evt.type=b",
	  "0: proc.name = \"a\" ? reject : 1\n"
	  "1: evt.type = \"b\" ? accept : reject\n" },
	{ "not (proc.name=a and evt.type=b)",
	  "0: proc.name = \"a\" ? 1 : accept\n"
	  "1: evt.type = \"b\" ? reject : accept\n" },
	{ "!proc.name=a || evt.type=b && !fd.name=c",
	  "0: proc.name = \"a\" ? 1 : accept\n"
	  "1: evt.type = \"b\" ? 2 : reject\n"
	  "2: fd.name = \"c\" ? reject : accept\n" },
	{ "not not proc.name=a", "0: proc.name = \"a\" ? accept : reject\n" },
	{ "((proc.name=a))", "0: proc.name = \"a\" ? accept : reject\n" },
	{ "proc.name=a or evt.type=b or fd.name=c or fd.type=d",
	  "0: proc.name = \"a\" ? accept : 1\n"
	  "1: evt.type = \"b\" ? accept : 2\n"
	  "2: fd.name = \"c\" ? accept : 3\n"
	  "3: fd.type = \"d\" ? accept : reject\n" },
	{ "(proc.name=a or evt.type=b) and (fd.name=c or not fd.type=d)",
	  "0: proc.name = \"a\" ? 2 : 1\n"
	  "1: evt.type = \"b\" ? 2 : reject\n"
	  "2: fd.name = \"c\" ? accept : 3\n"
	  "3: fd.type = \"d\" ? reject : accept\n" },
	/* every operator */
	{ "fd.num<3 and fd.num<=3 and fd.num>3 and fd.num>=3",
	  "0: fd.num < 3 ? 1 : reject\n"
	  "1: fd.num <= 3 ? 2 : reject\n"
	  "2: fd.num > 3 ? 3 : reject\n"
	  "3: fd.num >= 3 ? accept : reject\n" },
	{ "fd.name contains a or fd.name icontains AbC or fd.name startswith /x or "
	  "fd.name endswith .y or fd.name glob '*.[ch]'",
	  "0: fd.name contains \"a\" ? accept : 1\n"
	  "1: fd.name icontains \"abc\" ? accept : 2\n"
	  "2: fd.name startswith \"/x\" ? accept : 3\n"
	  "3: fd.name endswith \".y\" ? accept : 4\n"
	  "4: fd.name glob \"*.[ch]\" ? accept : reject\n" },
	{ "fd.name exists", "0: fd.name exists ? accept : reject\n" },
	{ "fd.name exists and proc.name exists",
	  "0: fd.name exists ? 1 : reject\n1: proc.name exists ? accept : reject\n" },
	/* in-lists: sorted for strings and numbers */
	{ "evt.type in (read, open, openat)",
	  "0: evt.type in (\"open\", \"openat\", \"read\") ? accept : reject\n" },
	{ "evt.type in(read,open)", "0: evt.type in (\"open\", \"read\") ? accept : reject\n" },
	{ "fd.dport in (443, 80, 0x16)", "0: fd.dport in (22, 80, 443) ? accept : reject\n" },
	{ "fd.num in (3, -1, 0, -0x10)", "0: fd.num in (-16, -1, 0, 3) ? accept : reject\n" },
	{ "evt.failed in (true, 0)", "0: evt.failed in (false, true) ? accept : reject\n" },
	{ "fd.sip in (10.0.0.0/8, ::1)", "0: fd.sip in (10.0.0.0/8, ::1) ? accept : reject\n" },
	/* numbers */
	{ "fd.num = -1", "0: fd.num = -1 ? accept : reject\n" },
	{ "fd.num = 0x7fffffffffffffff", "0: fd.num = 9223372036854775807 ? accept : reject\n" },
	{ "fd.num = -9223372036854775808",
	  "0: fd.num = -9223372036854775808 ? accept : reject\n" },
	{ "fd.sport = 18446744073709551615",
	  "0: fd.sport = 18446744073709551615 ? accept : reject\n" },
	{ "fd.sport = 0XfF", "0: fd.sport = 255 ? accept : reject\n" },
	{ "evt.rawtime > 1700000000000000000",
	  "0: evt.rawtime > 1700000000000000000 ? accept : reject\n" },
	/* durations */
	{ "evt.latency > 2.5ms", "0: evt.latency > 2500000ns ? accept : reject\n" },
	{ "evt.latency > 100", "0: evt.latency > 100ns ? accept : reject\n" },
	{ "evt.latency > 100ns", "0: evt.latency > 100ns ? accept : reject\n" },
	{ "evt.latency > 10us", "0: evt.latency > 10000ns ? accept : reject\n" },
	{ "evt.latency > 1.5s", "0: evt.latency > 1500000000ns ? accept : reject\n" },
	{ "evt.latency > 0.5m", "0: evt.latency > 30000000000ns ? accept : reject\n" },
	{ "evt.latency > 1h", "0: evt.latency > 3600000000000ns ? accept : reject\n" },
	{ "evt.latency > 1.0000000019s", "0: evt.latency > 1000000001ns ? accept : reject\n" },
	{ "evt.latency in (1ms, 2us)", "0: evt.latency in (2000ns, 1000000ns) ? accept : reject\n" },
	/* booleans */
	{ "evt.failed = TRUE", "0: evt.failed = true ? accept : reject\n" },
	{ "evt.failed = 0", "0: evt.failed = false ? accept : reject\n" },
	{ "evt.failed", "0: evt.failed = true ? accept : reject\n" },
	{ "not evt.failed", "0: evt.failed = true ? reject : accept\n" },
	{ "evt.failed != false", "0: evt.failed != false ? accept : reject\n" },
	/* addresses: host bits of a network dropped, mapped IPv4 as IPv4 */
	{ "fd.sip = 10.1.2.3/8", "0: fd.sip = 10.0.0.0/8 ? accept : reject\n" },
	{ "fd.sip = 10.1.2.3", "0: fd.sip = 10.1.2.3 ? accept : reject\n" },
	{ "fd.sip = 10.1.2.3/32", "0: fd.sip = 10.1.2.3 ? accept : reject\n" },
	{ "fd.sip = 0.0.0.0/0", "0: fd.sip = 0.0.0.0/0 ? accept : reject\n" },
	{ "fd.sip = 2001:DB8::1", "0: fd.sip = 2001:db8::1 ? accept : reject\n" },
	{ "fd.sip = 2001:db8:ffff::/33", "0: fd.sip = 2001:db8:8000::/33 ? accept : reject\n" },
	{ "fd.sip != ::ffff:10.0.0.1", "0: fd.sip != 10.0.0.1 ? accept : reject\n" },
	{ "fd.sip = ::ffff:10.0.0.0/104", "0: fd.sip = 10.0.0.0/8 ? accept : reject\n" },
	/* quoting and escapes */
	{ "fd.name = '/etc/passwd'", "0: fd.name = \"/etc/passwd\" ? accept : reject\n" },
	{ "fd.name = \"a b\"", "0: fd.name = \"a b\" ? accept : reject\n" },
	{ "fd.name = 'a(b),c'", "0: fd.name = \"a(b),c\" ? accept : reject\n" },
	{ "fd.name = 'it\\'s'", "0: fd.name = \"it's\" ? accept : reject\n" },
	{ "fd.name = \"say \\\"hi\\\"\"", "0: fd.name = \"say \\\"hi\\\"\" ? accept : reject\n" },
	{ "fd.name = 'a\\\\b\\tc\\nd\\x00\\x7F'",
	  "0: fd.name = \"a\\\\b\\x09c\\x0ad\\x00\\x7f\" ? accept : reject\n" },
	{ "fd.name = ''", "0: fd.name = \"\" ? accept : reject\n" },
	{ "fd.name = \"it's\"", "0: fd.name = \"it's\" ? accept : reject\n" },
	{ "fd.name = don't", "0: fd.name = \"don't\" ? accept : reject\n" },
	{ "fd.name = a\\b", "0: fd.name = \"a\\\\b\" ? accept : reject\n" },
	{ "fd.name glob foo*bar", "0: fd.name glob \"foo*bar\" ? accept : reject\n" },
	{ "fd.sip = 127.0.0.1 and fd.dport = 10", "0: fd.sip = 127.0.0.1 ? 1 : reject\n"
						 "1: fd.dport = 10 ? accept : reject\n" },
	/* fields with arguments; dynamic fields keep the text */
	{ "evt.arg.fd = 3", "0: evt.arg.fd = \"3\" ? accept : reject\n" },
	{ "evt.arg[1] startswith /etc", "0: evt.arg[1] startswith \"/etc\" ? accept : reject\n" },
	{ "evt.arg.fd in (4, 3)", "0: evt.arg.fd in (\"4\", \"3\") ? accept : reject\n" },
	{ "evt.arg.fd < -1", "0: evt.arg.fd < \"-1\" ? accept : reject\n" },
	{ "proc.aname[2] = bash", "0: proc.aname[2] = \"bash\" ? accept : reject\n" },
	/* strings compare with < > too */
	{ "proc.name < m", "0: proc.name < \"m\" ? accept : reject\n" },
	/* keywords need a boundary; a value may hold anything but blanks ( ) , */
	{ "proc.name=and", "0: proc.name = \"and\" ? accept : reject\n" },
	{ "proc.name = a&&b", "0: proc.name = \"a&&b\" ? accept : reject\n" },
	{ "proc.name = x and(fd.name = y)",
	  "0: proc.name = \"x\" ? 1 : reject\n1: fd.name = \"y\" ? accept : reject\n" },
	{ "fd.name in (a)and proc.name=b",
	  "0: fd.name in (\"a\") ? 1 : reject\n1: proc.name = \"b\" ? accept : reject\n" },
};
/* clang-format on */

static void test_accept__programs(void)
{
	char dump[2048];

	for (size_t i = 0; i < ARRAY_CNT(accept_tab); i++) {
		struct sr_filter_err err;
		struct sr_filter *f = NULL;
		int ret;

		if (!accept_tab[i].prog)
			continue;
		ret = sr_filter__compile(accept_tab[i].text, &f, &err);
		if (!ASSERT_OK(ret, accept_tab[i].text)) {
			TEST_FAIL("'%s': column %zu: %s", accept_tab[i].text, err.column, err.msg);
			continue;
		}
		sr_filter__dump(f, dump, sizeof(dump));
		if (!ASSERT_STREQ(dump, accept_tab[i].prog, "program"))
			TEST_FAIL("(for '%s')", accept_tab[i].text);
		sr_filter__free(f);
	}
}

static void test_accept__dump_truncates(void)
{
	struct sr_filter *f;
	char small[8];
	size_t n;

	if (!ASSERT_OK(sr_filter__compile("proc.name = nginx", &f, NULL), "compile"))
		return;
	n = sr_filter__dump(f, small, sizeof(small));
	ASSERT_EQ(n, strlen("0: proc.name = \"nginx\" ? accept : reject\n"), "full length");
	ASSERT_STREQ(small, "0: proc", "truncated");
	ASSERT_EQ(sr_filter__dump(f, NULL, 0), n, "length only");
	sr_filter__free(f);
}

static void test_accept__long_chains(void)
{
	/* thousands of terms: and/or chains are walked in loops, not recursion */
	size_t cnt = 5000, cap = cnt * 24 + 1, len = 0;
	char *text = malloc(cap);
	struct sr_filter *f = NULL;
	struct sr_filter_err err;
	char dump[256];

	if (!ASSERT_OK_PTR(text, "malloc"))
		return;
	for (size_t i = 0; i < cnt; i++)
		len += (size_t)snprintf(text + len, cap - len, "%sfd.num = %zu", i ? " or " : "",
					i);
	if (!ASSERT_OK(sr_filter__compile(text, &f, &err), "compile or-chain"))
		goto out;
	ASSERT_EQ(f->cnt, cnt, "comparisons");
	ASSERT_EQ(f->insns[0].jt, FLT_ACCEPT(f), "first true");
	ASSERT_EQ(f->insns[0].jf, 1, "first false");
	ASSERT_EQ(f->insns[cnt - 1].jf, FLT_REJECT(f), "last false");
	sr_filter__free(f);
	f = NULL;
	for (size_t i = 0; i < len; i++) /* " or " -> " && " */
		if (!memcmp(text + i, " or ", 4))
			memcpy(text + i, " && ", 4);
	if (!ASSERT_OK(sr_filter__compile(text, &f, &err), "compile and-chain"))
		goto out;
	ASSERT_EQ(f->insns[0].jt, 1, "first true");
	ASSERT_EQ(f->insns[0].jf, FLT_REJECT(f), "first false");
	ASSERT_EQ(f->insns[cnt - 1].jt, FLT_ACCEPT(f), "last true");
	sr_filter__dump(f, dump, sizeof(dump));
	ASSERT_STR_HAS(dump, "0: fd.num = 0 ? 1 : reject\n", "dump");
out:
	sr_filter__free(f);
	free(text);
}

/* ---- reject: expression -> message and column ---- */

/* clang-format off */
static const struct {
	const char *text;
	size_t column;
	const char *msg;
} reject_tab[] = {
	/* fields */
	{ "proc.nmae = x", 1, "unknown field 'proc.nmae' (did you mean proc.name?)" },
	{ "proc.name = a and fd.nme = b", 19, "unknown field 'fd.nme' (did you mean fd.name?)" },
	{ "xyz.abc = 1", 1, "unknown field 'xyz.abc' (see 'sysrec fields')" },
	{ "evt.arg = 1", 1, "field 'evt.arg' needs an argument (.NAME or [N])" },
	{ "proc.aname[x] = a", 1, "bad index in 'proc.aname[x]': expected [N] with a number" },
	{ "proc.name[ = a", 10, "'[' without ']' in field name 'proc.name['" },
	{ "123 = 4", 1, "expected a field, 'not' or '(', got '123'" },
	{ "'proc.name' = a", 1, "expected a field, 'not' or '(', got ''proc.name''" },
	/* operators */
	{ "proc.name", 10, "expected an operator after 'proc.name', got the end" },
	{ "proc.name nginx", 11, "expected an operator after 'proc.name', got 'nginx'" },
	{ "proc.name ~ a", 11, "expected an operator after 'proc.name', got '~'" },
	{ "proc.name containsx a", 11, "expected an operator after 'proc.name', got 'containsx'" },
	{ "proc.name inx (a)", 11, "expected an operator after 'proc.name', got 'inx'" },
	{ "proc.name and", 11, "expected an operator after 'proc.name', got 'and'" },
	{ "(proc.name)", 11, "expected an operator after 'proc.name', got ')'" },
	{ "fd.sip < 10.0.0.1", 8, "operator '<' does not apply to fd.sip (ipaddr)" },
	{ "fd.sip >= 10.0.0.1", 8, "operator '>=' does not apply to fd.sip (ipaddr)" },
	{ "fd.sip contains 10", 8, "operator 'contains' does not apply to fd.sip (ipaddr)" },
	{ "fd.sport contains 8", 10, "operator 'contains' does not apply to fd.sport (uint)" },
	{ "fd.num glob 1*", 8, "operator 'glob' does not apply to fd.num (int)" },
	{ "evt.latency startswith 1", 13,
	  "operator 'startswith' does not apply to evt.latency (duration)" },
	{ "evt.failed > 0", 12, "operator '>' does not apply to evt.failed (bool)" },
	{ "evt.failed proc.name=x", 12, "expected an operator after 'evt.failed', got 'proc.name'" },
	{ "evt.failed icontains t", 12, "operator 'icontains' does not apply to evt.failed (bool)" },
	/* values */
	{ "proc.name =", 12, "expected a value after '=', got the end" },
	{ "proc.name = )", 13, "expected a value after '=', got ')'" },
	{ "proc.name == (a)", 14, "expected a value after '==', got '('" },
	{ "proc.name contains", 19, "expected a value after 'contains', got the end" },
	{ "fd.sport > abc", 12, "'abc' is not a number for fd.sport" },
	{ "fd.sport > 1.5", 12, "'1.5' is not a number for fd.sport" },
	{ "fd.sport > 0x", 12, "'0x' is not a number for fd.sport" },
	{ "fd.sport > 0xg", 12, "'0xg' is not a number for fd.sport" },
	{ "fd.sport > +1", 12, "'+1' is not a number for fd.sport" },
	{ "fd.sport > ''", 12, "'' is not a number for fd.sport" },
	{ "fd.sport = -1", 12, "'-1' is out of range for fd.sport (uint)" },
	{ "fd.sport = 18446744073709551616", 12,
	  "'18446744073709551616' is out of range for fd.sport (uint)" },
	{ "fd.num = -9223372036854775809", 10,
	  "'-9223372036854775809' is out of range for fd.num (int)" },
	{ "evt.rawtime > -5", 15, "'-5' is out of range for evt.rawtime (abstime)" },
	{ "evt.failed = maybe", 14, "'maybe' is not a boolean for evt.failed (use true or false)" },
	{ "evt.failed = 2", 14, "'2' is not a boolean for evt.failed (use true or false)" },
	{ "evt.latency > 5x", 15,
	  "'5x' is not a duration for evt.latency (ns, or with a unit: 10us, 2.5ms, 1s, 1m, 1h)" },
	{ "evt.latency > 1.5", 15,
	  "'1.5' is not a duration for evt.latency (ns, or with a unit: 10us, 2.5ms, 1s, 1m, 1h)" },
	{ "evt.latency > .5ms", 15,
	  "'.5ms' is not a duration for evt.latency (ns, or with a unit: 10us, 2.5ms, 1s, 1m, 1h)" },
	{ "evt.latency > 1.ms", 15,
	  "'1.ms' is not a duration for evt.latency (ns, or with a unit: 10us, 2.5ms, 1s, 1m, 1h)" },
	{ "evt.latency > -1ms", 15,
	  "'-1ms' is not a duration for evt.latency (ns, or with a unit: 10us, 2.5ms, 1s, 1m, 1h)" },
	{ "evt.latency > 10000000000h", 15, "'10000000000h' is out of range for evt.latency (duration)" },
	{ "fd.sip = abc", 10, "'abc' is not an IP address or network for fd.sip" },
	{ "fd.sip = 10.0.0.0/33", 10, "'10.0.0.0/33' is not an IP address or network for fd.sip" },
	{ "fd.sip = ::/129", 10, "'::/129' is not an IP address or network for fd.sip" },
	{ "fd.sip = 10.0.0.0/", 10, "'10.0.0.0/' is not an IP address or network for fd.sip" },
	{ "fd.sip = 10.0.0.0/-1", 10, "'10.0.0.0/-1' is not an IP address or network for fd.sip" },
	{ "fd.sip = 10.0.0", 10, "'10.0.0' is not an IP address or network for fd.sip" },
	{ "fd.sip = fe80::1%eth0", 10, "'fe80::1%eth0' is not an IP address or network for fd.sip" },
	/* in-lists */
	{ "evt.type in open", 13, "expected '(' and a list of values after 'in', got 'open'" },
	{ "evt.type in", 12, "expected '(' and a list of values after 'in', got the end" },
	{ "evt.type in ()", 14, "expected a value in the list, got ')'" },
	{ "evt.type in (a,)", 16, "expected a value in the list, got ')'" },
	{ "evt.type in (a,,b)", 16, "expected a value in the list, got ','" },
	{ "evt.type in (open, ", 20, "expected a value in the list, got the end" },
	{ "evt.type in (a b)", 16, "expected ',' or ')' in the list, got 'b'" },
	{ "evt.type in (a, b", 18, "unbalanced '(': expected ')' to close the list opened at column 13, got the end" },
	{ "fd.sport in (1, x, 3)", 17, "'x' is not a number for fd.sport" },
	{ "fd.sip in (10.0.0.1, 300.0.0.1)", 22,
	  "'300.0.0.1' is not an IP address or network for fd.sip" },
	/* structure */
	{ "not", 4, "expected a field, 'not' or '(', got the end" },
	{ "!", 2, "expected a field, 'not' or '(', got the end" },
	{ "()", 2, "expected a field, 'not' or '(', got ')'" },
	{ "and proc.name = a", 1, "expected a field, 'not' or '(', got 'and'" },
	{ "proc.name = a and", 18, "expected a field, 'not' or '(', got the end" },
	{ "proc.name = a or or fd.name = b", 18, "expected a field, 'not' or '(', got 'or'" },
	{ "proc.name = a b", 15, "expected 'and', 'or' or the end, got 'b'" },
	{ "proc.name = a not fd.name = b", 15, "expected 'and', 'or' or the end, got 'not'" },
	{ "fd.name exists foo", 16, "expected 'and', 'or' or the end, got 'foo'" },
	{ "proc.name = a)", 14, "unbalanced ')': no '(' to close" },
	{ "(proc.name = a", 15, "unbalanced '(': expected ')' to close the '(' of column 1, got the end" },
	{ "((proc.name = a)", 17, "unbalanced '(': expected ')' to close the '(' of column 1, got the end" },
	{ "(proc.name = a) and (fd.name = b", 33,
	  "unbalanced '(': expected ')' to close the '(' of column 21, got the end" },
	{ "(proc.name = a b)", 16, "expected 'and', 'or' or ')', got 'b'" },
	{ "proc.name = a & fd.name = b", 15, "expected 'and', 'or' or the end, got '&'" },
	{ "proc.name = a | fd.name = b", 15, "expected 'and', 'or' or the end, got '|'" },
	{ "proc.name = a, fd.name = b", 14, "expected 'and', 'or' or the end, got ','" },
	/* strings */
	{ "proc.name = 'abc", 13, "unterminated string: missing closing '" },
	{ "proc.name = \"abc'", 13, "unterminated string: missing closing \"" },
	{ "proc.name = 'abc\\", 13, "unterminated string: missing closing '" },
	{ "proc.name = 'a\\qb'", 15, "unknown escape '\\q' (use \\\\ \\' \\\" \\n \\r \\t or \\xNN)" },
	{ "proc.name = 'a\\x4'", 15, "bad escape: \\x needs two hex digits" },
	{ "proc.name = 'a\\xg0'", 15, "bad escape: \\x needs two hex digits" },
	{ "proc.name = 'a\\x", 15, "bad escape: \\x needs two hex digits" },
	{ "proc.name = 'a\\\x01'", 15, "unknown escape (use \\\\ \\' \\\" \\n \\r \\t or \\xNN)" },
	/* a long token is cut in messages */
	{ "proc.name = a 0123456789012345678901234567890123456789012345678901234567890123456789",
	  15, "expected 'and', 'or' or the end, got '0123456789012345678901234567890123456789'..." },
};
/* clang-format on */

static void test_reject__errors(void)
{
	for (size_t i = 0; i < ARRAY_CNT(reject_tab); i++) {
		struct sr_filter_err err;
		struct sr_filter *f = (struct sr_filter *)&err; /* must be reset to NULL */
		int ret;

		ret = sr_filter__compile(reject_tab[i].text, &f, &err);
		if (!ASSERT_EQ(ret, -EINVAL, reject_tab[i].text)) {
			sr_filter__free(ret ? NULL : f);
			continue;
		}
		ASSERT_TRUE(f == NULL, "no filter on error");
		if (!ASSERT_STREQ(err.msg, reject_tab[i].msg, "message"))
			TEST_FAIL("(for '%s')", reject_tab[i].text);
		if (!ASSERT_EQ(err.column, reject_tab[i].column, "column"))
			TEST_FAIL("(for '%s': %s)", reject_tab[i].text, err.msg);
	}
}

static void test_reject__nesting(void)
{
	char text[1024];
	struct sr_filter_err err;
	struct sr_filter *f;
	size_t n = 0;

	/* FLT_MAX_DEPTH levels are fine, one more is not */
	for (int i = 0; i < FLT_MAX_DEPTH; i++)
		text[n++] = '(';
	n += (size_t)snprintf(text + n, sizeof(text) - n, "proc.name=a");
	for (int i = 0; i < FLT_MAX_DEPTH; i++)
		text[n++] = ')';
	text[n] = '\0';
	if (ASSERT_OK(sr_filter__compile(text, &f, &err), "100 levels"))
		sr_filter__free(f);

	memset(text, '(', FLT_MAX_DEPTH + 1);
	snprintf(text + FLT_MAX_DEPTH + 1, sizeof(text) - FLT_MAX_DEPTH - 1, "proc.name=a");
	ASSERT_EQ(sr_filter__compile(text, &f, &err), -EINVAL, "101 levels");
	ASSERT_STREQ(err.msg, "too deeply nested (more than 100 levels)", "message");
	ASSERT_EQ(err.column, FLT_MAX_DEPTH + 1, "column");

	n = 0;
	for (int i = 0; i <= FLT_MAX_DEPTH; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "not ");
	snprintf(text + n, sizeof(text) - n, "proc.name=a");
	ASSERT_EQ(sr_filter__compile(text, &f, &err), -EINVAL, "101 nots");
	ASSERT_EQ(err.column, FLT_MAX_DEPTH * 4 + 1, "column");
	ASSERT_EQ(sr_filter__compile(text + 4, &f, &err), 0, "100 nots");
	sr_filter__free(f);
}

static void test_reject__no_err_struct(void)
{
	struct sr_filter *f = NULL;

	ASSERT_EQ(sr_filter__compile("proc.nmae = x", &f, NULL), -EINVAL, "NULL err");
	ASSERT_TRUE(f == NULL, "no filter");
	ASSERT_OK(sr_filter__compile(NULL, &f, NULL), "NULL text is empty");
	sr_filter__free(f);
	sr_filter__free(NULL);
}

/* ---- apply: a fixture trace ---- */

#define BOOT_NS 1700000000000000000ull
#define NS_MNT 4026531840ull
#define S(s) s, sizeof(s) - 1
#define AT_FDCWD_U ((uint64_t)(int64_t)-100)
#define EV_TS(n) (2000000000ull + (n)*1000ull)

static void _rec(struct trace_rec *r, uint16_t type, uint32_t tid, uint64_t ts)
{
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->tid = tid;
	r->ts = ts;
}

static void _int(struct trace_rec *r, uint64_t v)
{
	r->ints[r->int_cnt++] = v;
}

static void _blob_tag(struct trace_rec *r, uint16_t tag, const void *p, size_t sz)
{
	struct trace_blob *b = &r->blobs[r->blob_cnt++];

	b->data = p;
	b->sz = (uint32_t)sz;
	b->tag = tag;
}

static void _blob(struct trace_rec *r, const void *p, size_t sz)
{
	_blob_tag(r, r->blob_cnt, p, sz);
}

/* A SYSCALL record: nr, ret, latency, flags, then the arguments. */
static void _sc(struct trace_rec *r, uint32_t tid, uint64_t ts, const char *name, int64_t ret,
		uint64_t lat, uint64_t flags, int nargs, const uint64_t *args)
{
	_rec(r, TR_SYSCALL, tid, ts);
	_int(r, (uint64_t)sr_syscall__nr(name));
	_int(r, (uint64_t)ret);
	_int(r, lat);
	_int(r, flags);
	for (int i = 0; i < nargs; i++)
		_int(r, args[i]);
}

static void _thread(struct trace_rec *r, uint32_t tid, uint32_t pid, uint32_t uid, uint64_t cg,
		    const char *comm, const char *exe, const char *args, size_t args_sz,
		    const char *cwd, const char *ctr)
{
	/* tid pid ppid vtid vpid uid gid euid egid cgroup_id flags start_ts ns_mnt */
	_rec(r, TR_THREAD, tid, 1000);
	_int(r, tid);
	_int(r, pid);
	_int(r, 1);
	_int(r, tid - pid + 1);
	_int(r, 1);
	_int(r, uid);
	_int(r, uid);
	_int(r, uid);
	_int(r, uid);
	_int(r, cg);
	_int(r, TR_THREAD_F_SNAPSHOT);
	_int(r, 500);
	_int(r, NS_MNT);
	_blob(r, comm, strlen(comm));
	_blob(r, exe, strlen(exe));
	_blob(r, args, args_sz);
	_blob(r, cwd, strlen(cwd));
	_blob(r, "", 0);
	_blob(r, ctr, strlen(ctr));
}

static void _fd(struct trace_rec *r, uint32_t pid, uint64_t fd, uint64_t type, uint64_t proto,
		uint64_t lport, uint64_t rport, const char *name, const void *lip, const void *rip,
		size_t ip_sz)
{
	_rec(r, TR_FD, 0, 1000);
	_int(r, pid);
	_int(r, fd);
	_int(r, type);
	_int(r, O_RDWR);
	_int(r, proto);
	_int(r, lport);
	_int(r, rport);
	_int(r, 1234); /* ino */
	_blob(r, name, strlen(name));
	if (ip_sz) {
		_blob(r, lip, ip_sz);
		_blob(r, rip, ip_sz);
	}
}

static const uint8_t ip4_srv[4] = {10, 0, 0, 5}, ip4_cli[4] = {192, 168, 1, 10};
static const uint8_t ip6_l[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t ip6_r[16] = {0x26, 0x06, 0x47, 0x00, [14] = 0x11, [15] = 0x11};
static const uint8_t ip6m_l[16] = {[10] = 0xff, [11] = 0xff, 10, 0, 0, 5};
static const uint8_t ip6m_r[16] = {[10] = 0xff, [11] = 0xff, 8, 8, 8, 8};
static const char http_req[] = "GET /index.html HTTP/1.1\r\nHost: Example.COM\r\n";
static const char bin_buf[] = "\0\001binary\377data";

#define META_MAX 16
#define EVT_CNT 9

struct fixture {
	struct trace_rec meta[META_MAX];
	size_t meta_cnt;
	struct trace_rec evts[EVT_CNT];
};

/*
 * Metadata: a podman container "web" with nginx (pid 100, uid 1000 "alice") holding a TCP
 * server socket (fd 3), an IPv6 client socket (fd 4) and a UDP socket with IPv4-mapped
 * addresses (fd 5); bash (pid 200, root, on the host) with its terminal on fd 1.
 *
 * Events (numbered from 1):
 *   1 nginx openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 6      2.5ms
 *   2 nginx read(3, "GET /index.html ...", 4096) = 45                    1us
 *   3 bash  openat(AT_FDCWD, "/nonexistent/file", 0) = -2 ENOENT         10us
 *   4 bash  write(1, "hello\n", 6) = 6                                   (no latency)
 *   5 nginx read(4, "\0\1binary\377data", 64) = 13                       3ms
 *   6 nginx close(5) = 0                                                 500ns
 *   7 nginx openat(AT_FDCWD, "/var/log/nginx/access.log", O_WRONLY|O_APPEND) = 7  2ms
 *   8 tid 999 (unknown thread) read(3, -, 10) = -9 EBADF                 700ns
 *   9 bash  exit (procexit) code 0
 */
static void _fixture(struct fixture *fx)
{
	struct trace_rec *m = fx->meta, *e = fx->evts;
	size_t n = 0;

	_rec(&m[n], TR_CONTAINER, 0, 1000);
	_int(&m[n], 5000);
	_int(&m[n], 0);
	_blob(&m[n], S("3f9a1c2b7d4e"));
	_blob(&m[n], S("web"));
	_blob(&m[n], S("docker.io/library/nginx:1.25"));
	_blob(&m[n], S("podman"));
	n++;
	_rec(&m[n], TR_USER, 0, 1000);
	_int(&m[n], 1000);
	_int(&m[n], 1000);
	_int(&m[n], NS_MNT);
	_blob(&m[n], S("alice"));
	_blob(&m[n], S("/home/alice"));
	_blob(&m[n], S("/bin/bash"));
	n++;
	_thread(&m[n++], 100, 100, 1000, 5000, "nginx", "/usr/sbin/nginx",
		S("nginx\0-g\0daemon off;"), "/srv/www", "3f9a1c2b7d4e");
	_thread(&m[n++], 200, 200, 0, 1, "bash", "/bin/bash", S("bash"), "/root", "");
	_fd(&m[n++], 100, 3, TR_FD_IPV4, 6, 80, 43210, "", ip4_srv, ip4_cli, 4);
	_fd(&m[n++], 100, 4, TR_FD_IPV6, 6, 51000, 443,
	    "[2001:db8::1]:51000->[2606:4700::1111]:443", ip6_l, ip6_r, 16);
	_fd(&m[n++], 100, 5, TR_FD_IPV6, 17, 40000, 53, "udp", ip6m_l, ip6m_r, 16);
	_fd(&m[n++], 200, 1, TR_FD_FILE, 0, 0, 0, "/dev/pts/0", NULL, NULL, 0);
	fx->meta_cnt = n;

	_sc(&e[0], 100, EV_TS(1), "openat", 6, 2500000, 0, 4,
	    (uint64_t[]){AT_FDCWD_U, 0x7f0000001000, O_RDONLY | O_CLOEXEC, 0});
	_blob_tag(&e[0], 1, S("/etc/passwd"));
	_sc(&e[1], 100, EV_TS(2), "read", sizeof(http_req) - 1, 1000, 0, 3,
	    (uint64_t[]){3, 0x7f0000002000, 4096});
	_blob_tag(&e[1], 1, S(http_req));
	_sc(&e[2], 200, EV_TS(3), "openat", -2, 10000, 0, 4,
	    (uint64_t[]){AT_FDCWD_U, 0x7f0000003000, O_RDONLY, 0});
	_blob_tag(&e[2], 1, S("/nonexistent/file"));
	_sc(&e[3], 200, EV_TS(4), "write", 6, 0, TR_SC_F_NO_LATENCY, 3,
	    (uint64_t[]){1, 0x7f0000004000, 6});
	_blob_tag(&e[3], 1, S("hello\n"));
	_sc(&e[4], 100, EV_TS(5), "read", sizeof(bin_buf) - 1, 3000000, 0, 3,
	    (uint64_t[]){4, 0x7f0000005000, 64});
	_blob_tag(&e[4], 1, S(bin_buf));
	_sc(&e[5], 100, EV_TS(6), "close", 0, 500, 0, 1, (uint64_t[]){5});
	_sc(&e[6], 100, EV_TS(7), "openat", 7, 2000000, 0, 4,
	    (uint64_t[]){AT_FDCWD_U, 0x7f0000007000, O_WRONLY | O_APPEND, 0});
	_blob_tag(&e[6], 1, S("/var/log/nginx/access.log"));
	_sc(&e[7], 999, EV_TS(8), "read", -9, 700, 0, 3, (uint64_t[]){3, 0, 10});
	_rec(&e[8], TR_PROC_EXIT, 200, EV_TS(9));
	_int(&e[8], 200);
	_int(&e[8], 200);
	_int(&e[8], 0);
	_int(&e[8], 0);
}

/* clang-format off */
static const struct {
	const char *text;
	const char *events; /* numbers of the matching events */
} apply_tab[] = {
	{ "", "1,2,3,4,5,6,7,8,9" },
	/* numbers */
	{ "fd.num = 3", "2,8" },
	{ "fd.num != 3", "1,4,5,6,7" },
	{ "fd.num > 4", "1,6,7" },
	{ "fd.num >= 4", "1,5,6,7" },
	{ "fd.num < 4", "2,4,8" },
	{ "fd.num <= 0x3", "2,4,8" },
	{ "fd.num > -1", "1,2,4,5,6,7,8" },
	{ "evt.rawres < 0", "3,8" },
	{ "evt.rawres = -2", "3" },
	{ "evt.rawres >= -9", "1,2,3,4,5,6,7,8" },
	{ "evt.rawres in (-9, 45, 0x6)", "1,2,4,8" },
	{ "fd.sport = 43210", "2" },
	{ "fd.dport in (80, 443, 53)", "2,5,6" },
	{ "fd.dport > 18446744073709551615", "" },
	{ "thread.tid = 999", "8" },
	{ "thread.tid in (200, 999)", "3,4,8,9" },
	{ "proc.pid != 100", "3,4,9" },
	{ "evt.rawtime >= 1700000002000005000", "5,6,7,8,9" },
	{ "evt.rawtime < 1700000002000002000", "1" },
	/* strings */
	{ "proc.name = nginx", "1,2,5,6,7" },
	{ "proc.name == 'nginx'", "1,2,5,6,7" },
	{ "proc.name != nginx", "3,4,9" },
	{ "proc.name = nginx2", "" },
	{ "proc.name = ngin", "" },
	{ "proc.name < c", "3,4,9" },
	{ "proc.name > bash", "1,2,5,6,7" },
	{ "proc.name >= bash", "1,2,3,4,5,6,7,9" },
	{ "proc.name > bas", "1,2,3,4,5,6,7,9" },
	{ "proc.name <= bas", "" },
	{ "fd.name contains passwd", "1" },
	{ "fd.name contains ''", "1,2,4,5,6,7" },
	{ "fd.name startswith /var/log", "7" },
	{ "fd.name endswith .log", "7" },
	{ "fd.name endswith /etc/passwd", "1" },
	{ "fd.name endswith x/etc/passwd", "" },
	{ "fd.name glob '/etc/*'", "1" },
	{ "fd.name glob /*/*/nginx/*.log", "7" },
	{ "fd.name glob /*/nginx/*.log", "7" }, /* '*' crosses '/' */
	{ "fd.name glob '/dev/pts/[0-9]'", "4" },
	{ "fd.name glob '/dev/pts/[!0-9]'", "" },
	{ "fd.name glob '/dev/pts/[^1-9]'", "4" },
	{ "fd.name glob *:80", "2" },
	{ "fd.name glob ?etc?passwd", "1" },
	{ "fd.name glob '*'", "1,2,4,5,6,7" },
	{ "fd.name glob '/etc/passw'", "" },
	{ "fd.name glob '/etc/passwd*'", "1" },
	{ "fd.name glob '*[ab]ss*'", "1" },
	{ "fd.name glob '/etc/pa\\\\ss*'", "1" },      /* quoted \\ is \, then \s is s */
	{ "fd.name glob /etc/pa\\ss*", "1" },
	{ "fd.name glob '/etc/pa\\\\\\\\ss*'", "" },   /* \\ is a backslash */
	{ "fd.name glob /etc/passw\\*", "" },          /* \* is a star */
	{ "fd.name glob /etc/passw[\\]d]", "1" },      /* [\]d] holds ] and d */
	{ "fd.name glob /etc/passw[\\]]", "" },
	{ "fd.name glob '/dev/pts/[0'", "" }, /* no ']': a plain '[' */
	{ "fd.name glob '**'", "1,2,4,5,6,7" },
	{ "fd.name glob '*passwd'", "1" },
	{ "fd.name glob '/etc/passwd'", "1" },
	{ "fd.name glob '*.*.*'", "2" },
	{ "fd.name glob '*/*/*/*'", "4,7" },
	{ "fd.name glob '*[0-9]*->*:443'", "5" },
	{ "evt.buffer icontains example.com", "2" },
	{ "evt.buffer icontains 'HOST: EXAMPLE'", "2" },
	{ "evt.buffer contains Example", "2" },
	{ "evt.buffer contains example", "" },
	{ "evt.buffer contains '\\x00\\x01bin'", "5" },
	{ "evt.buffer contains '\\xff'", "5" },
	{ "evt.buffer startswith GET", "2" },
	{ "evt.buffer = 'hello\\n'", "4" },
	{ "evt.buffer = \"hello\\x0a\"", "4" },
	{ "evt.buffer glob '*\\x00*'", "5" },
	{ "evt.buffer glob 'GET *HTTP/1.?\\r\\n*'", "2" },
	{ "evt.type in (openat, close)", "1,3,6,7" },
	{ "evt.type in (read)", "2,5,8" },
	{ "evt.type = procexit", "9" },
	{ "evt.res = ENOENT", "3" },
	{ "evt.res = SUCCESS", "1,2,4,5,6,7" },
	{ "fd.type = ipv6", "5,6" },
	{ "fd.l4proto = udp", "6" },
	{ "container.name = web", "1,2,5,6,7" },
	{ "container.id = host", "3,4,9" },
	{ "container.image glob '*nginx*'", "1,2,5,6,7" },
	{ "user.name = alice", "1,2,5,6,7" },
	{ "proc.cmdline = 'nginx -g daemon off;'", "1,2,5,6,7" },
	{ "proc.exe endswith /bash", "3,4,9" },
	{ "proc.name in ('bash', \"nginx\")", "1,2,3,4,5,6,7,9" },
	{ "proc.name in (bash,nginx,zsh,a,b,c)", "1,2,3,4,5,6,7,9" },
	{ "proc.name in (bas, nginx2)", "" },
	/* addresses */
	{ "fd.sip = 192.168.1.10", "2" },
	{ "fd.sip = 192.168.0.0/16", "2" },
	{ "fd.sip = 192.168.1.11/31", "2" },
	{ "fd.sip = 192.168.1.12/31", "" },
	{ "fd.dip = 10.0.0.5", "2" },
	{ "fd.sip = 10.0.0.0/8", "6" },
	{ "fd.sip != 10.0.0.0/8", "2,5" },
	{ "fd.sip = 2001:db8::/32", "5" },
	{ "fd.sip = 2001:db8::1", "5" },
	{ "fd.sip = 2001:db8::2", "" },
	{ "fd.dip = 2606:4700::1111", "5" },
	{ "fd.dip in (8.8.8.8, 2606:4700::/32)", "5,6" },
	{ "fd.sip = ::ffff:10.0.0.5", "6" },
	{ "fd.sip = ::ffff:10.0.0.0/104", "6" },
	{ "fd.sip = 0.0.0.0/0", "2,6" },
	{ "fd.sip = ::/0", "5" },
	{ "fd.sip exists", "2,5,6" },
	/* durations */
	{ "evt.latency > 2ms", "1,5" },
	{ "evt.latency >= 2ms", "1,5,7" },
	{ "evt.latency = 2.5ms", "1" },
	{ "evt.latency < 10us", "2,6,8" },
	{ "evt.latency <= 10us", "2,3,6,8" },
	{ "evt.latency = 1000", "2" },
	{ "evt.latency = 1us", "2" },
	{ "evt.latency in (1us, 500ns, 3ms)", "2,5,6" },
	{ "evt.latency > 0.001s", "1,5,7" },
	{ "evt.latency < 1m", "1,2,3,5,6,7,8" },
	{ "evt.latency exists", "1,2,3,5,6,7,8" },
	{ "not evt.latency exists", "4,9" },
	/* booleans */
	{ "evt.failed = true", "3,8" },
	{ "evt.failed", "3,8" },
	{ "(evt.failed) and evt.failed", "3,8" },
	{ "evt.failed = false", "1,2,4,5,6,7" },
	{ "evt.failed != 1", "1,2,4,5,6,7" },
	{ "evt.failed in (true)", "3,8" },
	{ "evt.failed in (true, false)", "1,2,3,4,5,6,7,8" },
	{ "evt.is_io = true", "2,4,5,8" },
	/* dynamic fields: numbers, text, addresses */
	{ "evt.arg.filename = /etc/passwd", "1" },
	{ "evt.arg.filename startswith /var", "7" },
	{ "evt.arg.filename > /n", "3,7" },
	{ "evt.arg.fd = 3", "2,8" },
	{ "evt.arg.fd = 0x3", "2,8" },
	{ "evt.arg.fd in (3, 4)", "2,5,8" },
	{ "evt.arg.fd > 3", "5,6" },
	{ "evt.arg[0] = -100", "1,3,7" },
	{ "evt.arg[0] < 0", "1,3,7" },
	{ "evt.arg[0] < -100", "" },
	{ "evt.arg.fd = abc", "" },
	{ "evt.arg.fd != abc", "2,4,5,6,8" },
	{ "evt.arg.fd glob '[34]'", "2,5,8" },
	{ "evt.arg.fd contains 3", "2,8" },
	{ "evt.arg.fd exists", "2,4,5,6,8" },
	{ "evt.arg.flags = 0x80000", "1" },
	{ "evt.arg[1] icontains PASSWD", "1" },
	{ "evt.arg.exit_code = 0", "9" },
	{ "evt.arg.nosuch = 0", "" },
	/* and, or, not, parentheses */
	{ "proc.name = nginx and fd.num = 3 or evt.failed = true", "2,3,8" },
	{ "proc.name = nginx and (fd.num = 3 or evt.failed = true)", "2" },
	{ "evt.failed = true or proc.name = bash and evt.type = write", "3,4,8" },
	{ "(evt.failed = true or proc.name = bash) and evt.type = write", "4" },
	{ "not proc.name = nginx", "3,4,8,9" },
	{ "not proc.name = nginx and evt.type = read", "8" },
	{ "not (proc.name = nginx and evt.type = read)", "1,3,4,6,7,8,9" },
	{ "!proc.name=nginx && evt.type=read", "8" },
	{ "evt.type=close || evt.type=write", "4,6" },
	{ "not not evt.type = close", "6" },
	{ "fd.name exists", "1,2,4,5,6,7" },
	{ "proc.name exists and not fd.name exists", "3,9" },
	{ "fd.name exists or thread.tid = 999", "1,2,4,5,6,7,8" },
	{ "proc.aname[0] = nginx", "1,2,5,6,7" },
	{ "fd.name = \"/etc/passwd\"", "1" },
	{ "fd.name contains \"\\x2fpasswd\"", "1" },
};
/* clang-format on */

struct apply_run {
	struct sr_filter *f[ARRAY_CNT(apply_tab)];
	char got[ARRAY_CNT(apply_tab)][64];
	struct sr_state *st;
	struct sr_evt *ev;
	struct fixture fx;
};

/* Feed the fixture through the state engine, calling @fn at each event. */
static void _replay(struct apply_run *r, void (*fn)(struct apply_run *r, uint64_t num))
{
	r->ev->boot_time_ns = BOOT_NS;
	r->ev->start_wall = BOOT_NS + EV_TS(1);
	for (size_t i = 0; i < r->fx.meta_cnt; i++) {
		r->ev->rec = &r->fx.meta[i];
		sr_state__enter(r->st, r->ev);
		sr_state__leave(r->st, r->ev);
	}
	for (size_t i = 0; i < EVT_CNT; i++) {
		r->ev->rec = &r->fx.evts[i];
		r->ev->num = i + 1;
		sr_state__enter(r->st, r->ev);
		fn(r, i + 1);
		sr_state__leave(r->st, r->ev);
	}
}

static void _match_all(struct apply_run *r, uint64_t num)
{
	for (size_t i = 0; i < ARRAY_CNT(apply_tab); i++) {
		size_t len = strlen(r->got[i]);

		if (!r->f[i] || !sr_filter__match(r->f[i], r->ev))
			continue;
		snprintf(r->got[i] + len, sizeof(r->got[i]) - len, "%s%llu", len ? "," : "",
			 (unsigned long long)num);
	}
}

static struct apply_run *_apply_new(void)
{
	struct apply_run *r = calloc(1, sizeof(*r));

	if (!ASSERT_OK_PTR(r, "calloc"))
		return NULL;
	r->ev = calloc(1, sizeof(*r->ev));
	r->st = sr_state__new();
	ASSERT_OK_PTR(r->ev, "calloc event");
	ASSERT_OK_PTR(r->st, "state");
	_fixture(&r->fx);
	for (size_t i = 0; i < ARRAY_CNT(apply_tab); i++) {
		struct sr_filter_err err;

		if (!ASSERT_OK(sr_filter__compile(apply_tab[i].text, &r->f[i], &err),
			       apply_tab[i].text))
			TEST_FAIL("'%s': column %zu: %s", apply_tab[i].text, err.column, err.msg);
	}
	return r;
}

static void _apply_free(struct apply_run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < ARRAY_CNT(apply_tab); i++)
		sr_filter__free(r->f[i]);
	sr_state__free(r->st);
	free(r->ev);
	free(r);
}

static void test_apply__fixture(void)
{
	struct apply_run *r = _apply_new();

	if (!r || !r->ev || !r->st)
		goto out;
	_replay(r, _match_all);
	for (size_t i = 0; i < ARRAY_CNT(apply_tab); i++) {
		if (!ASSERT_STREQ(r->got[i], apply_tab[i].events, "matching events"))
			TEST_FAIL("(for '%s')", apply_tab[i].text);
	}
out:
	_apply_free(r);
}

/* A long `in` list is searched, not scanned: the result must not depend on the order. */
static void test_apply__long_in_lists(void)
{
	struct apply_run *r = _apply_new();
	size_t cap = 64 * 1024, len;
	char *text = malloc(cap);

	if (!r || !r->ev || !r->st || !ASSERT_OK_PTR(text, "malloc"))
		goto out;
	/* replace the first two filters of the table with long lists */
	sr_filter__free(r->f[0]);
	sr_filter__free(r->f[1]);
	r->f[0] = r->f[1] = NULL;
	len = (size_t)snprintf(text, cap, "evt.type in (");
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, cap - len, "%ssys%04d", i ? "," : "",
					i * 7919 % 1000);
	snprintf(text + len, cap - len, ", read, zzz, aaa)");
	if (!ASSERT_OK(sr_filter__compile(text, &r->f[0], NULL), "string list"))
		goto out;
	len = (size_t)snprintf(text, cap, "fd.num in (");
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s%d", i ? "," : "",
					(100 + i * 7919 % 1000) * (i % 2 ? -1 : 1));
	snprintf(text + len, cap - len, ", 3, -77777)");
	if (!ASSERT_OK(sr_filter__compile(text, &r->f[1], NULL), "number list"))
		goto out;
	_replay(r, _match_all);
	ASSERT_STREQ(r->got[0], "2,5,8", "string list");
	ASSERT_STREQ(r->got[1], "2,8", "number list");
out:
	free(text);
	_apply_free(r);
}

/* Matching allocates nothing (the benchmark runs filters over millions of events). */
static unsigned long alloc_during_match;

static void _count_allocs(struct apply_run *r, uint64_t num)
{
	unsigned long before = faultsim_alloc_cnt();

	_match_all(r, num);
	alloc_during_match += faultsim_alloc_cnt() - before;
}

static void test_apply__no_alloc(void)
{
	struct apply_run *r = _apply_new();

	if (!r || !r->ev || !r->st)
		goto out;
	alloc_during_match = 0;
	_replay(r, _count_allocs);
	ASSERT_EQ(alloc_during_match, 0, "allocations while matching");
out:
	_apply_free(r);
}

/* ---- glob against fnmatch(3) ---- */

static const char *glob_str;

static bool _get_test_str(struct sr_evt *e, const struct sr_field_ref *ref, struct sr_value *out)
{
	out->type = SR_FT_STR;
	out->s.p = glob_str;
	out->s.len = strlen(glob_str);
	return true;
}

static uint64_t _rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Random patterns and strings over a small alphabet, so that they often match: the matcher
 * (and its fast paths for '*' at the ends) must agree with glibc's fnmatch() without flags. */
static void test_glob__vs_fnmatch(void)
{
	static const char pat_chars[] = "ab/.*?*[]!-\\";
	static const char str_chars[] = "ab/.-]!*?[\\";
	static const struct sr_field_def def = {"test.str", SR_FT_STR, SR_FARG_NONE, "",
						_get_test_str};
	char text[64], pat[16], str[16];
	uint64_t x = 88172645463325252ull;
	unsigned int checked = 0;

	for (int n = 0; n < 20000; n++) {
		size_t plen = _rand(&x) % 8, slen = _rand(&x) % 8;
		struct sr_filter *f;
		bool got, want;

		for (size_t i = 0; i < plen; i++)
			pat[i] = pat_chars[_rand(&x) % (sizeof(pat_chars) - 1)];
		pat[plen] = '\0';
		if (plen && pat[plen - 1] == '\\') /* glibc: a trailing '\' is an error */
			pat[plen - 1] = 'a';
		for (size_t i = 0; i < slen; i++)
			str[i] = str_chars[_rand(&x) % (sizeof(str_chars) - 1)];
		str[slen] = '\0';
		/* the pattern as a quoted value: \ and ' escaped */
		{
			size_t t = (size_t)snprintf(text, sizeof(text), "proc.name glob '");

			for (size_t i = 0; i < plen; i++) {
				if (pat[i] == '\\' || pat[i] == '\'')
					text[t++] = '\\';
				text[t++] = pat[i];
			}
			text[t++] = '\'';
			text[t] = '\0';
		}
		if (!ASSERT_OK(sr_filter__compile(text, &f, NULL), text))
			continue;
		f->insns[0].ref.def = &def;
		glob_str = str;
		got = sr_filter__match(f, NULL);
		want = fnmatch(pat, str, 0) == 0;
		if (!ASSERT_EQ(got, want, "glob agrees with fnmatch"))
			TEST_FAIL("(pattern '%s', string '%s')", pat, str);
		checked += want;
		sr_filter__free(f);
	}
	ASSERT_GT(checked, 1000, "enough matching pairs");
}

/* ---- allocation failures ---- */

static void test_faults__compile(void)
{
	static const char *const texts[] = {
		"proc.name = nginx and (evt.type in (open, openat, read) or not fd.name "
		"startswith '/proc') and fd.sip = 10.0.0.0/8 or evt.latency > 2.5ms",
		"fd.num in (1,2,3,4,5,6,7,8,9,10,11,12) or evt.arg.fd = 3 or fd.name icontains "
		"X or a.b",
	};

	for (size_t t = 0; t < ARRAY_CNT(texts); t++) {
		for (long n = 1;; n++) {
			struct sr_filter_err err;
			struct sr_filter *f = NULL;
			int ret;

			faultsim_arm(n);
			ret = sr_filter__compile(texts[t], &f, &err);
			if (!faultsim_disarm()) {
				/* every allocation succeeded: the result is the normal one */
				ASSERT_EQ(ret, t == 0 ? 0 : -EINVAL, "unfailed compile");
				ASSERT_TRUE(n > 3, "some allocations were tried");
				sr_filter__free(f);
				break;
			}
			if (!ASSERT_EQ(ret, -ENOMEM, "failed allocation"))
				TEST_FAIL("(allocation %ld of '%s': %s)", n, texts[t], err.msg);
			ASSERT_TRUE(f == NULL, "no filter");
			ASSERT_STREQ(err.msg, "out of memory", "message");
			sr_filter__free(f);
		}
	}
}

static const struct test_case cases[] = {
	TEST_CASE(test_accept__programs),    TEST_CASE(test_accept__dump_truncates),
	TEST_CASE(test_accept__long_chains), TEST_CASE(test_reject__errors),
	TEST_CASE(test_reject__nesting),     TEST_CASE(test_reject__no_err_struct),
	TEST_CASE(test_apply__fixture),	     TEST_CASE(test_apply__long_in_lists),
	TEST_CASE(test_apply__no_alloc),     TEST_CASE(test_glob__vs_fnmatch),
	TEST_CASE(test_faults__compile),
};

int main(int argc, char **argv)
{
	return test_main(argc, argv, cases, ARRAY_CNT(cases));
}
