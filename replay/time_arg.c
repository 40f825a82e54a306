// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "time_arg.h"

int sr_duration__parse(const char *s, size_t len, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t mul; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000ull },
		{ "m", 60000000000ull }, { "h", 3600000000000ull }, { "", 1 },
	};
	uint64_t whole = 0, frac = 0, frac_div = 1;
	size_t i = 0;
	bool digits = false;

	while (i < len && s[i] >= '0' && s[i] <= '9') {
		if (whole > UINT64_MAX / 10 - 10)
			return -EINVAL;
		whole = whole * 10 + (uint64_t)(s[i++] - '0');
		digits = true;
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (frac_div < 1000000000000ull) {
				frac = frac * 10 + (uint64_t)(s[i] - '0');
				frac_div *= 10;
			}
			digits = true;
		}
	}
	if (!digits)
		return -EINVAL;
	for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
		size_t ul = strlen(units[u].unit);

		if (len - i != ul || memcmp(s + i, units[u].unit, ul))
			continue;
		if (whole > UINT64_MAX / units[u].mul)
			return -EINVAL;
		*ns = whole * units[u].mul + (uint64_t)((double)frac / (double)frac_div *
							(double)units[u].mul);
		return 0;
	}
	return -EINVAL;
}

/* "HH:MM:SS[.frac]" at @s: fills @tm's time and *@ns; @return chars used, or 0. */
static size_t _clock(const char *s, struct tm *tm, uint64_t *ns)
{
	int h, m, sec, n = 0;
	uint64_t frac = 0, div = 1;

	if (sscanf(s, "%2d:%2d:%2d%n", &h, &m, &sec, &n) != 3 || h > 23 || m > 59 || sec > 60)
		return 0;
	if (s[n] == '.')
		for (n++; s[n] >= '0' && s[n] <= '9'; n++)
			if (div < 1000000000) {
				frac = frac * 10 + (uint64_t)(s[n] - '0');
				div *= 10;
			}
	tm->tm_hour = h;
	tm->tm_min = m;
	tm->tm_sec = sec;
	*ns = frac * (1000000000 / div);
	return (size_t)n;
}

int sr_time_arg__parse(const char *s, uint64_t start_wall, uint64_t *out)
{
	size_t len = strlen(s);
	struct tm tm;
	uint64_t ns = 0, d;
	time_t t;
	int y, mo, dd, n = 0;

	if (s[0] == '+')
		return sr_duration__parse(s + 1, len - 1, &d) ? -EINVAL : (*out = start_wall + d, 0);
	if (len >= 16 && strspn(s, "0123456789") == len)
		return sr_duration__parse(s, len, out);
	if (!sr_duration__parse(s, len, &d)) {
		*out = start_wall + d;
		return 0;
	}
	t = (time_t)(start_wall / 1000000000);
	localtime_r(&t, &tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &dd, &n) == 3 && (s[n] == ' ' || s[n] == 'T')) {
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = dd;
		s += n + 1;
	}
	n = (int)_clock(s, &tm, &ns);
	if (!n || s[n])
		return -EINVAL;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || t < 0)
		return -EINVAL;
	*out = (uint64_t)t * 1000000000ull + ns;
	return 0;
}
