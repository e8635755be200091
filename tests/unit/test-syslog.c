// SPDX-License-Identifier: GPL-2.0-or-later
/* test-syslog.c: unit tests of the direct syslog output's backlog (order while the receiver is busy, stopped or gone, exact loss accounting) against a datagram socket standing in for /dev/log. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "format/entry.h"
#include "sink/syslog5424.h"

static char sock_path[64];
static struct entry e;

/* A bound datagram socket, non-blocking, as rsyslogd's imuxsock. */
static int fake_syslogd(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	CHECK(fd >= 0);
	snprintf(sock_path, sizeof(sock_path), "/tmp/test-syslog.%d", (int)getpid());
	unlink(sock_path);
	strcpy(sa.sun_path, sock_path);
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	return fd;
}

/* How many datagrams a new socket queues (net.unix.max_dgram_qlen + 1). */
static int dgram_room(void)
{
	FILE *f = fopen("/proc/sys/net/unix/max_dgram_qlen", "r");
	int n = -1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n < 0 ? n : n + 1;
}

/* Queue the message "PREFIXi" as an exec's (or a note's). */
static int queue(struct syslog5424 *s, const char *prefix, int i, bool exec)
{
	entry_begin(&e, "dae8ea1ec2964a42af0f34673ef7d561", LOG_INFO);
	sb_printf(&e.message, "%s%d", prefix, i);
	return syslog5424_queue_entry(s, &e, LOG_LOCAL3, 1700000000000000ULL, exec);
}

/* Queue PREFIX0 .. PREFIXn-1; how many were taken. */
static int queue_n(struct syslog5424 *s, const char *prefix, int n)
{
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += queue(s, prefix, i, true) == 0;
	return ok;
}

/* The text of the next datagram after its structured data ("" when none
 * waits); checks its RFC 5424 header. */
static const char *next(int fd)
{
	static char buf[4096];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	char *msg;

	buf[n > 0 ? n : 0] = '\0';
	if (n <= 0)
		return buf;
	CHECK(!strncmp(buf, "<158>1 2023-11-14T22:13:20.000000Z ", 35));
	msg = strstr(buf, "] ");
	CHECK(msg != NULL);
	return msg + 2;
}

/* The next datagrams are PREFIXfrom .. PREFIXfrom+n-1, then none when
 * last. */
static void expect_n(int fd, const char *prefix, int from, int n, bool last)
{
	char want[48];
	int i;

	for (i = from; i < from + n; i++) {
		snprintf(want, sizeof(want), "%s%d", prefix, i);
		CHECK_STR(next(fd), want);
	}
	if (last)
		CHECK_STR(next(fd), "");
}

/* Wait up to a second for room in the receiver's queue. */
static bool writable(const struct syslog5424 *s)
{
	struct pollfd pfd = { .fd = s->out.fd, .events = POLLOUT };

	return poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLOUT);
}

/* Room in the receiver's queue now. */
static bool writable_now(const struct syslog5424 *s)
{
	struct pollfd pfd = { .fd = s->out.fd, .events = POLLOUT };

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLOUT);
}

/* A receiver that stops reading (SIGSTOP): its queue fills, the rest
 * waits in order, the socket polls writable once it reads again. */
static void test_stopped(struct syslog5424 *s, int fd, int room)
{
	int got = room, rounds = 0;
	char want[32];

	CHECK_INT(queue_n(s, "s", room + 40), room + 40);
	CHECK_INT(backlog_flush(&s->out), 0);
	CHECK(s->out.blocked && !s->out.away);
	CHECK(backlog_wants_pollout(&s->out));
	CHECK_INT(backlog_wait_ms(&s->out), -1);
	CHECK_INT(backlog_entries(&s->out), 40);
	CHECK(!writable_now(s));
	expect_n(fd, "s", 0, room, true);
	while (backlog_entries(&s->out) && rounds++ < 100) {
		CHECK(writable(s));
		CHECK_INT(backlog_flush(&s->out), 0);
		for (; got < room + 40; got++) {
			const char *m = next(fd);

			if (!m[0])
				break;
			snprintf(want, sizeof(want), "s%d", got);
			CHECK_STR(m, want);
		}
	}
	CHECK_INT(got, room + 40);
	CHECK_INT(s->out.lost, 0);
}

int main(void)
{
	struct syslog5424 s;
	struct backlog *b = &s.out;
	int fd, room;

	entry_init(&e);
	do {	/* the socket got the value read (other tests change it) */
		room = dgram_room();
		fd = fake_syslogd();
		if (room == dgram_room())
			break;
		close(fd);
	} while (1);
	CHECK(room > 0 && room < 100000);
	CHECK(syslog5424_open(&s, sock_path, 0) == 0);
	CHECK_INT(s.out.q.max_bytes, BACKLOG_DEFAULT);

	/* Queued messages leave only at the flush, in order. */
	CHECK_INT(queue_n(&s, "a", 2), 2);
	CHECK_STR(next(fd), "");
	CHECK_INT(backlog_entries(b), 2);
	CHECK_INT(backlog_flush(b), 0);
	expect_n(fd, "a", 0, 2, true);
	CHECK_INT(s.out.written, 2);

	test_stopped(&s, fd, room);

	/* The receiver gone (rsyslogd stopped: its socket removed): the
	 * messages wait, tried every 100 ms; one started again at the same
	 * path gets them in order, nothing lost. */
	close(fd);
	unlink(sock_path);
	CHECK_INT(queue_n(&s, "g", 5), 5);
	CHECK_INT(backlog_flush(b), 0);
	CHECK(s.out.away);
	CHECK_INT(backlog_wait_ms(b), BACKLOG_RETRY_MS);
	CHECK_INT(backlog_entries(b), 5);
	fd = fake_syslogd();
	CHECK_INT(backlog_flush(b), 0);
	CHECK(!s.out.away);
	expect_n(fd, "g", 0, 5, true);
	CHECK_INT(s.out.lost, 0);

	/* The bound: messages are taken until it is reached, then refused
	 * and counted, an exec's apart from a note's. */
	backlog_set_max(b, 1);
	CHECK(queue(&s, "b", 0, true) == 0);
	CHECK(backlog_full(b));
	CHECK_INT(queue(&s, "b", 1, true), -ENOBUFS);
	CHECK_INT(queue(&s, "n", 0, false), -ENOBUFS);
	CHECK_INT(s.out.lost, 1);
	CHECK_INT(s.out.lost_other, 1);
	CHECK_INT(backlog_flush(b), 0);
	expect_n(fd, "b", 0, 1, true);
	CHECK(!backlog_full(b));
	backlog_set_max(b, 0);

	/* At a stop with the receiver gone: what waits after the timeout is
	 * dropped and counted. */
	close(fd);
	unlink(sock_path);
	CHECK_INT(queue_n(&s, "x", 2), 2);
	CHECK(queue(&s, "n", 1, false) == 0);
	CHECK_INT(backlog_drain(&b, 1, 100), 3);
	CHECK_INT(s.out.lost, 3);
	CHECK_INT(s.out.lost_other, 2);
	CHECK_INT(backlog_entries(b), 0);
	syslog5424_close(&s);
	entry_free(&e);
	CHECK_DONE();
}
