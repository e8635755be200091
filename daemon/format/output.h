/* output.h: the event schema as named fields, and the JSON and table renderings. */
#ifndef TRACE_EXECD_OUTPUT_H
#define TRACE_EXECD_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"
#include "core/util.h"

enum field_kind {
	FIELD_STR,	/* s, len: bytes */
	FIELD_U64,	/* u */
	FIELD_ARGS,	/* the repeated EXEC_ARG field: ev->args */
};

struct field {
	const char *name;
	enum field_kind kind;
	const char *s;
	size_t len;
	uint64_t u;
};

/* Policy outcome added to an event's fields (NULL when there is none). */
struct field_extra {
	const char *rule;	/* POLICY_RULE */
	const char *tags;	/* POLICY_TAGS, comma-separated */
};

typedef int (*field_fn)(void *ctx, const struct field *f);

/* Call fn for every field of the schema in order; stops at a non-zero return. */
int event_fields(const struct exec_event *ev, const struct field_extra *x,
		 field_fn fn, void *ctx);

/* Append one JSON object and a newline; returns 0 or -ENOMEM. */
int output_json(struct strbuf *out, const struct exec_event *ev,
		const struct field_extra *x);

/* Table rendering for the live view. */
struct table;
int output_table_init(struct table *t, bool paths, int term_width);
int output_table_header(struct strbuf *out, const struct table *t);
int output_table_row(struct strbuf *out, const struct table *t,
		     const struct exec_event *ev);

#endif
