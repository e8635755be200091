/* SPDX-License-Identifier: GPL-2.0-or-later */
/* handover.h: no gap across restarts: the tracer, its ring and the counts are kept in systemd's file descriptor store and taken back by the next process. */
#ifndef TRACE_EXECD_HANDOVER_H
#define TRACE_EXECD_HANDOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/pipeline.h"
#include "trace-execd/state.h"
#include "tracer/tracer.h"

/* The fd store's name of the state memfd. */
#define HANDOVER_STATE_NAME "state"

struct handover {
	bool store;			/* under systemd: it keeps fds for us */
	bool adopted;			/* the tracer was taken over */
	struct named_fd *fds;		/* what it passed (LISTEN_FDS); taken
					 * ones are set to -1 */
	size_t n;
	struct state_file state;
	struct daemon_state saved;	/* as written last */
	uint64_t saved_usec;
	bool write_failed;		/* said so already */
	/* the earlier tracer's events, counters and folds: they leave the
	 * store once its ring was read to its end */
	char later[3][TRACER_NAME_MAX];
	size_t n_later;
};

/*
 * Start the tracer into p: take over the one the store holds when it is
 * this program's (opts: the settings wanted; on return those it runs
 * with), else load ours and read first what the ring of an earlier one
 * holds (an upgrade: its programs are detached just before ours attach).
 * The counts of the previous process come back into p. Outside systemd
 * (no NOTIFY_SOCKET) the tracer is only loaded. 0 or negative errno
 * (logged).
 */
int handover_start(struct handover *h, struct pipeline *p, struct tracer_opts *opts);
/* While running (each turn of the loop): write the state when the loss
 * counts changed, or others did a second ago; let the earlier tracer's
 * ring go once read. */
void handover_tick(struct handover *h, struct pipeline *p);
/* At the end: write the state a last time and close what is left. */
void handover_stop(struct handover *h, struct pipeline *p);

#endif
