// SPDX-License-Identifier: GPL-2.0-or-later
/* policy.c: the compiled rules: first-match evaluation, rate-limit sweeps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "core/array.h"
#include "policy/match.h"
#include "policy/policy.h"
#include "policy/ratelimit.h"
#include "policy/rule.h"

struct policy {
	struct rule *rules;		/* in evaluation order */
	size_t n, cap;
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

int policy_append_rule(struct policy *p, struct rule *r)
{
	if (array_reserve(&p->rules, &p->cap, p->n + 1, sizeof(*p->rules)) < 0)
		return -ENOMEM;
	match_filter(r->match, &r->filter);
	p->rules[p->n++] = *r;
	memset(r, 0, sizeof(*r));
	return 0;
}

void policy_free(struct policy *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++)
		rule_clear(&p->rules[i]);
	free(p->rules);
	free(p);
}

bool policy_uses_sha256(const struct policy *p)
{
	size_t i;

	for (i = 0; p && i < p->n; i++)
		if (match_uses_hash(p->rules[i].match))
			return true;
	return false;
}

unsigned int policy_needs(const struct policy *p)
{
	unsigned int need = 0;
	size_t i;

	for (i = 0; p && i < p->n; i++)
		need |= match_needs(p->rules[i].match);
	return need;
}

size_t policy_rule_count(const struct policy *p)
{
	return p ? p->n : 0;
}

const struct rule *policy_rule(const struct policy *p, size_t i)
{
	return p && i < p->n ? &p->rules[i] : NULL;
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

int policy_eval(struct policy *p, const struct exec_event *ev,
		uint64_t now_usec, struct verdict *v)
{
	enum match_result res;
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
		if (!match_filter_pass(&r->filter, &f))
			continue;
		/* What a path known in part only might be never drops an
		 * event: a drop rule needs a sure match. */
		res = match_eval(r->match, ev);
		if (res == MATCH_NO || (res == MATCH_MAYBE && (r->drop || r->kill)))
			continue;
		v->rule = r->name;
		v->tags = r->tags;
		v->priority = r->priority;
		v->drop = r->drop;
		v->kill = r->kill;
		if (r->rl.burst && !r->drop && !r->kill)
			v->suppressed = ratelimit_account(&r->rl, ev, now_usec,
							  r->name, p->fn,
							  p->fn_ctx);
		break;
	}
	return 0;
}

/* Report pending summaries, then close the windows that are due (all
 * open ones when `all`). */
static void sweep(struct policy *p, uint64_t now, policy_summary_fn fn,
		  void *ctx, bool all)
{
	size_t i;

	if (!p)
		return;
	if (!fn) {
		fn = p->fn;
		ctx = p->fn_ctx;
	}
	for (i = 0; i < p->n; i++)
		ratelimit_sweep(&p->rules[i].rl, now, all, p->rules[i].name,
				fn, ctx);
}

void policy_tick(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		 void *ctx)
{
	sweep(p, now_usec, fn, ctx, false);
}

void policy_flush(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		  void *ctx)
{
	sweep(p, now_usec, fn, ctx, true);
}
