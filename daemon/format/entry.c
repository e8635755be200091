/* entry.c: one log entry as an ordered list of FIELD=value pairs, for every output. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/entry.h"
#include "format/escape.h"

void entry_init(struct entry *e)
{
	memset(e, 0, sizeof(*e));
}

void entry_free(struct entry *e)
{
	free(e->f);
	sb_free(&e->message);
	memset(e, 0, sizeof(*e));
}

void entry_begin(struct entry *e, const char *msgid, int priority)
{
	e->n = 0;
	e->nnums = 0;
	e->msgid = msgid;
	e->priority = priority;
	sb_reset(&e->message);
}

int entry_add(struct entry *e, const char *name, const char *val, size_t len)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 128;
		struct entry_field *f = realloc(e->f, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		e->f = f;
		e->cap = cap;
	}
	e->f[e->n++] = (struct entry_field){ name, val, len };
	return 0;
}

int entry_add_str(struct entry *e, const char *name, const char *val)
{
	return entry_add(e, name, val ? val : "", val ? strlen(val) : 0);
}

int entry_add_u64(struct entry *e, const char *name, uint64_t v)
{
	char *buf;
	size_t n;

	if (e->nnums == ENTRY_NUMS)
		return -ENOSPC;
	buf = e->nums[e->nnums++];
	n = fmt_u64(buf, v);
	return entry_add(e, name, buf, n);
}

struct from_event {
	struct entry *e;
	const struct exec_event *ev;
};

static int add_field(void *ctx, const struct field *f)
{
	struct from_event *fe = ctx;
	size_t i;
	int r = 0;

	switch (f->kind) {
	case FIELD_STR:
		return entry_add(fe->e, f->name, f->s, f->len);
	case FIELD_U64:
		return entry_add_u64(fe->e, f->name, f->u);
	case FIELD_ARGS:
		for (i = 0; r == 0 && i < fe->ev->nargs; i++) {
			if (i == ENTRY_MAX_ARG_FIELDS)
				return entry_add_u64(fe->e, "EXEC_ARG_OMITTED",
						     fe->ev->nargs - i);
			r = entry_add(fe->e, f->name, fe->ev->args[i],
				      fe->ev->arglens[i]);
		}
		return r;
	}
	return -EINVAL;
}

int entry_event_message(struct strbuf *out, const struct exec_event *ev,
			const struct field_extra *x)
{
	const char *what = EXEC_FILE(ev) ? EXEC_FILE(ev) : ev->comm;
	const char *user = ev->user ? ev->user : "?";
	int r;

	/* Names come from passwd files and container metadata: escaped too. */
	r = escape_text(out, user, strlen(user));
	if (!r)
		r = sb_puts(out, ev->failed ? " failed to run " : " ran ");
	if (!r)
		r = escape_text(out, what, strlen(what));
	if (!r && ev->argv_str && *ev->argv_str) {
		r = sb_puts(out, ": ");
		if (!r)
			r = sb_puts(out, ev->argv_str);
		if (!r && ev->args_truncated)
			r = sb_puts(out, " \xe2\x80\xa6");
	}
	if (!r && ev->failed) {
		char buf[ERRNO_NAME_LEN];

		r = sb_printf(out, " (%s)", errno_name(ev->error, buf));
	}
	if (!r) {
		r = sb_puts(out, " [pid ");
		if (!r)
			r = sb_put_u64(out, ev->pid);
		if (!r)
			r = sb_puts(out, ", parent ");
		if (!r)
			r = escape_text(out, ev->pcomm, strlen(ev->pcomm));
		if (!r)
			r = sb_putc(out, '[');
		if (!r)
			r = sb_put_u64(out, ev->ppid);
		if (!r)
			r = sb_putc(out, ']');
	}
	if (!r && ev->loginuser && ev->loginuid != UINT32_MAX) {
		r = sb_puts(out, ", login ");
		if (!r)
			r = escape_text(out, ev->loginuser, strlen(ev->loginuser));
	}
	if (!r && ev->container) {
		const char *c = ev->container->name[0] ? ev->container->name :
				ev->container->short_id;

		r = sb_puts(out, ", container ");
		if (!r)
			r = escape_text(out, c, strlen(c));
	}
	if (!r && EXEC_CWD(ev)) {
		r = sb_puts(out, ", cwd ");
		if (!r)
			r = escape_text(out, EXEC_CWD(ev), strlen(EXEC_CWD(ev)));
	}
	if (!r && x && x->rule) {
		r = sb_puts(out, ", rule ");
		if (!r)
			r = escape_text(out, x->rule, strlen(x->rule));
	}
	if (!r)
		r = sb_putc(out, ']');
	return r;
}

int entry_from_event(struct entry *e, const struct exec_event *ev,
		     const struct field_extra *x)
{
	struct from_event fe = { e, ev };
	int r;

	r = entry_event_message(&e->message, ev, x);
	if (r == 0)
		r = event_fields(ev, x, add_field, &fe);
	return r;
}
