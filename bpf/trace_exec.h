/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* trace_exec.h: the exec event record shared by the BPF tracer and userspace. */
#ifndef TRACE_EXEC_H
#define TRACE_EXEC_H

#define TE_ABI_VERSION		1
#define TE_COMM_LEN		16
#define TE_TTY_LEN		32
#define TE_NAME_MAX		256	/* one path component, NUL included */
#define TE_PATH_BUF		4096	/* bytes kept per path */
#define TE_PATH_DEPTH		128	/* components walked per path */
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

struct te_path_ref {
	unsigned short off;	/* from the start of the payload */
	unsigned short len;
	unsigned short flags;
	unsigned short pad;
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
	unsigned char payload[];
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
	unsigned int pad;
	char first_file[TE_FOLD_NAME];	/* as passed to execve, cut */
	char last_file[TE_FOLD_NAME];
};

#endif
