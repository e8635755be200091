// SPDX-License-Identifier: GPL-2.0-or-later
/* metrics.c: trace-execd's counters every few seconds in metrics_file, for node_exporter's textfile collector. */
#include <string.h>

#include "core/log.h"
#include "format/metrics.h"
#include "sink/metrics-file.h"
#include "trace-execd/metrics.h"

/* The label of each loss cause: the suffix of its EXEC_LOST_* field. */
static const char *const lost_cause[LOST_NR] = {
	[LOST_RINGBUF] = "ringbuf",
	[LOST_PENDING] = "pending",
	[LOST_SCRATCH] = "scratch",
	[LOST_DECODE] = "decode",
	[LOST_JOURNAL] = "journal",
	[LOST_SYSLOG] = "syslog",
	[LOST_BUDGET] = "budget",
};

/* The counters of systemctl status, and the losses by cause. */
static void sample(struct pipeline *p, struct metrics_sample *m)
{
	uint64_t lost[LOST_NR];
	size_t i;

	memset(m, 0, sizeof(*m));
	m->events = p->n.events;
	m->written = p->n.written;
	m->dropped = p->n.dropped;
	m->rate_limited = p->n.suppressed;
	pipeline_lost(p, lost);
	for (i = 0; i < LOST_NR && i < METRICS_LOST_MAX; i++) {
		m->lost_cause[i] = lost_cause[i];
		m->lost[i] = lost[i];
	}
	m->nlost = i;
	m->backlog_entries = backlog_entries(&p->sinks.journal.out);
	m->backlog_bytes = backlog_bytes(&p->sinks.journal.out);
	m->syslog_backlog_entries = backlog_entries(&p->sinks.syslog.out);
	m->syslog_backlog_bytes = backlog_bytes(&p->sinks.syslog.out);
}

void metrics_tick(struct metrics_writer *w, struct pipeline *p,
		  const char *path, uint64_t now_usec, bool force)
{
	struct strbuf text = STRBUF_INIT;
	struct metrics_sample m;
	int r;

	if (!path[0] || (!force && w->last_usec &&
			 now_usec - w->last_usec < METRICS_INTERVAL_USEC))
		return;
	w->last_usec = now_usec;
	sample(p, &m);
	r = metrics_format(&text, &m);
	if (r == 0)
		r = metrics_file_write(path, text.p, text.len);
	sb_free(&text);
	if (r < 0 && !w->failing)
		log_error("cannot write the metrics file %s: %s", path, strerror(-r));
	else if (r == 0 && w->failing)
		log_info("the metrics file %s is written again", path);
	w->failing = r < 0;
}
