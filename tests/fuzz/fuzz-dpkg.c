// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-dpkg.c: libFuzzer target: dpkg's database parsers (status and conffiles, md5sums, list, diversions, canonical paths) on any bytes, and the index built from them as a database under a root. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpkg/dpkg-index.h"
#include "dpkg/dpkg-parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-dpkg.c:%d: invariant broken: %s\n", line, what);
	abort();
}

static const char *buf_start, *buf_end;

/* A text a parser returned lies within the input. */
static void inside(const struct dpkg_text *t)
{
	if (!t->p)
		return;
	CHECK(t->p >= buf_start && t->p + t->len <= buf_end);
}

/* The canonical form of a path: absolute, NUL-free, within its size,
 * and canonical again as it is. */
static void canon_ok(const struct dpkg_text *t)
{
	char out[DPKG_PATH_MAX], again[DPKG_PATH_MAX];
	unsigned int aliases = DPKG_ALIAS_BIN | DPKG_ALIAS_LIB | DPKG_ALIAS_SBIN;
	int n = dpkg_canon(aliases, t->p, t->len, out, sizeof(out));

	CHECK(n == -EINVAL || n == -ENAMETOOLONG || n > 0);
	if (n <= 0)
		return;
	CHECK((size_t)n == strlen(out) && out[0] == '/');
	CHECK(dpkg_canon(aliases, out, (size_t)n, again, sizeof(again)) == n);
	CHECK(!strcmp(out, again));
}

static void parse_all(const char *p0, const char *end)
{
	const char *p = p0, *prev, *cp, *ce;
	struct dpkg_conffile cf;
	struct dpkg_diversion d;
	struct dpkg_para pa;
	struct dpkg_sum sum;
	struct dpkg_text t;
	int r;

	while ((prev = p, r = dpkg_status_next(&p, end, &pa)) == 1) {
		CHECK(p > prev && p <= end);
		inside(&pa.package);
		inside(&pa.version);
		inside(&pa.status);
		inside(&pa.conffiles);
		(void)dpkg_status_on_disk(&pa.status);
		cp = pa.conffiles.p;
		ce = cp ? cp + pa.conffiles.len : NULL;
		while (cp && (r = dpkg_conffile_next(&cp, ce, &cf)) != 0) {
			inside(&cf.path);
			if (r == 1)
				canon_ok(&cf.path);
		}
	}
	for (p = p0; (prev = p, r = dpkg_md5sums_next(&p, end, &sum)) != 0;) {
		CHECK(p > prev);
		inside(&sum.path);
		if (r == 1)
			canon_ok(&sum.path);
	}
	for (p = p0; (prev = p, r = dpkg_list_next(&p, end, &t)) != 0;) {
		CHECK(p > prev);
		inside(&t);
		canon_ok(&t);
	}
	for (p = p0; (prev = p, r = dpkg_diversion_next(&p, end, &d)) != 0;) {
		CHECK(p > prev || r < 0);
		inside(&d.from);
		inside(&d.to);
		inside(&d.by);
		if (p == prev)
			break;
	}
}

static char root[] = "/tmp/fuzz-dpkg.XXXXXX";
static int rootfd = -1;

static void put(const char *rel, const uint8_t *data, size_t size)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, data, size) == (ssize_t)size);
	close(fd);
}

/* The input as every file of a database: its status, its diversions, the
 * md5sums of packages "a" and "b" and the list of "c"; the index built,
 * each md5sums path looked up and its record read back. */
static void index_all(const uint8_t *data, size_t size)
{
	const struct dpkg_limits lim = { .max_bytes = 1U << 22, .max_entries = 1U << 16 };
	const char *p = (const char *)data, *end = p + size;
	unsigned char md5[DPKG_MD5_LEN];
	struct dpkg_index_stats st;
	struct dpkg_index *ix = NULL;
	const struct dpkg_entry *e;
	struct dpkg_sum sum;
	char path[DPKG_PATH_MAX];
	size_t n, i;
	int r;

	put("var/lib/dpkg/status", data, size);
	put("var/lib/dpkg/diversions", data, size);
	put("var/lib/dpkg/info/a.md5sums", data, size);
	put("var/lib/dpkg/info/b:amd64.md5sums", data, size);
	put("var/lib/dpkg/info/c.list", data, size);
	r = dpkg_index_build(rootfd, &lim, &ix);
	CHECK(r == 0 || r == -EFBIG || r == -ENOMEM);
	if (r)
		return;
	dpkg_index_stats(ix, &st);
	CHECK(st.entries <= lim.max_entries && st.bytes_read <= lim.max_bytes);
	while ((r = dpkg_md5sums_next(&p, end, &sum)) != 0) {
		if (r < 0 || dpkg_canon(dpkg_index_aliases(ix), sum.path.p, sum.path.len,
					path, sizeof(path)) <= 0)
			continue;
		n = dpkg_index_find(ix, dpkg_path_hash(path, strlen(path)), &e);
		for (i = 0; i < n; i++) {
			CHECK(dpkg_pkg_name(ix, e[i].pkg)[0]);
			r = dpkg_index_expected(ix, rootfd, &e[i], path, strlen(path), md5);
			CHECK(r == 1 || r == 0 || r == -ENOENT || r == -EFBIG || r == -ENOMEM);
		}
	}
	dpkg_index_free(ix);
}

/* The database's files and directories go when the fuzzer exits. */
static void remove_root(void)
{
	static const char *const rel[] = {
		"var/lib/dpkg/status", "var/lib/dpkg/diversions",
		"var/lib/dpkg/info/a.md5sums", "var/lib/dpkg/info/b:amd64.md5sums",
		"var/lib/dpkg/info/c.list", "var/lib/dpkg/info", "var/lib/dpkg",
		"var/lib", "var", "",
	};
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, rel[i]);
		remove(path);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (rootfd < 0) {
		char p[256];

		CHECK(mkdtemp(root));
		snprintf(p, sizeof(p), "%s/var", root);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/var/lib", root);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/var/lib/dpkg", root);
		mkdir(p, 0755);
		snprintf(p, sizeof(p), "%s/var/lib/dpkg/info", root);
		mkdir(p, 0755);
		rootfd = open(root, O_PATH | O_DIRECTORY);
		CHECK(rootfd >= 0);
		atexit(remove_root);
	}
	/* An exact-size copy without a terminator: reads past it are caught. */
	text = malloc(size ? size : 1);
	CHECK(text);
	memcpy(text, data, size);
	buf_start = text;
	buf_end = text + size;
	parse_all(text, text + size);
	free(text);
	index_all(data, size);
	return 0;
}
