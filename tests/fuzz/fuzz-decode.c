// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-decode.c: libFuzzer target: any bytes as a ring-buffer record, through the decoder and every formatter. */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core/decode.h"
#include "format/entry.h"
#include "format/escape.h"
#include "sink/journal.h"
#include "core/statefile.h"
#include "format/event-entry.h"
#include "format/event-json.h"
#include "format/event-table.h"
#include "format/event-text.h"
#include "format/fields.h"
#include "sink/syslog5424.h"
#include "format/table.h"
#include "trace_exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)

static const char *cur_field = "";

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-decode.c:%d: invariant broken (field '%s'): %s\n",
		line, cur_field, what);
	abort();
}

/* Metadata with every hostile byte a runtime or /etc/passwd could hold. */
static struct container hostile_ctr = {
	.id = "1d75b0cfd87f42282279171946bc938455a1939bf01704139922936d87b0f37d",
	.short_id = "1d75b0cfd87f",
	.name = "web\nEXEC_UID=0\"] [x@1 a=\"b",
	.image = "img\xff\xfe\x1b[2J",
	.runtime = "docker",
	.k8s_namespace = "ns\r\nPRIORITY=0",
	.k8s_pod = "\xe2\x80\xae" "pod",
};

/* The schema's fields, in order, as every output must carry them. */
struct want {
	struct field f[256];
	size_t n;
};

/* Values may live on the caller's stack (EXEC_ERROR): keep copies. */
static int collect(void *ctx, const struct field *f)
{
	struct want *w = ctx;
	struct field *c;

	if (f->kind == FIELD_ARGS_JSON)
		return 0;	/* log entries only, not in the JSON line */
	CHECK(w->n < 256);
	c = &w->f[w->n++];
	*c = *f;
	if (f->kind == FIELD_STR) {
		c->s = malloc(f->len + 1);
		CHECK(c->s);
		memcpy((char *)c->s, f->s, f->len);
		((char *)c->s)[f->len] = '\0';
	}
	return 0;
}

static void want_free(struct want *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->f[i].kind == FIELD_STR)
			free((char *)w->f[i].s);
	w->n = 0;
}

/* Code point cp as UTF-8 into o (at most three bytes); returns its length. */
static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	o[0] = (char)(0xe0 | cp >> 12);
	o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* Decode an EXEC_ARGV string the way tests/unescape-argv.py does. */
static void check_argv(const struct exec_event *ev)
{
	const char *s = ev->argv_str, *end = s + strlen(s);
	struct strbuf a = STRBUF_INIT;
	size_t n = 0;

	CHECK(utf8_valid(s, strlen(s)));
	while (s < end) {
		sb_reset(&a);
		CHECK(a.p || sb_grow(&a, 0) == 0);
		if (*s != '"') {
			while (s < end && *s != ' ')
				CHECK(sb_putc(&a, *s++) == 0);
		} else {
			for (s++; ; ) {
				char o[4];

				CHECK(s < end);
				if (*s == '"')
					break;
				if (*s != '\\') {
					CHECK((unsigned char)*s >= 0x20 && *s != 0x7f);
					CHECK(sb_putc(&a, *s++) == 0);
					continue;
				}
				CHECK(s + 1 < end);
				switch (s[1]) {
				case 'x':
					CHECK(s + 3 < end && hex_value(s[2]) >= 0 && hex_value(s[3]) >= 0);
					o[0] = (char)(hex_value(s[2]) << 4 | hex_value(s[3]));
					CHECK(sb_append(&a, o, 1) == 0);
					s += 4;
					continue;
				case 'u': {
					uint32_t cp = 0;
					int k;

					CHECK(s + 5 < end);
					for (k = 2; k < 6; k++) {
						CHECK(hex_value(s[k]) >= 0);
						cp = cp << 4 | (uint32_t)hex_value(s[k]);
					}
					CHECK(sb_append(&a, o, put_utf8(o, cp)) == 0);
					s += 6;
					continue;
				}
				case 'n': o[0] = '\n'; break;
				case 't': o[0] = '\t'; break;
				case 'r': o[0] = '\r'; break;
				case 'a': o[0] = '\a'; break;
				case 'b': o[0] = '\b'; break;
				case 'f': o[0] = '\f'; break;
				case 'v': o[0] = '\v'; break;
				case 'e': o[0] = 0x1b; break;
				case '"': o[0] = '"'; break;
				case '\\': o[0] = '\\'; break;
				default: CHECK(!"unknown escape");
				}
				CHECK(sb_append(&a, o, 1) == 0);
				s += 2;
			}
			s++;
		}
		CHECK(n < ev->nargs);
		CHECK(a.len == ev->arglens[n] && !memcmp(a.p, ev->args[n], a.len));
		n++;
		if (s < end) {
			CHECK(*s == ' ');
			s++;
			CHECK(s < end);
		}
	}
	CHECK(n == ev->nargs);
	sb_free(&a);
}

/* A JSON value is the string of these bytes (or the array of them). */
static void check_json_str(struct json_object *v, const char *s, size_t len)
{
	struct json_object *b;
	size_t i;

	if (utf8_valid(s, len)) {
		CHECK(statefile_str(v) && (size_t)json_object_get_string_len(v) == len &&
		      !memcmp(statefile_str(v), s, len));
		return;
	}
	CHECK(json_object_is_type(v, json_type_array) && json_object_array_length(v) == len);
	for (i = 0; i < len; i++) {
		b = statefile_at(v, i);
		CHECK(json_object_is_type(b, json_type_int) &&
		      json_object_get_int64(b) == (unsigned char)s[i]);
	}
}

/* One line, one object, exactly the schema's fields and values. */
static void check_json(const struct exec_event *ev, const struct want *w,
		       const struct strbuf *out)
{
	struct json_object *doc;
	size_t i = 0, k;

	CHECK(out->len && out->p[out->len - 1] == '\n');
	CHECK(memchr(out->p, '\n', out->len) == out->p + out->len - 1);
	CHECK(statefile_parse(out->p, out->len - 1, &doc) == 0);
	/* Members in order; a repeated key would shorten the object. */
	CHECK(json_object_is_type(doc, json_type_object) &&
	      (size_t)json_object_object_length(doc) == w->n);
	json_object_object_foreach(doc, key, val) {
		const struct field *f = &w->f[i++];

		cur_field = f->name;
		CHECK(!strcmp(key, f->name));
		switch (f->kind) {
		case FIELD_STR:
			check_json_str(val, f->s, f->len);
			break;
		case FIELD_U64:
			CHECK(json_object_is_type(val, json_type_int) &&
			      json_object_get_uint64(val) == f->u);
			break;
		case FIELD_ARGS_JSON:
			CHECK(0);
			break;
		case FIELD_ARGS:
			CHECK(json_object_is_type(val, json_type_array) &&
			      json_object_array_length(val) == ev->nargs);
			for (k = 0; k < ev->nargs; k++)
				check_json_str(statefile_at(val, k), ev->args[k],
					       ev->arglens[k]);
			break;
		}
	}
	json_object_put(doc);
}

static bool journal_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n || n > 64 || s[0] == '_' || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

/* Read the native protocol back the way journald does: the same fields. */
static void check_journal(const struct entry *e, const struct strbuf *b)
{
	const char *p = b->p, *end = b->p + b->len;
	size_t i = 0;

	CHECK(e->n + 5 <= 1024);
	while (p < end) {
		const char *name = p, *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eq, *val;
		size_t nlen, vlen;

		CHECK(nl);
		eq = memchr(p, '=', (size_t)(nl - p));
		if (eq) {
			nlen = (size_t)(eq - p);
			val = eq + 1;
			vlen = (size_t)(nl - val);
			p = nl + 1;
		} else {
			uint64_t le;

			nlen = (size_t)(nl - p);
			CHECK(end - nl - 1 >= 9);
			memcpy(&le, nl + 1, 8);
			vlen = (size_t)le64toh(le);
			val = nl + 9;
			CHECK(vlen < (size_t)(end - val) && val[vlen] == '\n');
			p = val + vlen + 1;
		}
		CHECK(journal_name_ok(name, nlen));
		if (i >= 5) {
			const struct entry_field *f = &e->f[i - 5];

			CHECK(i - 5 < e->n);
			CHECK(strlen(f->name) == nlen && !memcmp(f->name, name, nlen));
			CHECK(f->len == vlen && !memcmp(f->val, val, vlen));
		}
		i++;
	}
	CHECK(i == e->n + 5);
}

/* RFC 5424: one printable line; every field a PARAM with the escaped text. */
static void check_syslog(const struct entry *e, const struct strbuf *m)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	const char *p, *end = m->p + m->len;
	size_t i;

	for (i = 0; i < m->len; i++)
		CHECK((unsigned char)m->p[i] >= 0x20 && m->p[i] != 0x7f);
	CHECK(utf8_valid(m->p, m->len));
	if (strstr(m->p, " SYSLOG_TRUNCATED=\"1\"] ")) {
		/* the short form: values cut, so compared no further; it
		 * stays a size one datagram carries */
		CHECK(m->len < 4 * SYSLOG_MSG_MAX);
		return;
	}
	CHECK(m->len <= SYSLOG_MSG_MAX);
	p = strstr(m->p, " [" SYSLOG_SD_ID " MESSAGE_ID=\"");
	CHECK(p);
	p += strlen(" [" SYSLOG_SD_ID " MESSAGE_ID=\"");
	p = strchr(p, '"');
	CHECK(p);
	p++;
	for (i = 0; i < e->n; i++) {
		size_t nlen = strlen(e->f[i].name);

		CHECK(p < end && *p == ' ');
		p++;
		CHECK((size_t)(end - p) > nlen + 2 && !memcmp(p, e->f[i].name, nlen) &&
		      p[nlen] == '=' && p[nlen + 1] == '"');
		p += nlen + 2;
		sb_reset(&got);
		CHECK(sb_grow(&got, 0) == 0);
		while (p < end && *p != '"') {
			if (*p == '\\') {
				CHECK(p + 1 < end && (p[1] == '"' || p[1] == '\\' || p[1] == ']'));
				p++;
			} else {
				CHECK(*p != ']');
			}
			CHECK(sb_putc(&got, *p++) == 0);
		}
		CHECK(p < end);
		p++;
		sb_reset(&want);
		CHECK(escape_text(&want, e->f[i].val, e->f[i].len) == 0);
		CHECK(sb_grow(&want, 0) == 0);
		cur_field = e->f[i].name;
		if (got.len != want.len || memcmp(got.p, want.p, got.len))
			fprintf(stderr, "syslog: got '%s', want '%s'\n", got.p, want.p);
		CHECK(got.len == want.len && !memcmp(got.p, want.p, got.len));
	}
	CHECK(end - p >= 2 && p[0] == ']' && p[1] == ' ');
	sb_free(&want);
	sb_free(&got);
}

static void check_paths(const struct te_event *raw, const struct exec_event *ev)
{
	static const int map[TE_PATH_NR] = {
		EXEC_PATH_CWD, EXEC_PATH_FILE, EXEC_PATH_EXE,
		EXEC_PATH_PARENT_EXE, EXEC_PATH_CGROUP,
	};
	int i;

	for (i = 0; i < TE_PATH_NR; i++) {
		const struct exec_path *p = &ev->path[map[i]];
		unsigned int fl = raw->paths[i].flags;

		if (!(fl & TE_P_PRESENT)) {
			CHECK(!p->s && !p->truncated);
			continue;
		}
		CHECK(p->s && p->s[p->len] == '\0' && strlen(p->s) == p->len);
		CHECK(p->truncated == !!(fl & TE_P_TRUNCATED));
		/* A cut walk starts with the mark ("…" alone: nothing fitted). */
		if ((fl & TE_P_COMPONENTS) && (fl & TE_P_TRUNCATED))
			CHECK(p->len >= 3 && !memcmp(p->s, "\xe2\x80\xa6", 3) &&
			      (p->len == 3 || p->s[3] == '/' ||
			       ((fl & TE_P_DELETED) && p->len == 13)));
		else if (fl & TE_P_COMPONENTS)
			CHECK(p->s[0] == '/');
		if ((fl & TE_P_COMPONENTS) && (fl & TE_P_DELETED))
			CHECK(p->len >= 10 && !memcmp(p->s + p->len - 10, " (deleted)", 10));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct decoder dec;
	static bool init;
	static struct entry e;
	static struct event_text text;
	struct strbuf out = STRBUF_INIT;
	struct rule_match x = { .name = "rule\nX=1", .tags = "t1,\"t2\"" };
	const struct te_event *raw;
	struct journal j;
	struct table t;
	struct exec_event ev;
	struct want w = { .n = 0 };
	void *rec;
	size_t i, bytes;
	int r;

	if (!init) {
		decoder_init(&dec);
		event_text_init(&text);
		entry_init(&e);
		init = true;
	}
	/* An exact-size copy: any read past the record is caught. */
	rec = malloc(size ? size : 1);
	CHECK(rec);
	memcpy(rec, data, size);
	raw = rec;
	r = decode_event(&dec, rec, size, &ev);
	if (r == 0)
		r = event_text_fill(&text, &ev);
	if (r < 0) {
		CHECK(r == -EBADMSG || r == -ENOMEM);
		free(rec);
		return 0;
	}
	CHECK(ev.argc >= ev.nargs);
	for (i = 0, bytes = 0; i < ev.nargs; i++) {
		CHECK(!memchr(ev.args[i], '\0', ev.arglens[i]));
		bytes += ev.arglens[i] + 1;
	}
	CHECK(bytes <= raw->args_size + 1);
	check_argv(&ev);
	check_paths(raw, &ev);

	ev.user = ev.uid & 1 ? "root" : "us\ner\"]";
	ev.group = "grp";
	ev.loginuser = ev.loginuid & 1 ? "uid:4294967295" : "lo\xffgin";
	ev.container = ev.pid & 1 ? &hostile_ctr : NULL;
	ev.container_unverified = ev.pid & 2 && !ev.container ? hostile_ctr.id : NULL;
	CHECK(event_fields(&ev, ev.tid & 1 ? &x : NULL, collect, &w) == 0);

	CHECK(event_json(&out, &ev, ev.tid & 1 ? &x : NULL) == 0);
	check_json(&ev, &w, &out);
	want_free(&w);

	entry_begin(&e, ev.failed ? MSGID_EXEC_FAILED : MSGID_EXEC, LOG_INFO);
	CHECK(entry_from_event(&e, &ev, ev.tid & 1 ? &x : NULL) == 0);
	/* MESSAGE is one printable line, whatever the names hold. */
	CHECK(e.message.p && utf8_valid(e.message.p, e.message.len));
	for (i = 0; i < e.message.len; i++)
		CHECK((unsigned char)e.message.p[i] >= 0x20 && e.message.p[i] != 0x7f);
	memset(&j, 0, sizeof(j));
	j.out.fd = -1;
	backlog_set_max(&j.out, 0);
	CHECK(journal_queue_entry(&j, &e, LOG_AUTHPRIV, true) == 0);
	CHECK(backlog_entries(&j.out) == 1 && backlog_bytes(&j.out) == j.entry.len);
	check_journal(&e, &j.entry);
	journal_close(&j);

	sb_reset(&out);
	CHECK(syslog5424_format(&out, &e, LOG_AUTHPRIV, ev.timestamp_usec,
				"host", 42) == 0);
	check_syslog(&e, &out);

	for (i = 0; i < 2; i++) {
		sb_reset(&out);
		CHECK(event_table_init(&t, i, i, i == 1, i ? 0 : 100) == 0);
		CHECK(event_table_row(&out, &t, &ev) == 0);
		CHECK(out.len && out.p[out.len - 1] == '\n');
		CHECK(memchr(out.p, '\n', out.len) == out.p + out.len - 1);
		CHECK(utf8_valid(out.p, out.len));
	}
	sb_free(&out);
	free(rec);
	return 0;
}
