/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tree.h: trace-exec --tree: an exec, its ancestors and all its descendants by EXEC_ID / EXEC_PARENT_ID, as an indented tree or JSON lines. */
#ifndef TRACE_EXECD_TREE_H
#define TRACE_EXECD_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "history/journal.h"

/* Bounds on what a tree holds, whatever the journal says. */
#define TREE_MAX_DEPTH 1024
#define TREE_MAX_NODES 100000

struct tree_opts {
	bool json;		/* JSON lines with TREE_DEPTH, else the tree */
	bool host;		/* a HOST column */
	bool failed;		/* failed execs too, as leaves */
	uint64_t since;		/* only entries from then (0: all) */
	const struct exec_filter *f;	/* its journal matches (--hostname) */
};

/* One exec of the tree, rendered, in the order shown. */
struct tree_node {
	unsigned depth;
	bool self;		/* the exec asked for */
	bool last;		/* no later sibling */
	char id[EXEC_ID_LEN];	/* its EXEC_ID ("" for a failed exec) */
	char *cells;		/* time, host, user, container; or the JSON line */
	char *args;		/* EXEC_ARGV (and the error of a failed exec) */
};

struct tree {
	struct tree_node *v;
	size_t n, cap;
	bool cut;		/* a bound was reached: the tree is not whole */
};

/*
 * Build the tree of exec_id from the journal r reads (opened; its
 * matches are replaced). 0, -ENOENT when no exec of the daemon has that
 * EXEC_ID, or negative errno.
 */
int tree_build(struct tree *t, struct hist_reader *r, const char *exec_id,
	       const struct tree_opts *o);
/* Append the tree as text or JSON lines (as built); 0 or -ENOMEM. */
int tree_render(struct strbuf *out, const struct tree *t, const struct tree_opts *o);
void tree_free(struct tree *t);

#endif
