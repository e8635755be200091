// SPDX-License-Identifier: GPL-2.0-or-later
/* config-errors.c: the list of problems in a configuration, capped. */
#include <errno.h>
#include <stdlib.h>

#include "config/config-errors.h"
#include "core/array.h"
#include "core/strbuf.h"

int config_errors_add(struct config_errors *e, const char *file,
		      struct strbuf *msg)
{
	if (e->n > CONFIG_MAX_ERRORS)
		return 0;
	if (e->n == CONFIG_MAX_ERRORS) {
		sb_reset(msg);
		if (sb_printf(msg, "'%s': more than %d errors, giving up on the rest",
			      file, CONFIG_MAX_ERRORS) < 0)
			return -ENOMEM;
	}
	if (array_reserve(&e->msgs, &e->cap, e->n + 1, sizeof(*e->msgs)) < 0)
		return -ENOMEM;
	e->msgs[e->n] = sb_steal(msg);
	if (!e->msgs[e->n])
		return -ENOMEM;
	e->n++;
	return 0;
}

void config_errors_free(struct config_errors *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < e->n; i++)
		free(e->msgs[i]);
	free(e->msgs);
	e->msgs = NULL;
	e->n = e->cap = 0;
}
