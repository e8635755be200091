// SPDX-License-Identifier: GPL-2.0-or-later
/* escape.c: strict UTF-8 decoding and escaping of arguments and text. */
#include <errno.h>
#include <string.h>

#include "core/strbuf.h"
#include "format/escape.h"

size_t utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t c;

	if (!len)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xc2 || u[0] > 0xf4)
		return 0;	/* continuation, overlong lead, > U+10FFFF */
	if (u[0] < 0xe0) {
		n = 2;
		c = u[0] & 0x1f;
	} else if (u[0] < 0xf0) {
		n = 3;
		c = u[0] & 0x0f;
		if (u[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (u[0] == 0xed)
			hi = 0x9f;	/* surrogates */
	} else {
		n = 4;
		c = u[0] & 0x07;
		if (u[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (u[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	}
	if (len < n || u[1] < lo || u[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	*cp = c;
	return n;
}

bool utf8_valid(const char *s, size_t len)
{
	uint32_t cp;
	size_t n;

	while (len) {
		n = utf8_decode(s, len, &cp);
		if (!n)
			return false;
		s += n;
		len -= n;
	}
	return true;
}

/* True for a code point written as \uXXXX: C1 and bidi/format controls. */
static bool cp_escaped(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	       (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

/* True for a non-ASCII space, which forces quotes around an argument. */
static bool cp_space(uint32_t cp)
{
	return cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
	       cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Write the "\xHH" escape of byte c into buf; returns its length. */
static size_t esc_hex(char *buf, unsigned char c)
{
	buf[0] = '\\';
	buf[1] = 'x';
	fmt_hex(buf + 2, c, 2, false);
	return 4;
}

/*
 * Write the escape of ASCII byte c into buf (quoted: also '"' and '\\').
 * Returns the escape's length, or 0 when c is kept as is.
 */
static size_t esc_ascii(char *buf, unsigned char c, bool quoted)
{
	static const char simple[] = "\n\t\r\a\b\f\v\x1b";
	static const char letter[] = "ntrabfve";
	const char *p;

	if (c == '"' || c == '\\') {
		if (!quoted)
			return 0;
		buf[0] = '\\';
		buf[1] = (char)c;
		return 2;
	}
	if (c >= 0x20 && c != 0x7f)
		return 0;
	p = c ? strchr(simple, c) : NULL;
	if (!p)
		return esc_hex(buf, c);
	buf[0] = '\\';
	buf[1] = letter[p - simple];
	return 2;
}

/* Write the "\uXXXX" escape of a BMP code point into buf; returns 6. */
static size_t esc_u(char *buf, uint32_t cp)
{
	buf[0] = '\\';
	buf[1] = 'u';
	fmt_hex(buf + 2, cp, 4, true);
	return 6;
}

size_t escape_unicode_control(char *buf, const char *s, size_t len,
			      size_t *n)
{
	uint32_t cp;

	*n = utf8_decode(s, len, &cp);
	return *n && cp_escaped(cp) ? esc_u(buf, cp) : 0;
}

/*
 * Find the escape of the character at s: its length in bytes goes to *n
 * and the escape text into buf. Returns the escape's length, 0 when the
 * character is kept as is.
 */
static size_t esc_char(char *buf, const char *s, size_t len, bool quoted,
		       size_t *n)
{
	unsigned char c = (unsigned char)*s;
	size_t elen;

	*n = 1;
	if (c < 0x80)
		return esc_ascii(buf, c, quoted);
	elen = escape_unicode_control(buf, s, len, n);
	if (!*n) {
		*n = 1;
		return esc_hex(buf, c);
	}
	return elen;
}

/* Append s escaped (quoted: also '"' and '\\'); returns 0 or -ENOMEM. */
static int put_escaped(struct strbuf *out, const char *s, size_t len,
		       bool quoted)
{
	size_t i = 0, start = 0, n, elen;
	char buf[8];
	int r;

	while (i < len) {
		elen = esc_char(buf, s + i, len - i, quoted, &n);
		if (elen) {
			r = sb_append(out, s + start, i - start);
			if (r < 0)
				return r;
			r = sb_append(out, buf, elen);
			if (r < 0)
				return r;
			start = i + n;
		}
		i += n;
	}
	return sb_append(out, s + start, i - start);
}

/* True when the token must be written in quotes (also when it holds a
 * character of `more`). */
static bool needs_quotes(const char *s, size_t len, const char *more)
{
	size_t i = 0, n;
	uint32_t cp;
	char buf[8];

	if (!len)
		return true;
	while (i < len) {
		if (s[i] && (strchr(" \"'\\$`", s[i]) || strchr(more, s[i])))
			return true;
		if (esc_char(buf, s + i, len - i, true, &n))
			return true;
		if (n > 1 && utf8_decode(s + i, len - i, &cp) && cp_space(cp))
			return true;
		i += n;
	}
	return false;
}

/* Undo a partial append after an error; returns r. */
static int restore(struct strbuf *out, size_t len, int r)
{
	if (out->len > len) {
		out->len = len;
		out->p[len] = '\0';
	}
	return r;
}

/* Append s as is, or in quotes and escaped when needs_quotes(). */
static int put_token(struct strbuf *out, const char *s, size_t len,
		     const char *more)
{
	size_t old = out->len;
	int r;

	if (!needs_quotes(s, len, more))
		return sb_append(out, s, len);
	r = sb_grow(out, len + 2);
	if (r < 0)
		return r;
	sb_putc(out, '"');
	r = put_escaped(out, s, len, true);
	if (r == 0)
		r = sb_putc(out, '"');
	return r < 0 ? restore(out, old, r) : 0;
}

int escape_arg(struct strbuf *out, const char *s, size_t len)
{
	return put_token(out, s, len, "");
}

int escape_name(struct strbuf *out, const char *s, size_t len)
{
	return put_token(out, s, len, "[],");
}

int argv_join(struct strbuf *out, const char *const *args, const size_t *lens,
	      size_t n)
{
	size_t old = out->len, i;
	int r;

	for (i = 0; i < n; i++) {
		if (i && (r = sb_putc(out, ' ')) < 0)
			return restore(out, old, r);
		r = escape_arg(out, args[i], lens ? lens[i] : strlen(args[i]));
		if (r < 0)
			return restore(out, old, r);
	}
	return 0;
}

int escape_text(struct strbuf *out, const char *s, size_t len)
{
	size_t old = out->len;
	int r = put_escaped(out, s, len, false);

	return r < 0 ? restore(out, old, r) : 0;
}

/* Append code point cp (below U+10000) in UTF-8; 0 or -ENOMEM. */
static int put_utf8(struct strbuf *out, uint32_t cp)
{
	char b[3];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	return sb_append(out, b, n);
}

/* The \HH... digits at s (n of them) as a number, or -1. */
static long hex_digits(const char *s, size_t avail, size_t n)
{
	long v = 0;
	size_t i;
	int d;

	if (avail < n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((d = hex_value(s[i])) < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/*
 * Undo one escape of a quoted token at s (after the backslash, len bytes
 * left) into out; its length in *n. 0, -EINVAL (not an escape
 * escape_arg() writes) or -ENOMEM.
 */
static int unescape_one(struct strbuf *out, const char *s, size_t len,
			size_t *n)
{
	static const char letter[] = "ntrabfve\"\\";
	static const char value[] = "\n\t\r\a\b\f\v\x1b\"\\";
	const char *p;
	long v;

	if (!len)
		return -EINVAL;
	if (s[0] == 'x' || s[0] == 'u') {
		*n = s[0] == 'x' ? 3 : 5;
		v = hex_digits(s + 1, len - 1, *n - 1);
		if (v < 0)
			return -EINVAL;
		return s[0] == 'x' ? sb_putc(out, (char)v) : put_utf8(out, (uint32_t)v);
	}
	p = strchr(letter, s[0]);
	if (!p || !s[0])
		return -EINVAL;
	*n = 1;
	return sb_putc(out, value[p - letter]);
}

/* Decode the token at s into out (reset first); its length in the text
 * goes to *used. 0, -EINVAL or -ENOMEM. */
static int split_token(struct strbuf *out, const char *s, size_t len,
		       size_t *used)
{
	size_t i, n;
	int r;

	sb_reset(out);
	if (!len || s[0] != '"') {
		for (i = 0; i < len && s[i] != ' '; i++)
			;
		*used = i;
		return i ? sb_append(out, s, i) : -EINVAL;
	}
	for (i = 1; i < len && s[i] != '"'; i += n) {
		n = 1;
		if (s[i] == '\\') {
			r = unescape_one(out, s + i + 1, len - i - 1, &n);
			n++;
		} else {
			r = sb_putc(out, s[i]);
		}
		if (r < 0)
			return r;
	}
	if (i == len)
		return -EINVAL;	/* no closing quote */
	*used = i + 1;
	return sb_append(out, "", 0);	/* "" is an empty argument */
}

int argv_split(const char *s, size_t len, argv_split_fn fn, void *ctx)
{
	struct strbuf tok = STRBUF_INIT;
	size_t i = 0, used;
	int r = 0;

	while (r == 0 && i < len) {
		if (i && s[i++] != ' ') {
			r = -EINVAL;
			break;
		}
		r = split_token(&tok, s + i, len - i, &used);
		if (r == 0)
			r = fn(ctx, tok.p, tok.len);
		i += used;
	}
	sb_free(&tok);
	return r;
}
