// SPDX-License-Identifier: GPL-2.0-or-later
/* match-compile.c: compile `match:` mappings into conditions. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg-yaml.h"
#include "config/match-compile.h"
#include "config/match-hash.h"
#include "core/array.h"
#include "core/util.h"
#include "policy/kill-compile.h"
#include "policy/match-compiled.h"
#include "policy/match.h"

#define MATCH_MAX_DEPTH	16	/* nesting of not:/any: */

static const char *const mkey_names[MK_NR] = {
	[MK_COMM] = "comm", [MK_PARENT_COMM] = "parent_comm",
	[MK_EXE] = "exe", [MK_FILE] = "file", [MK_CWD] = "cwd",
	[MK_PARENT_EXE] = "parent_exe", [MK_ARGS] = "args",
	[MK_ARGS_REGEX] = "args_regex", [MK_UID] = "uid",
	[MK_USER] = "user", [MK_GID] = "gid", [MK_GROUP] = "group",
	[MK_LOGINUID] = "loginuid", [MK_LOGINUSER] = "loginuser",
	[MK_TTY] = "tty", [MK_FAILED] = "failed", [MK_ERROR] = "error",
	[MK_UPPER] = "upper_layer", [MK_PARENT_UPPER] = "parent_upper_layer",
	[MK_FILE_UPPER] = "file_upper_layer",
	[MK_PATH_CUT] = "path_truncated",
	[MK_PATH_UNREACHABLE] = "path_unreachable",
	[MK_CONTAINER] = "container",
	[MK_CONTAINER_NAME] = "container_name", [MK_IMAGE] = "image",
	[MK_K8S_NS] = "k8s_namespace", [MK_K8S_POD] = "k8s_pod",
	[MK_CONTAINER_UNVERIFIED] = "container_unverified",
	[MK_FILELESS] = "fileless", [MK_LOADER] = "loader",
	[MK_SHA256] = "sha256", [MK_SHA256_FILE] = "sha256_file",
	[MK_PACKAGE] = "package", [MK_PKG_VERIFIED] = "package_verified",
	[MK_FIRST_SEEN] = "first_seen",
	[MK_NOT] = "not", [MK_ANY] = "any",
};

/* The kind of condition key k compiles to. */
static enum ckind mkey_kind(enum mkey k)
{
	switch (k) {
	case MK_UID: case MK_GID: case MK_LOGINUID:
		return CK_IDS;
	case MK_TTY: case MK_FAILED: case MK_UPPER: case MK_PARENT_UPPER:
	case MK_FILE_UPPER: case MK_PATH_CUT: case MK_PATH_UNREACHABLE:
	case MK_CONTAINER: case MK_CONTAINER_UNVERIFIED: case MK_FILELESS:
	case MK_LOADER:
		return CK_BOOL;
	case MK_ERROR:
		return CK_ERRNO;
	case MK_SHA256: case MK_SHA256_FILE:
		return CK_HASH;
	case MK_ARGS_REGEX:
		return CK_REGEX;
	case MK_NOT:
		return CK_NOT;
	case MK_ANY:
		return CK_ANY;
	default:
		return CK_GLOB;
	}
}

/* ---- glob patterns ---- */

static const char *const glob_classes[] = {
	"alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower",
	"print", "punct", "space", "upper", "xdigit",
};

/* Skip a "[:class:]" at p (just past its '['); NULL if unknown/unterminated. */
static const char *skip_class(const char *p, const char **why)
{
	const char *end = strstr(p + 1, ":]");
	size_t i, len;

	if (!end) {
		*why = "unterminated '[:'";
		return NULL;
	}
	len = (size_t)(end - p - 1);
	for (i = 0; i < ARRAY_SIZE(glob_classes); i++)
		if (strlen(glob_classes[i]) == len &&
		    !strncmp(p + 1, glob_classes[i], len))
			return end + 2;
	*why = "unknown character class";
	return NULL;
}

/* Skip a bracket expression starting at '['; NULL and *why if bad. */
static const char *skip_bracket(const char *p, const char **why)
{
	p++;
	if (*p == '!' || *p == '^')
		p++;
	if (*p == ']')
		p++;
	for (;;) {
		if (!*p) {
			*why = "unterminated '['";
			return NULL;
		}
		if (*p == ']')
			return p + 1;
		if (*p == '\\' && p[1]) {
			p += 2;
		} else if (*p == '[' && p[1] == ':') {
			p = skip_class(p + 1, why);
			if (!p)
				return NULL;
		} else {
			p++;
		}
	}
}

/* Where a pattern's wildcard stars are (not escaped, not in brackets). */
struct glob_stars {
	const char *first, *last;	/* NULL: no star */
};

/*
 * Check a glob pattern (fnmatch(3), flags 0) and find its stars; NULL
 * when valid, else why not.
 */
static const char *glob_scan(const char *pat, struct glob_stars *st)
{
	const char *p = pat, *why = NULL;

	st->first = st->last = NULL;
	while (*p) {
		if (*p == '\\') {
			if (!p[1])
				return "trailing backslash";
			p += 2;
		} else if (*p == '[') {
			p = skip_bracket(p, &why);
			if (!p)
				return why;
		} else {
			if (*p == '*') {
				st->first = st->first ? st->first : p;
				st->last = p;
			}
			p++;
		}
	}
	return NULL;
}

/*
 * Keep what match-path.c needs of pattern s: the pattern whole, its tail
 * from the first star and its head up to the last star. 0 or -ENOMEM.
 */
static int glob_parts(struct glob *g, const char *s,
		      const struct glob_stars *st)
{
	g->whole = strdup(s);
	if (!g->whole)
		return -ENOMEM;
	if (!st->first)
		return 0;
	g->tail = g->whole + (st->first - s);
	g->head = strndup(s, (size_t)(st->last - s) + 1);
	return g->head ? 0 : -ENOMEM;
}

/* True for the keys whose subject is a path (see match-path.h). */
static bool mkey_is_path(enum mkey k)
{
	return k == MK_EXE || k == MK_FILE || k == MK_CWD ||
	       k == MK_PARENT_EXE;
}

/* Pick the fastest way to test pattern g->pat (which it owns). */
static void glob_classify(struct glob *g)
{
	char *pat = g->pat, *star;
	size_t len = strlen(pat);

	g->len = len;
	if (strpbrk(pat, "?[\\")) {
		g->kind = G_FN;
		return;
	}
	star = strchr(pat, '*');
	if (!star) {
		g->kind = G_EXACT;
	} else if (strspn(pat, "*") == len) {
		g->kind = G_ANY;
	} else if (star == pat && !strchr(pat + 1, '*')) {
		g->kind = G_SUFFIX;
		memmove(pat, pat + 1, len);
		g->len = len - 1;
	} else if (star == pat && pat[len - 1] == '*' &&
		   !memchr(pat + 1, '*', len - 2)) {
		g->kind = G_INFIX;
		memmove(pat, pat + 1, len - 2);
		pat[len - 2] = '\0';
		g->len = len - 2;
	} else if (!strchr(star + 1, '*')) {
		*star = '\0';
		g->kind = star[1] ? G_PRESUF : G_PREFIX;
		g->len = (size_t)(star - pat);
		g->suf = star + 1;
		g->suflen = strlen(star + 1);
	} else {
		g->kind = G_FN;
	}
}

/* ---- condition values ---- */

static struct match *compile_map(struct cfg_ctx *c, yaml_node_t *n, int depth);

/*
 * Spend one unit of the file's budget on node n: aliases can make a small
 * file a huge tree. False once it is used up, reported at the node that
 * used it up.
 */
static bool budget_spend(struct cfg_ctx *c, const yaml_node_t *n)
{
	if (!c->budget)
		return false;
	if (!--c->budget) {
		cfg_error(c, n, "match conditions are too large");
		return false;
	}
	return true;
}

/* Reserve room for one more value (of size bytes) in cond's array, ids or
 * globs: the pointer the union starts with. 0 or -ENOMEM. */
static int cond_grow(struct cfg_ctx *c, struct cond *cd, size_t size)
{
	if (array_reserve(&cd->u, &cd->cap, cd->n + 1, size) < 0) {
		c->oom = true;
		return -ENOMEM;
	}
	return 0;
}

/* Parse one id value: a number, or "unset" for loginuid. */
static int add_id(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	uint32_t id;

	if (cd->key == MK_LOGINUID && v->type == YAML_SCALAR_NODE &&
	    !strcmp((const char *)v->data.scalar.value, "unset"))
		id = LOGINUID_UNSET;
	else if (cfg_u32(c, v, 0, UINT32_MAX, &id) < 0)
		return -EINVAL;
	if (cond_grow(c, cd, sizeof(*cd->u.ids)) < 0)
		return -ENOMEM;
	cd->u.ids[cd->n++] = id;
	return 0;
}

/* Parse one errno name. */
static int add_errno(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "an errno name");
	int e;

	if (!s)
		return -EINVAL;
	e = errno_from_name(s);
	if (e < 0) {
		cfg_error(c, v, "'%s' is not an errno name (like ENOENT, EACCES)",
			  s);
		return -EINVAL;
	}
	if (cond_grow(c, cd, sizeof(*cd->u.ids)) < 0)
		return -ENOMEM;
	cd->u.ids[cd->n++] = (uint32_t)e;
	return 0;
}

/* Whether s is one of the words a key of fixed values takes (package_verified,
 * first_seen); reported when not. Other keys take any glob. */
static bool word_ok(struct cfg_ctx *c, const struct cond *cd, yaml_node_t *v,
		    const char *s)
{
	static const char *const verdicts[] = { "yes", "modified", "unpackaged", "unknown", NULL };
	static const char *const seen[] = { "host", "image", NULL };
	const char *const *w = cd->key == MK_PKG_VERIFIED ? verdicts :
			       cd->key == MK_FIRST_SEEN ? seen : NULL;
	size_t i;

	if (!w)
		return true;
	for (i = 0; w[i]; i++)
		if (!strcmp(s, w[i]))
			return true;
	cfg_error(c, v, "'%s' takes %s, not '%s'", mkey_names[cd->key],
		  cd->key == MK_PKG_VERIFIED ? "yes, modified, unpackaged or unknown" :
		  "host or image", s);
	return false;
}

/* Parse one glob; "unset" is a token for loginuser. */
static int add_glob(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "a glob pattern");
	struct glob_stars st;
	const char *why;
	struct glob *g;

	if (!s)
		return -EINVAL;
	if (cd->key == MK_LOGINUSER && !strcmp(s, "unset")) {
		cd->b = true;
		return 0;
	}
	if (!word_ok(c, cd, v, s))
		return -EINVAL;
	why = glob_scan(s, &st);
	if (why) {
		cfg_error(c, v, "bad glob '%s': %s", s, why);
		return -EINVAL;
	}
	if (cond_grow(c, cd, sizeof(*cd->u.globs)) < 0)
		return -ENOMEM;
	g = &cd->u.globs[cd->n];
	memset(g, 0, sizeof(*g));
	g->pat = strdup(s);
	cd->n++;	/* freed with the condition, whatever failed */
	if (!g->pat || (mkey_is_path(cd->key) && glob_parts(g, s, &st) < 0)) {
		c->oom = true;
		return -ENOMEM;
	}
	glob_classify(g);
	return 0;
}

typedef int (*add_value_fn)(struct cfg_ctx *c, struct cond *cd,
			    yaml_node_t *v);

/* Feed a scalar or a non-empty list of scalars to add; 0 or -EINVAL. */
static int add_values(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v,
		      add_value_fn add)
{
	yaml_node_item_t *it;
	int r = 0;

	if (v->type == YAML_SCALAR_NODE)
		return add(c, cd, v);
	if (v->type != YAML_SEQUENCE_NODE) {
		cfg_error(c, v, "'%s' takes a value or a list of values, not a mapping",
			  mkey_names[cd->key]);
		return -EINVAL;
	}
	if (v->data.sequence.items.start == v->data.sequence.items.top) {
		cfg_error(c, v, "'%s' needs at least one value",
			  mkey_names[cd->key]);
		return -EINVAL;
	}
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *item = cfg_node(c, *it);

		if (!budget_spend(c, item))
			return -EINVAL;
		if (item->type != YAML_SCALAR_NODE) {
			cfg_error(c, item, "a '%s' list may only hold plain values",
				  mkey_names[cd->key]);
			r = -EINVAL;
			continue;
		}
		if (add(c, cd, item) < 0)
			r = -EINVAL;
	}
	return r;
}

/* Index of the ']' closing the regex bracket expression at s[i] == '['. */
static size_t regex_skip_bracket(const char *s, size_t i)
{
	size_t n = strlen(s);

	i++;
	if (i < n && s[i] == '^')
		i++;
	if (i < n && s[i] == ']')
		i++;
	while (i < n && s[i] != ']') {
		if (s[i] == '[' && i + 1 < n && strchr(":=.", s[i + 1])) {
			const char *e = strchr(s + i + 2, ']');

			if (!e)
				return n;
			i = (size_t)(e - s);
		}
		i++;
	}
	return i;
}

/*
 * Why a regex is refused before regcomp() sees it, or NULL. glibc's
 * regcomp() takes exponential time and memory on stacked repetitions such
 * as "a+++" (undefined in POSIX extended regexes anyway): a fuzzed
 * configuration made it run for seconds and use 2 GB.
 */
static const char *regex_refused(const char *s)
{
	bool after_rep = false;
	size_t i, n = strlen(s);
	const char *e;

	if (n > 1024)
		return "longer than 1024 bytes";
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			i++;
			after_rep = false;
			break;
		case '[':
			i = regex_skip_bracket(s, i);
			after_rep = false;
			break;
		case '*': case '+': case '?': case '{':
			if (after_rep)
				return "a repetition directly after another";
			if (s[i] == '{' && (e = strchr(s + i, '}')))
				i = (size_t)(e - s);
			after_rep = true;
			break;
		default:
			after_rep = false;
		}
	}
	return NULL;
}

/* Compile an extended regex for args_regex. */
static int add_regex(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "a regular expression");
	const char *why;
	char msg[256];
	int r;

	if (!s)
		return -EINVAL;
	why = regex_refused(s);
	if (why) {
		cfg_error(c, v, "bad regex '%s': %s", s, why);
		return -EINVAL;
	}
	cd->u.re = malloc(sizeof(*cd->u.re));
	if (!cd->u.re) {
		c->oom = true;
		return -ENOMEM;
	}
	r = regcomp(cd->u.re, s, REG_EXTENDED | REG_NOSUB);
	if (r) {
		regerror(r, cd->u.re, msg, sizeof(msg));
		cfg_error(c, v, "bad regex '%s': %s", s, msg);
		free(cd->u.re);
		cd->u.re = NULL;
		return -EINVAL;
	}
	cd->n = 1;
	return 0;
}

/* Compile the list of an `any:` key. */
static int add_any(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v,
		   int depth)
{
	yaml_node_item_t *it;
	size_t n;
	int r = 0;

	if (v->type != YAML_SEQUENCE_NODE ||
	    v->data.sequence.items.start == v->data.sequence.items.top) {
		cfg_error(c, v, "'any' takes a non-empty list of match mappings");
		return -EINVAL;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	cd->u.any = calloc(n, sizeof(*cd->u.any));
	if (!cd->u.any) {
		c->oom = true;
		return -ENOMEM;
	}
	for (it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		cd->u.any[cd->n] = compile_map(c, cfg_node(c, *it), depth + 1);
		if (!cd->u.any[cd->n])
			r = -EINVAL;
		else
			cd->n++;
	}
	return r;
}

/* ---- compiling a map ---- */

struct compile_state {
	struct match *m;
	int depth;
	bool failed;
};

/* Build the condition for one key of a match map. */
static int cond_parse(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v,
		      int depth)
{
	switch (cd->kind) {
	case CK_BOOL:
		return cfg_bool(c, v, &cd->b);
	case CK_IDS:
		return add_values(c, cd, v, add_id);
	case CK_ERRNO:
		return add_values(c, cd, v, add_errno);
	case CK_GLOB:
		return add_values(c, cd, v, add_glob);
	case CK_REGEX:
		return add_regex(c, cd, v);
	case CK_HASH:
		return match_hash_parse(c, cd, v);
	case CK_NOT:
		cd->u.sub = compile_map(c, v, depth + 1);
		return cd->u.sub ? 0 : -EINVAL;
	default:
		return add_any(c, cd, v, depth);
	}
}

/* cfg_map_each() callback: append one condition. */
static void match_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
		       yaml_node_t *val, void *arg)
{
	struct compile_state *st = arg;
	struct cond *cd = &st->m->c[st->m->n++];

	const char *why;

	cd->key = (enum mkey)idx;
	cd->kind = mkey_kind(cd->key);
	if (cond_parse(c, cd, val, st->depth) < 0) {
		st->failed = true;
		return;
	}
	why = c->kernel ? krules_refused(cd) : NULL;
	if (why) {
		cfg_error(c, key, "'%s' cannot be decided in the kernel (%s): a kill rule may use only %s",
			  mkey_names[cd->key], why, KRULES_KEYS);
		st->failed = true;
	}
}

/* Stable sort of the conditions by cost (kind). */
static void match_sort(struct match *m)
{
	struct cond tmp;
	size_t i, j;

	for (i = 1; i < m->n; i++) {
		tmp = m->c[i];
		for (j = i; j > 0 && m->c[j - 1].kind > tmp.kind; j--)
			m->c[j] = m->c[j - 1];
		m->c[j] = tmp;
	}
}

/* Report depth and size limits; false when the map must not be compiled. */
static bool match_limits(struct cfg_ctx *c, yaml_node_t *n, int depth)
{
	if (!budget_spend(c, n))
		return false;
	if (depth > MATCH_MAX_DEPTH) {
		cfg_error(c, n, "'not'/'any' nested deeper than %d levels",
			  MATCH_MAX_DEPTH);
		return false;
	}
	if (n->type != YAML_MAPPING_NODE) {
		cfg_error(c, n, "a match must be a mapping of keys to values");
		return false;
	}
	return true;
}

/* Compile the match map n, nested depth levels deep; NULL after errors. */
static struct match *compile_map(struct cfg_ctx *c, yaml_node_t *n, int depth)
{
	struct compile_state st = { .depth = depth };
	size_t npairs;

	if (!match_limits(c, n, depth))
		return NULL;
	npairs = (size_t)(n->data.mapping.pairs.top -
			  n->data.mapping.pairs.start);
	st.m = calloc(1, sizeof(*st.m) + npairs * sizeof(st.m->c[0]));
	if (!st.m) {
		c->oom = true;
		return NULL;
	}
	cfg_map_each(c, n, "match", mkey_names, MK_NR, match_pair, &st);
	if (st.failed) {
		match_free(st.m);
		return NULL;
	}
	match_sort(st.m);
	return st.m;
}

struct match *match_compile(struct cfg_ctx *c, yaml_node_t *n)
{
	return compile_map(c, n, 0);
}
