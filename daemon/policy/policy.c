/* policy.c: parse `rules:`; first-match evaluation and rate limits. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "policy/cfgparse.h"
#include "policy/match.h"
#include "policy/match-compile.h"
#include "policy/policy.h"
#include "core/util.h"

#define RATE_MIN_USEC	1000ULL			/* 1 ms */
#define RATE_MAX_USEC	(24ULL * 3600 * 1000000)	/* 24 h */

struct ratelimit {
	uint32_t burst;			/* 0: no limit */
	uint64_t interval;		/* usec */
	bool open;			/* a window is running */
	uint64_t start, count, suppressed;
	/* closed by policy_eval() without a callback, for policy_tick() */
	uint64_t pend_suppressed, pend_start, pend_end;
};

struct rule {
	char *name;
	char *description;
	char *tags;			/* comma-separated, "" if none */
	int priority;
	bool drop;
	struct match_filter filter;	/* tested before match */
	struct match *match;
	struct ratelimit rl;
};

/* A rule name seen in this configuration and where. */
struct name_ent {
	char *name;
	char *where;			/* FILE:LINE:COL */
};

struct policy {
	struct rule *rules;
	size_t n, cap;
	struct name_ent *names;		/* open addressing, nslots entries */
	size_t nnames, nslots;
	int default_priority;
	policy_summary_fn fn;
	void *fn_ctx;
};

struct policy *policy_new(void)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (p)
		p->default_priority = LOG_INFO;
	return p;
}

void policy_set_default_priority(struct policy *p, int prio)
{
	p->default_priority = prio;
}

static void rule_clear(struct rule *r)
{
	free(r->name);
	free(r->description);
	free(r->tags);
	match_free(r->match);
	memset(r, 0, sizeof(*r));
}

void policy_free(struct policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		rule_clear(&p->rules[i]);
	for (i = 0; i < p->nslots; i++) {
		free(p->names[i].name);
		free(p->names[i].where);
	}
	free(p->names);
	free(p->rules);
	free(p);
}

/* ---- the name index (duplicate detection across files) ---- */

static size_t name_hash(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Slot holding name, or the empty slot where it would go. */
static struct name_ent *name_slot(struct name_ent *tab, size_t nslots,
				  const char *name)
{
	size_t i = name_hash(name) & (nslots - 1);

	while (tab[i].name && strcmp(tab[i].name, name))
		i = (i + 1) & (nslots - 1);
	return &tab[i];
}

/* Double the table when half full; 0 or -ENOMEM. */
static int names_grow(struct policy *p)
{
	struct name_ent *tab;
	size_t i, n;

	if (p->nslots && (p->nnames + 1) * 2 <= p->nslots)
		return 0;
	n = p->nslots ? p->nslots * 2 : 64;
	tab = calloc(n, sizeof(*tab));
	if (!tab)
		return -ENOMEM;
	for (i = 0; i < p->nslots; i++)
		if (p->names[i].name)
			*name_slot(tab, n, p->names[i].name) = p->names[i];
	free(p->names);
	p->names = tab;
	p->nslots = n;
	return 0;
}

/* Remember a rule name; reports a duplicate at node n. 0 or -EINVAL. */
static int name_register(struct policy *p, struct cfg_ctx *c,
			 const yaml_node_t *n, const char *name)
{
	struct name_ent *e;
	char where[CFG_WHERE_MAX];

	if (names_grow(p) < 0) {
		c->oom = true;
		return -ENOMEM;
	}
	e = name_slot(p->names, p->nslots, name);
	if (e->name) {
		cfg_error(c, n, "duplicate rule name '%s' (first defined at %s)",
			  name, e->where);
		return -EINVAL;
	}
	cfg_where(c, n, where, sizeof(where));
	e->name = strdup(name);
	e->where = strdup(where);
	if (!e->name || !e->where) {
		free(e->name);
		free(e->where);
		e->name = e->where = NULL;
		c->oom = true;
		return -ENOMEM;
	}
	p->nnames++;
	return 0;
}

/* ---- parsing one rule ---- */

enum rkey { RK_NAME, RK_DESC, RK_MATCH, RK_PRIO, RK_TAGS, RK_ACTION,
	    RK_RATE, RK_NR };

static const char *const rkey_names[RK_NR] = {
	"name", "description", "match", "priority", "tags", "action",
	"rate_limit",
};

struct rule_state {
	struct policy *p;
	struct rule r;
	bool failed;
	bool has_name;
	bool has_match;
};

/* Names and tags: letters, digits and "-_.:/" only. */
static bool word_ok(const char *s, size_t max)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/");

	return n && !s[n] && n <= max;
}

static int rule_name(struct rule_state *st, struct cfg_ctx *c,
		     yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "a rule name");

	st->has_name = true;
	if (!s)
		return -EINVAL;
	if (!word_ok(s, 128)) {
		cfg_error(c, v, "rule name '%s' must be 1 to 128 letters, digits or '-_.:/'",
			  s);
		return -EINVAL;
	}
	if (name_register(st->p, c, v, s) < 0)
		return -EINVAL;
	st->r.name = strdup(s);
	if (!st->r.name) {
		c->oom = true;
		return -ENOMEM;
	}
	return 0;
}

/* Append one validated tag to sb. */
static int tag_add(struct cfg_ctx *c, struct strbuf *sb, yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "a tag");

	if (!s)
		return -EINVAL;
	if (!word_ok(s, 128)) {
		cfg_error(c, v, "tag '%s' must be 1 to 128 letters, digits or '-_.:/'",
			  s);
		return -EINVAL;
	}
	if ((sb->len && sb_putc(sb, ',') < 0) || sb_puts(sb, s) < 0) {
		c->oom = true;
		return -ENOMEM;
	}
	return 0;
}

/* `tags:` a list of words (a single word is taken too). */
static int rule_tags(struct rule_state *st, struct cfg_ctx *c,
		     yaml_node_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	yaml_node_item_t *it;
	int r = 0;

	if (v->type == YAML_SCALAR_NODE) {
		r = tag_add(c, &sb, v);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++)
			if (tag_add(c, &sb, cfg_node(c, *it)) < 0)
				r = -EINVAL;
	} else {
		cfg_error(c, v, "tags must be a list of words");
		r = -EINVAL;
	}
	if (r == 0) {
		free(st->r.tags);
		st->r.tags = sb_steal(&sb);
		r = st->r.tags ? 0 : -ENOMEM;
	}
	sb_free(&sb);
	return r;
}

struct rate_state {
	struct ratelimit *rl;
	bool has_burst, has_interval, failed;
};

static void rate_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
		      yaml_node_t *val, void *arg)
{
	struct rate_state *rs = arg;
	int r;

	(void)key;
	if (idx == 0) {
		r = cfg_u32(c, val, 1, UINT32_MAX, &rs->rl->burst);
		rs->has_burst = true;
	} else {
		r = cfg_duration(c, val, RATE_MIN_USEC, RATE_MAX_USEC,
				 &rs->rl->interval);
		rs->has_interval = true;
	}
	if (r < 0)
		rs->failed = true;
}

/* `rate_limit: {burst: N, interval: DURATION}`. */
static int rule_rate(struct rule_state *st, struct cfg_ctx *c,
		     yaml_node_t *v)
{
	static const char *const keys[] = { "burst", "interval" };
	struct rate_state rs = { .rl = &st->r.rl };

	if (cfg_map_each(c, v, "rate_limit", keys, 2, rate_pair, &rs) < 0)
		return -EINVAL;
	if (rs.failed)
		return -EINVAL;
	if (!rs.has_burst || !rs.has_interval) {
		cfg_error(c, v, "rate_limit needs both 'burst' and 'interval'");
		return -EINVAL;
	}
	return 0;
}

/* cfg_map_each() callback for the keys of a rule. */
static void rule_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
		      yaml_node_t *v, void *arg)
{
	static const char *const actions[] = { "log", "drop" };
	struct rule_state *st = arg;
	const char *s;
	int r = 0;

	(void)key;
	switch (idx) {
	case RK_NAME:
		r = rule_name(st, c, v);
		break;
	case RK_DESC:
		s = cfg_scalar(c, v, "a description");
		if (s && !(st->r.description = strdup(s)))
			c->oom = true;
		r = s ? 0 : -EINVAL;
		break;
	case RK_MATCH:
		st->has_match = true;
		st->r.match = match_compile(c, v);
		r = st->r.match ? 0 : -EINVAL;
		break;
	case RK_PRIO:
		r = cfg_priority(c, v, &st->r.priority);
		break;
	case RK_TAGS:
		r = rule_tags(st, c, v);
		break;
	case RK_ACTION:
		r = cfg_keyword(c, v, "action", actions, 2);
		st->r.drop = r == 1;
		break;
	default:
		r = rule_rate(st, c, v);
		break;
	}
	if (r < 0)
		st->failed = true;
}

/* Append the finished rule to the policy; 0 or -ENOMEM. */
static int rule_push(struct policy *p, struct rule *r)
{
	struct rule *v;
	size_t cap;

	if (!r->tags && !(r->tags = strdup("")))
		return -ENOMEM;
	match_filter(r->match, &r->filter);
	if (p->n == p->cap) {
		cap = p->cap ? p->cap * 2 : 16;
		v = realloc(p->rules, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		p->rules = v;
		p->cap = cap;
	}
	p->rules[p->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

/* Parse one list item of `rules:`. */
static void rule_parse(struct policy *p, struct cfg_ctx *c, yaml_node_t *n)
{
	struct rule_state st = { .p = p };

	st.r.priority = LOG_INFO;
	if (cfg_map_each(c, n, "rule", rkey_names, RK_NR, rule_pair, &st) < 0)
		return;
	if (!st.has_name) {
		cfg_error(c, n, "rule has no 'name'");
		st.failed = true;
	}
	if (!st.has_match) {
		cfg_error(c, n, "rule '%s' has no 'match' (use 'match: {}' to match every event)",
			  st.r.name ? st.r.name : "?");
		st.failed = true;
	}
	if (!st.failed && rule_push(p, &st.r) < 0)
		c->oom = true;
	rule_clear(&st.r);
}

void policy_add_rules(struct policy *p, struct cfg_ctx *c, yaml_node_t *seq)
{
	yaml_node_item_t *it;

	if (cfg_is_null(seq))
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		cfg_error(c, seq, "rules must be a list of rule mappings");
		return;
	}
	for (it = seq->data.sequence.items.start;
	     it < seq->data.sequence.items.top; it++)
		rule_parse(p, c, cfg_node(c, *it));
}

/* ---- evaluation ---- */

size_t policy_rule_count(const struct policy *p)
{
	return p ? p->n : 0;
}

const char *policy_rule_name(const struct policy *p, size_t i)
{
	return p && i < p->n ? p->rules[i].name : NULL;
}

void policy_set_summary_fn(struct policy *p, policy_summary_fn fn, void *ctx)
{
	p->fn = fn;
	p->fn_ctx = ctx;
}

/* End the running window; report it through fn or keep it pending. */
static void rl_close(struct rule *r, uint64_t end, policy_summary_fn fn,
		     void *ctx)
{
	struct ratelimit *rl = &r->rl;

	rl->open = false;
	if (!rl->suppressed)
		return;
	if (fn) {
		fn(ctx, r->name, rl->suppressed, rl->start, end);
	} else {
		if (!rl->pend_suppressed)
			rl->pend_start = rl->start;
		rl->pend_suppressed += rl->suppressed;
		rl->pend_end = end;
	}
	rl->suppressed = 0;
}

static bool rl_due(const struct ratelimit *rl, uint64_t now)
{
	return rl->open && now >= rl->start && now - rl->start >= rl->interval;
}

/* Count one event against the rule's window; true if over the burst. */
static bool rl_account(struct policy *p, struct rule *r, uint64_t now)
{
	struct ratelimit *rl = &r->rl;

	if (rl_due(rl, now))
		rl_close(r, rl->start + rl->interval, p->fn, p->fn_ctx);
	if (!rl->open) {
		rl->open = true;
		rl->start = now;
		rl->count = 0;
		rl->suppressed = 0;
	}
	if (rl->count < rl->burst) {
		rl->count++;
		return false;
	}
	rl->suppressed++;
	return true;
}

int policy_eval(struct policy *p, const struct exec_event *ev,
		uint64_t now_usec, struct verdict *v)
{
	struct match_facts f;
	struct rule *r;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->tags = "";
	v->priority = p ? p->default_priority : LOG_INFO;
	if (!p)
		return 0;
	match_facts(ev, &f);
	for (i = 0; i < p->n; i++) {
		r = &p->rules[i];
		if (!match_filter_pass(&r->filter, &f) ||
		    !match_eval(r->match, ev))
			continue;
		v->rule = r->name;
		v->tags = r->tags;
		v->priority = r->priority;
		v->drop = r->drop;
		if (r->rl.burst && !r->drop)
			v->suppressed = rl_account(p, r, now_usec);
		break;
	}
	return 0;
}

/* Report pending summaries, then close windows (all when `all`). */
static void rl_sweep(struct policy *p, uint64_t now, policy_summary_fn fn,
		     void *ctx, bool all)
{
	struct ratelimit *rl;
	size_t i;

	if (!p)
		return;
	if (!fn) {
		fn = p->fn;
		ctx = p->fn_ctx;
	}
	for (i = 0; i < p->n; i++) {
		rl = &p->rules[i].rl;
		if (rl->pend_suppressed && fn)
			fn(ctx, p->rules[i].name, rl->pend_suppressed,
			   rl->pend_start, rl->pend_end);
		if (fn)
			rl->pend_suppressed = 0;
		if (rl_due(rl, now))
			rl_close(&p->rules[i], rl->start + rl->interval, fn,
				 ctx);
		else if (all && rl->open)
			rl_close(&p->rules[i], now, fn, ctx);
	}
}

void policy_tick(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		 void *ctx)
{
	rl_sweep(p, now_usec, fn, ctx, false);
}

void policy_flush(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		  void *ctx)
{
	rl_sweep(p, now_usec, fn, ctx, true);
}
