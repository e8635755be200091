// SPDX-License-Identifier: GPL-2.0-or-later
/* rule.c: freeing one compiled rule. */
#include <stdlib.h>
#include <string.h>

#include "policy/rule.h"

void rule_clear(struct rule *r)
{
	free(r->name);
	free(r->tags);
	match_free(r->match);
	ratelimit_free(&r->rl);
	memset(r, 0, sizeof(*r));
}
