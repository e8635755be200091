/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event.h: a decoded exec event, as every output and the policy see it. */
#ifndef TRACE_EXECD_EVENT_H
#define TRACE_EXECD_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct container;

/* One path of the event; s is NULL when the path was not collected. */
struct exec_path {
	char *s;		/* NUL-terminated; may hold any byte but NUL */
	size_t len;
	bool truncated;		/* the kernel side could not walk to the root */
	bool deleted;		/* the file was unlinked (or is a memfd) */
	bool unreachable;	/* the walk ended at the root of a mount
				 * outside the process's root (a detached
				 * mount, a file outside its chroot, a
				 * memfd): the text is no path it can open */
	bool walked;		/* rebuilt from the kernel's dentry walk,
				 * not copied from a string */
	bool gap;		/* too long to keep whole: its root side, a
				 * cut mark where components were left out,
				 * its leaf side ("/tmp/a/…/y/z") */
};

/* Starts the text of a walk cut before the root, and stands for the
 * components left out of a path with a gap (U+2026, "…"). */
#define EXEC_PATH_CUT_MARK	"\xe2\x80\xa6"

enum exec_path_id {
	EXEC_PATH_CWD,
	EXEC_PATH_FILE,
	EXEC_PATH_EXE,
	EXEC_PATH_PARENT_EXE,
	EXEC_PATH_CGROUP,
	EXEC_PATH_NR,
};

/* A file's identity at exec, as the kernel's inode held it (st_dev in
 * userspace's encoding). */
struct exec_file_id {
	uint64_t dev, ino, size;
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
};

/* EXEC_ID: "BOOT-START-TGID-N", at most this long with its NUL. */
#define EXEC_ID_LEN	72
/* A SHA-256 in lower-case hex, with its NUL. */
#define EXEC_SHA256_LEN	65
/* A package's name, architecture and version, with their NUL (longer
 * ones are not indexed). */
#define EXEC_PKG_NAME_LEN	257
#define EXEC_PKG_ARCH_LEN	33
#define EXEC_PKG_VERSION_LEN	257

struct exec_event {
	uint64_t timestamp_usec;	/* wall clock, microseconds */
	uint64_t boot_ns;		/* CLOCK_BOOTTIME of the exec */
	uint32_t pid, tid, ppid;
	uint32_t uid, gid;
	uint32_t loginuid, sessionid;	/* 4294967295 when unset */
	char comm[17];
	char pcomm[17];
	char tty[40];			/* "pts/3", "tty1", "" without a tty */
	bool failed;
	int error;			/* positive errno of a failed exec */
	uint64_t mntns;
	uint64_t cgroup_id;

	uint32_t argc;			/* true argument count */
	bool argc_inexact;		/* argc is a lower bound */
	bool args_unavailable;		/* failed past exec's point of no return */
	bool args_truncated;		/* bytes of the arguments were cut */
	size_t nargs;			/* arguments present in args[] */
	const char **args;		/* each argument, exact bytes */
	size_t *arglens;		/* byte length of each argument */
	char *argv_str;			/* EXEC_ARGV: joined, quoted, escaped;
					 * set by event_text_fill() */

	struct exec_path path[EXEC_PATH_NR];
	bool upper_layer;		/* EXEC_UPPER_LAYER */
	bool parent_upper_layer;	/* EXEC_PARENT_UPPER_LAYER */
	bool file_upper_layer;		/* EXEC_FILE_UPPER_LAYER */
	bool file_upper_known;		/* false: file_upper_layer unknown */

	/* The kernel's kill rules (bpf/kill-rules.bpf.c). */
	bool killed;			/* SIGKILL was pending at the exec:
					 * ours or another tracer's */
	unsigned int kill_action;	/* what our kill rules did, TE_KA_* */
	unsigned int kill_rule;		/* the kill rule, by its index */
	uint32_t kill_gen;		/* in this rule set generation (0: none) */
	uint64_t mntns_id;		/* the mount namespace's id, never reused
					 * (0: the kernel has none) */
	/* Lineage (EXEC_ID, EXEC_PARENT_ID): "" when not known. */
	char exec_id[EXEC_ID_LEN];	/* "" for a failed exec: no new image */
	char parent_exec_id[EXEC_ID_LEN];
	bool parent_id_inferred;	/* EXEC_PARENT_ID_INFERRED */
	uint64_t start_ns;		/* the process's start, boot clock */
	bool file_is_exe;		/* the exec'd file is the executable
					 * (not a script) */
	bool exe_id_known;
	struct exec_file_id exe_id;	/* the new executable (interpreter of a script) */
	uint32_t exe_fs_magic;		/* its file system's magic (statfs(2)) */
	bool file_id_known;		/* a script's own file, as the kernel
					 * opened it for the exec */
	struct exec_file_id file_id;
	uint32_t file_fs_magic;
	bool loader;			/* EXEC_LOADER: the dynamic loader run
					 * with a program to load */

	/* Enrichment, filled after decoding. */
	const char *user;		/* name of uid, or "uid:N" (EXEC_USER) */
	const char *group;		/* name of gid, or "gid:N" (EXEC_GROUP) */
	const char *host_user;		/* the host's name of uid (rules match it) */
	const char *host_group;		/* the host's name of gid (rules match it) */
	const char *loginuser;		/* name of loginuid, or "uid:N" */
	const struct container *container; /* NULL for a host process, or
					    * when its runtime did not confirm */
	const char *container_unverified; /* the 64-hex id the cgroup names
					    * when its runtime did not confirm
					    * it, else NULL */
	/* SHA-256 of what ran (enrich/hash.h): "" when not computed. */
	char sha256[EXEC_SHA256_LEN];		/* EXEC_SHA256: the exec'd file */
	char exe_sha256[EXEC_SHA256_LEN];	/* EXEC_EXE_SHA256: a script's interpreter */
	const char *sha256_unavailable;		/* EXEC_SHA256_UNAVAILABLE reason, or NULL */
	/* Where the exec'd file came from (enrich/pkgcheck.h); NULL: not judged. */
	const char *pkg_verified;	/* EXEC_PACKAGE_VERIFIED: "yes", "modified",
					 * "unpackaged" or "unknown" */
	const char *pkg_unknown;	/* EXEC_PACKAGE_UNKNOWN: why "unknown" */
	char pkg_name[EXEC_PKG_NAME_LEN];	/* EXEC_PACKAGE: "" when none */
	char pkg_arch[EXEC_PKG_ARCH_LEN];	/* EXEC_PACKAGE_ARCH */
	char pkg_version[EXEC_PKG_VERSION_LEN];	/* EXEC_PACKAGE_VERSION */
	bool pkg_conffile;		/* EXEC_PACKAGE_CONFFILE: a conffile of it */
	const char *first_seen;		/* EXEC_FIRST_SEEN: "host", "image" or NULL
					 * (enrich/first-seen.h) */
	const char *k8s_node;		/* K8S_NODE, or NULL */
	const char *host;		/* the journal's _HOSTNAME of an entry
					 * read back (trace-exec's history),
					 * NULL for a live event */
};

/* Container identity and metadata; strings are "" when unknown. */
struct container {
	char id[65];			/* full id, lower-case hex */
	char short_id[13];		/* first 12 hex digits */
	char name[256];
	char image[512];
	char image_id[80];		/* the image's id as its runtime keeps it
					 * (podman, docker), or "" */
	char runtime[32];		/* "podman", "docker", "containerd", "cri-o" */
	char k8s_namespace[256];
	char k8s_pod[256];
	char k8s_container[256];
	char rootfs[4096];		/* host path of its root file system, or "" */
	uint64_t mntns;			/* its init's mount namespace inode, 0: not known */
};

/* Failed execs of one uid or cgroup the kernel folded into a count in one
 * window, past their budget (trace-execd(8), FAILED-EXEC FOLDS). */
#define EXEC_FOLD_NAME 256
struct exec_fold {
	bool by_cgroup;			/* the cgroup's budget, not the uid's */
	uint64_t count;			/* failed execs folded */
	uint64_t seen;			/* failed execs counted in the window */
	uint64_t sent_bytes;		/* ring bytes the others took (about) */
	uint64_t behind;		/* folded within the budget: the ring
					 * buffer was half full */
	uint32_t uid;			/* the uid (by uid); of the first (by cgroup) */
	int ct_slot;			/* by uid: the verified container's slot
					 * in the kernel's table, -1 the host */
	const struct container *container; /* by uid: that container, if the
					    * daemon knows it */
	uint64_t cgroup_id;		/* the cgroup (by cgroup); of the first (by uid) */
	uint64_t window_start_usec;	/* wall clock */
	uint64_t window_end_usec;
	uint64_t first_usec, last_usec;	/* the first and last folded */
	int first_error, last_error;	/* positive errno */
	char first_file[EXEC_FOLD_NAME];	/* as passed to execve; "" when gone */
	char last_file[EXEC_FOLD_NAME];
	bool file_truncated;		/* a name may be cut */
};

#define EXEC_CWD(e)		((e)->path[EXEC_PATH_CWD].s)
#define EXEC_FILE(e)		((e)->path[EXEC_PATH_FILE].s)
#define EXEC_EXE(e)		((e)->path[EXEC_PATH_EXE].s)
#define EXEC_PARENT_EXE(e)	((e)->path[EXEC_PATH_PARENT_EXE].s)
#define EXEC_CGROUP(e)		((e)->path[EXEC_PATH_CGROUP].s)

#endif
