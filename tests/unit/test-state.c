// SPDX-License-Identifier: GPL-2.0-or-later
/* test-state.c: unit tests of the state memfd: round trip, the newest whole version wins, a torn or foreign one is refused. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/util.h"
#include "trace-execd/state.h"

static void fill(struct daemon_state *st, uint64_t v)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->n.events = v;
	st->n.bad = v + 1;
	st->n.journal_lost = v + 2;
	st->n.format_lost = v + 3;
	st->n.written = UINT64_MAX;
	st->syslog_lost = v + 4;
	for (i = 0; i < LOST_NR; i++)
		st->reported[i] = v * 10 + i;
	for (i = 0; i < TE_COUNTER_NR; i++)
		st->kernel_base[i] = v * 100 + i;
	strcpy(st->prev_id, "0123456789abcdef");
}

static bool same(const struct daemon_state *a, const struct daemon_state *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Write a slot by hand: JSON with a right header. */
static void put_slot(int fd, int slot, const char *json)
{
	struct { uint32_t magic, len; uint64_t hash; } h = {
		0x31534554U, (uint32_t)strlen(json), hash64(json, strlen(json)),
	};

	CHECK(pwrite(fd, &h, sizeof(h), slot * STATE_SLOT) == sizeof(h));
	CHECK(pwrite(fd, json, strlen(json), slot * STATE_SLOT + sizeof(h)) ==
	      (ssize_t)strlen(json));
}

int main(void)
{
	struct state_file f, again;
	struct daemon_state a, b, got;
	char byte;

	CHECK_INT(state_open(&f, -1), 0);
	CHECK_INT(state_read(&f, &got), -ENOENT);
	fill(&a, 7);
	fill(&b, 8);
	CHECK_INT(state_write(&f, &a), 0);
	CHECK_INT(state_read(&f, &got), 0);
	CHECK(same(&got, &a));
	CHECK_INT(state_write(&f, &b), 0);
	CHECK_INT(state_read(&f, &got), 0);
	CHECK(same(&got, &b));

	/* The next process reads the newest, and writes beside it. */
	CHECK_INT(state_open(&again, dup(f.fd)), 0);
	CHECK_INT(state_read(&again, &got), 0);
	CHECK(same(&got, &b));
	CHECK_INT(state_write(&again, &a), 0);
	CHECK_INT(state_read(&f, &got), 0);
	CHECK(same(&got, &a));
	state_close(&again);

	/* A version torn by a kill -9: the other one is read. */
	CHECK_INT(state_write(&f, &b), 0);
	CHECK(pread(f.fd, &byte, 1, (f.seq % 2) * STATE_SLOT + 40) == 1);
	byte ^= 1;
	CHECK(pwrite(f.fd, &byte, 1, (f.seq % 2) * STATE_SLOT + 40) == 1);
	CHECK_INT(state_read(&f, &got), 0);
	CHECK(same(&got, &a));

	/* Whole, but not ours: a missing field, a negative number, another
	 * version, an array too short, trailing bytes, a JSON null. */
	put_slot(f.fd, 0, "{\"version\":1,\"seq\":50}");
	put_slot(f.fd, 1, "{\"version\":2,\"seq\":51}");
	CHECK_INT(state_read(&f, &got), -EBADMSG);
	put_slot(f.fd, 0, "[1,2,3]");
	put_slot(f.fd, 1, "{\"version\":1,\"seq\":-1}");
	CHECK_INT(state_read(&f, &got), -EBADMSG);
	put_slot(f.fd, 1, "{\"version\":1,\"seq\":3} x");
	CHECK_INT(state_read(&f, &got), -EBADMSG);
	put_slot(f.fd, 1, "null");
	CHECK_INT(state_read(&f, &got), -EBADMSG);
	state_close(&f);
	CHECK_DONE();
}
