/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statefile.h: bounded reading of JSON state files, the container runtimes' and the daemon's own (json-c underneath). */
#ifndef TRACE_EXECD_STATEFILE_H
#define TRACE_EXECD_STATEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define STATEFILE_MAX_DEPTH	64	/* arrays and objects nested deeper are refused */

/*
 * Parse text[0..len) as exactly one JSON value (json-c's strict mode; the
 * whole buffer must be consumed, a NUL byte outside a \u escape is an
 * error). Strings may hold NULs (json_object_get_string_len() tells);
 * lone UTF-16 surrogates in \u escapes become U+FFFD. Returns 0 with *out
 * set (NULL for a JSON null; release with json_object_put()), -EINVAL
 * (malformed), -E2BIG (nested deeper than STATEFILE_MAX_DEPTH), -EFBIG
 * (len beyond what json-c takes) or -ENOMEM; *out is NULL on error.
 */
int statefile_parse(const char *text, size_t len, struct json_object **out);
/*
 * read_file_bounded() of path (a regular file of at most max bytes, never
 * blocking on a FIFO) then statefile_parse(). Returns its errors and
 * those of the read (-ENOENT, -EINVAL for a non-regular file, -EFBIG...).
 */
int statefile_read(const char *path, size_t max, struct json_object **out);

/* Member key of an object (the last one if repeated); NULL if none. */
struct json_object *statefile_get(const struct json_object *obj, const char *key);
/* Element i of an array; NULL if out of range or not an array. */
struct json_object *statefile_at(const struct json_object *arr, size_t i);
/* The string of a string value; NULL for any other type (or NULL). */
const char *statefile_str(const struct json_object *v);
/* statefile_str(statefile_get(obj, key)). */
const char *statefile_get_str(const struct json_object *obj, const char *key);
/* v if it is a non-negative integer (into *out); false if not (or NULL). */
bool statefile_u64(const struct json_object *v, uint64_t *out);
/* Member key of obj if it is a non-negative integer (into *out); false if not. */
bool statefile_get_u64(const struct json_object *obj, const char *key, uint64_t *out);
/* Member key of obj if it is the boolean true. */
bool statefile_get_true(const struct json_object *obj, const char *key);
/* Whether obj is an object with a key that starts with prefix. */
bool statefile_has_key_prefix(const struct json_object *obj, const char *prefix);

#endif
