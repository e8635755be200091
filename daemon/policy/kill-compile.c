// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-compile.c: compile the rules up to the last kill rule into the operations the kernel evaluates at an exec. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "policy/kill-compile.h"
#include "policy/kill-index.h"
#include "policy/match.h"
#include "policy/match-compiled.h"
#include "policy/policy.h"
#include "policy/rule.h"
#include "policy/settings.h"

/* Whether a glob on a name can be tested in the kernel. */
static bool name_glob_ok(const struct glob *g)
{
	return g->kind == G_ANY ||
	       ((g->kind == G_EXACT || g->kind == G_PREFIX) && g->len < TE_COMM_LEN);
}

/* Whether a glob on a path can be tested in the kernel. */
static bool path_glob_ok(const struct glob *g)
{
	if (g->kind == G_ANY)
		return true;
	if (g->kind != G_EXACT && g->kind != G_PREFIX)
		return false;
	return g->pat[0] == '/' && g->len < TE_KSTR_LEN && !strstr(g->pat, "//");
}

const char *krules_refused(const struct cond *cd)
{
	bool path = cd->key == MK_EXE || cd->key == MK_FILE ||
		    cd->key == MK_CWD || cd->key == MK_PARENT_EXE;
	size_t i;

	switch (cd->key) {
	case MK_ARGS:
	case MK_ARGS_REGEX:
		return "arguments are matched in userspace";
	case MK_USER: case MK_GROUP: case MK_LOGINUSER:
		return "names of users and groups are looked up in userspace";
	case MK_CONTAINER_UNVERIFIED:
		return "the kernel knows verified containers only";
	case MK_SHA256: case MK_SHA256_FILE:
		return "hashes are computed in userspace, after the exec";
	case MK_PACKAGE: case MK_PKG_VERIFIED: case MK_FIRST_SEEN:
		return "packages and first sightings are judged in userspace, after the exec";
	default:
		break;
	}
	if (cd->kind != CK_GLOB || cd->key == MK_CONTAINER_NAME ||
	    cd->key == MK_IMAGE || cd->key == MK_K8S_NS || cd->key == MK_K8S_POD)
		return NULL;
	for (i = 0; i < cd->n; i++) {
		if (path && !path_glob_ok(&cd->u.globs[i]))
			return "only absolute paths, and paths ending in one '*', shorter than 256 bytes";
		if (!path && !name_glob_ok(&cd->u.globs[i]))
			return "only names, and names ending in one '*', shorter than 16 bytes";
	}
	return NULL;
}

/* The rule set being built. */
struct emit {
	struct krules *kr;
	unsigned int nstr;
	unsigned int npool;	/* bytes of the pool used */
	bool full;		/* something did not fit */
};

static void op(struct emit *e, unsigned int code, unsigned int arg,
	       unsigned int val)
{
	struct te_kset *s = &e->kr->set;

	if (s->prot_end >= TE_KOPS_MAX) {
		e->full = true;
		return;
	}
	s->ops[s->prot_end++] = (struct te_kop){ .code = code, .arg = arg, .val = val };
}

/* Combine the value on top with the one below it, unless it is the first. */
static void combine(struct emit *e, unsigned int code, size_t i)
{
	if (i)
		op(e, code, 0, 0);
}

/* Put n bytes of s in the pool; their offset there (0 when full). */
static unsigned short pool_put(struct emit *e, const char *s, size_t n)
{
	unsigned int off = e->npool;

	if (n > TE_KPOOL - e->npool) {
		e->full = true;
		return 0;
	}
	memcpy(e->kr->set.pool + off, s, n);
	e->npool += n;
	return (unsigned short)off;
}

/* A new string operand of the given texts; NULL when full, else its index
 * in *idx. */
static struct te_kstr *kstr_new(struct emit *e, unsigned int *idx,
				const char *root, size_t rlen,
				const char *comps, size_t clen,
				const char *part, size_t plen)
{
	struct te_kstr *ks;

	if (e->nstr >= TE_KSTRS_MAX) {
		e->full = true;
		return NULL;
	}
	*idx = e->nstr;
	ks = &e->kr->set.strs[e->nstr++];
	memset(ks, 0, sizeof(*ks));
	ks->rlen = rlen;
	ks->clen = clen;
	ks->plen = plen;
	ks->root_off = pool_put(e, root, rlen);
	ks->comps_off = pool_put(e, comps, clen);
	ks->part_off = pool_put(e, part, plen);
	return ks;
}

/* The components of the first n bytes of an absolute path, leaf first,
 * each NUL-ended, into comps (TE_KSTR_LEN bytes); their length. */
static size_t put_comps(char *comps, const char *path, size_t n)
{
	size_t end = n, start, clen = 0;

	while (end > 0) {
		start = end;
		while (start > 0 && path[start - 1] != '/')
			start--;
		if (end > start) {
			memcpy(comps + clen, path + start, end - start);
			clen += end - start;
			comps[clen++] = '\0';
		}
		end = start ? start - 1 : 0;
	}
	return clen;
}

/* A path glob (checked by path_glob_ok()) as an operation on path id. */
static void path_op(struct emit *e, const struct glob *g, int id)
{
	char comps[TE_KSTR_LEN + 1];
	const char *slash;
	unsigned int idx;
	size_t n, clen;

	if (g->kind == G_ANY) {
		if (kstr_new(e, &idx, "", 0, "", 0, "", 0))
			op(e, TE_KO_PATH, id | 8, idx);
		return;
	}
	n = g->len;
	if (g->kind == G_EXACT) {
		clen = put_comps(comps, g->pat, n);
		if (kstr_new(e, &idx, g->pat, n, comps, clen, "", 0))
			op(e, TE_KO_PATH, id, idx);
		return;
	}
	slash = strrchr(g->pat, '/');
	clen = put_comps(comps, g->pat, (size_t)(slash - g->pat));
	if (kstr_new(e, &idx, g->pat, n, comps, clen, slash + 1, strlen(slash + 1)))
		op(e, TE_KO_PATH, id | 8, idx);
}

/* A name glob (checked by name_glob_ok()) on comm or the parent's. */
static void name_op(struct emit *e, const struct glob *g, bool parent)
{
	unsigned int idx;

	if (g->kind == G_ANY) {
		op(e, TE_KO_CONST, 0, TE_KV_YES);
		return;
	}
	if (kstr_new(e, &idx, g->pat, g->len, "", 0, "", 0))
		op(e, TE_KO_NAME, (parent ? 1 : 0) | (g->kind == G_PREFIX ? 2 : 0), idx);
}

/* The te_path_id a path key tests. */
static int path_id(enum mkey k)
{
	switch (k) {
	case MK_EXE:	return TE_PATH_EXE;
	case MK_FILE:	return TE_PATH_FILE;
	case MK_CWD:	return TE_PATH_CWD;
	default:	return TE_PATH_PEXE;
	}
}

/* A glob condition: any of its globs (one container bit for the
 * container's names). */
static void glob_ops(struct emit *e, const struct cond *cd)
{
	struct krules *kr = e->kr;
	size_t i;

	if (cd->key == MK_CONTAINER_NAME || cd->key == MK_IMAGE ||
	    cd->key == MK_K8S_NS || cd->key == MK_K8S_POD) {
		if (kr->nct >= 64) {
			e->full = true;
			return;
		}
		kr->ctconds[kr->nct] = cd;
		op(e, TE_KO_CTBIT, 0, kr->nct++);
		return;
	}
	for (i = 0; i < cd->n; i++) {
		if (cd->key == MK_COMM || cd->key == MK_PARENT_COMM)
			name_op(e, &cd->u.globs[i], cd->key == MK_PARENT_COMM);
		else
			path_op(e, &cd->u.globs[i], path_id(cd->key));
		combine(e, TE_KO_OR, i);
	}
}

static void bool_op(struct emit *e, const struct cond *cd)
{
	switch (cd->key) {
	case MK_TTY:
		op(e, TE_KO_TTY, cd->b, 0);
		break;
	case MK_FAILED:		/* the kernel judges successful execs */
		op(e, TE_KO_CONST, 0, cd->b ? TE_KV_NO : TE_KV_YES);
		break;
	case MK_UPPER:
		op(e, TE_KO_FLAG, cd->b, TE_F_UPPER);
		break;
	case MK_PARENT_UPPER:
		op(e, TE_KO_FLAG, cd->b, TE_F_PARENT_UPPER);
		break;
	case MK_FILE_UPPER:	/* known, and as wanted */
		op(e, TE_KO_FLAG, 0, TE_F_FILE_UPPER_UNKNOWN);
		op(e, TE_KO_FLAG, cd->b, TE_F_FILE_UPPER);
		op(e, TE_KO_AND, 0, 0);
		break;
	case MK_PATH_CUT:	/* cut, or with a gap */
		op(e, TE_KO_PATHFLAG, cd->b, TE_P_TRUNCATED | TE_P_GAP);
		break;
	case MK_PATH_UNREACHABLE:
		op(e, TE_KO_PATHFLAG, cd->b, TE_P_UNREACHABLE);
		break;
	case MK_FILELESS:
		op(e, TE_KO_FILELESS, cd->b, 0);
		break;
	case MK_LOADER:
		op(e, TE_KO_FLAG, cd->b, TE_F_LOADER);
		break;
	case MK_CONTAINER:
		op(e, TE_KO_CONTAINER, cd->b, 0);
		break;
	default:		/* container_unverified */
		op(e, TE_KO_CONST, 0, TE_KV_MAYBE);
		break;
	}
}

static void match_ops(struct emit *e, const struct match *m);

/* One condition; what the kernel cannot decide is MAYBE. */
static void cond_ops(struct emit *e, const struct cond *cd)
{
	static const unsigned int ids[] = {
		[MK_UID] = TE_KID_UID, [MK_GID] = TE_KID_GID,
		[MK_LOGINUID] = TE_KID_LOGINUID,
	};
	size_t i;

	if (krules_refused(cd)) {
		op(e, TE_KO_CONST, 0, TE_KV_MAYBE);
		return;
	}
	switch (cd->kind) {
	case CK_BOOL:
		bool_op(e, cd);
		break;
	case CK_IDS:
		for (i = 0; i < cd->n; i++) {
			op(e, TE_KO_ID, ids[cd->key], cd->u.ids[i]);
			combine(e, TE_KO_OR, i);
		}
		break;
	case CK_ERRNO:
		op(e, TE_KO_CONST, 0, TE_KV_NO);
		break;
	case CK_GLOB:
		glob_ops(e, cd);
		break;
	case CK_NOT:
		match_ops(e, cd->u.sub);
		op(e, TE_KO_NOT, 0, 0);
		break;
	case CK_ANY:
		for (i = 0; i < cd->n; i++) {
			match_ops(e, cd->u.any[i]);
			combine(e, TE_KO_OR, i);
		}
		break;
	default:
		op(e, TE_KO_CONST, 0, TE_KV_MAYBE);
		break;
	}
}

/* All conditions of m (an empty match holds). */
static void match_ops(struct emit *e, const struct match *m)
{
	size_t i;

	if (!m->n)
		op(e, TE_KO_CONST, 0, TE_KV_YES);
	for (i = 0; i < m->n; i++) {
		cond_ops(e, &m->c[i]);
		combine(e, TE_KO_AND, i);
	}
}

/* The protected paths: one rule, any of them on the file or the exe. */
static void protect_ops(struct emit *e, const struct te_settings *s)
{
	struct glob g = { 0 };
	char pat[TE_PROTECT_LEN];
	size_t i, n = 0;

	for (i = 0; i < s->nprotect; i++) {
		snprintf(pat, sizeof(pat), "%s", s->protect[i]);
		g.pat = pat;
		g.len = strlen(pat);
		g.kind = G_EXACT;
		if (g.len && pat[g.len - 1] == '*') {
			pat[--g.len] = '\0';
			g.kind = G_PREFIX;
		}
		path_op(e, &g, TE_PATH_EXE);
		combine(e, TE_KO_OR, n++);
		path_op(e, &g, TE_PATH_FILE);
		combine(e, TE_KO_OR, n++);
	}
	if (n)
		op(e, TE_KO_END, TE_KEND_PROTECT, 0);
}

unsigned int krules_cond_facts(const struct cond *cd)
{
	switch (cd->key) {
	case MK_CONTAINER:	return cd->b ? TE_KF_HOST : TE_KF_CONTAINER;
	case MK_UPPER:		return cd->b ? TE_KF_NOT_UPPER : TE_KF_UPPER;
	case MK_PARENT_UPPER:	return cd->b ? TE_KF_NOT_PUPPER : TE_KF_PUPPER;
	case MK_FILE_UPPER:
		return cd->b ? TE_KF_FUPPER_NOT_TRUE : TE_KF_FUPPER_NOT_FALSE;
	case MK_TTY:		return cd->b ? TE_KF_NO_TTY : TE_KF_TTY;
	case MK_FILELESS:
		return cd->b ? TE_KF_NOT_FILELESS : TE_KF_FILELESS;
	case MK_LOADER:		return cd->b ? TE_KF_NOT_LOADER : TE_KF_LOADER;
	default:		return 0;
	}
}

/*
 * A rule: its conditions, cheapest first, each followed by a jump to its
 * end once their AND is NO (the rest cannot change that). The index
 * (kill-index.c) rules it out at once where the exec's facts do.
 */
static void rule_ops(struct emit *e, const struct rule *r, unsigned int idx)
{
	size_t i;

	if (!r->match->n)
		op(e, TE_KO_CONST, 0, TE_KV_YES);
	for (i = 0; i < r->match->n; i++) {
		cond_ops(e, &r->match->c[i]);
		combine(e, TE_KO_AND, i);
		if (i + 1 < r->match->n)
			op(e, TE_KO_JNO, 0, 0);
	}
	op(e, TE_KO_END, r->kill ? TE_KEND_KILL : TE_KEND_PASS, idx);
}

int krules_build(const struct policy *p, const struct te_settings *s,
		 struct krules **out)
{
	struct emit e = { 0 };
	const struct rule *r;
	size_t i, last = 0;
	int ret;

	*out = NULL;
	e.kr = calloc(1, sizeof(*e.kr));
	if (!e.kr)
		return -ENOMEM;
	for (i = 0; (r = policy_rule(p, i)); i++)
		if (r->kill) {
			last = i + 1;
			e.kr->any_kill = true;
		}
	if (last > TE_KRULES_MAX) {
		free(e.kr);
		return -E2BIG;
	}
	for (i = 0; i < last; i++) {
		e.kr->set.idx.rule_op[i] = e.kr->set.prot_end;
		rule_ops(&e, policy_rule(p, i), (unsigned int)i);
	}
	e.kr->set.nrules = last;
	e.kr->set.nops = e.kr->set.prot_end;
	e.kr->set.idx.rule_op[last] = e.kr->set.nops;
	protect_ops(&e, s);
	e.kr->set.enforce = s->enforce;
	ret = e.full ? -E2BIG : kindex_build(&e.kr->set, p);
	if (ret < 0) {
		free(e.kr);
		return ret;
	}
	*out = e.kr;
	return 0;
}

/* The string of container c that key k tests. */
static const char *ct_subject(enum mkey k, const struct container *c)
{
	switch (k) {
	case MK_CONTAINER_NAME:	return c->name;
	case MK_IMAGE:		return c->image;
	case MK_K8S_NS:		return c->k8s_namespace;
	default:		return c->k8s_pod;
	}
}

uint64_t krules_container_bits(const struct krules *kr,
			       const struct container *c)
{
	uint64_t bits = 0;
	unsigned int i;

	if (!kr || !c)
		return 0;
	for (i = 0; i < kr->nct; i++)
		if (match_cond_string(kr->ctconds[i], ct_subject(kr->ctconds[i]->key, c)))
			bits |= 1ULL << i;
	return bits;
}
