// SPDX-License-Identifier: GPL-2.0-or-later
/* test-util.c: unit tests of core's helpers: the buffer's number, hex and printf formatting, errno names both ways, bounded file reads, mount namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/capability.h"
#include "core/mntns.h"
#include "core/util.h"

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID	_IOR(0xb7, 0x5, uint64_t)	/* Linux 6.8 */
#endif

/* Bounded reads: regular files only, the size cap, never a FIFO. */
static void test_read_bounded(void)
{
	char path[] = "/tmp/test-util-XXXXXX", fifo[64];
	struct strbuf sb = STRBUF_INIT;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, "hello\n", 6), 6);
	close(fd);
	CHECK_INT(read_file_bounded(AT_FDCWD, path, 6, &sb), 0);
	CHECK_STR(sb.p, "hello\n");
	CHECK_INT(read_file_bounded(AT_FDCWD, path, 5, &sb), -EFBIG);
	CHECK_INT(read_file_bounded(AT_FDCWD, "/tmp", 1024, &sb), -EINVAL);
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	CHECK_INT(read_fd_bounded(fd, 1024, &sb), -EINVAL);
	close(fd);
	snprintf(fifo, sizeof(fifo), "%s.fifo", path);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	CHECK_INT(read_file_bounded(AT_FDCWD, fifo, 1024, &sb), -EINVAL);
	CHECK_INT(read_file_bounded(AT_FDCWD, "/nonexistent/x", 1024, &sb), -ENOENT);
	unlink(fifo);
	unlink(path);
	sb_free(&sb);
}

/* FNV-1a's published test vectors. */
static void test_hash64(void)
{
	CHECK(hash64("", 0) == 0xcbf29ce484222325ULL);
	CHECK(hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
	CHECK(hash64("foobar", 6) == 0x85944171f73967e8ULL);
}

static void test_errno_name(void)
{
	char buf[ERRNO_NAME_LEN];

	CHECK_STR(errno_name(ENOENT, buf), "ENOENT");
	CHECK_STR(errno_name(4000, buf), "E4000");
	/* and back: any case, the aliases, nothing else */
	CHECK_INT(errno_from_name("ENOENT"), ENOENT);
	CHECK_INT(errno_from_name("eacces"), EACCES);
	CHECK_INT(errno_from_name("EWOULDBLOCK"), EAGAIN);
	CHECK_INT(errno_from_name("ENOTSUP"), EOPNOTSUPP);
	CHECK_INT(errno_from_name("EDEADLOCK"), EDEADLK);
	CHECK_INT(errno_from_name(errno_name(ENAMETOOLONG, buf)), ENAMETOOLONG);
	CHECK_INT(errno_from_name("E4000"), -1);
	CHECK_INT(errno_from_name("ENOENTX"), -1);
	CHECK_INT(errno_from_name(""), -1);
}

/* The one hex writer: low digits of v, either case, no NUL. */
static void test_fmt_hex(void)
{
	char buf[8] = "........";

	fmt_hex(buf, 0xa5, 2, false);
	CHECK(!memcmp(buf, "a5......", 8));
	fmt_hex(buf, 0x200f, 4, true);
	CHECK(!memcmp(buf, "200F....", 8));
	fmt_hex(buf, 0x1234abcd, 3, false);
	CHECK(!memcmp(buf, "bcdF....", 8));
	fmt_hex(buf, 0, 2, false);
	CHECK(!memcmp(buf, "00dF....", 8));
}

/* The scan of live mount namespaces finds this process's, and needs
 * CAP_SYS_PTRACE to be complete (else -EPERM); PID 1's is the host's. */
static void test_mntns(void)
{
	struct mntns_set s = { 0 };
	uint64_t ino, id;
	struct stat st;
	int r, fd;

	CHECK_INT(stat("/proc/self/ns/mnt", &st), 0);
	r = mntns_scan(&s);
	if (!caps_held(CAP_SYS_PTRACE, CAP_EFFECTIVE)) {
		CHECK_INT(r, -EPERM);
		CHECK_INT(s.n, 0);
	} else {
		CHECK_INT(r, 0);
		if (s.by_inode) {
			CHECK(mntns_set_has(&s, 0, st.st_ino));
		} else {
			fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
			CHECK(fd >= 0);
			CHECK_INT(ioctl(fd, NS_GET_MNTNS_ID, &id), 0);
			close(fd);
			CHECK(mntns_set_has(&s, id, 0));
			CHECK(!mntns_set_has(&s, id + 1000000, st.st_ino));
		}
	}
	mntns_set_free(&s);
	CHECK(s.v == NULL && s.n == 0);
	CHECK(!mntns_set_has(&s, 1, 1));
	if (host_mntns(&ino) == 0)
		CHECK(ino != 0);
}

int main(void)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[FMT_U64_LEN], big[300];
	int i;

	CHECK_INT(fmt_u64(buf, 0), 1);
	CHECK_STR(buf, "0");
	CHECK_INT(fmt_u64(buf, 9), 1);
	CHECK_INT(fmt_u64(buf, 10), 2);
	CHECK_STR(buf, "10");
	CHECK_INT(fmt_u64(buf, 4294967295U), 10);
	CHECK_STR(buf, "4294967295");
	CHECK_INT(fmt_u64(buf, UINT64_MAX), 20);
	CHECK_STR(buf, "18446744073709551615");

	CHECK(sb_puts(&sb, "pid ") == 0);
	CHECK(sb_put_u64(&sb, 1234) == 0);
	CHECK(sb_putc(&sb, ' ') == 0);
	CHECK(sb_put_u64(&sb, 0) == 0);
	CHECK_STR(sb.p, "pid 1234 0");
	CHECK_INT(sb.len, 10);

	/* printf into an empty buffer, into the room left, and past it. */
	sb_free(&sb);
	CHECK(sb_printf(&sb, "%s-%d", "a", 1) == 0);
	CHECK_STR(sb.p, "a-1");
	CHECK(sb_printf(&sb, "[%u]", 42U) == 0);
	CHECK_STR(sb.p, "a-1[42]");
	for (i = 0; i < (int)sizeof(big) - 1; i++)
		big[i] = 'x';
	big[sizeof(big) - 1] = '\0';
	CHECK(sb_printf(&sb, "<%s>", big) == 0);
	CHECK_INT(sb.len, 7 + 2 + sizeof(big) - 1);
	CHECK(sb.p[7] == '<' && sb.p[sb.len - 1] == '>' && sb.p[sb.len] == '\0');
	CHECK(sb_printf(&sb, "%s", "") == 0);
	CHECK_INT(sb.len, 7 + 2 + sizeof(big) - 1);
	sb_reset(&sb);
	CHECK(sb_printf(&sb, "%d", -5) == 0);
	CHECK_STR(sb.p, "-5");
	sb_free(&sb);
	test_read_bounded();
	test_errno_name();
	test_fmt_hex();
	test_hash64();
	test_mntns();
	CHECK_DONE();
}
