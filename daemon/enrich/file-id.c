// SPDX-License-Identifier: GPL-2.0-or-later
/* file-id.c: a file's identity in the kernel's terms and whether an open file is the version an exec ran (the SHA-256 and the package verdict check it). */
#include <string.h>
#include <sys/statfs.h>

#include "enrich/file-id.h"

void file_id_of(const struct stat *st, struct exec_file_id *id)
{
	*id = (struct exec_file_id){
		.dev = st->st_dev, .ino = st->st_ino, .size = (uint64_t)st->st_size,
		.mtime_sec = st->st_mtim.tv_sec, .mtime_nsec = (uint32_t)st->st_mtim.tv_nsec,
		.ctime_sec = st->st_ctim.tv_sec, .ctime_nsec = (uint32_t)st->st_ctim.tv_nsec,
	};
}

bool file_id_same(int fd, const struct exec_file_id *id, bool strict, bool overlay)
{
	struct exec_file_id got;
	struct statfs sf;
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	file_id_of(&st, &got);
	if (!strict) {
		got.ctime_sec = id->ctime_sec;
		got.ctime_nsec = id->ctime_nsec;
	}
	if (overlay) {
		if (fstatfs(fd, &sf) < 0 || (uint32_t)sf.f_type != OVERLAYFS_MAGIC)
			return false;
		got.dev = id->dev;
	}
	return !memcmp(&got, id, sizeof(got));
}
