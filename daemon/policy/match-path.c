// SPDX-License-Identifier: GPL-2.0-or-later
/* match-path.c: what a path glob proves about a path known only in part (cut, with a gap, or unreachable). */
#include <fnmatch.h>
#include <string.h>

#include "policy/match-compiled.h"
#include "policy/match-path.h"

/* The kept part of a cut walk: its text after the cut mark, if any. */
static const char *kept_part(const char *s)
{
	size_t n = sizeof(EXEC_PATH_CUT_MARK) - 1;

	return strncmp(s, EXEC_PATH_CUT_MARK, n) ? s : s + n;
}

/* The real path is an unknown start, then kept. */
static enum match_result glob_cut_start(const struct glob *g,
					const char *kept)
{
	if (!g->tail || fnmatch(g->tail, kept, 0))
		return MATCH_NO;
	return g->tail == g->whole ? MATCH_YES : MATCH_MAYBE;
}

/* The real path is s, then an unknown end. */
static enum match_result glob_cut_end(const struct glob *g, const char *s)
{
	if (!g->head || fnmatch(g->head, s, 0))
		return MATCH_NO;
	return g->whole[strlen(g->head)] ? MATCH_MAYBE : MATCH_YES;
}

/* The file is at s inside a mount whose place is unknown: its path is
 * an unknown start, maybe empty, then s. */
static enum match_result glob_unplaced(const struct glob *g, const char *s)
{
	if (!fnmatch(g->whole, s, 0) || glob_cut_start(g, s) != MATCH_NO)
		return MATCH_MAYBE;
	return MATCH_NO;
}

/* Length of the literal start of a pattern (before its first '*', '?',
 * '[' or '\\'), and of its literal end (after the last). */
static size_t lit_start(const char *pat)
{
	return strcspn(pat, "*?[\\");
}

static size_t lit_end(const char *pat)
{
	size_t n = strlen(pat), i = n;

	while (i > 0 && !strchr("*?[]\\", pat[i - 1]))
		i--;
	return n - i;
}

/*
 * The real path is head, one or more components left out, then tail ("/a"
 * + "/…" + "/y/z" in the text). A pattern's literal start must agree with
 * head, its literal end with tail (else NO); "LIT*" with head starting
 * with LIT, or "*LIT" with tail ending with it, holds whatever was left
 * out (YES); anything else may or may not match. A pattern with no
 * wildcard is an exact path, shorter than the path (more than 3 KiB)
 * unless it is as long as the known parts.
 */
static enum match_result glob_gap(const struct glob *g, const char *s)
{
	const char *mark = strstr(s, "/" EXEC_PATH_CUT_MARK "/"), *tail;
	const char *pat = g->whole;
	size_t hn, tn, ls, le, n;

	if (g->kind == G_ANY)
		return MATCH_YES;
	if (!mark)
		return MATCH_MAYBE;
	hn = (size_t)(mark - s);
	tail = mark + sizeof(EXEC_PATH_CUT_MARK);
	tn = strlen(tail);
	ls = lit_start(pat);
	le = lit_end(pat);
	if (!pat[ls])
		return ls < hn + tn ? MATCH_NO : MATCH_MAYBE;
	n = ls < hn ? ls : hn;
	if (strncmp(pat, s, n))
		return MATCH_NO;
	n = le < tn ? le : tn;
	if (strncmp(pat + strlen(pat) - n, tail + tn - n, n))
		return MATCH_NO;
	if (g->kind == G_PREFIX && ls <= hn)
		return MATCH_YES;
	if (g->kind == G_SUFFIX && le <= tn)
		return MATCH_YES;
	return MATCH_MAYBE;
}

enum match_result path_glob_partial(const struct glob *g,
				    const struct exec_path *p)
{
	enum match_result r;

	if (p->gap)
		r = glob_gap(g, p->s);
	else if (p->truncated && p->walked)
		r = glob_cut_start(g, kept_part(p->s));
	else if (p->truncated)
		r = glob_cut_end(g, p->s);
	else
		r = glob_unplaced(g, p->s);
	/* no file is surely at a path the process cannot open */
	if (r == MATCH_YES && p->unreachable)
		r = MATCH_MAYBE;
	return r;
}
