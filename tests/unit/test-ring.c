// SPDX-License-Identifier: GPL-2.0-or-later
/* test-ring.c: unit tests of the ring buffer reader over memory laid out as the kernel's: order, pause, busy and discarded records, wrap-around, commit. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/bpf.h>

#include "check.h"
#include "tracer/ring.h"

#define SIZE 256

static unsigned long consumer, producer;
static char data[2 * SIZE];

/* Write a record of len bytes of byte c at the producer position, in both
 * copies of the data (the kernel maps it twice); flags: BUSY, DISCARD. */
static uint64_t put(uint32_t len, char c, uint32_t flags)
{
	char rec[SIZE];
	uint32_t hdr[2] = { len | flags, 0 };
	uint64_t pos = producer, total = (len + BPF_RINGBUF_HDR_SZ + 7) & ~7U, i;

	memcpy(rec, hdr, sizeof(hdr));
	memset(rec + sizeof(hdr), c, len);
	for (i = 0; i < total; i++)
		data[(pos + i) % SIZE] = data[(pos + i) % SIZE + SIZE] = rec[i];
	producer += total;
	return pos;
}

/* Clear the flags of the record at pos. */
static void set_len(uint64_t pos, uint32_t len)
{
	memcpy(data + pos % SIZE, &len, sizeof(len));
	memcpy(data + pos % SIZE + SIZE, &len, sizeof(len));
}

struct seen {
	char c[16];
	size_t len[16];
	int n;
	int stop_at;		/* return -EAGAIN for this record (1-based) */
};

static int on_record(void *ctx, const void *p, size_t len)
{
	struct seen *s = ctx;
	const char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		CHECK(b[i] == b[0]);	/* contiguous, even across the end */
	s->c[s->n] = len ? b[0] : 0;
	s->len[s->n] = len;
	s->n++;
	return s->n == s->stop_at ? -EAGAIN : 0;
}

static void reset(struct ring *r, uint64_t start)
{
	consumer = producer = start;
	memset(data, 0, sizeof(data));
	ring_init(r, &consumer, &producer, data, SIZE);
}

static void test_order_and_commit(void)
{
	struct ring r;
	struct seen s = { .n = 0 };

	reset(&r, 0);
	CHECK_INT(ring_read(&r, on_record, &s), 0);
	put(5, 'a', 0);
	put(16, 'b', 0);
	put(1, 'c', 0);
	CHECK(ring_has_more(&r));
	CHECK_INT(ring_read(&r, on_record, &s), 3);
	CHECK_INT(s.n, 3);
	CHECK(!memcmp(s.c, "abc", 3));
	CHECK_INT(s.len[0], 5);
	CHECK_INT(s.len[1], 16);
	CHECK(!ring_has_more(&r));
	/* read, but the kernel keeps it all until the commit */
	CHECK_INT(consumer, 0);
	CHECK_INT(ring_uncommitted(&r), 16 + 24 + 16);
	ring_commit(&r, 16);
	CHECK_INT(consumer, 16);
	ring_commit(&r, 8);		/* never backwards */
	CHECK_INT(consumer, 16);
	ring_commit(&r, 1000);		/* never past what was read */
	CHECK_INT(consumer, 56);
	CHECK_INT(ring_uncommitted(&r), 0);
}

static void test_pause_busy_discard(void)
{
	struct ring r;
	struct seen s = { .stop_at = 2 };
	uint64_t busy;

	reset(&r, 0);
	put(3, 'a', 0);
	put(3, 'b', 0);
	put(3, 'x', BPF_RINGBUF_DISCARD_BIT);
	put(3, 'c', 0);
	busy = put(3, 'd', BPF_RINGBUF_BUSY_BIT);
	put(3, 'e', 0);
	/* the callback ends the read after the second record */
	CHECK_INT(ring_read(&r, on_record, &s), -EAGAIN);
	CHECK_INT(s.n, 2);
	CHECK_INT(r.read, 32);
	/* the discarded one is skipped, the busy one stops the read */
	CHECK_INT(ring_read(&r, on_record, &s), 1);
	CHECK_INT(s.n, 3);
	CHECK(!memcmp(s.c, "abc", 3));
	CHECK(ring_has_more(&r));
	CHECK(ring_is_boundary(&r, 32));
	CHECK(!ring_is_boundary(&r, 24));
	CHECK(!ring_is_boundary(&r, busy + 16));	/* past a busy record */
	set_len(busy, 3);
	CHECK_INT(ring_read(&r, on_record, &s), 2);
	CHECK(!memcmp(s.c, "abcde", 5));
	CHECK(ring_is_boundary(&r, producer));
	CHECK(!ring_is_boundary(&r, producer + 16));
}

/* Positions grow without bound; the data wraps, a record across the end
 * reads as one piece. */
static void test_wrap(void)
{
	struct ring r;
	struct seen s = { .n = 0 };

	reset(&r, 10 * SIZE - 16);
	put(40, 'w', 0);
	CHECK_INT(ring_read(&r, on_record, &s), 1);
	CHECK_INT(s.len[0], 40);
	CHECK_INT(r.read, 10 * SIZE + 32);
	ring_commit(&r, r.read);
	CHECK_INT(consumer, 10 * SIZE + 32);
}

/* A reader that starts on a ring another one used resumes where that one
 * committed, and reads again what it read but did not commit. */
static void test_resume(void)
{
	struct ring r, again;
	struct seen s = { .n = 0 };

	reset(&r, 0);
	put(3, 'a', 0);
	put(3, 'b', 0);
	CHECK_INT(ring_read(&r, on_record, &s), 2);
	ring_commit(&r, 16);
	ring_init(&again, &consumer, &producer, data, SIZE);
	CHECK_INT(ring_read(&again, on_record, &s), 1);
	CHECK_INT(s.c[2], 'b');
}

static void test_corrupt(void)
{
	struct ring r;
	struct seen s = { .n = 0 };

	reset(&r, 0);
	put(3, 'a', 0);
	set_len(0, 200);	/* longer than what was written */
	CHECK_INT(ring_read(&r, on_record, &s), -EBADMSG);
	CHECK_INT(s.n, 0);
}

int main(void)
{
	test_order_and_commit();
	test_pause_busy_discard();
	test_wrap();
	test_resume();
	test_corrupt();
	CHECK_DONE();
}
