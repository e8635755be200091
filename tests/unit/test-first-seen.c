// SPDX-License-Identifier: GPL-2.0-or-later
/* test-first-seen.c: EXEC_FIRST_SEEN's store: host and image sightings, kept across a reopen, its lock, the oldest put out when full and a sighting renewed, a resize, a damaged file or record (no root needed). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "enrich/first-seen.h"
#include "check.h"

static char dir[] = "/tmp/test-first-seen.XXXXXX";
static char path[256];

/* The SHA-256 (hex) of number i: any 64 hex digits will do. */
static const char *sha_of(unsigned int i)
{
	static char hex[EXEC_SHA256_LEN];

	snprintf(hex, sizeof(hex), "%08x%056x", i * 2654435761U, i);
	return hex;
}

/* EXEC_FIRST_SEEN of an exec of sha256 (i), in a container of image (or
 * on the host: NULL). */
static const char *run(struct first_seen *fs, unsigned int i, const char *image)
{
	struct container ct = { 0 };
	struct exec_event ev = { 0 };

	snprintf(ev.sha256, sizeof(ev.sha256), "%s", sha_of(i));
	if (image) {
		snprintf(ct.image_id, sizeof(ct.image_id), "%s", image);
		ev.container = &ct;
	}
	first_seen_event(fs, &ev);
	return ev.first_seen ? ev.first_seen : "-";
}

static struct first_seen *open_store(uint32_t n)
{
	struct first_seen *fs = NULL;

	CHECK_INT(first_seen_open(&fs, path, n), 0);
	return fs;
}

static void test_keys(void)
{
	unsigned char k1[16], k2[16], k3[16];

	CHECK(first_seen_key(sha_of(1), NULL, k1));
	CHECK(k1[0] == (unsigned char)((2654435761U >> 24) & 0xff));
	CHECK(first_seen_key(sha_of(1), "img", k2));
	CHECK(memcmp(k1, k2, 16));
	CHECK(first_seen_key(sha_of(1), "img2", k3));
	CHECK(memcmp(k2, k3, 16));
	CHECK(!first_seen_key("abc", NULL, k1));
	CHECK(!first_seen_key("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789", NULL, k1));
}

static void test_sightings(void)
{
	struct first_seen *fs = open_store(1024), *other;
	struct exec_event ev = { 0 };
	struct stat st;

	CHECK(first_seen_persistent(fs));
	CHECK_INT(first_seen_capacity(fs), 1024);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_size, FIRST_SEEN_FILE_SIZE(1024));
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_STR(run(fs, 1, NULL), "host");
	CHECK_STR(run(fs, 1, NULL), "-");
	/* seen on the host: first in an image, once per image */
	CHECK_STR(run(fs, 1, "sha256:aaaa"), "image");
	CHECK_STR(run(fs, 1, "sha256:aaaa"), "-");
	CHECK_STR(run(fs, 1, "sha256:bbbb"), "image");
	/* new on the host, in a container: host (its image recorded too) */
	CHECK_STR(run(fs, 2, "sha256:aaaa"), "host");
	CHECK_STR(run(fs, 2, "sha256:aaaa"), "-");
	CHECK_STR(run(fs, 2, NULL), "-");
	CHECK_INT(first_seen_count(fs), 5);
	/* no hash, a failed exec: nothing */
	first_seen_event(fs, &ev);
	CHECK(ev.first_seen == NULL);
	snprintf(ev.sha256, sizeof(ev.sha256), "%s", sha_of(3));
	ev.failed = true;
	first_seen_event(fs, &ev);
	CHECK(ev.first_seen == NULL);

	/* a second process: the file is locked, it keeps its own in memory */
	CHECK_INT(first_seen_open(&other, path, 1024), 0);
	CHECK(!first_seen_persistent(other));
	CHECK_STR(run(other, 1, NULL), "host");
	first_seen_free(other);
	first_seen_free(fs);

	/* kept across a reopen (a restart) */
	fs = open_store(1024);
	CHECK_INT(first_seen_count(fs), 5);
	CHECK_STR(run(fs, 1, NULL), "-");
	CHECK_STR(run(fs, 2, "sha256:aaaa"), "-");
	CHECK_STR(run(fs, 1, "sha256:bbbb"), "-");
	CHECK_STR(run(fs, 4, NULL), "host");
	first_seen_free(fs);
}

static void test_eviction(void)
{
	struct first_seen *fs;
	unsigned int i;

	CHECK(unlink(path) == 0);
	fs = open_store(1024);
	CHECK_STR(run(fs, 1, NULL), "host");	/* runs once only */
	CHECK_STR(run(fs, 2, NULL), "host");	/* runs now and then */
	for (i = 100; i < 100 + 600; i++)
		CHECK_STR(run(fs, i, NULL), "host");
	CHECK_STR(run(fs, 2, NULL), "-");	/* renewed: 600 > 1024 / 2 */
	for (i = 1000; i < 1000 + 1000; i++)
		CHECK_STR(run(fs, i, NULL), "host");
	CHECK_INT(first_seen_count(fs), 1024);
	/* 1602 sightings after it: the oldest, 1, is forgotten; 2 is not */
	CHECK_STR(run(fs, 2, NULL), "-");
	CHECK_STR(run(fs, 1, NULL), "host");
	/* the same after a reopen (2 was renewed twice, 677 and 678 put
	 * out for it and for 1) */
	CHECK_INT(first_seen_count(fs), 1023);
	first_seen_free(fs);
	fs = open_store(1024);
	CHECK_INT(first_seen_count(fs), 1023);
	CHECK_STR(run(fs, 2, NULL), "-");
	CHECK_STR(run(fs, 1, NULL), "-");
	CHECK_STR(run(fs, 1999, NULL), "-");
	CHECK_STR(run(fs, 100, NULL), "host");
	first_seen_free(fs);
}

static void test_resize_damage(void)
{
	struct first_seen *fs;
	struct stat st;
	char junk[64];
	int fd;

	/* larger: everything kept */
	fs = open_store(2048);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_size, FIRST_SEEN_FILE_SIZE(2048));
	CHECK_INT(first_seen_count(fs), 1023);
	CHECK_STR(run(fs, 1999, NULL), "-");
	CHECK_STR(run(fs, 1, NULL), "-");
	first_seen_free(fs);

	/* a damaged record: that sighting only is forgotten */
	fs = open_store(2048);
	CHECK_INT(first_seen_count(fs), 1023);
	first_seen_free(fs);
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0);
	/* record of seq 1 (the oldest kept) is slot 1 */
	CHECK(pwrite(fd, "x", 1, FIRST_SEEN_HEADER + 1 * FIRST_SEEN_RECORD + 3) == 1);
	close(fd);
	fs = open_store(2048);
	CHECK_INT(first_seen_count(fs), 1022);
	first_seen_free(fs);

	/* a damaged header: it starts afresh */
	fd = open(path, O_WRONLY);
	memset(junk, 'j', sizeof(junk));
	CHECK(pwrite(fd, junk, sizeof(junk), 0) == (ssize_t)sizeof(junk));
	close(fd);
	fs = open_store(1024);
	CHECK_INT(first_seen_count(fs), 0);
	CHECK(first_seen_persistent(fs));
	CHECK_STR(run(fs, 1999, NULL), "host");
	first_seen_free(fs);

	/* no file: in memory */
	CHECK_INT(first_seen_open(&fs, NULL, 1024), 0);
	CHECK(!first_seen_persistent(fs));
	CHECK_STR(run(fs, 1, NULL), "host");
	CHECK_STR(run(fs, 1, NULL), "-");
	first_seen_free(fs);
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL);
	/* its directory is made when missing */
	snprintf(path, sizeof(path), "%s/state/first-seen", dir);
	test_keys();
	test_sightings();
	test_eviction();
	test_resize_damage();
	unlink(path);
	snprintf(path, sizeof(path), "%s/state", dir);
	rmdir(path);
	rmdir(dir);
	CHECK_DONE();
}
