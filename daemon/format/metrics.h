/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.h: the daemon's counters in the Prometheus text exposition format (node_exporter's textfile collector). */
#ifndef TRACE_EXECD_METRICS_H
#define TRACE_EXECD_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

#define METRICS_LOST_MAX 8

/* One sample of the counters that systemctl status shows. */
struct metrics_sample {
	uint64_t events;		/* records read from the kernel */
	uint64_t written;		/* entries written */
	uint64_t dropped;		/* dropped by a rule (action: drop) */
	uint64_t rate_limited;		/* over a rule's rate limit */
	size_t nlost;
	const char *lost_cause[METRICS_LOST_MAX];	/* label values */
	uint64_t lost[METRICS_LOST_MAX];
	uint64_t backlog_entries;	/* waiting for journald */
	uint64_t backlog_bytes;
	uint64_t syslog_backlog_entries;	/* waiting for syslog */
	uint64_t syslog_backlog_bytes;
};

/*
 * Append the sample as Prometheus text exposition (version 0.0.4): a
 * HELP and TYPE line per metric family, counters ending in _total, one
 * trace_execd_lost_events_total line per cause. 0 or -ENOMEM.
 */
int metrics_format(struct strbuf *out, const struct metrics_sample *m);

#endif
