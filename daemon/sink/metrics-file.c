// SPDX-License-Identifier: GPL-2.0-or-later
/* metrics-file.c: write the metrics text to its file atomically, for node_exporter's textfile collector. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "sink/metrics-file.h"

/* Write all of buf to fd; 0 or a negative errno. */
static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int metrics_file_write(const char *path, const char *text, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	int fd = -1, r;

	r = sb_printf(&tmp, "%s.tmp", path);
	if (r < 0)
		goto out;
	fd = open(tmp.p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0644);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	/* The unit's UMask=0077: node_exporter runs as another user. No
	 * fsync: the file is rewritten every few seconds; after a crash of
	 * the host it may be empty until the next write. */
	r = fchmod(fd, 0644) < 0 ? -errno : write_all(fd, text, len);
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp.p, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp.p);
out:
	sb_free(&tmp);
	return r;
}
