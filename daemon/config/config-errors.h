/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config-errors.h: the list of problems found in a configuration. */
#ifndef TRACE_EXECD_CONFIG_ERRORS_H
#define TRACE_EXECD_CONFIG_ERRORS_H

#include <stddef.h>

struct strbuf;

#define CONFIG_MAX_ERRORS	1000	/* then one "more than N errors" and no more */

/* Every problem found, each "FILE:LINE:COLUMN: message" (file-level ones
 * are "'FILE': message"); zero-initialise before the first use. */
struct config_errors {
	char **msgs;
	size_t n, cap;
};

/*
 * Append the text of msg (taken over, msg is left empty). The message
 * after CONFIG_MAX_ERRORS is replaced by one saying `file` has more, and
 * later ones are dropped. Returns 0 or -ENOMEM.
 */
int config_errors_add(struct config_errors *e, const char *file,
		      struct strbuf *msg);
void config_errors_free(struct config_errors *e);

#endif
