// SPDX-License-Identifier: GPL-2.0-or-later
/* report.c: trace-exec --report: the execs of a time range counted by executable, user, container, rule, tag and action, failures by error, kill verdicts, first-seen binaries. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "format/entry.h"
#include "format/escape.h"
#include "format/jsonw.h"
#include "history/report.h"
#include "history/timespec.h"

/* Each list's title, column names and JSON key. */
static const struct {
	const char *title;
	const char *cols;	/* tab-separated, as the key's parts */
	const char *json;
} lists[REP_NR] = {
	[REP_EXE] = { "Execs by executable", "EXECUTABLE", "by_executable" },
	[REP_USER] = { "Execs by user", "USER", "by_user" },
	[REP_CONTAINER] = { "Execs by container", "CONTAINER", "by_container" },
	[REP_HOST] = { "Execs by host", "HOST", "by_host" },
	[REP_RULE] = { "Execs by rule", "RULE", "by_rule" },
	[REP_TAG] = { "Execs by tag", "TAG", "by_tag" },
	[REP_ACTION] = { "Execs by action", "ACTION", "by_action" },
	[REP_ERROR] = { "Failed execs by error", "ERROR", "failed_by_error" },
	[REP_KILL] = { "Kill verdicts", "ACTION\tRULE\tEXECUTABLE", "kill_verdicts" },
	[REP_FIRST] = { "Executables, first seen", "EXECUTABLE\tSHA256", "first_seen" },
};

const bool report_fields[HF_NR] = {
	/* who sent it (hist_sender()), what it is */
	[HF_MESSAGE_ID] = true, [HF_SYSLOG_IDENTIFIER] = true, [HF_UID_] = true,
	[HF_PID_] = true, [HF_EXE_] = true, [HF_COMM_] = true, [HF_UNIT_] = true,
	[HF_HOSTNAME_] = true,
	/* what is counted, and what the filters look at */
	[HF_TIMESTAMP] = true, [HF_EXE] = true, [HF_USER] = true, [HF_UID] = true,
	[HF_COMM] = true, [HF_ERROR] = true, [HF_ERRNO] = true, [HF_SHA256] = true,
	[HF_CONTAINER_UNVERIFIED] = true, [HF_CONTAINER_ID] = true,
	[HF_CONTAINER_ID_FULL] = true, [HF_CONTAINER_NAME] = true,
	[HF_K8S_NAMESPACE] = true, [HF_K8S_POD] = true, [HF_K8S_CONTAINER] = true,
	[HF_POLICY_RULE] = true, [HF_POLICY_TAGS] = true, [HF_ACTION] = true,
	[HF_LOST] = true, [HF_FOLDED_COUNT] = true,
};

void report_init(struct report *rp)
{
	memset(rp, 0, sizeof(*rp));
}

void report_free(struct report *rp)
{
	size_t l, i;

	for (l = 0; l < REP_NR; l++) {
		for (i = 0; i < rp->list[l].cap; i++) {
			free(rp->list[l].items[i].key);
			free(rp->list[l].items[i].first_host);
		}
		free(rp->list[l].items);
	}
	sb_free(&rp->key);
	report_init(rp);
}

/* The slot of key in c (an empty one when absent). */
static struct report_item *slot(const struct report_counter *c, const char *key)
{
	size_t i = hash64(key, strlen(key)) & (c->cap - 1);

	while (c->items[i].key && strcmp(c->items[i].key, key))
		i = (i + 1) & (c->cap - 1);
	return &c->items[i];
}

/* Double the table (from 64). 0 or -ENOMEM. */
static int grow(struct report_counter *c)
{
	struct report_counter n = { .cap = c->cap ? c->cap * 2 : 64 };
	size_t i;

	n.items = calloc(n.cap, sizeof(*n.items));
	if (!n.items)
		return -ENOMEM;
	for (i = 0; i < c->cap; i++)
		if (c->items[i].key)
			*slot(&n, c->items[i].key) = c->items[i];
	n.n = c->n;
	free(c->items);
	*c = n;
	return 0;
}

/* Count key n more times, first seen at usec on host. 0 or -ENOMEM. */
static int count_n(struct report_counter *c, const char *key, uint64_t n,
		   uint64_t usec, const char *host)
{
	struct report_item *it;

	if ((c->n + 1) * 10 > c->cap * 7 && grow(c) < 0)
		return -ENOMEM;
	it = slot(c, key);
	if (!it->key) {
		it->key = strdup(key);
		it->first_host = strdup(host ? host : "");
		if (!it->key || !it->first_host) {
			free(it->key);
			free(it->first_host);
			it->key = NULL;
			return -ENOMEM;
		}
		it->first_usec = usec;
		c->n++;
	} else if (usec < it->first_usec) {
		char *h = strdup(host ? host : "");

		if (!h)
			return -ENOMEM;
		free(it->first_host);
		it->first_host = h;
		it->first_usec = usec;
	}
	it->count += n;
	return 0;
}

/* Count key once more, seen at usec on host. 0 or -ENOMEM. */
static int count(struct report_counter *c, const char *key, uint64_t usec,
		 const char *host)
{
	return count_n(c, key, 1, usec, host);
}

int report_merge(struct report *dst, const struct report *src)
{
	const struct report_item *it;
	size_t l, i;
	int r = 0;

	dst->execs += src->execs;
	dst->failed += src->failed;
	dst->folded += src->folded;
	dst->lost += src->lost;
	dst->skipped += src->skipped;
	dst->unverified += src->unverified;
	if (src->first_usec && (!dst->first_usec || src->first_usec < dst->first_usec))
		dst->first_usec = src->first_usec;
	if (src->last_usec > dst->last_usec)
		dst->last_usec = src->last_usec;
	for (l = 0; !r && l < REP_NR; l++) {
		for (i = 0; !r && i < src->list[l].cap; i++) {
			it = &src->list[l].items[i];
			if (it->key)
				r = count_n(&dst->list[l], it->key, it->count,
					    it->first_usec, it->first_host);
		}
	}
	return r;
}

/* Write all n bytes; 0 or negative errno. */
static int write_all(int fd, const void *p, size_t n)
{
	const char *b = p;
	ssize_t w;

	while (n) {
		w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read all n bytes; 0, -EPROTO at an early end, or negative errno. */
static int read_all(int fd, void *p, size_t n)
{
	char *b = p;
	ssize_t got;

	while (n) {
		got = read(fd, b, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -errno : -EPROTO;
		b += got;
		n -= (size_t)got;
	}
	return 0;
}

/* The record of one item: its list (REP_NR ends), count, first time, the
 * lengths of its host and key, then their bytes. */
struct item_rec {
	uint64_t list, count, first_usec, host_len, key_len;
};

int report_write(int fd, const struct report *rp)
{
	uint64_t tot[8] = { rp->execs, rp->failed, rp->folded, rp->lost, rp->skipped,
			    rp->unverified, rp->first_usec, rp->last_usec };
	const struct report_item *it;
	struct item_rec h;
	size_t l, i;
	int r = write_all(fd, tot, sizeof(tot));

	for (l = 0; !r && l < REP_NR; l++) {
		for (i = 0; !r && i < rp->list[l].cap; i++) {
			it = &rp->list[l].items[i];
			if (!it->key)
				continue;
			h = (struct item_rec){ l, it->count, it->first_usec,
					       strlen(it->first_host), strlen(it->key) };
			r = write_all(fd, &h, sizeof(h)) ?:
			    write_all(fd, it->first_host, h.host_len) ?:
			    write_all(fd, it->key, h.key_len);
		}
	}
	h = (struct item_rec){ .list = REP_NR };
	return r ?: write_all(fd, &h, sizeof(h));
}

int report_read_merge(int fd, struct report *dst)
{
	struct report part;
	uint64_t tot[8];
	struct item_rec h;
	char *host = NULL, *key = NULL;
	int r;

	report_init(&part);
	r = read_all(fd, tot, sizeof(tot));
	if (!r) {
		part.execs = tot[0];
		part.failed = tot[1];
		part.folded = tot[2];
		part.lost = tot[3];
		part.skipped = tot[4];
		part.unverified = tot[5];
		part.first_usec = tot[6];
		part.last_usec = tot[7];
	}
	while (!r && !(r = read_all(fd, &h, sizeof(h))) && h.list != REP_NR) {
		if (h.list > REP_NR || h.host_len > 1U << 20 || h.key_len > 1U << 20) {
			r = -EPROTO;
			break;
		}
		host = calloc(1, h.host_len + 1);
		key = calloc(1, h.key_len + 1);
		r = host && key ? 0 : -ENOMEM;
		r = r ?: read_all(fd, host, h.host_len) ?: read_all(fd, key, h.key_len);
		r = r ?: count_n(&part.list[h.list], key, h.count, h.first_usec, host);
		free(host);
		free(key);
	}
	r = r ?: report_merge(dst, &part);
	report_free(&part);
	return r;
}

uint64_t report_count(const struct report *rp, enum report_list l,
		      const char *key)
{
	const struct report_counter *c = &rp->list[l];

	return c->cap ? slot(c, key)->count : 0;
}

/* The parts of a list's key: the kill verdicts' action, rule and
 * executable, first seen's executable and hash; the others are whole. */
static size_t nparts(enum report_list l)
{
	return l == REP_KILL ? 3 : l == REP_FIRST ? 2 : 1;
}

/* Append s as a part of a key: '\\' and the tab that ends a part
 * escaped (a path may hold either). 0 or -ENOMEM. */
static int put_part(struct strbuf *sb, const char *s)
{
	int r = 0;

	for (; !r && *s; s++)
		r = *s == '\\' || *s == '\t' ?
		    sb_putc(sb, '\\') ?: sb_putc(sb, *s == '\t' ? 't' : '\\') :
		    sb_putc(sb, *s);
	return r;
}

/* The key of the n parts (a part NULL is ""), in rp's scratch buffer;
 * NULL on -ENOMEM. */
static const char *key_of(struct report *rp, const char *const *parts, size_t n)
{
	size_t i;
	int r = 0;

	sb_reset(&rp->key);
	for (i = 0; !r && i < n; i++)
		r = (i ? sb_putc(&rp->key, '\t') : 0) ?:
		    put_part(&rp->key, parts[i] ? parts[i] : "") ?:
		    sb_append(&rp->key, "", 0);
	return r ? NULL : rp->key.p;
}

/* The part of a key at *p, unescaped, into part (reset); *p then points
 * after its tab, or is NULL after the last part. 0 or -ENOMEM. */
static int next_part(const char **p, struct strbuf *part)
{
	const char *s = *p;
	int r = 0;
	char c;

	sb_reset(part);
	for (; !r && *s && *s != '\t'; s++) {
		c = *s;
		if (c == '\\' && s[1])
			c = *++s == 't' ? '\t' : *s;
		r = sb_putc(part, c);
	}
	*p = *s == '\t' ? s + 1 : NULL;
	return r ?: sb_append(part, "", 0);
}

/* The container's key: its name, the claim of an unverified one, or the
 * host. */
static const char *container_key(struct report *rp, const struct exec_event *ev)
{
	if (ev->container)
		return ev->container->name[0] ? ev->container->name : ev->container->short_id;
	if (!ev->container_unverified)
		return "(host)";
	sb_reset(&rp->key);
	return sb_printf(&rp->key, "(unverified %.12s)", ev->container_unverified) ?
	       NULL : rp->key.p;
}

/* Count a successful exec in every list. */
static int add_exec(struct report *rp, const struct hist_event *he)
{
	const struct exec_event *ev = &he->ev;
	const char *exe = EXEC_EXE(ev) ? EXEC_EXE(ev) : "(unknown)";
	const char *rule = he->m.name ? he->m.name : "(none)";
	const char *action = he->m.action ? he->m.action : "(none)";
	const char *host = ev->host ? ev->host : "", *k, *t, *e;
	uint64_t ts = ev->timestamp_usec;
	int r;

	rp->execs++;
	r = count(&rp->list[REP_EXE], exe, ts, host);
	r = r ?: count(&rp->list[REP_USER], ev->user ? ev->user : "", ts, host);
	k = container_key(rp, ev);
	r = r ?: (k ? count(&rp->list[REP_CONTAINER], k, ts, host) : -ENOMEM);
	r = r ?: count(&rp->list[REP_HOST], host, ts, host);
	r = r ?: count(&rp->list[REP_RULE], rule, ts, host);
	r = r ?: count(&rp->list[REP_ACTION], action, ts, host);
	for (t = he->m.name ? he->m.tags : NULL; !r && t && *t; t = e ? e + 1 : NULL) {
		e = strchr(t, ',');
		sb_reset(&rp->key);
		r = sb_append(&rp->key, t, e ? (size_t)(e - t) : strlen(t));
		r = r ?: (rp->key.len ? count(&rp->list[REP_TAG], rp->key.p, ts, host) : 0);
	}
	if (!r && he->m.action) {
		const char *parts[] = { action, rule, exe };

		k = key_of(rp, parts, 3);
		r = k ? count(&rp->list[REP_KILL], k, ts, host) : -ENOMEM;
	}
	if (!r) {
		const char *parts[] = { exe, ev->sha256 };

		k = key_of(rp, parts, 2);
		r = k ? count(&rp->list[REP_FIRST], k, ts, host) : -ENOMEM;
	}
	return r;
}

int report_add(struct report *rp, const struct hist_event *he)
{
	const char *id = hist_value(he, HF_MESSAGE_ID);
	const struct exec_event *ev = &he->ev;
	char *end;

	if (!strcmp(id, MSGID_LOST)) {
		rp->lost += strtoull(hist_value(he, HF_LOST), &end, 10);
		return 0;
	}
	if (!strcmp(id, MSGID_EXEC_FOLDED)) {
		rp->folded += strtoull(hist_value(he, HF_FOLDED_COUNT), &end, 10);
		return 0;
	}
	if (!rp->first_usec || ev->timestamp_usec < rp->first_usec)
		rp->first_usec = ev->timestamp_usec;
	if (ev->timestamp_usec > rp->last_usec)
		rp->last_usec = ev->timestamp_usec;
	if (ev->failed) {
		rp->failed++;
		return count(&rp->list[REP_ERROR], hist_value(he, HF_ERROR),
			     ev->timestamp_usec, ev->host);
	}
	return add_exec(rp, he);
}

/* Most counted first, then by key; first seen: earliest first. */
static int by_count(const void *a, const void *b)
{
	const struct report_item *x = *(const struct report_item *const *)a;
	const struct report_item *y = *(const struct report_item *const *)b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int by_first(const void *a, const void *b)
{
	const struct report_item *x = *(const struct report_item *const *)a;
	const struct report_item *y = *(const struct report_item *const *)b;

	if (x->first_usec != y->first_usec)
		return x->first_usec < y->first_usec ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The list's items in report order (the caller frees the array); NULL
 * on -ENOMEM or when empty. */
static struct report_item **sorted(const struct report_counter *c,
				   enum report_list l)
{
	struct report_item **v;
	size_t i, n = 0;

	if (!c->n || !(v = malloc(c->n * sizeof(*v))))
		return NULL;
	for (i = 0; i < c->cap; i++)
		if (c->items[i].key)
			v[n++] = &c->items[i];
	qsort(v, n, sizeof(*v), l == REP_FIRST ? by_first : by_count);
	return v;
}

/* One cell: the text for display, padded to width (0: none). */
static int cell(struct strbuf *out, const char *s, size_t len, size_t width)
{
	size_t old = out->len;
	int r = escape_text(out, s, len);

	while (!r && out->len - old < width)
		r = sb_putc(out, ' ');
	return r;
}

/* The key's parts as cells (first seen's hash short), and the end of
 * the line. */
static int table_cols(struct strbuf *out, const char *key, enum report_list l)
{
	struct strbuf part = STRBUF_INIT;
	const char *p = key;
	size_t k, n = nparts(l);
	int r = 0;

	for (k = 0; !r && k < n; k++) {
		r = n == 1 ? sb_puts(&part, key) ?: sb_append(&part, "", 0) :
		    next_part(&p, &part);
		if (r)
			break;
		if (l == REP_FIRST && k == 1)
			r = sb_printf(out, "  %.12s", part.p[0] ? part.p : "-");
		else
			r = cell(out, part.p, part.len, k + 1 < n && l != REP_FIRST ? 16 : 0) ?:
			    (k + 1 < n && l != REP_FIRST ? sb_puts(out, "  ") : 0);
		sb_reset(&part);
	}
	sb_free(&part);
	return r ?: sb_putc(out, '\n');
}

/* A line: the count (and, first seen, when and where), then the key. */
static int table_line(struct strbuf *out, const struct report_item *it,
		      enum report_list l)
{
	char tb[HIST_TIME_LEN];
	int r = sb_printf(out, "  %10llu  ", (unsigned long long)it->count);

	if (!r && l == REP_FIRST)
		r = sb_printf(out, "%s  ", hist_format_time(tb, it->first_usec, false)) ?:
		    cell(out, it->first_host, strlen(it->first_host), 12) ?:
		    sb_puts(out, "  ");
	return r ?: table_cols(out, it->key, l);
}

/* One section of the table. */
static int table_section(struct strbuf *out, struct report *rp,
			 enum report_list l, size_t top)
{
	struct report_item **v = sorted(&rp->list[l], l);
	size_t i, n = rp->list[l].n;
	int r;

	r = sb_printf(out, "\n%s (%zu):\n  %10s  %s", lists[l].title, n, "COUNT",
		      l == REP_FIRST ? "FIRST SEEN           HOST          " : "");
	r = r ?: table_cols(out, lists[l].cols, l);
	for (i = 0; !r && v && i < n && (!top || i < top); i++)
		r = table_line(out, v[i], l);
	if (!r && v && top && n > top)
		r = sb_printf(out, "  ... %zu more\n", n - top);
	if (n && !v)
		r = -ENOMEM;
	free(v);
	return r;
}

/* The range as text ("..." for an open end). */
static int put_range(struct strbuf *out, const struct report *rp)
{
	char a[HIST_TIME_LEN], b[HIST_TIME_LEN];

	return sb_printf(out, "%s to %s",
			 rp->since ? hist_format_time(a, rp->since, false) : "the start",
			 rp->until ? hist_format_time(b, rp->until, false) : "now");
}

int report_table(struct strbuf *out, struct report *rp, size_t top)
{
	size_t l;
	int r;

	r = sb_puts(out, "trace-exec report: ") ?: put_range(out, rp) ?:
	    sb_printf(out, "\n%llu execs, %llu failed, %llu failed folded past a budget, "
		      "%llu lost; %llu entries of other senders skipped",
		      (unsigned long long)rp->execs, (unsigned long long)rp->failed,
		      (unsigned long long)rp->folded, (unsigned long long)rp->lost,
		      (unsigned long long)rp->skipped);
	if (!r && rp->unverified)
		r = sb_printf(out, ", %llu of unverified sender counted",
			      (unsigned long long)rp->unverified);
	r = r ?: sb_putc(out, '\n');
	for (l = 0; !r && l < REP_NR; l++)
		r = table_section(out, rp, l, top);
	return r;
}

/* One list as a JSON array of objects. */
static int json_list(struct jsonw *w, struct report *rp, enum report_list l,
		     size_t top)
{
	static const char *const names[REP_NR][3] = {
		[REP_KILL] = { "action", "rule", "executable" },
		[REP_FIRST] = { "executable", "sha256" },
	};
	struct report_item **v = sorted(&rp->list[l], l);
	size_t i, k, n = rp->list[l].n;
	struct strbuf part = STRBUF_INIT;
	const char *p;

	jw_array_begin(w, lists[l].json);
	for (i = 0; v && i < n && (!top || i < top); i++) {
		jw_object_begin(w);
		if (nparts(l) == 1)
			jw_cstr(w, "value", v[i]->key);
		for (p = v[i]->key, k = 0; nparts(l) > 1 && k < nparts(l); k++) {
			if (next_part(&p, &part))
				w->err = w->err ?: -ENOMEM;
			jw_str(w, names[l][k], part.p ? part.p : "", part.len);
		}
		jw_u64(w, "count", v[i]->count);
		if (l == REP_FIRST) {
			jw_u64(w, "first_usec", v[i]->first_usec);
			jw_cstr(w, "first_host", v[i]->first_host);
		}
		jw_object_end(w);
	}
	if (n && !v)
		w->err = w->err ?: -ENOMEM;
	free(v);
	sb_free(&part);
	return jw_array_end(w);
}

int report_json(struct strbuf *out, struct report *rp, size_t top)
{
	struct jsonw w;
	size_t l;
	int r;

	jw_init(&w, out);
	jw_object_begin(&w);
	jw_u64(&w, "since_usec", rp->since);
	jw_u64(&w, "until_usec", rp->until);
	jw_u64(&w, "first_usec", rp->first_usec);
	jw_u64(&w, "last_usec", rp->last_usec);
	jw_u64(&w, "execs", rp->execs);
	jw_u64(&w, "failed", rp->failed);
	jw_u64(&w, "failed_folded", rp->folded);
	jw_u64(&w, "lost", rp->lost);
	jw_u64(&w, "skipped_other_senders", rp->skipped);
	jw_u64(&w, "unverified_sender", rp->unverified);
	for (l = 0; l < REP_NR; l++)
		json_list(&w, rp, l, top);
	r = jw_object_end(&w);
	return r ?: sb_putc(out, '\n');
}
