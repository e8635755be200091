// SPDX-License-Identifier: GPL-2.0-or-later
/* policy-bench.c: cost of matching one event against 100 typical rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "core/event.h"
#include "policy/policy.h"
#include "core/util.h"

#define NRULES 100

static char p_cwd[] = "/home/alice/src";
static char p_bash[] = "/usr/bin/bash";
static char p_sshd[] = "/usr/sbin/sshd";
static char p_tmp[] = "/tmp/.x/payload";
static char p_nginx[] = "/usr/sbin/nginx";
static char p_sh[] = "/bin/sh";
static char a_make[] = "make -j8 all";
static char a_curl[] = "curl -fsSL http://example.com/x.sh";
static char a_nginx[] = "nginx -g 'daemon off;'";

static const struct container ctr = {
	.name = "web", .image = "docker.io/library/nginx:1.25",
	.runtime = "containerd", .k8s_namespace = "prod",
	.k8s_pod = "web-7d4b9",
};

/* One rule of kind i % 10, named r<i>. */
static void gen_rule(struct strbuf *y, int i)
{
	sb_printf(y, "  - name: r%d\n    priority: notice\n    tags: [t%d]\n    match:\n",
		  i, i);
	switch (i % 10) {
	case 0:
		sb_printf(y, "      comm: [tool%d, helper%d, agent%d]\n", i, i, i);
		break;
	case 1:
		sb_printf(y, "      exe: [/opt/app%d/*, /srv/app%d/bin/*]\n", i, i);
		break;
	case 2:
		sb_printf(y, "      container: true\n      image: '*/app%d:*'\n      comm: [sh, bash]\n",
			  i);
		break;
	case 3:
		sb_printf(y, "      uid: [%d, %d]\n      user: 'svc%d*'\n", 2000 + i,
			  3000 + i, i);
		break;
	case 4:
		sb_printf(y, "      failed: true\n      error: [EACCES, EPERM]\n      file: ['*bin/tool%d', '*bin/helper%d']\n",
			  i, i);
		break;
	case 5:
		sb_printf(y, "      comm: [curl%d, wget%d]\n      args_regex: 'https?://[^ ]*\\.(sh|py)%d'\n",
			  i, i, i);
		break;
	case 6:
		sb_printf(y, "      any:\n        - comm: daemon%d\n        - parent_comm: launcher%d\n",
			  i, i);
		break;
	case 7:
		sb_printf(y, "      parent_comm: [cron%d, atd%d]\n      tty: false\n      not: {user: root}\n",
			  i, i);
		break;
	case 8:
		sb_printf(y, "      container: true\n      k8s_namespace: ns%d\n      cwd: '/var/lib/app%d/*'\n",
			  i, i);
		break;
	default:
		sb_printf(y, "      cwd: '/data/job%d/*'\n      comm: 'job%d-*'\n", i, i);
		break;
	}
}

/* 99 rules that typical events miss, then the shipped catch-all. */
static struct config *build(void)
{
	struct config_errors e = { 0 };
	struct strbuf y = STRBUF_INIT;
	struct config *c = NULL;
	size_t i;
	int r;

	sb_puts(&y, "rules:\n");
	for (i = 0; i < NRULES - 1; i++)
		gen_rule(&y, (int)i);
	sb_puts(&y, "  - name: exec\n    match: {}\n");
	r = config_parse_buffer("bench.yaml", y.p, y.len, &c, &e);
	for (i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.msgs[i]);
	config_errors_free(&e);
	sb_free(&y);
	if (r) {
		fprintf(stderr, "policy-bench: generated rules do not load\n");
		exit(1);
	}
	return c;
}

static void ev_set(struct exec_event *ev, const char *comm, const char *pcomm,
		   char *path, char *args, uint32_t uid)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->comm, sizeof(ev->comm), "%s", comm);
	snprintf(ev->pcomm, sizeof(ev->pcomm), "%s", pcomm);
	ev->uid = ev->gid = ev->loginuid = uid;
	ev->argv_str = args;
	ev->path[EXEC_PATH_CWD].s = p_cwd;
	ev->path[EXEC_PATH_FILE].s = path;
	ev->path[EXEC_PATH_EXE].s = path;
	ev->path[EXEC_PATH_PARENT_EXE].s = p_sshd;
	ev->user = ev->group = ev->loginuser = uid ? "alice" : "root";
	ev->host_user = ev->host_group = ev->user;
}

/* A mix: host shells and builds, a download, container processes. */
static void events(struct exec_event ev[8])
{
	ev_set(&ev[0], "bash", "sshd", p_bash, a_make, 1000);
	strcpy(ev[0].tty, "pts/0");
	ev_set(&ev[1], "make", "bash", p_bash, a_make, 1000);
	ev_set(&ev[2], "curl", "bash", p_tmp, a_curl, 1000);
	ev_set(&ev[3], "nginx", "containerd-shim", p_nginx, a_nginx, 0);
	ev[3].container = &ctr;
	ev_set(&ev[4], "sh", "nginx", p_sh, a_nginx, 0);
	ev[4].container = &ctr;
	ev_set(&ev[5], "tool20", "bash", p_bash, a_make, 1000);	/* rule r20 */
	ev_set(&ev[6], "cc1", "gcc", p_bash, a_make, 1000);
	ev[6].failed = true;
	ev[6].error = 2;
	ev_set(&ev[7], "helper40", "bash", p_bash, a_make, 0);	/* rule r40 */
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? atol(argv[1]) : 2000000;
	struct exec_event ev[8];
	struct config *c = build();
	struct verdict v;
	unsigned long hits = 0;
	double t;

	events(ev);
	if (n < 8)
		n = 8;
	for (i = 0; i < 100000; i++)	/* warm up */
		policy_eval(c->policy, &ev[i & 7], (uint64_t)i, &v);
	t = now_ns();
	for (i = 0; i < n; i++) {
		policy_eval(c->policy, &ev[i & 7], (uint64_t)i, &v);
		hits += v.rule && strcmp(v.rule, "exec");
	}
	t = now_ns() - t;
	printf("policy-bench: %zu rules, %ld events (%lu matched before the catch-all): %.1f ns/event\n",
	       policy_rule_count(c->policy), n, hits, t / (double)n);
	/* worst case: a host event that only the last rule matches */
	t = now_ns();
	for (i = 0; i < n; i++)
		policy_eval(c->policy, &ev[0], (uint64_t)i, &v);
	t = now_ns() - t;
	printf("policy-bench: all %zu rules tried per event: %.1f ns/event\n",
	       policy_rule_count(c->policy), t / (double)n);
	config_free(c);
	return 0;
}
