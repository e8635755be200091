/* SPDX-License-Identifier: GPL-2.0-or-later */
/* syslog5424.h: RFC 5424 messages with the event fields as structured data, to /dev/log. */
#ifndef TRACE_EXECD_SYSLOG5424_H
#define TRACE_EXECD_SYSLOG5424_H

#include <stdint.h>

#include "format/entry.h"
#include "core/util.h"

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
	int fd;
	const char *socket_path;
	char hostname[256];
	struct strbuf msg;
	uint64_t written;
	uint64_t failed;
};

/* Open the client socket; socket_path NULL means /dev/log. */
int syslog5424_open(struct syslog5424 *s, const char *socket_path);
void syslog5424_close(struct syslog5424 *s);
/* Format one entry as RFC 5424 and send it; 0 or negative errno (counted). */
int syslog5424_send_entry(struct syslog5424 *s, const struct entry *e,
			  int facility, uint64_t timestamp_usec);
/* Append the RFC 5424 text of an entry (exposed for the unit tests). */
int syslog5424_format(struct strbuf *out, const struct entry *e, int facility,
		      uint64_t timestamp_usec, const char *hostname, int pid);

#endif
