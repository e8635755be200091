/* SPDX-License-Identifier: GPL-2.0-or-later */
/* strbuf.h: a growable byte buffer, and numbers written into it without printf. */
#ifndef TRACE_EXECD_STRBUF_H
#define TRACE_EXECD_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A growable buffer; p is always NUL-terminated after any append. */
struct strbuf {
	char *p;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

int sb_grow(struct strbuf *sb, size_t extra);
int sb_append(struct strbuf *sb, const void *data, size_t len);
int sb_puts(struct strbuf *sb, const char *s);
int sb_putc_grow(struct strbuf *sb, char c);

/* Append one byte; inline while there is room (escaping calls it per byte). */
static inline int sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap) {
		sb->p[sb->len++] = c;
		sb->p[sb->len] = '\0';
		return 0;
	}
	return sb_putc_grow(sb, c);
}
int sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
/* Append v in decimal (no printf: a few per field add up per event). */
int sb_put_u64(struct strbuf *sb, uint64_t v);

/* Write the low `digits` hex digits of v into buf (no NUL), in upper case
 * when upper: the one table of hex digits. */
static inline void fmt_hex(char *buf, uint32_t v, unsigned int digits, bool upper)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";

	while (digits--) {
		buf[digits] = d[v & 15];
		v >>= 4;
	}
}

/* The value of hex digit c (either case), -1 for any other byte: the one
 * reader of hex digits. */
static inline int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Room for any uint64_t in decimal, and its NUL. */
#define FMT_U64_LEN 21
/* Write v in decimal with a NUL into buf; returns the digits written. */
size_t fmt_u64(char buf[FMT_U64_LEN], uint64_t v);
void sb_reset(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Hand the buffer over to the caller (never NULL on success). */
char *sb_steal(struct strbuf *sb);

#endif
