/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule.h: one compiled rule: its conditions, what it decides, its rate limit. */
#ifndef TRACE_EXECD_RULE_H
#define TRACE_EXECD_RULE_H

#include <stdbool.h>

#include "policy/match.h"
#include "policy/ratelimit.h"

struct rule {
	char *name;
	char *tags;			/* comma-separated, "" if none */
	int priority;
	bool drop;
	bool kill;			/* action: kill (kill-compile.c) */
	struct match_filter filter;	/* tested before match */
	struct match *match;
	struct ratelimit rl;
};

/* Free what r holds and zero it. */
void rule_clear(struct rule *r);

#endif
