/* SPDX-License-Identifier: GPL-2.0-or-later */
/* state.h: the counts trace-execd hands to its next process: a small JSON document in a memfd that systemd's fd store keeps. */
#ifndef TRACE_EXECD_STATE_H
#define TRACE_EXECD_STATE_H

#include <stdint.h>

#include "pipeline/pipeline.h"
#include "tracer/tracer.h"

/* What carries over: the pipeline's counts, the losses already reported,
 * and what the kernel-side counters start from. */
struct daemon_state {
	struct pipeline_stats n;
	uint64_t syslog_lost;
	uint64_t reported[LOST_NR];
	uint64_t kernel_base[TE_COUNTER_NR];
	/* the earlier tracer whose kernel counts kernel_base includes */
	char prev_id[TRACER_ID_LEN];
};

/*
 * Two versions in the file, written in turn, each with its length and a
 * hash of its bytes, so that one cut short by a kill -9 leaves the other:
 * reading takes the newest whole one.
 */
#define STATE_SLOT 4096
struct state_file {
	int fd;
	uint64_t seq;		/* of the version written last */
};

/* Use fd (from the store, taken: closed by state_close()), or a new
 * memfd when fd < 0; 0 or negative errno (logged). */
int state_open(struct state_file *f, int fd);
/* The newest whole version: 0, -ENOENT (none written), or -EBADMSG (none
 * whole, or not one of ours: logged). */
int state_read(struct state_file *f, struct daemon_state *st);
/* Write st as the next version; 0 or negative errno. */
int state_write(struct state_file *f, const struct daemon_state *st);
void state_close(struct state_file *f);

/* The counts of a running pipeline (kernel_base and prev_id are left as
 * they are), and counts put back into one. */
void state_get(struct daemon_state *st, const struct pipeline *p);
void state_put(const struct daemon_state *st, struct pipeline *p);

#endif
