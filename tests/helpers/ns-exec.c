// SPDX-License-Identifier: GPL-2.0-or-later
/* ns-exec.c: test helper that runs a program in namespaces of its own, as an unprivileged user may (unshare -Urpfm), and exits with its status as a shell reports it (128 + signal). */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int usage(void)
{
	fprintf(stderr, "usage: ns-exec [-U] [-p] [-m] [-C DIR] PROGRAM [ARG...]\n"
		"  -U  a user namespace, the caller's ids mapped to root\n"
		"  -p  a pid namespace: PROGRAM is its PID 1\n"
		"  -m  a mount namespace\n"
		"  -C  change to DIR (in the new namespaces) before the exec\n");
	return 2;
}

/* Write s into the file path; 0 or -1. */
static int put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n = -1;

	if (fd >= 0) {
		n = write(fd, s, strlen(s));
		close(fd);
	}
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

/* Map the caller's uid and gid to root in its new user namespace. */
static int map_ids(uid_t uid, gid_t gid)
{
	char line[64];

	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)uid);
	if (put("/proc/self/uid_map", line) < 0 ||
	    put("/proc/self/setgroups", "deny") < 0)
		return -1;
	snprintf(line, sizeof(line), "0 %u 1\n", (unsigned)gid);
	return put("/proc/self/gid_map", line);
}

int main(int argc, char **argv)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	const char *dir = NULL;
	int flags = 0, opt, status;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+UpmC:")) != -1) {
		switch (opt) {
		case 'U': flags |= CLONE_NEWUSER; break;
		case 'p': flags |= CLONE_NEWPID; break;
		case 'm': flags |= CLONE_NEWNS; break;
		case 'C': dir = optarg; break;
		default: return usage();
		}
	}
	if (optind >= argc)
		return usage();
	if (unshare(flags) < 0) {
		perror("unshare");
		return 1;
	}
	if ((flags & CLONE_NEWUSER) && map_ids(uid, gid) < 0) {
		perror("uid_map");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (dir && chdir(dir) < 0) {
			perror(dir);
			_exit(1);
		}
		execv(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("waitpid");
		return 1;
	}
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}
