// SPDX-License-Identifier: GPL-2.0-or-later
/* event-text.c: the text of an event that rules match and every output shows: EXEC_ARGV and marked paths. */
#include <string.h>

#include "format/escape.h"
#include "format/event-text.h"

void event_text_init(struct event_text *t)
{
	memset(t, 0, sizeof(*t));
}

void event_text_free(struct event_text *t)
{
	size_t i;

	sb_free(&t->argv);
	for (i = 0; i < EXEC_PATH_NR; i++)
		sb_free(&t->path[i]);
}

/* Rewrite a cut or deleted walk with its marks into sb; 0 or -ENOMEM.
 * (A string the kernel side cut at its end carries no mark; its
 * EXEC_*_TRUNCATED field says so.) */
static int mark_path(struct strbuf *sb, struct exec_path *p)
{
	int r = 0;

	if (!p->s || !p->walked || !(p->truncated || p->deleted))
		return 0;
	sb_reset(sb);
	if (p->truncated)
		r = sb_puts(sb, EXEC_PATH_CUT_MARK);
	if (!r)
		r = sb_append(sb, p->s, p->len);
	if (!r && p->deleted)
		r = sb_puts(sb, " (deleted)");
	if (r < 0)
		return r;
	p->s = sb->p;
	p->len = sb->len;
	return 0;
}

int event_text_fill(struct event_text *t, struct exec_event *ev)
{
	size_t i;
	int r;

	sb_reset(&t->argv);
	r = argv_join(&t->argv, ev->args, ev->arglens, ev->nargs);
	if (r < 0)
		return r;
	ev->argv_str = t->argv.p ? t->argv.p : (char *)"";
	for (i = 0; i < EXEC_PATH_NR && r == 0; i++)
		r = mark_path(&t->path[i], &ev->path[i]);
	return r;
}
