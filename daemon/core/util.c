// SPDX-License-Identifier: GPL-2.0-or-later
/* util.c: small helpers of every module: clocks, parsing, a hash, errno names, bounded file reads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

int64_t clock_nsec(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

uint64_t clock_usec(clockid_t id)
{
	return (uint64_t)clock_nsec(id) / 1000;
}

uint64_t hash64(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "yes", "true", "on" };
	static const char *const no[] = { "0", "no", "false", "off" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcasecmp(s, yes[i]))
			return 1;
		if (!strcasecmp(s, no[i]))
			return 0;
	}
	return -EINVAL;
}

int parse_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

const char *errno_name(int err, char buf[ERRNO_NAME_LEN])
{
	const char *n = strerrorname_np(err);

	if (n)
		return n;
	snprintf(buf, ERRNO_NAME_LEN, "E%d", err);
	return buf;
}

int errno_from_name(const char *s)
{
	static const struct { const char *name; int e; } alias[] = {
		{ "EWOULDBLOCK", EWOULDBLOCK }, { "EDEADLOCK", EDEADLOCK },
		{ "ENOTSUP", ENOTSUP },
	};
	const char *name;
	size_t i;
	int e;

	for (i = 0; i < ARRAY_SIZE(alias); i++)
		if (!strcasecmp(s, alias[i].name))
			return alias[i].e;
	for (e = 1; e < 256; e++) {
		name = strerrorname_np(e);
		if (name && !strcasecmp(s, name))
			return e;
	}
	return -1;
}

int read_fd_bounded(int fd, size_t max, struct strbuf *sb)
{
	struct stat st;
	ssize_t n;
	int r;

	sb_reset(sb);
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	for (;;) {
		r = sb_grow(sb, 4096);
		if (r < 0)
			return r;
		n = read(fd, sb->p + sb->len, sb->cap - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		sb->len += (size_t)n;
		if (sb->len > max)
			return -EFBIG;
	}
	sb->p[sb->len] = '\0';
	return 0;
}

int read_file_bounded(int dirfd, const char *path, size_t max, struct strbuf *sb)
{
	int fd, r;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	r = read_fd_bounded(fd, max, sb);
	close(fd);
	return r;
}
