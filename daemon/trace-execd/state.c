// SPDX-License-Identifier: GPL-2.0-or-later
/* state.c: the counts trace-execd hands to its next process: a small JSON document in a memfd that systemd's fd store keeps. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "core/log.h"
#include "core/util.h"
#include "core/statefile.h"
#include "trace-execd/state.h"

#define STATE_VERSION 1
#define STATE_MAGIC 0x31534554U		/* "TES1" */

/* A version's header in its slot, the JSON after it. */
struct slot_head {
	uint32_t magic;
	uint32_t len;
	uint64_t hash;
};
#define STATE_JSON_MAX (STATE_SLOT - sizeof(struct slot_head))

/* The numbers of the document, each once for writing and reading. */
static const struct {
	const char *name;
	size_t off, count;
} fields[] = {
#define ONE(f) { #f, offsetof(struct daemon_state, n.f), 1 }
	ONE(events), ONE(bad), ONE(filtered), ONE(dropped), ONE(suppressed),
	ONE(written), ONE(journal_lost), ONE(format_lost),
#undef ONE
	{ "syslog_lost", offsetof(struct daemon_state, syslog_lost), 1 },
	{ "reported", offsetof(struct daemon_state, reported), LOST_NR },
	{ "kernel_base", offsetof(struct daemon_state, kernel_base), TE_COUNTER_NR },
};

static uint64_t *field(const struct daemon_state *st, size_t i)
{
	return (uint64_t *)((char *)st + fields[i].off);
}

int state_open(struct state_file *f, int fd)
{
	int r;

	f->seq = 0;
	f->fd = fd;
	if (fd >= 0)
		return 0;
	f->fd = memfd_create("trace-execd-state", MFD_CLOEXEC);
	if (f->fd < 0 || ftruncate(f->fd, 2 * STATE_SLOT) < 0) {
		r = -errno;
		log_error("creating the state memfd failed: %s", strerror(-r));
		return r;
	}
	return 0;
}

void state_close(struct state_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* The document of st, version seq. */
static json_object *to_json(const struct daemon_state *st, uint64_t seq)
{
	json_object *o = json_object_new_object(), *a;
	size_t i, k;

	json_object_object_add(o, "version", json_object_new_int(STATE_VERSION));
	json_object_object_add(o, "seq", json_object_new_uint64(seq));
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (fields[i].count == 1) {
			json_object_object_add(o, fields[i].name,
					       json_object_new_uint64(*field(st, i)));
			continue;
		}
		a = json_object_new_array();
		for (k = 0; k < fields[i].count; k++)
			json_object_array_add(a, json_object_new_uint64(field(st, i)[k]));
		json_object_object_add(o, fields[i].name, a);
	}
	json_object_object_add(o, "prev", json_object_new_string(st->prev_id));
	return o;
}

int state_write(struct state_file *f, const struct daemon_state *st)
{
	char buf[STATE_SLOT];
	struct slot_head h = { .magic = STATE_MAGIC };
	json_object *o = to_json(st, f->seq + 1);
	const char *s;
	size_t len;
	int r = 0;

	s = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
	if (!s || len > STATE_JSON_MAX) {
		r = s ? -EFBIG : -ENOMEM;
		goto out;
	}
	h.len = (uint32_t)len;
	h.hash = hash64(s, len);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), s, len);
	f->seq++;
	if (pwrite(f->fd, buf, sizeof(h) + len, (off_t)(f->seq % 2) * STATE_SLOT) < 0)
		r = -errno;
out:
	json_object_put(o);
	return r;
}

/* Fill st from the document o: false when it is not a whole one. */
static bool from_json(const json_object *o, struct daemon_state *st, uint64_t *seq)
{
	const json_object *v;
	const char *prev;
	uint64_t ver;
	size_t i, k;

	if (!statefile_get_u64(o, "version", &ver) || ver != STATE_VERSION ||
	    !statefile_get_u64(o, "seq", seq))
		return false;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		v = statefile_get(o, fields[i].name);
		if (fields[i].count == 1) {
			if (!statefile_u64(v, field(st, i)))
				return false;
			continue;
		}
		if (!json_object_is_type(v, json_type_array) ||
		    json_object_array_length(v) != fields[i].count)
			return false;
		for (k = 0; k < fields[i].count; k++)
			if (!statefile_u64(statefile_at(v, k), &field(st, i)[k]))
				return false;
	}
	prev = statefile_get_str(o, "prev");
	if (!prev || strlen(prev) >= sizeof(st->prev_id))
		return false;
	strcpy(st->prev_id, prev);
	return true;
}

/* The version in slot i: 1 when whole (and its seq), 0 when the slot was
 * never written, -EBADMSG otherwise. */
static int read_slot(struct state_file *f, int i, struct daemon_state *st,
		     uint64_t *seq)
{
	char buf[STATE_SLOT];
	struct slot_head h;
	json_object *o;
	bool ok;

	if (pread(f->fd, buf, sizeof(buf), (off_t)i * STATE_SLOT) != sizeof(buf))
		return -EBADMSG;
	memcpy(&h, buf, sizeof(h));
	if (!h.magic && !h.len && !h.hash)
		return 0;
	if (h.magic != STATE_MAGIC || h.len > STATE_JSON_MAX ||
	    hash64(buf + sizeof(h), h.len) != h.hash)
		return -EBADMSG;
	if (statefile_parse(buf + sizeof(h), h.len, &o) < 0)
		return -EBADMSG;
	ok = o && from_json(o, st, seq);
	json_object_put(o);
	return ok ? 1 : -EBADMSG;
}

int state_read(struct state_file *f, struct daemon_state *st)
{
	struct daemon_state got[2];
	uint64_t seq[2] = { 0, 0 };
	int r[2], i;

	for (i = 0; i < 2; i++) {
		memset(&got[i], 0, sizeof(got[i]));
		r[i] = read_slot(f, i, &got[i], &seq[i]);
	}
	if (r[0] != 1 && r[1] != 1) {
		if (!r[0] && !r[1])
			return -ENOENT;
		log_warn("the stored state holds no whole version: its counts are lost");
		return -EBADMSG;
	}
	i = r[1] == 1 && (r[0] != 1 || seq[1] > seq[0]);
	*st = got[i];
	f->seq = seq[i];
	return 0;
}

void state_get(struct daemon_state *st, const struct pipeline *p)
{
	st->n = p->n;
	st->syslog_lost = p->sinks.syslog_lost;
	memcpy(st->reported, p->reported, sizeof(st->reported));
}

void state_put(const struct daemon_state *st, struct pipeline *p)
{
	p->n = st->n;
	p->sinks.syslog_lost = st->syslog_lost;
	memcpy(p->reported, st->reported, sizeof(p->reported));
}
