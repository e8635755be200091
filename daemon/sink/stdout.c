// SPDX-License-Identifier: GPL-2.0-or-later
/* stdout.c: lines for standard output (the live table, JSON), written in large pieces. */
#include <errno.h>
#include <stdio.h>

#include "sink/stdout.h"

#define STDOUT_SPILL (64U << 10)

/* Hand buf to stdio; 0 or -EIO. */
static int write_buf(struct stdout_sink *o)
{
	size_t n = o->buf.len;
	int r = 0;

	if (n && fwrite(o->buf.p, 1, n, stdout) != n)
		r = -EIO;
	sb_reset(&o->buf);
	return r;
}

int stdout_sink_spill(struct stdout_sink *o)
{
	return o->buf.len > STDOUT_SPILL ? write_buf(o) : 0;
}

int stdout_sink_flush(struct stdout_sink *o)
{
	int r = write_buf(o);

	return fflush(stdout) == 0 ? r : -EIO;
}

void stdout_sink_free(struct stdout_sink *o)
{
	sb_free(&o->buf);
}
