/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fsroot.h: open a path below a root directory as if that directory were "/": a container's root file system, PID 1's root, a database's. */
#ifndef TRACE_EXECD_FSROOT_H
#define TRACE_EXECD_FSROOT_H

#include <stdbool.h>

/*
 * Open path (absolute or not, taken from rootfd) with flags (O_CLOEXEC is
 * added), resolved as if rootfd were "/": neither "..", nor an absolute
 * symbolic link, nor a /proc magic link leaves it. With no_symlinks, no
 * symbolic link at all is followed (-ELOOP or -ENOTDIR). Where openat2()
 * is refused (a seccomp filter without it, as systemd-nspawn 252 has),
 * the path is walked one component at a time following no symbolic link
 * and no "..". fd, or negative errno.
 */
int fsroot_open(int rootfd, const char *path, int flags, bool no_symlinks);
/* The same below the directory root names (opened, then closed). */
int fsroot_open_path(const char *root, const char *path, int flags,
		     bool no_symlinks);

#endif
