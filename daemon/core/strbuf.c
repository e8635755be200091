// SPDX-License-Identifier: GPL-2.0-or-later
/* strbuf.c: a growable byte buffer, and numbers written into it without printf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/strbuf.h"

/* Make room for `extra` more bytes plus a NUL; returns 0 or -ENOMEM. */
int sb_grow(struct strbuf *sb, size_t extra)
{
	if (extra > SIZE_MAX / 2 - sb->len)
		return -ENOMEM;
	return array_reserve(&sb->p, &sb->cap, sb->len + extra + 1, 1);
}

int sb_append(struct strbuf *sb, const void *data, size_t len)
{
	int r = sb_grow(sb, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(sb->p + sb->len, data, len);
	sb->len += len;
	sb->p[sb->len] = '\0';
	return 0;
}

int sb_puts(struct strbuf *sb, const char *s)
{
	return sb_append(sb, s, strlen(s));
}

int sb_putc_grow(struct strbuf *sb, char c)
{
	return sb_append(sb, &c, 1);
}

size_t fmt_u64(char buf[FMT_U64_LEN], uint64_t v)
{
	char tmp[FMT_U64_LEN];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return n;
}

int sb_put_u64(struct strbuf *sb, uint64_t v)
{
	char buf[FMT_U64_LEN];

	return sb_append(sb, buf, fmt_u64(buf, v));
}

/* Format into the room there is; only when that is too small, grow and
 * format again (one vsnprintf() in the usual case, not two). */
int sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t room = sb->cap > sb->len ? sb->cap - sb->len : 0;
	va_list aq;
	int n, r;

	va_copy(aq, ap);
	n = vsnprintf(room ? sb->p + sb->len : NULL, room, fmt, aq);
	va_end(aq);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= room) {
		r = sb_grow(sb, (size_t)n);
		if (r < 0) {
			if (sb->p)
				sb->p[sb->len] = '\0';
			return r;
		}
		vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
	return 0;
}

int sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sb_vprintf(sb, fmt, ap);
	va_end(ap);
	return r;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->p)
		sb->p[0] = '\0';
}

void sb_free(struct strbuf *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}

char *sb_steal(struct strbuf *sb)
{
	char *p;

	if (!sb->p && sb_grow(sb, 0) < 0)
		return NULL;
	p = sb->p;
	p[sb->len] = '\0';
	sb->p = NULL;
	sb->len = sb->cap = 0;
	return p;
}
