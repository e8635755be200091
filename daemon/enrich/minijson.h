/* minijson.h: a small, bounded JSON reader (tree in an arena, lookups by key). */
#ifndef TRACE_EXECD_MINIJSON_H
#define TRACE_EXECD_MINIJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define JSON_MAX_DEPTH	64	/* arrays and objects nested deeper are refused */

enum json_type {
	JSON_NULL,
	JSON_FALSE,
	JSON_TRUE,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json_member;
struct json_chunk;

struct json_value {
	enum json_type type;
	size_t len;			/* string: bytes; array, object: entries */
	union {
		double num;
		const char *str;	/* NUL-terminated; may hold NUL bytes */
		struct json_member *items; /* array (key NULL) or object */
	} u;
};

struct json_member {
	const char *key;		/* NUL-terminated; NULL in an array */
	size_t key_len;
	struct json_value value;
};

/* A parsed document; every string and node lives until json_doc_free(). */
struct json_doc {
	struct json_value root;
	size_t err_offset;		/* byte where a parse error was found */
	struct json_chunk *chunks;	/* private arena */
};

/*
 * Parse exactly one JSON value (RFC 8259) from text[0..len). Lone UTF-16
 * surrogates in \u escapes become U+FFFD, as Go's encoding/json does.
 * Returns 0, -EINVAL (malformed), -E2BIG (nested deeper than
 * JSON_MAX_DEPTH) or -ENOMEM. doc is always safe to json_doc_free().
 */
int json_parse(struct json_doc *doc, const char *text, size_t len);
void json_doc_free(struct json_doc *doc);

/* Member `key` of an object (the last one if repeated); NULL if none. */
const struct json_value *json_get(const struct json_value *obj, const char *key);
/* Walk object keys, NULL-terminated: json_path(v, "Config", "Image", NULL). */
const struct json_value *json_path(const struct json_value *v, ...)
	__attribute__((sentinel));
/* Element i of an array; NULL if out of range or not an array. */
const struct json_value *json_at(const struct json_value *arr, size_t i);
/* Entries of an array or object, bytes of a string, else 0. */
size_t json_len(const struct json_value *v);
/* The string of a string value; NULL for NULL or any other type. */
const char *json_str(const struct json_value *v);
/* json_str(json_get(obj, key)). */
const char *json_get_str(const struct json_value *obj, const char *key);
/* An integral number in range of int64_t; -EINVAL otherwise. */
int json_int64(const struct json_value *v, int64_t *out);

/* read_file_bounded() then json_parse(); doc is always safe to free. */
int json_parse_file(struct json_doc *doc, const char *path, size_t max);

#endif
