/* cuser.h: user and group names from a container's own /etc/passwd and /etc/group. */
#ifndef TRACE_EXECD_CUSER_H
#define TRACE_EXECD_CUSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CUSER_FILES		32		/* cached passwd/group files */
#define CUSER_FILE_MAX		(1u << 20)	/* larger files are refused */
#define CUSER_LINE_MAX		4096		/* longer lines are skipped */
#define CUSER_RECHECK_USEC	1000000ULL	/* stat a cached file this often */

struct cuser_cache;

int cuser_cache_new(struct cuser_cache **out);
void cuser_cache_free(struct cuser_cache *c);
/* How often a cached file's mtime is checked again (tests use 0). */
void cuser_cache_set_recheck(struct cuser_cache *c, uint64_t usec);

/*
 * Name of uid (group false) or gid (group true) in <rootfs>/etc/passwd or
 * <rootfs>/etc/group, opened without following symlinks out of rootfs
 * (openat2 RESOLVE_IN_ROOT, else O_NOFOLLOW per component; the file
 * itself must not be a symlink). Files are cached per (rootfs, mtime).
 * Returns 0 with the name in buf, -ENOENT when the id (or the file) has
 * no name, -ERANGE when buf is too small, -EINVAL for a relative rootfs,
 * or another negative errno (-ELOOP, -EFBIG) for a file that was refused.
 */
int cuser_name(struct cuser_cache *c, const char *rootfs, uint32_t id,
	       bool group, char *buf, size_t len);

#endif
