/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill-compile.h: the policy's rules compiled for the kernel's kill decision (bpf/kill-rules.bpf.c runs them). */
#ifndef TRACE_EXECD_KILL_COMPILE_H
#define TRACE_EXECD_KILL_COMPILE_H

#include <stdbool.h>
#include <stdint.h>

#include "trace_exec.h"

struct cond;
struct container;
struct policy;
struct te_settings;

/* The keys a kill rule may use, for messages. */
#define KRULES_KEYS "comm, parent_comm (names or NAME*), exe, file, cwd, " \
	"parent_exe (absolute paths or /PATH*), uid, gid, loginuid, tty, " \
	"failed, upper_layer, parent_upper_layer, file_upper_layer, " \
	"path_truncated, path_unreachable, fileless, loader, container, " \
	"container_name, image, k8s_namespace, k8s_pod, not, any"

/*
 * Why condition cd cannot be decided in the kernel (a key or a pattern it
 * cannot test), or NULL when it can. Only the condition itself: a `not:`
 * or `any:` was checked key by key when it was compiled.
 */
const char *krules_refused(const struct cond *cd);

/* The facts of an exec (TE_KF_*) that make the boolean condition cd NO;
 * 0 for any other condition. */
unsigned int krules_cond_facts(const struct cond *cd);

/* A compiled rule set and what the kernel cannot know by itself: which
 * container globs hold for a verified container. */
struct krules {
	struct te_kset set;		/* gen, daemon_tgid, host_mntns: 0 */
	const struct cond *ctconds[64];	/* bit i: ctconds[i] holds */
	unsigned int nct;
	bool any_kill;			/* the policy has a kill rule */
};

/*
 * Compile every rule of p up to its last kill rule, in order, and the
 * protected paths of s, with the index of the rules (kill-index.c).
 * Returns 0 and a new object in *out (free() it; it points into p's
 * rules: keep p while it lives), -E2BIG when they need more rules,
 * operations, strings or container conditions than a kernel rule set
 * holds, or -ENOMEM.
 */
int krules_build(const struct policy *p, const struct te_settings *s,
		 struct krules **out);
/* The container bits of kr for container c (NULL: no bit). */
uint64_t krules_container_bits(const struct krules *kr,
			       const struct container *c);

#endif
