/* SPDX-License-Identifier: GPL-2.0-or-later */
/* settings-parse.h: the `settings:` map read into policy's settings, and their defaults. */
#ifndef TRACE_EXECD_SETTINGS_PARSE_H
#define TRACE_EXECD_SETTINGS_PARSE_H

#include "config/cfg-yaml.h"
#include "policy/settings.h"

/* Fill s with the defaults; the container paths are "". */
void settings_defaults(struct te_settings *s);
/* The default protected paths: init systems, package managers, us. */
void settings_protect_defaults(struct te_settings *s);

/* Parse the `settings:` map n (null: all defaults) into s, which holds
 * the defaults or earlier values; every problem is reported in c. */
void settings_parse(struct cfg_ctx *c, yaml_node_t *n,
		    struct te_settings *s);

#endif
