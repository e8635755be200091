/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ring.h: read a BPF ring buffer in place; its space goes back to the kernel only when the reader commits, once the records' entries were delivered. */
#ifndef TRACE_EXECD_RING_H
#define TRACE_EXECD_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A BPF_MAP_TYPE_RINGBUF seen from user space: the consumer position (on
 * a page we may write), the producer position (read-only), and the data,
 * mapped twice in a row so that a record that wraps is contiguous. Each
 * record is an 8-byte header (length with a BUSY and a DISCARD bit) and
 * the sample, 8-byte aligned. The kernel reuses the space behind the
 * consumer position: records between it and `read` were read but stay in
 * the ring (and survive this process) until ring_commit().
 */
struct ring {
	unsigned long *consumer;	/* committed position */
	const unsigned long *producer;
	const char *data;
	uint64_t mask;			/* data bytes - 1 */
	uint64_t read;			/* position after the last record read */
	void *map_rw, *map_ro;		/* the mappings (NULL in the tests) */
	size_t len_rw, len_ro;
};

/* Called for each record: 0 to go on, negative to end the read after it
 * (returned by ring_read()). */
typedef int (*ring_fn)(void *ctx, const void *data, size_t size);

/* Map the ring buffer map fd of size data bytes (its max_entries; the fd
 * is not kept); 0 or negative errno. Reading starts at the committed
 * position. */
int ring_open(struct ring *r, int map_fd, size_t size);
/* The same over memory laid out as the kernel's (the unit tests). */
void ring_init(struct ring *r, unsigned long *consumer,
	       const unsigned long *producer, const void *data, size_t size);
void ring_close(struct ring *r);
/* Read the records there: their count, the callback's negative return
 * when it ended the read, or -EBADMSG for a corrupt header. */
int ring_read(struct ring *r, ring_fn fn, void *ctx);
/* True when records were written that were not read yet. */
bool ring_has_more(const struct ring *r);
/* Give the kernel back the space before pos (at most what was read). */
void ring_commit(struct ring *r, uint64_t pos);
/* Go on from pos, a boundary (see ring_is_boundary()), giving back what
 * is before it. */
void ring_skip(struct ring *r, uint64_t pos);
/* Bytes read and not committed. */
uint64_t ring_uncommitted(const struct ring *r);
/* True when pos is a record boundary in what the kernel still holds
 * (between the committed position and the producer's). */
bool ring_is_boundary(const struct ring *r, uint64_t pos);
/* Data bytes. */
static inline uint64_t ring_size(const struct ring *r)
{
	return r->mask + 1;
}

#endif
