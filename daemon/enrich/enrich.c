// SPDX-License-Identifier: GPL-2.0-or-later
/* enrich.c: add names and container identity to a decoded event. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "enrich/container.h"
#include "enrich/container-users.h"
#include "enrich/enrich.h"
#include "enrich/host-users.h"
#include "enrich/node-name.h"

struct enricher {
	struct host_users *host_users;
	struct container_cache *containers;
	struct container_users *container_users;
	char user[256];
	char group[256];
	char node[256];		/* K8S_NODE */
	bool node_from_env;	/* NODE_NAME: a Kubernetes node */
};

int enricher_new(struct enricher **out, const struct container_paths *paths)
{
	struct enricher *e;
	int r;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->node_from_env = node_name(e->node, sizeof(e->node));
	r = host_users_new(&e->host_users);
	if (!r)
		r = container_cache_new(&e->containers, paths);
	if (!r)
		r = container_users_new(&e->container_users);
	if (r) {
		enricher_free(e);
		return r;
	}
	*out = e;
	return 0;
}

void enricher_free(struct enricher *e)
{
	if (!e)
		return;
	host_users_free(e->host_users);
	container_cache_free(e->containers);
	container_users_free(e->container_users);
	free(e);
}

/* A name from the container's own database, or "uid:N" / "gid:N". */
static const char *container_name_of(struct enricher *e, const struct container *c,
				     uint32_t id, bool group, char *buf, size_t len)
{
	if (c->rootfs[0] &&
	    container_users_name(e->container_users, c->rootfs, id, group, buf, len) == 0)
		return buf;
	snprintf(buf, len, "%s:%u", group ? "gid" : "uid", id);
	return buf;
}

void enrich_event(struct enricher *e, struct exec_event *ev, uint64_t now_usec)
{
	const struct container *c = NULL;
	const char *claim = NULL;

	if (EXEC_CGROUP(ev))
		c = container_lookup(e->containers, EXEC_CGROUP(ev), ev->mntns,
				     now_usec, &claim);
	ev->container = c;
	ev->container_unverified = claim;
	ev->host_user = host_user_name(e->host_users, ev->uid);
	ev->host_group = host_group_name(e->host_users, ev->gid);
	if (c) {
		ev->user = container_name_of(e, c, ev->uid, false, e->user,
					     sizeof(e->user));
		ev->group = container_name_of(e, c, ev->gid, true, e->group,
					      sizeof(e->group));
	} else {
		ev->user = ev->host_user;
		ev->group = ev->host_group;
	}
	ev->loginuser = host_user_name(e->host_users, ev->loginuid);
	/* the node: of a pod's process, and of every one on a node that
	 * Kubernetes named (NODE_NAME) */
	ev->k8s_node = e->node_from_env || (c && c->k8s_namespace[0]) ?
		       e->node : NULL;
}

void enricher_tick(struct enricher *e, uint64_t now_usec)
{
	host_users_refresh(e->host_users);
	container_cache_expire(e->containers, now_usec);
}
