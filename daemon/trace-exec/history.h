/* SPDX-License-Identifier: GPL-2.0-or-later */
/* history.h: trace-exec's modes over the journal: past execs (and on live with --follow), the tree of an exec, the report. */
#ifndef TRACE_EXEC_HISTORY_H
#define TRACE_EXEC_HISTORY_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "history/filter.h"
#include "policy/settings.h"

#define HIST_MAX_PATHS 32

/* The options of the journal's modes. */
struct hist_app {
	const char *since, *until;	/* journalctl's time syntax, NULL: open */
	bool follow;			/* --follow: on live after the history */
	const char *directory;		/* --directory */
	const char *ns;			/* --namespace */
	const char *files[HIST_MAX_PATHS + 1];	/* --file, NULL-terminated */
	size_t nfiles;
	const char *exes[HIST_MAX_PATHS];	/* --sender-exe */
	size_t nexes;
	const char *tree;		/* --tree EXEC_ID */
	bool report;			/* --report */
	size_t top;			/* --top: lines per report section */
	/* the table's choices, as the live view's */
	enum te_stdout_fmt mode;
	bool paths, lineage, k8s;
};

/* Whether the options ask for one of the journal's modes. */
bool hist_wanted(const struct hist_app *h);
/* Check the options of the journal's modes against each other and the
 * filter; 0 or -EINVAL (said on stderr). */
int hist_check(const struct hist_app *h, const struct exec_filter *f);
/* Run the mode; returns the exit status (0, or 1 on an error). stop is
 * set by a signal. */
int hist_run(const struct hist_app *h, const struct exec_filter *f,
	     volatile sig_atomic_t *stop);

#endif
