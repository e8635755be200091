// SPDX-License-Identifier: GPL-2.0-or-later
/* entry.c: one log entry as an ordered list of FIELD=value pairs, for every sink. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strbuf.h"
#include "format/entry.h"

void entry_init(struct entry *e)
{
	memset(e, 0, sizeof(*e));
}

void entry_free(struct entry *e)
{
	free(e->f);
	sb_free(&e->message);
	sb_free(&e->args_json);
	memset(e, 0, sizeof(*e));
}

void entry_begin(struct entry *e, const char *msgid, int priority)
{
	e->n = 0;
	e->nnums = 0;
	e->msgid = msgid;
	e->priority = priority;
	sb_reset(&e->message);
	sb_reset(&e->args_json);
}

int entry_add(struct entry *e, const char *name, const char *val, size_t len)
{
	if (array_reserve(&e->f, &e->cap, e->n + 1, sizeof(*e->f)) < 0)
		return -ENOMEM;
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
