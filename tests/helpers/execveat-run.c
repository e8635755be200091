/* execveat-run.c: test helper that runs a program with execveat(2) (dirfd, fd or memfd). */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

extern char **environ;

static int do_execveat(int dirfd, const char *path, char **argv, int flags)
{
	return syscall(SYS_execveat, dirfd, path, argv, environ, flags);
}

/* Copy a file into a new memfd; returns the fd or -1. */
static int memfd_copy(const char *src)
{
	char buf[65536];
	int in = open(src, O_RDONLY), fd = memfd_create("te-memfd", MFD_CLOEXEC);
	ssize_t n;

	if (in < 0 || fd < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return -1;
	close(in);
	return n < 0 ? -1 : fd;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: execveat-run dir DIR NAME ARGV0 [ARG...]\n"
			"       execveat-run fd PATH - ARGV0 [ARG...]\n"
			"       execveat-run memfd PATH - ARGV0 [ARG...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "dir")) {
		fd = open(argv[2], O_PATH | O_DIRECTORY);
		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		do_execveat(fd, argv[3], argv + 4, 0);
	} else if (!strcmp(argv[1], "fd") || !strcmp(argv[1], "memfd")) {
		fd = !strcmp(argv[1], "fd") ? open(argv[2], O_RDONLY) : memfd_copy(argv[2]);
		if (fd < 0) {
			perror(argv[2]);
			return 2;
		}
		do_execveat(fd, "", argv + 4, AT_EMPTY_PATH);
	} else {
		fprintf(stderr, "execveat-run: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	printf("errno=%d\n", errno);
	return 1;
}
