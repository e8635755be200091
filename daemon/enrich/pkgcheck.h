/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pkgcheck.h: where the file an exec ran came from: the package that owns its path in the dpkg database of its root (the host's, or its container's) and whether it is the file as dpkg recorded it (EXEC_PACKAGE_VERIFIED). */
#ifndef TRACE_EXECD_PKGCHECK_H
#define TRACE_EXECD_PKGCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct pkgcheck;
struct pkgdb;
struct dpkg_entry;

/* EXEC_PACKAGE_VERIFIED's values (ev->pkg_verified: pkg_verdict_name()). */
enum pkg_verdict {
	PKG_V_YES = 1,		/* "yes": the file has the MD5 dpkg recorded */
	PKG_V_MODIFIED,		/* "modified": it has another */
	PKG_V_UNPACKAGED,	/* "unpackaged": no package owns the file that ran */
	PKG_V_UNKNOWN,		/* "unknown": EXEC_PACKAGE_UNKNOWN says why */
};
const char *pkg_verdict_name(enum pkg_verdict v);

/* Why a verdict is "unknown" (EXEC_PACKAGE_UNKNOWN), besides the reasons
 * of EXEC_SHA256_UNAVAILABLE (the file was not read: too-large, ...). */
#define PKG_R_NO_DATABASE	"no-database"		/* no dpkg status file in the root */
#define PKG_R_DB_UNREADABLE	"database-unreadable"	/* it or a file of it could not be read */
#define PKG_R_DB_TOO_LARGE	"database-too-large"	/* past the limits of a build */
#define PKG_R_DB_PENDING	"database-pending"	/* a container's, not built yet (builds are rationed) */
#define PKG_R_NO_CHECKSUM	"no-checksum"		/* owned, no MD5 recorded (no md5sums, a new conffile) */
#define PKG_R_DPKG_RUNNING	"dpkg-running"		/* the host's dpkg holds its lock: files and
							 * records are changing */
#define PKG_R_CT_CHANGED	"container-database-changed" /* the records it rests on were
							 * written in the container */
#define PKG_R_CT_WRITABLE	"container-database-writable" /* the container's root has no image
							 * layers apart from what it writes */
#define PKG_R_CT_NO_ROOT	"container-root-unknown" /* its runtime names no root file system */
#define PKG_R_NO_PATH		"no-path"		/* the file's path was not collected */
#define PKG_R_NO_HOST_ROOT	"host-root-unreachable"	/* in another mount namespace, and the
							 * daemon cannot reach PID 1's root */

/* What a file version's verdict was, kept with its digest (hash.c): a
 * later exec of the same file at the same path in the same database
 * generation reuses it. Written by the event loop's thread only. */
struct pkg_memo {
	uint64_t gen;			/* database generation; 0: none */
	uint64_t path_hash;
	uint32_t path_len;
	uint32_t pkg;			/* in that generation's index */
	enum pkg_verdict verdict;
	const char *reason;		/* PKG_V_UNKNOWN: PKG_R_*, else NULL */
	bool conffile;
};

/* One exec's verdict in the making: pkgcheck_begin() fills it. */
struct pkg_subject {
	struct pkgdb *db;		/* NULL: decided already (verdict) */
	enum pkg_verdict verdict;	/* decided before reading the file */
	const char *reason;
	const char *path;		/* the file's walked path */
	const struct exec_file_id *id;	/* the kernel's identity of it */
	bool overlay;			/* the kernel found it on an overlayfs */
	struct pkg_memo key;		/* gen, path_hash, path_len of this exec */
	const struct dpkg_entry *owner;	/* the index's entries for the path */
	size_t nowner;
};

/* What the hasher read of the file version: its MD5 (and why not). */
struct pkg_digest {
	const char *why;		/* no digest at all: EXEC_SHA256_UNAVAILABLE's reason */
	bool md5_ok;
	unsigned char md5[16];
	const char *md5_why;		/* no MD5: why */
	struct pkg_memo *memo;		/* the file version's memo; NULL: not cached */
};

/* Limits of a container's database: bytes read and paths indexed. */
#define PKG_CT_MAX_BYTES	(64U << 20)
#define PKG_CT_MAX_ENTRIES	(1U << 20)
/* Container databases kept at once. */
#define PKG_CT_DBS		32

/*
 * A package checker of the host's database under host_root (NULL: "/",
 * or PID 1's root, /proc/1/root, when this process runs in another mount
 * namespace than PID 1's; when PID 1's is not known, "/", and a host
 * exec in another namespace than this process's is "unknown",
 * host-root-unreachable), built now. 0 or negative errno (logged); a
 * host without a database is no error (every host exec is then
 * "unknown", no-database).
 */
int pkgcheck_new(struct pkgcheck **out, const char *host_root);
void pkgcheck_free(struct pkgcheck *pc);
/* About once a second: rebuild the host's index when its database
 * changed (status, diversions or info/), not while dpkg holds its lock
 * unless the index is 30 s old. */
void pkgcheck_tick(struct pkgcheck *pc, uint64_t now_usec);
/* The host index's figures for logs: packages, paths, bytes. */
void pkgcheck_host_stats(struct pkgcheck *pc, size_t *packages, size_t *entries,
			 size_t *memory, uint64_t *build_usec);

/*
 * Pick the database of ev's file (the exec'd file: the binary, or a
 * script's own file) and look its path up. Returns true when a package
 * owns the path and the verdict may need the file's MD5 (the hasher reads
 * it with the SHA-256); s says what is known.
 */
bool pkgcheck_begin(struct pkgcheck *pc, const struct exec_event *ev,
		    struct pkg_subject *s);
/* Whether the memo holds the verdict of s (then no MD5 is needed). */
static inline bool pkg_memo_matches(const struct pkg_memo *m, const struct pkg_subject *s)
{
	return m->gen && m->gen == s->key.gen && m->path_hash == s->key.path_hash &&
	       m->path_len == s->key.path_len;
}
/*
 * The upper directory of the overlayfs mounted at mnt (its last mount
 * there), from the text of a mountinfo file (changed: parsed in place),
 * into out: 0, -ENOENT when there is none (not an overlay, no upper
 * layer), -ENAMETOOLONG. A relative one (a runtime that mounted from its
 * storage's directory) is under the directory two levels above mnt
 * (containers-storage: overlay/ID/merged and overlay/ID/diff).
 */
int pkgcheck_overlay_upper(char *mountinfo, const char *mnt, char *out, size_t size);
/* The verdict of s with what the hasher read (d) into ev's pkg_* fields. */
void pkgcheck_end(struct pkgcheck *pc, struct exec_event *ev,
		  const struct pkg_subject *s, const struct pkg_digest *d);

#endif
