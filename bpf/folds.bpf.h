/* SPDX-License-Identifier: GPL-2.0-or-later */
/* folds.bpf.h: what the exec tracer calls of the failed-exec budget (folds.bpf.c): hidden functions, verified where they are called. */
#ifndef TE_FOLDS_BPF_H
#define TE_FOLDS_BPF_H

/* The budgets a failed exec to be sent is charged to (NULL: none). */
struct charge {
	struct te_fold *uid, *cgroup;
};

/*
 * Whether the failed exec p (returning ret) is to be sent as an event:
 * within the budget of its uid, then of its cgroup (an exec folded by uid
 * does not count against its cgroup); c gets the budgets to charge. One
 * that no budget entry can count is lost, counted (TE_LOST_BUDGET).
 * Decided before any scratch slot or ring space is taken, so that a flood
 * costs little. Returns 1 to send it, 0 when not.
 */
extern __hidden int fail_budget(struct pending *p, struct task_struct *task,
				int ret, struct charge *c);

/* Charge the budgets of c with the n bytes of the exec's record (only
 * its own: other uids' records never use up this uid's budget).
 * Returns 0. */
extern __hidden int fail_charge(struct charge *c, __u64 n);

#endif
