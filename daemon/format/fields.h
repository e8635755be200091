/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fields.h: the exec event's schema: every field by name and kind, in one order for every output. */
#ifndef TRACE_EXECD_FIELDS_H
#define TRACE_EXECD_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"

enum field_kind {
	FIELD_STR,	/* s, len: bytes */
	FIELD_U64,	/* u */
	FIELD_ARGS,	/* the repeated EXEC_ARG field: ev->args */
	FIELD_ARGS_JSON, /* EXEC_ARGS_JSON, ev->args as one JSON array (log
			  * entries only: a JSON output has EXEC_ARG) */
};

struct field {
	const char *name;
	enum field_kind kind;
	const char *s;
	size_t len;
	uint64_t u;
};

/* The rule that matched an event, added to its fields (NULL: none). */
struct rule_match {
	const char *name;	/* POLICY_RULE */
	const char *tags;	/* POLICY_TAGS, comma-separated */
	const char *action;	/* EXEC_ACTION (kill rules), NULL: none */
};

typedef int (*field_fn)(void *ctx, const struct field *f);

/* Call fn for every field of the schema in order; stops at a non-zero return. */
int event_fields(const struct exec_event *ev, const struct rule_match *m,
		 field_fn fn, void *ctx);

/* The same for failed execs the kernel folded into a count (their own
 * entry, MSGID_EXEC_FOLDED). */
int fold_fields(const struct exec_fold *fo, field_fn fn, void *ctx);

#endif
