// SPDX-License-Identifier: GPL-2.0-or-later
/* node-name.c: the name of the node the events happen on, for K8S_NODE. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "enrich/node-name.h"

#define NODE_NAME_MAX 253

/* Whether s is a DNS subdomain as Kubernetes names nodes. */
static bool valid_node_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-.");

	return n > 0 && n <= NODE_NAME_MAX && !s[n] && s[0] != '-' &&
	       s[0] != '.' && s[n - 1] != '-' && s[n - 1] != '.';
}

bool node_name(char *buf, size_t size)
{
	const char *env = secure_getenv("NODE_NAME");

	if (env && *env && valid_node_name(env) && strlen(env) < size) {
		strcpy(buf, env);
		return true;
	}
	if (env && *env)
		log_warn("NODE_NAME is not a node name (1 to %d of a-z, 0-9, '-', '.'): "
			 "using the host name", NODE_NAME_MAX);
	if (gethostname(buf, size) < 0 || !buf[0])
		strcpy(buf, "localhost");
	buf[size - 1] = '\0';
	return false;
}
