/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill-index.h: the index of a kernel rule set: which rules an exec's facts and exact keys leave to evaluate (bpf/kill-rules.bpf.c reads it). */
#ifndef TRACE_EXECD_KILL_INDEX_H
#define TRACE_EXECD_KILL_INDEX_H

#include "trace_exec.h"

struct policy;

/*
 * Fill set->idx (but for its rule_op[], which the compiler filled) for
 * the set->nrules first rules of p: each rule's terms (its conjunctions;
 * an `any:` gives one per branch, up to 8 a rule), the facts that rule a
 * term out and the keys it is anchored on. What does not fit is left out
 * (an `any:` taken whole when the terms of all rules are more than
 * TE_KTERMS_MAX, an anchor when the buckets' bitmaps run out): a rule is
 * then evaluated more often, never less. Returns 0 or -ENOMEM.
 */
int kindex_build(struct te_kset *set, const struct policy *p);

#endif
