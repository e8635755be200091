/* SPDX-License-Identifier: GPL-2.0-or-later */
/* escape.h: strict UTF-8 checks and one-line escaping of arguments and text. */
#ifndef TRACE_EXECD_ESCAPE_H
#define TRACE_EXECD_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

/*
 * Decode one strict UTF-8 sequence at s (no overlongs, no surrogates,
 * max U+10FFFF). Returns its length (1-4) and stores the code point in
 * *cp, or returns 0 when s does not start a valid sequence (or len is 0).
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* True when all len bytes of s are strict UTF-8 (NUL bytes allowed). */
bool utf8_valid(const char *s, size_t len);

/*
 * Write the \uXXXX escape of the UTF-8 character at s (len bytes left)
 * into buf (room for 6) when it is a C1 or a bidi/format control:
 * U+0080..U+009F, U+061C, U+200B..U+200F, U+2028..U+202E,
 * U+2060..U+2069 and U+FEFF. Returns 6, or 0 when the character is kept.
 * Its byte length goes to *n, 0 when s does not start valid UTF-8.
 * The one list of such characters: every escaping of text uses it.
 */
size_t escape_unicode_control(char *buf, const char *s, size_t len,
			      size_t *n);

/*
 * Append one argument as an unambiguous single-line token: as is when it
 * is non-empty and holds only safe characters, else in double quotes with
 * C escapes (\" \\ \n \t \r \a \b \f \v \e \xHH) and \uXXXX for C1 and
 * bidi/format controls. Returns 0 or -ENOMEM (out is then unchanged).
 */
int escape_arg(struct strbuf *out, const char *s, size_t len);

/*
 * Append a name (a user, a container, a command name) for a one-line
 * message: as escape_arg() writes it, and also in quotes when it holds
 * '[', ']' or ',', the separators of the message around it. Returns 0 or
 * -ENOMEM (out is then unchanged).
 */
int escape_name(struct strbuf *out, const char *s, size_t len);

/*
 * Append escape_arg() of each argument, separated by single spaces (the
 * EXEC_ARGV value). lens may be NULL for NUL-terminated arguments.
 * Returns 0 or -ENOMEM (out is then unchanged).
 */
int argv_join(struct strbuf *out, const char *const *args, const size_t *lens,
	      size_t n);

/* Called with each argument argv_split() found, its exact bytes (NUL
 * after them); a non-zero return stops the split with that value. */
typedef int (*argv_split_fn)(void *ctx, const char *arg, size_t len);
/*
 * The inverse of argv_join(): call fn with each argument of an EXEC_ARGV
 * text, in order ("" holds none). Returns 0, fn's non-zero return, -EINVAL
 * when the text is not one argv_join() writes (a stray space, an unknown
 * escape, a quote not closed), or -ENOMEM.
 */
int argv_split(const char *s, size_t len, argv_split_fn fn, void *ctx);

/*
 * Append s for display without adding quotes: control bytes, invalid
 * UTF-8 and C1/bidi controls are escaped as in escape_arg(); every
 * printable character, including '"' and '\\', is kept. The result is
 * valid UTF-8 without control characters, and escape_text() of it (or of
 * an argv_join() result) is the same text. Returns 0 or -ENOMEM.
 */
int escape_text(struct strbuf *out, const char *s, size_t len);

#endif
