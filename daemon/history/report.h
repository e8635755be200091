/* SPDX-License-Identifier: GPL-2.0-or-later */
/* report.h: trace-exec --report: the execs of a time range counted by executable, user, container, rule, tag and action, failures by error, kill verdicts, first-seen binaries. */
#ifndef TRACE_EXECD_REPORT_H
#define TRACE_EXECD_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "history/hist-event.h"

/* Counts by a text key; first and host: where and when it was first seen. */
struct report_item {
	char *key;
	uint64_t count;
	uint64_t first_usec;
	char *first_host;
};

struct report_counter {
	struct report_item *items;	/* open addressing, cap a power of two */
	size_t n, cap;
};

enum report_list {
	REP_EXE,		/* successful execs by EXEC_EXE */
	REP_USER,		/* by EXEC_USER */
	REP_CONTAINER,		/* by CONTAINER_NAME, "(host)" */
	REP_HOST,		/* by _HOSTNAME */
	REP_RULE,		/* by POLICY_RULE, "(none)" */
	REP_TAG,		/* by each of POLICY_TAGS */
	REP_ACTION,		/* by EXEC_ACTION, "(none)" */
	REP_ERROR,		/* failed execs by EXEC_ERROR */
	REP_KILL,		/* kill verdicts: action, rule, executable */
	REP_FIRST,		/* executables by EXEC_EXE and EXEC_SHA256 */
	REP_NR,
};

struct report {
	uint64_t since, until;		/* the range asked for (0: open) */
	uint64_t first_usec, last_usec;	/* of the execs counted */
	uint64_t execs;			/* successful execs (killed too) */
	uint64_t failed;		/* failed execs, as entries */
	uint64_t folded;		/* failed execs folded past a budget */
	uint64_t lost;			/* execs lost, as the daemon reported */
	uint64_t skipped;		/* entries of other senders */
	uint64_t unverified;		/* entries whose sender journald forgot */
	struct report_counter list[REP_NR];
	struct strbuf key;		/* scratch */
};

/* The fields a report reads (and its filters look at): hist_event's only. */
extern const bool report_fields[HF_NR];

void report_init(struct report *rp);
void report_free(struct report *rp);
/* Count one entry of the daemon's (finished with hist_event_finish()).
 * 0 or -ENOMEM. */
int report_add(struct report *rp, const struct hist_event *he);
/* Add what src counted (another part of the range) to dst; 0 or -ENOMEM. */
int report_merge(struct report *dst, const struct report *src);
/* Send what rp counted through fd (a pipe from another process that
 * counted a part); 0 or negative errno. */
int report_write(int fd, const struct report *rp);
/* Read what report_write() sent and add it to dst; 0, -EPROTO (cut or
 * not a report), -ENOMEM, or the read's negative errno. */
int report_read_merge(int fd, struct report *dst);
/* The count of key in a list (0: none); for the tests. */
uint64_t report_count(const struct report *rp, enum report_list l,
		      const char *key);
/* The report for people: sections of at most top lines each (0: all).
 * 0 or -ENOMEM. */
int report_table(struct strbuf *out, struct report *rp, size_t top);
/* The report as one JSON object and a newline; 0 or -ENOMEM. */
int report_json(struct strbuf *out, struct report *rp, size_t top);

#endif
