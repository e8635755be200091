// SPDX-License-Identifier: GPL-2.0-or-later
/* log.c: write diagnostics to stderr, one line each, with the program name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"


static int max_level = LOG_INFO;
static int kmsg_prefix;

void log_set_level(int level)
{
	max_level = level;
}

void log_set_kmsg_prefix(int on)
{
	kmsg_prefix = on;
}

void log_vmsg(int level, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n;
	int saved = errno;

	if (level > max_level)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	n = strlen(line);
	while (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (kmsg_prefix)
		fprintf(stderr, "<%d>%s\n", level, line);
	else
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, line);
	errno = saved;
}

void log_msg(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}
