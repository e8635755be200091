// SPDX-License-Identifier: GPL-2.0-or-later
/* config.c: read the main file and drop-ins into settings and a policy. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/cfg-yaml.h"
#include "config/config.h"
#include "config/rule-names.h"
#include "config/rules-parse.h"
#include "config/settings-parse.h"
#include "core/util.h"
#include "policy/kill-compile.h"
#include "policy/policy.h"

#define MAX_FILE_SIZE	(16U << 20)

/* ---- the top level of a file ---- */

/* One load: the configuration it builds and what spans its files. */
struct load {
	struct cfg_ctx ctx;		/* errors of every file */
	struct config *cfg;
	struct rule_names names;	/* rule names so far, for duplicates */
	bool main;			/* parsing the main file */
};

enum top_key { TOP_SETTINGS, TOP_RULES, TOP_NR };

static const char *const top_key_names[TOP_NR] = { "settings", "rules" };

/* cfg_map_each() callback for the top-level keys of a file. */
static void top_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
		     yaml_node_t *v, void *arg)
{
	struct load *l = arg;

	if (idx == TOP_RULES) {
		rules_parse(c, v, &l->names, l->cfg->policy);
	} else if (!l->main) {
		cfg_error(c, key, "'settings' is only allowed in the main configuration file, not in a drop-in");
	} else {
		settings_parse(c, v, &l->cfg->settings);
	}
}

/* cfg_parse_document() callback: the root mapping into the load's config. */
static void parse_root(struct cfg_ctx *c, yaml_node_t *root, void *load)
{
	if (cfg_is_null(root))
		return;
	if (root->type != YAML_MAPPING_NODE) {
		cfg_error(c, root, "the configuration must be a mapping with the keys 'settings' and 'rules'");
		return;
	}
	cfg_map_each(c, root, "top-level", top_key_names, TOP_NR, top_pair,
		     load);
}

/* Parse one file's bytes into l->cfg; errors are recorded in l->ctx. */
static void parse_buffer(struct load *l, const char *name, const void *data,
			 size_t len, bool main)
{
	l->main = main;
	cfg_parse_document(&l->ctx, name, data, len, parse_root, l);
}

/* ---- files ---- */

/* Refuse files others could have written; 0 or -EPERM after an error. */
static int check_file(struct cfg_ctx *c, const char *path,
		      const struct stat *st)
{
	if (!S_ISREG(st->st_mode)) {
		cfg_error_raw(c, "'%s': not a regular file, refusing", path);
		return -EPERM;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid()) {
		cfg_error_raw(c, "'%s': owned by uid %u, not by root or uid %u, refusing",
			      path, (unsigned int)st->st_uid,
			      (unsigned int)geteuid());
		return -EPERM;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		cfg_error_raw(c, "'%s': group/world-writable (mode %04o), refusing",
			      path, (unsigned int)(st->st_mode & 07777));
		return -EPERM;
	}
	if (st->st_size > (off_t)MAX_FILE_SIZE) {
		cfg_error_raw(c, "'%s': larger than %u MiB, refusing", path,
			      MAX_FILE_SIZE >> 20);
		return -EFBIG;
	}
	return 0;
}

/* Check, read and parse one file. */
static void load_file(struct load *l, const char *path, bool main)
{
	struct cfg_ctx *c = &l->ctx;
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		cfg_error_raw(c, "'%s': cannot open: %s", path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) < 0) {
		cfg_error_raw(c, "'%s': cannot stat: %s", path, strerror(errno));
		goto out;
	}
	if (check_file(c, path, &st) < 0)
		goto out;
	r = read_fd_bounded(fd, MAX_FILE_SIZE, &sb);
	if (r == -ENOMEM) {
		c->oom = true;
		goto out;
	} else if (r < 0) {
		cfg_error_raw(c, "'%s': cannot read: %s", path, strerror(-r));
		goto out;
	}
	parse_buffer(l, path, sb.p, sb.len, main);
out:
	sb_free(&sb);
	close(fd);
}

/* scandir() filter: visible files named *.yaml. */
static int dropin_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return d->d_name[0] != '.' && n > 5 &&
	       !strcmp(d->d_name + n - 5, ".yaml");
}

/* scandir() order: plain byte order, independent of the locale. */
static int dropin_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Load every drop-in of dir in name order; a missing dir is fine. */
static void load_dropins(struct load *l, const char *dir)
{
	struct cfg_ctx *c = &l->ctx;
	struct dirent **list;
	struct strbuf path = STRBUF_INIT;
	int i, n;

	n = scandir(dir, &list, dropin_filter, dropin_cmp);
	if (n < 0) {
		if (errno == ENOENT)
			return;
		if (errno == ENOMEM)
			c->oom = true;
		else
			cfg_error_raw(c, "'%s': cannot read drop-in directory: %s",
				      dir, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		sb_reset(&path);
		if (sb_printf(&path, "%s/%s", dir, list[i]->d_name) < 0)
			c->oom = true;
		else
			load_file(l, path.p, false);
		free(list[i]);
	}
	free(list);
	sb_free(&path);
}

/* ---- the config object ---- */

static struct config *config_new(const char *name)
{
	struct config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg)
		return NULL;
	settings_defaults(&cfg->settings);
	cfg->policy = policy_new();
	cfg->path = strdup(name);
	if (!cfg->policy || !cfg->path) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

/* Start a load whose errors go to errs; 0 or -ENOMEM. */
static int load_start(struct load *l, const char *name,
		      struct config_errors *errs)
{
	memset(l, 0, sizeof(*l));
	l->ctx.errs = errs;
	l->cfg = config_new(name);
	return l->cfg ? 0 : -ENOMEM;
}

/* Hand the configuration over when no errors were found; same returns as
 * config_load(). */
static int load_finish(struct load *l, struct config **out)
{
	int r;

	rule_names_free(&l->names);
	if (l->ctx.oom || l->ctx.nerr) {
		config_free(l->cfg);
		return l->ctx.oom ? -ENOMEM : -EINVAL;
	}
	policy_set_default_priority(l->cfg->policy,
				    l->cfg->settings.default_priority);
	r = krules_build(l->cfg->policy, &l->cfg->settings, &l->cfg->krules);
	if (r == -E2BIG) {
		cfg_error_raw(&l->ctx, "'%s': the rules up to the last kill rule and the protected paths do not fit in the kernel's rule set (at most %d rules, %d operations, %d path or name patterns of %d bytes in all, 64 container conditions)",
			      l->cfg->path, TE_KRULES_MAX, TE_KOPS_MAX, TE_KSTRS_MAX, TE_KPOOL);
	}
	if (r < 0) {
		config_free(l->cfg);
		return r == -E2BIG ? -EINVAL : r;
	}
	*out = l->cfg;
	return 0;
}

int config_parse_buffer(const char *name, const void *data, size_t len,
			struct config **out, struct config_errors *errs)
{
	struct load l;

	*out = NULL;
	if (load_start(&l, name, errs) < 0)
		return -ENOMEM;
	parse_buffer(&l, name, data, len, true);
	return load_finish(&l, out);
}

int config_load(const char *path, const char *dropin_dir,
		struct config **out, struct config_errors *errs)
{
	struct strbuf dir = STRBUF_INIT;
	const char *slash = strrchr(path, '/');
	struct load l;

	*out = NULL;
	if (load_start(&l, path, errs) < 0)
		return -ENOMEM;
	l.ctx.file = path;
	load_file(&l, path, true);
	if (!dropin_dir) {
		if ((slash && sb_append(&dir, path, (size_t)(slash - path + 1)) < 0) ||
		    sb_puts(&dir, "rules.d") < 0)
			l.ctx.oom = true;
		dropin_dir = dir.p;
	}
	if (dropin_dir)
		load_dropins(&l, dropin_dir);
	sb_free(&dir);
	return load_finish(&l, out);
}

void config_free(struct config *c)
{
	if (!c)
		return;
	free(c->krules);
	policy_free(c->policy);
	free(c->path);
	free(c);
}
