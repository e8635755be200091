/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy.h: compiled rules: first-match evaluation and rate limits. */
#ifndef TRACE_EXECD_POLICY_H
#define TRACE_EXECD_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct policy;
struct rule;

/* What to do with one event; the strings live as long as the policy. */
struct verdict {
	const char *rule;	/* POLICY_RULE; NULL when no rule matched */
	const char *tags;	/* POLICY_TAGS, comma-separated, "" if none */
	int priority;		/* PRIORITY, LOG_EMERG..LOG_DEBUG */
	bool drop;		/* action: drop, write nothing */
	bool kill;		/* action: kill (the kernel decides; see
				 * kill-compile.h) */
	bool suppressed;	/* over the rule's rate limit, write nothing */
};

/* Whose events share a rate-limit window (`per:`). */
enum rate_per { RATE_PER_RULE, RATE_PER_UID, RATE_PER_CONTAINER };

/* Uids or containers with a window of their own at once, per rule. */
#define RATE_KEYS	64

/* A closed rate-limit window that suppressed events. */
struct rate_summary {
	const char *rule;
	enum rate_per per;
	bool others;		/* the window of the keys past the bound */
	uint32_t uid;		/* RATE_PER_UID, unless others */
	const char *container;	/* RATE_PER_CONTAINER, unless others: the
				 * container id, "" for host processes */
	uint64_t suppressed;
	uint64_t window_start_usec, window_end_usec;
};

typedef void (*policy_summary_fn)(void *ctx, const struct rate_summary *s);

/* An empty policy (default priority info); NULL when out of memory. */
struct policy *policy_new(void);
/* Priority of the events no rule matches. */
void policy_set_default_priority(struct policy *p, int prio);
/* Append r as the last rule: p takes over what r holds and zeroes *r.
 * Returns 0, or -ENOMEM and r is left as it was. */
int policy_append_rule(struct policy *p, struct rule *r);

/*
 * Evaluate the rules in order; the first that matches decides. Fills v
 * (rule NULL and the default priority when none matched) and returns 0.
 * now_usec is any monotonic clock, the same for every call. A rate-limit
 * window found closed here is reported through the function set with
 * policy_set_summary_fn(), or kept for the next policy_tick(). Not
 * thread-safe: evaluation updates rate-limit counters. A NULL policy
 * matches nothing.
 */
int policy_eval(struct policy *p, const struct exec_event *ev,
		uint64_t now_usec, struct verdict *v);
/* Report and close every window due at now_usec (call about once a
 * second); fn NULL uses the function of policy_set_summary_fn(). */
void policy_tick(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		 void *ctx);
/* Report every open window with suppressed events now, due or not (before
 * freeing a policy that a reload replaced). */
void policy_flush(struct policy *p, uint64_t now_usec, policy_summary_fn fn,
		  void *ctx);
/* Report windows closed by policy_eval() at once through fn. */
void policy_set_summary_fn(struct policy *p, policy_summary_fn fn, void *ctx);
size_t policy_rule_count(const struct policy *p);
/* Rule i (0-based, in evaluation order), NULL past the end. */
const struct rule *policy_rule(const struct policy *p, size_t i);
/* True when a rule matches on EXEC_SHA256 (the events need hashing). */
bool policy_uses_sha256(const struct policy *p);
/* The MATCH_NEEDS_* (policy/match.h) of every rule. */
unsigned int policy_needs(const struct policy *p);
/* Name of rule i (0-based, in evaluation order), NULL past the end. */
const char *policy_rule_name(const struct policy *p, size_t i);
void policy_free(struct policy *p);

#endif
