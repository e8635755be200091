/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cfg-yaml.h: the YAML layer of the parsers: documents, errors at FILE:LINE:COL, typed values. */
#ifndef TRACE_EXECD_CFG_YAML_H
#define TRACE_EXECD_CFG_YAML_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "config/config-errors.h"

struct strbuf;

/* Nodes the parsers may expand per file: aliases make a small file a huge tree. */
#define CFG_BUDGET	200000

/* State of parsing the files of one configuration; zero it, set errs. */
struct cfg_ctx {
	const char *file;		/* name used in messages */
	yaml_document_t *doc;		/* of the file being parsed */
	struct config_errors *errs;	/* NULL: count only */
	size_t nerr;			/* errors in this configuration */
	unsigned long budget;		/* left of CFG_BUDGET in this file */
	bool oom;
	bool kernel;			/* compiling a kill rule's match: keys the
					 * kernel cannot decide are refused */
};

/* Called with the root node of a file's document. */
typedef void (*cfg_root_fn)(struct cfg_ctx *c, yaml_node_t *root, void *arg);
/*
 * Parse len bytes of data, named `name` in messages, as one YAML document
 * and call fn on its root node (not for an empty document). A syntax error
 * or a second document is reported in c; the file gets a full budget.
 */
void cfg_parse_document(struct cfg_ctx *c, const char *name, const void *data,
			size_t len, cfg_root_fn fn, void *arg);

/* Append "FILE:LINE:COL: message" for the mark. */
void cfg_error_at(struct cfg_ctx *c, yaml_mark_t m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same at the start of node n. */
void cfg_error(struct cfg_ctx *c, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Append a message as is (file-level problems). */
void cfg_error_raw(struct cfg_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append "FILE:LINE:COL" of node n to sb; 0 or -ENOMEM (c->oom set). */
int cfg_where(struct cfg_ctx *c, const yaml_node_t *n, struct strbuf *sb);

yaml_node_t *cfg_node(struct cfg_ctx *c, int id);
bool cfg_is_null(const yaml_node_t *n);
/* The scalar's text, or NULL after "expected WHAT" was reported. */
const char *cfg_scalar(struct cfg_ctx *c, const yaml_node_t *n,
		       const char *what);
/* Typed values: 0, or -EINVAL after an error was reported. */
int cfg_bool(struct cfg_ctx *c, const yaml_node_t *n, bool *out);
int cfg_u32(struct cfg_ctx *c, const yaml_node_t *n, uint32_t min,
	    uint32_t max, uint32_t *out);
int cfg_duration(struct cfg_ctx *c, const yaml_node_t *n, uint64_t min,
		 uint64_t max, uint64_t *usec);
int cfg_priority(struct cfg_ctx *c, const yaml_node_t *n, int *out);
/* Index of the scalar in words[], or -EINVAL after an error. */
int cfg_keyword(struct cfg_ctx *c, const yaml_node_t *n, const char *what,
		const char *const *words, size_t nwords);

/* Called for each known key of a map; idx indexes the keys table. */
typedef void (*cfg_pair_fn)(struct cfg_ctx *c, int idx, yaml_node_t *key,
			    yaml_node_t *val, void *arg);
/*
 * Walk a mapping whose keys must come from keys[] (at most 64): unknown
 * and duplicate keys are reported at the key. Returns 0, or -EINVAL when n
 * is not a mapping (reported as "WHAT must be a mapping").
 */
int cfg_map_each(struct cfg_ctx *c, yaml_node_t *n, const char *what,
		 const char *const *keys, size_t nkeys, cfg_pair_fn fn,
		 void *arg);

#endif
