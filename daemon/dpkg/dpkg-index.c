// SPDX-License-Identifier: GPL-2.0-or-later
/* dpkg-index.c: which package owns a path, from dpkg's database under a root: the index of path hashes built from status, diversions, md5sums and list files; the recorded MD5 read back per verdict. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/array.h"
#include "core/fsroot.h"
#include "core/strbuf.h"
#include "core/util.h"
#include "dpkg/dpkg-index.h"

/* Largest single file of the database read while building; largest
 * md5sums file read again for a verdict (Debian 12's largest is 5 MB). */
#define DPKG_FILE_MAX	(256U << 20)
#define DPKG_EXPECTED_MAX (16U << 20)
#define NONE		UINT32_MAX

struct dpkg_pkg {
	uint32_t name, arch, version;	/* in the pool, NUL-terminated */
	uint32_t stem;			/* its info files' name: "name" or
					 * "name:arch" */
	bool sums;			/* stem.md5sums was read (else stem.list) */
};

struct dpkg_conf {
	uint32_t path;			/* canonical, in the pool */
	bool has_md5;
	unsigned char md5[DPKG_MD5_LEN];
};

struct dpkg_div {
	uint64_t from_hash;
	uint32_t from, to;		/* canonical, in the pool */
	uint32_t by;			/* package name in the pool; NONE: local */
};

struct dpkg_index {
	struct dpkg_pkg *pkg;
	size_t npkg, pkg_cap;
	char *pool;
	size_t pool_len, pool_cap;
	struct dpkg_entry *ent;
	size_t nent, ent_cap;
	uint32_t *dir;			/* bucket b: ent[dir[b]..dir[b + 1]) */
	unsigned int dir_bits;
	struct dpkg_conf *conf;
	size_t nconf, conf_cap;
	struct dpkg_div *div;		/* sorted by from_hash */
	size_t ndiv, div_cap;
	unsigned int aliases;
	struct dpkg_limits lim;
	struct dpkg_index_stats st;
};

/* ---- building ---- */

/* Copy s (n bytes) into the pool with a NUL; its offset, or NONE. */
static uint32_t pool_add(struct dpkg_index *ix, const char *s, size_t n)
{
	uint32_t off = (uint32_t)ix->pool_len;

	if (ix->pool_len + n + 1 >= NONE ||
	    array_reserve(&ix->pool, &ix->pool_cap, ix->pool_len + n + 1, 1) < 0)
		return NONE;
	memcpy(ix->pool + off, s, n);
	ix->pool[off + n] = '\0';
	ix->pool_len += n + 1;
	return off;
}

static const char *pool_str(const struct dpkg_index *ix, uint32_t off)
{
	return off == NONE ? "" : ix->pool + off;
}

/* Read the file rel (below rootfd, no link leaving it) into sb: at most
 * max bytes; 0 or negative errno (-EFBIG when larger). */
static int read_db(int rootfd, const char *rel, size_t max, struct strbuf *sb)
{
	int fd, r;

	fd = fsroot_open(rootfd, rel, O_RDONLY | O_NOCTTY | O_NONBLOCK, false);
	if (fd < 0)
		return fd;
	r = read_fd_bounded(fd, max, sb);
	close(fd);
	return r;
}

/* read_db() within what is left of the build's byte budget (-EFBIG past
 * it), counted. */
static int read_db_file(struct dpkg_index *ix, int rootfd, const char *rel,
			struct strbuf *sb)
{
	size_t left = ix->lim.max_bytes > ix->st.bytes_read ?
		      ix->lim.max_bytes - ix->st.bytes_read : 0;
	int r = read_db(rootfd, rel, left < DPKG_FILE_MAX ? left : DPKG_FILE_MAX, sb);

	if (r == 0)
		ix->st.bytes_read += sb->len;
	return r;
}

/* Canonical form of a database path into buf; its length, or < 0. */
static int canon(const struct dpkg_index *ix, const struct dpkg_text *t,
		 char buf[DPKG_PATH_MAX])
{
	return dpkg_canon(ix->aliases, t->p, t->len, buf, DPKG_PATH_MAX);
}

static int div_cmp(const void *a, const void *b)
{
	const struct dpkg_div *x = a, *y = b;

	return x->from_hash < y->from_hash ? -1 : x->from_hash > y->from_hash;
}

/* The diversions file, canonical and sorted; a missing one is none. */
static int load_diversions(struct dpkg_index *ix, int rootfd)
{
	struct strbuf sb = STRBUF_INIT;
	char from[DPKG_PATH_MAX], to[DPKG_PATH_MAX];
	struct dpkg_diversion d;
	const char *p, *end;
	struct dpkg_div *v;
	int r, nf, nt;

	r = read_db_file(ix, rootfd, DPKG_ADMINDIR "/diversions", &sb);
	if (r < 0) {
		sb_free(&sb);
		return r == -ENOENT ? 0 : r;
	}
	p = sb.p;
	end = sb.p + sb.len;
	while ((r = dpkg_diversion_next(&p, end, &d)) != 0) {
		if (r < 0)
			continue;
		nf = canon(ix, &d.from, from);
		nt = canon(ix, &d.to, to);
		if (nf < 0 || nt < 0)
			continue;
		if (array_reserve(&ix->div, &ix->div_cap, ix->ndiv + 1, sizeof(*ix->div)) < 0) {
			r = -ENOMEM;
			break;
		}
		v = &ix->div[ix->ndiv];
		v->from_hash = dpkg_path_hash(from, (size_t)nf);
		v->from = pool_add(ix, from, (size_t)nf);
		v->to = pool_add(ix, to, (size_t)nt);
		v->by = d.by.len == 1 && d.by.p[0] == ':' ? NONE : pool_add(ix, d.by.p, d.by.len);
		if (v->from == NONE || v->to == NONE) {
			r = -ENOMEM;
			break;
		}
		ix->ndiv++;
	}
	sb_free(&sb);
	if (r < 0)
		return r;
	if (ix->ndiv)
		qsort(ix->div, ix->ndiv, sizeof(*ix->div), div_cmp);
	return 0;
}

/* The diversion of the canonical path (n bytes), or NULL. */
static const struct dpkg_div *diversion_from(const struct dpkg_index *ix,
					     const char *path, size_t n)
{
	uint64_t h = dpkg_path_hash(path, n);
	size_t lo = 0, hi = ix->ndiv, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (ix->div[mid].from_hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->ndiv && ix->div[lo].from_hash == h; lo++)
		if (!strcmp(pool_str(ix, ix->div[lo].from), path))
			return &ix->div[lo];
	return NULL;
}

/* Whether a diversion of path moves package pkg's file elsewhere: its
 * diversion then, else NULL (no diversion, or the package's own). */
static const struct dpkg_div *diverted_away(const struct dpkg_index *ix,
					    uint32_t pkg, const char *path, size_t n)
{
	const struct dpkg_div *d = ix->ndiv ? diversion_from(ix, path, n) : NULL;

	if (!d || (d->by != NONE && !strcmp(pool_str(ix, d->by), pool_str(ix, ix->pkg[pkg].name))))
		return NULL;
	return d;
}

/* Index package pkg's canonical path (n bytes), where a diversion puts
 * it; flags DPKG_E_*. 0, -EFBIG or -ENOMEM. */
static int add_entry(struct dpkg_index *ix, uint32_t pkg, const char *path,
		     size_t n, unsigned int flags, uint32_t conf)
{
	const struct dpkg_div *d = diverted_away(ix, pkg, path, n);
	struct dpkg_entry *e;
	const char *at = path;

	if (d) {
		at = pool_str(ix, d->to);
		n = strlen(at);
		flags |= DPKG_E_DIVERTED;
	}
	if (ix->nent >= ix->lim.max_entries)
		return -EFBIG;
	if (array_reserve(&ix->ent, &ix->ent_cap, ix->nent + 1, sizeof(*ix->ent)) < 0)
		return -ENOMEM;
	e = &ix->ent[ix->nent++];
	e->hash = dpkg_path_hash(at, n);
	e->pkg = pkg;
	e->aux = flags | conf << 4;
	return 0;
}

/* The info file "info/STEM.SUFFIX" of a package into buf. */
static int info_path(char *buf, size_t size, const char *stem, const char *suffix)
{
	int n = snprintf(buf, size, DPKG_ADMINDIR "/info/%s.%s", stem, suffix);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
}

/*
 * Read package pkg's md5sums file (else its list file) into sb: the stem
 * its info files have (with ":arch" when it is Multi-Arch: same, else
 * without; the other tried too). 0, -ENOENT when it has neither.
 */
static int read_pkg_files(struct dpkg_index *ix, int rootfd, uint32_t pkg,
			  const char *stems[2], struct strbuf *sb)
{
	static const char *const suffix[] = { "md5sums", "list" };
	char rel[512];
	int r = -ENOENT, i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < 2; i++) {
			if (!stems[i] || info_path(rel, sizeof(rel), stems[i], suffix[k]) < 0)
				continue;
			r = read_db_file(ix, rootfd, rel, sb);
			if (r == -ENOENT)
				continue;
			if (r < 0)
				return r;
			ix->pkg[pkg].stem = pool_add(ix, stems[i], strlen(stems[i]));
			ix->pkg[pkg].sums = k == 0;
			return ix->pkg[pkg].stem == NONE ? -ENOMEM : 0;
		}
	return r;
}

/* Index the paths of package pkg's md5sums (or list) file. */
static int index_pkg_files(struct dpkg_index *ix, int rootfd, uint32_t pkg,
			   const char *stems[2])
{
	struct strbuf sb = STRBUF_INIT;
	char path[DPKG_PATH_MAX];
	struct dpkg_sum sum;
	struct dpkg_text t;
	const char *p, *end;
	int r, n;

	r = read_pkg_files(ix, rootfd, pkg, stems, &sb);
	if (r == -EFBIG || r == -ENOMEM)
		goto out;
	if (r < 0) {	/* its paths are not indexed: no package's */
		ix->st.unreadable += r != -ENOENT;
		r = 0;
		goto out;
	}
	p = sb.p;
	end = sb.p + sb.len;
	for (;;) {
		if (ix->pkg[pkg].sums)
			r = dpkg_md5sums_next(&p, end, &sum);
		else
			r = dpkg_list_next(&p, end, &sum.path);
		if (r == 0)
			break;
		t = sum.path;
		if (r < 0 || (n = canon(ix, &t, path)) < 0 || (n == 2 && path[1] == '.'))
			continue;	/* malformed; the list's "/." */
		r = add_entry(ix, pkg, path, (size_t)n, ix->pkg[pkg].sums ? 0 : DPKG_E_NOSUM, 0);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	sb_free(&sb);
	return r;
}

/* Index the conffiles of a status paragraph as package pkg's. */
static int index_conffiles(struct dpkg_index *ix, uint32_t pkg,
			   const struct dpkg_text *v)
{
	const char *p = v->p, *end = v->p + v->len;
	char path[DPKG_PATH_MAX];
	struct dpkg_conffile cf;
	struct dpkg_conf *c;
	int r, n;

	while ((r = dpkg_conffile_next(&p, end, &cf)) != 0) {
		if (r < 0 || (n = canon(ix, &cf.path, path)) < 0)
			continue;
		if (array_reserve(&ix->conf, &ix->conf_cap, ix->nconf + 1, sizeof(*ix->conf)) < 0)
			return -ENOMEM;
		c = &ix->conf[ix->nconf];
		c->path = pool_add(ix, path, (size_t)n);
		c->has_md5 = cf.has_md5;
		memcpy(c->md5, cf.md5, sizeof(c->md5));
		if (c->path == NONE)
			return -ENOMEM;
		r = add_entry(ix, pkg, path, (size_t)n,
			      DPKG_E_CONFFILE | (cf.has_md5 ? 0 : DPKG_E_NOSUM),
			      (uint32_t)ix->nconf);
		if (r < 0)
			return r;
		ix->nconf++;
	}
	return 0;
}

/* A package of a paragraph whose files are on disk; its number or NONE. */
static uint32_t add_pkg(struct dpkg_index *ix, const struct dpkg_para *pa)
{
	struct dpkg_pkg *k;

	if (ix->npkg >= NONE - 1 ||
	    array_reserve(&ix->pkg, &ix->pkg_cap, ix->npkg + 1, sizeof(*ix->pkg)) < 0)
		return NONE;
	k = &ix->pkg[ix->npkg];
	memset(k, 0, sizeof(*k));
	k->name = pool_add(ix, pa->package.p, pa->package.len);
	k->arch = pa->arch.p ? pool_add(ix, pa->arch.p, pa->arch.len) : NONE;
	k->version = pa->version.p ? pool_add(ix, pa->version.p, pa->version.len) : NONE;
	k->stem = NONE;
	if (k->name == NONE || (pa->arch.p && k->arch == NONE) ||
	    (pa->version.p && k->version == NONE))
		return NONE;
	return (uint32_t)ix->npkg++;
}

/* The info stems of a paragraph's package, the likelier first: with
 * ":arch" for Multi-Arch: same. */
static void pkg_stems(const struct dpkg_para *pa, char buf[2][300], const char *stems[2])
{
	bool same = pa->multi_arch.p && pa->multi_arch.len == 4 &&
		    !memcmp(pa->multi_arch.p, "same", 4);
	int i = same ? 1 : 0;

	snprintf(buf[0], sizeof(buf[0]), "%.*s", (int)pa->package.len, pa->package.p);
	snprintf(buf[1], sizeof(buf[1]), "%.*s:%.*s", (int)pa->package.len, pa->package.p,
		 (int)pa->arch.len, pa->arch.p ? pa->arch.p : "");
	stems[0] = buf[i];
	stems[1] = pa->arch.p ? buf[1 - i] : NULL;
	if (!pa->arch.p)
		stems[0] = buf[0];
}

/* Index every package of the status file's text [p, end). */
static int index_status(struct dpkg_index *ix, int rootfd, const char *p,
			const char *end)
{
	const char *stems[2];
	struct dpkg_para pa;
	enum dpkg_on_disk on;
	char buf[2][300];
	uint32_t pkg;
	int r;

	while (dpkg_status_next(&p, end, &pa)) {
		on = dpkg_status_on_disk(&pa.status);
		if (on == DPKG_DISK_NONE || !pa.package.p || !pa.package.len ||
		    pa.package.len > DPKG_NAME_MAX || memchr(pa.package.p, '/', pa.package.len) ||
		    (pa.version.p && pa.version.len > DPKG_VERSION_MAX) ||
		    (pa.arch.p && (pa.arch.len > DPKG_ARCH_MAX || memchr(pa.arch.p, '/', pa.arch.len))))
			continue;
		pkg = add_pkg(ix, &pa);
		if (pkg == NONE)
			return -ENOMEM;
		pkg_stems(&pa, buf, stems);
		if (on == DPKG_DISK_FILES && (r = index_pkg_files(ix, rootfd, pkg, stems)) < 0)
			return r;
		if (pa.conffiles.p && (r = index_conffiles(ix, pkg, &pa.conffiles)) < 0)
			return r;
	}
	return 0;
}

/* The bucket of a hash (its top dir_bits, of both halves folded). */
static uint32_t bucket_of(const struct dpkg_index *ix, uint64_t h)
{
	uint32_t f = (uint32_t)(h ^ (h >> 32));

	return ix->dir_bits ? f >> (32 - ix->dir_bits) : 0;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct dpkg_entry *x = a, *y = b;
	uint32_t fx = (uint32_t)(x->hash ^ (x->hash >> 32));
	uint32_t fy = (uint32_t)(y->hash ^ (y->hash >> 32));

	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->pkg < y->pkg ? -1 : x->pkg > y->pkg;
}

/* Sort the entries and build the directory of their buckets: about one
 * entry a bucket. */
static int build_dir(struct dpkg_index *ix)
{
	size_t i, nb;

	if (ix->nent)
		qsort(ix->ent, ix->nent, sizeof(*ix->ent), ent_cmp);
	ix->dir_bits = 4;
	while (ix->dir_bits < 24 && ((size_t)1 << ix->dir_bits) < ix->nent)
		ix->dir_bits++;
	nb = (size_t)1 << ix->dir_bits;
	ix->dir = calloc(nb + 1, sizeof(*ix->dir));
	if (!ix->dir)
		return -ENOMEM;
	for (i = 0; i < ix->nent; i++)
		ix->dir[bucket_of(ix, ix->ent[i].hash) + 1]++;
	for (i = 0; i < nb; i++)
		ix->dir[i + 1] += ix->dir[i];
	return 0;
}

int dpkg_index_build(int rootfd, const struct dpkg_limits *lim,
		     struct dpkg_index **out)
{
	struct dpkg_index *ix = calloc(1, sizeof(*ix));
	struct strbuf sb = STRBUF_INIT;
	uint64_t t0 = clock_usec(CLOCK_MONOTONIC);
	int r = -ENOMEM;

	*out = NULL;
	if (!ix)
		return -ENOMEM;
	ix->lim = *lim;
	ix->aliases = dpkg_aliases_detect(rootfd);
	r = read_db_file(ix, rootfd, DPKG_ADMINDIR "/status", &sb);
	if (r < 0)
		goto fail;
	r = load_diversions(ix, rootfd);
	if (r == 0)
		r = index_status(ix, rootfd, sb.p, sb.p + sb.len);
	if (r == 0)
		r = build_dir(ix);
	if (r < 0)
		goto fail;
	sb_free(&sb);
	ix->st.packages = ix->npkg;
	ix->st.entries = ix->nent;
	ix->st.memory = sizeof(*ix) + ix->pkg_cap * sizeof(*ix->pkg) + ix->pool_cap +
			ix->ent_cap * sizeof(*ix->ent) +
			(((size_t)1 << ix->dir_bits) + 1) * sizeof(*ix->dir) +
			ix->conf_cap * sizeof(*ix->conf) + ix->div_cap * sizeof(*ix->div);
	ix->st.build_usec = clock_usec(CLOCK_MONOTONIC) - t0;
	*out = ix;
	return 0;
fail:
	sb_free(&sb);
	dpkg_index_free(ix);
	return r;
}

void dpkg_index_free(struct dpkg_index *ix)
{
	if (!ix)
		return;
	free(ix->pkg);
	free(ix->pool);
	free(ix->ent);
	free(ix->dir);
	free(ix->conf);
	free(ix->div);
	free(ix);
}

void dpkg_index_stats(const struct dpkg_index *ix, struct dpkg_index_stats *out)
{
	*out = ix->st;
}

unsigned int dpkg_index_aliases(const struct dpkg_index *ix)
{
	return ix->aliases;
}

/* ---- looking up ---- */

size_t dpkg_index_find(const struct dpkg_index *ix, uint64_t hash,
		       const struct dpkg_entry **first)
{
	uint32_t b = bucket_of(ix, hash), i = ix->dir[b], end = ix->dir[b + 1], n;

	while (i < end && ix->ent[i].hash != hash)
		i++;
	for (n = 0; i + n < end && ix->ent[i + n].hash == hash; n++)
		;
	*first = n ? &ix->ent[i] : NULL;
	return n;
}

const char *dpkg_pkg_name(const struct dpkg_index *ix, uint32_t pkg)
{
	return pool_str(ix, ix->pkg[pkg].name);
}

const char *dpkg_pkg_arch(const struct dpkg_index *ix, uint32_t pkg)
{
	return pool_str(ix, ix->pkg[pkg].arch);
}

const char *dpkg_pkg_version(const struct dpkg_index *ix, uint32_t pkg)
{
	return pool_str(ix, ix->pkg[pkg].version);
}

/* The path (canonical) the package's own file list names for entry e
 * found at path: the diversion's source for a diverted entry. NULL when
 * no diversion of the package's puts a file at path. */
static const char *listed_path(const struct dpkg_index *ix, const struct dpkg_entry *e,
			       const char *path)
{
	size_t i;

	if (!(DPKG_E_FLAGS(e) & DPKG_E_DIVERTED))
		return path;
	for (i = 0; i < ix->ndiv; i++)
		if (!strcmp(pool_str(ix, ix->div[i].to), path) &&
		    diverted_away(ix, e->pkg, pool_str(ix, ix->div[i].from),
				  strlen(pool_str(ix, ix->div[i].from))) == &ix->div[i])
			return pool_str(ix, ix->div[i].from);
	return NULL;
}

int dpkg_index_expected(const struct dpkg_index *ix, int rootfd,
			const struct dpkg_entry *e, const char *path, size_t len,
			unsigned char md5[DPKG_MD5_LEN])
{
	const struct dpkg_pkg *k = &ix->pkg[e->pkg];
	const struct dpkg_conf *c;
	struct strbuf sb = STRBUF_INIT;
	char rel[512], buf[DPKG_PATH_MAX];
	const char *want, *p, *end;
	struct dpkg_sum sum;
	int r, n;

	(void)len;
	want = listed_path(ix, e, path);
	if (!want)
		return -ENOENT;
	if (DPKG_E_FLAGS(e) & DPKG_E_CONFFILE) {
		c = &ix->conf[DPKG_E_CONF(e)];
		if (strcmp(pool_str(ix, c->path), want))
			return -ENOENT;
		memcpy(md5, c->md5, DPKG_MD5_LEN);
		return c->has_md5 ? 1 : 0;
	}
	if (k->stem == NONE)
		return -ENOENT;
	r = info_path(rel, sizeof(rel), pool_str(ix, k->stem), k->sums ? "md5sums" : "list");
	if (r < 0)
		return r;
	r = read_db(rootfd, rel, ix->lim.max_bytes < DPKG_EXPECTED_MAX ? ix->lim.max_bytes :
		    DPKG_EXPECTED_MAX, &sb);
	if (r < 0)
		goto out;
	p = sb.p;
	end = sb.p + sb.len;
	r = -ENOENT;
	for (;;) {
		int got = k->sums ? dpkg_md5sums_next(&p, end, &sum) :
			  dpkg_list_next(&p, end, &sum.path);

		if (got == 0)
			break;
		if (got < 0 || (n = canon(ix, &sum.path, buf)) < 0 || strcmp(buf, want))
			continue;
		if (k->sums)
			memcpy(md5, sum.md5, DPKG_MD5_LEN);
		r = k->sums ? 1 : 0;
		break;
	}
out:
	sb_free(&sb);
	return r;
}

int dpkg_index_source(const struct dpkg_index *ix, const struct dpkg_entry *e,
		      char *buf, size_t size)
{
	const struct dpkg_pkg *k = &ix->pkg[e->pkg];
	int n;

	if (DPKG_E_FLAGS(e) & DPKG_E_CONFFILE) {
		n = snprintf(buf, size, DPKG_ADMINDIR "/status");
		return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : n;
	}
	if (k->stem == NONE)
		return -ENOENT;
	return info_path(buf, size, pool_str(ix, k->stem), k->sums ? "md5sums" : "list");
}

/* ---- changes ---- */

void dpkg_stamp_read(int rootfd, struct dpkg_stamp *s)
{
	static const char *const files[] = {
		DPKG_ADMINDIR "/status", DPKG_ADMINDIR "/diversions",
		DPKG_ADMINDIR "/info",
	};
	struct stat st;
	size_t i;
	int fd;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		fd = fsroot_open(rootfd, files[i], O_PATH, false);
		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0) {
			s->f[i].present = true;
			s->f[i].dev = st.st_dev;
			s->f[i].ino = st.st_ino;
			s->f[i].size = (uint64_t)st.st_size;
			s->f[i].mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
					   st.st_mtim.tv_nsec;
		}
		close(fd);
	}
}

bool dpkg_stamp_same(const struct dpkg_stamp *a, const struct dpkg_stamp *b)
{
	return !memcmp(a, b, sizeof(*a));
}
