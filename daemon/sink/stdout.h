/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stdout.h: lines for standard output (the live table, JSON), written in large pieces. */
#ifndef TRACE_EXECD_STDOUT_H
#define TRACE_EXECD_STDOUT_H

#include "core/strbuf.h"

/* Text is appended to buf by the renderers, then written out. */
struct stdout_sink {
	struct strbuf buf;
};

/* Write what buf holds once it is over 64 KiB; 0 or -EIO. */
int stdout_sink_spill(struct stdout_sink *o);
/* Write and flush what buf holds; 0 or -EIO (a closed pipe, a full disk). */
int stdout_sink_flush(struct stdout_sink *o);
void stdout_sink_free(struct stdout_sink *o);

#endif
