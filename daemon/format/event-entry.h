/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event-entry.h: an exec event as a log entry: its readable MESSAGE and every field of the schema. */
#ifndef TRACE_EXECD_EVENT_ENTRY_H
#define TRACE_EXECD_EVENT_ENTRY_H

#include "core/event.h"
#include "core/strbuf.h"
#include "format/entry.h"
#include "format/fields.h"

/* Fill a begun entry with the event's MESSAGE and fields (EXEC_ARG
 * repeated), m the rule that matched or NULL; 0 or negative errno. */
int entry_from_event(struct entry *e, const struct exec_event *ev,
		     const struct rule_match *m);
/* Bytes of EXEC_ARGV a MESSAGE shows; the rest is counted, not shown. */
#define MESSAGE_ARGV_MAX	1024

/*
 * One readable line: who ran what, as whom, where, which rule matched.
 * At most MESSAGE_ARGV_MAX bytes of EXEC_ARGV, then " …(N more bytes)";
 * names (user, parent command, login user, container) as escape_name()
 * writes them, quoted when they could be read as the line's own parts.
 */
int event_message(struct strbuf *out, const struct exec_event *ev,
		  const struct rule_match *m);

/* One line for failed execs the kernel folded past a budget: whose, how
 * many, how many were sent in how many bytes, the first and last error
 * and file name. */
int fold_message(struct strbuf *out, const struct exec_fold *fo);
/* Fill an entry begun with MSGID_EXEC_FOLDED with a fold's MESSAGE and
 * fields; 0 or negative errno. */
int entry_from_fold(struct entry *e, const struct exec_fold *fo);

#endif
