// SPDX-License-Identifier: GPL-2.0-or-later
/* event-entry.c: an exec event as a log entry: its readable MESSAGE and every field of the schema. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "format/entry.h"
#include "format/escape.h"
#include "format/event-entry.h"
#include "format/fields.h"
#include "format/jsonw.h"

struct from_event {
	struct entry *e;
	const struct exec_event *ev;
};

/*
 * EXEC_ARGS_JSON: the arguments as one JSON array of strings, for
 * forwarders that keep one value per field (rsyslog's imjournal) and
 * cannot split EXEC_ARGV. An argument that is not UTF-8 is written as
 * escape_arg() writes it in EXEC_ARGV (quoted, \xHH). 0 or -ENOMEM.
 */
static int args_json(struct entry *e, const struct exec_event *ev)
{
	struct strbuf tmp = STRBUF_INIT;
	struct jsonw w;
	size_t i;
	int r;

	jw_init(&w, &e->args_json);
	r = jw_array_begin(&w, NULL);
	for (i = 0; r == 0 && i < ev->nargs; i++) {
		if (utf8_valid(ev->args[i], ev->arglens[i])) {
			r = jw_str(&w, NULL, ev->args[i], ev->arglens[i]);
			continue;
		}
		sb_reset(&tmp);
		r = escape_arg(&tmp, ev->args[i], ev->arglens[i]);
		if (r == 0)
			r = jw_str(&w, NULL, tmp.p, tmp.len);
	}
	sb_free(&tmp);
	if (r == 0)
		r = jw_array_end(&w);
	return r ? r : entry_add(e, "EXEC_ARGS_JSON", e->args_json.p,
				 e->args_json.len);
}

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
	case FIELD_ARGS_JSON:
		return args_json(fe->e, fe->ev);
	}
	return -EINVAL;
}

/* Append label, then s escaped for display; 0 or -ENOMEM. */
static int put_text(struct strbuf *out, const char *label, const char *s)
{
	int r = sb_puts(out, label);

	return r ? r : escape_text(out, s, strlen(s));
}

/* Append label, then the name s, quoted if need be; 0 or -ENOMEM. */
static int put_name(struct strbuf *out, const char *label, const char *s)
{
	int r = sb_puts(out, label);

	return r ? r : escape_name(out, s, strlen(s));
}

/* ": ARGV" of the MESSAGE: at most MESSAGE_ARGV_MAX bytes of EXEC_ARGV,
 * cut before a character; 0 or -ENOMEM. */
static int put_args(struct strbuf *out, const struct exec_event *ev)
{
	const char *a = ev->argv_str;
	size_t len = strlen(a), n = len;
	int r;

	if (n > MESSAGE_ARGV_MAX) {
		n = MESSAGE_ARGV_MAX;
		while (n && ((unsigned char)a[n] & 0xc0) == 0x80)
			n--;	/* EXEC_ARGV is UTF-8: not in a character */
	}
	r = sb_puts(out, ": ");
	if (!r)
		r = sb_append(out, a, n);
	if (!r && n < len)
		r = sb_printf(out, " \xe2\x80\xa6(%zu more bytes)", len - n);
	else if (!r && ev->args_truncated)
		r = sb_puts(out, " \xe2\x80\xa6");
	return r;
}

/* " [pid N, parent COMM[PPID]" of the MESSAGE; 0 or -ENOMEM. */
static int put_process(struct strbuf *out, const struct exec_event *ev)
{
	int r = sb_puts(out, " [pid ");

	if (!r)
		r = sb_put_u64(out, ev->pid);
	if (!r)
		r = put_name(out, ", parent ", ev->pcomm);
	if (!r)
		r = sb_putc(out, '[');
	if (!r)
		r = sb_put_u64(out, ev->ppid);
	return r ? r : sb_putc(out, ']');
}

int event_message(struct strbuf *out, const struct exec_event *ev,
		  const struct rule_match *m)
{
	const char *what = EXEC_FILE(ev) ? EXEC_FILE(ev) : ev->comm;
	const struct container *c = ev->container;
	char buf[ERRNO_NAME_LEN];
	int r;

	/* Names come from passwd files (a container's own), container
	 * metadata and the program itself (comm): quoted when need be. */
	r = put_name(out, "", ev->user ? ev->user : "?");
	if (!r)
		r = put_text(out, ev->failed ? " failed to run " :
			     m && m->action && !strcmp(m->action, "killed") ?
			     " was killed at the exec of " : " ran ", what);
	if (!r && ev->argv_str && *ev->argv_str)
		r = put_args(out, ev);
	if (!r && ev->failed)
		r = sb_printf(out, " (%s)", errno_name(ev->error, buf));
	if (!r)
		r = put_process(out, ev);
	if (!r && ev->loginuser && ev->loginuid != UINT32_MAX)
		r = put_name(out, ", login ", ev->loginuser);
	if (!r && c)
		r = put_name(out, ", container ", c->name[0] ? c->name : c->short_id);
	if (!r && ev->container_unverified)	/* 64 hex digits: nothing to escape */
		r = sb_printf(out, ", unverified container %.12s", ev->container_unverified);
	if (!r && EXEC_CWD(ev))
		r = put_text(out, ", cwd ", EXEC_CWD(ev));
	if (!r && m && m->name)
		r = put_text(out, ", rule ", m->name);
	if (!r && m && m->action && strcmp(m->action, "killed"))
		r = put_text(out, ", ", m->action);
	return r ? r : sb_putc(out, ']');
}

int entry_from_event(struct entry *e, const struct exec_event *ev,
		     const struct rule_match *m)
{
	struct from_event fe = { e, ev };
	int r;

	r = event_message(&e->message, ev, m);
	if (r == 0)
		r = event_fields(ev, m, add_field, &fe);
	return r;
}

int fold_message(struct strbuf *out, const struct exec_fold *fo)
{
	char err[ERRNO_NAME_LEN];
	int r;

	if (fo->by_cgroup)
		r = sb_printf(out, "cgroup %" PRIu64 ": ", fo->cgroup_id);
	else
		r = sb_printf(out, "uid %" PRIu32 ": ", fo->uid);
	if (!r)
		r = sb_printf(out, "%" PRIu64 " failed execs folded past the budget, %" PRIu64
			      " sent in %" PRIu64 " bytes (first ", fo->count,
			      fo->seen - fo->count, fo->sent_bytes);
	if (!r)
		r = sb_printf(out, "%s ", errno_name(fo->first_error, err));
	if (!r)
		r = fo->first_file[0] ? escape_arg(out, fo->first_file, strlen(fo->first_file))
				      : sb_puts(out, "(name gone)");
	if (!r)
		r = sb_printf(out, ", last %s ", errno_name(fo->last_error, err));
	if (!r)
		r = fo->last_file[0] ? escape_arg(out, fo->last_file, strlen(fo->last_file))
				     : sb_puts(out, "(name gone)");
	return r ? r : sb_putc(out, ')');
}

int entry_from_fold(struct entry *e, const struct exec_fold *fo)
{
	/* a fold's fields are strings and numbers: no event behind them */
	struct from_event fe = { .e = e, .ev = NULL };
	int r = fold_message(&e->message, fo);

	return r ? r : fold_fields(fo, add_field, &fe);
}
