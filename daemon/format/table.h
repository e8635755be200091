/* SPDX-License-Identifier: GPL-2.0-or-later */
/* table.h: the live table of trace-exec, laid out to fit the terminal width: every value in its column. */
#ifndef TRACE_EXECD_TABLE_H
#define TRACE_EXECD_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

#define TABLE_MAX_COLS 32

/* A column: widths are display columns; flex columns take the spare width. */
struct table_col {
	const char *name;
	unsigned min;
	unsigned pref;
	bool right;		/* right-aligned (numbers) */
	bool flex;
};

struct table {
	const struct table_col *cols;
	size_t ncols;
	unsigned width[TABLE_MAX_COLS];
	/* trace-exec's choice of columns (event_table_init()) */
	struct table_col sel[TABLE_MAX_COLS];
	bool lineage;		/* the last two are the lineage columns */
	bool k8s;		/* K8S.* columns in place of the container's */
	bool host;		/* a HOST column first (event_table_init_host()) */
};

/* The columns of trace-exec, in order; the path columns only with --paths. */
enum table_exec_col {
	TCOL_CONTAINER,		/* RUNTIME.CONTAINERNAME */
	TCOL_COMM,
	TCOL_PID,
	TCOL_TID,
	TCOL_PCOMM,
	TCOL_PPID,
	TCOL_ARGS,
	TCOL_ERROR,
	TCOL_USER,
	TCOL_LOGINUSER,
	TCOL_GROUP,
	TCOL_CWD,
	TCOL_FILE,
	TCOL_EXEPATH,
	TCOL_NR,
};

#define TCOL_NR_BASE TCOL_CWD	/* number of columns without --paths */

extern const struct table_col table_exec_cols[TCOL_NR];

/* The lineage columns of --lineage, after the others. */
enum table_lineage_col { TCOL_EXEC_ID, TCOL_PARENT_ID, TCOL_LINEAGE_NR };
extern const struct table_col table_lineage_cols[TCOL_LINEAGE_NR];
/* trace-exec --k8s: these four in place of RUNTIME.CONTAINERNAME, as
 * Inspektor Gadget's trace_exec shows them in Kubernetes; then COMM ... */
enum table_k8s_col {
	TCOL_K8S_NODE,
	TCOL_K8S_NAMESPACE,
	TCOL_K8S_PODNAME,
	TCOL_K8S_CONTAINERNAME,
	TCOL_K8S_NR,
};

#define TCOL_K8S_TOTAL (TCOL_NR - 1 + TCOL_K8S_NR)

extern const struct table_col table_k8s_cols[TCOL_K8S_TOTAL];

/*
 * Compute the column widths for a terminal of term_width columns: start
 * from the preferred widths, give any spare width to the flex columns
 * (ARGS, and the path columns), or shrink the column furthest above its
 * minimum until the line fits (below the minimums only if they do not fit
 * either). term_width <= 0 (no terminal): the preferred widths. Either
 * way a value wider than its column is cut (table_row()). Returns 0 or
 * -EINVAL.
 */
int table_layout(struct table *t, const struct table_col *cols, size_t ncols,
		 int term_width);

/* Width to lay out for output on fd: its terminal's width (COLUMNS, else
 * 80, when the terminal does not say); not a terminal: COLUMNS when set,
 * else 0 (the preferred widths, as Inspektor Gadget keeps its columns'
 * widths when not on a terminal). */
int table_term_width(int fd);

/* Append the header line (column names laid out as a row); 0 or -ENOMEM. */
int table_header(struct strbuf *out, const struct table *t);

/*
 * Append one line, '\n' included: t->ncols NUL-terminated cells (NULL is
 * empty), each escaped with escape_text(), padded to its column or, when
 * wider (in display columns: wide characters take two, combining marks
 * none), cut to it with "…" at the end, separated by one space, no
 * trailing spaces: every value starts where its column does. Returns 0
 * or -ENOMEM (out is then unchanged).
 */
int table_row(struct strbuf *out, const struct table *t,
	      const char *const *cells);

#endif
