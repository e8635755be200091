/* SPDX-License-Identifier: GPL-2.0-or-later */
/* match.h: test events on compiled match conditions. */
#ifndef TRACE_EXECD_MATCH_H
#define TRACE_EXECD_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct match;

/*
 * How surely a match holds: Kleene's three values, in this order (an AND
 * takes the least, an ANY the greatest, a NOT turns MAYBE into MAYBE).
 * MAYBE comes from a path glob on a path known only in part (cut or
 * unreachable, see match-path.h): it might hold on the real path.
 */
enum match_result { MATCH_NO, MATCH_MAYBE, MATCH_YES };

/* Cheap facts about an event, computed once per evaluation. */
struct match_facts {
	uint32_t flags;			/* MF_* bits that hold */
	uint64_t comm_bit, pcomm_bit;	/* bloom bit of comm, parent comm */
};

/* Necessary conditions of a match, tested on the facts first. */
struct match_filter {
	uint32_t mask, want;		/* (flags & mask) must equal want */
	uint64_t comm, pcomm;		/* bloom of exact names; 0: any */
};

void match_facts(const struct exec_event *ev, struct match_facts *f);
/* Derive the filter of m (never stricter than m itself). */
void match_filter(const struct match *m, struct match_filter *flt);

/* False when m cannot hold for an event with these facts. */
static inline bool match_filter_pass(const struct match_filter *flt,
				     const struct match_facts *f)
{
	return (f->flags & flt->mask) == flt->want &&
	       (!flt->comm || (flt->comm & f->comm_bit)) &&
	       (!flt->pcomm || (flt->pcomm & f->pcomm_bit));
}

/* The least sure of m's conditions on ev (an empty match: MATCH_YES). */
enum match_result match_eval(const struct match *m,
			     const struct exec_event *ev);
void match_free(struct match *m);
/* What the keys of m (and of the matches nested in it) need events to
 * carry: EXEC_SHA256 (sha256, sha256_file, and the keys below, computed
 * with it), the package verdict (package, package_verified), first-seen
 * (first_seen). */
enum {
	MATCH_NEEDS_HASH = 1,
	MATCH_NEEDS_PACKAGE = 2,
	MATCH_NEEDS_FIRST_SEEN = 4,
};
unsigned int match_needs(const struct match *m);
/* True when m needs EXEC_SHA256: match_needs() is not 0. */
bool match_uses_hash(const struct match *m);

struct cond;
/* Whether one of the globs of condition cd (CK_GLOB) holds on s. */
bool match_cond_string(const struct cond *cd, const char *s);

#endif
