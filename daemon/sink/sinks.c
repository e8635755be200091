// SPDX-License-Identifier: GPL-2.0-or-later
/* sinks.c: where entries go: one call writes an entry to journald and syslog, each when enabled, each through its own bounded backlog. */
#include <string.h>

#include "sink/sinks.h"

void sinks_init(struct sinks *s)
{
	memset(s, 0, sizeof(*s));
	s->journal.out.fd = s->syslog.out.fd = -1;
}

int sinks_open(struct sinks *s, const char *journal_socket,
	       const char *syslog_socket)
{
	int r = journal_open(&s->journal, journal_socket, 0);

	return r ? r : syslog5424_open(&s->syslog, syslog_socket, 0);
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
	bool exec = mode == SINK_QUEUE;
	int r = 0, rs;

	if (s->journal_on) {
		r = journal_queue_entry(&s->journal, e, s->facility, exec);
		if (r < 0 && mode == SINK_NOW_OR_LATER)
			return r;
	}
	if (s->syslog_on) {
		rs = syslog5424_queue_entry(&s->syslog, e, s->facility, ts_usec,
					    exec);
		if (!s->journal_on)
			r = rs;
	}
	if (!exec) {
		backlog_flush(&s->journal.out);
		backlog_flush(&s->syslog.out);
	}
	return r;
}

struct sink_losses sinks_flush(struct sinks *s)
{
	struct sink_losses l;

	backlog_flush(&s->journal.out);
	backlog_flush(&s->syslog.out);
	l.journal = s->journal.out.lost - s->journal_lost_seen;
	s->journal_lost_seen = s->journal.out.lost;
	l.syslog = s->syslog.out.lost - s->syslog_lost_seen;
	s->syslog_lost_seen = s->syslog.out.lost;
	s->syslog_lost += l.syslog;
	return l;
}

bool sinks_full(const struct sinks *s)
{
	return (s->journal_on && backlog_full(&s->journal.out)) ||
	       (s->syslog_on && backlog_full(&s->syslog.out));
}

int sinks_wait_ms(const struct sinks *s)
{
	int j = backlog_wait_ms(&s->journal.out);
	int y = backlog_wait_ms(&s->syslog.out);

	if (j < 0 || (y >= 0 && y < j))
		return y;
	return j;
}

bool sinks_wait_room(struct sinks *s, uint64_t until_usec)
{
	struct backlog *b[2];
	size_t n = 0;

	if (s->journal_on)
		b[n++] = &s->journal.out;
	if (s->syslog_on)
		b[n++] = &s->syslog.out;
	return backlog_wait(b, n, until_usec, false);
}

void sinks_drain(struct sinks *s, int timeout_ms)
{
	struct backlog *b[2] = { &s->journal.out, &s->syslog.out };

	backlog_drain(b, 2, timeout_ms);
}
