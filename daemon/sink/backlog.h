/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backlog.h: send datagrams to a local socket (journald's, syslog's) without blocking: what the receiver cannot take yet waits, in order, in a bounded backlog; every entry dropped is counted. */
#ifndef TRACE_EXECD_BACKLOG_H
#define TRACE_EXECD_BACKLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

/* Entries handed to the kernel by one sendmmsg(); entries and bytes by
 * one flush (the caller's loop runs in between). */
#define BACKLOG_BATCH 64
#define BACKLOG_FLUSH_MAX 4096
#define BACKLOG_FLUSH_BYTES (4U << 20)
/* The bound when none is set (the journal_backlog and syslog_backlog
 * settings). */
#define BACKLOG_DEFAULT (64U << 20)
/* How often a receiver whose socket is missing or refuses is tried. */
#define BACKLOG_RETRY_MS 100

/* One waiting entry: its length, whether its loss is an exec's, and the
 * caller's mark (see backlog.handover). */
struct backlog_slot {
	size_t len;
	bool exec;
	uint64_t mark;
};

/*
 * Entries the receiver has not taken yet, oldest first: their bytes in
 * buf from head on, their slots in a ring from first on.
 */
struct backlog_queue {
	struct strbuf buf;
	size_t head;		/* bytes of buf already sent */
	struct backlog_slot *slot;
	size_t first, count, slots;
	size_t bytes;		/* bytes waiting */
	size_t max_bytes;	/* no entry is added once bytes reach it (so
				 * at most max_bytes and one entry wait) */
	size_t peak_bytes;	/* the most ever waiting */
};

struct backlog {
	int fd;			/* connected to socket_path when it answers */
	const char *socket_path;
	struct backlog_queue q;
	bool blocked;		/* the receiver's queue was full: wait for POLLOUT */
	bool away;		/* the receiver's socket is missing or refuses */
	uint64_t written;	/* entries the receiver took */
	uint64_t lost;		/* exec entries dropped: no room, or refused */
	uint64_t lost_other;	/* other entries dropped */
	int last_error;		/* negative errno of the last failure */
	/* An entry too big for a datagram (EMSGSIZE, ENOBUFS): sent by this
	 * (0 or -errno) when set, else dropped and counted. */
	int (*send_big)(int fd, const void *p, size_t len);
	/* Entries queued from now on carry this mark (nondecreasing). When
	 * set, handover is told the newest mark of the entries about to be
	 * handed to the receiver's socket (sent false), then the newest mark
	 * of those it took or refused for good (sent true; 0: none). */
	uint64_t mark;
	void (*handover)(void *ctx, uint64_t mark, bool sent);
	void *handover_ctx;
};

/* Open a non-blocking datagram socket for socket_path (kept, not
 * copied) with a backlog of at most max_bytes (0: BACKLOG_DEFAULT), and
 * connect it if the receiver is there (else at the first flush).
 * 0 or -errno. */
int backlog_open(struct backlog *b, const char *socket_path, size_t max_bytes);
void backlog_close(struct backlog *b);
/* Change the bound (0: BACKLOG_DEFAULT; entries already waiting stay). */
void backlog_set_max(struct backlog *b, size_t max_bytes);
/* Append an entry behind every entry before it; backlog_flush() sends
 * it. Returns 0, or -ENOBUFS (at the bound: the producer should have
 * stopped at backlog_full()) or -ENOMEM: the entry is lost and counted
 * (in lost when exec). */
int backlog_push(struct backlog *b, const void *p, size_t len, bool exec);
/* Count an entry lost before it could be pushed (it could not be built). */
void backlog_count_lost(struct backlog *b, bool exec, int err);
/*
 * Send what waits, oldest first, without blocking: until the receiver's
 * queue is full (blocked: poll the fd for POLLOUT), its socket is missing
 * or refuses (away: try again after backlog_wait_ms()), or nothing waits.
 * An entry the receiver refuses for itself (too large) is dropped and
 * counted. Sends at most BACKLOG_FLUSH_MAX entries or about
 * BACKLOG_FLUSH_BYTES. Returns the exec entries lost by this call.
 */
unsigned int backlog_flush(struct backlog *b);
/* How long the caller may wait before the next flush: -1 (nothing to
 * send, or the receiver's queue is full: poll the fd for POLLOUT), 0
 * (more to send now), or the ms after which to try a missing receiver. */
int backlog_wait_ms(const struct backlog *b);
/* True when the caller should poll the fd for POLLOUT. */
bool backlog_wants_pollout(const struct backlog *b);
/* Entries and bytes waiting. */
size_t backlog_entries(const struct backlog *b);
size_t backlog_bytes(const struct backlog *b);
/* True when the backlog is at its bound: stop producing entries. */
bool backlog_full(const struct backlog *b);
/* Flush the n backlogs, waiting for room as needed, until each is below
 * its bound (empty when all), or until_usec (CLOCK_MONOTONIC) passed;
 * true when they got there. */
bool backlog_wait(struct backlog *const *b, size_t n, uint64_t until_usec,
		  bool all);
/* Flush the n backlogs for up to timeout_ms while entries wait (at a
 * stop); returns the entries still waiting, which are then dropped and
 * counted lost. */
size_t backlog_drain(struct backlog *const *b, size_t n, int timeout_ms);

#endif
