// SPDX-License-Identifier: GPL-2.0-or-later
/* jsonw.c: streaming JSON writer; non-UTF-8 values become byte arrays. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "format/escape.h"
#include "format/jsonw.h"

void jw_init(struct jsonw *w, struct strbuf *sb)
{
	memset(w, 0, sizeof(*w));
	w->sb = sb;
}

/* Remember the first error; returns it. */
static int jw_fail(struct jsonw *w, int r)
{
	if (r < 0 && !w->err)
		w->err = r;
	return w->err ? w->err : r;
}

/* Write the JSON escape of ASCII byte c into buf; returns 0 if c is kept. */
static size_t json_esc_ascii(char *buf, unsigned char c)
{
	static const char simple[] = "\"\\\n\t\r\b\f";
	static const char letter[] = "\"\\ntrbf";
	const char *p;

	if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
		return 0;
	p = c ? strchr(simple, c) : NULL;
	if (p) {
		buf[0] = '\\';
		buf[1] = letter[p - simple];
		return 2;
	}
	memcpy(buf, "\\u00", 4);
	fmt_hex(buf + 4, c, 2, false);
	return 6;
}

/*
 * Write the JSON escape of the (valid UTF-8) character at s into buf, its
 * byte length into *n. Returns the escape's length, 0 when it is kept:
 * C1 and bidi/format controls are escaped as in EXEC_ARGV, so that no
 * value reorders or hides the text around it in a viewer.
 */
static size_t json_esc_char(char *buf, const char *s, size_t len, size_t *n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t elen;

	*n = 1;
	if (u[0] < 0x80)
		return json_esc_ascii(buf, u[0]);
	elen = escape_unicode_control(buf, s, len, n);
	if (!*n)
		*n = 1;	/* not reached: the string was checked */
	return elen;
}

/* Append valid UTF-8 s as a quoted JSON string; returns 0 or -ENOMEM. */
static int json_string(struct strbuf *sb, const char *s, size_t len)
{
	size_t i = 0, start = 0, n, elen;
	char buf[8];
	int r = sb_putc(sb, '"');

	while (r == 0 && i < len) {
		elen = json_esc_char(buf, s + i, len - i, &n);
		if (elen) {
			r = sb_append(sb, s + start, i - start);
			if (r == 0)
				r = sb_append(sb, buf, elen);
			start = i + n;
		}
		i += n;
	}
	if (r == 0)
		r = sb_append(sb, s + start, i - start);
	return r ? r : sb_putc(sb, '"');
}

/* Append the bytes of s as a JSON array of numbers; returns 0 or -ENOMEM. */
static int json_bytes(struct strbuf *sb, const char *s, size_t len)
{
	char buf[5];
	size_t i, n;
	unsigned v;
	int r = sb_putc(sb, '[');

	for (i = 0; r == 0 && i < len; i++) {
		v = (unsigned char)s[i];
		n = 0;
		if (i)
			buf[n++] = ',';
		if (v >= 100)
			buf[n++] = (char)('0' + v / 100);
		if (v >= 10)
			buf[n++] = (char)('0' + v / 10 % 10);
		buf[n++] = (char)('0' + v % 10);
		r = sb_append(sb, buf, n);
	}
	return r ? r : sb_putc(sb, ']');
}

/*
 * Write what comes before a value: a comma after a sibling, and "key":
 * inside an object. Returns 0 or a negative errno (also kept in w->err).
 */
static int jw_prefix(struct jsonw *w, const char *key)
{
	int lvl = w->depth - 1, r;

	if (w->err)
		return w->err;
	if (lvl < 0)
		return key ? jw_fail(w, -EINVAL) : 0;
	if (w->array[lvl] != !key)
		return jw_fail(w, -EINVAL);
	if (key && !utf8_valid(key, strlen(key)))
		return jw_fail(w, -EINVAL);
	r = w->first[lvl] ? 0 : sb_putc(w->sb, ',');
	w->first[lvl] = false;
	if (r == 0 && key)
		r = json_string(w->sb, key, strlen(key));
	if (r == 0 && key)
		r = sb_putc(w->sb, ':');
	return jw_fail(w, r);
}

/* Open an object or array (with its key); returns 0 or a negative errno. */
static int jw_open(struct jsonw *w, const char *key, bool array)
{
	int r;

	if (!w->err && w->depth >= JW_MAX_DEPTH)
		return jw_fail(w, -E2BIG);
	r = jw_prefix(w, key);
	if (r < 0)
		return r;
	r = sb_putc(w->sb, array ? '[' : '{');
	if (r < 0)
		return jw_fail(w, r);
	w->first[w->depth] = true;
	w->array[w->depth] = array;
	w->depth++;
	return 0;
}

/* Close the innermost object or array; returns 0 or a negative errno. */
static int jw_close(struct jsonw *w, bool array)
{
	int r;

	if (w->err)
		return w->err;
	if (w->depth < 1 || w->array[w->depth - 1] != array)
		return jw_fail(w, -EINVAL);
	r = sb_putc(w->sb, array ? ']' : '}');
	if (r < 0)
		return jw_fail(w, r);
	w->depth--;
	return 0;
}

int jw_object_begin(struct jsonw *w)
{
	return jw_open(w, NULL, false);
}

int jw_object_begin_key(struct jsonw *w, const char *key)
{
	return jw_open(w, key, false);
}

int jw_object_end(struct jsonw *w)
{
	return jw_close(w, false);
}

int jw_array_begin(struct jsonw *w, const char *key)
{
	return jw_open(w, key, true);
}

int jw_array_end(struct jsonw *w)
{
	return jw_close(w, true);
}

/* Check that a scalar may be written here (only inside a container). */
static int jw_scalar(struct jsonw *w, const char *key)
{
	if (!w->err && w->depth < 1)
		return jw_fail(w, -EINVAL);
	return jw_prefix(w, key);
}

int jw_str(struct jsonw *w, const char *key, const char *s, size_t len)
{
	int r = jw_scalar(w, key);

	if (r < 0)
		return r;
	if (!s)
		r = sb_puts(w->sb, "null");
	else if (utf8_valid(s, len))
		r = json_string(w->sb, s, len);
	else
		r = json_bytes(w->sb, s, len);
	return jw_fail(w, r);
}

int jw_cstr(struct jsonw *w, const char *key, const char *s)
{
	return jw_str(w, key, s, s ? strlen(s) : 0);
}

int jw_u64(struct jsonw *w, const char *key, uint64_t v)
{
	int r = jw_scalar(w, key);

	if (r < 0)
		return r;
	return jw_fail(w, sb_printf(w->sb, "%" PRIu64, v));
}

