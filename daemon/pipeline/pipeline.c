// SPDX-License-Identifier: GPL-2.0-or-later
/* pipeline.c: one event's way, the same in both programs: decode, enrich, select, judge, write; and the count of every loss. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "enrich/enrich.h"
#include "enrich/first-seen.h"
#include "enrich/hash.h"
#include "format/event-entry.h"
#include "format/event-json.h"
#include "format/event-table.h"
#include "pipeline/pipeline.h"

void pipeline_init(struct pipeline *p)
{
	memset(p, 0, sizeof(*p));
	decoder_init(&p->dec);
	event_text_init(&p->text);
	sinks_init(&p->sinks);
	entry_init(&p->entry);
	p->lost_report_usec = 10000000;
	p->last_lost_report = clock_usec(CLOCK_MONOTONIC);
}

/* The journal hands entries to journald: the records they came from can
 * leave the ring. */
static void on_handover(void *ctx, uint64_t mark, bool sent)
{
	struct pipeline *p = ctx;

	tracer_handover(p->tracer, mark, sent);
}

void pipeline_set_tracer(struct pipeline *p, struct tracer *t)
{
	p->tracer = t;
	p->sinks.journal.out.handover = on_handover;
	p->sinks.journal.out.handover_ctx = p;
}

/* No entry waits for journald: every record read can leave the ring
 * (those without an entry, dropped or filtered, included). */
static void release_delivered(struct pipeline *p)
{
	if (p->tracer && !backlog_entries(&p->sinks.journal.out))
		tracer_release_read(p->tracer);
}

void pipeline_free(struct pipeline *p)
{
	decoder_free(&p->dec);
	event_text_free(&p->text);
	sinks_close(&p->sinks);
	entry_free(&p->entry);
	stdout_sink_free(&p->out);
	enforce_free(&p->enforce);
}

int pipeline_set_echo(struct pipeline *p, enum te_stdout_fmt fmt, bool paths,
		      bool lineage, bool k8s)
{
	int r;

	p->echo = fmt;
	if (fmt != TE_STDOUT_TABLE)
		return 0;
	r = event_table_init(&p->table, paths, lineage, k8s,
			     table_term_width(STDOUT_FILENO));
	return r ? r : table_header(&p->out.buf, &p->table);
}

int pipeline_echo_format(const char *opt, const char *arg, enum te_stdout_fmt *fmt)
{
	if (!strcmp(arg, "table"))
		*fmt = TE_STDOUT_TABLE;
	else if (!strcmp(arg, "json"))
		*fmt = TE_STDOUT_JSON;
	else {
		log_error("%s: '%s' is not table or json", opt, arg);
		return -EINVAL;
	}
	return 0;
}

/* Print an event on stdout as the echo format says. */
static void echo_event(struct pipeline *p, const struct exec_event *ev,
		       const struct rule_match *m)
{
	if (p->echo == TE_STDOUT_JSON)
		event_json(&p->out.buf, ev, m);
	else
		event_table_row(&p->out.buf, &p->table, ev);
	stdout_sink_spill(&p->out);
}

/* Queue the event's entry for the sinks; one that cannot be built is
 * lost to them all (format_lost). */
static void write_entry(struct pipeline *p, const struct exec_event *ev,
			const struct rule_match *m, int priority)
{
	const char *id = ev->failed ? MSGID_EXEC_FAILED : MSGID_EXEC;
	int r;

	if (ev->kill_action == TE_KA_KILLED)
		id = MSGID_EXEC_KILLED;
	else if (ev->kill_action == TE_KA_WOULD_KILL)
		id = MSGID_EXEC_WOULD_KILL;
	entry_begin(&p->entry, id, priority);
	r = entry_from_event(&p->entry, ev, m);
	if (r < 0) {
		p->n.format_lost++;
		return;
	}
	sinks_write(&p->sinks, &p->entry, ev->timestamp_usec, SINK_QUEUE);
	p->n.written++;	/* less what pipeline_flush() finds failed */
}

/* Decode, enrich, select, judge and write one record. */
static void handle(struct pipeline *p, const void *data, size_t size)
{
	struct rule_match m = { 0 };
	struct exec_event ev;
	struct verdict v;
	uint64_t now;

	p->n.events++;
	if (decode_event(&p->dec, data, size, &ev) < 0 ||
	    event_text_fill(&p->text, &ev) < 0) {
		p->n.bad++;
		return;
	}
	now = clock_usec(CLOCK_MONOTONIC);
	enrich_event(p->enricher, &ev, now);
	enforce_container(&p->enforce, p->tracer, &ev);
	/* waits at most hash_wait, in order: no event is held back */
	if (p->hasher)
		hash_event(p->hasher, &ev);
	/* recorded whatever the policy does with the event */
	if (p->hasher && p->first_seen)
		first_seen_event(p->first_seen, &ev);
	if (p->select && !p->select(p->select_ctx, &ev)) {
		p->n.filtered++;
		return;
	}
	policy_eval(p->policy, &ev, now, &v);
	m.action = enforce_verdict(&p->enforce, &ev, &v);
	if (v.drop || v.suppressed) {
		p->n.dropped += v.drop;
		p->n.suppressed += v.suppressed;
		return;
	}
	m.name = v.rule;
	m.tags = v.tags;
	if (p->echo != TE_STDOUT_NONE)
		echo_event(p, &ev, v.rule || m.action ? &m : NULL);
	if (sinks_any(&p->sinks))
		write_entry(p, &ev, &m, v.priority);
	else
		p->n.written++;
}

int pipeline_event(void *ctx, const void *data, size_t size)
{
	struct pipeline *p = ctx;

	p->sinks.journal.out.mark = tracer_mark(p->tracer);
	handle(p, data, size);
	if (p->finishing)
		return 0;
	p->batch_bytes += size;
	if (++p->batch >= PIPELINE_BATCH ||
	    p->batch_bytes >= PIPELINE_BATCH_BYTES || sinks_full(&p->sinks) ||
	    clock_usec(CLOCK_MONOTONIC) - p->batch_start >= PIPELINE_BATCH_USEC)
		return TRACER_PAUSE;
	return 0;
}

/* A new read of the ring: its records, bytes and time count from 0. */
static void new_batch(struct pipeline *p)
{
	p->batch = 0;
	p->batch_bytes = 0;
	p->batch_start = clock_usec(CLOCK_MONOTONIC);
}

bool pipeline_blocked(const struct pipeline *p)
{
	return sinks_full(&p->sinks);
}

int pipeline_wait_ms(const struct pipeline *p)
{
	int j = sinks_wait_ms(&p->sinks), t;

	if (pipeline_blocked(p) || !p->tracer)
		return j;
	t = tracer_wait_ms(p->tracer);
	if (t < 0 || (j >= 0 && j < t))
		return j;
	return t;
}

int pipeline_read(struct pipeline *p)
{
	int n;

	if (pipeline_blocked(p))
		return 0;
	new_batch(p);
	n = tracer_drain(p->tracer);
	release_delivered(p);
	return n;
}

/* Say once when a receiver (who: "journald", "syslog") goes away and
 * when it is back (*said: what was said last): meanwhile what it did not
 * take (what: "entries", "messages") waits in the backlog. */
static void say_state(const struct backlog *b, const char *who,
		      const char *what, bool *said)
{
	if (b->away && !*said)
		log_warn("%s's socket '%s': %s; %s wait in the backlog (%zu so far)",
			 who, b->socket_path, strerror(-b->last_error), what,
			 backlog_entries(b));
	else if (!b->away && *said)
		log_notice("%s's socket '%s' takes %s again", who, b->socket_path,
			   what);
	*said = b->away;
}

void pipeline_flush(struct pipeline *p)
{
	struct sink_losses l = sinks_flush(&p->sinks);

	p->n.journal_lost += l.journal;
	/* written: the entries of the journal, else of syslog */
	p->n.written -= p->sinks.journal_on ? l.journal : l.syslog;
	if (p->sinks.journal_on)
		say_state(&p->sinks.journal.out, "journald", "entries",
			  &p->journal_away);
	if (p->sinks.syslog_on)
		say_state(&p->sinks.syslog.out, "syslog", "messages",
			  &p->syslog_away);
	release_delivered(p);
}

int pipeline_note(struct pipeline *p, enum sink_mode mode)
{
	return sinks_write(&p->sinks, &p->entry, clock_usec(CLOCK_REALTIME),
			   mode);
}

/*
 * Whose events a keyed window counted: the text for the MESSAGE ("uid
 * 1000", "container 0123456789ab", "host processes", "other uids") and
 * POLICY_RATE_KEY (the uid, the container id, "host" or "others").
 */
static void summary_whose(const struct rate_summary *s, char *text,
			  size_t tlen, char *key, size_t klen)
{
	bool uid = s->per == RATE_PER_UID;

	if (s->others) {
		snprintf(text, tlen, "other %s (past the %d with a window of their own)",
			 uid ? "uids" : "containers", RATE_KEYS);
		snprintf(key, klen, "others");
	} else if (uid) {
		snprintf(text, tlen, "uid %" PRIu32, s->uid);
		snprintf(key, klen, "%" PRIu32, s->uid);
	} else if (!s->container[0]) {
		snprintf(text, tlen, "host processes");
		snprintf(key, klen, "host");
	} else {
		snprintf(text, tlen, "container %.12s", s->container);
		snprintf(key, klen, "%s", s->container);
	}
}

/* A rate-limit window closed with suppressed events: say so. */
static void on_summary(void *ctx, const struct rate_summary *s)
{
	struct pipeline *p = ctx;
	struct entry *e = &p->entry;
	uint64_t usec = s->window_end_usec - s->window_start_usec;
	char whose[96], key[80];

	entry_begin(e, MSGID_RATELIMIT, LOG_WARNING);
	if (s->per != RATE_PER_RULE)
		summary_whose(s, whose, sizeof(whose), key, sizeof(key));
	sb_printf(&e->message, "rule %s: %" PRIu64 " events%s%s suppressed by its rate limit in %.1f s",
		  s->rule, s->suppressed, s->per != RATE_PER_RULE ? " of " : "",
		  s->per != RATE_PER_RULE ? whose : "", usec / 1e6);
	entry_add_str(e, "POLICY_RULE", s->rule);
	entry_add_u64(e, "POLICY_SUPPRESSED", s->suppressed);
	entry_add_u64(e, "POLICY_WINDOW_USEC", usec);
	if (s->per != RATE_PER_RULE) {
		entry_add_str(e, "POLICY_RATE_PER",
			      s->per == RATE_PER_UID ? "uid" : "container");
		entry_add_str(e, "POLICY_RATE_KEY", key);
	}
	pipeline_note(p, SINK_NOW);
	log_notice("%s", e->message.p);
}

/* A fold of failed execs the kernel made: echoed, and its own entry. */
static void on_fold(void *ctx, const struct te_fold_key *k,
		    const struct te_fold *raw)
{
	struct pipeline *p = ctx;
	struct exec_fold fo;

	if (decode_fold(&p->dec, k, raw, &fo) < 0) {
		p->n.bad++;
		return;
	}
	if (fo.ct_slot >= 0)
		fo.container = enforce_container_at(&p->enforce, p->tracer, fo.ct_slot);
	p->n.folds++;
	p->n.folded += fo.count;
	if (p->echo == TE_STDOUT_JSON) {
		fold_json(&p->out.buf, &fo);
	} else if (p->echo == TE_STDOUT_TABLE) {
		sb_puts(&p->out.buf, "folded: ");
		fold_message(&p->out.buf, &fo);
		sb_putc(&p->out.buf, '\n');
	}
	stdout_sink_spill(&p->out);
	if (!sinks_any(&p->sinks))
		return;
	entry_begin(&p->entry, MSGID_EXEC_FOLDED, LOG_WARNING);
	if (entry_from_fold(&p->entry, &fo) >= 0 && pipeline_note(p, SINK_NOW) >= 0)
		return;
	/* its execs are lost, where the first enabled sink's losses are */
	if (p->sinks.journal_on)
		p->n.journal_lost += fo.count;
	else
		p->sinks.syslog_lost += fo.count;
}

void pipeline_take_folds(struct pipeline *p, bool all)
{
	if (p->tracer)
		tracer_take_folds(p->tracer, all, on_fold, p);
}

void pipeline_close_windows(struct pipeline *p, bool all)
{
	uint64_t now = clock_usec(CLOCK_MONOTONIC);

	if (!p->policy)
		return;
	if (all)
		policy_flush(p->policy, now, on_summary, p);
	else
		policy_tick(p->policy, now, on_summary, p);
}

void pipeline_lost(struct pipeline *p, uint64_t c[LOST_NR])
{
	uint64_t k[TE_COUNTER_NR] = { 0 };

	if (p->tracer)
		tracer_counters(p->tracer, k);
	c[LOST_RINGBUF] = k[TE_LOST_RINGBUF];
	c[LOST_PENDING] = k[TE_LOST_PENDING];
	c[LOST_SCRATCH] = k[TE_LOST_SCRATCH];
	c[LOST_DECODE] = p->n.bad;
	/* an entry that could not be built is lost to every sink: count it
	 * once, where the first enabled sink's losses are */
	c[LOST_JOURNAL] = p->n.journal_lost +
			  (p->sinks.journal_on ? p->n.format_lost : 0);
	c[LOST_SYSLOG] = p->sinks.syslog_lost +
			 (p->sinks.journal_on ? 0 : p->n.format_lost);
	c[LOST_BUDGET] = k[TE_LOST_BUDGET];
}

uint64_t pipeline_lost_sum(const uint64_t c[LOST_NR])
{
	uint64_t total = 0;
	int i;

	for (i = 0; i < LOST_NR; i++)
		total += c[i];
	return total;
}

uint64_t pipeline_lost_total(struct pipeline *p)
{
	uint64_t c[LOST_NR];

	pipeline_lost(p, c);
	return pipeline_lost_sum(c);
}

int pipeline_lost_message(const struct pipeline *p, struct strbuf *out,
			  const uint64_t c[LOST_NR])
{
	uint64_t total = pipeline_lost_sum(c);
	int r;

	r = sb_printf(out, "%" PRIu64 " exec events lost (ring buffer full: %" PRIu64
		      ", pending map full: %" PRIu64 ", no scratch slot: %" PRIu64,
		      total, c[LOST_RINGBUF], c[LOST_PENDING], c[LOST_SCRATCH]);
	if (!r && c[LOST_DECODE])
		r = sb_printf(out, ", malformed record: %" PRIu64, c[LOST_DECODE]);
	if (!r && (p->sinks.journal_on || c[LOST_JOURNAL]))
		r = sb_printf(out, ", journal write failed: %" PRIu64,
			      c[LOST_JOURNAL]);
	if (!r && (p->sinks.syslog_on || c[LOST_SYSLOG]))
		r = sb_printf(out, ", syslog write failed: %" PRIu64,
			      c[LOST_SYSLOG]);
	if (!r && c[LOST_BUDGET])
		r = sb_printf(out, ", failed-exec budget table full: %" PRIu64,
			      c[LOST_BUDGET]);
	return r ? r : sb_putc(out, ')');
}

void pipeline_report_lost(struct pipeline *p, uint64_t now, bool force)
{
	static const char *const names[LOST_NR] = {
		"EXEC_LOST_RINGBUF", "EXEC_LOST_PENDING", "EXEC_LOST_SCRATCH",
		"EXEC_LOST_DECODE", "EXEC_LOST_JOURNAL", "EXEC_LOST_SYSLOG",
		"EXEC_LOST_BUDGET",
	};
	uint64_t c[LOST_NR], d[LOST_NR], total;
	struct entry *e = &p->entry;
	int i;

	if (!force && now - p->last_lost_report < p->lost_report_usec)
		return;
	pipeline_flush(p);
	pipeline_lost(p, c);
	for (i = 0; i < LOST_NR; i++)
		d[i] = c[i] - p->reported[i];
	total = pipeline_lost_sum(d);
	if (!total)
		return;
	entry_begin(e, MSGID_LOST, LOG_WARNING);
	pipeline_lost_message(p, &e->message, d);
	entry_add_u64(e, "EXEC_LOST", total);
	for (i = 0; i < LOST_NR; i++)
		entry_add_u64(e, names[i], d[i]);
	log_warn("%s", e->message.p);
	if (pipeline_note(p, SINK_NOW_OR_LATER) < 0)
		return;	/* the journal is still away: report it all later */
	memcpy(p->reported, c, sizeof(c));
	p->last_lost_report = now;
}

int pipeline_tick(struct pipeline *p, uint64_t now)
{
	pipeline_flush(p);
	pipeline_close_windows(p, false);
	pipeline_take_folds(p, false);
	pipeline_report_lost(p, now, false);
	enforce_tick(&p->enforce, p->tracer, now);
	decoder_sync_clock(&p->dec);
	enricher_tick(p->enricher, now);
	return stdout_sink_flush(&p->out);
}

/* Read what the kernel still holds: in batches while the journal makes
 * room, within PIPELINE_DRAIN_MS (execs that keep coming faster than a
 * batch is read would keep every read paused: the time bounds it too);
 * then the rest at once (entries the backlog cannot take count as lost). */
static void read_rest(struct pipeline *p)
{
	uint64_t end = clock_usec(CLOCK_MONOTONIC) + PIPELINE_DRAIN_MS * 1000ULL;

	do {
		if (!sinks_wait_room(&p->sinks, end))
			break;
		new_batch(p);
		if (tracer_consume(p->tracer) < 0)
			break;
		pipeline_flush(p);
	} while (tracer_wait_ms(p->tracer) == 0 && clock_usec(CLOCK_MONOTONIC) < end);
	p->finishing = true;
	tracer_consume(p->tracer);
}

int pipeline_finish(struct pipeline *p)
{
	if (p->tracer)
		read_rest(p);
	pipeline_flush(p);
	pipeline_close_windows(p, true);
	/* every window, open ones too: the programs may stop with us (a
	 * tracer that runs on merely counts its window's budget afresh) */
	pipeline_take_folds(p, true);
	sinks_drain(&p->sinks, PIPELINE_DRAIN_MS);
	pipeline_flush(p);
	pipeline_report_lost(p, clock_usec(CLOCK_MONOTONIC), true);
	sinks_drain(&p->sinks, 1000);
	return stdout_sink_flush(&p->out);
}
