// SPDX-License-Identifier: GPL-2.0-or-later
/* match-path.c: what a path glob proves about a path known only in part (cut or unreachable). */
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

enum match_result path_glob_partial(const struct glob *g,
				    const struct exec_path *p)
{
	enum match_result r;

	if (p->truncated && p->walked)
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
