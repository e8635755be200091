// SPDX-License-Identifier: GPL-2.0-or-later
/* set-loginuid.c: test helper that writes /proc/self/loginuid, then execs its arguments. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: set-loginuid UID PROGRAM [ARG...]\n");
		return 2;
	}
	fd = open("/proc/self/loginuid", O_WRONLY);
	if (fd < 0 || write(fd, argv[1], strlen(argv[1])) < 0) {
		perror("/proc/self/loginuid");
		return 2;
	}
	close(fd);
	execv(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
