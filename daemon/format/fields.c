// SPDX-License-Identifier: GPL-2.0-or-later
/* fields.c: the exec event's schema: every field by name and kind, in one order for every output. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "format/fields.h"

/* Helpers that keep event_fields() a flat list. */
#define STR(n, v) do {							\
	const char *v_ = (v);						\
	f = (struct field){ .name = (n), .kind = FIELD_STR,		\
			    .s = v_ ? v_ : "", .len = v_ ? strlen(v_) : 0 }; \
	if ((r = fn(ctx, &f)))						\
		return r;						\
} while (0)
#define NUM(n, v) do {							\
	f = (struct field){ .name = (n), .kind = FIELD_U64, .u = (v) };	\
	if ((r = fn(ctx, &f)))						\
		return r;						\
} while (0)

/* Each path's field, and its flags' fields (the cgroup walk never leaves
 * the process's root: it has no _UNREACHABLE). */
static const struct {
	const char *name, *cut, *unreachable;
} path_field[EXEC_PATH_NR] = {
	[EXEC_PATH_CWD] = { "EXEC_CWD", "EXEC_CWD_TRUNCATED",
			    "EXEC_CWD_UNREACHABLE" },
	[EXEC_PATH_FILE] = { "EXEC_FILE", "EXEC_FILE_TRUNCATED",
			     "EXEC_FILE_UNREACHABLE" },
	[EXEC_PATH_EXE] = { "EXEC_EXE", "EXEC_EXE_TRUNCATED",
			    "EXEC_EXE_UNREACHABLE" },
	[EXEC_PATH_PARENT_EXE] = { "EXEC_PARENT_EXE", "EXEC_PARENT_EXE_TRUNCATED",
				   "EXEC_PARENT_EXE_UNREACHABLE" },
	[EXEC_PATH_CGROUP] = { "EXEC_CGROUP", "EXEC_CGROUP_TRUNCATED", NULL },
};

/* Paths in schema order; a path not collected is left out. */
static int path_fields(const struct exec_event *ev, field_fn fn, void *ctx)
{
	static const int order[] = { EXEC_PATH_CWD, EXEC_PATH_FILE,
				     EXEC_PATH_EXE, EXEC_PATH_PARENT_EXE };
	struct field f;
	size_t i;
	int r;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const struct exec_path *p = &ev->path[order[i]];

		if (!p->s)
			continue;
		f = (struct field){ .name = path_field[order[i]].name,
				    .kind = FIELD_STR, .s = p->s, .len = p->len };
		if ((r = fn(ctx, &f)))
			return r;
	}
	return 0;
}

/* The flags of each collected path, present (1) only when set: cut,
 * then unreachable. */
static int path_flag_fields(const struct exec_event *ev, field_fn fn,
			    void *ctx)
{
	const struct exec_path *p;
	struct field f;
	size_t i;
	int r;

	for (i = 0; i < EXEC_PATH_NR; i++) {
		p = &ev->path[i];
		if (!p->s)
			continue;
		if (p->truncated || p->gap)
			NUM(path_field[i].cut, 1);
		if (p->unreachable && path_field[i].unreachable)
			NUM(path_field[i].unreachable, 1);
	}
	return 0;
}

/* EXEC_ID (a successful exec), EXEC_PARENT_ID and its mark, when known. */
static int lineage_fields(const struct exec_event *ev, field_fn fn, void *ctx)
{
	struct field f;
	int r;

	if (ev->exec_id[0])
		STR("EXEC_ID", ev->exec_id);
	if (ev->parent_exec_id[0])
		STR("EXEC_PARENT_ID", ev->parent_exec_id);
	if (ev->parent_exec_id[0] && ev->parent_id_inferred)
		NUM("EXEC_PARENT_ID_INFERRED", 1);
	return 0;
}

/* The hashes of what ran, or why there is none (hashing on). */
static int hash_fields(const struct exec_event *ev, field_fn fn, void *ctx)
{
	struct field f;
	int r;

	if (ev->sha256[0])
		STR("EXEC_SHA256", ev->sha256);
	if (ev->exe_sha256[0])
		STR("EXEC_EXE_SHA256", ev->exe_sha256);
	if (ev->sha256_unavailable)
		STR("EXEC_SHA256_UNAVAILABLE", ev->sha256_unavailable);
	return 0;
}

/* Where the exec'd file came from: its package and the verdict on it
 * (package checks on), and whether it ran here before (first-seen on). */
static int provenance_fields(const struct exec_event *ev, field_fn fn, void *ctx)
{
	struct field f;
	int r;

	if (ev->pkg_verified) {
		if (ev->pkg_name[0])
			STR("EXEC_PACKAGE", ev->pkg_name);
		if (ev->pkg_name[0] && ev->pkg_arch[0])
			STR("EXEC_PACKAGE_ARCH", ev->pkg_arch);
		if (ev->pkg_name[0] && ev->pkg_version[0])
			STR("EXEC_PACKAGE_VERSION", ev->pkg_version);
		STR("EXEC_PACKAGE_VERIFIED", ev->pkg_verified);
		if (ev->pkg_unknown)
			STR("EXEC_PACKAGE_UNKNOWN", ev->pkg_unknown);
		if (ev->pkg_conffile)
			NUM("EXEC_PACKAGE_CONFFILE", 1);
	}
	if (ev->first_seen)
		STR("EXEC_FIRST_SEEN", ev->first_seen);
	return 0;
}

/* The container fields written only when known (not ""), in order. */
static const struct {
	const char *name;
	size_t off;
} container_optional[] = {
	{ "CONTAINER_NAME", offsetof(struct container, name) },
	{ "CONTAINER_RUNTIME", offsetof(struct container, runtime) },
	{ "IMAGE_NAME", offsetof(struct container, image) },
	{ "K8S_NAMESPACE", offsetof(struct container, k8s_namespace) },
	{ "K8S_POD", offsetof(struct container, k8s_pod) },
	{ "K8S_CONTAINER", offsetof(struct container, k8s_container) },
};

/* Container c's fields, or the id a cgroup claims that its runtime did
 * not confirm (unverified). */
static int container_fields(const struct container *c, const char *unverified,
			    field_fn fn, void *ctx)
{
	struct field f;
	size_t i;
	int r;

	if (unverified)
		STR("CONTAINER_UNVERIFIED", unverified);
	if (!c)
		return 0;
	STR("CONTAINER_ID", c->short_id);
	STR("CONTAINER_ID_FULL", c->id);
	for (i = 0; i < ARRAY_SIZE(container_optional); i++) {
		const char *v = (const char *)c + container_optional[i].off;

		if (v[0])
			STR(container_optional[i].name, v);
	}
	return 0;
}

int event_fields(const struct exec_event *ev, const struct rule_match *m,
		 field_fn fn, void *ctx)
{
	/*
	 * Not on the stack: an entry keeps pointers to the values until it is
	 * written (entry_from_event()), after this function returned.
	 */
	static __thread char errname[ERRNO_NAME_LEN];
	struct field f;
	int r;

	NUM("EXEC_TIMESTAMP_USEC", ev->timestamp_usec);
	STR("EXEC_COMM", ev->comm);
	NUM("EXEC_PID", ev->pid);
	NUM("EXEC_TID", ev->tid);
	NUM("EXEC_PPID", ev->ppid);
	STR("EXEC_PCOMM", ev->pcomm);
	if ((r = lineage_fields(ev, fn, ctx)))
		return r;
	STR("EXEC_ARGV", ev->argv_str);
	f = (struct field){ .name = "EXEC_ARG", .kind = FIELD_ARGS };
	if ((r = fn(ctx, &f)))
		return r;
	if (ev->nargs) {
		f = (struct field){ .name = "EXEC_ARGS_JSON",
				    .kind = FIELD_ARGS_JSON };
		if ((r = fn(ctx, &f)))
			return r;
	}
	NUM("EXEC_ARGC", ev->argc);
	NUM("EXEC_ARGS_TRUNCATED", ev->args_truncated);
	if (ev->argc_inexact)
		NUM("EXEC_ARGC_INEXACT", 1);
	if (ev->args_unavailable)
		NUM("EXEC_ARGS_UNAVAILABLE", 1);
	NUM("EXEC_UID", ev->uid);
	STR("EXEC_USER", ev->user);
	NUM("EXEC_GID", ev->gid);
	STR("EXEC_GROUP", ev->group);
	NUM("EXEC_LOGINUID", ev->loginuid);
	STR("EXEC_LOGINUSER", ev->loginuser);
	NUM("EXEC_SESSIONID", ev->sessionid);
	STR("EXEC_TTY", ev->tty);
	if (ev->failed) {
		STR("EXEC_ERROR", errno_name(ev->error, errname));
		NUM("ERRNO", (uint64_t)ev->error);
	}
	if ((r = path_fields(ev, fn, ctx)))
		return r;
	if ((r = hash_fields(ev, fn, ctx)))
		return r;
	if ((r = provenance_fields(ev, fn, ctx)))
		return r;
	NUM("EXEC_UPPER_LAYER", ev->upper_layer);
	NUM("EXEC_PARENT_UPPER_LAYER", ev->parent_upper_layer);
	if (ev->file_upper_known)
		NUM("EXEC_FILE_UPPER_LAYER", ev->file_upper_layer);
	if (ev->loader)
		NUM("EXEC_LOADER", 1);
	NUM("EXEC_MNTNS", ev->mntns);
	if (EXEC_CGROUP(ev))
		STR("EXEC_CGROUP", EXEC_CGROUP(ev));
	if ((r = path_flag_fields(ev, fn, ctx)))
		return r;
	if ((r = container_fields(ev->container, ev->container_unverified, fn, ctx)))
		return r;
	if (ev->k8s_node)
		STR("K8S_NODE", ev->k8s_node);
	if (m && m->name) {
		STR("POLICY_RULE", m->name);
		STR("POLICY_TAGS", m->tags);
	}
	if (m && m->action)
		STR("EXEC_ACTION", m->action);
	return 0;
}

int fold_fields(const struct exec_fold *fo, field_fn fn, void *ctx)
{
	/* not on the stack: an entry keeps pointers to the values */
	static __thread char first[ERRNO_NAME_LEN], last[ERRNO_NAME_LEN];
	struct field f;
	int r;

	NUM("EXEC_FOLDED_COUNT", fo->count);
	NUM("EXEC_FOLD_SENT", fo->seen - fo->count);
	NUM("EXEC_FOLD_SENT_BYTES", fo->sent_bytes);
	if (fo->behind)
		NUM("EXEC_FOLD_BEHIND", fo->behind);
	STR("EXEC_FOLD_BY", fo->by_cgroup ? "cgroup" : "uid");
	NUM("EXEC_UID", fo->uid);
	NUM("EXEC_CGROUP_ID", fo->cgroup_id);
	NUM("EXEC_FOLD_WINDOW_START_USEC", fo->window_start_usec);
	NUM("EXEC_FOLD_WINDOW_END_USEC", fo->window_end_usec);
	NUM("EXEC_FOLD_FIRST_USEC", fo->first_usec);
	NUM("EXEC_FOLD_LAST_USEC", fo->last_usec);
	STR("EXEC_FOLD_FIRST_ERROR", errno_name(fo->first_error, first));
	STR("EXEC_FOLD_LAST_ERROR", errno_name(fo->last_error, last));
	if (fo->first_file[0])
		STR("EXEC_FOLD_FIRST_FILE", fo->first_file);
	if (fo->last_file[0])
		STR("EXEC_FOLD_LAST_FILE", fo->last_file);
	if (fo->file_truncated)
		NUM("EXEC_FOLD_FILE_TRUNCATED", 1);
	return container_fields(fo->container, NULL, fn, ctx);
}
