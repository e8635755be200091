// SPDX-License-Identifier: GPL-2.0-or-later
/* ring.c: read a BPF ring buffer in place; its space goes back to the kernel only when the reader commits, once the records' entries were delivered. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/bpf.h>

#include "tracer/ring.h"

/* Header bytes and 8-byte alignment, as the kernel lays records out. */
static uint64_t record_bytes(uint32_t len)
{
	return ((uint64_t)len + BPF_RINGBUF_HDR_SZ + 7) & ~7ULL;
}

void ring_init(struct ring *r, unsigned long *consumer,
	       const unsigned long *producer, const void *data, size_t size)
{
	memset(r, 0, sizeof(*r));
	r->consumer = consumer;
	r->producer = producer;
	r->data = data;
	r->mask = size - 1;
	r->read = __atomic_load_n(consumer, __ATOMIC_ACQUIRE);
}

int ring_open(struct ring *r, int map_fd, size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *rw, *ro;
	int err;

	if (!size || (size & (size - 1)))
		return -EINVAL;
	rw = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (rw == MAP_FAILED)
		return -errno;
	ro = mmap(NULL, page + 2 * size, PROT_READ, MAP_SHARED, map_fd, page);
	if (ro == MAP_FAILED) {
		err = -errno;
		munmap(rw, page);
		return err;
	}
	ring_init(r, rw, ro, (const char *)ro + page, size);
	r->map_rw = rw;
	r->len_rw = page;
	r->map_ro = ro;
	r->len_ro = page + 2 * size;
	return 0;
}

void ring_close(struct ring *r)
{
	if (r->map_ro)
		munmap(r->map_ro, r->len_ro);
	if (r->map_rw)
		munmap(r->map_rw, r->len_rw);
	memset(r, 0, sizeof(*r));
}

static uint64_t producer_pos(const struct ring *r)
{
	return __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
}

/* The length word of the record at pos. */
static uint32_t header_at(const struct ring *r, uint64_t pos)
{
	return __atomic_load_n((const uint32_t *)(r->data + (pos & r->mask)),
			       __ATOMIC_ACQUIRE);
}

int ring_read(struct ring *r, ring_fn fn, void *ctx)
{
	uint64_t prod = producer_pos(r), start, size;
	uint32_t len;
	int n = 0, ret;

	for (;;) {
		if (r->read >= prod && (prod = producer_pos(r)) <= r->read)
			return n;
		len = header_at(r, r->read);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return n;	/* still being written */
		size = len & ~BPF_RINGBUF_DISCARD_BIT;
		start = r->read;
		if (start + record_bytes(size) > prod)
			return -EBADMSG;
		r->read += record_bytes(size);
		if (len & BPF_RINGBUF_DISCARD_BIT)
			continue;
		n++;
		ret = fn(ctx, r->data + (start & r->mask) + BPF_RINGBUF_HDR_SZ, size);
		if (ret < 0)
			return ret;
	}
}

bool ring_has_more(const struct ring *r)
{
	return producer_pos(r) > r->read;
}

void ring_commit(struct ring *r, uint64_t pos)
{
	if (pos > r->read)
		pos = r->read;
	if (pos > *r->consumer)
		__atomic_store_n(r->consumer, pos, __ATOMIC_RELEASE);
}

void ring_skip(struct ring *r, uint64_t pos)
{
	if (pos > r->read)
		r->read = pos;
	ring_commit(r, pos);
}

uint64_t ring_uncommitted(const struct ring *r)
{
	return r->read - *r->consumer;
}

bool ring_is_boundary(const struct ring *r, uint64_t pos)
{
	uint64_t p = *r->consumer, prod = producer_pos(r);
	uint32_t len;

	if (pos > prod)
		return false;
	while (p < pos) {
		len = header_at(r, p);
		if (len & BPF_RINGBUF_BUSY_BIT)
			return false;
		p += record_bytes(len & ~BPF_RINGBUF_DISCARD_BIT);
	}
	return p == pos;
}
