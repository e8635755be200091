// SPDX-License-Identifier: GPL-2.0-or-later
/* pkgcheck.c: EXEC_PACKAGE_VERIFIED: the dpkg database of an exec's root (the host's, or its container's, trusted only where it is the image's), the file found at its path verified to be the one that ran, its MD5 against dpkg's record. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fsroot.h"
#include "core/log.h"
#include "core/lru.h"
#include "core/mntns.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "dpkg/dpkg-index.h"
#include "enrich/file-id.h"
#include "enrich/pkgcheck.h"

#define USEC		1000000ULL
#define CHECK_EVERY	USEC			/* a database's files looked at */
#define HOST_STALE_MAX	(30 * USEC)		/* rebuilt even while dpkg runs */
#define CT_BUILD_EVERY	(10 * USEC)		/* a container's, at most this often */
#define CT_BUILD_GAP	(200 * 1000ULL)		/* between any two containers' builds */
#define LOCK_EVERY	(100 * 1000ULL)		/* dpkg's lock looked at */
#define MOUNTINFO_MAX	(16U << 20)

/* One database: the host's, or a container's (by its root's host path). */
struct pkgdb {
	int rootfd;			/* its root; -1: none */
	int upperfd;			/* a container's overlay upper layer; -1: none */
	bool container;
	bool upper_known;		/* the upper layer was found */
	bool base_changed;		/* its status or diversions are in the upper layer */
	bool dirty;			/* the database changed since the build */
	struct dpkg_index *ix;		/* NULL: none (err says why) */
	int err;			/* the last build's error, 0 */
	struct dpkg_stamp stamp;	/* what the last build saw */
	uint64_t gen;			/* of ix; 0 with none */
	uint64_t checked, built;	/* monotonic usec */
	dev_t root_dev;
	ino_t root_ino;
};

struct pkgcheck {
	struct pkgdb host;
	bool host_sure;			/* host.rootfd is PID 1's root (not a
					 * guess: PID 1's namespace unknown) */
	uint64_t own_mntns;		/* this process's mount namespace */
	struct lru *cts;		/* struct pkgdb by its root's host path */
	uint64_t last_ct_build;		/* monotonic usec */
	uint64_t lock_checked;		/* when dpkg's lock was looked at */
	bool dpkg_locked;
};

/* Generations of every index of the process: a memo of an earlier one
 * (or of an earlier checker's) never matches. */
static uint64_t next_gen;

static const struct dpkg_limits host_limits = {
	.max_bytes = (size_t)4 << 30, .max_entries = (size_t)1 << 26,
};
static const struct dpkg_limits ct_limits = {
	.max_bytes = PKG_CT_MAX_BYTES, .max_entries = PKG_CT_MAX_ENTRIES,
};

/* ---- databases ---- */

static void db_close(struct pkgdb *db)
{
	dpkg_index_free(db->ix);
	db->ix = NULL;
	if (db->rootfd >= 0)
		close(db->rootfd);
	if (db->upperfd >= 0)
		close(db->upperfd);
	db->rootfd = db->upperfd = -1;
}

/* The lru's drop: a container's database leaves the cache. */
static void ct_drop(void *value, void *ctx)
{
	(void)ctx;
	db_close(value);
}

/* Whether rel exists in the container's upper layer (written there, or
 * deleted: a whiteout); any doubt (a link, an error) is a yes. */
static bool in_upper(const struct pkgdb *db, const char *rel)
{
	int fd;

	if (db->upperfd < 0)
		return true;
	fd = fsroot_open(db->upperfd, rel, O_PATH, true);
	if (fd >= 0) {
		close(fd);
		return true;
	}
	return fd != -ENOENT;
}

/* Build (or rebuild) db's index; an error keeps the index there was,
 * but no database (-ENOENT) drops it. */
static void db_build(struct pkgdb *db, uint64_t now)
{
	struct dpkg_index_stats st;
	struct dpkg_index *ix = NULL;
	int r;

	dpkg_stamp_read(db->rootfd, &db->stamp);
	r = dpkg_index_build(db->rootfd, db->container ? &ct_limits : &host_limits, &ix);
	db->built = now;
	db->dirty = false;
	db->err = r;
	if (r == 0 || r == -ENOENT) {
		dpkg_index_free(db->ix);
		db->ix = ix;
		db->gen = ix ? ++next_gen : 0;
	}
	if (db->container)
		db->base_changed = in_upper(db, DPKG_ADMINDIR "/status") ||
				   in_upper(db, DPKG_ADMINDIR "/diversions");
	if (r == 0 && !db->container) {
		dpkg_index_stats(ix, &st);
		log_info("dpkg database: %zu packages, %zu paths indexed in %" PRIu64 " ms (%zu KiB)",
			 st.packages, st.entries, st.build_usec / 1000, st.memory >> 10);
	} else if (r < 0 && r != -ENOENT && !db->container) {
		log_warn("'/%s': the dpkg database could not be read: %s%s", DPKG_ADMINDIR,
			 strerror(-r), db->ix ? " (the index built before is kept)" : "");
	}
}

/* Whether db's database changed since its build (looked at once a
 * second at most). */
static bool db_changed(struct pkgdb *db, uint64_t now)
{
	struct dpkg_stamp s;

	if (now - db->checked >= CHECK_EVERY) {
		db->checked = now;
		dpkg_stamp_read(db->rootfd, &s);
		if (!dpkg_stamp_same(&s, &db->stamp))
			db->dirty = true;
	}
	return db->dirty;
}

/* True while the host's dpkg holds its database's lock (looked at every
 * LOCK_EVERY at most): its files and records are changing. */
static bool dpkg_locked(struct pkgcheck *pc, uint64_t now)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	if (now - pc->lock_checked < LOCK_EVERY)
		return pc->dpkg_locked;
	pc->lock_checked = now;
	pc->dpkg_locked = false;
	fd = fsroot_open(pc->host.rootfd, DPKG_ADMINDIR "/lock", O_RDONLY | O_NONBLOCK, false);
	if (fd < 0)
		return false;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		pc->dpkg_locked = true;
	close(fd);
	return pc->dpkg_locked;
}

void pkgcheck_tick(struct pkgcheck *pc, uint64_t now)
{
	struct pkgdb *db;

	if (!pc)
		return;
	db = &pc->host;
	if (db->rootfd < 0 || !db_changed(db, now))
		return;
	if (now - db->built < CHECK_EVERY ||
	    (dpkg_locked(pc, now) && db->ix && now - db->built < HOST_STALE_MAX))
		return;
	db_build(db, now);
}

/* Undo mountinfo's octal escapes (\040 ...) of s in place. */
static void unescape_octal(char *s)
{
	char *d = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		} else {
			*d++ = *s;
		}
	}
	*d = '\0';
}

int pkgcheck_overlay_upper(char *mountinfo, const char *mnt, char *out, size_t size)
{
	char *line, *save = NULL, *f[6], *sep, *opt, *o, *osave;
	char found[PATH_MAX] = "";
	const char *a, *b;
	int i;

	for (line = strtok_r(mountinfo, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		f[0] = line;
		for (i = 1; i < 6 && f[i - 1]; i++) {
			f[i] = strchr(f[i - 1], ' ');
			if (f[i])
				*f[i]++ = '\0';
		}
		if (i < 6 || !f[4])
			continue;
		unescape_octal(f[4]);
		if (strcmp(f[4], mnt))
			continue;
		/* the last mount there counts: " - fstype source options" */
		found[0] = '\0';
		opt = sep + 3;
		if (strncmp(opt, "overlay ", 8) || !(opt = strchr(opt + 8, ' ')))
			continue;
		for (o = strtok_r(opt + 1, ",", &osave); o; o = strtok_r(NULL, ",", &osave))
			if (!strncmp(o, "upperdir=", 9) && strlen(o + 9) < sizeof(found)) {
				strcpy(found, o + 9);
				unescape_octal(found);
			}
	}
	if (!found[0])
		return -ENOENT;
	if (found[0] == '/')
		return snprintf(out, size, "%s", found) >= (int)size ? -ENAMETOOLONG : 0;
	/* relative: to the directory two levels above mnt */
	a = strrchr(mnt, '/');
	for (b = a; b && b > mnt && *--b != '/';)
		;
	if (!b || b == a || *b != '/')
		return -ENOENT;
	return snprintf(out, size, "%.*s/%s", (int)(b - mnt), mnt, found) >= (int)size ?
	       -ENAMETOOLONG : 0;
}

/* The upper directory of the overlayfs at mnt, from this process's
 * mountinfo; 0 or negative errno. */
static int overlay_upper(const char *mnt, char *out, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	int r = read_file_bounded(AT_FDCWD, "/proc/self/mountinfo", MOUNTINFO_MAX, &sb);

	if (r == 0)
		r = sb.p ? pkgcheck_overlay_upper(sb.p, mnt, out, size) : -ENOENT;
	sb_free(&sb);
	return r;
}

/* Open a container's root and its upper layer into db (closing what it
 * had); 0 or negative errno. */
static int ct_open(struct pkgdb *db, const char *rootfs)
{
	char upper[PATH_MAX];
	struct stat st;
	int fd;

	fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	db_close(db);
	db->rootfd = fd;
	db->root_dev = st.st_dev;
	db->root_ino = st.st_ino;
	db->upper_known = overlay_upper(rootfs, upper, sizeof(upper)) == 0 &&
			  (db->upperfd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC)) >= 0;
	if (!db->upper_known)
		db->upperfd = -1;
	db->gen = 0;
	db->err = -EAGAIN;	/* built when its turn comes */
	db->dirty = true;
	return 0;
}

/* Whether the container's root at rootfs is still the one db opened (a
 * container started again mounts a new one). */
static bool ct_same_root(const struct pkgdb *db, const char *rootfs)
{
	struct stat st;

	return stat(rootfs, &st) == 0 && st.st_dev == db->root_dev &&
	       st.st_ino == db->root_ino;
}

/* The database of the container whose root's host path is rootfs: from
 * the cache, looked at once a second, (re)built when it changed, at most
 * every CT_BUILD_EVERY and CT_BUILD_GAP after any other container's. */
static struct pkgdb *ct_db(struct pkgcheck *pc, const char *rootfs, uint64_t now)
{
	size_t len = strlen(rootfs);
	struct pkgdb *db = lru_get(pc->cts, rootfs, len);
	int r;

	if (!db) {
		db = lru_put(pc->cts, rootfs, len, NULL);
		if (!db)
			return NULL;
		db->container = true;
		db->rootfd = db->upperfd = -1;
		db->err = -EAGAIN;
		r = ct_open(db, rootfs);
		if (r < 0)
			db->err = r;
		db->checked = now;
	} else if (now - db->checked >= CHECK_EVERY && !ct_same_root(db, rootfs)) {
		r = ct_open(db, rootfs);
		if (r < 0)
			db->err = r;
	}
	if (db->rootfd < 0)
		return db;
	if ((db_changed(db, now) || !db->built) &&
	    (!db->built || now - db->built >= CT_BUILD_EVERY) &&
	    now - pc->last_ct_build >= CT_BUILD_GAP) {
		pc->last_ct_build = now;
		db_build(db, now);
	}
	return db;
}

int pkgcheck_new(struct pkgcheck **out, const char *host_root)
{
	static const struct lru_ops ops = { .drop = ct_drop };
	struct pkgcheck *pc = calloc(1, sizeof(*pc));
	uint64_t own = 0, init = 0;
	struct stat st;
	int r = -ENOMEM;

	*out = NULL;
	if (!pc)
		goto fail;
	pc->host.rootfd = pc->host.upperfd = -1;
	pc->cts = lru_new(PKG_CT_DBS, 0, sizeof(struct pkgdb), &ops);
	if (!pc->cts)
		goto fail;
	if (stat("/proc/self/ns/mnt", &st) == 0)
		own = st.st_ino;
	pc->own_mntns = own;
	pc->host_sure = host_root || (host_mntns(&init) == 0 && own);
	if (!host_root)
		host_root = pc->host_sure && own != init ? "/proc/1/root" : "/";
	pc->host.rootfd = open(host_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pc->host.rootfd < 0) {
		r = -errno;
		log_error("'%s': %s: the package of what runs on the host is unknown", host_root,
			  strerror(-r));
		goto fail;
	}
	db_build(&pc->host, clock_usec(CLOCK_MONOTONIC));
	if (pc->host.err == -ENOENT)
		log_notice("'%s/%s/status': no dpkg database: host execs have EXEC_PACKAGE_VERIFIED=unknown",
			   strcmp(host_root, "/") ? host_root : "", DPKG_ADMINDIR);
	*out = pc;
	return 0;
fail:
	pkgcheck_free(pc);
	return r;
}

void pkgcheck_free(struct pkgcheck *pc)
{
	if (!pc)
		return;
	lru_free(pc->cts);
	db_close(&pc->host);
	free(pc);
}

void pkgcheck_host_stats(struct pkgcheck *pc, size_t *packages, size_t *entries,
			 size_t *memory, uint64_t *build_usec)
{
	struct dpkg_index_stats st = { 0 };

	if (pc->host.ix)
		dpkg_index_stats(pc->host.ix, &st);
	*packages = st.packages;
	*entries = st.entries;
	*memory = st.memory;
	*build_usec = st.build_usec;
}

/* ---- verdicts ---- */

/* Why db has no index. */
static const char *db_reason(const struct pkgdb *db)
{
	switch (db->err) {
	case -ENOENT:
	case -ENOTDIR:
		return PKG_R_NO_DATABASE;
	case -EFBIG:
		return PKG_R_DB_TOO_LARGE;
	case -EAGAIN:
		return PKG_R_DB_PENDING;
	default:
		return PKG_R_DB_UNREADABLE;
	}
}

const char *pkg_verdict_name(enum pkg_verdict v)
{
	static const char *const names[] = {
		[PKG_V_YES] = "yes", [PKG_V_MODIFIED] = "modified",
		[PKG_V_UNPACKAGED] = "unpackaged", [PKG_V_UNKNOWN] = "unknown",
	};

	return v >= PKG_V_YES && v <= PKG_V_UNKNOWN ? names[v] : NULL;
}

/* Decided before the file is read. */
static bool decided(struct pkg_subject *s, enum pkg_verdict verdict, const char *reason)
{
	s->db = NULL;
	s->verdict = verdict;
	s->reason = reason;
	return false;
}

bool pkgcheck_begin(struct pkgcheck *pc, const struct exec_event *ev,
		    struct pkg_subject *s)
{
	const struct exec_path *p;
	struct pkgdb *db;

	memset(s, 0, sizeof(*s));
	if (ev->file_is_exe) {
		p = &ev->path[EXEC_PATH_EXE];
		s->id = ev->exe_id_known ? &ev->exe_id : NULL;
		s->overlay = ev->exe_fs_magic == OVERLAYFS_MAGIC;
	} else {
		p = &ev->path[EXEC_PATH_FILE];
		s->id = ev->file_id_known ? &ev->file_id : NULL;
		s->overlay = ev->file_fs_magic == OVERLAYFS_MAGIC;
	}
	if (ev->container && !ev->container->rootfs[0])
		return decided(s, PKG_V_UNKNOWN, PKG_R_CT_NO_ROOT);
	/* PID 1's mount namespace unknown: "/" is the host's root only as
	 * far as this process's own namespace goes */
	if (!ev->container && !pc->host_sure && ev->mntns != pc->own_mntns)
		return decided(s, PKG_V_UNKNOWN, PKG_R_NO_HOST_ROOT);
	db = ev->container ? ct_db(pc, ev->container->rootfs, clock_usec(CLOCK_MONOTONIC)) :
	     &pc->host;
	if (!db)
		return decided(s, PKG_V_UNKNOWN, PKG_R_DB_UNREADABLE);
	if (!db->ix)
		return decided(s, PKG_V_UNKNOWN, db_reason(db));
	if (!p->s || !s->id)
		return decided(s, PKG_V_UNKNOWN, PKG_R_NO_PATH);
	/* a file not on disk at a path its root reaches (unlinked, a memfd,
	 * outside the root, a walk cut short) is no package's file */
	if (p->deleted || p->unreachable || p->truncated || p->gap)
		return decided(s, PKG_V_UNPACKAGED, NULL);
	/* a path the kernel did not walk is only what the caller wrote */
	if (!p->walked || p->s[0] != '/')
		return decided(s, PKG_V_UNKNOWN, PKG_R_NO_PATH);
	s->db = db;
	s->path = p->s;
	s->key.gen = db->gen;
	s->key.path_len = (uint32_t)p->len;
	s->key.path_hash = dpkg_path_hash(p->s, p->len);
	s->nowner = dpkg_index_find(db->ix, s->key.path_hash, &s->owner);
	return s->nowner > 0;
}

/* A verdict into ev: package pkg of ix (NONE: no package). */
static void put(struct exec_event *ev, const struct dpkg_index *ix, uint32_t pkg,
		enum pkg_verdict verdict, const char *reason, bool conffile)
{
	ev->pkg_verified = pkg_verdict_name(verdict);
	ev->pkg_unknown = verdict == PKG_V_UNKNOWN ? reason : NULL;
	ev->pkg_conffile = conffile;
	if (!ix || pkg == UINT32_MAX)
		return;
	snprintf(ev->pkg_name, sizeof(ev->pkg_name), "%s", dpkg_pkg_name(ix, pkg));
	snprintf(ev->pkg_arch, sizeof(ev->pkg_arch), "%s", dpkg_pkg_arch(ix, pkg));
	snprintf(ev->pkg_version, sizeof(ev->pkg_version), "%s", dpkg_pkg_version(ix, pkg));
}

/* Whether the file at s's path in its root is the file that ran. */
static bool at_path(const struct pkg_subject *s)
{
	int fd = fsroot_open(s->db->rootfd, s->path, O_PATH, true);
	bool same = fd >= 0 && file_id_same(fd, s->id, false, s->overlay);

	if (fd >= 0)
		close(fd);
	return same;
}

/* The verdict of the owners of s's path on the MD5 md5 (read from the
 * file that ran): into *pkg, *conffile; the reason of an "unknown". */
static enum pkg_verdict judge(const struct pkg_subject *s, const unsigned char *md5,
			      uint32_t *pkg, bool *conffile, const char **reason)
{
	const struct dpkg_index *ix = s->db->ix;
	const struct dpkg_entry *e;
	unsigned char want[DPKG_MD5_LEN];
	enum pkg_verdict best = PKG_V_UNPACKAGED;
	int rank = 0, rk, r;
	char rel[512];
	size_t i;

	for (i = 0; i < s->nowner; i++) {
		e = &s->owner[i];
		/* a container's records count where they are the image's:
		 * in a lower layer of its overlay, not written since (looked
		 * at first: a file the container wrote is not even read) */
		if (s->db->container && !s->db->upper_known)
			r = -EPERM;
		else if (s->db->container &&
			 (s->db->base_changed ||
			  (dpkg_index_source(ix, e, rel, sizeof(rel)) > 0 && in_upper(s->db, rel))))
			r = -EROFS;
		else
			r = dpkg_index_expected(ix, s->db->rootfd, e, s->path, s->key.path_len, want);
		if (r == -ENOENT)
			continue;	/* not this package's path */
		/* yes, then modified, no checksum, unreadable or the
		 * container's records */
		rk = r < 0 ? 1 : r == 0 ? 2 : memcmp(want, md5, DPKG_MD5_LEN) ? 3 : 4;
		/* the better verdict; of two alike, the conffile's (dpkg
		 * lists a conffile in md5sums too when it made the file) */
		if (rk < rank || (rk == rank && (*conffile ||
						  !(DPKG_E_FLAGS(e) & DPKG_E_CONFFILE))))
			continue;
		rank = rk;
		*pkg = e->pkg;
		*conffile = DPKG_E_FLAGS(e) & DPKG_E_CONFFILE;
		best = rk == 4 ? PKG_V_YES : rk == 3 ? PKG_V_MODIFIED : PKG_V_UNKNOWN;
		*reason = rk == 2 ? PKG_R_NO_CHECKSUM : r == -EROFS ? PKG_R_CT_CHANGED :
			  r == -EPERM ? PKG_R_CT_WRITABLE : PKG_R_DB_UNREADABLE;
	}
	return best;
}

void pkgcheck_end(struct pkgcheck *pc, struct exec_event *ev,
		  const struct pkg_subject *s, const struct pkg_digest *d)
{
	const char *reason = NULL;
	enum pkg_verdict verdict;
	uint32_t pkg = UINT32_MAX;
	bool conffile = false, memo;
	struct pkg_memo *m = d->memo;

	ev->pkg_name[0] = ev->pkg_arch[0] = ev->pkg_version[0] = '\0';
	if (!s->db) {
		put(ev, NULL, pkg, s->verdict, s->reason, false);
		return;
	}
	if (!s->nowner) {
		verdict = PKG_V_UNPACKAGED;
	} else if (m && pkg_memo_matches(m, s)) {
		put(ev, s->db->ix, m->pkg, m->verdict, m->reason, m->conffile);
		return;
	} else if (d->why || !d->md5_ok) {
		/* the file was not read: the owner, and why there is no verdict */
		put(ev, s->db->ix, s->owner[0].pkg, PKG_V_UNKNOWN,
		    d->why ? d->why : d->md5_why ? d->md5_why : PKG_R_DB_UNREADABLE, false);
		return;
	} else if (!at_path(s)) {
		/* the path leads to another file than the one that ran (in
		 * another mount namespace, or replaced since): not the
		 * package's file */
		verdict = PKG_V_UNPACKAGED;
	} else {
		verdict = judge(s, d->md5, &pkg, &conffile, &reason);
	}
	memo = true;
	/* the host's dpkg at work: a file or a record may be the new one
	 * while the other is still the old one */
	if (!s->db->container && (verdict == PKG_V_MODIFIED || verdict == PKG_V_UNPACKAGED) &&
	    dpkg_locked(pc, clock_usec(CLOCK_MONOTONIC))) {
		verdict = PKG_V_UNKNOWN;
		reason = PKG_R_DPKG_RUNNING;
		memo = false;
	}
	put(ev, s->db->ix, pkg, verdict, reason, conffile);
	if (m && memo && s->nowner)
		*m = (struct pkg_memo){
			.gen = s->key.gen, .path_hash = s->key.path_hash,
			.path_len = s->key.path_len, .pkg = pkg, .verdict = verdict,
			.reason = verdict == PKG_V_UNKNOWN ? reason : NULL,
			.conffile = conffile,
		};
}
