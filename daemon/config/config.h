/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config.h: a configuration: its main file and drop-ins loaded into settings and a policy. */
#ifndef TRACE_EXECD_CONFIG_H
#define TRACE_EXECD_CONFIG_H

#include <stddef.h>

#include "config/config-errors.h"
#include "policy/settings.h"

struct krules;
struct policy;

#ifndef SYSCONFDIR
#define SYSCONFDIR		"/etc"
#endif
#define TE_CONFIG_PATH		SYSCONFDIR "/trace-execd/trace-execd.yaml"

/* A loaded configuration; replace the whole object to reload. */
struct config {
	struct te_settings settings;
	struct policy *policy;		/* never NULL in a loaded config */
	struct krules *krules;		/* the rules for the kernel, never NULL
					 * in a loaded config */
	char *path;			/* main file, or the buffer's name */
};

/*
 * Load the main file `path` and the drop-ins `*.yaml` of dropin_dir (NULL:
 * the directory rules.d beside path), in strcmp order. Every file must be a
 * regular file owned by root or the effective uid and not group- or
 * world-writable. Returns 0 and a new config in *out, -EINVAL when errors
 * were appended to errs (NULL: not recorded), or -ENOMEM.
 */
int config_load(const char *path, const char *dropin_dir,
		struct config **out, struct config_errors *errs);
/* Parse one in-memory main file called `name` (no file checks, no
 * drop-ins); same returns as config_load(). Safe on any bytes. */
int config_parse_buffer(const char *name, const void *data, size_t len,
			struct config **out, struct config_errors *errs);
void config_free(struct config *c);

#endif
