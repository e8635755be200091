// SPDX-License-Identifier: GPL-2.0-or-later
/* settings-parse.c: the `settings:` map: its defaults, its keys and their checks. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <syslog.h>

#include "config/cfg-yaml.h"
#include "config/config-values.h"
#include "config/settings-parse.h"
#include "core/util.h"
#include "trace_exec.h"

void settings_defaults(struct te_settings *s)
{
	memset(s, 0, sizeof(*s));	/* also "": each runtime's own default */
	s->paths = true;
	s->max_args_bytes = 32768;
	s->ringbuf_size = 4U << 20;
	s->pending_max = 10240;
	s->failed_exec_budget = TE_FAIL_BUDGET_UID;
	s->failed_exec_budget_cgroup = TE_FAIL_BUDGET_CGROUP;
	s->outputs.journal = true;
	s->syslog_facility = LOG_AUTHPRIV;
	s->lost_report_interval_usec = 10 * USEC_PER_SEC;
	s->journal_backlog = 64U << 20;
	s->syslog_backlog = 64U << 20;
	s->default_priority = LOG_INFO;
	s->hash_sha256 = true;
	s->hash_wait_usec = 200 * 1000;
	s->hash_max_size = 256U << 20;
	s->hash_cache_entries = 8192;
	s->package_verify = true;
	s->first_seen = true;
	s->first_seen_entries = 16384;
	settings_protect_defaults(s);
}

void settings_protect_defaults(struct te_settings *s)
{
	static const char *const paths[] = {
		"/sbin/init", "/lib/systemd/systemd", "/usr/lib/systemd/systemd",
		"/usr/bin/dpkg", "/usr/bin/apt", "/usr/bin/apt-get",
		"/usr/lib/apt/methods/*", "/usr/bin/rpm", "/usr/bin/dnf",
		"/usr/bin/yum", "/usr/sbin/trace-execd",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		snprintf(s->protect[i], TE_PROTECT_LEN, "%s", paths[i]);
	s->nprotect = ARRAY_SIZE(paths);
}

/* One protected path: absolute, no wildcard but one '*' at its end. */
static int protect_add(struct cfg_ctx *c, yaml_node_t *v, struct te_settings *s)
{
	const char *p = cfg_scalar(c, v, "an absolute path");
	size_t n;

	if (!p)
		return -EINVAL;
	n = strlen(p);
	if (p[0] != '/' || n >= TE_PROTECT_LEN || strpbrk(p, "?[\\") ||
	    (strchr(p, '*') && strchr(p, '*') != p + n - 1) || strstr(p, "//")) {
		cfg_error(c, v, "protect: '%s' must be an absolute path shorter than %d bytes, with at most one '*', at its end",
			  p, TE_PROTECT_LEN);
		return -EINVAL;
	}
	if (s->nprotect == TE_PROTECT_MAX) {
		cfg_error(c, v, "protect: more than %d paths", TE_PROTECT_MAX);
		return -EINVAL;
	}
	memcpy(s->protect[s->nprotect++], p, n + 1);
	return 0;
}

/* `protect:` a list of paths; it replaces the default list. */
static void protect_setting(struct cfg_ctx *c, yaml_node_t *v,
			    struct te_settings *s)
{
	yaml_node_item_t *it;

	s->nprotect = 0;
	if (cfg_is_null(v))
		return;
	if (v->type != YAML_SEQUENCE_NODE) {
		cfg_error(c, v, "protect must be a list of absolute paths");
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		protect_add(c, cfg_node(c, *it), s);
}

/* cfg_map_each() callback for the keys of `outputs:`. */
static void outputs_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
			 yaml_node_t *v, void *arg)
{
	static const char *const fmts[] = { "none", "table", "json" };
	struct te_outputs *o = arg;
	int r;

	(void)key;
	if (idx == 0) {
		cfg_bool(c, v, &o->journal);
	} else if (idx == 1) {
		cfg_bool(c, v, &o->syslog);
	} else {
		r = cfg_keyword(c, v, "stdout", fmts, ARRAY_SIZE(fmts));
		if (r >= 0)
			o->stdout_fmt = (enum te_stdout_fmt)r;
	}
}

/* cfg_map_each() callback for `containers:`: absolute paths only. */
static void containers_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
			    yaml_node_t *v, void *arg)
{
	struct te_containers *ct = arg;
	char *dst[] = { ct->podman_storage, ct->docker_root,
			ct->containerd_state, ct->crio_state, ct->runc_state };
	const char *s = cfg_scalar(c, v, "a path");

	(void)key;
	if (!s)
		return;
	if (s[0] != '/' || strlen(s) >= TE_PATH_MAX) {
		cfg_error(c, v, "'%s' must be an absolute path", s);
		return;
	}
	strcpy(dst[idx], s);
}

/* A size setting between min and max bytes (a power of two when pow2),
 * described as `range` in the error; 0 or -EINVAL after an error. */
static int size_setting(struct cfg_ctx *c, yaml_node_t *v, const char *name,
			uint64_t min, uint64_t max, bool pow2,
			const char *range, uint64_t *out)
{
	const char *str = cfg_scalar(c, v, "a size");
	uint64_t b;

	if (!str)
		return -EINVAL;
	if (config_parse_size(str, &b) < 0 || b < min || b > max ||
	    (pow2 && (b & (b - 1)))) {
		cfg_error(c, v, "%s '%s' must be %s", name, str, range);
		return -EINVAL;
	}
	*out = b;
	return 0;
}

/* syslog_facility: one of the names of config_facility_names(). */
static void facility_setting(struct cfg_ctx *c, yaml_node_t *v,
			     struct te_settings *s)
{
	size_t n;
	const char *const *names = config_facility_names(&n);
	int r = cfg_keyword(c, v, "syslog_facility", names, n);

	if (r >= 0)
		s->syslog_facility = config_facility_from_name(names[r]);
}

/* metrics_file: an absolute path ending in ".prom", the only files
 * node_exporter's textfile collector reads. */
static void metrics_setting(struct cfg_ctx *c, yaml_node_t *v,
			    struct te_settings *s)
{
	const char *str = cfg_scalar(c, v, "a path");
	size_t n;

	if (!str)
		return;
	n = strlen(str);
	if (str[0] != '/' || n >= TE_PATH_MAX || n < 6 ||
	    strcmp(str + n - 5, ".prom") || str[n - 6] == '/') {
		cfg_error(c, v, "metrics_file '%s' must be an absolute path "
			  "ending in .prom (node_exporter reads only those)", str);
		return;
	}
	strcpy(s->metrics_file, str);
}

enum skey { SK_IGNORE_FAILED, SK_PATHS, SK_UID, SK_MAX_ARGS, SK_RINGBUF,
	    SK_PENDING, SK_OUTPUTS, SK_FACILITY, SK_LOST, SK_DEFPRIO,
	    SK_CONTAINERS, SK_BACKLOG, SK_FAIL_BUDGET, SK_FAIL_BUDGET_CG, SK_ENFORCE,
	    SK_PROTECT, SK_HASH, SK_HASH_WAIT, SK_HASH_MAX, SK_HASH_CACHE,
	    SK_METRICS, SK_SYSLOG_BACKLOG, SK_PKG_VERIFY, SK_FIRST_SEEN,
	    SK_FIRST_SEEN_ENTRIES, SK_FIRST_SEEN_FILE, SK_NR };

static const char *const skey_names[SK_NR] = {
	"ignore_failed", "paths", "uid", "max_args_bytes", "ringbuf_size",
	"pending_max", "outputs", "syslog_facility", "lost_report_interval",
	"default_priority", "containers", "journal_backlog",
	"failed_exec_budget", "failed_exec_budget_cgroup", "enforce", "protect",
	"hash_sha256", "hash_wait", "hash_max_size", "hash_cache_entries",
	"metrics_file", "syslog_backlog", "package_verify", "first_seen",
	"first_seen_entries", "first_seen_file",
};

/* The settings of EXEC_SHA256 (enrich/hash.h). */
static void hash_setting(struct cfg_ctx *c, int idx, yaml_node_t *v,
			 struct te_settings *s)
{
	if (idx == SK_HASH)
		cfg_bool(c, v, &s->hash_sha256);
	else if (idx == SK_HASH_WAIT)
		cfg_duration(c, v, 0, 10 * USEC_PER_SEC, &s->hash_wait_usec);
	else if (idx == SK_HASH_MAX)
		size_setting(c, v, "hash_max_size", 1, 64ULL << 30, false,
			     "between 1 and 64G", &s->hash_max_size);
	else
		cfg_u32(c, v, 128, 1048576, &s->hash_cache_entries);
}

/* The settings of EXEC_PACKAGE_VERIFIED and EXEC_FIRST_SEEN. */
static void provenance_setting(struct cfg_ctx *c, int idx, yaml_node_t *v,
			       struct te_settings *s)
{
	const char *str;

	if (idx == SK_PKG_VERIFY) {
		cfg_bool(c, v, &s->package_verify);
	} else if (idx == SK_FIRST_SEEN) {
		cfg_bool(c, v, &s->first_seen);
	} else if (idx == SK_FIRST_SEEN_ENTRIES) {
		cfg_u32(c, v, 1024, 1048576, &s->first_seen_entries);
	} else if ((str = cfg_scalar(c, v, "a path"))) {
		if (str[0] != '/' || strlen(str) >= TE_PATH_MAX || str[strlen(str) - 1] == '/')
			cfg_error(c, v, "first_seen_file '%s' must be an absolute path of a file", str);
		else
			strcpy(s->first_seen_file, str);
	}
}

/* Map one `settings:` key to its field. */
static void settings_pair(struct cfg_ctx *c, int idx, yaml_node_t *key,
			  yaml_node_t *v, void *arg)
{
	static const char *const okeys[] = { "journal", "syslog", "stdout" };
	static const char *const ckeys[] = {
		"podman_storage", "docker_root", "containerd_state",
		"crio_state", "runc_state",
	};
	struct te_settings *s = arg;

	(void)key;
	switch (idx) {
	case SK_IGNORE_FAILED:
		cfg_bool(c, v, &s->ignore_failed);
		break;
	case SK_PATHS:
		cfg_bool(c, v, &s->paths);
		break;
	case SK_UID:
		if (cfg_u32(c, v, 0, UINT32_MAX - 1, &s->uid) == 0)
			s->uid_set = true;
		break;
	case SK_MAX_ARGS:
		cfg_u32(c, v, 1024, 1048576, &s->max_args_bytes);
		break;
	case SK_RINGBUF:
		size_setting(c, v, "ringbuf_size", 64U << 10, 1U << 30, true,
			     "a power of two between 64K and 1G", &s->ringbuf_size);
		break;
	case SK_BACKLOG:
		size_setting(c, v, "journal_backlog", 1U << 20, 16ULL << 30, false,
			     "between 1M and 16G", &s->journal_backlog);
		break;
	case SK_SYSLOG_BACKLOG:
		size_setting(c, v, "syslog_backlog", 1U << 20, 16ULL << 30, false,
			     "between 1M and 16G", &s->syslog_backlog);
		break;
	case SK_PENDING:
		cfg_u32(c, v, 1, 1048576, &s->pending_max);
		break;
	case SK_FAIL_BUDGET:
		size_setting(c, v, "failed_exec_budget", 0, 1U << 30, false,
			     "between 0 and 1G", &s->failed_exec_budget);
		break;
	case SK_FAIL_BUDGET_CG:
		size_setting(c, v, "failed_exec_budget_cgroup", 0, 1U << 30, false,
			     "between 0 and 1G", &s->failed_exec_budget_cgroup);
		break;
	case SK_OUTPUTS:
		cfg_map_each(c, v, "outputs", okeys, ARRAY_SIZE(okeys),
			     outputs_pair, &s->outputs);
		break;
	case SK_FACILITY:
		facility_setting(c, v, s);
		break;
	case SK_LOST:
		cfg_duration(c, v, USEC_PER_SEC / 10, 24 * 3600 * USEC_PER_SEC,
			     &s->lost_report_interval_usec);
		break;
	case SK_DEFPRIO:
		cfg_priority(c, v, &s->default_priority);
		break;
	case SK_ENFORCE:
		cfg_bool(c, v, &s->enforce);
		break;
	case SK_PROTECT:
		protect_setting(c, v, s);
		break;
	case SK_HASH:
	case SK_HASH_WAIT:
	case SK_HASH_MAX:
	case SK_HASH_CACHE:
		hash_setting(c, idx, v, s);
		break;
	case SK_METRICS:
		metrics_setting(c, v, s);
		break;
	case SK_PKG_VERIFY:
	case SK_FIRST_SEEN:
	case SK_FIRST_SEEN_ENTRIES:
	case SK_FIRST_SEEN_FILE:
		provenance_setting(c, idx, v, s);
		break;
	default:
		cfg_map_each(c, v, "containers", ckeys, ARRAY_SIZE(ckeys),
			     containers_pair, &s->containers);
		break;
	}
}

void settings_parse(struct cfg_ctx *c, yaml_node_t *n, struct te_settings *s)
{
	if (!cfg_is_null(n))
		cfg_map_each(c, n, "settings", skey_names, SK_NR,
			     settings_pair, s);
}
