// SPDX-License-Identifier: GPL-2.0-or-later
/* mntns.c: mount namespaces: the host's (PID 1's), and those of every process there is (/proc). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/array.h"
#include "core/capability.h"
#include "core/mntns.h"

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID	_IOR(0xb7, 0x5, uint64_t)	/* Linux 6.8 */
#endif

int host_mntns(uint64_t *ino)
{
	static uint64_t ns;
	struct stat st;

	if (!ns) {
		if (stat("/proc/1/ns/mnt", &st) < 0)
			return -errno;
		ns = st.st_ino;
	}
	*ino = ns;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Add what identifies the namespace of /proc/NAME/ns/mnt to s; 0, or
 * -ENOMEM. A process gone meanwhile or out of reach is left out. */
static int add(struct mntns_set *s, const char *name)
{
	char path[sizeof("/proc//ns/mnt") + 256];
	struct stat st;
	uint64_t id;
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", name);
	if (s->by_inode) {
		if (stat(path, &st) < 0)
			return 0;
		id = st.st_ino;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		r = ioctl(fd, NS_GET_MNTNS_ID, &id);
		close(fd);
		if (r < 0)
			return 0;
	}
	if (array_reserve(&s->v, &s->cap, s->n + 1, sizeof(*s->v)) < 0)
		return -ENOMEM;
	s->v[s->n++] = id;
	return 0;
}

int mntns_scan(struct mntns_set *s)
{
	struct dirent *d;
	uint64_t id;
	int fd, r = 0;
	DIR *dir;

	if (!caps_held(CAP_SYS_PTRACE, CAP_EFFECTIVE))
		return -EPERM;
	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	s->by_inode = ioctl(fd, NS_GET_MNTNS_ID, &id) < 0;
	close(fd);
	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while (r == 0 && (d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			r = add(s, d->d_name);
	closedir(dir);
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
	return r;
}

bool mntns_set_has(const struct mntns_set *s, uint64_t id, uint64_t ino)
{
	uint64_t k = s->by_inode ? ino : id;

	return s->n && bsearch(&k, s->v, s->n, sizeof(*s->v), cmp_u64) != NULL;
}

void mntns_set_free(struct mntns_set *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
