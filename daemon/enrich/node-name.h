/* SPDX-License-Identifier: GPL-2.0-or-later */
/* node-name.h: the name of the node the events happen on, for K8S_NODE. */
#ifndef TRACE_EXECD_NODE_NAME_H
#define TRACE_EXECD_NODE_NAME_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The node's name into buf: NODE_NAME from the environment (what a
 * Kubernetes DaemonSet passes from the downward API, spec.nodeName) when
 * it is a valid node name (a DNS subdomain: 1 to 253 of a-z 0-9 - .),
 * else the host name. Returns true when it came from NODE_NAME; a
 * NODE_NAME that is not a node name is said once on stderr and not used.
 */
bool node_name(char *buf, size_t size);

#endif
