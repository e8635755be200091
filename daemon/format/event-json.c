// SPDX-License-Identifier: GPL-2.0-or-later
/* event-json.c: an exec event as one line of JSON, every field of the schema. */
#include <errno.h>

#include "format/event-json.h"
#include "format/fields.h"
#include "format/jsonw.h"

struct json_ctx {
	struct jsonw w;
	const struct exec_event *ev;
};

static int json_field(void *ctx, const struct field *f)
{
	struct json_ctx *j = ctx;
	size_t i;
	int r;

	switch (f->kind) {
	case FIELD_STR:
		return jw_str(&j->w, f->name, f->s, f->len);
	case FIELD_U64:
		return jw_u64(&j->w, f->name, f->u);
	case FIELD_ARGS:
		r = jw_array_begin(&j->w, f->name);
		for (i = 0; r == 0 && i < j->ev->nargs; i++)
			r = jw_str(&j->w, NULL, j->ev->args[i], j->ev->arglens[i]);
		return r ? r : jw_array_end(&j->w);
	case FIELD_ARGS_JSON:
		return 0;	/* EXEC_ARG above is that array */
	}
	return -EINVAL;
}

int event_json(struct strbuf *out, const struct exec_event *ev,
	       const struct rule_match *m)
{
	return event_json_extra(out, ev, m, NULL, 0);
}

int event_json_extra(struct strbuf *out, const struct exec_event *ev,
		     const struct rule_match *m, const struct field *extra,
		     size_t nextra)
{
	struct json_ctx j = { .ev = ev };
	size_t i;
	int r;

	jw_init(&j.w, out);
	r = jw_object_begin(&j.w);
	if (r == 0)
		r = event_fields(ev, m, json_field, &j);
	for (i = 0; r == 0 && i < nextra; i++)
		r = json_field(&j, &extra[i]);
	if (r == 0)
		r = jw_object_end(&j.w);
	if (r == 0)
		r = sb_putc(out, '\n');
	return r;
}

int fold_json(struct strbuf *out, const struct exec_fold *fo)
{
	/* a fold's fields are strings and numbers: no event behind them */
	struct json_ctx j = { .ev = NULL };
	int r;

	jw_init(&j.w, out);
	r = jw_object_begin(&j.w);
	if (r == 0)
		r = fold_fields(fo, json_field, &j);
	if (r == 0)
		r = jw_object_end(&j.w);
	return r ? r : sb_putc(out, '\n');
}
