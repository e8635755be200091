/* SPDX-License-Identifier: (LGPL-2.1-only OR BSD-2-Clause) */
/* trace_exec.h: the exec event record shared by the BPF tracer and userspace. */
#ifndef TRACE_EXEC_H
#define TRACE_EXEC_H

#define TE_ABI_VERSION		3
#define TE_COMM_LEN		16
#define TE_TTY_LEN		32
#define TE_NAME_MAX		256	/* one path component, NUL included */
#define TE_PATH_BUF		4096	/* bytes kept per path */
#define TE_WALK_MAX		(1U << 23) /* steps of a path walk (bpf_loop's most) */
#define TE_ROOT_RESERVE		512	/* bytes of a path kept for its root side */
#define TE_ROOT_RING		64	/* root-side components remembered (a power of two) */
#define TE_CHUNK		4096	/* failed exec: argv string read window */
#define TE_ARGS_DEFAULT		32768	/* default argument bytes per event */
#define TE_ARGS_MAX		(1U << 20) /* largest argument limit accepted */
#define TE_ARGV_SCAN_MAX	(1U << 18) /* argv pointers counted on failure */
#define TE_SCRATCH_DEPTH	4	/* concurrent events per CPU */

/* Event flags. */
#define TE_F_FAILED		(1U << 0)	/* exec returned an error */
#define TE_F_ARGS_TRUNCATED	(1U << 1)	/* args bytes were cut */
#define TE_F_UPPER		(1U << 2)	/* exe in overlayfs upper layer */
#define TE_F_PARENT_UPPER	(1U << 3)	/* parent exe in upper layer */
#define TE_F_FILE_UPPER		(1U << 4)	/* exec'd file in upper layer */
#define TE_F_FILE_UPPER_UNKNOWN	(1U << 5)	/* file upper layer not known */
#define TE_F_ARGC_INEXACT	(1U << 6)	/* argc is a lower bound */
#define TE_F_FILE_AT_DIRFD	(1U << 7)	/* file is relative to an execveat dirfd */
#define TE_F_NO_RETURN		(1U << 8)	/* failed past the point of no return: argv and file name went with the old memory */
#define TE_F_KILLED		(1U << 9)	/* SIGKILL pending at the exec (this tracer's or another's) */
#define TE_F_LOADER		(1U << 10)	/* the dynamic loader, run with a program to load */

/* Lineage flags (struct te_event's lineage_flags). */
#define TE_L_PARENT_INFERRED	(1U << 0)	/* the exec that made the parent's image was not found: the parent fields name the parent itself */
#define TE_L_EXE_ID		(1U << 1)	/* exe_id holds the executable's identity */
#define TE_L_FILE_ID		(1U << 2)	/* file_id holds a script's identity */
#define TE_LINEAGE_DEPTH	8		/* fork-only ancestors walked up */

/* Identity of a file at exec, as its inode held it. */
struct te_file_id {
	unsigned long long ino;
	unsigned long long size;
	long long mtime_sec;
	long long ctime_sec;
	unsigned int mtime_nsec;
	unsigned int ctime_nsec;
	unsigned int dev;	/* the kernel's dev_t: major << 20 | minor */
	unsigned int fs_magic;	/* its file system's s_magic, low 32 bits */
};

/* Paths carried in the payload, in this order. */
enum te_path_id {
	TE_PATH_CWD,
	TE_PATH_FILE,
	TE_PATH_EXE,
	TE_PATH_PEXE,
	TE_PATH_CGROUP,
	TE_PATH_NR,
};

/* Path flags. */
#define TE_P_PRESENT		(1U << 0)	/* the path was collected */
#define TE_P_COMPONENTS		(1U << 1)	/* leaf-first NUL-ended names */
#define TE_P_TRUNCATED		(1U << 2)	/* walk stopped before the root */
#define TE_P_DELETED		(1U << 3)	/* dentry unlinked */
#define TE_P_UNREACHABLE	(1U << 4)	/* root of another mount tree */
#define TE_P_GAP		(1U << 5)	/* components left out between the
						 * leaf side and the root side */

/*
 * A walked path is its components leaf first, each NUL-ended, up to the
 * root (or the root of the mount tree it is in, TE_P_UNREACHABLE). One
 * longer than TE_PATH_BUF keeps the components at its leaf, then those at
 * its root (at least TE_ROOT_RESERVE - TE_NAME_MAX bytes of them: a prefix
 * pattern of up to TE_KSTR_LEN bytes can always be decided), with
 * TE_P_GAP; root is where the root-side part starts. A walk that did not
 * reach a root in TE_WALK_MAX steps keeps its leaf side only
 * (TE_P_TRUNCATED).
 */
struct te_path_ref {
	unsigned short off;	/* from the start of the payload */
	unsigned short len;
	unsigned short flags;
	unsigned short root;	/* TE_P_GAP: offset of the root side in the path */
};

/*
 * One record in the ring buffer: this header, then `args_size` bytes of
 * NUL-separated argument strings, then `paths_size` bytes of paths (each
 * te_path_ref's off is relative to the start of the paths).
 */
struct te_event {
	unsigned int version;
	unsigned int flags;
	unsigned long long boot_ns;
	unsigned long long mntns;
	unsigned long long cgroup_id;
	unsigned int pid;
	unsigned int tid;
	unsigned int ppid;
	unsigned int uid;
	unsigned int gid;
	unsigned int loginuid;
	unsigned int sessionid;
	int retval;
	unsigned int tty_major;
	unsigned int tty_minor;
	unsigned int argc;
	unsigned int args_size;
	unsigned int paths_size;
	unsigned int pad;
	char comm[TE_COMM_LEN];
	char pcomm[TE_COMM_LEN];
	char tty[TE_TTY_LEN];
	struct te_path_ref paths[TE_PATH_NR];
	/* In-kernel kill rules (kill-rules.bpf.c): what they decided. */
	unsigned int kgen;	/* generation of the rule set that judged, 0: none */
	unsigned short krule;	/* index of the kill rule in the policy */
	unsigned char kaction;	/* TE_KA_* */
	unsigned char kpad;
	unsigned long long kmntns_id;	/* the mount namespace's id, never
					 * reused (its inode number is) */
	/*
	 * Lineage: an exec is named by its process (tgid, the group leader's
	 * start_boottime) and the process's exec count after it
	 * (self_exec_id); the parent's image by the same three of the exec
	 * that made it.
	 */
	unsigned long long start_ns;
	unsigned long long exec_count;
	unsigned long long pstart_ns;
	unsigned long long pexec_count;
	unsigned int ptgid;
	unsigned int lineage_flags;
	struct te_file_id exe_id;	/* the new executable (TE_L_EXE_ID) */
	struct te_file_id file_id;	/* a script's own file (TE_L_FILE_ID) */
	unsigned char payload[];
};

/* The headers of version 1 and 2 records: the fields before kgen, before
 * file_id (a ring an earlier build left is read after an upgrade). */
#define TE_EVENT_V1_SIZE	__builtin_offsetof(struct te_event, kgen)
#define TE_EVENT_V2_SIZE	__builtin_offsetof(struct te_event, file_id)

/* What the kill rules did to an exec (te_event.kaction). */
enum te_kaction {
	TE_KA_NONE,		/* no kill rule decided it */
	TE_KA_KILLED,		/* SIGKILL sent before its first instruction */
	TE_KA_WOULD_KILL,	/* dry run (enforce off): it runs */
	TE_KA_PROTECTED,	/* a kill rule matched a protected exec: it runs */
};

/*
 * The kill rules as the kernel evaluates them (policy/kill-compile.c
 * compiles them, kill-rules.bpf.c runs them): every rule up to the last kill
 * rule, in policy order, as operations on a stack of Kleene values
 * (TE_KV_*). A condition the kernel cannot decide is TE_KV_MAYBE.
 * An index (struct te_kidx, policy/kill-index.c) leaves an exec only the
 * rules that may hold for it to evaluate.
 */
#define TE_KRULES_MAX	512	/* rules per rule set */
#define TE_KOPS_MAX	4096	/* operations per rule set (a power of two) */
#define TE_KSTRS_MAX	1024	/* strings per rule set (a power of two) */
#define TE_KPOOL	65536	/* bytes of their text (a power of two) */
#define TE_KSTR_LEN	256	/* bytes of a string, NUL included */
#define TE_KSTACK	16	/* depth of the value stack (a power of two) */
#define TE_KCT_SLOTS	1024	/* verified containers known (a power of two) */
#define TE_KCT_PROBES	8	/* slots tried per container */

enum te_kval { TE_KV_NO, TE_KV_MAYBE, TE_KV_YES };

enum te_kcode {
	TE_KO_CONST,		/* push val */
	TE_KO_FLAG,		/* push ((flags & val) != 0) == arg */
	TE_KO_ID,		/* push id arg (TE_KID_*) == val */
	TE_KO_TTY,		/* push (has a tty) == arg */
	TE_KO_NAME,		/* comm (arg & 1: parent's) equals (arg & 2:
				 * starts with) string val */
	TE_KO_PATH,		/* path arg & 7 (te_path_id) is string val,
				 * arg & 8: starts with it */
	TE_KO_PATHFLAG,		/* file, cwd or exe has TE_P_ val == arg */
	TE_KO_FILELESS,		/* exe deleted or memfd == arg */
	TE_KO_CONTAINER,	/* in a verified container == arg */
	TE_KO_CTBIT,		/* the verified container has bit val */
	TE_KO_NOT,
	TE_KO_AND,		/* of the two values on top */
	TE_KO_OR,
	TE_KO_END,		/* end of rule val; arg: TE_KEND_* */
	TE_KO_JNO,		/* the value on top is NO (an AND with NO is
				 * NO): the rule does not hold */
};

/* Facts of an exec that rule out a rule at once (te_kidx.fact_out). */
enum te_kfact {
	TE_KF_HOST = 1 << 0,		/* container: true is NO */
	TE_KF_CONTAINER = 1 << 1,	/* container: false is NO */
	TE_KF_UPPER = 1 << 2,		/* upper_layer: false is NO */
	TE_KF_NOT_UPPER = 1 << 3,	/* upper_layer: true is NO */
	TE_KF_PUPPER = 1 << 4,
	TE_KF_NOT_PUPPER = 1 << 5,
	TE_KF_FUPPER_NOT_TRUE = 1 << 6,	/* file_upper_layer: true is NO */
	TE_KF_FUPPER_NOT_FALSE = 1 << 7,
	TE_KF_TTY = 1 << 8,
	TE_KF_NO_TTY = 1 << 9,
	TE_KF_FILELESS = 1 << 10,	/* fileless: false is NO */
	TE_KF_NOT_FILELESS = 1 << 11,	/* fileless: true is NO */
	TE_KF_LOADER = 1 << 12,		/* loader: false is NO */
	TE_KF_NOT_LOADER = 1 << 13,	/* loader: true is NO */
};
#define TE_KFACTS	32	/* fact bits */

enum te_kid { TE_KID_UID, TE_KID_GID, TE_KID_LOGINUID };
enum te_kend { TE_KEND_PASS, TE_KEND_KILL, TE_KEND_PROTECT };

struct te_kop {
	unsigned char code;
	unsigned char arg;
	unsigned short pad;
	unsigned int val;
};

/* A string operand: a name, or a path pattern in the two forms a path
 * comes in (root-first text, leaf-first components), each at its offset
 * in the rule set's pool. */
struct te_kstr {
	unsigned short rlen;	/* root-first: "/tmp/kill-me-", a comm */
	unsigned short clen;	/* leaf-first whole components: "tmp\0" */
	unsigned short plen;	/* the part of the last component: "kill-me-" */
	unsigned short pad;
	unsigned short root_off, comps_off, part_off, pad2;
};

/*
 * The index of a rule set: the rules an exec leaves to evaluate. Each rule
 * has candidate terms (terms[rule_term[r]..rule_term[r + 1]), one bit
 * each; an `any:` gives a term per branch): conjunctions of what must not
 * be NO for the rule to be YES or MAYBE. A term is out when
 *   - a fact of the exec (TE_KF_*) rules it out: w[].fact_out[f];
 *   - it is anchored on a key (TE_KX_*: a comm, an id, a path) and the
 *     exec's value of that key is not in its bucket: w[].anchored[x] and
 *     not the bitmap of any bucket the exec's probes of x (TE_KS_*) fall
 *     in (hot.filter says which buckets hold one).
 * A bucket holds a superset (two values may share it): a rule in it is
 * evaluated, its operations decide. A rule none of whose terms is left is
 * NO for that exec; the others are evaluated in order.
 */
#define TE_KTERMS_MAX	512	/* terms per rule set (a multiple of 64) */
#define TE_KWORDS	(TE_KTERMS_MAX / 64)
#define TE_KBUCKET_BITS	10
#define TE_KBUCKETS	(1U << TE_KBUCKET_BITS)
#define TE_KBMAPS	512	/* bitmaps of buckets, the first none */

/* Keys a term may be anchored on. */
enum te_kx {
	TE_KX_COMM, TE_KX_PCOMM, TE_KX_UID, TE_KX_GID, TE_KX_LOGINUID,
	TE_KX_EXE, TE_KX_FILE, TE_KX_CWD, TE_KX_PEXE, TE_KX_NR,
};

/* How a key is probed (te_khot.probes[x], a bit each). */
enum te_ks {
	TE_KS_EXACT,	/* a name, an id; a path's leaf component (an exact
			 * path: its first 8 bytes) */
	TE_KS_ROOT,	/* a path's root-most component (a prefix pattern
			 * with whole components: its last 8 bytes) */
	TE_KS_PFX1,	/* a name's first 1, 2, 3, 4 bytes (a name prefix
			 * of that length, or longer) */
	TE_KS_PFX4 = TE_KS_PFX1 + 3,
};

/* Word w of the terms' bitmaps (terms 64 w to 64 w + 63): all of them,
 * those anchored on each key, those each fact rules out. */
struct te_kword {
	unsigned long long all;
	unsigned long long anchored[TE_KX_NR];
	unsigned long long fact_out[TE_KFACTS];
};

/*
 * What an exec reads of the index, in the cache lines after the set's
 * header: the keys and facts in use, a filter of the buckets that hold
 * terms, and for a set of at most 64 terms its word, the bitmaps of those
 * keys and facts only: word0[0] all terms, then one per fact of facts,
 * then one per key of kinds, each in the order of its bit.
 */
#define TE_KFILTER	256	/* bits of the filter: bucket b is bit b % 256 */
#define TE_KWORD0	64	/* 1 + TE_KFACTS + TE_KX_NR, to a power of two */
struct te_khot {
	unsigned int nwords;			/* of terms: (nterms + 63) / 64 */
	unsigned int facts;			/* the facts some term is out by */
	unsigned int kinds;			/* the keys some term is anchored on */
	unsigned char nfacts;			/* bits of facts */
	unsigned char probes[TE_KX_NR];		/* per key: TE_KS_* bits */
	unsigned char rank[TE_KX_NR];		/* per key of kinds: its place
						 * among them */
	unsigned char pad;
	unsigned long long filter[TE_KFILTER / 64];
	unsigned long long word0[TE_KWORD0];
};

struct te_kidx {
	struct te_khot hot;
	unsigned int nterms;
	unsigned int pad;
	struct te_kword w[TE_KWORDS];
	unsigned short bucket[TE_KBUCKETS];		/* its bitmap; 0: none */
	unsigned long long bmaps[TE_KBMAPS][TE_KWORDS];
	unsigned short rule_term[TE_KRULES_MAX + 1];	/* a rule's first term */
	unsigned short rule_op[TE_KRULES_MAX + 1];	/* a rule's first op */
	unsigned short term_rule[TE_KTERMS_MAX];
};

struct te_kset {
	unsigned int gen;	/* 0: no rules */
	unsigned int enforce;	/* 0: dry run */
	unsigned int nops;	/* the rules: ops[0..nops) */
	unsigned int prot_end;	/* the protected paths: ops[nops..prot_end) */
	unsigned int daemon_tgid;
	unsigned int nrules;	/* the rules: ops[idx.rule_op[r]..[r + 1]) */
	unsigned long long host_mntns;
	struct te_kidx idx;	/* first: what every exec reads, together */
	struct te_kop ops[TE_KOPS_MAX];
	struct te_kstr strs[TE_KSTRS_MAX];
	char pool[TE_KPOOL];
};

/*
 * The keys of the index, 8 bytes read as a little-endian number (what the
 * BPF side loads from the event; userspace from a pattern, zero-padded):
 * the same functions on both sides. Names and path components never hold
 * a NUL: the bytes from the first NUL on are not part of the key.
 */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the kill rule index reads keys as little-endian numbers"
#endif
#define TE_KINLINE	static inline __attribute__((always_inline))
#define TE_KLOW_BYTES	0x0101010101010101ULL
#define TE_KHIGH_BITS	0x8080808080808080ULL

/* x without its bytes from the first NUL on; *nul: whether it has one. */
TE_KINLINE unsigned long long te_kupto_nul(unsigned long long x, int *nul)
{
	unsigned long long t = (x - TE_KLOW_BYTES) & ~x & TE_KHIGH_BITS;

	*nul = t != 0;
	/* the lowest bit of t is the high bit of the first NUL */
	return t ? x & (((t & -t) >> 7) - 1) : x;
}

/* The key of a comm (16 bytes, the first NUL ends it). */
TE_KINLINE unsigned long long te_kname_key(unsigned long long w0,
					      unsigned long long w1)
{
	int nul;

	w0 = te_kupto_nul(w0, &nul);
	w1 = nul ? 0 : te_kupto_nul(w1, &nul);
	return w0 ^ (w1 * 0xff51afd7ed558ccdULL);
}

/* The key of a component from its first 8 bytes (TE_KS_EXACT). */
TE_KINLINE unsigned long long te_kfirst_key(unsigned long long w)
{
	int nul;

	return te_kupto_nul(w, &nul);
}

/* The key of a component from the 8 bytes that end it, of which the last
 * n are its (TE_KS_ROOT): its last bytes, the last one lowest. */
TE_KINLINE unsigned long long te_klast_key(unsigned long long w,
					      unsigned int n)
{
	int nul;

	w = __builtin_bswap64(w);
	if (n < 8)
		w &= (1ULL << (8 * n)) - 1;
	return te_kupto_nul(w, &nul);
}

/* The index bucket of key for probe s of key x. */
TE_KINLINE unsigned int te_kbucket(unsigned int x, unsigned int s,
				      unsigned long long key)
{
	key += (unsigned long long)(x << 3 | s) * 0x9e3779b97f4a7c15ULL;
	return (unsigned int)((key * 0xbf58476d1ce4e5b9ULL) >> (64 - TE_KBUCKET_BITS));
}

/* A verified container, by mount namespace: the container bits of each
 * rule set slot (which of its container_name/image/k8s globs hold), valid
 * for the rule set of generation gen[slot] only (else they are not known:
 * a daemon that took over the table has not verified that container yet).
 * A freed entry (its namespace gone) is TE_KCT_GONE: lookups probe past
 * it, new entries reuse it. */
#define TE_KCT_GONE	(~0ULL)
struct te_kct {
	unsigned long long mntns;	/* its id (te_event.kmntns_id); 0: free */
	unsigned long long bits[2];
	unsigned int gen[2];		/* the rule set generation of bits[i] */
	unsigned long long ino;		/* its namespace's inode (userspace's) */
};

/* Counters of events the kernel side could not deliver (array map). */
enum te_counter {
	TE_LOST_RINGBUF,	/* ring buffer full */
	TE_LOST_PENDING,	/* pending-exec map full */
	TE_LOST_SCRATCH,	/* no scratch slot free on this CPU */
	TE_LOST_BUDGET,		/* failed exec: budget table (folds) full */
	TE_COUNTER_NR,
};

/*
 * Failed-exec budget (trace-execd(8), FAILED-EXEC FOLDS): per uid, then
 * per cgroup, failed execs are sent as events while their records of the
 * second took less than a set number of ring-buffer bytes; the rest of
 * that second's are folded into a te_fold, which userspace takes from the
 * folds map once the second is over. Successful execs are never counted
 * or folded.
 */
#define TE_FOLD_NAME		256	/* bytes kept of a folded exec's file name */
#define TE_FOLDS_MAX		8192	/* entries: (uid or cgroup, second) */
#define TE_FOLD_WINDOW_NS	1000000000ULL	/* a budget's window */
#define TE_FAIL_BUDGET_UID	(1U << 20) /* default budgets: ring bytes a */
#define TE_FAIL_BUDGET_CGROUP	(4U << 20) /* second per uid, per cgroup */
#define TE_FAIL_CHARGE_MAX	(1U << 22) /* most bytes one exec is charged */

enum te_fold_kind {
	TE_FOLD_UID = 1,	/* id is a uid */
	TE_FOLD_CGROUP = 2,	/* id is a cgroup id */
};

/* By uid, a verified container's uid is apart from the host's: id holds
 * the uid in its low 32 bits and, above, 1 + the container's slot in the
 * kernel's table of verified containers (te_kct), 0 on the host (and in
 * any mount namespace that is not a verified container). */
#define TE_FOLD_CT_SHIFT	32
struct te_fold_key {
	unsigned long long id;		/* uid or cgroup id, as kind says */
	unsigned int kind;		/* enum te_fold_kind */
	unsigned int window;		/* boot time / TE_FOLD_WINDOW_NS */
};

struct te_fold {
	unsigned long long seen;	/* failed execs counted in the window */
	unsigned long long folded;	/* of them, past the budget: not sent */
	unsigned long long bytes;	/* ring bytes while the others were sent */
	unsigned long long first_ns;	/* boot time of the first folded */
	unsigned long long last_ns;	/* and of the last */
	unsigned long long cgroup_id;	/* of the first folded */
	unsigned int uid;		/* of the first folded */
	int first_ret;			/* exec's return value (-errno) */
	int last_ret;
	unsigned int first_flags;	/* TE_F_NO_RETURN: no file name */
	unsigned int last_flags;
	unsigned int behind;		/* of the folded, those within the budget
					 * while the ring buffer was half full */
	char first_file[TE_FOLD_NAME];	/* as passed to execve, cut */
	char last_file[TE_FOLD_NAME];
};

#endif
