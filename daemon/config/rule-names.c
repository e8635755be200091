// SPDX-License-Identifier: GPL-2.0-or-later
/* rule-names.c: the rule names of a configuration, for duplicate checks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config/rule-names.h"
#include "core/util.h"

/* Slot holding name, or the empty slot where it would go. */
static struct rule_name *name_slot(struct rule_name *slots, size_t nslots,
				   const char *name)
{
	size_t i = (size_t)hash64(name, strlen(name)) & (nslots - 1);

	while (slots[i].name && strcmp(slots[i].name, name))
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

/* Double the table when half full; 0 or -ENOMEM. */
static int names_grow(struct rule_names *t)
{
	struct rule_name *slots;
	size_t i, n;

	if (t->nslots && (t->n + 1) * 2 <= t->nslots)
		return 0;
	n = t->nslots ? t->nslots * 2 : 64;
	slots = calloc(n, sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (i = 0; i < t->nslots; i++)
		if (t->slots[i].name)
			*name_slot(slots, n, t->slots[i].name) = t->slots[i];
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

int rule_names_add(struct rule_names *t, const char *name, const char *where,
		   const char **first)
{
	struct rule_name *e;

	if (names_grow(t) < 0)
		return -ENOMEM;
	e = name_slot(t->slots, t->nslots, name);
	if (e->name) {
		*first = e->where;
		return -EEXIST;
	}
	e->name = strdup(name);
	e->where = strdup(where);
	if (!e->name || !e->where) {
		free(e->name);
		free(e->where);
		e->name = e->where = NULL;
		return -ENOMEM;
	}
	t->n++;
	return 0;
}

void rule_names_free(struct rule_names *t)
{
	size_t i;

	for (i = 0; i < t->nslots; i++) {
		free(t->slots[i].name);
		free(t->slots[i].where);
	}
	free(t->slots);
	t->slots = NULL;
	t->n = t->nslots = 0;
}
