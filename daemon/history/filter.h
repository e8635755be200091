/* SPDX-License-Identifier: GPL-2.0-or-later */
/* filter.h: trace-exec's selection of execs, the same for the live view and the journal's history: as journal matches where it can be, and on the event. */
#ifndef TRACE_EXECD_FILTER_H
#define TRACE_EXECD_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"
#include "format/fields.h"

enum exec_filter_where { FILTER_ALL, FILTER_HOST, FILTER_CONTAINERS };

/* What trace-exec's options select; NULL or false: no condition. All
 * given conditions must hold. */
struct exec_filter {
	bool uid_set;
	uint32_t uid;			/* --uid */
	enum exec_filter_where where;	/* --host, --containers-only */
	const char *containername;	/* --containername */
	const char *k8s_namespace;	/* --k8s-namespace */
	const char *k8s_podname;	/* --k8s-podname */
	const char *k8s_containername;	/* --k8s-containername */
	const char *exe;		/* --exe: EXEC_EXE, a glob */
	const char *comm;		/* --comm: EXEC_COMM, a glob */
	const char *rule;		/* --rule: POLICY_RULE */
	const char *tag;		/* --tag: one of POLICY_TAGS */
	const char *action;		/* --action: EXEC_ACTION */
	const char *hostname;		/* --hostname: the journal's _HOSTNAME */
	bool failed;			/* failed execs too (--ignore-failed=false) */
};

/* Whether the filter selects the event, m the rule that matched it (NULL:
 * none). */
bool exec_filter_match(const struct exec_filter *f, const struct exec_event *ev,
		       const struct rule_match *m);

/* Called with each journal match ("FIELD=value") that selects a subset
 * of what the filter selects; non-zero stops. */
typedef int (*exec_filter_match_fn)(void *ctx, const char *match);
/*
 * The journal matches the filter implies (AND of all), beyond the message
 * ids: EXEC_UID=, CONTAINER_NAME=, K8S_*=, EXEC_EXE= and EXEC_COMM= (when
 * not globs), POLICY_RULE=, EXEC_ACTION=, _HOSTNAME=. The rest (globs, --host,
 * --containers-only, --tag) only exec_filter_match() decides; it decides
 * all of them again. 0 or fn's return.
 */
int exec_filter_journal(const struct exec_filter *f, exec_filter_match_fn fn,
			void *ctx);

/* Whether the text is a glob (holds *, ? or [). */
bool filter_is_glob(const char *s);

#endif
