// SPDX-License-Identifier: GPL-2.0-or-later
/* tree.c: trace-exec --tree: an exec, its ancestors and all its descendants by EXEC_ID / EXEC_PARENT_ID, as an indented tree or JSON lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/util.h"
#include "format/entry.h"
#include "format/escape.h"
#include "format/event-json.h"
#include "history/timespec.h"
#include "history/tree.h"

static const char *const exec_ids[] = {
	MSGID_EXEC, MSGID_EXEC_KILLED, MSGID_EXEC_WOULD_KILL, MSGID_EXEC_FAILED,
};

void tree_free(struct tree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].cells);
		free(t->v[i].args);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Append a cell for display, padded to width. */
static int cell(struct strbuf *sb, const char *s, size_t width)
{
	size_t old = sb->len;
	int r = escape_text(sb, s ? s : "", s ? strlen(s) : 0);

	while (!r && sb->len - old < width)
		r = sb_putc(sb, ' ');
	return r ?: sb_puts(sb, "  ");
}

/* The container's cell: its name, an unverified claim, or nothing. */
static const char *container_text(const struct exec_event *ev, char *buf, size_t size)
{
	if (ev->container)
		return ev->container->name[0] ? ev->container->name : ev->container->short_id;
	if (!ev->container_unverified)
		return "";
	snprintf(buf, size, "(unverified %.12s)", ev->container_unverified);
	return buf;
}

/* Room for one more node; 0 or -ENOMEM. */
static int reserve(struct tree *t)
{
	return array_reserve(&t->v, &t->cap, t->n + 1, sizeof(*t->v));
}

/* Render the current entry of r as a node at depth. 0 or -ENOMEM. */
static int add_node(struct tree *t, const struct hist_reader *r, unsigned depth,
		    bool self, const struct tree_opts *o)
{
	const struct hist_event *he = &r->he;
	const struct exec_event *ev = &he->ev;
	struct strbuf c = STRBUF_INIT, a = STRBUF_INIT;
	char tb[HIST_TIME_LEN], ctr[40], err[ERRNO_NAME_LEN];
	struct field extra[3] = {
		{ .name = "TREE_DEPTH", .kind = FIELD_U64, .u = depth },
		{ .name = "_HOSTNAME", .kind = FIELD_STR, .s = ev->host ? ev->host : "",
		  .len = ev->host ? strlen(ev->host) : 0 },
		{ .name = "trace_execd_sender", .kind = FIELD_STR, .s = "unverified", .len = 10 },
	};
	const struct rule_match *m = he->m.name || he->m.action ? &he->m : NULL;
	const char *args;
	struct tree_node *nd;
	int e;

	if ((e = reserve(t)))
		return e;
	if (o->json) {
		e = event_json_extra(&c, ev, m, extra,
				     he->sender == HIST_UNVERIFIED ? 3 : 2);
	} else {
		e = cell(&c, hist_format_time(tb, ev->timestamp_usec, true), 23);
		e = e ?: (o->host ? cell(&c, ev->host, 12) : 0);
		e = e ?: cell(&c, ev->user, 10);
		e = e ?: cell(&c, container_text(ev, ctr, sizeof(ctr)), 16);
		/* EXEC_ARGV is escaped already (escape_text() keeps it as it
		 * is); an entry of an unverified sender might not be */
		args = ev->argv_str && *ev->argv_str ? ev->argv_str : ev->comm;
		e = e ?: escape_text(&a, args, strlen(args));
		if (!e && ev->failed)
			e = sb_printf(&a, "  (%s)", errno_name(ev->error, err));
		if (!e && ev->killed)
			e = sb_puts(&a, "  (KILLED)");
		e = e ?: sb_append(&a, "", 0);
	}
	e = e ?: sb_append(&c, "", 0);
	if (e) {
		sb_free(&c);
		sb_free(&a);
		return e;
	}
	nd = &t->v[t->n++];
	*nd = (struct tree_node){ .depth = depth, .self = self, .last = true,
				  .cells = sb_steal(&c), .args = a.p ? sb_steal(&a) : NULL };
	memcpy(nd->id, ev->exec_id, sizeof(nd->id));
	return 0;
}

/* Point r at the execs of one EXEC_ID (failed ones have none) or with one
 * EXEC_PARENT_ID; 0 or negative errno. */
static int query(struct hist_reader *r, const char *field, const char *id,
		 bool failed, const struct tree_opts *o)
{
	char m[EXEC_ID_LEN + 20];
	int e;

	snprintf(m, sizeof(m), "%s=%s", field, id);
	e = hist_match(r, exec_ids, failed ? 4 : 3, o->f, m);
	return e ?: hist_seek(r, o->since, false);
}

/* Move node src to the end of t. 0 or -ENOMEM (src then freed). */
static int move_node(struct tree *t, struct tree_node *src)
{
	int e = reserve(t);

	if (e) {
		free(src->cells);
		free(src->args);
		return e;
	}
	t->v[t->n++] = *src;
	return 0;
}

/* Append the descendants of id, at depth, depth first, each exec's
 * children in the journal's order. */
static int descend(struct tree *t, struct hist_reader *r, const char *id,
		   unsigned depth, const struct tree_opts *o)
{
	struct tree kids = { 0 };
	char cid[EXEC_ID_LEN];
	size_t i;
	int e;

	if (depth > TREE_MAX_DEPTH) {
		t->cut = true;
		return 0;
	}
	e = query(r, "EXEC_PARENT_ID", id, o->failed, o);
	while (!e && (e = hist_next(r)) > 0) {
		if (t->n + kids.n >= TREE_MAX_NODES) {
			t->cut = true;
			break;
		}
		e = add_node(&kids, r, depth, false, o);
	}
	if (kids.n)
		kids.v[kids.n - 1].last = true;
	for (i = 0; i + 1 < kids.n; i++)
		kids.v[i].last = false;
	/* the reader's matches change below: the children were read first */
	for (i = 0; e >= 0 && i < kids.n; i++) {
		memcpy(cid, kids.v[i].id, sizeof(cid));
		e = move_node(t, &kids.v[i]);
		if (!e && cid[0])
			e = descend(t, r, cid, depth + 1, o);
	}
	for (; i < kids.n; i++) {
		free(kids.v[i].cells);
		free(kids.v[i].args);
	}
	free(kids.v);
	return e < 0 ? e : 0;
}

/* The exec of id, now in r->he: 1, 0 when none, or negative errno. */
static int find(struct hist_reader *r, const char *id, const struct tree_opts *o)
{
	int e = query(r, "EXEC_ID", id, false, o);

	return e ?: hist_next(r);
}

int tree_build(struct tree *t, struct hist_reader *r, const char *exec_id,
	       const struct tree_opts *o)
{
	char (*chain)[EXEC_ID_LEN];
	size_t n = 0, k;
	int e = 0;

	memset(t, 0, sizeof(*t));
	chain = calloc(TREE_MAX_DEPTH + 1, sizeof(*chain));
	if (!chain)
		return -ENOMEM;
	/* the exec, then its ancestors up to one the journal lacks */
	snprintf(chain[0], EXEC_ID_LEN, "%s", exec_id);
	while (n <= TREE_MAX_DEPTH && chain[n][0]) {
		e = find(r, chain[n], o);
		if (e <= 0)
			break;
		n++;
		if (n <= TREE_MAX_DEPTH)
			snprintf(chain[n], EXEC_ID_LEN, "%s", r->he.ev.parent_exec_id);
	}
	t->cut = n > TREE_MAX_DEPTH;
	if (e >= 0 && !n)
		e = -ENOENT;
	/* oldest first, each one level deeper: read again, now that the
	 * depth is known */
	for (k = n; e >= 0 && k-- > 0;) {
		e = find(r, chain[k], o);
		if (e > 0)
			e = add_node(t, r, (unsigned)(n - 1 - k), k == 0, o);
		else if (e == 0)
			e = -ENOENT;	/* gone from the journal meanwhile */
	}
	free(chain);
	if (e >= 0)
		e = descend(t, r, exec_id, (unsigned)n, o);
	return e < 0 ? e : 0;
}
