/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* trace_exec.h: the exec event record shared by the BPF tracer and userspace. */
#ifndef TRACE_EXEC_H
#define TRACE_EXEC_H

#define TE_ABI_VERSION		2
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

/* Lineage flags (struct te_event's lineage_flags). */
#define TE_L_PARENT_INFERRED	(1U << 0)	/* the exec that made the parent's image was not found: the parent fields name the parent itself */
#define TE_L_EXE_ID		(1U << 1)	/* exe_id holds the executable's identity */
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
	unsigned char payload[];
};

/* The header of a version 1 record: the fields before start_ns (a ring
 * an earlier build left is read after an upgrade). */
#define TE_EVENT_V1_SIZE	__builtin_offsetof(struct te_event, start_ns)

/* Counters of events the kernel side could not deliver (array map). */
enum te_counter {
	TE_LOST_RINGBUF,	/* ring buffer full */
	TE_LOST_PENDING,	/* pending-exec map full */
	TE_LOST_SCRATCH,	/* no scratch slot free on this CPU */
	TE_COUNTER_NR,
};

#endif
