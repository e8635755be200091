/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event-text.h: the text of an event that rules match and every output shows: EXEC_ARGV and marked paths. */
#ifndef TRACE_EXECD_EVENT_TEXT_H
#define TRACE_EXECD_EVENT_TEXT_H

#include "core/event.h"
#include "core/strbuf.h"

/* Buffers the texts live in; reused from one event to the next. */
struct event_text {
	struct strbuf argv;
	struct strbuf path[EXEC_PATH_NR];
};

void event_text_init(struct event_text *t);
void event_text_free(struct event_text *t);
/*
 * Set ev->argv_str to the arguments joined with escape_arg() (EXEC_ARGV),
 * and mark the walked paths as /proc/PID/exe would show them: a walk the
 * kernel side could not take to the root starts with "…", a deleted file
 * ends with " (deleted)". The event then points into t. Returns 0 or -ENOMEM.
 */
int event_text_fill(struct event_text *t, struct exec_event *ev);

#endif
