/* journal.c: write entries to journald with its native protocol, never blocking for long. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* sendmmsg */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <endian.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "format/entry.h"
#include "sink/journal.h"

#define JOURNAL_SNDBUF (8 << 20)

static int journal_connect(struct journal *j);

int journal_open(struct journal *j, const char *socket_path)
{
	int sz = JOURNAL_SNDBUF;

	memset(j, 0, sizeof(*j));
	j->socket_path = socket_path ? socket_path : JOURNAL_SOCKET;
	j->wait_ms = 250;
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
	sb_free(&j->queue);
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

static int send_once(struct journal *j, const void *p, size_t len)
{
	if (send(j->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT) >= 0)
		return 0;
	if (errno == EMSGSIZE || errno == ENOBUFS)
		return send_memfd(j, p, len);
	return -errno;
}

static bool disconnected(int r)
{
	return r == -ENOTCONN || r == -ECONNREFUSED || r == -ECONNRESET ||
	       r == -ENOENT || r == -EDESTADDRREQ;
}

/*
 * Send one entry. When journald's queue is full wait up to wait_ms for
 * room, once: after a timeout the journal counts as stalled and later
 * entries fail at once (and are counted) until one gets through, so a
 * stopped journald never holds up the reading of the kernel's events.
 */
static int send_one(struct journal *j, const void *p, size_t len)
{
	struct pollfd pfd = { .fd = j->fd, .events = POLLOUT };
	int r;

	if (j->fd < 0)
		return -EBADF;
	r = send_once(j, p, len);
	if (disconnected(r)) {
		/* journald restarted or is not running: its socket is new or gone */
		r = journal_connect(j);
		if (r == 0)
			r = send_once(j, p, len);
	}
	if (r == -EAGAIN && !j->stalled) {
		if (poll(&pfd, 1, j->wait_ms) > 0)
			r = send_once(j, p, len);
		if (r == -EAGAIN)
			j->stalled = true;
	}
	if (r < 0) {
		j->failed++;
		j->last_error = r;
		return r;
	}
	j->stalled = false;
	j->written++;
	return 0;
}

int journal_commit(struct journal *j)
{
	journal_flush(j);	/* the queued ones first: keep the order */
	return send_one(j, j->entry.p, j->entry.len);
}

int journal_queue(struct journal *j)
{
	int r;

	if (j->entry.len > JOURNAL_QUEUE_ENTRY_MAX) {
		r = journal_commit(j);
		if (r < 0)
			j->queue_failed++;
		return r;
	}
	if (j->nq == JOURNAL_QUEUE_MAX ||
	    j->queue.len + j->entry.len > JOURNAL_QUEUE_BYTES)
		journal_flush(j);
	r = sb_append(&j->queue, j->entry.p, j->entry.len);
	if (r < 0) {
		j->failed++;
		j->queue_failed++;
		j->last_error = r;
		return r;
	}
	j->qlen[j->nq++] = j->entry.len;
	return 0;
}

/*
 * One sendmmsg() for as many queued entries as the socket takes (a system
 * call per entry, and a wakeup of journald per entry, cost more than the
 * copying here); where it stops, send_one() deals with that entry the way
 * a single send would, then the rest go on together. Once the journal is
 * stalled the entries after the one that could not wait fail at once.
 */
unsigned int journal_flush(struct journal *j)
{
	struct mmsghdr mm[JOURNAL_QUEUE_MAX];
	struct iovec iov[JOURNAL_QUEUE_MAX];
	unsigned int i, nq = j->nq, lost = 0;
	size_t off = 0;
	int n, r;

	if (!nq)
		return 0;
	memset(mm, 0, sizeof(mm[0]) * nq);
	for (i = 0; i < nq; i++) {
		iov[i].iov_base = j->queue.p + off;
		iov[i].iov_len = j->qlen[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		off += j->qlen[i];
	}
	for (i = 0; i < nq;) {
		n = j->fd < 0 ? -1 : sendmmsg(j->fd, mm + i, nq - i,
					       MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			i += n;
			j->written += n;
			j->stalled = false;
			continue;
		}
		r = send_one(j, iov[i].iov_base, iov[i].iov_len);
		i++;
		if (r == 0)
			continue;
		lost++;
		if (r == -EAGAIN) {
			/* stalled: the rest would wait in vain */
			j->failed += nq - i;
			lost += nq - i;
			break;
		}
	}
	j->queue_failed += lost;
	j->nq = 0;
	sb_reset(&j->queue);
	return lost;
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
	if (r < 0) {
		j->failed++;
		return r;
	}
	return 0;
}

int journal_send_entry(struct journal *j, const struct entry *e, int facility)
{
	int r = build_entry(j, e, facility);

	return r < 0 ? r : journal_commit(j);
}

int journal_queue_entry(struct journal *j, const struct entry *e, int facility)
{
	int r = build_entry(j, e, facility);

	if (r < 0) {
		j->queue_failed++;
		return r;
	}
	return journal_queue(j);
}
