/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule-names.h: the rule names of a configuration and where each was first defined. */
#ifndef TRACE_EXECD_RULE_NAMES_H
#define TRACE_EXECD_RULE_NAMES_H

#include <stddef.h>

struct rule_name {
	char *name;
	char *where;			/* FILE:LINE:COL */
};

/* A hash set of names (open addressing); zero-initialise. */
struct rule_names {
	struct rule_name *slots;
	size_t n, nslots;
};

/*
 * Remember name, first defined at where. Returns 0; -EEXIST with *first
 * set to where the name was first defined; or -ENOMEM.
 */
int rule_names_add(struct rule_names *t, const char *name, const char *where,
		   const char **first);
void rule_names_free(struct rule_names *t);

#endif
