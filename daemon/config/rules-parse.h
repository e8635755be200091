/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rules-parse.h: parse a `rules:` list into a policy. */
#ifndef TRACE_EXECD_RULES_PARSE_H
#define TRACE_EXECD_RULES_PARSE_H

#include "config/cfg-yaml.h"

struct policy;
struct rule_names;

/*
 * Append the valid rules of the `rules:` list seq to p, in order; every
 * problem is reported in c. Rule names must be unique among all the lists
 * parsed with the same `names`, which remembers them.
 */
void rules_parse(struct cfg_ctx *c, yaml_node_t *seq,
		 struct rule_names *names, struct policy *p);

#endif
