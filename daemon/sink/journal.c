// SPDX-License-Identifier: GPL-2.0-or-later
/* journal.c: write entries to journald with its native protocol; what it cannot take yet waits, in order, in a bounded backlog. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create */
#endif
#include <errno.h>
#include <fcntl.h>
#include <endian.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/util.h"
#include "format/entry.h"
#include "sink/journal.h"

static int send_memfd(int sock, const void *p, size_t len);

int journal_open(struct journal *j, const char *socket_path, size_t max_bytes)
{
	int r;

	memset(j, 0, sizeof(*j));
	r = backlog_open(&j->out, socket_path ? socket_path : JOURNAL_SOCKET,
			 max_bytes);
	j->out.send_big = send_memfd;
	return r;
}

void journal_close(struct journal *j)
{
	backlog_close(&j->out);
	sb_free(&j->entry);
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

/* Too big for a datagram: pass the entry in a sealed memfd. */
static int send_memfd(int sock, const void *p, size_t len)
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
	if (sendmsg(sock, &mh, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		r = -errno;
out:
	close(fd);
	return r;
}

int journal_queue(struct journal *j, bool exec)
{
	return backlog_push(&j->out, j->entry.p, j->entry.len, exec);
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

int journal_queue_entry(struct journal *j, const struct entry *e,
			int facility, bool exec)
{
	int r = build_entry(j, e, facility);

	if (r < 0) {
		backlog_count_lost(&j->out, exec, r);
		return r;
	}
	return journal_queue(j, exec);
}
