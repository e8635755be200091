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
	uint64_t queue_failed_seen;	/* journal.queue_failed counted so far */
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
	SINK_QUEUE,		/* into the journal's queue (exec entries):
				 * sinks_flush() sends them, counts failures */
	SINK_NOW,		/* sent now to every sink */
	SINK_NOW_OR_LATER,	/* sent now; when the journal fails, syslog
				 * is left out too, for the caller to retry */
};

/* Write e to every enabled sink; the journal's result (0 when it is off),
 * negative errno. */
int sinks_write(struct sinks *s, const struct entry *e, uint64_t ts_usec,
		enum sink_mode mode);
/* Send the queued entries; returns how many the journal did not take
 * since the last call (failures at queueing time included). */
uint64_t sinks_flush(struct sinks *s);

#endif
