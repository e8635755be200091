/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sinks.h: where entries go: one call writes an entry to journald and syslog, each when enabled, each through its own bounded backlog. */
#ifndef TRACE_EXECD_SINKS_H
#define TRACE_EXECD_SINKS_H

#include <stdbool.h>
#include <stdint.h>

#include "format/entry.h"
#include "sink/backlog.h"
#include "sink/journal.h"
#include "sink/syslog5424.h"

struct sinks {
	struct journal journal;
	struct syslog5424 syslog;
	bool journal_on;		/* settings: outputs: journal */
	bool syslog_on;			/* settings: outputs: syslog */
	int facility;			/* LOG_AUTHPRIV etc. */
	uint64_t journal_lost_seen;	/* journal.out.lost counted so far */
	uint64_t syslog_lost_seen;	/* syslog.out.lost counted so far */
	uint64_t syslog_lost;		/* exec entries syslog did not take
					 * (kept across restarts) */
};

/* Exec entries each sink did not take. */
struct sink_losses {
	uint64_t journal;
	uint64_t syslog;
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
	SINK_QUEUE,		/* an exec entry: into the backlogs, sent by
				 * sinks_flush(); failures count */
	SINK_NOW,		/* into the backlogs and flushed at once */
	SINK_NOW_OR_LATER,	/* the same; when the journal has no room,
				 * syslog is left out too, for a retry */
};

/* Write e to every enabled sink; the result of the first (the journal,
 * else syslog; 0 when none is on), 0 or negative errno. */
int sinks_write(struct sinks *s, const struct entry *e, uint64_t ts_usec,
		enum sink_mode mode);
/* Send the queued entries; returns the exec entries each sink did not
 * take since the last call (failures at queueing time included), and
 * adds syslog's to syslog_lost. */
struct sink_losses sinks_flush(struct sinks *s);
/* True while an enabled sink's backlog is at its bound: read no more
 * events. */
bool sinks_full(const struct sinks *s);
/* How long the caller may wait before the next flush (the shorter of
 * the backlogs' backlog_wait_ms(), -1: no limit). */
int sinks_wait_ms(const struct sinks *s);
/* At a stop: flush for up to timeout_ms; what still waits is dropped
 * and counted. */
void sinks_drain(struct sinks *s, int timeout_ms);
/* At a stop: wait until the enabled sinks' backlogs are below their
 * bounds, at most until until_usec; true when they are. */
bool sinks_wait_room(struct sinks *s, uint64_t until_usec);

#endif
