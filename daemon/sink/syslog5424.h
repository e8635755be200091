/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syslog5424.h: RFC 5424 messages with the event fields as structured data, to /dev/log; what the receiver cannot take yet waits, in order, in a bounded backlog. */
#ifndef TRACE_EXECD_SYSLOG5424_H
#define TRACE_EXECD_SYSLOG5424_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/entry.h"
#include "core/util.h"
#include "sink/backlog.h"

#define SYSLOG_SOCKET "/dev/log"
#define SYSLOG_SD_ID "exec@32473"
/*
 * The most one message may take. A longer one (arguments of 32 KiB that
 * escape to twice that, three times over) is sent in its short form
 * instead: each value and MESSAGE cut to SYSLOG_SHORT_VALUE bytes with
 * "…", EXEC_ARG after the first SYSLOG_SHORT_ARGS left out (EXEC_ARGV has
 * them all, cut), and SYSLOG_TRUNCATED="1" in the structured data.
 */
#define SYSLOG_MSG_MAX (64U << 10)
#define SYSLOG_SHORT_VALUE 1024
#define SYSLOG_SHORT_ARGS 16

struct syslog5424 {
	struct backlog out;
	char hostname[256];
	struct strbuf msg;	/* the message being built */
};

/* Open the client socket (socket_path NULL: /dev/log) with a backlog of
 * at most max_bytes (0: BACKLOG_DEFAULT); 0 or -errno. */
int syslog5424_open(struct syslog5424 *s, const char *socket_path,
		    size_t max_bytes);
void syslog5424_close(struct syslog5424 *s);
/* Format one entry as RFC 5424 and append it to the backlog
 * (backlog_push()): sent, behind every message before it, by
 * backlog_flush(&s->out). 0 or negative errno; a message that could not
 * be built or has no room is lost and counted (in lost when exec). */
int syslog5424_queue_entry(struct syslog5424 *s, const struct entry *e,
			   int facility, uint64_t timestamp_usec, bool exec);
/* Append the RFC 5424 text of an entry (exposed for the unit tests). */
int syslog5424_format(struct strbuf *out, const struct entry *e, int facility,
		      uint64_t timestamp_usec, const char *hostname, int pid);

#endif
