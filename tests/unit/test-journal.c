/* test-journal.c: unit tests of the journal writer's queue, against a datagram socket standing in for journald. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
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

/* Queue it, or send it now. */
static int queue(struct journal *j, const char *msg)
{
	return journal_queue(message(j, msg));
}

static int commit(struct journal *j, const char *msg)
{
	return journal_commit(message(j, msg));
}

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

int main(void)
{
	struct journal j;
	char msg[32];
	int fd, i, room;

	/* Other tests may change the sysctl meanwhile (bench/run.sh does):
	 * make sure the socket got the value read. */
	do {
		room = dgram_room();
		fd = fake_journald();
		if (room == dgram_room())
			break;
		close(fd);
	} while (1);
	CHECK(journal_open(&j, sock_path) == 0);
	j.wait_ms = 10;

	/* Queued entries leave only at the flush, in order. */
	CHECK(queue(&j, "a") == 0);
	CHECK(queue(&j, "b") == 0);
	CHECK_STR(next(fd), "");
	CHECK_INT(journal_flush(&j), 0);
	CHECK_STR(next(fd), "MESSAGE=a\n");
	CHECK_STR(next(fd), "MESSAGE=b\n");
	CHECK_STR(next(fd), "");
	CHECK_INT(j.written, 2);

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
		CHECK(journal_commit(&j) == 0);
		n = recv(fd, got, sizeof(got), 0);
		CHECK_INT(n, sizeof(want) - 1);
		CHECK(memcmp(got, want, sizeof(want) - 1) == 0);
	}

	/* An entry sent at once goes after the queued ones. */
	CHECK(queue(&j, "c") == 0);
	CHECK(commit(&j, "now") == 0);
	CHECK_STR(next(fd), "MESSAGE=c\n");
	CHECK_STR(next(fd), "MESSAGE=now\n");

	/* A full queue is sent by itself (as much as journald's datagram
	 * queue takes: the rest is lost), the next entry waits. */
	for (i = 0; i < JOURNAL_QUEUE_MAX + 1; i++) {
		snprintf(msg, sizeof(msg), "q%d", i);
		CHECK(queue(&j, msg) == 0);
	}
	CHECK_INT(j.nq, 1);
	CHECK_STR(next(fd), "MESSAGE=q0\n");
	while (next(fd)[0])
		;
	CHECK_INT(j.queue_failed, room < JOURNAL_QUEUE_MAX ? JOURNAL_QUEUE_MAX - room : 0);
	CHECK_INT(journal_flush(&j), 0);
	CHECK(!j.stalled);
	snprintf(msg, sizeof(msg), "MESSAGE=q%d\n", JOURNAL_QUEUE_MAX);
	CHECK_STR(next(fd), msg);
	j.queue_failed = 0;

	/* journald not reading: what does not fit waits wait_ms once, then
	 * it and the rest count as lost; exactly as many as there was room
	 * for got through, in order. */
	if (room > 0 && room < 100000) {
		j.queue_failed = 0;
		for (i = 0; i < room + 5; i++) {
			snprintf(msg, sizeof(msg), "s%d", i);
			CHECK(queue(&j, msg) == 0);
		}
		journal_flush(&j);
		CHECK_INT(j.queue_failed, 5);
		CHECK(j.stalled);
		for (i = 0; i < room; i++) {
			snprintf(msg, sizeof(msg), "MESSAGE=s%d\n", i);
			CHECK_STR(next(fd), msg);
		}
		CHECK_STR(next(fd), "");
		/* Room again: the next flush goes through, no longer stalled. */
		CHECK(queue(&j, "after") == 0);
		CHECK_INT(journal_flush(&j), 0);
		CHECK(!j.stalled);
		CHECK_STR(next(fd), "MESSAGE=after\n");
	} else {
		printf("room for %d datagrams: stall case not run\n", room);
	}

	/* journald gone: the queued entries are lost, and counted. */
	close(fd);
	unlink(sock_path);
	CHECK(queue(&j, "x") == 0);
	CHECK(queue(&j, "y") == 0);
	i = (int)j.queue_failed;
	CHECK_INT(journal_flush(&j), 2);
	CHECK_INT(j.queue_failed, i + 2);
	journal_close(&j);
	CHECK_DONE();
}
