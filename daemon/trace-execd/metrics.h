/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics.h: trace-execd's counters every few seconds in metrics_file, for node_exporter's textfile collector. */
#ifndef TRACE_EXECD_TE_METRICS_H
#define TRACE_EXECD_TE_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/pipeline.h"

/* How often the file is rewritten. */
#define METRICS_INTERVAL_USEC (5 * 1000000ULL)

struct metrics_writer {
	uint64_t last_usec;	/* monotonic usec of the last write, 0: none */
	bool failing;		/* the last write failed (logged once) */
};

/*
 * Write the pipeline's counters to path ("" : none) when
 * METRICS_INTERVAL_USEC passed since the last write, or now when force.
 * A failure is logged once, with the file and the reason, until a write
 * succeeds again.
 */
void metrics_tick(struct metrics_writer *w, struct pipeline *p,
		  const char *path, uint64_t now_usec, bool force);

#endif
