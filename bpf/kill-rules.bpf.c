// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-rules.bpf.c: the in-kernel kill rules, judged at sched_process_exec on the assembled event; a unit of the BPF program (kill-rules.bpf.h). */
#include "trace_exec.bpf.h"
#include "kill-rules.bpf.h"

/*
 * Written by userspace through the mapped .bss (tracer_kset_*): the rule
 * set in use, the two rule set slots, the verified containers. A reload
 * fills the slot not in use, then flips kset_cur: an exec reads kset_cur
 * once and is judged by that one set from start to end.
 */
__u32 kset_cur;
/* on a cache line: the header and hot part of a set in a few of them (the
 * second too while a set is a multiple of 64 bytes, as it is) */
struct te_kset ksets[2] __attribute__((aligned(64)));
struct te_kct kcts[TE_KCT_SLOTS];

/* The state of one evaluation, per CPU and scratch slot (not on the
 * stack: its value stack is indexed by a variable). */
struct kstate {
	__u32 slot;	/* scratch slot of the event */
	__u32 set;	/* rule set slot */
	__u32 pc, end;	/* next operation, end of the operations */
	__u32 sp;
	__s32 ct;	/* kcts index of a verified container; -1 any other */
	__u32 decided;	/* TE_KEND_* of the end that decided, or ~0 */
	__u32 rule;	/* its rule */
	__u32 val;	/* its value */
	__u32 c_off, c_n, c_str, c_res;	/* a comparison (c_str: in the pool) */
	__u32 facts;	/* TE_KF_* */
	__u32 next;	/* the next candidate term; ~0: one rule only */
	__u32 left;	/* the facts, then the keys, still to apply */
	__u8 st[TE_KSTACK];
	__u64 cand[TE_KWORDS];	/* the candidate terms (te_kidx) */
};

/* The bits of x that are set, counted without a branch (for the
 * verifier) or a table (a cache line more to miss at an exec). */
static __always_inline __u32 kpopcount(__u64 x)
{
	x -= (x >> 1) & 0x5555555555555555ULL;
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

/* The index of the lowest bit of x (not 0). */
static __always_inline __u32 kctz(__u64 x)
{
	return kpopcount((x & -x) - 1);
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TE_SCRATCH_DEPTH);
	__type(key, __u32);
	__type(value, struct kstate);
} kstate SEC(".maps");

static __always_inline void kpush(struct kstate *k, __u32 v)
{
	k->st[k->sp & (TE_KSTACK - 1)] = v;
	k->sp++;
}

static __always_inline __u32 kpop(struct kstate *k)
{
	k->sp--;
	return k->st[k->sp & (TE_KSTACK - 1)];
}

static __always_inline __u32 kbool(bool b)
{
	return b ? TE_KV_YES : TE_KV_NO;
}

/* Byte i of the event's path area, or -1 past it. */
static __always_inline int pbyte(struct te_event *ev, __u32 i)
{
	__u64 j = (__u64)ev->args_size + i;

	/* one bound on the sum: the verifier follows it */
	if (j >= (__u64)args_max + PATHS_REGION)
		return -1;
	return ev->payload[j];
}

/* Which string of a te_kstr a comparison reads. */
enum { KS_ROOT, KS_COMPS, KS_PART };

/* One byte of a comparison; returns 1 to stop. */
static long kcmp_step(__u32 i, struct loop_ctx *lc)
{
	__u32 key = lc->slot % TE_SCRATCH_DEPTH;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_event *ev = bpf_map_lookup_elem(&scratch, &lc->slot);
	char want;

	if (!k || !ev || i >= k->c_n || i >= TE_KSTR_LEN)
		return 1;
	want = ksets[k->set & 1].pool[(k->c_str + i) & (TE_KPOOL - 1)];
	if (pbyte(ev, k->c_off + i) != (__u8)want) {
		k->c_res = 0;
		return 1;
	}
	return 0;
}

/* Whether the path area at off holds the n bytes of string field of
 * operand str. */
static __always_inline bool pequal(struct kstate *k, __u32 off, __u32 str,
				   __u32 field, __u32 n)
{
	struct te_kstr *ks = &ksets[k->set & 1].strs[str & (TE_KSTRS_MAX - 1)];
	struct loop_ctx lc = { .slot = k->slot };

	k->c_off = off;
	/* where the string is in the pool */
	k->c_str = field == KS_ROOT ? ks->root_off :
		   field == KS_COMPS ? ks->comps_off : ks->part_off;
	k->c_n = n;
	k->c_res = 1;
	bpf_loop(TE_KSTR_LEN, kcmp_step, &lc, 0);
	return k->c_res;
}

/* One byte back from a component's end; returns 1 at its start. */
static long kback_step(__u32 i, struct loop_ctx *lc)
{
	__u32 key = lc->slot % TE_SCRATCH_DEPTH;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_event *ev = bpf_map_lookup_elem(&scratch, &lc->slot);

	if (!k || !ev || k->c_n == 0 || pbyte(ev, k->c_off + k->c_n - 1) == 0)
		return 1;
	k->c_n--;
	return 0;
}

/* Where the component ending (NUL) at e of the path at off starts. */
static __always_inline __u32 comp_start(struct kstate *k, __u32 off, __u32 e)
{
	struct loop_ctx lc = { .slot = k->slot };

	k->c_off = off;
	k->c_n = e;
	bpf_loop(TE_NAME_MAX, kback_step, &lc, 0);
	return k->c_n;
}

/*
 * A walked path (leaf-first components) against pattern ks: exact, or
 * (prefix) whole components then the start of the next one. The pattern's
 * components are compared with the path's last (root-most) ones. Of a path
 * with a gap only the root side is known there: what the pattern needs
 * must lie in it (the component after the pattern's may be in the gap
 * when plen is 0: it exists, whatever it is), else the path may match.
 */
static __always_inline __u32 kpath_walked(struct kstate *k,
					  struct te_event *ev,
					  struct te_path_ref *p, __u32 str,
					  struct te_kstr *ks, bool prefix)
{
	__u32 off = p->off, len = p->len, clen = ks->clen, plen = ks->plen;
	__u32 root = p->flags & TE_P_GAP ? p->root : 0, e, s;

	if (clen > TE_KSTR_LEN || plen > TE_KSTR_LEN)
		return TE_KV_NO;
	if (p->flags & TE_P_TRUNCATED)
		return prefix ? TE_KV_MAYBE : TE_KV_NO;
	if (!prefix) {
		/* a path with a gap is longer than any pattern */
		if (root || len != clen || !pequal(k, off, str, KS_COMPS, clen))
			return TE_KV_NO;
		return p->flags & TE_P_UNREACHABLE ? TE_KV_MAYBE : TE_KV_YES;
	}
	if (p->flags & TE_P_UNREACHABLE)
		return TE_KV_MAYBE;
	if (len <= clen)
		return TE_KV_NO;
	if (len - clen < root)
		return TE_KV_MAYBE;
	if (!pequal(k, off + len - clen, str, KS_COMPS, clen))
		return TE_KV_NO;
	e = len - clen - 1;
	if (pbyte(ev, off + e) != 0)
		return TE_KV_NO;
	if (!plen)
		return TE_KV_YES;
	if (e < root)
		return TE_KV_MAYBE;
	s = comp_start(k, off, e);
	return kbool(e - s >= plen && pequal(k, off + s, str, KS_PART, plen));
}

static __always_inline __u32 kpath(struct kstate *k, struct te_event *ev,
				   struct te_kset *set, struct te_kop *op)
{
	__u32 id = op->arg & 7, str;
	struct te_path_ref *p;
	struct te_kstr *ks;

	if (id >= TE_PATH_NR)
		return TE_KV_MAYBE;
	p = &ev->paths[id];
	str = op->val & (TE_KSTRS_MAX - 1);
	ks = &set->strs[str];
	if (!(p->flags & TE_P_PRESENT))
		return collect_paths ? TE_KV_NO : TE_KV_MAYBE;
	/* a string exec was given (a script whose file was not found) is
	 * the caller's to choose: it decides nothing */
	if (!(p->flags & TE_P_COMPONENTS))
		return TE_KV_MAYBE;
	return kpath_walked(k, ev, p, str, ks, op->arg & 8);
}

/* comm or parent comm against a name or a name prefix. */
static __always_inline __u32 kname(struct te_event *ev, struct te_kset *set,
				   struct te_kop *op)
{
	struct te_kstr *ks = &set->strs[op->val & (TE_KSTRS_MAX - 1)];
	const char *c = op->arg & 1 ? ev->pcomm : ev->comm;
	__u32 i, n = ks->rlen, o = ks->root_off;

	for (i = 0; i < TE_COMM_LEN; i++) {
		if (i >= n)
			return kbool(op->arg & 2 || c[i] == 0);
		if (c[i] != set->pool[(o + i) & (TE_KPOOL - 1)])
			return TE_KV_NO;
	}
	return kbool(n == TE_COMM_LEN);
}

/* Any of file, cwd, exe with path flag f. */
static __always_inline bool kpathflag(struct te_event *ev, __u32 f)
{
	return (ev->paths[TE_PATH_FILE].flags & f) ||
	       (ev->paths[TE_PATH_CWD].flags & f) ||
	       (ev->paths[TE_PATH_EXE].flags & f);
}

static __always_inline __u32 kid(struct te_event *ev, __u32 which)
{
	return which == TE_KID_UID ? ev->uid :
	       which == TE_KID_GID ? ev->gid : ev->loginuid;
}

/* A container condition: yes/no in a verified container or anywhere else
 * (a host exec, whatever namespaces it made), not known in a container
 * whose bits were not computed for this rule set. */
static __always_inline __u32 kcontainer(struct kstate *k, struct te_kset *set,
					struct te_kop *op)
{
	struct te_kct *c;

	if (op->code == TE_KO_CONTAINER)
		return kbool((k->ct >= 0) == !!op->arg);
	if (k->ct < 0)
		return TE_KV_NO;
	c = &kcts[k->ct & (TE_KCT_SLOTS - 1)];
	if (c->gen[k->set & 1] != set->gen)
		return TE_KV_MAYBE;
	return kbool(c->bits[k->set & 1] & (1ULL << (op->val & 63)));
}

/* The value of one leaf operation. */
static __always_inline __u32 kleaf(struct kstate *k, struct te_event *ev,
				   struct te_kset *set, struct te_kop *op)
{
	switch (op->code) {
	case TE_KO_CONST:
		return op->val > TE_KV_YES ? TE_KV_MAYBE : op->val;
	case TE_KO_FLAG:
		return kbool(!!(ev->flags & op->val) == !!op->arg);
	case TE_KO_ID:
		return kbool(kid(ev, op->arg) == op->val);
	case TE_KO_TTY:
		return kbool((ev->tty[0] != 0) == !!op->arg);
	case TE_KO_NAME:
		return kname(ev, set, op);
	case TE_KO_PATH:
		return kpath(k, ev, set, op);
	case TE_KO_PATHFLAG:
		return kbool(kpathflag(ev, op->val) == !!op->arg);
	case TE_KO_FILELESS:
		if (!(ev->paths[TE_PATH_EXE].flags & TE_P_PRESENT))
			return TE_KV_MAYBE;
		return kbool(!!(ev->paths[TE_PATH_EXE].flags & TE_P_DELETED) ==
			     !!op->arg);
	case TE_KO_CONTAINER:
	case TE_KO_CTBIT:
		return kcontainer(k, set, op);
	}
	return TE_KV_MAYBE;
}

/* The end of a rule: stop at the first that may hold. */
static __always_inline long kend(struct kstate *k, struct te_kop *op)
{
	__u32 v = kpop(k);

	k->sp = 0;
	if (v == TE_KV_NO)
		return 0;
	k->decided = op->arg;
	k->rule = op->val;
	k->val = v;
	return 1;
}

/* Go on at the first operation of the next candidate rule (from term
 * k->next on, in order); false when none is left. */
static __always_inline bool knext(struct kstate *k, struct te_kset *set)
{
	__u32 t = k->next, w0 = t / 64, w, r;
	__u64 x = 0;

	/* a constant word index: each step its own code */
	for (w = 0; w < TE_KWORDS; w++) {
		if (w >= set->idx.hot.nwords)
			return false;
		if (w < w0)
			continue;
		x = k->cand[w];
		if (w == w0)
			x &= ~0ULL << (t & 63);
		if (x)
			break;
	}
	if (!x)
		return false;
	t = w * 64 + kctz(x);
	r = set->idx.term_rule[t & (TE_KTERMS_MAX - 1)] & (TE_KRULES_MAX - 1);
	k->pc = set->idx.rule_op[r];
	k->end = set->idx.rule_op[r + 1];
	k->next = set->idx.rule_term[r + 1];
	k->sp = 0;
	return true;
}

/* One operation; returns 1 to stop. At the end of a rule that does not
 * hold, the next candidate rule. */
static long kop_step(__u32 i, struct loop_ctx *lc)
{
	__u32 key = lc->slot % TE_SCRATCH_DEPTH, a, b;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_event *ev;
	struct te_kset *set;
	struct te_kop op;

	if (!k)
		return 1;
	set = &ksets[k->set & 1];
	if (k->pc >= k->end && !knext(k, set))
		return 1;
	op = set->ops[k->pc & (TE_KOPS_MAX - 1)];
	k->pc++;
	switch (op.code) {
	case TE_KO_NOT:
		kpush(k, TE_KV_YES - kpop(k));
		return 0;
	case TE_KO_AND:
	case TE_KO_OR:
		a = kpop(k);
		b = kpop(k);
		kpush(k, (op.code == TE_KO_AND) == (a < b) ? a : b);
		return 0;
	case TE_KO_END:
		return kend(k, &op);
	case TE_KO_JNO:
		if (k->st[(k->sp - 1) & (TE_KSTACK - 1)] == TE_KV_NO)
			k->pc = k->end;
		return 0;
	}
	ev = bpf_map_lookup_elem(&scratch, &lc->slot);
	if (!ev)
		return 1;
	kpush(k, kleaf(k, ev, set, &op));
	return 0;
}

/* kcts index of the verified container of mount namespace id ns, -1
 * when it is none (a host exec, or a namespace no runtime confirmed). */
static __always_inline __s32 kct_slot(__u64 ns)
{
	__u32 h = (__u32)(ns * 0x9e3779b97f4a7c15ULL >> 40), i, j;

	if (!ns)
		return -1;
	for (i = 0; i < TE_KCT_PROBES; i++) {
		j = (h + i) & (TE_KCT_SLOTS - 1);
		if (kcts[j].mntns == ns)
			return j;
		if (!kcts[j].mntns)
			break;
	}
	return -1;
}

/* kcts index of the verified container of the event's mount namespace;
 * -1 for every other exec: the host's namespace (by inode number: PID 1's
 * lives as long as it), and any namespace a user or a service made, or a
 * container's before the daemon verified it, all judged as host execs
 * (making a namespace must never leave a rule undecided). */
static __always_inline __s32 kct_find(struct te_kset *set,
				      struct te_event *ev)
{
	if (ev->mntns == set->host_mntns)
		return -1;
	return kct_slot(ev->kmntns_id);
}

/* The facts of the exec that rule out rules at once. */
static __always_inline __u32 kfacts(struct kstate *k, struct te_event *ev)
{
	__u32 f = 0, fl = ev->flags, exe = ev->paths[TE_PATH_EXE].flags;

	f |= k->ct < 0 ? TE_KF_HOST : TE_KF_CONTAINER;
	f |= fl & TE_F_LOADER ? TE_KF_LOADER : TE_KF_NOT_LOADER;
	f |= fl & TE_F_UPPER ? TE_KF_UPPER : TE_KF_NOT_UPPER;
	f |= fl & TE_F_PARENT_UPPER ? TE_KF_PUPPER : TE_KF_NOT_PUPPER;
	if (fl & TE_F_FILE_UPPER_UNKNOWN)
		f |= TE_KF_FUPPER_NOT_TRUE | TE_KF_FUPPER_NOT_FALSE;
	else
		f |= fl & TE_F_FILE_UPPER ? TE_KF_FUPPER_NOT_FALSE : TE_KF_FUPPER_NOT_TRUE;
	f |= ev->tty[0] ? TE_KF_TTY : TE_KF_NO_TTY;
	if (exe & TE_P_PRESENT)
		f |= exe & TE_P_DELETED ? TE_KF_FILELESS : TE_KF_NOT_FILELESS;
	return f;
}

/* Run the one rule ops[pc..end) of the set; what decided is in k. */
static __always_inline void krun(struct kstate *k, int slot, __u32 pc,
				 __u32 end)
{
	struct loop_ctx lc = { .slot = slot };

	k->pc = pc;
	k->end = end;
	k->next = ~0U;
	k->sp = 0;
	k->decided = ~0U;
	bpf_loop(TE_KOPS_MAX, kop_step, &lc, 0);
}

/* Run the candidate rules (k->cand) in order; what decided is in k. */
static __always_inline void krules(struct kstate *k, int slot)
{
	struct loop_ctx lc = { .slot = slot };

	k->pc = 0;
	k->end = 0;
	k->next = 0;
	k->sp = 0;
	bpf_loop(TE_KOPS_MAX, kop_step, &lc, 0);
}

/* 8 bytes of the event's payload from byte j on; false past the end. */
static __always_inline bool kword(struct te_event *ev, __u64 j, __u64 *w)
{
	/* one bound on the offset: the verifier follows it */
	if (j > (__u64)args_max + PATHS_REGION - 8)
		return false;
	*w = *(__u64 *)(ev->payload + j);
	return true;
}

/* The buckets an exec's probes of one key fall in: word 0 of their
 * bitmaps (a set of one word), or the bitmaps by probe (TE_KS_*; 0: none,
 * an empty bitmap). */
struct kprobes {
	__u64 h0;
	__u16 m[TE_KS_PFX4 + 1];
};

/* The bucket of key (probe s of key x) into p, when the filter (beside
 * the header, read anyway) says it holds terms. */
static __always_inline void kslot(struct kprobes *p, struct te_kidx *ix,
				  bool wide, __u32 x, __u32 s, __u64 key)
{
	__u32 b = te_kbucket(x, s, key) & (TE_KBUCKETS - 1), m;

	if (!(ix->hot.filter[b % TE_KFILTER / 64] & (1ULL << (b % 64))))
		return;
	m = ix->bucket[b] & (TE_KBMAPS - 1);
	if (wide)
		p->m[s] = m;
	else
		p->h0 |= ix->bmaps[m][0];
}

/* The terms in word w of the buckets of p, of the probes in mask (the
 * empty bitmap 0 for a probe with none: no branch for the verifier). */
static __always_inline __u64 khits(struct te_kidx *ix, struct kprobes *p,
				   __u32 mask, __u32 w)
{
	__u64 h = 0;
	__u32 s;

	for (s = 0; s <= TE_KS_PFX4; s++)
		if (mask & (1U << s))
			h |= ix->bmaps[p->m[s] & (TE_KBMAPS - 1)][w & (TE_KWORDS - 1)];
	return h;
}

/* The probes key x may have (a constant where x is). */
static __always_inline __u32 kprobe_mask(__u32 x)
{
	if (x == TE_KX_COMM || x == TE_KX_PCOMM)
		return 1U << TE_KS_EXACT | 0xfU << TE_KS_PFX1;
	if (x >= TE_KX_EXE)
		return 1U << TE_KS_EXACT | 1U << TE_KS_ROOT;
	return 1U << TE_KS_EXACT;
}

/* A comm's probes: the name, its first 1 to 4 bytes. */
static __always_inline void kprobe_name(struct kprobes *p, struct te_kidx *ix,
					bool wide, __u32 x, const char *c)
{
	__u64 w0 = *(const __u64 *)c, w1 = *(const __u64 *)(c + 8);
	__u32 pr = ix->hot.probes[x], l;

	if (pr & (1U << TE_KS_EXACT))
		kslot(p, ix, wide, x, TE_KS_EXACT, te_kname_key(w0, w1));
	for (l = 1; l <= 4; l++)
		if (pr & (1U << (TE_KS_PFX1 + l - 1)))
			kslot(p, ix, wide, x, TE_KS_PFX1 + l - 1,
			      w0 & ((1ULL << (8 * l)) - 1));
}

/*
 * A path's probes: its leaf component (exact patterns), its root-most one
 * (prefixes). False when the path cannot rule a pattern out: not
 * collected, kept as a string, cut, or out of the process's reach (a
 * pattern may then be MAYBE).
 */
static __always_inline bool kprobe_path(struct kprobes *kp, struct te_event *ev,
					struct te_kidx *ix, bool wide, __u32 x,
					__u32 id)
{
	struct te_path_ref *p = &ev->paths[id & 7];
	__u32 pr = ix->hot.probes[x], fl;
	__u64 e, w = 0;

	if (id >= TE_PATH_NR)
		return false;
	fl = p->flags;
	if (!(fl & TE_P_PRESENT))
		return collect_paths;	/* then every pattern is NO */
	if ((fl & ~(TE_P_PRESENT | TE_P_DELETED)) != TE_P_COMPONENTS)
		return false;
	if ((pr & (1U << TE_KS_EXACT)) && p->len &&
	    !kword(ev, (__u64)ev->args_size + p->off, &w))
		return false;
	if (pr & (1U << TE_KS_EXACT))
		kslot(kp, ix, wide, x, TE_KS_EXACT, te_kfirst_key(w));
	if (!(pr & (1U << TE_KS_ROOT)) || p->len < 2)
		return true;
	/* the 8 bytes before the last NUL */
	e = (__u64)ev->args_size + p->off + p->len - 1;
	if (e < 8 || !kword(ev, e - 8, &w))
		return false;
	kslot(kp, ix, wide, x, TE_KS_ROOT, te_klast_key(w, p->len - 1));
	return true;
}

/* The buckets of the exec's probes of key x into p; false when they
 * cannot rule out. */
static __always_inline bool kprobe(struct kprobes *p, struct te_event *ev,
				   struct te_kidx *ix, bool wide, __u32 x)
{
	switch (x) {
	case TE_KX_COMM:
		kprobe_name(p, ix, wide, x, ev->comm);
		return true;
	case TE_KX_PCOMM:
		kprobe_name(p, ix, wide, x, ev->pcomm);
		return true;
	case TE_KX_UID:
		kslot(p, ix, wide, x, TE_KS_EXACT, ev->uid);
		return true;
	case TE_KX_GID:
		kslot(p, ix, wide, x, TE_KS_EXACT, ev->gid);
		return true;
	case TE_KX_LOGINUID:
		kslot(p, ix, wide, x, TE_KS_EXACT, ev->loginuid);
		return true;
	case TE_KX_EXE:
		return kprobe_path(p, ev, ix, wide, x, TE_PATH_EXE);
	case TE_KX_FILE:
		return kprobe_path(p, ev, ix, wide, x, TE_PATH_FILE);
	case TE_KX_CWD:
		return kprobe_path(p, ev, ix, wide, x, TE_PATH_CWD);
	case TE_KX_PEXE:
		return kprobe_path(p, ev, ix, wide, x, TE_PATH_PEXE);
	}
	return false;
}

/* One fact of the exec (k->left): out go the terms it rules out.
 * Returns 1 to stop. */
static long kfact_step(__u32 i, struct loop_ctx *lc)
{
	__u32 key = lc->slot % TE_SCRATCH_DEPTH, f, b, w;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_kidx *ix;

	if (!k || !k->left)
		return 1;
	ix = &ksets[k->set & 1].idx;
	f = k->left;
	b = kctz(f) & (TE_KFACTS - 1);
	k->left = f & (f - 1);
	for (w = 0; w < TE_KWORDS; w++) {
		if (w >= ix->hot.nwords)
			break;
		k->cand[w] &= ~ix->w[w].fact_out[b];
	}
	return 0;
}

/* Out go the terms anchored on key x whose values the exec's is not
 * among, from *c0 (a set of one word). False when no term is left. */
static __always_inline bool kkey0(struct te_event *ev, struct te_kidx *ix,
				  __u32 x, __u64 *c0)
{
	struct kprobes p = {};

	if (!(ix->hot.kinds & (1U << x)) || !kprobe(&p, ev, ix, false, x))
		return true;
	*c0 &= ~ix->hot.word0[(1 + ix->hot.nfacts + ix->hot.rank[x]) &
			      (TE_KWORD0 - 1)] | p.h0;
	return *c0 != 0;
}

/* The same from k->cand, a set of more words. */
static __always_inline bool kkey(struct kstate *k, struct te_event *ev,
				 struct te_kidx *ix, __u32 x)
{
	struct kprobes p = {};
	__u64 left = 0;
	__u32 w;

	if (!(ix->hot.kinds & (1U << x)) || !kprobe(&p, ev, ix, true, x))
		return true;
	/* every word (those past nwords are none): no branch */
	for (w = 0; w < TE_KWORDS; w++) {
		k->cand[w] &= ~ix->w[w].anchored[x] | khits(ix, &p, kprobe_mask(x), w);
		left |= k->cand[w];
	}
	return left != 0;
}

/*
 * The candidate terms of a set of one word into k->cand[0]: all terms,
 * less those the exec's facts rule out, less those anchored on a key
 * whose value the exec's probes did not find, worked on in a register
 * from the hot part of the index: an exec no rule may match reads a few
 * cache lines of it, and none of k's bitmaps. False when none is left.
 * The names and paths first: an id (uid 0) rules out less.
 */
static __always_inline bool kcands0(struct kstate *k, struct te_event *ev,
				    struct te_kidx *ix)
{
	__u64 c0 = ix->hot.word0[0];
	__u32 u, i;

	/* each fact of the exec in use: its place among those in use */
	for (u = k->facts & ix->hot.facts, i = 0; i < TE_KFACTS && u; i++) {
		c0 &= ~ix->hot.word0[(1 + kpopcount(ix->hot.facts & ((u & -u) - 1))) &
				     (TE_KWORD0 - 1)];
		u &= u - 1;
	}
	if (!kkey0(ev, ix, TE_KX_COMM, &c0) || !kkey0(ev, ix, TE_KX_EXE, &c0) ||
	    !kkey0(ev, ix, TE_KX_FILE, &c0) || !kkey0(ev, ix, TE_KX_CWD, &c0) ||
	    !kkey0(ev, ix, TE_KX_PEXE, &c0) || !kkey0(ev, ix, TE_KX_PCOMM, &c0) ||
	    !kkey0(ev, ix, TE_KX_UID, &c0) || !kkey0(ev, ix, TE_KX_GID, &c0) ||
	    !kkey0(ev, ix, TE_KX_LOGINUID, &c0))
		return false;
	k->cand[0] = c0;
	return c0 != 0;
}

/* The same for a set of more words, in k->cand. */
static __always_inline bool kcands(struct kstate *k, struct te_event *ev,
				   int slot, struct te_kidx *ix)
{
	struct loop_ctx lc = { .slot = slot };
	__u64 left = 0;
	__u32 w;

	for (w = 0; w < TE_KWORDS; w++)
		k->cand[w] = ix->w[w].all;
	k->left = k->facts & ix->hot.facts;
	if (k->left)
		bpf_loop(TE_KFACTS, kfact_step, &lc, 0);
	if (!kkey(k, ev, ix, TE_KX_COMM) || !kkey(k, ev, ix, TE_KX_EXE) ||
	    !kkey(k, ev, ix, TE_KX_FILE) || !kkey(k, ev, ix, TE_KX_CWD) ||
	    !kkey(k, ev, ix, TE_KX_PEXE) || !kkey(k, ev, ix, TE_KX_PCOMM) ||
	    !kkey(k, ev, ix, TE_KX_UID) || !kkey(k, ev, ix, TE_KX_GID) ||
	    !kkey(k, ev, ix, TE_KX_LOGINUID))
		return false;
	for (w = 0; w < TE_KWORDS; w++)
		left |= k->cand[w];
	return left != 0;
}

/*
 * Evaluate the candidate rules of the exec of scratch slot slot by the
 * rule set k->set, its facts in k->facts; what decided is in k. A global
 * function: the verifier checks it once, not at each place an event is
 * judged.
 */
__noinline int kjudge_rules(__u32 slot)
{
	__u32 key = slot % TE_SCRATCH_DEPTH;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_event *ev = bpf_map_lookup_elem(&scratch, &slot);
	struct te_kidx *ix;

	if (!k || !ev)
		return 0;
	ix = &ksets[k->set & 1].idx;
	k->decided = ~0U;
	if (ix->hot.nwords == 1 ? kcands0(k, ev, ix) : kcands(k, ev, slot, ix))
		krules(k, slot);
	return 0;
}

/* Whether an exec is never killed: the host's init (global PID 1) and
 * the daemon by identity; a protected path only on a sure match (one that
 * may or may not match never protects). */
static __always_inline bool kprotected(struct kstate *k, int slot,
				       struct task_struct *task,
				       struct te_kset *set)
{
	if (task->tgid == 1 || task->tgid == set->daemon_tgid)
		return true;
	krun(k, slot, set->nops, set->prot_end);
	return k->decided == TE_KEND_PROTECT && k->val == TE_KV_YES;
}

/* Whether any kill rule is in use (kill-rules.bpf.h). */
__hidden int kill_rules_active(void)
{
	struct te_kset *set = &ksets[kset_cur & 1];

	return set->gen && set->nops;
}

/* Judge an exec by the kill rules in use (kill-rules.bpf.h). */
__hidden int kill_rules_judge(struct te_event *ev, int slot,
			     struct task_struct *task)
{
	__u32 key = (__u32)slot % TE_SCRATCH_DEPTH, cur = kset_cur & 1, rule;
	struct kstate *k = bpf_map_lookup_elem(&kstate, &key);
	struct te_kset *set = &ksets[cur];

	if (!k || !set->gen || set->nops > TE_KOPS_MAX ||
	    set->prot_end > TE_KOPS_MAX)
		return 0;
	ev->kgen = set->gen;
	k->slot = slot;
	k->set = cur;
	k->ct = kct_find(set, ev);
	k->facts = kfacts(k, ev);
	kjudge_rules(slot);
	if (k->decided != TE_KEND_KILL || k->val != TE_KV_YES)
		return 0;
	rule = k->rule;
	ev->krule = rule;
	if (kprotected(k, slot, task, set)) {
		ev->kaction = TE_KA_PROTECTED;
	} else if (set->enforce) {
		bpf_send_signal(SIGKILL_NR);
		ev->kaction = TE_KA_KILLED;
		ev->flags |= TE_F_KILLED;
	} else {
		ev->kaction = TE_KA_WOULD_KILL;
	}
	return 0;
}

/* The verified container of a mount namespace (kill-rules.bpf.h). */
__hidden __s32 kill_rules_container(__u64 mntns)
{
	return kct_slot(mntns);
}
