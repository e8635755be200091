// SPDX-License-Identifier: GPL-2.0-or-later
/* journal.c: trace-execd's entries read back from a journal (local, a directory, files) with libsystemd's sd_journal: matches, trusted senders, following. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <systemd/sd-journal.h>

#include "core/log.h"
#include "history/journal.h"

int hist_open(struct hist_reader *r, const struct hist_source *src,
	      size_t data_max)
{
	sd_journal *j = NULL;
	const char *what = "the local journal";
	int e;

	hist_event_init(&r->he);
	if (src->directory) {
		what = src->directory;
		e = sd_journal_open_directory(&j, src->directory, 0);
	} else if (src->files) {
		what = src->files[0];
		e = sd_journal_open_files(&j, (const char **)src->files, 0);
	} else if (src->ns) {
		what = src->ns;
		e = sd_journal_open_namespace(&j, src->ns, SD_JOURNAL_LOCAL_ONLY);
	} else {
		e = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
	}
	if (e < 0) {
		log_error("cannot open %s: %s", what, strerror(-e));
		return e;
	}
	sd_journal_set_data_threshold(j, data_max);
	r->j = j;
	return 0;
}

void hist_close(struct hist_reader *r)
{
	sd_journal_close(r->j);
	r->j = NULL;
	hist_event_free(&r->he);
}

/* exec_filter_journal()'s callback: one more condition. */
static int add_one(void *ctx, const char *match)
{
	int e = sd_journal_add_match(ctx, match, 0);

	if (e < 0)
		log_error("journal match %s: %s", match, strerror(-e));
	return e;
}

int hist_match(struct hist_reader *r, const char *const *msgids, size_t n,
	       const struct exec_filter *f, const char *extra)
{
	char m[64];
	size_t i;
	int e = 0;

	sd_journal_flush_matches(r->j);
	/* matches of one field are OR, of different fields AND */
	for (i = 0; e >= 0 && i < n; i++) {
		snprintf(m, sizeof(m), "MESSAGE_ID=%s", msgids[i]);
		e = add_one(r->j, m);
	}
	if (e >= 0 && f)
		e = exec_filter_journal(f, add_one, r->j);
	if (e >= 0 && extra)
		e = add_one(r->j, extra);
	return e < 0 ? e : 0;
}

int hist_seek(struct hist_reader *r, uint64_t since, bool tail)
{
	int e;

	if (tail) {
		e = sd_journal_seek_tail(r->j);
		/* on the last entry: the next one is new */
		if (e >= 0)
			e = sd_journal_previous(r->j);
	} else if (since) {
		e = sd_journal_seek_realtime_usec(r->j, since);
	} else {
		e = sd_journal_seek_head(r->j);
	}
	if (e < 0)
		log_error("cannot seek in the journal: %s", strerror(-e));
	return e < 0 ? e : 0;
}

/* Read the current entry's fields into r->he. 0 or negative errno. */
static int read_entry(struct hist_reader *r)
{
	sd_journal *j = r->j;
	const void *d;
	size_t len;
	int e;

	hist_event_reset(&r->he);
	e = sd_journal_get_realtime_usec(j, &r->he.realtime_usec);
	if (e < 0)
		return e;
	sd_journal_restart_data(j);
	while ((e = sd_journal_enumerate_data(j, &d, &len)) > 0) {
		e = hist_event_add(&r->he, d, len);
		if (e < 0)
			return e;
	}
	/* a damaged object ends this entry's fields, not the read */
	return e == -ENOMEM ? e : 0;
}

int hist_next(struct hist_reader *r)
{
	int e;

	for (;;) {
		e = sd_journal_next(r->j);
		if (e <= 0)
			break;
		e = read_entry(r);
		if (e < 0)
			break;
		if (r->until && r->he.realtime_usec > r->until)
			return 0;
		r->he.sender = hist_sender(&r->he, &r->trust);
		if (r->he.sender == HIST_FOREIGN) {
			r->skipped++;
			continue;
		}
		r->entries++;
		r->unverified += r->he.sender == HIST_UNVERIFIED;
		e = hist_event_finish(&r->he, r->args);
		return e < 0 ? e : 1;
	}
	if (e < 0)
		log_error("reading the journal: %s", strerror(-e));
	return e;
}

int hist_bounds(struct hist_reader *r, uint64_t since, uint64_t until,
		uint64_t *first, uint64_t *last)
{
	sd_journal *j = r->j;
	int e;

	e = since ? sd_journal_seek_realtime_usec(j, since) : sd_journal_seek_head(j);
	if (e >= 0)
		e = sd_journal_next(j);
	if (e <= 0)
		goto out;
	e = sd_journal_get_realtime_usec(j, first);
	if (e >= 0)
		e = until ? sd_journal_seek_realtime_usec(j, until + 1) :
			    sd_journal_seek_tail(j);
	if (e >= 0)
		e = sd_journal_previous(j);
	if (e > 0)
		e = sd_journal_get_realtime_usec(j, last) ?: 1;
out:
	if (e < 0)
		log_error("reading the journal: %s", strerror(-e));
	return e;
}

int hist_wait(struct hist_reader *r, uint64_t usec)
{
	int e = sd_journal_wait(r->j, usec);

	if (e < 0)
		log_error("waiting for the journal: %s", strerror(-e));
	return e < 0 ? e : 0;
}
