/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dpkg-index.h: which package owns a path, from dpkg's database under a root: built once, looked up per exec, the recorded MD5 read when a verdict needs it. */
#ifndef TRACE_EXECD_DPKG_INDEX_H
#define TRACE_EXECD_DPKG_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dpkg/dpkg-parse.h"

/* The longest package name, architecture and version indexed (a
 * package with a longer one is left out: its files are no package's). */
#define DPKG_NAME_MAX		256
#define DPKG_ARCH_MAX		32
#define DPKG_VERSION_MAX	256

/* Where the database is, below its root. */
#define DPKG_ADMINDIR	"var/lib/dpkg"

/* Flags of an entry (dpkg_entry.flags). */
enum {
	DPKG_E_NOSUM = 1,	/* owned (its list), no checksum recorded */
	DPKG_E_CONFFILE = 2,	/* a conffile: its MD5 is in the status file */
	DPKG_E_DIVERTED = 4,	/* the package's file of another path, put
				 * here by a diversion */
};

/* One path a package owns: its canonical path's hash, the package. The
 * path itself is not kept (dpkg_index_expected() reads it back). */
struct dpkg_entry {
	uint64_t hash;
	uint32_t pkg;
	uint32_t aux;		/* DPKG_E_ flags, and (DPKG_E_CONFFILE) the
				 * conffile's number above them */
};
#define DPKG_E_FLAGS(e)	((e)->aux & 0xfU)
#define DPKG_E_CONF(e)	((e)->aux >> 4)

/* Limits of one build (a container's database is its processes' to
 * write: its size must not become the daemon's time). */
struct dpkg_limits {
	size_t max_bytes;	/* of all the files read */
	size_t max_entries;	/* paths indexed */
};

struct dpkg_index_stats {
	size_t packages;	/* with files on disk */
	size_t entries;		/* paths indexed */
	size_t bytes_read;	/* of the database's files */
	size_t memory;		/* bytes the index holds */
	size_t unreadable;	/* md5sums or list files that could not be read */
	uint64_t build_usec;
};

struct dpkg_index;

/*
 * Build the index of the database under the root directory rootfd
 * (DPKG_ADMINDIR: its status, its diversions, each package's md5sums, or
 * its list when it has no md5sums, the conffiles of the status; paths in
 * their canonical form). Returns 0, -ENOENT when there is no status file,
 * -EFBIG past a limit, -ENOMEM, or the negative errno of reading status.
 */
int dpkg_index_build(int rootfd, const struct dpkg_limits *lim,
		     struct dpkg_index **out);
void dpkg_index_free(struct dpkg_index *ix);
void dpkg_index_stats(const struct dpkg_index *ix, struct dpkg_index_stats *out);
/* The merged /usr aliases of its root (dpkg_aliases_detect()). */
unsigned int dpkg_index_aliases(const struct dpkg_index *ix);

/* The entries whose path hash is hash: their number, the first in *first
 * (they follow each other). */
size_t dpkg_index_find(const struct dpkg_index *ix, uint64_t hash,
		       const struct dpkg_entry **first);

/* A package's name, architecture ("" when none) and version. */
const char *dpkg_pkg_name(const struct dpkg_index *ix, uint32_t pkg);
const char *dpkg_pkg_arch(const struct dpkg_index *ix, uint32_t pkg);
const char *dpkg_pkg_version(const struct dpkg_index *ix, uint32_t pkg);

/*
 * The MD5 dpkg recorded for entry e, found for the canonical path (len
 * bytes): from the conffiles of the status file, else by reading its
 * package's md5sums file under rootfd (the line whose canonical path is
 * path, or, for a diverted entry, the path diverted to it). Returns 1 with
 * md5 set, 0 when the package owns the path but recorded no checksum
 * (its list only; a new conffile), -ENOENT when the path is not the
 * package's (another path of the same hash, or the database changed), or
 * the negative errno of the read (-EFBIG: the file is larger than 16 MiB,
 * or than the build's limit).
 */
int dpkg_index_expected(const struct dpkg_index *ix, int rootfd,
			const struct dpkg_entry *e, const char *path, size_t len,
			unsigned char md5[DPKG_MD5_LEN]);
/* The database file (relative to the root) entry e's checksum is in:
 * "var/lib/dpkg/status" for a conffile, else its package's md5sums (or
 * list) file. Its length, or -ENAMETOOLONG. */
int dpkg_index_source(const struct dpkg_index *ix, const struct dpkg_entry *e,
		      char *buf, size_t size);

/* What says that the database changed: its status and diversions files
 * and its info directory (present, inode, size, modification time). */
struct dpkg_stamp {
	struct {
		bool present;
		uint64_t dev, ino, size;
		int64_t mtime_ns;
	} f[3];
};
void dpkg_stamp_read(int rootfd, struct dpkg_stamp *s);
bool dpkg_stamp_same(const struct dpkg_stamp *a, const struct dpkg_stamp *b);

#endif
