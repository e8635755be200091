// SPDX-License-Identifier: GPL-2.0-or-later
/* filter.c: trace-exec's selection of execs, the same for the live view and the journal's history: as journal matches where it can be, and on the event. */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "history/filter.h"

/* Whether a name filter (NULL: none) lets value through; a host process
 * (no container) passes none. */
static bool name_ok(const char *want, const struct container *c, const char *value)
{
	return !want || (c && !strcmp(value, want));
}

/* Whether s matches the glob or text want (NULL: any). */
static bool text_ok(const char *want, const char *s)
{
	if (!want)
		return true;
	if (!s)
		return false;
	return filter_is_glob(want) ? fnmatch(want, s, 0) == 0 : !strcmp(want, s);
}

/* Whether tag is one of the comma-separated tags. */
static bool has_tag(const char *tags, const char *tag)
{
	size_t n = strlen(tag);
	const char *p = tags;

	while (p && *p) {
		if (!strncmp(p, tag, n) && (p[n] == ',' || !p[n]))
			return true;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return false;
}

/* The container conditions. */
static bool container_ok(const struct exec_filter *f, const struct container *c)
{
	if (f->where == FILTER_HOST && c)
		return false;
	if (f->where == FILTER_CONTAINERS && !c)
		return false;
	return name_ok(f->containername, c, c ? c->name : NULL) &&
	       name_ok(f->k8s_namespace, c, c ? c->k8s_namespace : NULL) &&
	       name_ok(f->k8s_podname, c, c ? c->k8s_pod : NULL) &&
	       name_ok(f->k8s_containername, c, c ? c->k8s_container : NULL);
}

bool exec_filter_match(const struct exec_filter *f, const struct exec_event *ev,
		       const struct rule_match *m)
{
	if (ev->failed && !f->failed)
		return false;
	if (f->uid_set && ev->uid != f->uid)
		return false;
	if (!container_ok(f, ev->container))
		return false;
	if (!text_ok(f->exe, EXEC_EXE(ev)) || !text_ok(f->comm, ev->comm))
		return false;
	if (f->rule && !(m && m->name && !strcmp(m->name, f->rule)))
		return false;
	if (f->tag && !(m && m->name && m->tags && has_tag(m->tags, f->tag)))
		return false;
	if (f->hostname && !(ev->host && !strcmp(ev->host, f->hostname)))
		return false;
	return !f->action || (m && m->action && !strcmp(m->action, f->action));
}

bool filter_is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Call fn with "NAME=value" when value is given; 0 or fn's return. */
static int one(exec_filter_match_fn fn, void *ctx, const char *name,
	       const char *value, char *buf, size_t size)
{
	int n;

	if (!value)
		return 0;
	n = snprintf(buf, size, "%s=%s", name, value);
	if (n < 0 || (size_t)n >= size)
		return 0;	/* too long for a match: decided on the event */
	return fn(ctx, buf);
}

int exec_filter_journal(const struct exec_filter *f, exec_filter_match_fn fn,
			void *ctx)
{
	char buf[4200];
	char uid[16];
	int r = 0;

	if (f->uid_set) {
		snprintf(uid, sizeof(uid), "%u", f->uid);
		r = one(fn, ctx, "EXEC_UID", uid, buf, sizeof(buf));
	}
	if (!r)
		r = one(fn, ctx, "CONTAINER_NAME", f->containername, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "K8S_NAMESPACE", f->k8s_namespace, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "K8S_POD", f->k8s_podname, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "K8S_CONTAINER", f->k8s_containername, buf, sizeof(buf));
	if (!r && f->exe && !filter_is_glob(f->exe))
		r = one(fn, ctx, "EXEC_EXE", f->exe, buf, sizeof(buf));
	if (!r && f->comm && !filter_is_glob(f->comm))
		r = one(fn, ctx, "EXEC_COMM", f->comm, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "POLICY_RULE", f->rule, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "EXEC_ACTION", f->action, buf, sizeof(buf));
	if (!r)
		r = one(fn, ctx, "_HOSTNAME", f->hostname, buf, sizeof(buf));
	return r;
}
