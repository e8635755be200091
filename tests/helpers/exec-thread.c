// SPDX-License-Identifier: GPL-2.0-or-later
/* exec-thread.c: test helper that calls execv from a secondary thread. */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static char **args;

static void *run(void *arg)
{
	printf("%d %ld\n", getpid(), (long)syscall(SYS_gettid));
	fflush(stdout);
	execv(args[0], args);
	perror("execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t th;

	if (argc < 2) {
		fprintf(stderr, "usage: exec-thread PROGRAM [ARG...]\n");
		return 2;
	}
	args = argv + 1;
	pthread_create(&th, NULL, run, NULL);
	for (;;)
		pause();
}
