/* SPDX-License-Identifier: GPL-2.0-or-later */
/* journal.h: write entries to journald with its native protocol; what it cannot take yet waits, in order, in a bounded backlog. */
#ifndef TRACE_EXECD_JOURNAL_H
#define TRACE_EXECD_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"
#include "sink/backlog.h"

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* The entries to journald's socket: too big for a datagram, one goes in
 * a sealed memfd. */
struct journal {
	struct backlog out;
	struct strbuf entry;	/* the entry being built */
};

/* Open the client socket (socket_path NULL: JOURNAL_SOCKET) with a
 * backlog of at most max_bytes (0: BACKLOG_DEFAULT). 0 or -errno. */
int journal_open(struct journal *j, const char *socket_path, size_t max_bytes);
void journal_close(struct journal *j);
/* Start a new entry. */
void journal_begin(struct journal *j);
/* Add FIELD=value (any bytes); returns 0 or -ENOMEM. */
int journal_field(struct journal *j, const char *name, const void *value,
		  size_t len);
/* Append the entry to the backlog (backlog_push()): sent, behind every
 * entry before it, by backlog_flush(&j->out). */
int journal_queue(struct journal *j, bool exec);

struct entry;
/* Queue a whole entry with MESSAGE, MESSAGE_ID, PRIORITY and the syslog
 * fields: journal_queue(); a failure to build it counts too (in lost
 * when exec). */
int journal_queue_entry(struct journal *j, const struct entry *e,
			int facility, bool exec);

#endif
