/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.h: write entries to journald with its native protocol; what it cannot take yet waits, in order, in a bounded backlog. */
#ifndef TRACE_EXECD_JOURNAL_H
#define TRACE_EXECD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"
/* Entries handed to the kernel by one sendmmsg(); entries and bytes by
 * one flush (the caller's loop runs in between). */
#define JOURNAL_BATCH 64
#define JOURNAL_FLUSH_MAX 4096
#define JOURNAL_FLUSH_BYTES (4U << 20)
/* The backlog's bound when none is set (the journal_backlog setting). */
#define JOURNAL_BACKLOG_DEFAULT (64U << 20)

/* One waiting entry: its length, whether its loss is an exec's, and the
 * caller's mark (see journal.handover). */
struct journal_slot {
	size_t len;
	bool exec;
	uint64_t mark;
};

/*
 * Entries journald has not taken yet, oldest first: their bytes in buf
 * from head on, their slots in a ring from first on.
 */
struct journal_backlog {
	struct strbuf buf;
	size_t head;		/* bytes of buf already sent */
	struct journal_slot *slot;
	size_t first, count, slots;
	size_t bytes;		/* bytes waiting */
	size_t max_bytes;	/* no entry is added once bytes reach it (so
				 * at most max_bytes and one entry wait) */
	size_t peak_bytes;	/* the most ever waiting */
};

struct journal {
	int fd;
	const char *socket_path;
	struct strbuf entry;	/* the entry being built */
	struct journal_backlog q;
	bool blocked;		/* journald's queue was full: wait for POLLOUT */
	bool away;		/* journald's socket is missing or refuses */
	uint64_t written;	/* entries journald took */
	uint64_t lost;		/* exec entries dropped: no room, or refused */
	uint64_t lost_other;	/* other entries dropped */
	int last_error;		/* negative errno of the last failure */
	/* Entries queued from now on carry this mark (nondecreasing). When
	 * set, handover is told the newest mark of the entries about to be
	 * handed to journald's socket (sent false), then the newest mark of
	 * those it took or refused for good (sent true; 0: none). */
	uint64_t mark;
	void (*handover)(void *ctx, uint64_t mark, bool sent);
	void *handover_ctx;
};

/* Open the client socket (socket_path NULL: JOURNAL_SOCKET) with a
 * backlog of at most max_bytes (0: JOURNAL_BACKLOG_DEFAULT). 0 or -errno. */
int journal_open(struct journal *j, const char *socket_path, size_t max_bytes);
void journal_close(struct journal *j);
/* Change the backlog's bound (entries already in it stay). */
void journal_set_backlog(struct journal *j, size_t max_bytes);
/* Start a new entry. */
void journal_begin(struct journal *j);
/* Add FIELD=value (any bytes); returns 0 or -ENOMEM. */
int journal_field(struct journal *j, const char *name, const void *value,
		  size_t len);
/* Append the entry to the backlog, behind every entry before it. It is
 * sent by journal_flush(). Returns 0, or -ENOBUFS (backlog full: the
 * producer should have stopped at journal_backlog_full()) or
 * -ENOMEM: the entry is lost and counted (in lost when exec). */
int journal_queue(struct journal *j, bool exec);
/*
 * Send what waits, oldest first, without blocking: until journald's
 * queue is full (blocked: poll the fd for POLLOUT), its socket is missing
 * or refuses (away: try again later), or nothing waits. An entry journald
 * refuses for itself (too large even in a memfd) is dropped and counted.
 * Sends at most JOURNAL_FLUSH_MAX entries or about JOURNAL_FLUSH_BYTES.
 * Returns the exec entries lost
 * by this call.
 */
unsigned int journal_flush(struct journal *j);
/* How long the caller may wait before the next flush: -1 (nothing to
 * send, or journald's queue is full: poll the fd for POLLOUT), 0 (more
 * to send now), or the ms after which to try a missing journald again. */
int journal_wait_ms(const struct journal *j);
/* True when the caller should poll the fd for POLLOUT. */
bool journal_wants_pollout(const struct journal *j);
/* Entries and bytes waiting. */
size_t journal_backlog_entries(const struct journal *j);
size_t journal_backlog_bytes(const struct journal *j);
/* True when the backlog is at its bound: stop producing entries. */
bool journal_backlog_full(const struct journal *j);
/* Flush (waiting for room as needed) until the backlog is below its
 * bound, or empty when all, or until_usec (CLOCK_MONOTONIC) passed;
 * true when it got there. */
bool journal_wait_room(struct journal *j, uint64_t until_usec, bool all);
/* Flush for up to timeout_ms while entries wait (at a stop); returns
 * the entries still waiting, which are then dropped and counted lost. */
size_t journal_drain(struct journal *j, int timeout_ms);

struct entry;
/* Queue a whole exec entry with MESSAGE, MESSAGE_ID, PRIORITY and the
 * syslog fields: journal_queue(); a failure to build it counts too. */
int journal_queue_entry(struct journal *j, const struct entry *e, int facility);
/* The same, then journal_flush() at once (for entries that are not
 * execs: they keep their place in the order all the same). */
int journal_send_entry(struct journal *j, const struct entry *e, int facility);

#endif
