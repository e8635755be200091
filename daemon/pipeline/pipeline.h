/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pipeline.h: one event's way, the same in both programs: decode, enrich, select, judge, write; and the count of every loss. */
#ifndef TRACE_EXECD_PIPELINE_H
#define TRACE_EXECD_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/decode.h"
#include "core/event.h"
#include "format/entry.h"
#include "format/event-text.h"
#include "format/table.h"
#include "pipeline/kill-verdicts.h"
#include "policy/policy.h"
#include "policy/settings.h"
#include "sink/sinks.h"
#include "sink/stdout.h"
#include "tracer/tracer.h"

struct enricher;
struct first_seen;
struct hasher;

/* Where an event can be lost; the first three and the last are counted in
 * the kernel. */
enum lost_cause {
	LOST_RINGBUF,		/* ring buffer full */
	LOST_PENDING,		/* pending-exec map full */
	LOST_SCRATCH,		/* no scratch slot on the CPU */
	LOST_DECODE,		/* a record the decoder rejected */
	LOST_JOURNAL,		/* the journal did not take the entry */
	LOST_SYSLOG,		/* syslog did not take the entry */
	LOST_BUDGET,		/* failed exec: the budget table was full */
	LOST_NR,
};

/* Records, their bytes, and the time spent on them at most per read of
 * the ring: the loop runs in between (signals, the tick, the watchdog).
 * The time bounds a read whatever one record costs (32 KiB of arguments
 * to escape three times, a slow build, a busy CPU): a reader that cannot
 * keep up leaves the rest in the ring, which loses (and counts) what it
 * cannot hold, rather than hold up the loop. */
#define PIPELINE_BATCH 512
#define PIPELINE_BATCH_BYTES (2U << 20)
#define PIPELINE_BATCH_USEC 50000

/* What happened to the records read from the kernel. */
struct pipeline_stats {
	uint64_t events;	/* records read */
	uint64_t bad;		/* malformed records, skipped (lost) */
	uint64_t filtered;	/* not selected (trace-exec's options) */
	uint64_t dropped;	/* action: drop */
	uint64_t suppressed;	/* over a rule's rate limit */
	uint64_t written;	/* entries or lines written */
	uint64_t journal_lost;	/* entries the journal did not take */
	uint64_t format_lost;	/* entries that could not be built */
	uint64_t folds;		/* folds of failed execs reported */
	uint64_t folded;	/* the failed execs in them */
};

/* Whether an enriched event is wanted at all (NULL: every event). */
typedef bool (*pipeline_select_fn)(void *ctx, const struct exec_event *ev);

struct pipeline {
	struct decoder dec;
	struct event_text text;
	struct enricher *enricher;	/* owned by the program */
	struct hasher *hasher;		/* owned by the program; NULL: no
					 * EXEC_SHA256 */
	struct first_seen *first_seen;	/* owned by the program; NULL: no
					 * EXEC_FIRST_SEEN */
	struct policy *policy;		/* owned by the program; NULL: no rules */
	struct enforce enforce;		/* the kernel's kill rules */
	pipeline_select_fn select;
	void *select_ctx;
	struct tracer *tracer;		/* the kernel's loss counters */
	struct sinks sinks;
	enum te_stdout_fmt echo;
	struct table table;
	struct stdout_sink out;
	struct entry entry;		/* the entry being built */
	struct pipeline_stats n;
	unsigned int batch;		/* records in the current read */
	size_t batch_bytes;		/* and their bytes */
	uint64_t batch_start;		/* when it began, monotonic usec */
	bool finishing;			/* read all: no pause for the sinks */
	bool journal_away;		/* said that journald is away */
	bool syslog_away;		/* said that syslog is away */
	uint64_t lost_report_usec;	/* at most one loss report this often */
	uint64_t last_lost_report;	/* monotonic usec */
	uint64_t reported[LOST_NR];	/* losses already reported */
};

void pipeline_init(struct pipeline *p);
/* Read records from t (owned by the program). An exec's record stays in
 * the kernel's ring until its entry was handed to journald. */
void pipeline_set_tracer(struct pipeline *p, struct tracer *t);
void pipeline_free(struct pipeline *p);
/* Echo events on stdout as fmt (a table with or without the path
 * columns, the lineage columns, the K8S.* columns when k8s), writing the
 * table's header; 0 or negative errno. */
int pipeline_set_echo(struct pipeline *p, enum te_stdout_fmt fmt, bool paths,
		      bool lineage, bool k8s);
/* The echo format a command-line option (opt, such as "--output") names:
 * "table" or "json" into *fmt; -EINVAL (logged) for anything else. */
int pipeline_echo_format(const char *opt, const char *arg, enum te_stdout_fmt *fmt);
/* The tracer's callback for one record (ctx is the pipeline): 0, or
 * TRACER_PAUSE once PIPELINE_BATCH records or PIPELINE_BATCH_BYTES were
 * read, PIPELINE_BATCH_USEC passed since the read began, or the sinks are
 * full. */
int pipeline_event(void *ctx, const void *data, size_t size);
/* One bounded read of the ring (nothing while the sinks are full); the
 * records read, or negative errno. */
int pipeline_read(struct pipeline *p);
/* True while a sink's backlog is full: wait for it to drain. */
bool pipeline_blocked(const struct pipeline *p);
/* How long the loop may sleep before the next read or flush (-1: until
 * the ring's fd is readable or a sink's fd writable, see
 * backlog_wants_pollout()). */
int pipeline_wait_ms(const struct pipeline *p);
/* Send the queued entries; those a sink did not take count as lost. */
void pipeline_flush(struct pipeline *p);
/* About once a second: clocks, name caches, rate-limit windows, the loss
 * report when due, stdout. Returns stdout's result (0 or -EIO). */
int pipeline_tick(struct pipeline *p, uint64_t now_usec);
/* Write p->entry, begun and filled by the caller, to the sinks now (an
 * entry that is not an exec: configuration, summaries); the journal's
 * result, 0 or negative errno. */
int pipeline_note(struct pipeline *p, enum sink_mode mode);
/* Report the failed execs the kernel folded in windows that are over
 * (all: every window, as before the programs stop); each fold is an
 * entry, and its failed execs count as lost when it is not taken. */
void pipeline_take_folds(struct pipeline *p, bool all);
/* Report the rate-limit windows that closed (all: every open one, as
 * before a reload replaces the policy). */
void pipeline_close_windows(struct pipeline *p, bool all);
/* The losses so far, by cause, and their sum. */
void pipeline_lost(struct pipeline *p, uint64_t c[LOST_NR]);
uint64_t pipeline_lost_total(struct pipeline *p);
/* The sum of counts by cause. */
uint64_t pipeline_lost_sum(const uint64_t c[LOST_NR]);
/* "N exec events lost (ring buffer full: ..., ...)" for the counts c. */
int pipeline_lost_message(const struct pipeline *p, struct strbuf *out,
			  const uint64_t c[LOST_NR]);
/* Report the losses since the last report (logged, and an entry to the
 * sinks), at most once per lost_report_usec unless force. */
void pipeline_report_lost(struct pipeline *p, uint64_t now_usec, bool force);
/* Read what the kernel still holds, send it, close the rate-limit
 * windows and report the last losses; entries journald has not taken
 * after PIPELINE_DRAIN_MS are lost, and counted. Returns stdout's result. */
#define PIPELINE_DRAIN_MS 3000
int pipeline_finish(struct pipeline *p);

#endif
