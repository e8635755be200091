/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill-verdicts.h: the pipeline's side of the kernel's kill rules: handing rule sets and verified containers to the kernel, and its verdicts back to the entries. */
#ifndef TRACE_EXECD_KILL_VERDICTS_H
#define TRACE_EXECD_KILL_VERDICTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "policy/kill-compile.h"
#include "policy/policy.h"
#include "tracer/tracer.h"

/* What the entries need of the rules of one rule set slot. */
struct enforce_meta {
	uint32_t gen;
	size_t n;
	char **names, **tags;
	int *prio;
};

/* A verified container the kernel was told of. */
struct enforce_ct {
	uint64_t mntns;			/* its id (exec_event.mntns_id) */
	uint64_t ino;			/* its inode (exec_event.mntns) */
	struct container c;
};

/* Containers whose namespace is gone are taken back from the kernel's
 * table this often, and when it is full (at most once a second). */
#define ENFORCE_SWEEP_USEC	60000000ULL
#define ENFORCE_SWEEP_MIN_USEC	1000000ULL

/* Rule sets whose records may still wait in the ring, by generation. */
#define ENFORCE_META	8

struct enforce {
	const struct krules *kr;	/* the config's; NULL: none pushed */
	uint32_t gen;			/* of the last rule set pushed */
	uint32_t slot;			/* its slot */
	uint32_t kgen;			/* the kernel's generation of it (0: no kill rule) */
	struct enforce_meta meta[ENFORCE_META];	/* by gen % ENFORCE_META */
	struct enforce_ct *cts;
	size_t nct, cap;
	bool full_said;			/* said that the container table is full */
	bool sweep_said;		/* said that /proc could not be read */
	uint64_t last_sweep;		/* monotonic usec */
};

/*
 * Hand the kernel the rule set kr (compiled from p): written into the slot
 * not in use with the bits of every verified container that still runs
 * (those whose namespace is gone are taken back first), then switched to
 * at once. Returns 0 or negative errno (logged).
 */
int enforce_set_rules(struct enforce *e, struct tracer *t,
		      const struct policy *p, const struct krules *kr);
/* Tell the kernel of ev's container once it is verified (for the kill
 * rules, and so that its failed-exec budgets by uid are its own). */
void enforce_container(struct enforce *e, struct tracer *t,
		       const struct exec_event *ev);
/* Every ENFORCE_SWEEP_USEC (monotonic now), take back from the kernel
 * the containers whose mount namespace no process has any more. */
void enforce_tick(struct enforce *e, struct tracer *t, uint64_t now);
/*
 * The kernel's verdict on ev, over the userspace one in v: the kill rule
 * that killed (or would have) and never a drop. Returns the EXEC_ACTION
 * of the entry ("killed", "would-kill", "protected", "undecided": a kill
 * rule matched that the kernel could not decide) or NULL.
 */
/* The verified container in slot of the kernel's table (a fold by uid
 * names it), or NULL. */
const struct container *enforce_container_at(const struct enforce *e,
					    const struct tracer *t, int slot);

const char *enforce_verdict(const struct enforce *e,
			    const struct exec_event *ev, struct verdict *v);
void enforce_free(struct enforce *e);

#endif
