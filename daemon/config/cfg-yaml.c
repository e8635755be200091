// SPDX-License-Identifier: GPL-2.0-or-later
/* cfg-yaml.c: the YAML layer: documents, errors at FILE:LINE:COL, typed values, known keys. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg-yaml.h"
#include "config/config-values.h"
#include "core/strbuf.h"
#include "core/util.h"

/* Count one message and append it to the error list, if any. */
static void errs_push(struct cfg_ctx *c, struct strbuf *sb)
{
	c->nerr++;
	if (c->errs && config_errors_add(c->errs, c->file, sb) < 0)
		c->oom = true;
}

/* Append "FILE:LINE:COL" of mark m to sb; 0 or -ENOMEM. */
static int put_where(struct strbuf *sb, const char *file, yaml_mark_t m)
{
	return sb_printf(sb, "%s:%zu:%zu", file, m.line + 1, m.column + 1);
}

/* Record the message, after "FILE:LINE:COL: " of mark m unless m is NULL. */
static void cfg_verror(struct cfg_ctx *c, const yaml_mark_t *m,
		       const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	if ((m && (put_where(&sb, c->file, *m) < 0 || sb_puts(&sb, ": ") < 0)) ||
	    sb_vprintf(&sb, fmt, ap) < 0) {
		c->oom = true;
		c->nerr++;
		sb_free(&sb);
		return;
	}
	errs_push(c, &sb);
	sb_free(&sb);
}

void cfg_error_at(struct cfg_ctx *c, yaml_mark_t m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(c, &m, fmt, ap);
	va_end(ap);
}

void cfg_error(struct cfg_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(c, &n->start_mark, fmt, ap);
	va_end(ap);
}

void cfg_error_raw(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_verror(c, NULL, fmt, ap);
	va_end(ap);
}

int cfg_where(struct cfg_ctx *c, const yaml_node_t *n, struct strbuf *sb)
{
	if (put_where(sb, c->file, n->start_mark) < 0) {
		c->oom = true;
		return -ENOMEM;
	}
	return 0;
}

yaml_node_t *cfg_node(struct cfg_ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

/* True for an empty plain scalar, "~" or "null". */
bool cfg_is_null(const yaml_node_t *n)
{
	const char *s;

	if (!n || n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	       !strcmp(s, "Null") || !strcmp(s, "NULL");
}

const char *cfg_scalar(struct cfg_ctx *c, const yaml_node_t *n,
		       const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		cfg_error(c, n, "expected %s, found a %s", what,
			  n->type == YAML_MAPPING_NODE ? "mapping" : "list");
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) !=
	    n->data.scalar.length) {
		cfg_error(c, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

int cfg_bool(struct cfg_ctx *c, const yaml_node_t *n, bool *out)
{
	const char *s = cfg_scalar(c, n, "a boolean (true or false)");
	int r;

	if (!s)
		return -EINVAL;
	r = parse_bool(s);
	if (r < 0) {
		cfg_error(c, n, "'%s' is not a boolean (true or false)", s);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

int cfg_u32(struct cfg_ctx *c, const yaml_node_t *n, uint32_t min,
	    uint32_t max, uint32_t *out)
{
	const char *s = cfg_scalar(c, n, "an integer");
	uint32_t v = 0;
	int r;

	if (!s)
		return -EINVAL;
	r = parse_u32(s, &v);
	if (r == -EINVAL) {
		cfg_error(c, n, "'%s' is not an integer", s);
		return -EINVAL;
	}
	if (r < 0 || v < min || v > max) {
		cfg_error(c, n, "%s is out of range %u..%u", s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* Shortest exact form of a duration: "24h", "100ms". */
static void fmt_duration(char *buf, size_t len, uint64_t usec)
{
	static const struct { const char *unit; uint64_t mult; } units[] = {
		{ "h", 3600000000ULL }, { "m", 60000000ULL }, { "s", 1000000 },
		{ "ms", 1000 }, { "us", 1 },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units) - 1; i++)
		if (usec && usec % units[i].mult == 0)
			break;
	snprintf(buf, len, "%llu%s",
		 (unsigned long long)(usec / units[i].mult), units[i].unit);
}

int cfg_duration(struct cfg_ctx *c, const yaml_node_t *n, uint64_t min,
		 uint64_t max, uint64_t *usec)
{
	const char *s = cfg_scalar(c, n, "a duration");
	char lo[32], hi[32];
	uint64_t v;

	if (!s)
		return -EINVAL;
	if (config_parse_duration(s, &v) < 0) {
		cfg_error(c, n, "'%s' is not a duration (like 500ms, 10s, 5m, 1h)",
			  s);
		return -EINVAL;
	}
	if (v < min || v > max) {
		fmt_duration(lo, sizeof(lo), min);
		fmt_duration(hi, sizeof(hi), max);
		cfg_error(c, n, "duration %s is out of range %s..%s", s, lo, hi);
		return -EINVAL;
	}
	*usec = v;
	return 0;
}

int cfg_priority(struct cfg_ctx *c, const yaml_node_t *n, int *out)
{
	const char *s = cfg_scalar(c, n, "a priority");
	int r;

	if (!s)
		return -EINVAL;
	r = config_priority_from_name(s);
	if (r < 0) {
		cfg_error(c, n, "priority '%s' is not one of emerg, alert, crit, err, warning, notice, info, debug",
			  s);
		return -EINVAL;
	}
	*out = r;
	return 0;
}

/* Index of s in words[], or -1. */
static int word_index(const char *s, const char *const *words, size_t nwords)
{
	size_t i;

	for (i = 0; i < nwords; i++)
		if (!strcmp(s, words[i]))
			return (int)i;
	return -1;
}

int cfg_keyword(struct cfg_ctx *c, const yaml_node_t *n, const char *what,
		const char *const *words, size_t nwords)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s = cfg_scalar(c, n, what);
	size_t i;
	int r;

	if (!s)
		return -EINVAL;
	r = word_index(s, words, nwords);
	if (r >= 0)
		return r;
	for (i = 0; i < nwords; i++)
		if (sb_printf(&sb, "%s%s", i ? ", " : "", words[i]) < 0)
			c->oom = true;
	cfg_error(c, n, "%s '%s' is not one of %s", what, s,
		  sb.p ? sb.p : "");
	sb_free(&sb);
	return -EINVAL;
}

int cfg_map_each(struct cfg_ctx *c, yaml_node_t *n, const char *what,
		 const char *const *keys, size_t nkeys, cfg_pair_fn fn,
		 void *arg)
{
	yaml_node_pair_t *pr;
	yaml_mark_t first[64];
	uint64_t seen = 0;

	if (n->type != YAML_MAPPING_NODE) {
		cfg_error(c, n, "%s must be a mapping", what);
		return -EINVAL;
	}
	for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		yaml_node_t *k = cfg_node(c, pr->key);
		yaml_node_t *v = cfg_node(c, pr->value);
		const char *s = cfg_scalar(c, k, "a key");
		int i;

		if (!s)
			continue;
		i = word_index(s, keys, nkeys);
		if (i < 0) {
			cfg_error(c, k, "unknown %s key '%s'", what, s);
			continue;
		}
		if (seen & (1ULL << i)) {
			cfg_error(c, k, "duplicate %s key '%s' (first at %zu:%zu)",
				  what, s, first[i].line + 1,
				  first[i].column + 1);
			continue;
		}
		seen |= 1ULL << i;
		first[i] = k->start_mark;
		fn(c, i, k, v, arg);
	}
	return 0;
}

/* ---- documents ---- */

/* Line and column of a byte offset (reader errors carry no mark). */
static yaml_mark_t offset_mark(const char *data, size_t len, size_t off)
{
	yaml_mark_t m = { .index = off };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	return m;
}

/* Report the parser's error with its position. */
static void syntax_error(struct cfg_ctx *c, yaml_parser_t *ps,
			 const char *data, size_t len)
{
	const char *problem = ps->problem ? ps->problem : "unknown error";
	yaml_mark_t m = ps->problem_mark;

	if (ps->error == YAML_MEMORY_ERROR) {
		c->oom = true;
		return;
	}
	if (ps->error == YAML_READER_ERROR)
		m = offset_mark(data, len, ps->problem_offset);
	if (ps->context)
		cfg_error_at(c, m, "YAML syntax error: %s (%s at line %zu, column %zu)",
			     problem, ps->context, ps->context_mark.line + 1,
			     ps->context_mark.column + 1);
	else
		cfg_error_at(c, m, "YAML syntax error: %s", problem);
}

/* A second document in the stream is an error. */
static void check_one_doc(struct cfg_ctx *c, yaml_parser_t *ps,
			  const char *data, size_t len)
{
	yaml_document_t doc;
	yaml_node_t *root;

	if (!yaml_parser_load(ps, &doc)) {
		syntax_error(c, ps, data, len);
		return;
	}
	root = yaml_document_get_root_node(&doc);
	if (root)
		cfg_error(c, root, "only one YAML document is allowed per file");
	yaml_document_delete(&doc);
}

void cfg_parse_document(struct cfg_ctx *c, const char *name, const void *data,
			size_t len, cfg_root_fn fn, void *arg)
{
	yaml_parser_t ps;
	yaml_document_t doc;
	yaml_node_t *root;

	c->file = name;
	c->budget = CFG_BUDGET;
	if (!yaml_parser_initialize(&ps)) {
		c->oom = true;
		return;
	}
	yaml_parser_set_input_string(&ps, data, len);
	if (!yaml_parser_load(&ps, &doc)) {
		syntax_error(c, &ps, data, len);
		goto out;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root) {
		fn(c, root, arg);
		check_one_doc(c, &ps, data, len);
	}
	c->doc = NULL;
	yaml_document_delete(&doc);
out:
	yaml_parser_delete(&ps);
}
