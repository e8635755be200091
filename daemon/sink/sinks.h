/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sinks.h: where entries go: one call writes an entry to journald and syslog, each when enabled. */
#ifndef TRACE_EXECD_SINKS_H
#define TRACE_EXECD_SINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "format/entry.h"
#include "sink/journal.h"
#include "sink/syslog5424.h"

struct sinks {
	struct journal journal;
	struct syslog5424 syslog;
	bool journal_on;		/* settings: outputs: journal */
	bool syslog_on;			/* settings: outputs: syslog */
	int facility;			/* LOG_AUTHPRIV etc. */
	uint64_t journal_lost_seen;	/* journal.lost counted so far */
	uint64_t syslog_lost;		/* exec entries syslog did not take */
};

/* Sockets closed, every sink off; safe to sinks_close(). */
void sinks_init(struct sinks *s);
/* Open the client sockets (NULL: the default paths); 0 or -errno. */
int sinks_open(struct sinks *s, const char *journal_socket,
	       const char *syslog_socket);
void sinks_close(struct sinks *s);
/* True when an entry goes anywhere. */
bool sinks_any(const struct sinks *s);
enum sink_mode {
	SINK_QUEUE,		/* an exec entry: into the journal's backlog,
				 * sent by sinks_flush(); failures count */
	SINK_NOW,		/* into the backlog and flushed at once */
	SINK_NOW_OR_LATER,	/* the same; when the journal has no room,
				 * syslog is left out too, for a retry */
};

/* Write e to every enabled sink; the journal's result (0 when it is off),
 * negative errno. */
int sinks_write(struct sinks *s, const struct entry *e, uint64_t ts_usec,
		enum sink_mode mode);
/* Send the queued entries; returns how many exec entries the journal
 * did not take since the last call (failures at queueing time included). */
uint64_t sinks_flush(struct sinks *s);
/* True while the journal's backlog is at its bound: read no more events. */
bool sinks_full(const struct sinks *s);
/* Waiting for the journal: journal_wait_ms(), journal_wants_pollout(). */
int sinks_wait_ms(const struct sinks *s);
bool sinks_wants_pollout(const struct sinks *s);
/* At a stop: flush for up to timeout_ms; what still waits is dropped
 * and counted. */
void sinks_drain(struct sinks *s, int timeout_ms);
/* At a stop: wait until the journal's backlog is below its bound, at
 * most until until_usec; true when it is. */
bool sinks_wait_room(struct sinks *s, uint64_t until_usec);

#endif
