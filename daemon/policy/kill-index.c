// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-index.c: the index of a kernel rule set: per rule, its terms (conjunctions of what must not be NO for it to hold) by the facts that rule them out and the exact keys they are anchored on, so that an exec evaluates only the rules that may hold (bpf/kill-rules.bpf.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/kill-compile.h"
#include "policy/kill-index.h"
#include "policy/match-compiled.h"
#include "policy/policy.h"
#include "policy/rule.h"

#define KVALS	32	/* key values of one term */
#define KTERMS	8	/* terms of one rule */

/* A value of key x (TE_KX_*) under probe s (TE_KS_*). */
struct kval {
	unsigned char x, s;
	uint64_t key;
};

/*
 * A term: out when a fact of facts holds, or when, for a key of kinds,
 * the exec's value is none of the term's values of that key. Two
 * conditions on one key give it the values of both: a superset.
 */
struct kterm {
	uint32_t facts;
	uint32_t kinds;
	unsigned int n;
	struct kval v[KVALS];
};

/* Terms, any of which may hold; none: the condition is NO for any exec. */
struct kalts {
	unsigned int n;
	struct kterm t[KTERMS];
};

/* One term that nothing rules out. */
static void alts_open(struct kalts *a)
{
	memset(&a->t[0], 0, sizeof(a->t[0]));
	a->n = 1;
}

/* t and u into t: u's facts, and u's keys when they fit (else t's keys
 * alone: t then holds for more execs, which is safe). */
static void term_and(struct kterm *t, const struct kterm *u)
{
	t->facts |= u->facts;
	if (t->n + u->n > KVALS)
		return;
	memcpy(t->v + t->n, u->v, u->n * sizeof(*u->v));
	t->n += u->n;
	t->kinds |= u->kinds;
}

/* a and b into a, as at most cap terms (b left out when they would be
 * more: a alone holds for more execs). 0, or -1 out of memory. */
static int alts_and(struct kalts *a, const struct kalts *b, unsigned int cap)
{
	struct kalts *r;
	unsigned int i, j;

	if (!b->n) {
		a->n = 0;
		return 0;
	}
	if (a->n * b->n > cap)
		return 0;
	r = malloc(sizeof(*r));
	if (!r)
		return -1;
	r->n = 0;
	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++) {
			r->t[r->n] = a->t[i];
			term_and(&r->t[r->n++], &b->t[j]);
		}
	memcpy(a, r, sizeof(*r));
	free(r);
	return 0;
}

/* The index key of a name glob in *v; false when it has none. */
static bool name_val(const struct glob *g, struct kval *v)
{
	char pad[TE_COMM_LEN] = { 0 };
	uint64_t w0, w1;
	size_t l;

	if (g->len >= TE_COMM_LEN)
		return false;
	memcpy(pad, g->pat, g->len);
	memcpy(&w0, pad, 8);
	memcpy(&w1, pad + 8, 8);
	if (g->kind == G_EXACT) {
		v->s = TE_KS_EXACT;
		v->key = te_kname_key(w0, w1);
		return true;
	}
	if (g->kind != G_PREFIX || !g->len)
		return false;
	l = g->len < 4 ? g->len : 4;
	v->s = TE_KS_PFX1 + l - 1;
	v->key = w0 & ((1ULL << (8 * l)) - 1);
	return true;
}

/* The first non-empty component of s[0..n), as its start; its length in
 * *len, 0 when there is none. Going backwards: the last one. */
static const char *component(const char *s, size_t n, bool last, size_t *len)
{
	size_t a, b;

	*len = 0;
	if (last) {
		for (b = n; b > 0 && s[b - 1] == '/'; b--)
			;
		for (a = b; a > 0 && s[a - 1] != '/'; a--)
			;
	} else {
		for (a = 0; a < n && s[a] == '/'; a++)
			;
		for (b = a; b < n && s[b] != '/'; b++)
			;
	}
	*len = b - a;
	return s + a;
}

/* The index key of a path glob in *v: the leaf of an exact path, the
 * root-most whole component of a prefix; false when it has neither. */
static bool path_val(const struct glob *g, struct kval *v)
{
	char buf[16] = { 0 };
	const char *c, *slash;
	uint64_t w;
	size_t n;

	if (g->kind == G_EXACT) {
		c = component(g->pat, g->len, true, &n);
		memcpy(buf, c, n < 8 ? n : 8);
		memcpy(&w, buf, 8);
		v->s = TE_KS_EXACT;
		v->key = te_kfirst_key(w);
		return true;
	}
	if (g->kind != G_PREFIX)
		return false;
	slash = strrchr(g->pat, '/');
	c = component(g->pat, slash ? (size_t)(slash - g->pat) : 0, false, &n);
	if (!n)
		return false;
	/* its last 8 bytes, as they end the 8 bytes the kernel reads */
	memcpy(buf + 8 - (n < 8 ? n : 8), c + n - (n < 8 ? n : 8), n < 8 ? n : 8);
	memcpy(&w, buf, 8);
	v->s = TE_KS_ROOT;
	v->key = te_klast_key(w, n);
	return true;
}

/* The key a condition on k may be anchored on, -1 for none. */
static int key_of(enum mkey k)
{
	switch (k) {
	case MK_COMM:		return TE_KX_COMM;
	case MK_PARENT_COMM:	return TE_KX_PCOMM;
	case MK_UID:		return TE_KX_UID;
	case MK_GID:		return TE_KX_GID;
	case MK_LOGINUID:	return TE_KX_LOGINUID;
	case MK_EXE:		return TE_KX_EXE;
	case MK_FILE:		return TE_KX_FILE;
	case MK_CWD:		return TE_KX_CWD;
	case MK_PARENT_EXE:	return TE_KX_PEXE;
	default:		return -1;
	}
}

/* An anchor of cd (ids or globs of key x) in the one term of a. */
static void anchor(const struct cond *cd, int x, struct kalts *a)
{
	struct kterm *t = &a->t[0];
	bool name = x == TE_KX_COMM || x == TE_KX_PCOMM, ok;
	size_t i;

	if (x < 0 || !cd->n || cd->n > KVALS)
		return;
	for (i = 0; i < cd->n; i++) {
		t->v[i].x = x;
		if (cd->kind == CK_IDS) {
			t->v[i].s = TE_KS_EXACT;
			t->v[i].key = cd->u.ids[i];
			continue;
		}
		ok = name ? name_val(&cd->u.globs[i], &t->v[i]) :
			    path_val(&cd->u.globs[i], &t->v[i]);
		if (!ok)
			return;
	}
	t->n = cd->n;
	t->kinds = 1U << x;
}

static int match_alts(const struct match *m, struct kalts *out,
		      unsigned int cap);

/* The terms of an any: the branches' (one open term when more than cap). */
static int any_alts(const struct cond *cd, struct kalts *out, unsigned int cap)
{
	struct kalts *b = malloc(sizeof(*b));
	size_t i;
	int r = 0;

	if (!b)
		return -1;
	out->n = 0;
	for (i = 0; i < cd->n && r == 0; i++) {
		r = match_alts(cd->u.any[i], b, cap);
		if (r == 0 && out->n + b->n > cap) {
			alts_open(out);
			break;
		}
		if (r == 0) {
			memcpy(out->t + out->n, b->t, b->n * sizeof(*b->t));
			out->n += b->n;
		}
	}
	if (!cd->n)
		alts_open(out);
	free(b);
	return r;
}

/* The terms of one condition (what the kernel cannot decide: open). */
static int cond_alts(const struct cond *cd, struct kalts *out, unsigned int cap)
{
	alts_open(out);
	if (krules_refused(cd))
		return 0;
	switch (cd->kind) {
	case CK_BOOL:
		if (cd->key == MK_FAILED && cd->b)	/* the kernel judges successful execs */
			out->n = 0;
		else
			out->t[0].facts = krules_cond_facts(cd);
		return 0;
	case CK_ERRNO:
		out->n = 0;
		return 0;
	case CK_IDS:
	case CK_GLOB:
		anchor(cd, key_of(cd->key), out);
		return 0;
	case CK_ANY:
		return any_alts(cd, out, cap);
	default:
		return 0;
	}
}

/* The terms of all conditions of m; 0, or -1 out of memory. */
static int match_alts(const struct match *m, struct kalts *out,
		      unsigned int cap)
{
	struct kalts *c = malloc(sizeof(*c));
	size_t i;
	int r = 0;

	if (!c)
		return -1;
	alts_open(out);
	for (i = 0; i < m->n && r == 0 && out->n; i++) {
		r = cond_alts(&m->c[i], c, cap);
		if (r == 0)
			r = alts_and(out, c, cap);
	}
	free(c);
	return r;
}

/* Term t (of rule r) into the index. */
static void add_term(struct te_kidx *ix, unsigned int t, unsigned int r,
		     const struct kterm *kt, unsigned int *nbmaps)
{
	uint64_t bit = 1ULL << (t % 64);
	unsigned int w = t / 64, f, i, b, lost = 0;

	ix->term_rule[t] = r;
	ix->w[w].all |= bit;
	for (f = 0; f < TE_KFACTS; f++)
		if (kt->facts & (1U << f))
			ix->w[w].fact_out[f] |= bit;
	ix->hot.facts |= kt->facts;
	for (i = 0; i < kt->n; i++) {
		b = te_kbucket(kt->v[i].x, kt->v[i].s, kt->v[i].key);
		if (!ix->bucket[b]) {
			if (*nbmaps >= TE_KBMAPS) {
				lost |= 1U << kt->v[i].x;
				continue;
			}
			ix->bucket[b] = (*nbmaps)++;
			ix->hot.filter[b % TE_KFILTER / 64] |= 1ULL << (b % 64);
		}
		ix->bmaps[ix->bucket[b]][w] |= bit;
		ix->hot.probes[kt->v[i].x] |= 1U << kt->v[i].s;
	}
	for (i = 0; i < TE_KX_NR; i++)
		if ((kt->kinds & ~lost) & (1U << i)) {
			ix->w[w].anchored[i] |= bit;
			ix->hot.kinds |= 1U << i;
		}
}

/* The word of a set of at most 64 terms as the hot part holds it: all,
 * then the facts in use, then the keys, each in the order of its bit. */
static void fill_hot(struct te_khot *h, const struct te_kword *w0)
{
	unsigned int i, n = 0;

	h->word0[n++] = w0->all;
	for (i = 0; i < TE_KFACTS; i++)
		if (h->facts & (1U << i))
			h->word0[n++] = w0->fact_out[i];
	h->nfacts = n - 1;
	for (i = 0; i < TE_KX_NR; i++)
		if (h->kinds & (1U << i)) {
			h->rank[i] = n - 1 - h->nfacts;
			h->word0[n++] = w0->anchored[i];
		}
}

/* The index of the rules of set in *ix with at most cap terms a rule;
 * 0, 1 when the terms do not fit, -1 out of memory. */
static int build(struct te_kidx *ix, const struct te_kset *set,
		 const struct policy *p, unsigned int cap)
{
	struct kalts *a = malloc(sizeof(*a));
	unsigned int r, i, t = 0, nbmaps = 1;
	int ret = 0;

	if (!a)
		return -1;
	memset(ix, 0, sizeof(*ix));
	for (r = 0; r < set->nrules && ret == 0; r++) {
		ix->rule_term[r] = t;
		if (match_alts(policy_rule(p, r)->match, a, cap) < 0) {
			ret = -1;
			break;
		}
		for (i = 0; i < a->n && ret == 0; i++) {
			if (t >= TE_KTERMS_MAX)
				ret = 1;
			else
				add_term(ix, t++, r, &a->t[i], &nbmaps);
		}
	}
	ix->rule_term[set->nrules] = t;
	ix->nterms = t;
	ix->hot.nwords = (t + 63) / 64;
	fill_hot(&ix->hot, &ix->w[0]);
	memcpy(ix->rule_op, set->idx.rule_op, sizeof(ix->rule_op));
	free(a);
	return ret;
}

int kindex_build(struct te_kset *set, const struct policy *p)
{
	struct te_kidx *ix = malloc(sizeof(*ix));
	int r;

	if (!ix)
		return -ENOMEM;
	r = build(ix, set, p, KTERMS);
	if (r == 1)	/* one term a rule at most: they fit */
		r = build(ix, set, p, 1);
	if (r == 0)
		memcpy(&set->idx, ix, sizeof(*ix));
	free(ix);
	return r == 0 ? 0 : -ENOMEM;
}
