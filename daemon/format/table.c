// SPDX-License-Identifier: GPL-2.0-or-later
/* table.c: lay out and render the rows of the trace-exec live table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "format/escape.h"
#include "format/table.h"

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, one display column */

/* The columns after the container's, the same in both tables. */
#define EXEC_COLS_AFTER_CONTAINER					\
	{ "COMM", 5, 16, false, false },				\
	{ "PID", 6, 7, true, false },					\
	{ "TID", 6, 7, true, false },					\
	{ "PCOMM", 5, 16, false, false },				\
	{ "PPID", 6, 7, true, false },					\
	{ "ARGS", 10, 30, false, true },				\
	{ "ERROR", 6, 8, false, false },				\
	{ "USER", 6, 10, false, false },				\
	{ "LOGINUSER", 6, 10, false, false },				\
	{ "GROUP", 6, 10, false, false },				\
	{ "CWD", 6, 20, false, true },					\
	{ "FILE", 6, 20, false, true },					\
	{ "EXEPATH", 6, 20, false, true }

const struct table_col table_exec_cols[TCOL_NR] = {
	{ "RUNTIME.CONTAINERNAME", 8, 25, false, false },	/* "(unverified ID)" whole */
	EXEC_COLS_AFTER_CONTAINER
};

const struct table_col table_k8s_cols[TCOL_K8S_TOTAL] = {
	{ "K8S.NODE", 6, 12, false, false },
	{ "K8S.NAMESPACE", 6, 13, false, false },
	{ "K8S.PODNAME", 6, 16, false, false },
	{ "K8S.CONTAINERNAME", 6, 17, false, false },
	EXEC_COLS_AFTER_CONTAINER
};

const struct table_col table_lineage_cols[TCOL_LINEAGE_NR] = {
	[TCOL_EXEC_ID] = { "EXEC_ID", 10, 44, false, false },
	[TCOL_PARENT_ID] = { "PARENT_ID", 10, 44, false, false },
};

/* Spread extra columns over the flex columns, earlier ones first. */
static void grow_flex(struct table *t, unsigned extra)
{
	unsigned nflex = 0, k = 0;
	size_t i;

	for (i = 0; i < t->ncols; i++)
		nflex += t->cols[i].flex;
	if (!nflex)
		return;
	for (i = 0; i < t->ncols; i++) {
		if (!t->cols[i].flex)
			continue;
		t->width[i] += extra / nflex + (k < extra % nflex);
		k++;
	}
}

/*
 * Index of the column most above floor (the rightmost on ties), or -1;
 * with fixed_only, flex columns (ARGS, the paths) are left alone.
 */
static int widest_above(const struct table *t, bool use_min, bool fixed_only)
{
	unsigned best = 0, floor, over;
	int pick = -1;
	size_t i;

	for (i = 0; i < t->ncols; i++) {
		if (fixed_only && t->cols[i].flex)
			continue;
		floor = use_min ? t->cols[i].min : 1;
		over = t->width[i] > floor ? t->width[i] - floor : 0;
		if (over && over >= best) {
			best = over;
			pick = (int)i;
		}
	}
	return pick;
}

/*
 * Take `need` columns away: first from the fixed columns down to their
 * minimums (the arguments are what a reader came for), then from the flex
 * ones down to theirs, then from any column down to 1.
 */
static void shrink(struct table *t, unsigned need)
{
	int i;

	while (need) {
		i = widest_above(t, true, true);
		if (i < 0)
			i = widest_above(t, true, false);
		if (i < 0)
			i = widest_above(t, false, false);
		if (i < 0)
			return;
		t->width[i]--;
		need--;
	}
}

int table_layout(struct table *t, const struct table_col *cols, size_t ncols,
		 int term_width)
{
	unsigned total;
	size_t i;

	if (!ncols || ncols > TABLE_MAX_COLS)
		return -EINVAL;
	t->cols = cols;
	t->ncols = ncols;
	total = (unsigned)ncols - 1;
	for (i = 0; i < ncols; i++) {
		t->width[i] = cols[i].pref > cols[i].min ?
			      cols[i].pref : cols[i].min;
		if (!t->width[i])
			t->width[i] = 1;
		total += t->width[i];
	}
	if (term_width <= 0)
		return 0;
	if (total < (unsigned)term_width)
		grow_flex(t, (unsigned)term_width - total);
	else
		shrink(t, total - (unsigned)term_width);
	return 0;
}

/* COLUMNS from the environment, 0 when unset or not a width. */
static int env_columns(void)
{
	const char *env = getenv("COLUMNS");
	char *end;
	long cols;

	if (!env || !*env)
		return 0;
	cols = strtol(env, &end, 10);
	return *end || cols <= 0 || cols > 100000 ? 0 : (int)cols;
}

int table_term_width(int fd)
{
	struct winsize ws;
	int cols;

	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	cols = env_columns();
	if (cols > 0 || !isatty(fd))
		return cols;
	return 80;
}

/* Display width of a code point: 0 for combining marks, 2 for wide ones. */
static unsigned cp_width(uint32_t cp)
{
	static const uint32_t zero[][2] = {
		{ 0x0300, 0x036f }, { 0x1ab0, 0x1aff }, { 0x1dc0, 0x1dff },
		{ 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f },
	};
	static const uint32_t wide[][2] = {
		{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
		{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
		{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
		{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
		{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd },
		{ 0x30000, 0x3fffd },
	};
	size_t i;

	if (cp < 0x300)
		return 1;
	for (i = 0; i < ARRAY_SIZE(zero); i++)
		if (cp >= zero[i][0] && cp <= zero[i][1])
			return 0;
	for (i = 0; i < ARRAY_SIZE(wide); i++)
		if (cp >= wide[i][0] && cp <= wide[i][1])
			return 2;
	return 1;
}

/*
 * Measure the escaped text s: returns its display width, and in *cut the
 * byte length of its longest prefix that is at most `room` columns wide
 * (whole characters only), with that prefix's width in *cut_width.
 */
static unsigned measure(const char *s, size_t len, unsigned room, size_t *cut,
			unsigned *cut_width)
{
	unsigned w = 0, cw;
	size_t i = 0, n;
	uint32_t cp;

	*cut = 0;
	*cut_width = 0;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		cw = n ? cp_width(cp) : 1;
		n = n ? n : 1;
		w += cw;
		i += n;
		if (w <= room) {
			*cut = i;
			*cut_width = w;
		}
	}
	return w;
}

/* Append n spaces to sb; returns 0 or -ENOMEM. */
static int put_spaces(struct strbuf *sb, unsigned n)
{
	int r = sb_grow(sb, n);

	if (r < 0)
		return r;
	memset(sb->p + sb->len, ' ', n);
	sb->len += n;
	sb->p[sb->len] = '\0';
	return 0;
}

/*
 * Append the escaped text of cell i (in tmp) to out, cut and padded to
 * its column; *end gets the length of out after the last non-padding
 * byte. Returns 0 or -ENOMEM.
 */
static int put_cell(struct strbuf *out, const struct table *t, size_t i,
		    const struct strbuf *tmp, size_t *end)
{
	unsigned width = t->width[i], tw, cw;
	size_t len = tmp->len, cut;
	bool ellipsis = false;
	int r;

	tw = measure(tmp->p, tmp->len, width ? width - 1 : 0, &cut, &cw);
	if (tw > width) {
		len = cut;
		tw = cw + 1;
		ellipsis = true;
	}
	r = t->cols[i].right && tw < width ? put_spaces(out, width - tw) : 0;
	if (r == 0)
		r = sb_append(out, tmp->p, len);
	if (r == 0 && ellipsis)
		r = sb_puts(out, ELLIPSIS);
	if (r < 0)
		return r;
	if (len || ellipsis)
		*end = out->len;
	if (!t->cols[i].right && tw < width)
		r = put_spaces(out, width - tw);
	return r;
}

/* Append a row without its error handling; returns 0 or -ENOMEM. */
static int put_row(struct strbuf *out, const struct table *t,
		   const char *const *cells, struct strbuf *tmp)
{
	size_t i, end = out->len;
	const char *c;
	int r = 0;

	for (i = 0; r == 0 && i < t->ncols; i++) {
		c = cells[i] ? cells[i] : "";
		sb_reset(tmp);
		r = escape_text(tmp, c, strlen(c));
		if (r == 0 && i)
			r = sb_putc(out, ' ');
		if (r == 0)
			r = put_cell(out, t, i, tmp, &end);
	}
	if (r < 0)
		return r;
	out->len = end;
	return sb_putc(out, '\n');
}

int table_row(struct strbuf *out, const struct table *t,
	      const char *const *cells)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t old = out->len;
	int r = put_row(out, t, cells, &tmp);

	sb_free(&tmp);
	if (r < 0 && out->len > old) {
		out->len = old;
		out->p[old] = '\0';
	}
	return r;
}

int table_header(struct strbuf *out, const struct table *t)
{
	const char *names[TABLE_MAX_COLS];
	size_t i;

	for (i = 0; i < t->ncols; i++)
		names[i] = t->cols[i].name;
	return table_row(out, t, names);
}
