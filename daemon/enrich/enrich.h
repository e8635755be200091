/* SPDX-License-Identifier: GPL-2.0-or-later */
/* enrich.h: add names and container identity to a decoded event. */
#ifndef TRACE_EXECD_ENRICH_H
#define TRACE_EXECD_ENRICH_H

#include <stdint.h>

#include "core/event.h"
#include "enrich/container.h"

struct enricher;

/*
 * A new enricher in *out; 0 or -ENOMEM. Where container runtimes keep
 * their state: paths NULL, or a NULL or empty member, is that runtime's
 * default (see struct container_paths). paths is copied.
 */
int enricher_new(struct enricher **out, const struct container_paths *paths);
void enricher_free(struct enricher *e);
/*
 * Fill ev->container from the cgroup the kernel captured and the mount
 * namespace, when the container's runtime confirms it (else the claimed id
 * in ev->container_unverified; see container_lookup()), then the user,
 * group and login user names: from the container's own /etc/passwd and
 * /etc/group for a process in a container ("uid:N" when it has no name
 * there), from the host's user database otherwise. host_user and
 * host_group are always the host's names (the ones rules match). The
 * login uid is the host's audit login uid, so its name comes from the
 * host. ev->k8s_node is the node's name (see node_name()) for a process
 * in a Kubernetes pod, and for every process when NODE_NAME names the
 * node; NULL otherwise.
 */
void enrich_event(struct enricher *e, struct exec_event *ev, uint64_t now_usec);
/* About once a second: refresh the name caches, expire old containers. */
void enricher_tick(struct enricher *e, uint64_t now_usec);

#endif
