// SPDX-License-Identifier: GPL-2.0-or-later
/* rules-parse.c: parse `rules:` lists into a policy; rule names unique across files. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "config/cfg-yaml.h"
#include "config/config-values.h"
#include "config/match-compile.h"
#include "config/rule-names.h"
#include "config/rules-parse.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "policy/policy.h"
#include "policy/rule.h"

#define RATE_MIN_USEC	1000ULL			/* 1 ms */
#define RATE_MAX_USEC	(24 * 3600 * USEC_PER_SEC)	/* 24 h */

enum rkey { RK_NAME, RK_DESC, RK_MATCH, RK_PRIO, RK_TAGS, RK_ACTION,
	    RK_RATE, RK_NR };

static const char *const rkey_names[RK_NR] = {
	"name", "description", "match", "priority", "tags", "action",
	"rate_limit",
};

struct rule_state {
	struct rule_names *names;	/* every rule name so far */
	struct rule r;
	bool failed;
	bool has_name;
	bool has_match;
};

/*
 * The text of node v if it is a word (a rule name, a tag): 1 to 128
 * letters, digits or "-_.:/". Otherwise NULL, after reporting "expected
 * A_WHAT, ..." or "WHAT 'TEXT' must be ...".
 */
static const char *word_scalar(struct cfg_ctx *c, const yaml_node_t *v,
			       const char *a_what, const char *what)
{
	const char *s = cfg_scalar(c, v, a_what);
	size_t n;

	if (!s)
		return NULL;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/");
	if (!n || s[n] || n > 128) {
		cfg_error(c, v, "%s '%s' must be 1 to 128 letters, digits or '-_.:/'",
			  what, s);
		return NULL;
	}
	return s;
}

/* Remember the rule name at node n; a duplicate is reported there.
 * 0, -EINVAL or -ENOMEM. */
static int name_register(struct rule_names *names, struct cfg_ctx *c,
			 const yaml_node_t *n, const char *name)
{
	struct strbuf where = STRBUF_INIT;
	const char *first;
	int r = cfg_where(c, n, &where);

	if (r < 0)
		goto out;
	r = rule_names_add(names, name, where.p, &first);
	if (r == -EEXIST) {
		cfg_error(c, n, "duplicate rule name '%s' (first defined at %s)",
			  name, first);
		r = -EINVAL;
	} else if (r < 0) {
		c->oom = true;
	}
out:
	sb_free(&where);
	return r;
}

/* `name:` checked, unique, and kept in the rule. */
static int rule_name(struct rule_state *st, struct cfg_ctx *c,
		     yaml_node_t *v)
{
	const char *s = word_scalar(c, v, "a rule name", "rule name");

	st->has_name = true;
	if (!s)
		return -EINVAL;
	if (name_register(st->names, c, v, s) < 0)
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
	const char *s = word_scalar(c, v, "a tag", "tag");

	if (!s)
		return -EINVAL;
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

/* `per: rule|uid|container`: whose events share a window. */
static int rate_per(struct cfg_ctx *c, yaml_node_t *val, struct ratelimit *rl)
{
	static const char *const pers[] = {
		[RATE_PER_RULE] = "rule", [RATE_PER_UID] = "uid",
		[RATE_PER_CONTAINER] = "container",
	};
	int r = cfg_keyword(c, val, "per", pers, ARRAY_SIZE(pers));

	if (r < 0)
		return r;
	if (ratelimit_set_per(rl, (enum rate_per)r) < 0) {
		c->oom = true;
		return -ENOMEM;
	}
	return 0;
}

static void rate_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
		      yaml_node_t *val, void *arg)
{
	struct rate_state *rs = arg;
	int r;

	(void)key;
	if (idx == 0) {
		r = cfg_u32(c, val, 1, UINT32_MAX, &rs->rl->burst);
		rs->has_burst = true;
	} else if (idx == 1) {
		r = cfg_duration(c, val, RATE_MIN_USEC, RATE_MAX_USEC,
				 &rs->rl->interval);
		rs->has_interval = true;
	} else {
		r = rate_per(c, val, rs->rl);
	}
	if (r < 0)
		rs->failed = true;
}

/* `rate_limit: {burst: N, interval: DURATION, per: rule|uid|container}`. */
static int rule_rate(struct rule_state *st, struct cfg_ctx *c,
		     yaml_node_t *v)
{
	static const char *const keys[] = { "burst", "interval", "per" };
	struct rate_state rs = { .rl = &st->r.rl };

	if (cfg_map_each(c, v, "rate_limit", keys, ARRAY_SIZE(keys),
			 rate_pair, &rs) < 0)
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
	static const char *const actions[] = { "log", "drop", "kill" };
	struct rule_state *st = arg;
	int r = 0;

	(void)key;
	switch (idx) {
	case RK_NAME:
		r = rule_name(st, c, v);
		break;
	case RK_DESC:
		r = cfg_scalar(c, v, "a description") ? 0 : -EINVAL;
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
		r = cfg_keyword(c, v, "action", actions, 3);
		st->r.drop = r == 1;
		st->r.kill = r == 2;
		break;
	default:
		r = rule_rate(st, c, v);
		break;
	}
	if (r < 0)
		st->failed = true;
}

/* Whether the rule mapping n says `action: kill` (its match is then
 * compiled for the kernel, whatever the order of its keys). */
static bool rule_kills(const yaml_node_t *n, struct cfg_ctx *c)
{
	yaml_node_pair_t *pr;
	yaml_node_t *k, *v;

	if (n->type != YAML_MAPPING_NODE)
		return false;
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
		k = cfg_node(c, pr->key);
		v = cfg_node(c, pr->value);
		if (k && v && k->type == YAML_SCALAR_NODE && v->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, "action") &&
		    !strcmp((const char *)v->data.scalar.value, "kill"))
			return true;
	}
	return false;
}

/* Parse one list item of `rules:` and append the rule to p if it is valid. */
static void rule_parse(struct cfg_ctx *c, yaml_node_t *n,
		       struct rule_names *names, struct policy *p)
{
	struct rule_state st = { .names = names };
	int r;

	st.r.priority = LOG_INFO;
	c->kernel = rule_kills(n, c);
	r = cfg_map_each(c, n, "rule", rkey_names, RK_NR, rule_pair, &st);
	c->kernel = false;
	if (r < 0)
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
	if (st.failed)
		goto out;
	if (!st.r.tags)
		st.r.tags = strdup("");
	if (!st.r.tags || policy_append_rule(p, &st.r) < 0)
		c->oom = true;
out:
	rule_clear(&st.r);
}

void rules_parse(struct cfg_ctx *c, yaml_node_t *seq,
		 struct rule_names *names, struct policy *p)
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
		rule_parse(c, cfg_node(c, *it), names, p);
}
