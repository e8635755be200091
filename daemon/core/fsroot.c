// SPDX-License-Identifier: GPL-2.0-or-later
/* fsroot.c: open a path below a root directory as if that directory were "/" (openat2 RESOLVE_IN_ROOT, else a walk one component at a time). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/fsroot.h"

/*
 * Open path below the directory dfd one component at a time, following
 * no symbolic link and no "..": the path cannot leave the root this way.
 * A path with a link is not opened. fd or negative errno; dfd is closed.
 */
static int open_walk(int dfd, const char *path, int flags)
{
	char comp[NAME_MAX + 1];
	const char *p = path, *e;
	int fd = dfd;
	size_t n;

	for (;;) {
		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		n = (size_t)(e - p);
		if (!n || n > NAME_MAX || (n == 2 && p[0] == '.' && p[1] == '.')) {
			close(fd);
			return -ENOENT;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		while (*e == '/')
			e++;
		dfd = fd;
		fd = openat(dfd, comp, O_CLOEXEC | O_NOFOLLOW | (*e ?
			    O_PATH | O_DIRECTORY : flags));
		if (fd < 0)
			fd = -errno;
		close(dfd);
		if (fd < 0 || !*e)
			return fd;
		p = e;
	}
}

int fsroot_open(int rootfd, const char *path, int flags, bool no_symlinks)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			   (no_symlinks ? RESOLVE_NO_SYMLINKS : 0),
	};
	int fd, dfd;

	fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd >= 0)
		return fd;
	if (errno != ENOSYS)
		return -errno;
	/* openat2() refused: the walk (on a copy of rootfd: it closes it) */
	dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0)
		return -errno;
	return open_walk(dfd, path, flags | O_NOFOLLOW);
}

int fsroot_open_path(const char *root, const char *path, int flags,
		     bool no_symlinks)
{
	int dfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC), fd;

	if (dfd < 0)
		return -errno;
	fd = fsroot_open(dfd, path, flags, no_symlinks);
	close(dfd);
	return fd;
}
