// SPDX-License-Identifier: GPL-2.0-or-later
/* journal.c: write entries to journald with its native protocol; what it cannot take yet waits, in order, in a bounded backlog. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sendmmsg */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/util.h"
#include "format/entry.h"
#include "sink/journal.h"

#define JOURNAL_SNDBUF (8 << 20)

static int journal_connect(struct journal *j);

int journal_open(struct journal *j, const char *socket_path, size_t max_bytes)
{
	int sz = JOURNAL_SNDBUF;

	memset(j, 0, sizeof(*j));
	j->socket_path = socket_path ? socket_path : JOURNAL_SOCKET;
	journal_set_backlog(j, max_bytes);
	j->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (j->fd < 0)
		return -errno;
	/* Room for bursts; the forced variant works while we still hold CAP_NET_ADMIN. */
	if (setsockopt(j->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(j->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	journal_connect(j);	/* journald may come later: retried on send */
	return 0;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	sb_free(&j->entry);
	sb_free(&j->q.buf);
	free(j->q.slot);
	memset(&j->q, 0, sizeof(j->q));
}

void journal_set_backlog(struct journal *j, size_t max_bytes)
{
	j->q.max_bytes = max_bytes ? max_bytes : JOURNAL_BACKLOG_DEFAULT;
}

void journal_begin(struct journal *j)
{
	sb_reset(&j->entry);
}

int journal_field(struct journal *j, const char *name, const void *value,
		  size_t len)
{
	struct strbuf *e = &j->entry;
	size_t nlen = strlen(name);
	bool binary = memchr(value, '\n', len) != NULL;
	uint64_t le = htole64(len);
	char *p;
	int r;

	/* NAME=value\n, or the binary-safe form for a value with a newline:
	 * NAME\n, 64-bit little-endian length, value, \n. One grow, then
	 * plain copies (this runs some 40 times per entry). */
	r = sb_grow(e, nlen + 1 + (binary ? sizeof(le) : 0) + len + 1);
	if (r < 0)
		return r;
	p = e->p + e->len;
	memcpy(p, name, nlen);
	p += nlen;
	*p++ = binary ? '\n' : '=';
	if (binary) {
		memcpy(p, &le, sizeof(le));
		p += sizeof(le);
	}
	if (len)
		memcpy(p, value, len);
	p += len;
	*p++ = '\n';
	*p = '\0';
	e->len = (size_t)(p - e->p);
	return 0;
}

static void socket_addr(const struct journal *j, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", j->socket_path);
}

/* (Re)connect to journald's socket, so that poll() sees its queue; 0 or -errno. */
static int journal_connect(struct journal *j)
{
	struct sockaddr_un sa;

	socket_addr(j, &sa);
	if (connect(j->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* Too big for a datagram: pass the entry in a sealed memfd. */
static int send_memfd(struct journal *j, const void *p, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct msghdr mh = { 0 };
	struct cmsghdr *cm;
	int fd, r = 0;

	fd = memfd_create("trace-execd-journal", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, p, len) != (ssize_t)len ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
		  F_SEAL_SEAL) < 0) {
		r = -errno ? -errno : -EIO;
		goto out;
	}
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(j->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		r = -errno;
out:
	close(fd);
	return r;
}

/*
 * Send one entry: a datagram, or a memfd when it is too big for one.
 * Returns 0 or negative errno (-EAGAIN: journald's queue is full).
 */
static int send_one(struct journal *j, const void *p, size_t len)
{
	if (send(j->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
		return 0;
	if (errno == EMSGSIZE || errno == ENOBUFS)
		return send_memfd(j, p, len);
	return -errno;
}

/* journald restarted or is not running: its socket is new or gone. */
static bool disconnected(int r)
{
	return r == -ENOTCONN || r == -ECONNREFUSED || r == -ECONNRESET ||
	       r == -ENOENT || r == -EDESTADDRREQ;
}

/* The oldest waiting entry's bytes. */
static const char *q_head(const struct journal_backlog *q, size_t *len)
{
	*len = q->slot[q->first].len;
	return q->buf.p + q->head;
}

/* Forget the n oldest entries (sent or dropped). */
static void q_pop(struct journal_backlog *q, size_t n)
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
static int q_reserve(struct journal_backlog *q)
{
	size_t i, slots = q->slots ? q->slots * 2 : 1024;
	struct journal_slot *slot;

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
static int q_push(struct journal_backlog *q, const char *p, size_t len,
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
	q->slot[(q->first + q->count) % q->slots] = (struct journal_slot){ len, exec, mark };
	q->count++;
	q->bytes += len;
	if (q->bytes > q->peak_bytes)
		q->peak_bytes = q->bytes;
	return 0;
}

/* Count one dropped entry as what it was. */
static void count_lost(struct journal *j, bool exec, int err)
{
	if (exec)
		j->lost++;
	else
		j->lost_other++;
	j->last_error = err;
}

int journal_queue(struct journal *j, bool exec)
{
	int r = q_push(&j->q, j->entry.p, j->entry.len, exec, j->mark);

	if (r < 0)
		count_lost(j, exec, r);
	return r;
}

/* Tell the caller about the n oldest entries: about to be sent, or sent
 * (n 0: none was). */
static void tell(struct journal *j, size_t n, bool sent)
{
	const struct journal_backlog *q = &j->q;

	if (j->handover)
		j->handover(j->handover_ctx,
			    n ? q->slot[(q->first + n - 1) % q->slots].mark : 0, sent);
}

/* Hand up to JOURNAL_BATCH of the oldest entries to one sendmmsg();
 * returns how many it took, or negative errno when it took none. */
static int send_batch(struct journal *j)
{
	struct journal_backlog *q = &j->q;
	struct mmsghdr mm[JOURNAL_BATCH];
	struct iovec iov[JOURNAL_BATCH];
	size_t i, k = q->count < JOURNAL_BATCH ? q->count : JOURNAL_BATCH;
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
	tell(j, k, false);
	n = sendmmsg(j->fd, mm, (unsigned int)k, MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n <= 0)
		n = -errno;
	tell(j, n > 0 ? (size_t)n : 0, true);
	return n;
}

/* Send the oldest entry alone (where sendmmsg stopped); 0 when it went
 * or was dropped, -EAGAIN when journald has no room, or the negative
 * errno of a socket that is missing or refuses. */
static int send_head(struct journal *j, unsigned int *lost)
{
	size_t len;
	const char *p = q_head(&j->q, &len);
	int r;

	tell(j, 1, false);
	r = send_one(j, p, len);
	if (r == -EAGAIN || disconnected(r)) {
		tell(j, 0, true);
		return r;
	}
	tell(j, 1, true);
	if (r < 0) {
		/* journald refuses this entry itself: no retry can help */
		count_lost(j, j->q.slot[j->q.first].exec, r);
		*lost += j->q.slot[j->q.first].exec;
	} else {
		j->written++;
	}
	q_pop(&j->q, 1);
	return 0;
}

unsigned int journal_flush(struct journal *j)
{
	unsigned int lost = 0, sent = 0;
	size_t bytes0 = j->q.bytes;
	bool reconnected = false;
	int n, r;

	if (j->fd < 0)
		return 0;
	j->blocked = false;
	while (j->q.count && sent < JOURNAL_FLUSH_MAX &&
	       bytes0 - j->q.bytes < JOURNAL_FLUSH_BYTES) {
		n = send_batch(j);
		if (n > 0) {
			j->written += n;
			sent += n;
			q_pop(&j->q, n);
			j->away = false;
			continue;
		}
		r = send_head(j, &lost);
		if (r == 0) {
			sent++;
			continue;
		}
		if (r == -EAGAIN) {
			j->blocked = true;
			break;
		}
		if (!reconnected && journal_connect(j) == 0) {
			reconnected = true;
			continue;
		}
		j->away = true;
		j->last_error = r;
		break;
	}
	return lost;
}

#define JOURNAL_RETRY_MS 100

int journal_wait_ms(const struct journal *j)
{
	if (!j->q.count || j->blocked)
		return -1;
	return j->away ? JOURNAL_RETRY_MS : 0;
}

bool journal_wants_pollout(const struct journal *j)
{
	return j->q.count && j->blocked;
}

size_t journal_backlog_entries(const struct journal *j)
{
	return j->q.count;
}

size_t journal_backlog_bytes(const struct journal *j)
{
	return j->q.bytes;
}

bool journal_backlog_full(const struct journal *j)
{
	return j->q.count && j->q.bytes >= j->q.max_bytes;
}

bool journal_wait_room(struct journal *j, uint64_t until_usec, bool all)
{
	struct pollfd pfd = { .fd = j->fd, .events = POLLOUT };
	struct timespec nap = { 0, JOURNAL_RETRY_MS * 1000000 };

	while (journal_flush(j), j->fd >= 0 &&
	       (all ? j->q.count > 0 : journal_backlog_full(j)) &&
	       clock_usec(CLOCK_MONOTONIC) < until_usec) {
		if (j->away)
			nanosleep(&nap, NULL);
		else if (j->blocked)
			poll(&pfd, 1, JOURNAL_RETRY_MS);
	}
	return all ? !j->q.count : !journal_backlog_full(j);
}

size_t journal_drain(struct journal *j, int timeout_ms)
{
	size_t rest;

	journal_wait_room(j, clock_usec(CLOCK_MONOTONIC) + (uint64_t)timeout_ms * 1000,
			  true);
	rest = j->q.count;
	while (j->q.count) {
		count_lost(j, j->q.slot[j->q.first].exec, -ETIMEDOUT);
		q_pop(&j->q, 1);
	}
	return rest;
}

/* Build the entry with MESSAGE, MESSAGE_ID, PRIORITY and the syslog fields; 0 or -ENOMEM. */
static int build_entry(struct journal *j, const struct entry *e, int facility)
{
	char num[FMT_U64_LEN];
	size_t i;
	int r;

	journal_begin(j);
	r = journal_field(j, "MESSAGE", e->message.p ? e->message.p : "",
			  e->message.len);
	if (!r)
		r = journal_field(j, "MESSAGE_ID", e->msgid, strlen(e->msgid));
	if (!r)
		r = journal_field(j, "PRIORITY", num,
				  fmt_u64(num, (unsigned int)e->priority));
	if (!r)
		r = journal_field(j, "SYSLOG_IDENTIFIER", "trace-execd", 11);
	if (!r)
		r = journal_field(j, "SYSLOG_FACILITY", num,
				  fmt_u64(num, (unsigned int)facility >> 3));
	for (i = 0; !r && i < e->n; i++)
		r = journal_field(j, e->f[i].name, e->f[i].val, e->f[i].len);
	return r;
}

/* Build e and queue it; a failure to build it counts as lost too. */
static int queue_entry(struct journal *j, const struct entry *e, int facility,
		       bool exec)
{
	int r = build_entry(j, e, facility);

	if (r < 0) {
		count_lost(j, exec, r);
		return r;
	}
	return journal_queue(j, exec);
}

int journal_queue_entry(struct journal *j, const struct entry *e, int facility)
{
	return queue_entry(j, e, facility, true);
}

int journal_send_entry(struct journal *j, const struct entry *e, int facility)
{
	int r = queue_entry(j, e, facility, false);

	journal_flush(j);
	return r;
}
