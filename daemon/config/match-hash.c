// SPDX-License-Identifier: GPL-2.0-or-later
/* match-hash.c: compiling the `sha256:` and `sha256_file:` match keys: digests checked, lower-cased, sorted and made unique. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg-yaml.h"
#include "config/match-hash.h"
#include "core/array.h"
#include "core/strbuf.h"
#include "core/util.h"

/* Append one digest (64 hex digits, any case, len bytes at s); false when
 * s is not one. */
static bool hash_put(struct cond *cd, const char *s, size_t len, bool *oom)
{
	size_t i;

	if (len != 64)
		return false;
	for (i = 0; i < 64; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	if (array_reserve(&cd->u.hashes, &cd->cap, cd->n + 1, sizeof(*cd->u.hashes)) < 0) {
		*oom = true;
		return true;
	}
	for (i = 0; i < 64; i++)
		cd->u.hashes[cd->n][i] = (char)tolower((unsigned char)s[i]);
	cd->u.hashes[cd->n][64] = '\0';
	cd->n++;
	return true;
}

/* One scalar of a `sha256:` key. */
static int add_scalar(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	const char *s = cfg_scalar(c, v, "a SHA-256 (64 hex digits)");

	if (!s)
		return -EINVAL;
	if (!hash_put(cd, s, strlen(s), &c->oom)) {
		cfg_error(c, v, "'%s' is not a SHA-256 (64 hex digits)", s);
		return -EINVAL;
	}
	return c->oom ? -ENOMEM : 0;
}

/* A `sha256:` value: one digest or a non-empty list of them. */
static int add_list(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	yaml_node_item_t *it;
	int r = 0;

	if (v->type == YAML_SCALAR_NODE)
		return add_scalar(c, cd, v);
	if (v->type != YAML_SEQUENCE_NODE ||
	    v->data.sequence.items.start == v->data.sequence.items.top) {
		cfg_error(c, v, "'sha256' takes a digest or a non-empty list of digests");
		return -EINVAL;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		if (add_scalar(c, cd, cfg_node(c, *it)) < 0)
			r = -EINVAL;
	return r;
}

/* The lines of a hash file's text into cd; errors at FILE:LINE:COL. */
static int add_lines(struct cfg_ctx *c, struct cond *cd, const char *path,
		     const char *text, size_t len)
{
	const char *saved = c->file, *line = text, *end = text + len, *nl, *w;
	yaml_mark_t m = { 0 };
	size_t wl;
	int r = 0;

	c->file = path;
	for (; line < end && !c->oom; line = nl + 1, m.line++) {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		for (w = line; w < nl && (*w == ' ' || *w == '\t'); w++)
			;
		if (w == nl || *w == '#' || (*w == '\r' && w + 1 == nl))
			continue;
		for (wl = 0; w + wl < nl && !isspace((unsigned char)w[wl]); wl++)
			;
		if (!hash_put(cd, w, wl, &c->oom)) {
			m.column = (size_t)(w - line);
			cfg_error_at(c, m, "'%.*s' is not a SHA-256 (64 hex digits)",
				     (int)(wl > 80 ? 80 : wl), w);
			r = -EINVAL;
		}
	}
	c->file = saved;
	return c->oom ? -ENOMEM : r;
}

/* A `sha256_file:` value: the digests in that file. */
static int add_file(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	const char *path = cfg_scalar(c, v, "the absolute path of a file of SHA-256 digests");
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (!path)
		return -EINVAL;
	if (path[0] != '/') {
		cfg_error(c, v, "sha256_file '%s' must be an absolute path", path);
		return -EINVAL;
	}
	r = read_file_bounded(AT_FDCWD, path, MATCH_HASH_FILE_MAX, &sb);
	if (r < 0)
		cfg_error(c, v, "sha256_file '%s': %s", path,
			  r == -EFBIG ? "larger than 64 MiB" : strerror(-r));
	else
		r = add_lines(c, cd, path, sb.p ? sb.p : "", sb.len);
	if (!r && !cd->n) {
		cfg_error(c, v, "sha256_file '%s' holds no digest", path);
		r = -EINVAL;
	}
	sb_free(&sb);
	return r;
}

static int cmp_hash(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(match_sha256));
}

int match_hash_parse(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v)
{
	size_t i, n = 0;
	int r;

	r = cd->key == MK_SHA256_FILE ? add_file(c, cd, v) : add_list(c, cd, v);
	if (r < 0 || !cd->n)
		return r;
	qsort(cd->u.hashes, cd->n, sizeof(*cd->u.hashes), cmp_hash);
	for (i = 0; i < cd->n; i++)
		if (!n || memcmp(cd->u.hashes[n - 1], cd->u.hashes[i], sizeof(match_sha256)))
			memmove(cd->u.hashes[n++], cd->u.hashes[i], sizeof(match_sha256));
	cd->n = n;
	return 0;
}
