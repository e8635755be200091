// SPDX-License-Identifier: GPL-2.0-or-later
/* config-values.c: durations, sizes, priority and facility names in text. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "config/config-values.h"
#include "core/util.h"

/* Leading decimal digits of s (at most 12) into *v; rest in *end. */
static int parse_digits(const char *s, uint64_t *v, const char **end)
{
	size_t n = strspn(s, "0123456789");
	size_t i;

	if (!n)
		return -EINVAL;
	if (n > 12)
		return -ERANGE;
	*v = 0;
	for (i = 0; i < n; i++)
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	*end = s + n;
	return 0;
}

/* *out = v * mult, or -ERANGE on overflow. */
static int mul_check(uint64_t v, uint64_t mult, uint64_t *out)
{
	if (mult && v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

struct unit {
	const char *name;
	uint64_t mult;
};

/* Digits followed by one of the units (case-insensitive when nocase). */
static int parse_with_unit(const char *s, const struct unit *units, size_t n,
			   bool nocase, uint64_t *out)
{
	const char *end;
	uint64_t v;
	size_t i;
	int r = parse_digits(s, &v, &end);

	if (r < 0)
		return r;
	for (i = 0; i < n; i++)
		if (!(nocase ? strcasecmp : strcmp)(end, units[i].name))
			return mul_check(v, units[i].mult, out);
	return -EINVAL;
}

int config_parse_duration(const char *s, uint64_t *usec)
{
	static const struct unit units[] = {
		{ "", USEC_PER_SEC }, { "us", 1 }, { "ms", 1000 },
		{ "s", USEC_PER_SEC }, { "m", 60 * USEC_PER_SEC },
		{ "h", 3600 * USEC_PER_SEC },
	};

	return parse_with_unit(s, units, ARRAY_SIZE(units), false, usec);
}

int config_parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "", 1 }, { "k", 1ULL << 10 }, { "kib", 1ULL << 10 },
		{ "m", 1ULL << 20 }, { "mib", 1ULL << 20 },
		{ "g", 1ULL << 30 }, { "gib", 1ULL << 30 },
	};

	return parse_with_unit(s, units, ARRAY_SIZE(units), true, bytes);
}

static const struct { const char *name; int prio; } prio_names[] = {
	{ "emerg", LOG_EMERG }, { "alert", LOG_ALERT }, { "crit", LOG_CRIT },
	{ "err", LOG_ERR }, { "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
	{ "error", LOG_ERR }, { "warn", LOG_WARNING },
};

int config_priority_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(prio_names); i++)
		if (!strcasecmp(s, prio_names[i].name))
			return prio_names[i].prio;
	return -EINVAL;
}

const char *config_priority_name(int prio)
{
	return prio >= 0 && prio <= LOG_DEBUG ? prio_names[prio].name : "?";
}

static const char *const facility_names[] = {
	"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
	"uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
	"local3", "local4", "local5", "local6", "local7",
};

static const int facility_values[] = {
	LOG_KERN, LOG_USER, LOG_MAIL, LOG_DAEMON, LOG_AUTH, LOG_SYSLOG,
	LOG_LPR, LOG_NEWS, LOG_UUCP, LOG_CRON, LOG_AUTHPRIV, LOG_FTP,
	LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3, LOG_LOCAL4,
	LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7,
};

int config_facility_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(facility_names); i++)
		if (!strcmp(s, facility_names[i]))
			return facility_values[i];
	return -EINVAL;
}

const char *const *config_facility_names(size_t *n)
{
	*n = ARRAY_SIZE(facility_names);
	return facility_names;
}
