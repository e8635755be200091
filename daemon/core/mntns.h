/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mntns.h: mount namespaces: the host's (PID 1's), and those of every process there is (/proc). */
#ifndef TRACE_EXECD_MNTNS_H
#define TRACE_EXECD_MNTNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The inode of PID 1's mount namespace (the host's: execs in it are the
 * host's), read once and kept (read it while privileged). 0 and *ino, or
 * the negative errno of the first read (then tried again). */
int host_mntns(uint64_t *ino);

/* The mount namespaces of live processes: by id (NS_GET_MNTNS_ID, Linux
 * 6.8), or on an older kernel by inode (which a new namespace may take
 * again once one is freed). */
struct mntns_set {
	uint64_t *v;		/* sorted */
	size_t n, cap;
	bool by_inode;
};

/*
 * Gather into s (zeroed; free with mntns_set_free()) the mount namespace
 * of every process in /proc; a process gone meanwhile is left out. Only
 * with CAP_SYS_PTRACE in effect is that every process (root without it is
 * refused the namespaces of processes with capabilities it lacks, a
 * container's among them, and those of a parent user namespace are out
 * of reach anyway): -EPERM without it. 0, -EPERM, -ENOMEM or the negative
 * errno of reading /proc.
 */
int mntns_scan(struct mntns_set *s);
/* Whether the namespace of id (or of inode ino, in a set by inode) is in s. */
bool mntns_set_has(const struct mntns_set *s, uint64_t id, uint64_t ino);
void mntns_set_free(struct mntns_set *s);

#endif
