/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.h: trace-execd's entries read back from a journal (local, a directory, files) with libsystemd's sd_journal: matches, trusted senders, following. */
#ifndef TRACE_EXECD_HIST_JOURNAL_H
#define TRACE_EXECD_HIST_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history/filter.h"
#include "history/hist-event.h"

/* Where the entries are: the local journal (all NULL) or one of its
 * namespaces, a directory (a collector's, as systemd-journal-remote writes
 * it) or journal files. */
struct hist_source {
	const char *directory;
	const char *const *files;	/* NULL-terminated */
	const char *ns;			/* a journal namespace (journalctl
					 * --namespace), NULL: the default */
};

struct hist_reader {
	void *j;			/* sd_journal */
	struct hist_trust trust;
	struct hist_event he;		/* the entry hist_next() returned */
	uint64_t until;			/* the last time read (usec), 0: no end */
	bool args;			/* split EXEC_ARGV into the arguments */
	/* what was read */
	uint64_t entries;		/* the daemon's entries returned */
	uint64_t unverified;		/* of which journald no longer knew
					 * the sender (kept, marked) */
	uint64_t skipped;		/* entries of other senders, skipped */
};

/* Open the source; data_max: longest value read in full (0: no limit).
 * 0, or negative errno (logged with the source's name). */
int hist_open(struct hist_reader *r, const struct hist_source *src,
	      size_t data_max);
void hist_close(struct hist_reader *r);

/*
 * Select the entries: any of the message ids, and every journal match of
 * the filter f (NULL: none), and extra ("FIELD=value", NULL: none). The
 * journal finds them through its field index. 0 or negative errno.
 */
int hist_match(struct hist_reader *r, const char *const *msgids, size_t n,
	       const struct exec_filter *f, const char *extra);
/* Go before the first entry at or after since (usec; 0: the first of
 * all), or, tail, after the last one. 0 or negative errno. */
int hist_seek(struct hist_reader *r, uint64_t since, bool tail);
/*
 * The next entry the daemon wrote (others are counted in r->skipped):
 * 1 with r->he filled and finished, 0 at the end (or past r->until), or
 * negative errno.
 */
int hist_next(struct hist_reader *r);
/* The times of the first entry at or after since (0: the first of all)
 * and of the last one at or before until (0: the last of all) that the
 * matches select, whoever sent them: 1, 0 when there is none, or negative
 * errno. The position is lost: seek again. */
int hist_bounds(struct hist_reader *r, uint64_t since, uint64_t until,
		uint64_t *first, uint64_t *last);
/* Wait up to usec for the journal to change; 0 or negative errno. */
int hist_wait(struct hist_reader *r, uint64_t usec);

#endif
