// SPDX-License-Identifier: GPL-2.0-or-later
/* metrics.c: the daemon's counters in the Prometheus text exposition format (node_exporter's textfile collector). */
#include <inttypes.h>

#include "format/metrics.h"

/* "# HELP name help\n# TYPE name type\n"; 0 or -ENOMEM. */
static int family(struct strbuf *out, const char *name, const char *type,
		  const char *help)
{
	return sb_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
			 name, type);
}

/* One family with one unlabelled sample; 0 or -ENOMEM. */
static int single(struct strbuf *out, const char *name, const char *type,
		  const char *help, uint64_t v)
{
	int r = family(out, name, type, help);

	return r ? r : sb_printf(out, "%s %" PRIu64 "\n", name, v);
}

int metrics_format(struct strbuf *out, const struct metrics_sample *m)
{
	static const char lost[] = "trace_execd_lost_events_total";
	size_t i;
	int r;

	r = single(out, "trace_execd_events_total", "counter",
		   "Exec events read from the kernel.", m->events);
	if (!r)
		r = single(out, "trace_execd_written_total", "counter",
			   "Entries written to the outputs.", m->written);
	if (!r)
		r = single(out, "trace_execd_dropped_total", "counter",
			   "Events dropped by a rule (action: drop).", m->dropped);
	if (!r)
		r = single(out, "trace_execd_rate_limited_total", "counter",
			   "Events suppressed by a rule's rate limit.",
			   m->rate_limited);
	if (!r)
		r = family(out, lost, "counter",
			   "Exec events lost, by cause (EXEC_LOST_* in the journal).");
	for (i = 0; !r && i < m->nlost && i < METRICS_LOST_MAX; i++)
		r = sb_printf(out, "%s{cause=\"%s\"} %" PRIu64 "\n", lost,
			      m->lost_cause[i], m->lost[i]);
	if (!r)
		r = single(out, "trace_execd_journal_backlog_entries", "gauge",
			   "Entries waiting for journald.", m->backlog_entries);
	if (!r)
		r = single(out, "trace_execd_journal_backlog_bytes", "gauge",
			   "Bytes of the entries waiting for journald.",
			   m->backlog_bytes);
	if (!r)
		r = single(out, "trace_execd_syslog_backlog_entries", "gauge",
			   "Messages waiting for syslog.",
			   m->syslog_backlog_entries);
	if (!r)
		r = single(out, "trace_execd_syslog_backlog_bytes", "gauge",
			   "Bytes of the messages waiting for syslog.",
			   m->syslog_backlog_bytes);
	return r;
}
