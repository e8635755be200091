/* journal.h: write entries to journald with its native protocol, never blocking for long. */
#ifndef TRACE_EXECD_JOURNAL_H
#define TRACE_EXECD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* Entries queued for one sendmmsg(), their bytes, and the size of an
 * entry that is sent alone instead. */
#define JOURNAL_QUEUE_MAX 64
#define JOURNAL_QUEUE_BYTES (1U << 20)
#define JOURNAL_QUEUE_ENTRY_MAX (128U << 10)

struct journal {
	int fd;
	const char *socket_path;
	struct strbuf entry;	/* the entry being built */
	struct strbuf queue;	/* entries waiting for journal_flush() */
	size_t qlen[JOURNAL_QUEUE_MAX];	/* their lengths, in order */
	unsigned int nq;
	uint64_t queue_failed;	/* queued entries that could not be written */
	bool stalled;		/* last write timed out: do not wait again */
	int wait_ms;		/* how long one write may wait for room */
	uint64_t written;
	uint64_t failed;	/* entries that could not be written */
	int last_error;		/* negative errno of the last failure */
};

/* Open the client socket; socket_path NULL means JOURNAL_SOCKET. */
int journal_open(struct journal *j, const char *socket_path);
void journal_close(struct journal *j);
/* Start a new entry. */
void journal_begin(struct journal *j);
/* Add FIELD=value (any bytes); returns 0 or -ENOMEM. */
int journal_field(struct journal *j, const char *name, const void *value,
		  size_t len);
/* Send the entry now (after the queued ones); returns 0, or negative
 * errno (counted in failed). */
int journal_commit(struct journal *j);
/* Queue the entry for journal_flush() (a big one is sent at once);
 * returns 0, or negative errno. Failures of queued entries show in
 * queue_failed, and in what journal_flush() returns. */
int journal_queue(struct journal *j);
/* Send what is queued; returns how many entries could not be written. */
unsigned int journal_flush(struct journal *j);

struct entry;
/* Send a whole entry with MESSAGE, MESSAGE_ID, PRIORITY and the syslog
 * fields, now: journal_commit(). */
int journal_send_entry(struct journal *j, const struct entry *e, int facility);
/* The same entry, queued: journal_queue(). A failure, now or at the
 * flush, counts in queue_failed. */
int journal_queue_entry(struct journal *j, const struct entry *e, int facility);
#endif
