/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill-rules.bpf.h: what the other units of the BPF program call of the kill rules (kill-rules.bpf.c): hidden functions, verified where they are called. */
#ifndef TE_KILL_RULES_BPF_H
#define TE_KILL_RULES_BPF_H

/* 1 when the rule set in use has a kill rule to judge execs by, else 0. */
extern __hidden int kill_rules_active(void);

/*
 * Judge a successful exec by the kill rules of the set in use, on its
 * assembled event in scratch slot slot: the first rule that may hold
 * decides, and a kill rule kills only when it surely holds. The verdict
 * goes into the event. Returns 0.
 */
extern __hidden int kill_rules_judge(struct te_event *ev, int slot,
				     struct task_struct *task);

/* kcts index of the verified container of mount namespace id mntns, -1
 * when it is none (a host exec, or a namespace no runtime confirmed). */
extern __hidden __s32 kill_rules_container(__u64 mntns);

#endif
