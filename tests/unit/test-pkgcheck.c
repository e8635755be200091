// SPDX-License-Identifier: GPL-2.0-or-later
/* test-pkgcheck.c: EXEC_PACKAGE_VERIFIED decided on a root made here with the fixture database (tests/unit/fixtures/dpkg) and files at its paths: yes, modified, unpackaged, unknown and why, diversions, conffiles, the identity of the file at the path, the memo; an overlay's upper directory from mountinfo text (no root needed). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "dpkg/dpkg-parse.h"
#include "enrich/pkgcheck.h"
#include "check.h"

static char root[] = "/tmp/test-pkgcheck.XXXXXX";

static void put_file(const char *rel, const char *data)
{
	char p[512], dir[512], *slash;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", p);
	for (slash = strchr(dir + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		CHECK(mkdir(dir, 0755) == 0 || errno == EEXIST);
		*slash = '/';
	}
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0);
	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data));
	close(fd);
}

/* The fixture database file src put at rel. */
static void put_fixture(const char *src, const char *rel)
{
	char from[512], buf[8192];
	ssize_t n;
	int fd;

	snprintf(from, sizeof(from), "%s/tests/unit/fixtures/dpkg/%s",
		 getenv("top_srcdir") ? getenv("top_srcdir") : ".", src);
	fd = open(from, O_RDONLY);
	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 0);
	buf[n] = '\0';
	close(fd);
	put_file(rel, buf);
}

static void make_root(void)
{
	static const char *const info[] = {
		"coreutils.md5sums", "libfoo1:amd64.md5sums", "tool.md5sums",
		"diverter.md5sums", "locpkg.md5sums", "nosums.list", "purged.md5sums",
	};
	char src[256], dst[256];
	size_t i;

	CHECK(mkdtemp(root) != NULL);
	put_fixture("status", "var/lib/dpkg/status");
	put_fixture("diversions", "var/lib/dpkg/diversions");
	for (i = 0; i < ARRAY_SIZE(info); i++) {
		snprintf(src, sizeof(src), "info/%s", info[i]);
		snprintf(dst, sizeof(dst), "var/lib/dpkg/info/%s", info[i]);
		put_fixture(src, dst);
	}
	snprintf(dst, sizeof(dst), "%s/bin", root);
	CHECK(symlink("usr/bin", dst) == 0);
	/* the files, as the fixtures' checksums say (each "NAME\n") */
	put_file("usr/bin/true", "true\n");
	put_file("usr/bin/env", "not env\n");
	put_file("usr/bin/tool.real", "tool\n");
	put_file("usr/bin/tool", "the diverter's\n");
	put_file("usr/bin/nosum", "anything\n");
	put_file("usr/bin/loc.distrib", "loc\n");
	put_file("usr/bin/loc", "the administrator's\n");
	put_file("etc/cron.daily/logrotate", "logrotate\n");
	put_file("usr/local/bin/mine", "true\n");
}

/* An exec of the root's rel (its identity from stat), walked. */
static void ev_of(struct exec_event *ev, const char *rel, char *pathbuf)
{
	char p[512];
	struct stat st;

	memset(ev, 0, sizeof(*ev));
	snprintf(p, sizeof(p), "%s/%s", root, rel);
	CHECK(stat(p, &st) == 0);
	sprintf(pathbuf, "/%s", rel);
	ev->file_is_exe = true;
	ev->exe_id_known = true;
	ev->exe_id = (struct exec_file_id){
		.dev = st.st_dev, .ino = st.st_ino, .size = (uint64_t)st.st_size,
		.mtime_sec = st.st_mtim.tv_sec, .mtime_nsec = (uint32_t)st.st_mtim.tv_nsec,
		.ctime_sec = st.st_ctim.tv_sec, .ctime_nsec = (uint32_t)st.st_ctim.tv_nsec,
	};
	ev->path[EXEC_PATH_EXE] = (struct exec_path){ .s = pathbuf, .len = strlen(pathbuf),
						      .walked = true };
	ev->path[EXEC_PATH_FILE] = ev->path[EXEC_PATH_EXE];
}

struct result {
	const char *verdict, *reason, *pkg, *version;
	bool md5_wanted, conffile;
};

/* The verdict on an exec of rel whose content has the MD5 md5hex (NULL:
 * not read), with memo (may be NULL). */
static struct result judge(struct pkgcheck *pc, struct exec_event *ev,
			   const char *md5hex, struct pkg_memo *memo)
{
	struct pkg_digest d = { .memo = memo };
	struct pkg_subject s;
	struct result r;

	r.md5_wanted = pkgcheck_begin(pc, ev, &s);
	if (md5hex)
		d.md5_ok = dpkg_md5_parse(md5hex, 32, d.md5);
	else
		d.md5_why = "timeout";
	pkgcheck_end(pc, ev, &s, &d);
	r.verdict = ev->pkg_verified ? ev->pkg_verified : "(none)";
	r.reason = ev->pkg_unknown ? ev->pkg_unknown : "-";
	r.pkg = ev->pkg_name[0] ? ev->pkg_name : "-";
	r.version = ev->pkg_version[0] ? ev->pkg_version : "-";
	r.conffile = ev->pkg_conffile;
	return r;
}

#define MD5_TRUE	"74d9a83219cabaab06a69fd318873f33"
#define MD5_TOOL	"7cfb3b1aedd632d8ae7cc974271f3652"
#define MD5_LOC		"35e8fdf1750ca9b739c2e29aa323a386"
#define MD5_LOGROTATE	"cd2361784dd16abbdbea86ee2d155df5"
#define MD5_OTHER	"00112233445566778899aabbccddeeff"

static void test_host(void)
{
	struct pkgcheck *pc = NULL;
	struct pkg_memo memo = { 0 };
	struct exec_event ev;
	struct result r;
	char path[512], other[512];

	CHECK_INT(pkgcheck_new(&pc, root), 0);

	/* the package's file, as dpkg recorded it: merged /usr resolved */
	ev_of(&ev, "usr/bin/true", path);
	r = judge(pc, &ev, MD5_TRUE, &memo);
	CHECK(r.md5_wanted);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "coreutils");
	CHECK_STR(r.version, "9.1-1");
	CHECK_STR(ev.pkg_arch, "amd64");
	CHECK_STR(r.reason, "-");
	/* the memo answers the next exec of that version at that path */
	r = judge(pc, &ev, NULL, &memo);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "coreutils");
	/* another MD5: modified */
	memset(&memo, 0, sizeof(memo));
	r = judge(pc, &ev, MD5_OTHER, &memo);
	CHECK_STR(r.verdict, "modified");
	CHECK_STR(r.pkg, "coreutils");
	/* the MD5 could not be read: unknown, why, and whose */
	memset(&memo, 0, sizeof(memo));
	r = judge(pc, &ev, NULL, &memo);
	CHECK_STR(r.verdict, "unknown");
	CHECK_STR(r.reason, "timeout");
	CHECK_STR(r.pkg, "coreutils");
	CHECK(memo.gen == 0);	/* not remembered */

	/* another file than the one at the path ran (a mount namespace of
	 * its own, a rename): not the package's */
	ev_of(&ev, "usr/local/bin/mine", other);
	memcpy(path, "/usr/bin/true", 14);
	ev.path[EXEC_PATH_EXE] = (struct exec_path){ .s = path, .len = 13, .walked = true };
	r = judge(pc, &ev, MD5_TRUE, NULL);
	CHECK_STR(r.verdict, "unpackaged");
	CHECK_STR(r.pkg, "-");

	/* no package owns the path: no MD5 needed */
	ev_of(&ev, "usr/local/bin/mine", path);
	r = judge(pc, &ev, NULL, NULL);
	CHECK(!r.md5_wanted);
	CHECK_STR(r.verdict, "unpackaged");

	/* diversions: the package's file where dpkg put it; the path
	 * diverted from is the diverter's (who ships nothing there) */
	ev_of(&ev, "usr/bin/tool.real", path);
	r = judge(pc, &ev, MD5_TOOL, NULL);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "tool");
	ev_of(&ev, "usr/bin/tool", path);
	r = judge(pc, &ev, MD5_TOOL, NULL);
	CHECK_STR(r.verdict, "unpackaged");
	ev_of(&ev, "usr/bin/loc.distrib", path);
	r = judge(pc, &ev, MD5_LOC, NULL);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "locpkg");
	ev_of(&ev, "usr/bin/loc", path);
	r = judge(pc, &ev, MD5_LOC, NULL);
	CHECK_STR(r.verdict, "unpackaged");

	/* owned, no checksum recorded */
	ev_of(&ev, "usr/bin/nosum", path);
	r = judge(pc, &ev, MD5_OTHER, NULL);
	CHECK_STR(r.verdict, "unknown");
	CHECK_STR(r.reason, "no-checksum");
	CHECK_STR(r.pkg, "nosums");

	/* a conffile, checked against the status file's MD5 */
	ev_of(&ev, "etc/cron.daily/logrotate", path);
	r = judge(pc, &ev, MD5_LOGROTATE, NULL);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "cron");
	CHECK(r.conffile);
	r = judge(pc, &ev, MD5_OTHER, NULL);
	CHECK_STR(r.verdict, "modified");
	CHECK(r.conffile);

	/* paths that are no package's file: unlinked (or a memfd), outside
	 * the root; one the kernel did not walk says nothing */
	ev_of(&ev, "usr/bin/true", path);
	ev.path[EXEC_PATH_EXE].deleted = true;
	r = judge(pc, &ev, MD5_TRUE, NULL);
	CHECK(!r.md5_wanted);
	CHECK_STR(r.verdict, "unpackaged");
	ev_of(&ev, "usr/bin/true", path);
	ev.path[EXEC_PATH_EXE].unreachable = true;
	CHECK_STR(judge(pc, &ev, MD5_TRUE, NULL).verdict, "unpackaged");
	ev_of(&ev, "usr/bin/true", path);
	ev.path[EXEC_PATH_EXE].walked = false;
	r = judge(pc, &ev, MD5_TRUE, NULL);
	CHECK_STR(r.verdict, "unknown");
	CHECK_STR(r.reason, "no-path");

	/* a script: its own file is judged (EXEC_FILE), not the interpreter */
	ev_of(&ev, "usr/bin/true", path);
	ev.file_is_exe = false;
	ev.file_id_known = true;
	ev.file_id = ev.exe_id;
	ev.path[EXEC_PATH_EXE] = (struct exec_path){ .s = "/usr/bin/sh", .len = 11, .walked = true };
	r = judge(pc, &ev, MD5_TRUE, NULL);
	CHECK_STR(r.verdict, "yes");
	CHECK_STR(r.pkg, "coreutils");

	/* a container: its own root, which here is no overlay (its database
	 * is all its own to write); one without a root */
	{
		struct container ct = { 0 };

		snprintf(ct.rootfs, sizeof(ct.rootfs), "%s", root);
		ev_of(&ev, "usr/bin/true", path);
		ev.container = &ct;
		r = judge(pc, &ev, MD5_TRUE, NULL);
		CHECK_STR(r.verdict, "unknown");
		CHECK_STR(r.reason, "container-database-writable");
		CHECK_STR(r.pkg, "coreutils");
		ev_of(&ev, "usr/local/bin/mine", path);
		ev.container = &ct;
		CHECK_STR(judge(pc, &ev, MD5_TRUE, NULL).verdict, "unpackaged");
		ct.rootfs[0] = '\0';
		r = judge(pc, &ev, MD5_TRUE, NULL);
		CHECK_STR(r.reason, "container-root-unknown");
	}
	pkgcheck_free(pc);

	/* a root without a database */
	snprintf(other, sizeof(other), "%s/usr", root);
	CHECK_INT(pkgcheck_new(&pc, other), 0);
	ev_of(&ev, "usr/bin/true", path);
	r = judge(pc, &ev, MD5_TRUE, NULL);
	CHECK_STR(r.verdict, "unknown");
	CHECK_STR(r.reason, "no-database");
	pkgcheck_free(pc);
}

static void test_mountinfo(void)
{
	char text[2048], out[256];

	snprintf(text, sizeof(text),
		 "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
		 "338 326 0:61 / /var/lib/c/overlay/ab/merged rw,relatime - overlay overlay "
		 "rw,lowerdir=/var/lib/c/overlay/l/X,upperdir=/var/lib/c/overlay/ab/diff,workdir=/w\n"
		 "339 326 0:62 / /srv/with\\040space rw - overlay overlay rw,lowerdir=l/A:l/B,upperdir=ab\\054c/diff,workdir=w\n"
		 "340 326 0:63 / /mnt/tmp rw - tmpfs tmpfs rw\n"
		 "341 326 0:64 / /mnt/ro rw - overlay overlay ro,lowerdir=/a:/b\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/var/lib/c/overlay/ab/merged", out, sizeof(out)), 0);
	CHECK_STR(out, "/var/lib/c/overlay/ab/diff");
	snprintf(text, sizeof(text),
		 "339 326 0:62 / /s/o/x/merged rw - overlay overlay rw,lowerdir=l/A:l/B,upperdir=ab\\054c/diff,workdir=w\n"
		 "340 326 0:63 / /mnt/tmp rw - tmpfs tmpfs rw\n"
		 "341 326 0:64 / /mnt/ro rw - overlay overlay ro,lowerdir=/a:/b\n"
		 "342 326 0:65 / /mnt/two rw - overlay overlay rw,upperdir=/first\n"
		 "343 342 0:66 / /mnt/two rw - tmpfs tmpfs rw\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/s/o/x/merged", out, sizeof(out)), 0);
	CHECK_STR(out, "/s/o/ab,c/diff");	/* relative, escaped */
	snprintf(text, sizeof(text), "340 326 0:63 / /mnt/tmp rw - tmpfs tmpfs rw\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/mnt/tmp", out, sizeof(out)), -ENOENT);
	snprintf(text, sizeof(text), "341 326 0:64 / /mnt/ro rw - overlay overlay ro,lowerdir=/a:/b\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/mnt/ro", out, sizeof(out)), -ENOENT);
	/* the last mount at a place counts (a tmpfs over the overlay) */
	snprintf(text, sizeof(text),
		 "342 326 0:65 / /mnt/two rw - overlay overlay rw,upperdir=/first\n"
		 "343 342 0:66 / /mnt/two rw - tmpfs tmpfs rw\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/mnt/two", out, sizeof(out)), -ENOENT);
	snprintf(text, sizeof(text),
		 "339 326 0:62 / /srv/with\\040space rw - overlay overlay rw,upperdir=/u\\040d\n");
	CHECK_INT(pkgcheck_overlay_upper(text, "/srv/with space", out, sizeof(out)), 0);
	CHECK_STR(out, "/u d");
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
	make_root();
	test_host();
	test_mountinfo();
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
