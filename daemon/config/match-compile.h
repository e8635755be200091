/* SPDX-License-Identifier: GPL-2.0-or-later */
/* match-compile.h: compile a `match:` mapping into conditions. */
#ifndef TRACE_EXECD_MATCH_COMPILE_H
#define TRACE_EXECD_MATCH_COMPILE_H

#include "config/cfg-yaml.h"

struct match;

/* Compile the match mapping n; NULL after the errors were reported in c.
 * Free the result with match_free(). */
struct match *match_compile(struct cfg_ctx *c, yaml_node_t *n);

#endif
