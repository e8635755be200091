// SPDX-License-Identifier: GPL-2.0-or-later
/* test-journal.c: unit tests of the journal writer's backlog (order, byte bound, recovery, exact accounting) against a datagram socket standing in for journald. */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "sink/journal.h"

static char sock_path[64];

/* A bound datagram socket, non-blocking, as journald's. */
static int fake_journald(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	CHECK(fd >= 0);
	snprintf(sock_path, sizeof(sock_path), "/tmp/test-journal.%d", (int)getpid());
	unlink(sock_path);
	strcpy(sa.sun_path, sock_path);
	CHECK(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	return fd;
}

/* Build the entry MESSAGE=<msg>. */
static struct journal *message(struct journal *j, const char *msg)
{
	journal_begin(j);
	CHECK(journal_field(j, "MESSAGE", msg, strlen(msg)) == 0);
	return j;
}

/* Queue it (as an exec entry). */
static int queue(struct journal *j, const char *msg)
{
	return journal_queue(message(j, msg), true);
}

/* Queue n entries PREFIX0, PREFIX1, ...; returns how many were taken. */
static int queue_n(struct journal *j, const char *prefix, int n)
{
	char msg[32];
	int i, ok = 0;

	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "%s%d", prefix, i);
		ok += queue(j, msg) == 0;
	}
	return ok;
}

/* The next n datagrams are PREFIXfrom, PREFIXfrom+1, ... */
static void expect_n(int fd, const char *prefix, int from, int n);

/* The next datagram, as a string ("" when none waits). */
static const char *next(int fd)
{
	static char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* How many datagrams a new socket queues: net.unix.max_dgram_qlen, and
 * one more (the kernel refuses when the queue is longer than that). */
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

static void expect_n(int fd, const char *prefix, int from, int n)
{
	char want[48];
	int i;

	for (i = from; i < from + n; i++) {
		snprintf(want, sizeof(want), "MESSAGE=%s%d\n", prefix, i);
		CHECK_STR(next(fd), want);
	}
}

/* True when the next datagram is PREFIXi; false when none waits. */
static bool expect_next(int fd, const char *prefix, int i)
{
	const char *got = next(fd);
	char want[48];

	if (!got[0])
		return false;
	snprintf(want, sizeof(want), "MESSAGE=%s%d\n", prefix, i);
	CHECK_STR(got, want);
	return true;
}

/* At a stop: backlog_drain() of the one backlog. */
static size_t drain(struct backlog *b, int timeout_ms)
{
	return backlog_drain(&b, 1, timeout_ms);
}

/* What the journal told the caller about its marks. */
static struct {
	uint64_t mark[4096];
	bool sent[4096];
	int n;
} told;

static void on_handover(void *ctx, uint64_t mark, bool sent)
{
	CHECK(ctx == &told && told.n < 4096);
	told.mark[told.n] = mark;
	told.sent[told.n++] = sent;
}

/* Every mark told as taken was told as about to go just before (with a
 * mark at least as new); the newest taken. */
static uint64_t newest_taken(void)
{
	uint64_t newest = 0;
	int i;

	for (i = 0; i < told.n; i++) {
		if (!told.sent[i])
			continue;
		CHECK(i > 0 && !told.sent[i - 1] && told.mark[i - 1] >= told.mark[i]);
		CHECK(told.mark[i] == 0 || told.mark[i] >= newest);
		if (told.mark[i] > newest)
			newest = told.mark[i];
	}
	return newest;
}

/* The caller marks entries (the ring position of their records): it
 * learns which went to journald, and which were about to when a process
 * dies in sendmmsg(). */
static void test_handover(struct journal *j, int fd, int room)
{
	int i;

	j->out.handover = on_handover;
	j->out.handover_ctx = &told;
	for (i = 0; i < 3; i++) {
		j->out.mark = 10 + i;
		CHECK(queue(j, "h") == 0);
	}
	CHECK_INT(backlog_flush(&j->out), 0);
	CHECK_INT(told.n, 2);
	CHECK(told.mark[0] == 12 && !told.sent[0]);
	CHECK_INT(newest_taken(), 12);
	CHECK_STR(next(fd), "MESSAGE=h\n");
	while (next(fd)[0])
		;
	/* journald's queue fills: the last one waits, not told as taken */
	told.n = 0;
	for (i = 0; i <= room; i++) {
		j->out.mark = 100 + i;
		CHECK(queue(j, "k") == 0);
	}
	CHECK_INT(backlog_flush(&j->out), 0);
	CHECK(j->out.blocked);
	CHECK_INT(newest_taken(), 100 + room - 1);
	CHECK(told.sent[told.n - 1] && told.mark[told.n - 1] == 0);
	while (next(fd)[0])
		;
	CHECK_INT(backlog_flush(&j->out), 0);
	CHECK_INT(newest_taken(), 100 + room);
	CHECK_INT(backlog_entries(&j->out), 0);
	while (next(fd)[0])
		;
	j->out.handover = NULL;
}

/* At a stop, a journald that makes room a little at a time (one entry
 * a millisecond) gets everything within the timeout: it is a time, not a
 * number of rounds. */
static void test_drain_slow_reader(struct journal *j, int fd, int room)
{
	pid_t child;
	int got = 0, status;

	CHECK_INT(queue_n(j, "d", room + 100), room + 100);
	CHECK_INT(backlog_flush(&j->out), 0);
	CHECK(j->out.blocked);
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		struct timespec ms = { 0, 1000000 };
		int i;

		for (i = 0; i < room + 100; i++) {
			nanosleep(&ms, NULL);
			while (!next(fd)[0])
				nanosleep(&ms, NULL);
		}
		_exit(0);
	}
	CHECK_INT(drain(&j->out, 2000), 0);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
	CHECK_INT(j->out.lost, 0);
	while (next(fd)[0])
		got++;
	CHECK_INT(got, 0);
}

/* Wait up to a second for room in journald's queue. */
static bool writable(const struct journal *j)
{
	struct pollfd pfd = { .fd = j->out.fd, .events = POLLOUT };

	return poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLOUT);
}

int main(void)
{
	struct journal j;
	int fd, room;

	/* Other tests may change the sysctl meanwhile (bench/run.sh does):
	 * make sure the socket got the value read. */
	do {
		room = dgram_room();
		fd = fake_journald();
		if (room == dgram_room())
			break;
		close(fd);
	} while (1);
	CHECK(room > 0 && room < 100000);
	CHECK(journal_open(&j, sock_path, 0) == 0);
	CHECK_INT(j.out.q.max_bytes, BACKLOG_DEFAULT);

	/* Queued entries leave only at the flush, in order. */
	CHECK(queue(&j, "a") == 0);
	CHECK(queue(&j, "b") == 0);
	CHECK_STR(next(fd), "");
	CHECK_INT(backlog_entries(&j.out), 2);
	CHECK_INT(backlog_bytes(&j.out), 20);
	CHECK_INT(backlog_flush(&j.out), 0);
	CHECK_STR(next(fd), "MESSAGE=a\n");
	CHECK_STR(next(fd), "MESSAGE=b\n");
	CHECK_STR(next(fd), "");
	CHECK_INT(j.out.written, 2);
	CHECK_INT(backlog_entries(&j.out), 0);
	CHECK_INT(backlog_wait_ms(&j.out), -1);

	/* Fields: NAME=value, and the binary-safe form for a newline. */
	{
		static const char want[] = "A=1\nMSG\n\x03\0\0\0\0\0\0\0x\ny\nE=\n";
		char got[64];
		ssize_t n;

		journal_begin(&j);
		CHECK(journal_field(&j, "A", "1", 1) == 0);
		CHECK(journal_field(&j, "MSG", "x\ny", 3) == 0);
		CHECK(journal_field(&j, "E", "", 0) == 0);
		CHECK_INT(j.entry.len, sizeof(want) - 1);
		CHECK(j.entry.p[j.entry.len] == '\0');
		CHECK(journal_queue(&j, false) == 0);
		CHECK_INT(backlog_flush(&j.out), 0);
		n = recv(fd, got, sizeof(got), 0);
		CHECK_INT(n, sizeof(want) - 1);
		CHECK(memcmp(got, want, sizeof(want) - 1) == 0);
	}

	/* journald not reading: as many as its queue holds go, the rest
	 * wait in order, nothing is lost; the caller polls for room. */
	CHECK_INT(queue_n(&j, "s", room + 50), room + 50);
	CHECK_INT(backlog_flush(&j.out), 0);
	CHECK(j.out.blocked);
	CHECK(backlog_wants_pollout(&j.out));
	CHECK_INT(backlog_wait_ms(&j.out), -1);
	CHECK_INT(backlog_entries(&j.out), 50);
	CHECK_INT(j.out.lost, 0);
	expect_n(fd, "s", 0, room);
	CHECK_STR(next(fd), "");
	/* journald reads them: room again, the rest follow in order */
	{
		int got = room, rounds = 0;

		while (backlog_entries(&j.out) && rounds++ < 100) {
			CHECK(writable(&j));
			CHECK_INT(backlog_flush(&j.out), 0);
			while (got < room + 50 && expect_next(fd, "s", got))
				got++;
		}
		CHECK_INT(got, room + 50);
	}
	CHECK(!j.out.blocked);
	CHECK_STR(next(fd), "");
	CHECK_INT(backlog_entries(&j.out), 0);

	test_handover(&j, fd, room);
	test_drain_slow_reader(&j, fd, room);

	/* The byte bound: entries are taken until it is reached (the last
	 * may cross it), then refused and counted; those taken are all
	 * delivered, exactly. */
	backlog_set_max(&j.out, 120);	/* "MESSAGE=bN\n" is 11 bytes, b10 12 */
	CHECK_INT(queue_n(&j, "b", 15), 11);
	CHECK(backlog_full(&j.out));
	CHECK_INT(backlog_bytes(&j.out), 10 * 11 + 12);
	CHECK_INT(j.out.lost, 4);
	CHECK_INT(backlog_flush(&j.out), 0);
	expect_n(fd, "b", 0, 11);
	CHECK_STR(next(fd), "");
	CHECK(!backlog_full(&j.out));
	backlog_set_max(&j.out, 0);
	j.out.lost = 0;

	/* journald gone: the entries wait (nothing lost), and a journald
	 * at the same path later gets them in order (a restart). */
	close(fd);
	unlink(sock_path);
	CHECK_INT(queue_n(&j, "g", 3), 3);
	CHECK_INT(backlog_flush(&j.out), 0);
	CHECK(j.out.away);
	CHECK_INT(backlog_wait_ms(&j.out), 100);
	CHECK_INT(backlog_entries(&j.out), 3);
	fd = fake_journald();
	CHECK_INT(backlog_flush(&j.out), 0);
	CHECK(!j.out.away);
	expect_n(fd, "g", 0, 3);
	CHECK_INT(j.out.lost, 0);

	/* At a stop with journald gone: what waits after the timeout is
	 * dropped and counted, exec entries apart from the others. */
	close(fd);
	unlink(sock_path);
	CHECK_INT(queue_n(&j, "x", 2), 2);
	message(&j, "note");
	CHECK(journal_queue(&j, false) == 0);
	CHECK_INT(drain(&j.out, 100), 3);
	CHECK_INT(j.out.lost, 2);
	CHECK_INT(j.out.lost_other, 1);
	CHECK_INT(backlog_entries(&j.out), 0);
	journal_close(&j);
	CHECK_DONE();
}
