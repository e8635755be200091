// SPDX-License-Identifier: GPL-2.0-or-later
/* tree-render.c: trace-exec --tree's output: the nodes tree.c found, drawn as an indented tree, or their JSON lines. */
#include "history/tree.h"

/* The branches drawn before a node: for each level above it, a line
 * when that level's node has a later sibling, then the node's own. */
static int art(struct strbuf *out, const struct tree *t, size_t i)
{
	unsigned d = t->v[i].depth, k;
	size_t j;
	int e = 0;

	for (k = 1; !e && k < d; k++) {
		/* the nearest node before i at depth k: is it the last? */
		for (j = i; j-- > 0 && t->v[j].depth != k;)
			;
		e = sb_puts(out, t->v[j].last ? "   " : "\xe2\x94\x82  ");
	}
	if (!e && d)
		e = sb_puts(out, t->v[i].last ? "\xe2\x94\x94\xe2\x94\x80 " :
					       "\xe2\x94\x9c\xe2\x94\x80 ");
	return e;
}

int tree_render(struct strbuf *out, const struct tree *t, const struct tree_opts *o)
{
	size_t i;
	int e = 0;

	if (!o->json)
		e = sb_printf(out, "  %-23s  %s%-10s  %-16s  %s\n", "TIME",
			      o->host ? "HOST          " : "", "USER", "CONTAINER", "EXEC");
	for (i = 0; !e && i < t->n; i++) {
		if (o->json) {
			e = sb_puts(out, t->v[i].cells);
			continue;
		}
		e = sb_puts(out, t->v[i].self ? "* " : "  ") ?:
		    sb_puts(out, t->v[i].cells) ?: art(out, t, i) ?:
		    sb_puts(out, t->v[i].args ? t->v[i].args : "") ?: sb_putc(out, '\n');
	}
	return e;
}
