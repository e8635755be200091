/* SPDX-License-Identifier: GPL-2.0-or-later */
/* match-path.h: what a path glob proves about a path known only in part (cut or unreachable). */
#ifndef TRACE_EXECD_MATCH_PATH_H
#define TRACE_EXECD_MATCH_PATH_H

#include <stdbool.h>

#include "core/event.h"
#include "policy/match.h"

struct glob;

/* True when p's text is not the whole path the process could open. */
static inline bool path_partial(const struct exec_path *p)
{
	return p->truncated || p->gap || p->unreachable;
}

/*
 * How surely glob g holds on the real path behind the partial path p:
 *  - cut before the root ("…/kept"): the unknown start may be anything.
 *    A pattern starting with '*' tested on the kept part is sure; any
 *    other holds possibly when the kept part matches the pattern from its
 *    first '*' on; a pattern without '*' does not hold.
 *  - cut at its end (a string): the mirror image, with the pattern up to
 *    its last '*'.
 *  - unreachable: the text is the path inside a mount whose place is
 *    unknown (its start may be empty or anything); a pattern possibly
 *    holds when it matches the text or, as on a cut path, when the text
 *    matches it from its first '*' on. Never surely: the process can
 *    open the file at no path.
 */
enum match_result path_glob_partial(const struct glob *g,
				    const struct exec_path *p);

#endif
