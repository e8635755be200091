// SPDX-License-Identifier: GPL-2.0-or-later
/* execveat-run.c: test helper that runs a program with execveat(2) (dirfd, fd, memfd, detached mount, outside its root). */

#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int do_execveat(int dirfd, const char *path, char **argv, int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, environ, flags);
}

/* Copy the file src into the open file fd; returns fd or -1. */
static int copy_into(const char *src, int fd)
{
	char buf[65536];
	int in = open(src, O_RDONLY);
	ssize_t n;

	if (in < 0 || fd < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return -1;
	close(in);
	return n < 0 ? -1 : fd;
}

/* Copy a file into a new memfd; returns the fd or -1. */
static int memfd_copy(const char *src)
{
	return copy_into(src, memfd_create("te-memfd", MFD_CLOEXEC));
}

/*
 * Copy a file to bin/prog on a new tmpfs that is never attached anywhere
 * (fsopen, fsmount); returns an fd of that copy to run, or -1.
 */
static int detached_copy(const char *src)
{
	int fs = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC), mnt, fd;

	if (fs < 0 || syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL,
			      NULL, 0) < 0)
		return -1;
	mnt = syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, 0);
	if (mnt < 0 || mkdirat(mnt, "bin", 0755) < 0)
		return -1;
	fd = openat(mnt, "bin/prog", O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	if (copy_into(src, fd) < 0)
		return -1;
	close(fd);	/* a file open for writing cannot run (ETXTBSY) */
	return openat(mnt, "bin/prog", O_RDONLY | O_CLOEXEC);
}

/* Open a file, then make dir the root: the file is outside it. */
static int open_then_chroot(const char *path, const char *dir)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || chroot(dir) < 0 || chdir("/") < 0)
		return -1;
	return fd;
}

static int usage(void)
{
	fprintf(stderr, "usage: execveat-run dir DIR NAME ARGV0 [ARG...]\n"
		"       execveat-run fd PATH - ARGV0 [ARG...]\n"
		"       execveat-run memfd PATH - ARGV0 [ARG...]\n"
		"       execveat-run detached PATH - ARGV0 [ARG...]\n"
		"       execveat-run chroot PATH DIR ARGV0 [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int fd;

	if (argc < 5)
		return usage();
	if (!strcmp(mode, "dir")) {
		fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		do_execveat(fd, argv[3], argv + 4, 0);
		printf("errno=%d\n", errno);
		return 1;
	}
	if (!strcmp(mode, "fd"))
		fd = open(argv[2], O_RDONLY);
	else if (!strcmp(mode, "memfd"))
		fd = memfd_copy(argv[2]);
	else if (!strcmp(mode, "detached"))
		fd = detached_copy(argv[2]);
	else if (!strcmp(mode, "chroot"))
		fd = open_then_chroot(argv[2], argv[3]);
	else
		return usage();
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	do_execveat(fd, "", argv + 4, AT_EMPTY_PATH);
	printf("errno=%d\n", errno);
	return 1;
}
