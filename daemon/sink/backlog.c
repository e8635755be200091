// SPDX-License-Identifier: GPL-2.0-or-later
/* backlog.c: send datagrams to a local socket (journald's, syslog's) without blocking: what the receiver cannot take yet waits, in order, in a bounded backlog; every entry dropped is counted. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sendmmsg */
#endif
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"
#include "sink/backlog.h"

#define BACKLOG_SNDBUF (8 << 20)
/* backlog_wait() polls at most this many sockets. */
#define BACKLOG_WAIT_MAX 8

/* (Re)connect to the receiver's socket, so that poll() sees its queue;
 * 0 or -errno. */
static int backlog_connect(struct backlog *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", b->socket_path);
	if (connect(b->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

int backlog_open(struct backlog *b, const char *socket_path, size_t max_bytes)
{
	int sz = BACKLOG_SNDBUF;

	memset(b, 0, sizeof(*b));
	b->socket_path = socket_path;
	backlog_set_max(b, max_bytes);
	b->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (b->fd < 0)
		return -errno;
	/* Room for bursts; the forced variant works while we still hold CAP_NET_ADMIN. */
	if (setsockopt(b->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(b->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	backlog_connect(b);	/* the receiver may come later: retried on send */
	return 0;
}

void backlog_close(struct backlog *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	sb_free(&b->q.buf);
	free(b->q.slot);
	memset(&b->q, 0, sizeof(b->q));
}

void backlog_set_max(struct backlog *b, size_t max_bytes)
{
	b->q.max_bytes = max_bytes ? max_bytes : BACKLOG_DEFAULT;
}

/*
 * Send one entry as one datagram, or through send_big when it is too big
 * for one. Returns 0 or negative errno (-EAGAIN: the receiver's queue is
 * full).
 */
static int send_one(struct backlog *b, const void *p, size_t len)
{
	if (send(b->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
		return 0;
	if ((errno == EMSGSIZE || errno == ENOBUFS) && b->send_big)
		return b->send_big(b->fd, p, len);
	return -errno;
}

/* The receiver restarted or is not running: its socket is new or gone. */
static bool disconnected(int r)
{
	return r == -ENOTCONN || r == -ECONNREFUSED || r == -ECONNRESET ||
	       r == -ENOENT || r == -EDESTADDRREQ;
}

/* The oldest waiting entry's bytes. */
static const char *q_head(const struct backlog_queue *q, size_t *len)
{
	*len = q->slot[q->first].len;
	return q->buf.p + q->head;
}

/* Forget the n oldest entries (sent or dropped). */
static void q_pop(struct backlog_queue *q, size_t n)
{
	while (n--) {
		q->head += q->slot[q->first].len;
		q->bytes -= q->slot[q->first].len;
		q->first = (q->first + 1) % q->slots;
		q->count--;
	}
	if (!q->count) {
		/* empty: start over, and give back a large buffer */
		q->head = q->first = 0;
		if (q->buf.cap > (4U << 20))
			sb_free(&q->buf);
		else
			sb_reset(&q->buf);
	}
}

/* Room for one more slot; 0 or -ENOMEM. */
static int q_reserve(struct backlog_queue *q)
{
	size_t i, slots = q->slots ? q->slots * 2 : 1024;
	struct backlog_slot *slot;

	if (q->count < q->slots)
		return 0;
	slot = malloc(slots * sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	for (i = 0; i < q->count; i++)
		slot[i] = q->slot[(q->first + i) % q->slots];
	free(q->slot);
	q->slot = slot;
	q->first = 0;
	q->slots = slots;
	return 0;
}

/* Append bytes as the newest entry; 0, -ENOBUFS or -ENOMEM. */
static int q_push(struct backlog_queue *q, const char *p, size_t len,
		  bool exec, uint64_t mark)
{
	int r;

	if (q->bytes >= q->max_bytes)
		return -ENOBUFS;
	if (q->head > q->buf.len / 2 && q->head >= (1U << 20)) {
		/* most of the buffer was sent: move the rest down */
		memmove(q->buf.p, q->buf.p + q->head, q->buf.len - q->head);
		q->buf.len -= q->head;
		q->head = 0;
	}
	r = q_reserve(q);
	if (!r)
		r = sb_append(&q->buf, p, len);
	if (r < 0)
		return r;
	q->slot[(q->first + q->count) % q->slots] = (struct backlog_slot){ len, exec, mark };
	q->count++;
	q->bytes += len;
	if (q->bytes > q->peak_bytes)
		q->peak_bytes = q->bytes;
	return 0;
}

void backlog_count_lost(struct backlog *b, bool exec, int err)
{
	if (exec)
		b->lost++;
	else
		b->lost_other++;
	b->last_error = err;
}

int backlog_push(struct backlog *b, const void *p, size_t len, bool exec)
{
	int r = q_push(&b->q, p, len, exec, b->mark);

	if (r < 0)
		backlog_count_lost(b, exec, r);
	return r;
}

/* Tell the caller about the n oldest entries: about to be sent, or sent
 * (n 0: none was). */
static void tell(struct backlog *b, size_t n, bool sent)
{
	const struct backlog_queue *q = &b->q;

	if (b->handover)
		b->handover(b->handover_ctx,
			    n ? q->slot[(q->first + n - 1) % q->slots].mark : 0, sent);
}

/* Hand up to BACKLOG_BATCH of the oldest entries to one sendmmsg();
 * returns how many it took, or negative errno when it took none. */
static int send_batch(struct backlog *b)
{
	struct backlog_queue *q = &b->q;
	struct mmsghdr mm[BACKLOG_BATCH];
	struct iovec iov[BACKLOG_BATCH];
	size_t i, k = q->count < BACKLOG_BATCH ? q->count : BACKLOG_BATCH;
	size_t off = q->head;
	int n;

	memset(mm, 0, sizeof(mm[0]) * k);
	for (i = 0; i < k; i++) {
		iov[i].iov_base = q->buf.p + off;
		iov[i].iov_len = q->slot[(q->first + i) % q->slots].len;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		off += iov[i].iov_len;
	}
	tell(b, k, false);
	n = sendmmsg(b->fd, mm, (unsigned int)k, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n <= 0)
		n = -errno;
	tell(b, n > 0 ? (size_t)n : 0, true);
	return n;
}

/* Send the oldest entry alone (where sendmmsg stopped); 0 when it went
 * or was dropped, -EAGAIN when the receiver has no room, or the negative
 * errno of a socket that is missing or refuses. */
static int send_head(struct backlog *b, unsigned int *lost)
{
	size_t len;
	const char *p = q_head(&b->q, &len);
	bool exec = b->q.slot[b->q.first].exec;
	int r;

	tell(b, 1, false);
	r = send_one(b, p, len);
	if (r == -EAGAIN || disconnected(r)) {
		tell(b, 0, true);
		return r;
	}
	tell(b, 1, true);
	if (r < 0) {
		/* the receiver refuses this entry itself: no retry can help */
		backlog_count_lost(b, exec, r);
		*lost += exec;
	} else {
		b->written++;
	}
	q_pop(&b->q, 1);
	return 0;
}

unsigned int backlog_flush(struct backlog *b)
{
	unsigned int lost = 0, sent = 0;
	size_t bytes0 = b->q.bytes;
	bool reconnected = false;
	int n, r;

	if (b->fd < 0)
		return 0;
	b->blocked = false;
	while (b->q.count && sent < BACKLOG_FLUSH_MAX &&
	       bytes0 - b->q.bytes < BACKLOG_FLUSH_BYTES) {
		n = send_batch(b);
		if (n > 0) {
			b->written += n;
			sent += n;
			q_pop(&b->q, n);
			b->away = false;
			continue;
		}
		r = send_head(b, &lost);
		if (r == 0) {
			sent++;
			b->away = false;
			continue;
		}
		if (r == -EAGAIN) {
			b->blocked = true;
			b->away = false;
			break;
		}
		if (!reconnected && backlog_connect(b) == 0) {
			reconnected = true;
			continue;
		}
		b->away = true;
		b->last_error = r;
		break;
	}
	return lost;
}

int backlog_wait_ms(const struct backlog *b)
{
	if (!b->q.count || b->blocked)
		return -1;
	return b->away ? BACKLOG_RETRY_MS : 0;
}

bool backlog_wants_pollout(const struct backlog *b)
{
	return b->q.count && b->blocked;
}

size_t backlog_entries(const struct backlog *b)
{
	return b->q.count;
}

size_t backlog_bytes(const struct backlog *b)
{
	return b->q.bytes;
}

bool backlog_full(const struct backlog *b)
{
	return b->q.count && b->q.bytes >= b->q.max_bytes;
}

/* Nothing more to wait for in b: below its bound, or empty when all. */
static bool settled(const struct backlog *b, bool all)
{
	return all ? !b->q.count : !backlog_full(b);
}

/* Flush each backlog that is not settled; into pfd the sockets to poll
 * for room. Returns how many are not settled; *now when one of them can
 * send more at once, *stuck when one has no socket (it never settles). */
static int flush_unsettled(struct backlog *const *b, size_t n, bool all,
			   struct pollfd *pfd, size_t *npfd, bool *now,
			   bool *stuck)
{
	size_t i;
	int left = 0;

	*npfd = 0;
	*now = *stuck = false;
	for (i = 0; i < n; i++) {
		if (settled(b[i], all))
			continue;
		backlog_flush(b[i]);
		if (settled(b[i], all))
			continue;
		left++;
		if (b[i]->fd < 0)
			*stuck = true;
		else if (b[i]->blocked && *npfd < BACKLOG_WAIT_MAX)
			pfd[(*npfd)++] = (struct pollfd){ .fd = b[i]->fd, .events = POLLOUT };
		else if (!b[i]->blocked && !b[i]->away)
			*now = true;
	}
	return left;
}

bool backlog_wait(struct backlog *const *b, size_t n, uint64_t until_usec,
		  bool all)
{
	struct pollfd pfd[BACKLOG_WAIT_MAX];
	struct timespec nap = { 0, 0 };
	uint64_t now, left_ms;
	bool more, stuck;
	size_t npfd;

	for (;;) {
		if (!flush_unsettled(b, n, all, pfd, &npfd, &more, &stuck))
			return true;
		now = clock_usec(CLOCK_MONOTONIC);
		if (stuck || now >= until_usec)
			return false;
		if (more)
			continue;
		/* blocked ones wake us when they have room; those away are
		 * tried again after BACKLOG_RETRY_MS */
		left_ms = (until_usec - now + 999) / 1000;
		if (left_ms > BACKLOG_RETRY_MS)
			left_ms = BACKLOG_RETRY_MS;
		if (npfd) {
			poll(pfd, npfd, (int)left_ms);
		} else {
			nap.tv_nsec = (long)left_ms * 1000000L;
			nanosleep(&nap, NULL);
		}
	}
}

size_t backlog_drain(struct backlog *const *b, size_t n, int timeout_ms)
{
	size_t i, rest = 0;

	backlog_wait(b, n, clock_usec(CLOCK_MONOTONIC) + (uint64_t)timeout_ms * 1000,
		     true);
	for (i = 0; i < n; i++) {
		rest += b[i]->q.count;
		while (b[i]->q.count) {
			backlog_count_lost(b[i], b[i]->q.slot[b[i]->q.first].exec,
					   -ETIMEDOUT);
			q_pop(&b[i]->q, 1);
		}
	}
	return rest;
}
