/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event-json.h: an exec event as one line of JSON, every field of the schema. */
#ifndef TRACE_EXECD_EVENT_JSON_H
#define TRACE_EXECD_EVENT_JSON_H

#include "core/event.h"
#include "core/strbuf.h"
#include "format/fields.h"

/* Append one JSON object and a newline; m may be NULL. 0 or -ENOMEM. */
int event_json(struct strbuf *out, const struct exec_event *ev,
	       const struct rule_match *m);

/* The same with more keys after the schema's (strings and numbers, as
 * trace-exec's history adds the entry's host); 0 or -ENOMEM. */
int event_json_extra(struct strbuf *out, const struct exec_event *ev,
		     const struct rule_match *m, const struct field *extra,
		     size_t nextra);

/* A fold (failed execs the kernel folded past a budget) as one line of
 * JSON, its fields as keys; 0 or -ENOMEM. */
int fold_json(struct strbuf *out, const struct exec_fold *fo);

#endif
