// SPDX-License-Identifier: GPL-2.0-or-later
/* hostile-exec.c: test helper for the hostile exec suite: racing threads, kills mid-exec, floods, argument limits, fexecve of deleted files. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *empty_env[] = { NULL };

static void usage(void)
{
	fprintf(stderr,
"usage: hostile-exec threads NPROC NTHREADS MARK PROG\n"
"       hostile-exec kill NPROC ARG_BYTES MARK PROG\n"
"       hostile-exec flood UID N PROG\n"
"       hostile-exec failflood UID NTHREADS SECONDS ARG_BYTES\n"
"       hostile-exec rate PER_SEC SECONDS MARK PROG\n"
"       hostile-exec argmax tiny|huge MARK PROG [PROBE_UID]\n"
"       hostile-exec fexec-deleted PATH ARGV0 [ARG...]\n"
"       hostile-exec idle [ARG...]\n");
	exit(2);
}

static long num(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 0)
		usage();
	return v;
}

/* ---- threads: every thread of a process calls execve at once ---- */

struct racer {
	pthread_barrier_t *bar;
	const char *prog;
	char arg[128];
};

static void *race(void *p)
{
	struct racer *r = p;
	char *argv[] = { (char *)r->prog, r->arg, NULL };

	pthread_barrier_wait(r->bar);
	execve(r->prog, argv, empty_env);
	return NULL;	/* lost: another thread's exec won */
}

/* Child i: nthreads threads race to exec PROG MARK-p<i>-t<j>. */
static void race_child(int i, int nthreads, const char *mark, const char *prog)
{
	struct racer *r = calloc(nthreads, sizeof(*r));
	pthread_barrier_t bar;
	pthread_t th;
	int j;

	pthread_barrier_init(&bar, NULL, nthreads + 1);
	for (j = 0; j < nthreads; j++) {
		r[j].bar = &bar;
		r[j].prog = prog;
		snprintf(r[j].arg, sizeof(r[j].arg), "%s-p%d-t%d", mark, i, j);
		if (pthread_create(&th, NULL, race, &r[j])) {
			perror("pthread_create");
			_exit(3);
		}
	}
	pthread_barrier_wait(&bar);
	for (;;)
		pause();
}

static int cmd_threads(int nproc, int nthreads, const char *mark, const char *prog)
{
	pid_t *pids = calloc(nproc, sizeof(*pids));
	int i, st, ok = 0;

	for (i = 0; i < nproc; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			return 1;
		}
		if (pids[i] == 0)
			race_child(i, nthreads, mark, prog);
	}
	for (i = 0; i < nproc; i++) {
		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0)
			ok++;
		printf("child %d %d\n", i, pids[i]);
	}
	printf("exited-ok %d\n", ok);
	free(pids);
	return 0;
}

/* ---- kill: SIGKILL a process while it copies a large argument list ---- */

static int cmd_kill(int nproc, long bytes, const char *mark, const char *prog)
{
	/* bytes of arguments in strings of at most MAX_ARG_STRLEN - 1 */
	long nbig = (bytes + 131070) / 131071, k;
	char *big = malloc(131072), arg[128], path[64], comm[64];
	char **argv = calloc(nbig + 4, sizeof(*argv));
	struct timespec ts;
	siginfo_t si;
	int i, fd, n;
	pid_t pid;

	memset(big, 'k', 131071);
	big[131071] = '\0';
	argv[0] = (char *)prog;
	argv[1] = "idle";
	argv[2] = arg;
	for (k = 0; k < nbig; k++)
		argv[3 + k] = big;
	srand(getpid());
	for (i = 0; i < nproc; i++) {
		snprintf(arg, sizeof(arg), "%s-k%d", mark, i);
		/* The child starts as "preexec", even if killed before it runs. */
		prctl(PR_SET_NAME, "preexec");
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execve(prog, argv, empty_env);
			_exit(127);
		}
		prctl(PR_SET_NAME, "hostile-exec");
		ts.tv_sec = 0;
		ts.tv_nsec = (rand() % 3000) * 1000L;	/* 0..3 ms */
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		/* Keep the zombie: its comm tells whether the exec got past
		 * the point of no return (the kernel renames at that point). */
		memset(&si, 0, sizeof(si));
		if (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0) {
			perror("waitid");
			return 1;
		}
		snprintf(path, sizeof(path), "/proc/%d/comm", pid);
		fd = open(path, O_RDONLY);
		n = fd >= 0 ? read(fd, comm, sizeof(comm) - 1) : -1;
		if (fd >= 0)
			close(fd);
		comm[n > 0 ? n - 1 : 0] = '\0';
		printf("child %d %d %s\n", i, pid,
		       strcmp(comm, "preexec") ? "execed" : "not-execed");
		waitpid(pid, NULL, 0);
	}
	free(argv);
	free(big);
	return 0;
}

/* ---- failflood: threads loop on an exec that fails, with a big argument ---- */

struct failer {
	time_t end;
	char *arg;
	long tries;
};

/* Call execve() on a path that does not exist until the end time. */
static void *fail_loop(void *p)
{
	struct failer *f = p;
	char *argv[] = { "/nonexistent/te-failflood", f->arg, NULL };

	while (time(NULL) < f->end) {
		execve(argv[0], argv, empty_env);
		f->tries++;
	}
	return NULL;
}

/* NTHREADS threads of UID fail to exec for SECONDS; prints the tries. */
static int cmd_failflood(uid_t uid, long nthreads, long secs, long bytes)
{
	struct failer f[64];
	pthread_t t[64];
	long i, total = 0;
	char *arg;

	if (nthreads < 1 || nthreads > 64 || bytes < 1)
		usage();
	arg = malloc(bytes + 1);
	/* already that uid (a container's --user): nothing to drop */
	if (!arg || (getuid() != uid &&
		     (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		      setresuid(uid, uid, uid) < 0))) {
		perror("failflood");
		return 1;
	}
	memset(arg, '\\', bytes);
	arg[bytes] = '\0';
	for (i = 0; i < nthreads; i++) {
		f[i] = (struct failer){ .end = time(NULL) + secs, .arg = arg };
		if (pthread_create(&t[i], NULL, fail_loop, &f[i])) {
			perror("pthread_create");
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(t[i], NULL);
		total += f[i].tries;
	}
	printf("failed execs: %ld\n", total);
	free(arg);
	return 0;
}

/* ---- flood: N execs of PROG as UID, as fast as possible ---- */

static int cmd_flood(uid_t uid, long n, const char *prog)
{
	char *argv[] = { (char *)prog, NULL };
	long i, ok = 0, running = 0;
	int st;
	pid_t pid;

	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0) {
		perror("dropping to the flood uid");
		return 1;
	}
	for (i = 0; i < n; i++) {
		/* Eight in flight: more execs per second than one at a time. */
		while (running >= 8) {
			if (wait(&st) > 0) {
				running--;
				ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
			}
		}
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			execve(prog, argv, empty_env);
			_exit(127);
		}
		running++;
	}
	while (running > 0 && wait(&st) > 0) {
		running--;
		ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	printf("execs %ld ok %ld\n", n, ok);
	return ok == n ? 0 : 1;
}

/* ---- rate: a steady load, PER_SEC execs a second ---- */

static int cmd_rate(long per_sec, long secs, const char *mark, const char *prog)
{
	struct timespec start, now, next;
	char arg[128];
	long i, total = per_sec * secs, failed = 0;
	int st;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < total; i++) {
		long long due = (long long)i * 1000000000LL / per_sec;

		next.tv_sec = start.tv_sec + (start.tv_nsec + due) / 1000000000LL;
		next.tv_nsec = (start.tv_nsec + due) % 1000000000LL;
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
		snprintf(arg, sizeof(arg), "%s-%ld", mark, i);
		pid = fork();
		if (pid < 0) {
			failed++;
			continue;
		}
		if (pid == 0) {
			char *argv[] = { (char *)prog, arg, NULL };

			execve(prog, argv, empty_env);
			_exit(127);
		}
		while (waitpid(-1, &st, WNOHANG) > 0)
			failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	while (wait(&st) > 0)
		failed += !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	printf("execs %ld failed %ld seconds %.1f\n", total, failed,
	       (now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9);
	return failed ? 1 : 0;
}

/* ---- argmax: the largest argument list execve accepts ---- */

/* Run PROG with argv, as uid when it is not -1; returns 0 (ran), E2BIG or another errno. */
static int try_exec(const char *prog, char **argv, long uid)
{
	int p[2], err = 0, st;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	pid = fork();
	if (pid == 0) {
		if (uid >= 0 && (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
				 setresuid(uid, uid, uid) < 0))
			err = errno;
		else
			execve(prog, argv, empty_env);
		err = err ? err : errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(p[0]);
	waitpid(pid, &st, 0);
	return err;
}

/* Set argv[2..] to n tiny arguments, or to one of n bytes. */
static void fill(char **argv, bool tiny, long n, char *big)
{
	long i;

	if (tiny) {
		for (i = 0; i < n; i++)
			argv[2 + i] = "";
		argv[2 + n] = NULL;
	} else {
		memset(big, 'h', n);
		big[n] = '\0';
		argv[2] = big;
		argv[3] = NULL;
	}
}

/*
 * tiny: PROG MARK-tiny "" "" ... as many as fit; huge: PROG MARK-huge and
 * one string as long as fits. The bisection runs as probe_uid (tracers
 * that filter on uid see only the final exec, run as the caller).
 */
static int cmd_argmax(const char *kind, const char *mark, const char *prog,
		      long probe_uid)
{
	bool tiny = !strcmp(kind, "tiny");
	long lo, hi, mid, max = tiny ? 4L << 20 : 1L << 20;
	char probe[128], final[128], *big;
	char **argv;
	int e;

	if (!tiny && strcmp(kind, "huge"))
		usage();
	argv = calloc(max + 4, sizeof(*argv));
	big = malloc(max + 1);
	if (!argv || !big) {
		perror("argmax");
		return 1;
	}
	/* Probes and the final run pass argv[1] of the same length. */
	snprintf(probe, sizeof(probe), "%s-%s", mark, tiny ? "TINY" : "HUGE");
	snprintf(final, sizeof(final), "%s-%s", mark, kind);
	argv[0] = (char *)prog;
	argv[1] = probe;
	/* Invariant: lo runs, hi does not. */
	lo = 0;
	hi = max;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		fill(argv, tiny, mid, big);
		e = try_exec(prog, argv, probe_uid);
		if (e == 0)
			lo = mid;
		else if (e == E2BIG)
			hi = mid;
		else {
			fprintf(stderr, "argmax: execve: %s\n", strerror(e));
			return 1;
		}
	}
	/* The final run, told apart by its argv[1]; one more must not fit. */
	argv[1] = final;
	fill(argv, tiny, lo + 1, big);
	e = try_exec(prog, argv, probe_uid);
	if (e != E2BIG) {
		fprintf(stderr, "argmax: %ld did not fail with E2BIG: %s\n", lo + 1, strerror(e));
		return 1;
	}
	fill(argv, tiny, lo, big);
	e = try_exec(prog, argv, -1);
	if (e) {
		fprintf(stderr, "argmax: final execve: %s\n", strerror(e));
		return 1;
	}
	if (tiny)
		printf("argc %ld\n", lo + 2);
	else
		printf("arglen %ld\n", lo);
	free(argv);
	free(big);
	return 0;
}

/* ---- fexec-deleted: exec a file through an fd after unlinking it ---- */

static int cmd_fexec_deleted(const char *path, char **argv)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || unlink(path) < 0) {
		perror(path);
		return 1;
	}
	fexecve(fd, argv, empty_env);
	perror("fexecve");
	return 1;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "threads") && argc == 6)
		return cmd_threads(num(argv[2]), num(argv[3]), argv[4], argv[5]);
	if (!strcmp(argv[1], "kill") && argc == 6)
		return cmd_kill(num(argv[2]), num(argv[3]), argv[4], argv[5]);
	if (!strcmp(argv[1], "flood") && argc == 5)
		return cmd_flood(num(argv[2]), num(argv[3]), argv[4]);
	if (!strcmp(argv[1], "failflood") && argc == 6)
		return cmd_failflood(num(argv[2]), num(argv[3]), num(argv[4]), num(argv[5]));
	if (!strcmp(argv[1], "rate") && argc == 6)
		return cmd_rate(num(argv[2]), num(argv[3]), argv[4], argv[5]);
	if (!strcmp(argv[1], "argmax") && (argc == 5 || argc == 6))
		return cmd_argmax(argv[2], argv[3], argv[4], argc == 6 ? num(argv[5]) : -1);
	if (!strcmp(argv[1], "fexec-deleted") && argc >= 4)
		return cmd_fexec_deleted(argv[2], argv + 3);
	if (!strcmp(argv[1], "idle")) {
		for (;;)
			pause();
	}
	usage();
	return 2;
}
