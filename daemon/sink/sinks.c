// SPDX-License-Identifier: GPL-2.0-or-later
/* sinks.c: where entries go: one call writes an entry to journald and syslog, each when enabled. */
#include <string.h>

#include "sink/sinks.h"

void sinks_init(struct sinks *s)
{
	memset(s, 0, sizeof(*s));
	s->journal.fd = s->syslog.fd = -1;
}

int sinks_open(struct sinks *s, const char *journal_socket,
	       const char *syslog_socket)
{
	int r = journal_open(&s->journal, journal_socket, 0);

	return r ? r : syslog5424_open(&s->syslog, syslog_socket);
}

void sinks_close(struct sinks *s)
{
	journal_close(&s->journal);
	syslog5424_close(&s->syslog);
}

bool sinks_any(const struct sinks *s)
{
	return s->journal_on || s->syslog_on;
}

int sinks_write(struct sinks *s, const struct entry *e, uint64_t ts_usec,
		enum sink_mode mode)
{
	int r = 0;

	if (s->journal_on && mode == SINK_QUEUE)
		journal_queue_entry(&s->journal, e, s->facility);
	else if (s->journal_on)
		r = journal_send_entry(&s->journal, e, s->facility);
	if (r < 0 && mode == SINK_NOW_OR_LATER)
		return r;
	if (s->syslog_on &&
	    syslog5424_send_entry(&s->syslog, e, s->facility, ts_usec) < 0 &&
	    mode == SINK_QUEUE)
		s->syslog_lost++;
	return r;
}

uint64_t sinks_flush(struct sinks *s)
{
	uint64_t failed;

	journal_flush(&s->journal);
	failed = s->journal.lost - s->journal_lost_seen;
	s->journal_lost_seen = s->journal.lost;
	return failed;
}

bool sinks_full(const struct sinks *s)
{
	return s->journal_on && journal_backlog_full(&s->journal);
}

int sinks_wait_ms(const struct sinks *s)
{
	return journal_wait_ms(&s->journal);
}

bool sinks_wants_pollout(const struct sinks *s)
{
	return journal_wants_pollout(&s->journal);
}

bool sinks_wait_room(struct sinks *s, uint64_t until_usec)
{
	return !s->journal_on || journal_wait_room(&s->journal, until_usec, false);
}

void sinks_drain(struct sinks *s, int timeout_ms)
{
	journal_drain(&s->journal, timeout_ms);
}
