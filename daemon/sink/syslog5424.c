/* syslog5424.c: RFC 5424 messages with the event fields as structured data, to /dev/log. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "format/escape.h"
#include "sink/syslog5424.h"

int syslog5424_open(struct syslog5424 *s, const char *socket_path)
{
	memset(s, 0, sizeof(*s));
	s->socket_path = socket_path ? socket_path : SYSLOG_SOCKET;
	if (gethostname(s->hostname, sizeof(s->hostname) - 1) < 0 || !s->hostname[0])
		strcpy(s->hostname, "-");
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	return s->fd < 0 ? -errno : 0;
}

void syslog5424_close(struct syslog5424 *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
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

int syslog5424_format(struct strbuf *out, const struct entry *e, int facility,
		      uint64_t timestamp_usec, const char *hostname, int pid)
{
	size_t i;
	int r;

	r = sb_printf(out, "<%d>1 ", (facility & ~7) | (e->priority & 7));
	if (!r)
		r = timestamp(out, timestamp_usec);
	if (!r)
		r = sb_printf(out, " %s trace-execd %d %.32s [" SYSLOG_SD_ID
			      " MESSAGE_ID=\"%s\"", hostname, pid, e->msgid,
			      e->msgid);
	for (i = 0; !r && i < e->n; i++) {
		r = sb_printf(out, " %.32s=\"", e->f[i].name);
		if (!r)
			r = sd_value(out, e->f[i].val, e->f[i].len);
		if (!r)
			r = sb_putc(out, '"');
	}
	if (!r)
		r = sb_puts(out, "] ");
	if (!r)
		r = escape_text(out, e->message.p ? e->message.p : "",
				e->message.len);
	return r;
}

int syslog5424_send_entry(struct syslog5424 *s, const struct entry *e,
			  int facility, uint64_t timestamp_usec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int r;

	sb_reset(&s->msg);
	r = syslog5424_format(&s->msg, e, facility, timestamp_usec, s->hostname,
			      getpid());
	if (!r) {
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", s->socket_path);
		if (sendto(s->fd, s->msg.p, s->msg.len, MSG_NOSIGNAL | MSG_DONTWAIT,
			   (struct sockaddr *)&sa, sizeof(sa)) < 0)
			r = -errno;
	}
	if (r < 0) {
		s->failed++;
		return r;
	}
	s->written++;
	return 0;
}
