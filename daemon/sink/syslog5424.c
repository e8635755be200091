// SPDX-License-Identifier: GPL-2.0-or-later
/* syslog5424.c: RFC 5424 messages with the event fields as structured data, to /dev/log; what the receiver cannot take yet waits, in order, in a bounded backlog. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format/escape.h"
#include "sink/syslog5424.h"

int syslog5424_open(struct syslog5424 *s, const char *socket_path,
		    size_t max_bytes)
{
	memset(s, 0, sizeof(*s));
	if (gethostname(s->hostname, sizeof(s->hostname) - 1) < 0 || !s->hostname[0])
		strcpy(s->hostname, "-");
	return backlog_open(&s->out, socket_path ? socket_path : SYSLOG_SOCKET,
			    max_bytes);
}

void syslog5424_close(struct syslog5424 *s)
{
	backlog_close(&s->out);
	sb_free(&s->msg);
}

/* A PARAM-VALUE: printable, single line, with '"', '\' and ']' escaped. */
static int sd_value(struct strbuf *out, const char *v, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t i;
	int r;

	r = escape_text(&tmp, v, len);
	for (i = 0; r == 0 && i < tmp.len; i++) {
		char c = tmp.p[i];

		if (c == '"' || c == '\\' || c == ']')
			r = sb_putc(out, '\\');
		if (r == 0)
			r = sb_putc(out, c);
	}
	sb_free(&tmp);
	return r;
}

static int timestamp(struct strbuf *out, uint64_t usec)
{
	time_t sec = usec / 1000000;
	struct tm tm;
	char buf[32];

	if (!gmtime_r(&sec, &tm))
		return sb_putc(out, '-');
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	return sb_printf(out, "%s.%06uZ", buf, (unsigned)(usec % 1000000));
}

/* A value cut to at most max bytes, at a character boundary. */
static size_t cut_len(const char *v, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max && ((unsigned char)v[max] & 0xc0) == 0x80)
		max--;
	return max;
}

/* The header and structured data; values cut to max bytes, and EXEC_ARG
 * after the first SYSLOG_SHORT_ARGS left out, when short. */
static int format_sd(struct strbuf *out, const struct entry *e, int facility,
		     uint64_t timestamp_usec, const char *hostname, int pid,
		     bool short_form)
{
	size_t i, len, args = 0;
	int r;

	r = sb_printf(out, "<%d>1 ", (facility & ~7) | (e->priority & 7));
	if (!r)
		r = timestamp(out, timestamp_usec);
	if (!r)
		r = sb_printf(out, " %s trace-execd %d %.32s [" SYSLOG_SD_ID
			      " MESSAGE_ID=\"%s\"", hostname, pid, e->msgid,
			      e->msgid);
	for (i = 0; !r && i < e->n; i++) {
		const struct entry_field *f = &e->f[i];

		if (short_form && !strcmp(f->name, "EXEC_ARG") &&
		    ++args > SYSLOG_SHORT_ARGS)
			continue;
		len = short_form ? cut_len(f->val, f->len, SYSLOG_SHORT_VALUE) : f->len;
		r = sb_printf(out, " %.32s=\"", f->name);
		if (!r)
			r = sd_value(out, f->val, len);
		if (!r && len < f->len)
			r = sb_puts(out, "\xe2\x80\xa6");
		if (!r)
			r = sb_putc(out, '"');
	}
	if (!r && short_form)
		r = sb_puts(out, " SYSLOG_TRUNCATED=\"1\"");
	return r ? r : sb_puts(out, "] ");
}

int syslog5424_format(struct strbuf *out, const struct entry *e, int facility,
		      uint64_t timestamp_usec, const char *hostname, int pid)
{
	size_t start = out->len, len = e->message.len;
	bool short_form = false;
	int r;

	for (;;) {
		r = format_sd(out, e, facility, timestamp_usec, hostname, pid,
			      short_form);
		if (short_form)
			len = cut_len(e->message.p, len, SYSLOG_SHORT_VALUE);
		if (!r)
			r = escape_text(out, e->message.p ? e->message.p : "", len);
		if (!r && len < e->message.len)
			r = sb_puts(out, "\xe2\x80\xa6");
		if (r || short_form || out->len - start <= SYSLOG_MSG_MAX)
			return r;
		/* over the size one datagram can carry: the short form */
		out->len = start;
		out->p[start] = '\0';
		short_form = true;
	}
}

int syslog5424_queue_entry(struct syslog5424 *s, const struct entry *e,
			   int facility, uint64_t timestamp_usec, bool exec)
{
	int r;

	sb_reset(&s->msg);
	r = syslog5424_format(&s->msg, e, facility, timestamp_usec, s->hostname,
			      getpid());
	if (r < 0) {
		backlog_count_lost(&s->out, exec, r);
		return r;
	}
	return backlog_push(&s->out, s->msg.p, s->msg.len, exec);
}
