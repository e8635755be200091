// SPDX-License-Identifier: GPL-2.0-or-later
/* timespec.c: the times trace-exec's history takes, in journalctl's syntax (--since, --until). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "history/timespec.h"

#define USEC_PER_SEC	1000000ULL
#define USEC_PER_MIN	(60 * USEC_PER_SEC)
#define USEC_PER_HOUR	(60 * USEC_PER_MIN)
#define USEC_PER_DAY	(24 * USEC_PER_HOUR)

/* systemd.time(7)'s units, longest spellings first where one is a prefix
 * of another. */
static const struct {
	const char *name;
	uint64_t usec;
} units[] = {
	{ "seconds", USEC_PER_SEC }, { "second", USEC_PER_SEC },
	{ "sec", USEC_PER_SEC }, { "s", USEC_PER_SEC },
	{ "minutes", USEC_PER_MIN }, { "minute", USEC_PER_MIN },
	{ "min", USEC_PER_MIN }, { "msec", 1000 }, { "ms", 1000 },
	{ "months", 2629800 * USEC_PER_SEC }, { "month", 2629800 * USEC_PER_SEC },
	{ "m", USEC_PER_MIN }, { "M", 2629800 * USEC_PER_SEC },
	{ "hours", USEC_PER_HOUR }, { "hour", USEC_PER_HOUR },
	{ "hr", USEC_PER_HOUR }, { "h", USEC_PER_HOUR },
	{ "days", USEC_PER_DAY }, { "day", USEC_PER_DAY }, { "d", USEC_PER_DAY },
	{ "weeks", 7 * USEC_PER_DAY }, { "week", 7 * USEC_PER_DAY },
	{ "w", 7 * USEC_PER_DAY },
	{ "years", 31557600 * USEC_PER_SEC }, { "year", 31557600 * USEC_PER_SEC },
	{ "y", 31557600 * USEC_PER_SEC },
	{ "usec", 1 }, { "us", 1 }, { "\xc2\xb5s", 1 },
};

/* The unit at *s (its length to *n, matched only up to a space, a digit
 * or the end); 0 when none. */
static uint64_t unit_at(const char *s, size_t *n)
{
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(units); i++) {
		len = strlen(units[i].name);
		if (strncmp(s, units[i].name, len))
			continue;
		if (s[len] && s[len] != ' ' && !isdigit((unsigned char)s[len]))
			continue;
		*n = len;
		return units[i].usec;
	}
	return 0;
}

int hist_parse_span(const char *s, uint64_t *out)
{
	uint64_t sum = 0, unit;
	double v;
	char *end;
	size_t n;
	bool any = false;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (!isdigit((unsigned char)*s) && *s != '.')
			return -EINVAL;
		v = strtod(s, &end);
		if (end == s || v < 0)
			return -EINVAL;
		s = end;
		while (*s == ' ')
			s++;
		unit = *s && !isdigit((unsigned char)*s) ? unit_at(s, &n) : USEC_PER_SEC;
		if (!unit)
			return -EINVAL;
		if (*s && !isdigit((unsigned char)*s))
			s += n;
		if (v * (double)unit > 1e18)
			return -ERANGE;
		sum += (uint64_t)(v * (double)unit + 0.5);
		any = true;
	}
	if (!any)
		return -EINVAL;
	*out = sum;
	return 0;
}

/* Seconds with an optional fraction ("07", "07.5"): 0 or -EINVAL. */
static int parse_sec(const char *s, int *sec, uint64_t *frac_usec)
{
	unsigned long v;
	char *end;
	uint64_t f = 0, scale = 100000;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]))
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (end != s + 2 || v > 60)
		return -EINVAL;
	if (*end == '.') {
		for (end++; isdigit((unsigned char)*end); end++) {
			f += (uint64_t)(*end - '0') * scale;
			scale /= 10;
		}
	}
	if (*end)
		return -EINVAL;
	*sec = (int)v;
	*frac_usec = f;
	return 0;
}

/* "HH:MM[:SS[.FRAC]]" into tm and *frac: 0 or -EINVAL. */
static int parse_clock(const char *s, struct tm *tm, uint64_t *frac)
{
	int h, m, n = 0;

	*frac = 0;
	tm->tm_sec = 0;
	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n != 5 || h > 23 || m > 59)
		return -EINVAL;
	tm->tm_hour = h;
	tm->tm_min = m;
	if (!s[5])
		return 0;
	if (s[5] != ':')
		return -EINVAL;
	return parse_sec(s + 6, &tm->tm_sec, frac);
}

/* tm (local, or UTC) to microseconds since the epoch. */
static int tm_usec(struct tm *tm, bool utc, uint64_t frac, uint64_t *out)
{
	time_t t;

	tm->tm_isdst = -1;
	t = utc ? timegm(tm) : mktime(tm);
	if (t == (time_t)-1 || t < 0)
		return -ERANGE;
	*out = (uint64_t)t * USEC_PER_SEC + frac;
	return 0;
}

/* An absolute date and/or clock time ("UTC"/"Z" stripped by the caller). */
static int parse_absolute(const char *s, uint64_t now_usec, bool utc,
			  uint64_t *out)
{
	time_t now = (time_t)(now_usec / USEC_PER_SEC);
	struct tm tm;
	uint64_t frac = 0;
	int y, mo, d, n = 0, r;

	if (utc)
		gmtime_r(&now, &tm);
	else
		localtime_r(&now, &tm);
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
		if (mo < 1 || mo > 12 || d < 1 || d > 31)
			return -EINVAL;
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		if (s[10] == ' ' || s[10] == 'T')
			r = parse_clock(s + 11, &tm, &frac);
		else
			r = s[10] ? -EINVAL : 0;
	} else {
		r = parse_clock(s, &tm, &frac);
	}
	return r ? r : tm_usec(&tm, utc, frac, out);
}

/* "today" and its neighbours: local midnight, days away. */
static int midnight(uint64_t now_usec, int days, uint64_t *out)
{
	time_t now = (time_t)(now_usec / USEC_PER_SEC);
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	return tm_usec(&tm, false, 0, out);
}

/* A span before or after now: "-1h", "+5min", "1h ago". */
static int parse_relative(const char *s, uint64_t now_usec, uint64_t *out)
{
	char buf[128];
	size_t len = strlen(s);
	uint64_t span;
	int sign = 0, r;

	if (*s == '-' || *s == '+') {
		sign = *s == '-' ? -1 : 1;
		s++;
		len--;
	} else if (len > 4 && !strcmp(s + len - 4, " ago")) {
		sign = -1;
		len -= 4;
	}
	if (!sign || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	r = hist_parse_span(buf, &span);
	if (r)
		return r;
	if (sign < 0)
		*out = span > now_usec ? 0 : now_usec - span;
	else
		*out = now_usec + span;
	return 0;
}

int hist_parse_time(const char *s, uint64_t now_usec, uint64_t *out)
{
	char buf[64], *end;
	size_t len = strlen(s);
	double sec;
	bool utc = false;

	if (!strcmp(s, "now")) {
		*out = now_usec;
		return 0;
	}
	if (!strcmp(s, "today"))
		return midnight(now_usec, 0, out);
	if (!strcmp(s, "yesterday"))
		return midnight(now_usec, -1, out);
	if (!strcmp(s, "tomorrow"))
		return midnight(now_usec, 1, out);
	if (*s == '@') {
		sec = strtod(s + 1, &end);
		if (end == s + 1 || *end || sec < 0 || sec > 1e12)
			return -EINVAL;
		*out = (uint64_t)(sec * (double)USEC_PER_SEC + 0.5);
		return 0;
	}
	if (*s == '-' || *s == '+' || (len > 4 && !strcmp(s + len - 4, " ago")))
		return parse_relative(s, now_usec, out);
	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len + 1);
	if (len > 4 && !strcmp(buf + len - 4, " UTC")) {
		buf[len - 4] = '\0';
		utc = true;
	} else if (len > 1 && buf[len - 1] == 'Z') {
		buf[len - 1] = '\0';
		utc = true;
	}
	return parse_absolute(buf, now_usec, utc, out);
}

const char *hist_format_time(char buf[HIST_TIME_LEN], uint64_t usec, bool ms)
{
	time_t t = (time_t)(usec / USEC_PER_SEC);
	struct tm tm;
	size_t n;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, HIST_TIME_LEN, "@%llu", (unsigned long long)t);
		return buf;
	}
	n = strftime(buf, HIST_TIME_LEN, "%Y-%m-%d %H:%M:%S", &tm);
	if (ms && n)
		snprintf(buf + n, HIST_TIME_LEN - n, ".%03u",
			 (unsigned)(usec % USEC_PER_SEC / 1000));
	return buf;
}
