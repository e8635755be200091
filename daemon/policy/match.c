// SPDX-License-Identifier: GPL-2.0-or-later
/* match.c: test events on compiled match conditions; free them. */
#include <fnmatch.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "policy/match.h"
#include "policy/match-compiled.h"
#include "policy/match-path.h"

/* ---- globs ---- */

/* Inline comparisons: most tests fail on the first bytes, and a libc
 * call costs more than that for the short strings of an event. */
static inline bool str_eq(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return *s == *p;
}

static inline bool has_prefix(const char *s, const char *p)
{
	while (*p && *s == *p) {
		s++;
		p++;
	}
	return !*p;
}

/* Test one string against one compiled glob. */
static bool glob_match(const struct glob *g, const char *s)
{
	size_t n;

	switch (g->kind) {
	case G_ANY:
		return true;
	case G_EXACT:
		return str_eq(s, g->pat);
	case G_PREFIX:
		return has_prefix(s, g->pat);
	case G_SUFFIX:
		n = strlen(s);
		return n >= g->len && !memcmp(s + n - g->len, g->pat, g->len);
	case G_INFIX:
		return strstr(s, g->pat) != NULL;
	case G_PRESUF:
		n = strlen(s);
		return n >= g->len + g->suflen && has_prefix(s, g->pat) &&
		       !memcmp(s + n - g->suflen, g->suf, g->suflen);
	default:
		return fnmatch(g->pat, s, 0) == 0;
	}
}

bool match_cond_string(const struct cond *cd, const char *s)
{
	size_t i;

	for (i = 0; i < cd->n; i++)
		if (glob_match(&cd->u.globs[i], s))
			return true;
	return false;
}

/* ---- freeing ---- */

static void cond_free(struct cond *cd)
{
	size_t i;

	switch (cd->kind) {
	case CK_GLOB:
		for (i = 0; i < cd->n; i++) {
			free(cd->u.globs[i].pat);
			free(cd->u.globs[i].whole);
			free(cd->u.globs[i].head);
		}
		free(cd->u.globs);
		break;
	case CK_REGEX:
		if (cd->u.re)
			regfree(cd->u.re);
		free(cd->u.re);
		break;
	case CK_NOT:
		match_free(cd->u.sub);
		break;
	case CK_ANY:
		for (i = 0; i < cd->n; i++)
			match_free(cd->u.any[i]);
		free(cd->u.any);
		break;
	default:
		free(cd->u.ids);
		break;
	}
}

void match_free(struct match *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->n; i++)
		cond_free(&m->c[i]);
	free(m);
}

/* ---- prefilter ---- */

enum {
	MF_TTY = 1, MF_FAILED = 2, MF_UPPER = 4, MF_PARENT_UPPER = 8,
	MF_CONTAINER = 16, MF_UNVERIFIED = 32, MF_PATH_CUT = 64,
	MF_PATH_UNREACHABLE = 128,
};

/*
 * Whether the flags of path id say something about this exec. The exe of
 * a failed exec is the caller's own, opened before it, perhaps in a mount
 * namespace the caller has left since (unshare -m): its flags do not
 * count, and its globs take its text as written.
 */
static bool path_flags_count(const struct exec_event *ev, int id)
{
	return !(id == EXEC_PATH_EXE && ev->failed);
}

/* True when the file, the cwd or the exe was cut before its root, or
 * (when `unreachable`) walked to a root the process cannot reach. */
static bool path_flagged(const struct exec_event *ev, bool unreachable)
{
	static const int ids[] = { EXEC_PATH_FILE, EXEC_PATH_CWD,
				   EXEC_PATH_EXE };
	const struct exec_path *p;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		p = &ev->path[ids[i]];
		if (p->s && path_flags_count(ev, ids[i]) &&
		    (unreachable ? p->unreachable : p->truncated || p->gap))
			return true;
	}
	return false;
}

/* Bloom bit of a name. */
static uint64_t name_bit(const char *s)
{
	uint64_t h = hash64(s, strlen(s));

	return 1ULL << ((h ^ (h >> 32) ^ (h >> 16)) & 63);
}

void match_facts(const struct exec_event *ev, struct match_facts *f)
{
	f->flags = (ev->tty[0] ? MF_TTY : 0) | (ev->failed ? MF_FAILED : 0) |
		   (ev->upper_layer ? MF_UPPER : 0) |
		   (ev->parent_upper_layer ? MF_PARENT_UPPER : 0) |
		   (ev->container ? MF_CONTAINER : 0) |
		   (ev->container_unverified ? MF_UNVERIFIED : 0) |
		   (path_flagged(ev, false) ? MF_PATH_CUT : 0) |
		   (path_flagged(ev, true) ? MF_PATH_UNREACHABLE : 0);
	f->comm_bit = name_bit(ev->comm);
	f->pcomm_bit = name_bit(ev->pcomm);
}

/* Bloom of a list of exact names; 0 when one is a real pattern. */
static uint64_t names_bloom(const struct cond *cd)
{
	uint64_t b = 0;
	size_t i;

	for (i = 0; i < cd->n; i++) {
		if (cd->u.globs[i].kind != G_EXACT)
			return 0;
		b |= name_bit(cd->u.globs[i].pat);
	}
	return b;
}

void match_filter(const struct match *m, struct match_filter *flt)
{
	static const uint32_t bits[MK_NR] = {
		[MK_TTY] = MF_TTY, [MK_FAILED] = MF_FAILED,
		[MK_UPPER] = MF_UPPER, [MK_PARENT_UPPER] = MF_PARENT_UPPER,
		[MK_CONTAINER] = MF_CONTAINER,
		[MK_CONTAINER_UNVERIFIED] = MF_UNVERIFIED,
		[MK_PATH_CUT] = MF_PATH_CUT,
		[MK_PATH_UNREACHABLE] = MF_PATH_UNREACHABLE,
	};
	const struct cond *cd;
	size_t i;

	memset(flt, 0, sizeof(*flt));
	for (i = 0; i < m->n; i++) {
		cd = &m->c[i];
		if (cd->kind == CK_BOOL && bits[cd->key]) {
			flt->mask |= bits[cd->key];
			flt->want |= cd->b ? bits[cd->key] : 0;
		} else if (cd->kind == CK_GLOB && cd->key == MK_COMM) {
			flt->comm = names_bloom(cd);
		} else if (cd->kind == CK_GLOB && cd->key == MK_PARENT_COMM) {
			flt->pcomm = names_bloom(cd);
		}
	}
}

/* ---- evaluation ---- */

static bool eval_bool(const struct cond *cd, const struct exec_event *ev)
{
	switch (cd->key) {
	case MK_TTY:
		return (ev->tty[0] != '\0') == cd->b;
	case MK_FAILED:
		return ev->failed == cd->b;
	case MK_UPPER:
		return ev->upper_layer == cd->b;
	case MK_PARENT_UPPER:
		return ev->parent_upper_layer == cd->b;
	case MK_FILE_UPPER:
		return ev->file_upper_known && ev->file_upper_layer == cd->b;
	case MK_CONTAINER_UNVERIFIED:
		return (ev->container_unverified != NULL) == cd->b;
	case MK_PATH_CUT:
		return path_flagged(ev, false) == cd->b;
	case MK_PATH_UNREACHABLE:
		return path_flagged(ev, true) == cd->b;
	case MK_FILELESS:
		return EXEC_EXE(ev) && !ev->failed &&
		       ev->path[EXEC_PATH_EXE].deleted == cd->b;
	case MK_LOADER:
		return !ev->failed && ev->loader == cd->b;
	default:
		return (ev->container != NULL) == cd->b;
	}
}

static bool eval_ids(const struct cond *cd, uint32_t v)
{
	size_t i;

	for (i = 0; i < cd->n; i++)
		if (cd->u.ids[i] == v)
			return true;
	return false;
}

/* The path a path key tests, -1 for the other keys. */
static int glob_path(enum mkey k)
{
	switch (k) {
	case MK_EXE:		return EXEC_PATH_EXE;
	case MK_FILE:		return EXEC_PATH_FILE;
	case MK_CWD:		return EXEC_PATH_CWD;
	case MK_PARENT_EXE:	return EXEC_PATH_PARENT_EXE;
	default:		return -1;
	}
}

/* The string a non-path glob key tests, NULL when the event lacks it. */
static const char *glob_subject(enum mkey k, const struct exec_event *ev)
{
	const struct container *ct = ev->container;

	switch (k) {
	case MK_COMM:		return ev->comm;
	case MK_PARENT_COMM:	return ev->pcomm;
	case MK_ARGS:		return ev->argv_str;
	/* the host's names: a container's passwd may name any uid at will */
	case MK_USER:		return ev->host_user;
	case MK_GROUP:		return ev->host_group;
	case MK_LOGINUSER:	return ev->loginuser;
	case MK_CONTAINER_NAME:	return ct ? ct->name : NULL;
	case MK_IMAGE:		return ct ? ct->image : NULL;
	case MK_K8S_NS:		return ct ? ct->k8s_namespace : NULL;
	case MK_K8S_POD:	return ct ? ct->k8s_pod : NULL;
	case MK_PACKAGE:	return ev->pkg_name[0] ? ev->pkg_name : NULL;
	case MK_PKG_VERIFIED:	return ev->pkg_verified;
	case MK_FIRST_SEEN:	return ev->first_seen;
	default:		return NULL;
	}
}

/* MATCH_YES or MATCH_NO. */
static inline enum match_result sure(bool b)
{
	return b ? MATCH_YES : MATCH_NO;
}

/* The surest answer of any of cd's globs on a path known in part. */
static enum match_result eval_partial(const struct cond *cd,
				      const struct exec_path *p)
{
	enum match_result best = MATCH_NO, r;
	size_t i;

	for (i = 0; i < cd->n && best != MATCH_YES; i++) {
		r = path_glob_partial(&cd->u.globs[i], p);
		if (r > best)
			best = r;
	}
	return best;
}

static enum match_result eval_glob(const struct cond *cd,
				   const struct exec_event *ev)
{
	int id = glob_path(cd->key);
	const struct exec_path *p = id >= 0 ? &ev->path[id] : NULL;
	const char *s;
	size_t i;

	if (cd->key == MK_LOGINUSER && ev->loginuid == LOGINUID_UNSET)
		return sure(cd->b);
	if (p && p->s && path_partial(p) && path_flags_count(ev, id))
		return eval_partial(cd, p);
	s = p ? p->s : glob_subject(cd->key, ev);
	if (!s)
		return MATCH_NO;
	for (i = 0; i < cd->n; i++)
		if (glob_match(&cd->u.globs[i], s))
			return MATCH_YES;
	return MATCH_NO;
}

/* The surest answer of any of the matches of an `any:`. */
static enum match_result eval_any(const struct cond *cd,
				  const struct exec_event *ev)
{
	enum match_result best = MATCH_NO, r;
	size_t i;

	for (i = 0; i < cd->n && best != MATCH_YES; i++) {
		r = match_eval(cd->u.any[i], ev);
		if (r > best)
			best = r;
	}
	return best;
}

/* True when hex (64 lower-case hex digits, or "") is in cd's list of
 * `sha256:` digests (sorted, unique: config/match-hash.c). */
static bool match_hash_has(const struct cond *cd, const char *hex)
{
	if (!hex || !hex[0] || !cd->n)
		return false;
	return bsearch(hex, cd->u.hashes, cd->n, sizeof(*cd->u.hashes),
		       (int (*)(const void *, const void *))strcmp) != NULL;
}

unsigned int match_needs(const struct match *m)
{
	const struct cond *cd;
	unsigned int need = 0;
	size_t i, j;

	for (i = 0; m && i < m->n; i++) {
		cd = &m->c[i];
		if (cd->kind == CK_HASH)
			need |= MATCH_NEEDS_HASH;
		else if (cd->key == MK_PACKAGE || cd->key == MK_PKG_VERIFIED)
			need |= MATCH_NEEDS_HASH | MATCH_NEEDS_PACKAGE;
		else if (cd->key == MK_FIRST_SEEN)
			need |= MATCH_NEEDS_HASH | MATCH_NEEDS_FIRST_SEEN;
		else if (cd->kind == CK_NOT)
			need |= match_needs(cd->u.sub);
		for (j = 0; cd->kind == CK_ANY && j < cd->n; j++)
			need |= match_needs(cd->u.any[j]);
	}
	return need;
}

bool match_uses_hash(const struct match *m)
{
	return match_needs(m) != 0;
}

static enum match_result eval_cond(const struct cond *cd,
				   const struct exec_event *ev)
{
	switch (cd->kind) {
	case CK_BOOL:
		return sure(eval_bool(cd, ev));
	case CK_IDS:
		return sure(eval_ids(cd, cd->key == MK_UID ? ev->uid :
				     cd->key == MK_GID ? ev->gid :
				     ev->loginuid));
	case CK_ERRNO:
		return sure(ev->failed && eval_ids(cd, (uint32_t)ev->error));
	case CK_GLOB:
		return eval_glob(cd, ev);
	case CK_REGEX:
		return sure(ev->argv_str &&
			    regexec(cd->u.re, ev->argv_str, 0, NULL, 0) == 0);
	case CK_HASH:
		return sure(match_hash_has(cd, ev->sha256));
	case CK_NOT:
		return MATCH_YES - match_eval(cd->u.sub, ev);
	default:
		return eval_any(cd, ev);
	}
}

enum match_result match_eval(const struct match *m,
			     const struct exec_event *ev)
{
	enum match_result least = MATCH_YES, r;
	size_t i;

	for (i = 0; i < m->n && least != MATCH_NO; i++) {
		r = eval_cond(&m->c[i], ev);
		if (r < least)
			least = r;
	}
	return least;
}
