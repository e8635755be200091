// SPDX-License-Identifier: GPL-2.0-or-later
/* test-dpkg.c: dpkg's database files parsed (status, conffiles, md5sums, list, diversions), merged /usr paths, and the index built from the fixture database (tests/unit/fixtures/dpkg) under a root made here. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "dpkg/dpkg-index.h"
#include "dpkg/dpkg-parse.h"
#include "check.h"

static char root[] = "/tmp/test-dpkg.XXXXXX";
static const struct dpkg_limits big = { .max_bytes = 1U << 30, .max_entries = 1U << 20 };

static bool text_eq(struct dpkg_text t, const char *s)
{
	return t.p && t.len == strlen(s) && !memcmp(t.p, s, t.len);
}

static void test_canon(void)
{
	unsigned int merged = DPKG_ALIAS_BIN | DPKG_ALIAS_SBIN | DPKG_ALIAS_LIB;
	char out[64];

	CHECK_INT(dpkg_canon(merged, "bin/true", 8, out, sizeof(out)), 13);
	CHECK_STR(out, "/usr/bin/true");
	dpkg_canon(merged, "/bin/true", 9, out, sizeof(out));
	CHECK_STR(out, "/usr/bin/true");
	dpkg_canon(merged, "./sbin/init", 11, out, sizeof(out));
	CHECK_STR(out, "/usr/sbin/init");
	dpkg_canon(merged, "/usr/bin/true", 13, out, sizeof(out));
	CHECK_STR(out, "/usr/bin/true");
	/* only the top directory, and only a merged one */
	dpkg_canon(merged, "/binary/x", 9, out, sizeof(out));
	CHECK_STR(out, "/binary/x");
	dpkg_canon(merged, "/lib64/ld.so", 12, out, sizeof(out));
	CHECK_STR(out, "/lib64/ld.so");
	dpkg_canon(merged, "/bin", 4, out, sizeof(out));
	CHECK_STR(out, "/usr/bin");
	dpkg_canon(0, "/bin/true", 9, out, sizeof(out));
	CHECK_STR(out, "/bin/true");
	dpkg_canon(merged, "/etc/x/", 7, out, sizeof(out));
	CHECK_STR(out, "/etc/x");
	CHECK_INT(dpkg_canon(merged, "", 0, out, sizeof(out)), -EINVAL);
	CHECK_INT(dpkg_canon(merged, "/", 1, out, sizeof(out)), -EINVAL);
	CHECK_INT(dpkg_canon(merged, "a\0b", 3, out, sizeof(out)), -EINVAL);
	CHECK_INT(dpkg_canon(merged, "bin/a-rather-long-name", 22, out, 20), -ENAMETOOLONG);
}

static void test_md5sums(void)
{
	static const char txt[] =
		"74d9a83219cabaab06a69fd318873f33  bin/true\n"
		"74D9A83219CABAAB06A69FD318873F33 *usr/bin/with space\r\n"
		"\n"
		"zz  bad\n"
		"74d9a83219cabaab06a69fd318873f3  short\n"
		"74d9a83219cabaab06a69fd318873f33  \n"
		"e4af4ca18c4651b5d703649e8b623395  usr/bin/env";
	const char *p = txt, *end = txt + sizeof(txt) - 1;
	struct dpkg_sum s;

	CHECK_INT(dpkg_md5sums_next(&p, end, &s), 1);
	CHECK(text_eq(s.path, "bin/true"));
	CHECK(s.md5[0] == 0x74 && s.md5[15] == 0x33);
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), 1);
	CHECK(text_eq(s.path, "usr/bin/with space"));
	CHECK(s.md5[0] == 0x74 && s.md5[1] == 0xd9);
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), -EINVAL);	/* zz */
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), -EINVAL);	/* 31 digits */
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), -EINVAL);	/* no path */
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), 1);
	CHECK(text_eq(s.path, "usr/bin/env"));
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), 0);
	CHECK_INT(dpkg_md5sums_next(&p, end, &s), 0);
}

static void test_list_diversions(void)
{
	static const char list[] = "/.\n\n/usr/bin\n/usr/bin/x";
	static const char div[] = "/a\n/a.real\npkg\n/b\n/b.distrib\n:\n/c\n/c.x\n";
	const char *p = list, *end = list + sizeof(list) - 1;
	struct dpkg_diversion d;
	struct dpkg_text t;

	CHECK_INT(dpkg_list_next(&p, end, &t), 1);
	CHECK(text_eq(t, "/."));
	CHECK_INT(dpkg_list_next(&p, end, &t), 1);
	CHECK(text_eq(t, "/usr/bin"));
	CHECK_INT(dpkg_list_next(&p, end, &t), 1);
	CHECK(text_eq(t, "/usr/bin/x"));
	CHECK_INT(dpkg_list_next(&p, end, &t), 0);

	p = div;
	end = div + sizeof(div) - 1;
	CHECK_INT(dpkg_diversion_next(&p, end, &d), 1);
	CHECK(text_eq(d.from, "/a") && text_eq(d.to, "/a.real") && text_eq(d.by, "pkg"));
	CHECK_INT(dpkg_diversion_next(&p, end, &d), 1);
	CHECK(text_eq(d.by, ":"));
	CHECK_INT(dpkg_diversion_next(&p, end, &d), -EINVAL);	/* cut short */
	CHECK_INT(dpkg_diversion_next(&p, end, &d), 0);
}

static void test_status(void)
{
	static const char txt[] =
		"\n\nPackage: a\nStatus: install ok installed\nVersion: 1:2.3-4\n"
		"Description: x\n more\n .\n last\nArchitecture: amd64\n"
		"Conffiles:\n /etc/a.conf 0123456789abcdef0123456789abcdef\n"
		" /etc/with space.conf 0123456789abcdef0123456789abcdef obsolete\n"
		" /etc/new newconffile\n"
		"\n"
		"PACKAGE: b\nSTATUS: deinstall ok config-files\n\n"
		"Package: c\nStatus: purge ok not-installed\n";
	const char *p = txt, *end = txt + sizeof(txt) - 1, *cp, *ce;
	struct dpkg_conffile cf;
	struct dpkg_para pa;

	CHECK_INT(dpkg_status_next(&p, end, &pa), 1);
	CHECK(text_eq(pa.package, "a"));
	CHECK(text_eq(pa.version, "1:2.3-4"));
	CHECK(text_eq(pa.arch, "amd64"));
	CHECK(pa.multi_arch.p == NULL);
	CHECK_INT(dpkg_status_on_disk(&pa.status), DPKG_DISK_FILES);
	cp = pa.conffiles.p;
	ce = cp + pa.conffiles.len;
	CHECK_INT(dpkg_conffile_next(&cp, ce, &cf), 1);
	CHECK(text_eq(cf.path, "/etc/a.conf") && cf.has_md5 && !cf.obsolete);
	CHECK(cf.md5[0] == 0x01 && cf.md5[15] == 0xef);
	CHECK_INT(dpkg_conffile_next(&cp, ce, &cf), 1);
	CHECK(text_eq(cf.path, "/etc/with space.conf") && cf.has_md5 && cf.obsolete);
	CHECK_INT(dpkg_conffile_next(&cp, ce, &cf), 1);
	CHECK(text_eq(cf.path, "/etc/new") && !cf.has_md5);
	CHECK_INT(dpkg_conffile_next(&cp, ce, &cf), 0);
	CHECK_INT(dpkg_status_next(&p, end, &pa), 1);
	CHECK(text_eq(pa.package, "b"));
	CHECK_INT(dpkg_status_on_disk(&pa.status), DPKG_DISK_CONFFILES);
	CHECK(pa.conffiles.p == NULL);
	CHECK_INT(dpkg_status_next(&p, end, &pa), 1);
	CHECK_INT(dpkg_status_on_disk(&pa.status), DPKG_DISK_NONE);
	CHECK_INT(dpkg_status_next(&p, end, &pa), 0);
}

/* Copy the fixture file src into the root at rel. */
static void copy_in(const char *src, const char *rel)
{
	char from[512], to[512], buf[4096];
	int in, out;
	ssize_t n;

	snprintf(from, sizeof(from), "%s/tests/unit/fixtures/dpkg/%s",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".", src);
	snprintf(to, sizeof(to), "%s/%s", root, rel);
	in = open(from, O_RDONLY);
	CHECK(in >= 0);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(out >= 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, (size_t)n) == n);
	close(in);
	close(out);
}

static void mkdir_in(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	CHECK(mkdir(p, 0755) == 0 || errno == EEXIST);
}

/* The fixture database under root, /bin, /sbin and /lib merged. */
static void make_root(void)
{
	static const char *const info[] = {
		"coreutils.md5sums", "libfoo1:amd64.md5sums", "tool.md5sums",
		"diverter.md5sums", "locpkg.md5sums", "nosums.list", "purged.md5sums",
	};
	char src[256], dst[256];
	size_t i;

	CHECK(mkdtemp(root) != NULL);
	mkdir_in("var");
	mkdir_in("var/lib");
	mkdir_in("var/lib/dpkg");
	mkdir_in("var/lib/dpkg/info");
	copy_in("status", "var/lib/dpkg/status");
	copy_in("diversions", "var/lib/dpkg/diversions");
	for (i = 0; i < ARRAY_SIZE(info); i++) {
		snprintf(src, sizeof(src), "info/%s", info[i]);
		snprintf(dst, sizeof(dst), "var/lib/dpkg/info/%s", info[i]);
		copy_in(src, dst);
	}
	snprintf(dst, sizeof(dst), "%s/bin", root);
	CHECK(symlink("usr/bin", dst) == 0);
	snprintf(dst, sizeof(dst), "%s/sbin", root);
	CHECK(symlink("/usr/sbin", dst) == 0);
	snprintf(dst, sizeof(dst), "%s/lib", root);
	CHECK(symlink("usr/lib", dst) == 0);
	snprintf(dst, sizeof(dst), "%s/lib64", root);
	CHECK(symlink("usr/lib/x86_64-linux-gnu", dst) == 0);	/* not an alias */
}

/* The owners of path: their number, the first in *e. */
static size_t owners(const struct dpkg_index *ix, const char *path,
		     const struct dpkg_entry **e)
{
	return dpkg_index_find(ix, dpkg_path_hash(path, strlen(path)), e);
}

/* The one owner of path, its name; and the MD5 its database has for it
 * (the return of dpkg_index_expected() in *got). */
static const char *owner(const struct dpkg_index *ix, int rootfd, const char *path,
			 unsigned char md5[DPKG_MD5_LEN], int *got, unsigned int *flags)
{
	const struct dpkg_entry *e;

	CHECK_INT(owners(ix, path, &e), 1);
	*got = dpkg_index_expected(ix, rootfd, e, path, strlen(path), md5);
	*flags = DPKG_E_FLAGS(e);
	return dpkg_pkg_name(ix, e->pkg);
}

static void test_index(void)
{
	unsigned char md5[DPKG_MD5_LEN], want[DPKG_MD5_LEN];
	struct dpkg_index_stats st;
	const struct dpkg_entry *e;
	struct dpkg_index *ix = NULL;
	struct dpkg_stamp s1, s2;
	unsigned int flags;
	char src[256], path[512];
	int rootfd, got;

	make_root();
	rootfd = open(root, O_PATH | O_DIRECTORY);
	CHECK(rootfd >= 0);
	CHECK_INT(dpkg_aliases_detect(rootfd), DPKG_ALIAS_BIN | DPKG_ALIAS_SBIN | DPKG_ALIAS_LIB);
	CHECK_INT(dpkg_index_build(rootfd, &big, &ix), 0);
	dpkg_index_stats(ix, &st);
	/* coreutils libfoo1 tool diverter locpkg nosums cron removed; not
	 * purged (not installed), not "../escape" */
	CHECK_INT(st.packages, 8);
	/* 2 + 1 + 1 + 1 + 1 + 3 (list, "/." left out) + 4 + 1 */
	CHECK_INT(st.entries, 14);
	CHECK_INT(st.unreadable, 0);
	CHECK(st.memory > 0);

	/* merged /usr: dpkg's bin/true is /usr/bin/true, the path the kernel walks */
	CHECK_STR(owner(ix, rootfd, "/usr/bin/true", md5, &got, &flags), "coreutils");
	CHECK_INT(got, 1);
	CHECK(dpkg_md5_parse("74d9a83219cabaab06a69fd318873f33", 32, want));
	CHECK(!memcmp(md5, want, DPKG_MD5_LEN));
	owners(ix, "/usr/bin/true", &e);
	CHECK_STR(dpkg_pkg_version(ix, e->pkg), "9.1-1");
	CHECK_STR(dpkg_pkg_arch(ix, e->pkg), "amd64");
	CHECK_INT(owners(ix, "/bin/true", &e), 0);
	CHECK_STR(owner(ix, rootfd, "/usr/bin/env", md5, &got, &flags), "coreutils");
	CHECK_INT(got, 1);
	CHECK_INT(owners(ix, "/usr/bin/broken", &e), 0);	/* a malformed line */
	CHECK_INT(owners(ix, "/usr/bin/purged", &e), 0);	/* not installed */

	/* Multi-Arch: same, its info files named name:arch */
	CHECK_STR(owner(ix, rootfd, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", md5, &got, &flags),
		  "libfoo1");
	CHECK_INT(got, 1);
	owners(ix, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", &e);
	CHECK(dpkg_index_source(ix, e, path, sizeof(path)) > 0);
	CHECK_STR(path, "var/lib/dpkg/info/libfoo1:amd64.md5sums");
	CHECK_STR(dpkg_pkg_version(ix, e->pkg), "2.0-3");

	/* diverted by another package: tool's /usr/bin/tool is at .real; the
	 * path itself is the diverter's, which ships nothing there */
	CHECK_STR(owner(ix, rootfd, "/usr/bin/tool.real", md5, &got, &flags), "tool");
	CHECK_INT(got, 1);
	CHECK(flags & DPKG_E_DIVERTED);
	CHECK(dpkg_md5_parse("7cfb3b1aedd632d8ae7cc974271f3652", 32, want));
	CHECK(!memcmp(md5, want, DPKG_MD5_LEN));
	CHECK_INT(owners(ix, "/usr/bin/tool", &e), 0);
	/* a local diversion written with the /bin alias */
	CHECK_STR(owner(ix, rootfd, "/usr/bin/loc.distrib", md5, &got, &flags), "locpkg");
	CHECK_INT(got, 1);
	CHECK_INT(owners(ix, "/usr/bin/loc", &e), 0);

	/* a package with a list and no md5sums: owned, no checksum */
	CHECK_STR(owner(ix, rootfd, "/usr/bin/nosum", md5, &got, &flags), "nosums");
	CHECK_INT(got, 0);
	CHECK(flags & DPKG_E_NOSUM);
	owners(ix, "/usr/bin/nosum", &e);
	dpkg_index_source(ix, e, path, sizeof(path));
	CHECK_STR(path, "var/lib/dpkg/info/nosums.list");

	/* conffiles: their MD5 from the status file */
	CHECK_STR(owner(ix, rootfd, "/etc/cron.daily/logrotate", md5, &got, &flags), "cron");
	CHECK_INT(got, 1);
	CHECK(flags & DPKG_E_CONFFILE);
	CHECK(dpkg_md5_parse("cd2361784dd16abbdbea86ee2d155df5", 32, want));
	CHECK(!memcmp(md5, want, DPKG_MD5_LEN));
	owners(ix, "/etc/cron.daily/logrotate", &e);
	dpkg_index_source(ix, e, path, sizeof(path));
	CHECK_STR(path, "var/lib/dpkg/status");
	CHECK_STR(owner(ix, rootfd, "/etc/init.d/cron", md5, &got, &flags), "cron");
	CHECK_INT(got, 0);	/* newconffile */
	CHECK_STR(owner(ix, rootfd, "/etc/cron.d/old", md5, &got, &flags), "cron");
	CHECK_INT(got, 1);	/* obsolete: still the package's */
	CHECK_STR(owner(ix, rootfd, "/etc/removed.conf", md5, &got, &flags), "removed");
	CHECK_INT(got, 1);

	/* the md5sums file changed since the build: the path is gone from
	 * it (-ENOENT, not a stale checksum) */
	snprintf(src, sizeof(src), "%s/var/lib/dpkg/info/coreutils.md5sums", root);
	owners(ix, "/usr/bin/env", &e);
	CHECK(truncate(src, 0) == 0);
	CHECK_INT(dpkg_index_expected(ix, rootfd, e, "/usr/bin/env", 12, md5), -ENOENT);
	/* an entry asked for another path of the same hash: not the package's */
	CHECK_INT(dpkg_index_expected(ix, rootfd, e, "/usr/bin/other", 14, md5), -ENOENT);

	/* the stamp follows the status file */
	dpkg_stamp_read(rootfd, &s1);
	CHECK(s1.f[0].present && s1.f[1].present && s1.f[2].present);
	dpkg_stamp_read(rootfd, &s2);
	CHECK(dpkg_stamp_same(&s1, &s2));
	snprintf(src, sizeof(src), "%s/var/lib/dpkg/status", root);
	copy_in("status", "var/lib/dpkg/status.new");
	snprintf(path, sizeof(path), "%s/var/lib/dpkg/status.new", root);
	CHECK(rename(path, src) == 0);
	dpkg_stamp_read(rootfd, &s2);
	CHECK(!dpkg_stamp_same(&s1, &s2));
	dpkg_index_free(ix);

	/* limits: bytes and entries */
	{
		struct dpkg_limits few = { .max_bytes = 1U << 20, .max_entries = 3 };
		struct dpkg_limits small = { .max_bytes = 100, .max_entries = 1000 };

		CHECK_INT(dpkg_index_build(rootfd, &few, &ix), -EFBIG);
		CHECK(ix == NULL);
		CHECK_INT(dpkg_index_build(rootfd, &small, &ix), -EFBIG);
	}
	/* no database */
	CHECK(unlink(src) == 0);
	CHECK_INT(dpkg_index_build(rootfd, &big, &ix), -ENOENT);
	close(rootfd);
}

/* A root whose /bin is a directory of its own: no alias, /bin/true
 * stays itself. */
static void test_unmerged(void)
{
	char path[512];
	struct dpkg_index *ix = NULL;
	const struct dpkg_entry *e;
	int rootfd;

	snprintf(path, sizeof(path), "%s/bin", root);
	CHECK(unlink(path) == 0 && mkdir(path, 0755) == 0);
	copy_in("status", "var/lib/dpkg/status");
	rootfd = open(root, O_PATH | O_DIRECTORY);
	CHECK(rootfd >= 0);
	CHECK_INT(dpkg_index_build(rootfd, &big, &ix), 0);
	CHECK_INT(dpkg_index_aliases(ix), DPKG_ALIAS_SBIN | DPKG_ALIAS_LIB);
	/* (coreutils.md5sums was emptied above) */
	copy_in("info/coreutils.md5sums", "var/lib/dpkg/info/coreutils.md5sums");
	dpkg_index_free(ix);
	CHECK_INT(dpkg_index_build(rootfd, &big, &ix), 0);
	CHECK_INT(owners(ix, "/bin/true", &e), 1);
	CHECK_INT(owners(ix, "/usr/bin/true", &e), 0);
	/* the local diversion's /bin/loc is no alias either now */
	CHECK_INT(owners(ix, "/usr/bin/loc", &e), 1);
	dpkg_index_free(ix);
	close(rootfd);
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(p);
}

int main(void)
{
	test_canon();
	test_md5sums();
	test_list_diversions();
	test_status();
	test_index();
	test_unmerged();
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
