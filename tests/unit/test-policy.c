// SPDX-License-Identifier: GPL-2.0-or-later
/* test-policy.c: unit tests of match keys, rule order, drop and rate limits. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "check.h"
#include "config/config.h"
#include "core/event.h"
#include "policy/policy.h"

#define SEC 1000000ULL

static char cwd[] = "/home/alice";
static char file[] = "/usr/bin/bash";
static char exe[] = "/usr/bin/bash";
static char pexe[] = "/usr/sbin/sshd";
static char argv_str[] = "bash -c 'echo hi'";

static const struct container ctr = {
	.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.short_id = "0123456789ab",
	.name = "web",
	.image = "docker.io/library/nginx:1.25",
	.runtime = "containerd",
	.k8s_namespace = "prod",
	.k8s_pod = "web-7d4b9",
	.k8s_container = "nginx",
};

/* A typical host event: alice runs bash from an ssh session. */
static void ev_init(struct exec_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->pid = ev->tid = 4242;
	ev->ppid = 4000;
	ev->uid = 1000;
	ev->gid = 100;
	ev->loginuid = 1000;
	ev->sessionid = 3;
	strcpy(ev->comm, "bash");
	strcpy(ev->pcomm, "sshd");
	strcpy(ev->tty, "pts/0");
	ev->argc = 3;
	ev->argv_str = argv_str;
	ev->path[EXEC_PATH_CWD].s = cwd;
	ev->path[EXEC_PATH_FILE].s = file;
	ev->path[EXEC_PATH_EXE].s = exe;
	ev->path[EXEC_PATH_PARENT_EXE].s = pexe;
	ev->user = ev->host_user = "alice";
	ev->group = ev->host_group = "users";
	ev->loginuser = "alice";
}

/* Parse a configuration that must be valid. */
static struct config *load(const char *yaml)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	size_t i;
	int r = config_parse_buffer("t.yaml", yaml, strlen(yaml), &c, &e);

	for (i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.msgs[i]);
	if (r)
		fprintf(stderr, "for:\n%s\n", yaml);
	CHECK_INT(r, 0);
	config_errors_free(&e);
	return c;
}

/* True when a single rule with this (flow) match matches ev. */
static bool m(const char *match, const struct exec_event *ev)
{
	char yaml[4096];
	struct config *c;
	struct verdict v;

	snprintf(yaml, sizeof(yaml), "rules:\n  - name: r\n    match: %s\n",
		 match);
	c = load(yaml);
	CHECK_INT(policy_eval(c->policy, ev, 0, &v), 0);
	config_free(c);
	return v.rule != NULL;
}

#define YES(match, ev) do {						\
	if (!m(match, ev))						\
		fprintf(stderr, "should match: %s\n", match);		\
	CHECK(m(match, ev));						\
} while (0)

#define NO(match, ev) do {						\
	if (m(match, ev))						\
		fprintf(stderr, "should not match: %s\n", match);	\
	CHECK(!m(match, ev));						\
} while (0)

/* Glob keys; every compiled glob form, matching and not. */
static void test_globs(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{}", &ev);
	YES("{comm: bash}", &ev);
	NO("{comm: bas}", &ev);
	YES("{comm: ba*}", &ev);			/* prefix */
	NO("{comm: zs*}", &ev);
	YES("{comm: '*sh'}", &ev);			/* suffix */
	NO("{comm: '*zsh'}", &ev);
	YES("{exe: '*bin*'}", &ev);			/* infix */
	NO("{exe: '*sbin*'}", &ev);
	YES("{exe: '/usr/*bash'}", &ev);		/* prefix and suffix */
	NO("{exe: '/usr/*zsh'}", &ev);
	NO("{comm: 'bas*ash'}", &ev);			/* parts overlap */
	YES("{comm: '*'}", &ev);			/* anything */
	YES("{comm: '**'}", &ev);
	YES("{comm: 'b?sh'}", &ev);			/* fnmatch */
	NO("{comm: 'b?'}", &ev);
	YES("{comm: '[a-c]ash'}", &ev);
	NO("{comm: '[!a-c]ash'}", &ev);
	YES("{comm: '[[:alpha:]]ash'}", &ev);
	YES("{comm: 'b\\ash'}", &ev);			/* escaped 'a' */
	YES("{exe: '/usr/*/b*h'}", &ev);		/* several stars */
	NO("{exe: '/usr/*/z*h'}", &ev);
	YES("{exe: /usr/*}", &ev);			/* '*' crosses '/' */
	YES("{comm: [sh, zsh, bash]}", &ev);		/* any of a list */
	NO("{comm: [sh, zsh]}", &ev);
	YES("{parent_comm: sshd}", &ev);
	NO("{parent_comm: bash}", &ev);
	YES("{file: /usr/bin/bash}", &ev);
	YES("{cwd: /home/*}", &ev);
	NO("{cwd: /tmp/*}", &ev);
	YES("{parent_exe: '*/sshd'}", &ev);
	YES("{args: '*echo hi*'}", &ev);
	NO("{args: 'echo*'}", &ev);
	YES("{user: alice}", &ev);
	YES("{user: 'a*'}", &ev);
	NO("{user: root}", &ev);
	YES("{group: users}", &ev);
	NO("{group: wheel}", &ev);
	YES("{loginuser: alice}", &ev);
	NO("{loginuser: bob}", &ev);
}

/* A key whose value the event lacks never holds (so its `not` does). */
static void test_missing(void)
{
	struct exec_event ev;

	ev_init(&ev);
	ev.path[EXEC_PATH_EXE].s = NULL;
	ev.path[EXEC_PATH_CWD].s = NULL;
	ev.argv_str = NULL;
	ev.user = ev.host_user = NULL;
	NO("{exe: '*'}", &ev);
	YES("{not: {exe: '*'}}", &ev);
	NO("{cwd: '*'}", &ev);
	NO("{args: '*'}", &ev);
	NO("{args_regex: '.*'}", &ev);
	YES("{not: {args_regex: '.*'}}", &ev);
	NO("{user: '*'}", &ev);
	YES("{file: '*'}", &ev);
	/* host process: container fields do not exist */
	NO("{container_name: '*'}", &ev);
	NO("{image: '*'}", &ev);
	NO("{k8s_namespace: '*'}", &ev);
	NO("{k8s_pod: '*'}", &ev);
	YES("{not: {image: '*'}}", &ev);
}

static void test_args_regex(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{args_regex: '^bash -c'}", &ev);
	YES("{args_regex: 'echo (hi|ho)'}", &ev);
	NO("{args_regex: '^zsh'}", &ev);
	NO("{args_regex: 'echo h[^i]'}", &ev);
}

static void test_ids(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{uid: 1000}", &ev);
	YES("{uid: [0, 1000]}", &ev);
	NO("{uid: 0}", &ev);
	YES("{gid: 100}", &ev);
	NO("{gid: [0, 10]}", &ev);
	YES("{loginuid: 1000}", &ev);
	NO("{loginuid: unset}", &ev);
	NO("{loginuser: unset}", &ev);
	YES("{loginuser: [unset, alice]}", &ev);
	/* a daemon: no login session */
	ev.loginuid = 4294967295U;
	ev.loginuser = "uid:4294967295";
	YES("{loginuid: unset}", &ev);
	YES("{loginuid: [0, unset]}", &ev);
	YES("{loginuid: 4294967295}", &ev);
	NO("{loginuid: 1000}", &ev);
	YES("{loginuser: unset}", &ev);
	NO("{loginuser: '*'}", &ev);		/* a glob needs a login user */
	YES("{not: {loginuser: '*'}}", &ev);
}

static void test_flags(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{tty: true}", &ev);
	NO("{tty: false}", &ev);
	ev.tty[0] = '\0';
	YES("{tty: false}", &ev);
	NO("{tty: true}", &ev);

	YES("{failed: false}", &ev);
	NO("{failed: true}", &ev);
	NO("{error: ENOENT}", &ev);		/* not failed */
	ev.failed = true;
	ev.error = ENOENT;
	YES("{failed: true}", &ev);
	YES("{error: ENOENT}", &ev);
	YES("{error: enoent}", &ev);
	YES("{error: [EACCES, ENOENT]}", &ev);
	NO("{error: EACCES}", &ev);
	ev.error = EAGAIN;
	YES("{error: EWOULDBLOCK}", &ev);	/* an alias */

	NO("{upper_layer: true}", &ev);
	YES("{upper_layer: false}", &ev);
	ev.upper_layer = true;
	YES("{upper_layer: true}", &ev);
	NO("{parent_upper_layer: true}", &ev);
	ev.parent_upper_layer = true;
	YES("{parent_upper_layer: true}", &ev);
	/* unknown: neither true nor false holds */
	ev.file_upper_layer = true;
	NO("{file_upper_layer: true}", &ev);
	NO("{file_upper_layer: false}", &ev);
	ev.file_upper_known = true;
	YES("{file_upper_layer: true}", &ev);
	NO("{file_upper_layer: false}", &ev);
}

static void test_container(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{container: false}", &ev);
	NO("{container: true}", &ev);
	ev.container = &ctr;
	YES("{container: true}", &ev);
	NO("{container: false}", &ev);
	YES("{container_name: web}", &ev);
	NO("{container_name: db}", &ev);
	YES("{image: 'docker.io/library/nginx:*'}", &ev);
	NO("{image: '*/redis:*'}", &ev);
	YES("{k8s_namespace: [dev, prod]}", &ev);
	NO("{k8s_namespace: kube-system}", &ev);
	YES("{k8s_pod: web-*}", &ev);
	NO("{k8s_pod: db-*}", &ev);
}

/* A cgroup named after a container whose runtime did not confirm it. */
static void test_container_unverified(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{container_unverified: false}", &ev);
	NO("{container_unverified: true}", &ev);
	ev.container_unverified = ctr.id;
	YES("{container_unverified: true}", &ev);
	NO("{container_unverified: false}", &ev);
	YES("{container: false, container_unverified: true}", &ev);
	NO("{container_name: '*'}", &ev);
	YES("{any: [{container: true}, {container_unverified: true}]}", &ev);
}

/*
 * user: and group: name the host's users: a container's own passwd may
 * call uid 0 anything (EXEC_USER shows that name), the rule still sees root.
 */
static void test_container_users(void)
{
	struct config *c = load(
		"rules:\n"
		"  - name: quiet-nobody\n"
		"    match: {user: nobody}\n"
		"    action: drop\n"
		"  - name: root\n"
		"    match: {user: root, group: root}\n");
	struct exec_event ev;
	struct verdict v;

	ev_init(&ev);
	ev.container = &ctr;
	ev.uid = ev.gid = 0;
	ev.user = "nobody";			/* the container's passwd */
	ev.group = "nogroup";
	ev.host_user = "root";			/* the host's */
	ev.host_group = "root";
	YES("{user: root}", &ev);
	YES("{user: 'r*'}", &ev);
	NO("{user: nobody}", &ev);
	YES("{group: root}", &ev);
	NO("{group: nogroup}", &ev);
	policy_eval(c->policy, &ev, 0, &v);
	CHECK_STR(v.rule, "root");
	CHECK(!v.drop);
	/* a uid the host has no name for */
	ev.uid = 100000;
	ev.user = "root";
	ev.host_user = "uid:100000";
	NO("{user: root}", &ev);
	YES("{user: 'uid:100000'}", &ev);
	config_free(c);
}

/* AND of keys, not:, any:, and their nesting. */
static void test_logic(void)
{
	struct exec_event ev;

	ev_init(&ev);
	YES("{comm: bash, uid: 1000, tty: true}", &ev);
	NO("{comm: bash, uid: 0}", &ev);
	YES("{not: {comm: zsh}}", &ev);
	NO("{not: {comm: bash}}", &ev);
	NO("{not: {comm: bash, uid: 0}, uid: 0}", &ev);
	YES("{not: {comm: bash, uid: 0}}", &ev);	/* not (a and b) */
	YES("{any: [{comm: zsh}, {uid: 1000}]}", &ev);
	NO("{any: [{comm: zsh}, {uid: 0}]}", &ev);
	YES("{any: [{comm: zsh}, {not: {uid: 0}}], comm: bash}", &ev);
	NO("{any: [{comm: bash}], not: {any: [{uid: 1000}]}}", &ev);
	YES("{not: {not: {comm: bash}}}", &ev);
	YES("{any: [{any: [{comm: zsh}, {comm: bash}]}]}", &ev);
	NO("{not: {}}", &ev);			/* not (everything) */
}

/*
 * The rule that decides ev under a rule "r" with this match and action,
 * followed by a catch-all "rest": "r", "r (drop)" or "rest".
 */
static const char *decide(const char *match, const char *action,
			  const struct exec_event *ev)
{
	static char out[64];
	char yaml[4096];
	struct config *c;
	struct verdict v;

	snprintf(yaml, sizeof(yaml), "rules:\n  - name: r\n    match: %s\n"
		 "    action: %s\n  - name: rest\n    match: {}\n",
		 match, action);
	c = load(yaml);
	policy_eval(c->policy, ev, 0, &v);
	snprintf(out, sizeof(out), "%s%s", v.rule, v.drop ? " (drop)" : "");
	config_free(c);
	return out;
}

static char cut_exe[] = "\xe2\x80\xa6/d7/d8/prog";	/* as event_text_fill() marks it */
static char cut_cwd[] = "\xe2\x80\xa6/d7/d8";

/*
 * A path cut before its root: the kept end is known, the start may be
 * anything. A glob that starts with '*' is sure on the kept end; any
 * other glob with a '*' possibly holds when the kept end matches it from
 * its first '*' on: enough for a log rule, never for a drop rule.
 */
static void test_cut_paths(void)
{
	struct exec_event ev;

	ev_init(&ev);
	ev.path[EXEC_PATH_EXE] = (struct exec_path){ .s = cut_exe,
		.len = strlen(cut_exe), .truncated = true, .walked = true };
	ev.path[EXEC_PATH_FILE] = ev.path[EXEC_PATH_EXE];
	YES("{path_truncated: true}", &ev);
	NO("{path_truncated: false}", &ev);
	NO("{path_unreachable: true}", &ev);
	YES("{exe: '*/d8/prog'}", &ev);		/* sure */
	YES("{exe: '*'}", &ev);
	NO("{exe: '*/d9/prog'}", &ev);
	YES("{exe: /tmp/*}", &ev);			/* possible */
	YES("{exe: '/tmp/*/d7/*/prog'}", &ev);
	NO("{exe: '/tmp/*/d9/prog'}", &ev);
	NO("{exe: /tmp/prog}", &ev);			/* no star: too short */
	NO("{exe: '/tmp/d?/prog'}", &ev);
	NO("{exe: '/tmp/[*]/prog'}", &ev);		/* a star in brackets */
	NO("{exe: '/tmp/\\*/prog'}", &ev);		/* an escaped star */
	YES("{not: {exe: /usr/*}}", &ev);		/* not possible: possible */
	NO("{not: {exe: '*/prog'}}", &ev);		/* not sure: no */
	YES("{any: [{exe: /tmp/*}, {uid: 0}]}", &ev);
	NO("{exe: /tmp/*, uid: 0}", &ev);
	/* a drop rule needs a sure match */
	CHECK_STR(decide("{exe: '*/prog'}", "drop", &ev), "r (drop)");
	CHECK_STR(decide("{exe: /usr/bin/*}", "drop", &ev), "rest");
	CHECK_STR(decide("{not: {exe: /tmp/*}}", "drop", &ev), "rest");
	CHECK_STR(decide("{exe: /usr/bin/*}", "log", &ev), "r");
	CHECK_STR(decide("{path_truncated: true}", "drop", &ev), "r (drop)");
	/* only file, exe and cwd count for path_truncated */
	ev_init(&ev);
	ev.path[EXEC_PATH_PARENT_EXE] = (struct exec_path){ .s = cut_exe,
		.len = strlen(cut_exe), .truncated = true, .walked = true };
	NO("{path_truncated: true}", &ev);
	YES("{parent_exe: /usr/*}", &ev);
	ev.path[EXEC_PATH_CWD] = (struct exec_path){ .s = cut_cwd,
		.len = strlen(cut_cwd), .truncated = true, .walked = true };
	YES("{path_truncated: true}", &ev);
	YES("{cwd: /tmp/*}", &ev);
	NO("{cwd: '*/d9'}", &ev);
}

static char gap_exe[] = "/tmp/kz/" EXEC_PATH_CUT_MARK "/d9/prog";

/* A path with a gap (deeper or longer than the kernel keeps): its root
 * side and its leaf side are known, what lies between is not. */
static void test_gap_paths(void)
{
	struct exec_event ev;

	ev_init(&ev);
	ev.path[EXEC_PATH_EXE] = (struct exec_path){ .s = gap_exe,
		.len = strlen(gap_exe), .gap = true, .walked = true };
	YES("{path_truncated: true}", &ev);
	NO("{path_unreachable: true}", &ev);
	YES("{exe: /tmp/*}", &ev);			/* sure, by the root side */
	CHECK_STR(decide("{exe: /tmp/*}", "drop", &ev), "r (drop)");
	CHECK_STR(decide("{exe: /tmp/k*}", "drop", &ev), "r (drop)");
	YES("{exe: '*/d9/prog'}", &ev);		/* sure, by the leaf side */
	CHECK_STR(decide("{exe: '*/d9/prog'}", "drop", &ev), "r (drop)");
	YES("{exe: '*'}", &ev);
	NO("{exe: /usr/*}", &ev);			/* the root side says no */
	NO("{exe: /tmp/kq/*}", &ev);
	NO("{exe: '*/d8/prog'}", &ev);		/* the leaf side says no */
	NO("{exe: /tmp/kz/prog}", &ev);		/* exact, too short */
	YES("{exe: /tmp/kz/x/*}", &ev);		/* in the gap: possible */
	CHECK_STR(decide("{exe: /tmp/kz/x/*}", "drop", &ev), "rest");
	YES("{exe: '/tmp/*/d9/*'}", &ev);
	CHECK_STR(decide("{exe: '/tmp/*/d9/*'}", "drop", &ev), "rest");
	NO("{exe: '/usr/*/d9/*'}", &ev);
}

static char long_name[] = "/nnnnnnnn";	/* stands for 4095 bytes */
static char detached[] = "/usr/bin/ls";

/* A string cut at its end; a path that is no path the process can open. */
static void test_partial_paths(void)
{
	struct exec_event ev;

	ev_init(&ev);
	ev.path[EXEC_PATH_FILE] = (struct exec_path){ .s = long_name,
		.len = strlen(long_name), .truncated = true };
	YES("{path_truncated: true}", &ev);
	CHECK_STR(decide("{file: /nn*}", "drop", &ev), "r (drop)");	/* sure */
	CHECK_STR(decide("{file: '/nn*x'}", "drop", &ev), "rest");	/* possible */
	YES("{file: '/nn*x'}", &ev);
	NO("{file: '/x*'}", &ev);
	NO("{file: /nnnnnnnn}", &ev);			/* longer in truth */

	ev_init(&ev);
	ev.path[EXEC_PATH_EXE] = (struct exec_path){ .s = detached,
		.len = strlen(detached), .unreachable = true, .walked = true };
	YES("{path_unreachable: true}", &ev);
	NO("{path_unreachable: false}", &ev);
	NO("{path_truncated: true}", &ev);
	/* the mount may sit anywhere: its place is an unknown start */
	YES("{exe: /usr/bin/*}", &ev);			/* possible */
	YES("{exe: /tmp/*}", &ev);			/* possible too */
	YES("{exe: '*/bin/ls'}", &ev);
	NO("{exe: '*/bin/sh'}", &ev);
	NO("{exe: /usr/bin/sh}", &ev);
	YES("{not: {exe: '*/bin/ls'}}", &ev);		/* never sure */
	CHECK_STR(decide("{exe: /usr/bin/ls}", "drop", &ev), "rest");
	CHECK_STR(decide("{exe: '*/ls'}", "drop", &ev), "rest");
	CHECK_STR(decide("{exe: /usr/bin/ls}", "log", &ev), "r");
	CHECK_STR(decide("{not: {exe: /tmp/*}}", "drop", &ev), "rest");
	CHECK_STR(decide("{not: {exe: '*/sh'}}", "drop", &ev), "r (drop)");
	CHECK_STR(decide("{path_unreachable: true}", "drop", &ev), "r (drop)");
	/* a failed exec's exe is the caller's: after unshare -m it is in the
	 * mount namespace the caller left, and it does not count */
	ev.failed = true;
	ev.error = ENOENT;
	NO("{path_unreachable: true}", &ev);
	NO("{exe: /tmp/*}", &ev);			/* taken as written */
	CHECK_STR(decide("{exe: /usr/bin/ls}", "drop", &ev), "r (drop)");
	ev.path[EXEC_PATH_CWD].unreachable = true;
	YES("{path_unreachable: true}", &ev);
}

/* Rules are tried in order and the first match decides. */
static void test_order(void)
{
	struct config *c = load(
		"settings: {default_priority: notice}\n"
		"rules:\n"
		"  - name: first\n"
		"    match: {comm: bash}\n"
		"    priority: crit\n"
		"    tags: [t1, T1059.004]\n"
		"  - name: second\n"
		"    match: {uid: 1000}\n"
		"    priority: warn\n"
		"  - name: quiet\n"
		"    match: {comm: true}\n"
		"    action: drop\n"
		"  - name: third\n"
		"    match: {uid: 0}\n");
	struct exec_event ev;
	struct verdict v;

	CHECK_INT(policy_rule_count(c->policy), 4);
	CHECK(policy_rule_name(c->policy, 4) == NULL);
	ev_init(&ev);
	policy_eval(c->policy, &ev, 0, &v);
	CHECK_STR(v.rule, "first");
	CHECK_STR(v.tags, "t1,T1059.004");
	CHECK_INT(v.priority, LOG_CRIT);
	CHECK(!v.drop && !v.suppressed);
	strcpy(ev.comm, "zsh");
	policy_eval(c->policy, &ev, 0, &v);
	CHECK_STR(v.rule, "second");
	CHECK_STR(v.tags, "");
	CHECK_INT(v.priority, LOG_WARNING);
	strcpy(ev.comm, "true");
	ev.uid = 0;
	policy_eval(c->policy, &ev, 0, &v);
	CHECK_STR(v.rule, "quiet");
	CHECK(v.drop);
	CHECK_INT(v.priority, LOG_INFO);	/* a rule's default */
	strcpy(ev.comm, "ls");
	policy_eval(c->policy, &ev, 0, &v);
	CHECK_STR(v.rule, "third");
	CHECK(!v.drop);
	ev.uid = 5;
	policy_eval(c->policy, &ev, 0, &v);	/* no rule: the default */
	CHECK(v.rule == NULL);
	CHECK_STR(v.tags, "");
	CHECK_INT(v.priority, LOG_NOTICE);
	CHECK(!v.drop && !v.suppressed);
	config_free(c);

	policy_eval(NULL, &ev, 0, &v);		/* no policy at all */
	CHECK(v.rule == NULL);
	CHECK_INT(v.priority, LOG_INFO);
	CHECK_INT(policy_rule_count(NULL), 0);
}

struct summary {
	char rule[64];
	uint64_t suppressed, start, end;
	enum rate_per per;
	bool others;
	uint32_t uid;
	char container[65];
};

struct recorder {
	struct summary s[8];
	int n;
};

static void record(void *ctx, const struct rate_summary *rs)
{
	struct recorder *r = ctx;
	struct summary *s = &r->s[r->n];

	CHECK(r->n < 8);
	memset(s, 0, sizeof(*s));
	snprintf(s->rule, sizeof(s->rule), "%s", rs->rule);
	s->suppressed = rs->suppressed;
	s->start = rs->window_start_usec;
	s->end = rs->window_end_usec;
	s->per = rs->per;
	s->others = rs->others;
	s->uid = rs->uid;
	if (rs->container)
		snprintf(s->container, sizeof(s->container), "%s",
			 rs->container);
	r->n++;
}

/* Evaluate ev at t and return whether it was suppressed. */
static bool supp(struct config *c, const struct exec_event *ev, uint64_t t)
{
	struct verdict v;

	policy_eval(c->policy, ev, t, &v);
	CHECK(v.rule != NULL);
	return v.suppressed;
}

static const char rl_yaml[] =
	"rules:\n"
	"  - name: noisy\n"
	"    match: {comm: bash}\n"
	"    rate_limit: {burst: 3, interval: 10s}\n"
	"  - name: gone\n"
	"    match: {comm: rm}\n"
	"    action: drop\n"
	"    rate_limit: {burst: 1, interval: 10s}\n"
	"  - name: other\n"
	"    match: {}\n"
	"    rate_limit: {burst: 1, interval: 1m}\n";

/* Windows closed by policy_tick() with a fake clock. */
static void test_rate_tick(void)
{
	struct config *c = load(rl_yaml);
	struct recorder rec = { .n = 0 };
	struct exec_event ev, ev2;
	const uint64_t t0 = 1000 * SEC;
	int i;

	ev_init(&ev);
	ev_init(&ev2);
	strcpy(ev2.comm, "ls");
	for (i = 0; i < 3; i++)
		CHECK(!supp(c, &ev, t0 + (uint64_t)i * SEC));
	CHECK(supp(c, &ev, t0 + 3 * SEC));
	CHECK(supp(c, &ev, t0 + 9 * SEC));
	CHECK(!supp(c, &ev2, t0 + 9 * SEC));	/* each rule its own window */
	policy_tick(c->policy, t0 + 10 * SEC - 1, record, &rec);
	CHECK_INT(rec.n, 0);			/* not due yet */
	policy_tick(c->policy, t0 + 10 * SEC, record, &rec);
	CHECK_INT(rec.n, 1);
	CHECK_STR(rec.s[0].rule, "noisy");
	CHECK_INT(rec.s[0].suppressed, 2);
	CHECK_INT(rec.s[0].start, t0);
	CHECK_INT(rec.s[0].end, t0 + 10 * SEC);
	/* a new window starts with the next event */
	CHECK(!supp(c, &ev, t0 + 11 * SEC));
	policy_tick(c->policy, t0 + 30 * SEC, record, &rec);
	CHECK_INT(rec.n, 1);			/* nothing suppressed */
	/* "other" (1 per minute) */
	CHECK(supp(c, &ev2, t0 + 30 * SEC));
	policy_tick(c->policy, t0 + 69 * SEC, record, &rec);
	CHECK_INT(rec.n, 2);
	CHECK_STR(rec.s[1].rule, "other");
	CHECK_INT(rec.s[1].suppressed, 1);
	CHECK_INT(rec.s[1].start, t0 + 9 * SEC);
	CHECK_INT(rec.s[1].end, t0 + 69 * SEC);
	/* drop rules are never rate limited nor summarised */
	strcpy(ev.comm, "rm");
	for (i = 0; i < 5; i++) {
		struct verdict v;

		policy_eval(c->policy, &ev, t0 + 70 * SEC, &v);
		CHECK(v.drop && !v.suppressed);
	}
	policy_tick(c->policy, t0 + 200 * SEC, record, &rec);
	CHECK_INT(rec.n, 2);
	config_free(c);
}

/* Windows closed by the next event: at once, or pending for the tick. */
static void test_rate_eval(void)
{
	struct config *c = load(rl_yaml);
	struct recorder rec = { .n = 0 }, late = { .n = 0 };
	struct exec_event ev;
	const uint64_t t0 = 5 * SEC;
	int i;

	ev_init(&ev);
	policy_set_summary_fn(c->policy, record, &rec);
	for (i = 0; i < 10; i++)
		CHECK(supp(c, &ev, t0 + (uint64_t)i * 1000) == (i >= 3));
	CHECK_INT(rec.n, 0);
	CHECK(!supp(c, &ev, t0 + 10 * SEC));	/* closes, opens anew */
	CHECK_INT(rec.n, 1);
	CHECK_STR(rec.s[0].rule, "noisy");
	CHECK_INT(rec.s[0].suppressed, 7);
	CHECK_INT(rec.s[0].start, t0);
	CHECK_INT(rec.s[0].end, t0 + 10 * SEC);
	config_free(c);

	/* without a summary function the summary waits for policy_tick() */
	c = load(rl_yaml);
	for (i = 0; i < 5; i++)
		supp(c, &ev, t0);
	CHECK(!supp(c, &ev, t0 + 10 * SEC));	/* window 2, 1 event */
	CHECK(!supp(c, &ev, t0 + 10 * SEC + 1));
	CHECK(!supp(c, &ev, t0 + 10 * SEC + 2));
	CHECK(supp(c, &ev, t0 + 10 * SEC + 3));
	policy_tick(c->policy, t0 + 11 * SEC, record, &late);
	CHECK_INT(late.n, 1);			/* the pending window 1 */
	CHECK_INT(late.s[0].suppressed, 2);
	CHECK_INT(late.s[0].start, t0);
	CHECK_INT(late.s[0].end, t0 + 10 * SEC);
	/* a reload flushes the running window, due or not */
	policy_flush(c->policy, t0 + 12 * SEC, record, &late);
	CHECK_INT(late.n, 2);
	CHECK_INT(late.s[1].suppressed, 1);
	CHECK_INT(late.s[1].start, t0 + 10 * SEC);
	CHECK_INT(late.s[1].end, t0 + 12 * SEC);
	policy_flush(c->policy, t0 + 13 * SEC, record, &late);
	CHECK_INT(late.n, 2);
	config_free(c);
	policy_tick(NULL, 0, record, &late);
}

/* The summary of recorder r for uid (others: the shared window). */
static const struct summary *summary_of(const struct recorder *r,
					uint32_t uid, bool others)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (r->s[i].others == others && (others || r->s[i].uid == uid))
			return &r->s[i];
	return NULL;
}

static const char rl_uid_yaml[] =
	"rules:\n"
	"  - name: noisy\n"
	"    match: {comm: bash}\n"
	"    rate_limit: {burst: 2, interval: 10s, per: uid}\n";

/* One uid flooding a rule limited per uid does not silence another. */
static void test_rate_per_uid(void)
{
	struct config *c = load(rl_uid_yaml);
	struct recorder rec = { .n = 0 };
	struct exec_event ev, other;
	const uint64_t t0 = 100 * SEC;
	int i;

	ev_init(&ev);
	ev_init(&other);
	other.uid = 2000;
	for (i = 0; i < 10; i++)
		CHECK(supp(c, &ev, t0 + (uint64_t)i) == (i >= 2));
	CHECK(!supp(c, &other, t0 + 20));	/* its own window */
	CHECK(!supp(c, &other, t0 + 21));
	CHECK(supp(c, &other, t0 + 22));
	CHECK(supp(c, &ev, t0 + 23));
	policy_tick(c->policy, t0 + 10 * SEC, record, &rec);
	CHECK_INT(rec.n, 1);			/* uid 1000's window is due */
	CHECK_INT(rec.s[0].per, RATE_PER_UID);
	CHECK_INT(rec.s[0].uid, 1000);
	CHECK(!rec.s[0].others);
	CHECK_INT(rec.s[0].suppressed, 9);
	CHECK_STR(rec.s[0].rule, "noisy");
	policy_tick(c->policy, t0 + 10 * SEC + 20, record, &rec);
	CHECK_INT(rec.n, 2);
	CHECK_INT(rec.s[1].uid, 2000);
	CHECK_INT(rec.s[1].suppressed, 1);
	config_free(c);
}

/* RATE_KEYS running windows, then the others share one more. */
static void test_rate_bound(void)
{
	struct config *c = load(rl_uid_yaml);
	struct recorder rec = { .n = 0 };
	const struct summary *s;
	struct exec_event ev, other;
	const uint64_t t0 = 100 * SEC;
	int i;

	ev_init(&ev);
	ev_init(&other);
	for (i = 0; i < RATE_KEYS; i++) {
		ev.uid = 10000 + (uint32_t)i;
		CHECK(!supp(c, &ev, t0));
	}
	ev.uid = 1;				/* past the bound */
	CHECK(!supp(c, &ev, t0 + 1));
	other.uid = 2;
	CHECK(!supp(c, &other, t0 + 2));	/* the same shared window */
	CHECK(supp(c, &other, t0 + 3));
	CHECK(supp(c, &ev, t0 + 4));
	ev.uid = 10000;				/* a key keeps its window */
	CHECK(!supp(c, &ev, t0 + 5));
	CHECK(supp(c, &ev, t0 + 6));
	policy_tick(c->policy, t0 + 10 * SEC + 1, record, &rec);
	CHECK_INT(rec.n, 2);
	s = summary_of(&rec, 0, true);
	CHECK(s != NULL);
	CHECK_INT(s->suppressed, 2);
	s = summary_of(&rec, 10000, false);
	CHECK(s != NULL);
	CHECK_INT(s->suppressed, 1);
	/* closed windows free their slots: a new uid has its own again */
	ev.uid = 3;
	CHECK(!supp(c, &ev, t0 + 11 * SEC));
	CHECK(!supp(c, &ev, t0 + 11 * SEC + 1));
	CHECK(supp(c, &ev, t0 + 11 * SEC + 2));
	other.uid = 4;
	CHECK(!supp(c, &other, t0 + 11 * SEC + 3));
	config_free(c);
}

/* Per container: host processes are one key, each container another. */
static void test_rate_per_container(void)
{
	struct config *c = load(
		"rules:\n"
		"  - name: noisy\n"
		"    match: {comm: bash}\n"
		"    rate_limit: {burst: 1, interval: 1m, per: container}\n");
	static const char bad[] = "rules:\n  - name: r\n    match: {}\n"
		"    rate_limit: {burst: 1, interval: 1m, per: pid}\n";
	struct recorder rec = { .n = 0 };
	struct exec_event host, in_ctr;
	int i;

	ev_init(&host);
	ev_init(&in_ctr);
	in_ctr.container = &ctr;
	for (i = 0; i < 5; i++)
		CHECK(supp(c, &host, SEC) == (i >= 1));
	CHECK(!supp(c, &in_ctr, SEC));
	CHECK(supp(c, &in_ctr, SEC));
	in_ctr.uid = 0;				/* the key is the container */
	CHECK(supp(c, &in_ctr, SEC));
	policy_flush(c->policy, 2 * SEC, record, &rec);
	CHECK_INT(rec.n, 2);
	CHECK_INT(rec.s[0].per, RATE_PER_CONTAINER);
	CHECK_STR(rec.s[0].container, "");
	CHECK_INT(rec.s[0].suppressed, 4);
	CHECK_STR(rec.s[1].container, ctr.id);
	CHECK_INT(rec.s[1].suppressed, 2);
	config_free(c);

	/* per rule is the default; an unknown key is an error */
	c = load("rules:\n  - name: r\n    match: {}\n"
		 "    rate_limit: {burst: 1, interval: 1m, per: rule}\n");
	config_free(c);
	CHECK_INT(config_parse_buffer("t.yaml", bad, strlen(bad), &c, NULL),
		  -EINVAL);
}

/* sha256: the event's EXEC_SHA256 in the list (either case in the
 * configuration); an event without one matches no list. */
static void test_sha256(void)
{
	struct exec_event ev;
	char yes[256], no[256];

	ev_init(&ev);
	memset(ev.sha256, 'c', 64);
	ev.sha256[64] = '\0';
	snprintf(yes, sizeof(yes), "{sha256: [%.64s, %s]}", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ev.sha256);
	snprintf(no, sizeof(no), "{sha256: %.64s}", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd");
	YES(yes, &ev);
	NO(no, &ev);
	YES("{sha256: CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC}", &ev);
	YES("{not: {sha256: dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd}}", &ev);
	ev.sha256[0] = '\0';
	ev.sha256_unavailable = "gone";
	NO(yes, &ev);
	YES("{not: {sha256: cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc}}", &ev);
}

/* package, package_verified, first_seen: the event's package verdict and
 * first sighting; an event not judged matches none of them. */
static void test_provenance(void)
{
	struct exec_event ev;

	ev_init(&ev);
	NO("{package_verified: [yes, modified, unpackaged, unknown]}", &ev);
	NO("{package: '*'}", &ev);
	NO("{first_seen: [host, image]}", &ev);
	YES("{not: {first_seen: [host, image]}}", &ev);
	ev.pkg_verified = "modified";
	snprintf(ev.pkg_name, sizeof(ev.pkg_name), "coreutils");
	YES("{package_verified: modified}", &ev);
	YES("{package_verified: [yes, modified], package: core*}", &ev);
	NO("{package_verified: yes}", &ev);
	NO("{package: [bash, 'lib*']}", &ev);
	ev.pkg_verified = "unpackaged";
	ev.pkg_name[0] = '\0';
	YES("{package_verified: unpackaged}", &ev);
	NO("{package: '*'}", &ev);
	ev.first_seen = "image";
	YES("{first_seen: image}", &ev);
	NO("{first_seen: host}", &ev);
}

int main(void)
{
	test_provenance();
	test_sha256();
	test_globs();
	test_missing();
	test_args_regex();
	test_ids();
	test_flags();
	test_container();
	test_container_unverified();
	test_container_users();
	test_logic();
	test_cut_paths();
	test_gap_paths();
	test_partial_paths();
	test_order();
	test_rate_tick();
	test_rate_eval();
	test_rate_per_uid();
	test_rate_bound();
	test_rate_per_container();
	CHECK_DONE();
}
