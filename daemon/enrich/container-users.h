/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container-users.h: user and group names from a container's own /etc/passwd and /etc/group. */
#ifndef TRACE_EXECD_CONTAINER_USERS_H
#define TRACE_EXECD_CONTAINER_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTAINER_USERS_ROOTS		16		/* root file systems whose passwd
							 * and group files are cached */
#define CONTAINER_USERS_FILE_MAX	(1u << 20)	/* larger files are refused */
#define CONTAINER_USERS_LINE_MAX	4096		/* longer lines are skipped */
#define CONTAINER_USERS_RECHECK_USEC	1000000ULL	/* stat a cached file this often */

struct container_users;

int container_users_new(struct container_users **out);
void container_users_free(struct container_users *c);
/* How often a cached file's mtime is checked again (tests use 0). */
void container_users_set_recheck(struct container_users *c, uint64_t usec);

/*
 * Name of uid (group false) or gid (group true) in <rootfs>/etc/passwd or
 * <rootfs>/etc/group, found without following symlinks out of rootfs
 * (openat2 RESOLVE_IN_ROOT, else O_NOFOLLOW per component; the file itself
 * must not be a symlink). The file is found with O_PATH and opened for
 * reading (through /proc/self/fd) only when it is a regular file: a device
 * node is never opened, a FIFO never blocks. A file of at most
 * CONTAINER_USERS_FILE_MAX bytes is read into memory and parsed there by
 * glibc's fgetpwent_r()/fgetgrent_r(); the first line of an id wins, empty
 * names and NIS "+"/"-" entries are skipped. Files are cached per (rootfs,
 * mtime), for the CONTAINER_USERS_ROOTS root file systems used last.
 * Returns 0 with the name in buf, -ENOENT when the id (or the file) has
 * no name, -ERANGE when buf is too small, -EINVAL for a relative rootfs or
 * a file that is not regular, or another negative errno (-ELOOP for a
 * symlink, -EFBIG) for a file that was refused.
 */
int container_users_name(struct container_users *c, const char *rootfs,
			 uint32_t id, bool group, char *buf, size_t len);

#endif
