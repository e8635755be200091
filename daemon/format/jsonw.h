/* SPDX-License-Identifier: GPL-2.0-or-later */
/* jsonw.h: a tiny streaming JSON writer of one-line objects into a strbuf. */
#ifndef TRACE_EXECD_JSONW_H
#define TRACE_EXECD_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

#define JW_MAX_DEPTH 8

/*
 * Writer state. Every call returns 0 or a negative errno; the first error
 * is kept in err and every later call returns it without writing, so a
 * caller may check only the last call. Errors: -ENOMEM, -EINVAL (a key
 * missing in an object, given in an array, not UTF-8, or an end that
 * does not match), -E2BIG (nesting deeper than JW_MAX_DEPTH).
 */
struct jsonw {
	struct strbuf *sb;
	int depth;
	int err;
	bool first[JW_MAX_DEPTH];	/* nothing written yet at this level */
	bool array[JW_MAX_DEPTH];	/* this level is an array */
};

/* Start writing into sb; does not reset sb. */
void jw_init(struct jsonw *w, struct strbuf *sb);

/* Open an object at the top level or inside an array. */
int jw_object_begin(struct jsonw *w);
/* Open an object as the value of key inside an object. */
int jw_object_begin_key(struct jsonw *w, const char *key);
/* Close an object (no '\n' is written: the caller ends the line). */
int jw_object_end(struct jsonw *w);
/* Open an array; key NULL inside arrays (and at the top level). */
int jw_array_begin(struct jsonw *w, const char *key);
int jw_array_end(struct jsonw *w);

/*
 * Write a string value; key NULL inside arrays. Valid UTF-8 becomes a
 * JSON string (controls, '"', '\\' escaped, and as \uXXXX the C1 and
 * bidi/format controls of escape_unicode_control()); anything else becomes
 * an array of byte values, as journalctl -o json writes it,
 * e.g. [104,105,255]. s NULL writes null.
 */
int jw_str(struct jsonw *w, const char *key, const char *s, size_t len);
/* jw_str() of a NUL-terminated string (NULL writes null). */
int jw_cstr(struct jsonw *w, const char *key, const char *s);
int jw_u64(struct jsonw *w, const char *key, uint64_t v);

#endif
