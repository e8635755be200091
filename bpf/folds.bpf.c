// SPDX-License-Identifier: GPL-2.0-or-later
/* folds.bpf.c: the failed-exec budget: failed execs past their uid's or cgroup's bytes a second folded into a count (te_fold, read back by tracer/folds.c); a unit of the BPF program (folds.bpf.h). */
#include "trace_exec.bpf.h"
#include "folds.bpf.h"
#include "kill-rules.bpf.h"

/* Ring-buffer bytes a second that failed execs of one uid, then of one
 * cgroup, may take; 0: no limit. Past them they are folded. */
const volatile __u32 fail_budget_uid = 0;
const volatile __u32 fail_budget_cgroup = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TE_FOLDS_MAX);
	__type(key, struct te_fold_key);
	__type(value, struct te_fold);
} folds SEC(".maps");

/* A new entry's value, all zero, never written (too big for the stack;
 * a map of its own, so that .rodata keeps the skeleton's size, which an
 * adopting daemon checks). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct te_fold);
} fold_zero SEC(".maps");

/* The entry of key, made when missing; NULL when the table is full. */
static __always_inline struct te_fold *fold_get(struct te_fold_key *k)
{
	struct te_fold *f = bpf_map_lookup_elem(&folds, k), *zero;
	__u32 z = 0;

	if (f)
		return f;
	zero = bpf_map_lookup_elem(&fold_zero, &z);
	if (!zero)
		return NULL;
	bpf_map_update_elem(&folds, k, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&folds, k);
}

/* Note one folded exec in f: the first one's details, and the last's
 * (two CPUs folding at once may mix two execs' last details). */
static __always_inline void fold_note(struct te_fold *f, struct pending *p,
				      struct task_struct *task, int ret,
				      __u64 now)
{
	/* past the point of no return the name went with the old memory */
	bool gone = p->mm != task->mm;
	__u32 flags = gone ? TE_F_NO_RETURN : 0;

	if (__sync_fetch_and_add(&f->folded, 1) == 0) {
		f->first_ns = now;
		f->first_ret = ret;
		f->first_flags = flags;
		f->uid = (__u32)bpf_get_current_uid_gid();
		f->cgroup_id = bpf_get_current_cgroup_id();
		f->first_file[0] = 0;
		if (!gone)
			bpf_probe_read_user_str(f->first_file, TE_FOLD_NAME, p->filename);
	}
	f->last_ns = now;
	f->last_ret = ret;
	f->last_flags = flags;
	f->last_file[0] = 0;
	if (!gone)
		bpf_probe_read_user_str(f->last_file, TE_FOLD_NAME, p->filename);
}

/* Whether the ring buffer is more than half full (the daemon is behind):
 * failed execs are folded then, within their budget or not, so that the
 * other half stays for every other exec. */
static __always_inline bool ring_behind(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >
	       bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 2;
}

/* Count a failed exec against the budget of (kind, id) for this second:
 * 1 when it is within and the ring has room (send it; *fp is the entry to
 * charge), 0 when it was folded, -1 when the table has no room for the
 * entry. */
static __always_inline int budget_take(__u32 kind, __u64 id, __u32 budget,
				       struct pending *p,
				       struct task_struct *task, int ret,
				       __u64 now, struct te_fold **fp)
{
	struct te_fold_key k = {
		.id = id, .kind = kind, .window = now / TE_FOLD_WINDOW_NS,
	};
	struct te_fold *f;

	*fp = NULL;
	if (!budget)
		return 1;
	f = fold_get(&k);
	if (!f)
		return -1;
	__sync_fetch_and_add(&f->seen, 1);
	if (f->bytes < budget) {
		if (!ring_behind()) {
			*fp = f;
			return 1;
		}
		__sync_fetch_and_add(&f->behind, 1);
	}
	fold_note(f, p, task, ret, now);
	return 0;
}

/* Whether a failed exec is sent (folds.bpf.h). */
__hidden int fail_budget(struct pending *p, struct task_struct *task, int ret,
			struct charge *c)
{
	__u64 now, uid;
	int r;

	c->uid = NULL;
	c->cgroup = NULL;
	if (ret >= 0 || (!fail_budget_uid && !fail_budget_cgroup))
		return 1;
	now = bpf_ktime_get_boot_ns();
	/* a verified container's uid apart from the host's (uid 0 of a
	 * root container is the host's uid 0) */
	uid = (__u32)bpf_get_current_uid_gid() |
	      (__u64)(kill_rules_container(mntns_id(task)) + 1) << TE_FOLD_CT_SHIFT;
	r = budget_take(TE_FOLD_UID, uid, fail_budget_uid, p, task, ret, now,
			&c->uid);
	if (r > 0)
		r = budget_take(TE_FOLD_CGROUP, bpf_get_current_cgroup_id(),
				fail_budget_cgroup, p, task, ret, now, &c->cgroup);
	if (r < 0)
		count(TE_LOST_BUDGET);
	return r > 0;
}

/* Charge a sent failed exec's bytes (folds.bpf.h). */
__hidden int fail_charge(struct charge *c, __u64 n)
{
	if (n > TE_FAIL_CHARGE_MAX)
		n = TE_FAIL_CHARGE_MAX;
	if (c->uid)
		__sync_fetch_and_add(&c->uid->bytes, n);
	if (c->cgroup)
		__sync_fetch_and_add(&c->cgroup->bytes, n);
	return 0;
}

