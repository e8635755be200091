// SPDX-License-Identifier: GPL-2.0-or-later
/* exec-storm.c: run N execs of a small program from W workers, each with a run marker argument, and time them. */
#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

struct opts {
	unsigned long n;	/* execs in all */
	double seconds;		/* > 0: stop issuing execs after this long */
	double rate;		/* > 0: at most this many execs a second */
	unsigned int workers;
	const char *marker;
	const char *prog;
	long uid, gid;		/* -1: keep */
	bool seq;		/* add the exec's number as a third argument */
};

/* What each worker reports, in shared memory. */
struct wstat {
	unsigned long ok;	/* child exited 0 */
	unsigned long failed;	/* spawn failed or child exited non-zero */
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: exec-storm [-n EXECS] [-d SECONDS] [-r RATE] [-w WORKERS] [-m MARKER] [-p PROGRAM] [-u UID] [-g GID] [-s]\n"
"Run EXECS execs of PROGRAM (default /bin/true) as \"PROGRAM MARKER [SEQ]\",\n"
"split over WORKERS processes started together, and print one JSON line:\n"
"execs issued, succeeded, failed, seconds and execs per second.\n"
"  -n EXECS    execs in all (default 20000; with -d, no limit unless given)\n"
"  -d SECONDS  stop issuing execs after SECONDS (a storm of a given length,\n"
"              for as many execs as fit in it; execs is then what was issued)\n"
"  -r RATE     at most RATE execs a second in all: exec number K is issued\n"
"              no earlier than K/RATE seconds after the start (default: as\n"
"              fast as they go)\n"
"  -w WORKERS  worker processes (default 2)\n"
"  -m MARKER   argument that tags this run's execs (default: $EXEC_STORM_MARKER,\n"
"              else storm-PID-TIME; the variable keeps the marker out of\n"
"              exec-storm's own command line, so only the storm's execs carry it)\n"
"  -p PROGRAM  program to exec, absolute path (default /bin/true)\n"
"  -u UID      workers switch to this uid (and -g GID) before the storm\n"
"  -s          add each exec's number as one more argument (0..EXECS-1;\n"
"              with -d, worker K issues K, K+WORKERS, ... until time is up)\n");
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_ul(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* A duration in seconds, > 0 (fractions allowed). */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || v > 1e6)
		return -1;
	*out = v;
	return 0;
}

/* Sleep until t (mono()). */
static void sleep_until(double t)
{
	struct timespec ts = { (time_t)t, (long)((t - (time_t)t) * 1e9) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static int parse_args(struct opts *o, int argc, char **argv)
{
	static char defmark[64];
	unsigned long v;
	bool n_given = false;
	int c;

	o->n = 20000;
	o->workers = 2;
	o->prog = "/bin/true";
	o->uid = o->gid = -1;
	while ((c = getopt(argc, argv, "n:d:r:w:m:p:u:g:sh")) != -1) {
		switch (c) {
		case 'n':
			if (parse_ul(optarg, 1UL << 40, &o->n) < 0)
				return -1;
			n_given = true;
			break;
		case 'd':
			if (parse_seconds(optarg, &o->seconds) < 0)
				return -1;
			break;
		case 'r':
			if (parse_seconds(optarg, &o->rate) < 0)
				return -1;
			break;
		case 'w':
			if (parse_ul(optarg, 4096, &v) < 0 || !v)
				return -1;
			o->workers = v;
			break;
		case 'm':
			o->marker = optarg;
			break;
		case 'p':
			o->prog = optarg;
			break;
		case 'u':
			if (parse_ul(optarg, 0xfffffffeUL, &v) < 0)
				return -1;
			o->uid = v;
			break;
		case 'g':
			if (parse_ul(optarg, 0xfffffffeUL, &v) < 0)
				return -1;
			o->gid = v;
			break;
		case 's':
			o->seq = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			return -1;
		}
	}
	if (optind != argc)
		return -1;
	if (o->seconds > 0 && !n_given)
		o->n = 1UL << 40;
	if (!o->marker)
		o->marker = getenv("EXEC_STORM_MARKER");
	if (!o->marker || !*o->marker) {
		snprintf(defmark, sizeof(defmark), "storm-%d-%ld", getpid(),
			 (long)time(NULL));
		o->marker = defmark;
	}
	return 0;
}

static int drop_privileges(const struct opts *o)
{
	if (o->gid >= 0 || o->uid >= 0) {
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			return -1;
	}
	if (o->gid >= 0 && setresgid(o->gid, o->gid, o->gid) < 0)
		return -1;
	if (o->uid >= 0 && setresuid(o->uid, o->uid, o->uid) < 0)
		return -1;
	return 0;
}

/* One worker: execs number first, first+step, ... below o->n, until
 * o->seconds have passed since the start signal when that is set. */
static void worker(const struct opts *o, unsigned int first, int go_fd,
		   struct wstat *st)
{
	char seqbuf[24], *args[4];
	char byte;
	unsigned long i;
	double start, end;
	pid_t pid;
	int status;

	args[0] = (char *)o->prog;
	args[1] = (char *)o->marker;
	args[2] = o->seq ? seqbuf : NULL;
	args[3] = NULL;
	if (drop_privileges(o) < 0) {
		perror("exec-storm: switching uid/gid");
		_exit(2);
	}
	/* The start signal is EOF, when the parent closes its end. */
	while (read(go_fd, &byte, 1) < 0 && errno == EINTR)
		;
	start = mono();
	end = start + o->seconds;
	for (i = first; i < o->n; i += o->workers) {
		if (o->rate > 0)
			sleep_until(start + i / o->rate);
		if (o->seconds > 0 && mono() >= end)
			break;
		if (o->seq)
			snprintf(seqbuf, sizeof(seqbuf), "%lu", i);
		if (posix_spawn(&pid, o->prog, NULL, NULL, args, environ)) {
			st->failed++;
			continue;
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			st->ok++;
		else
			st->failed++;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct wstat *st;
	unsigned long ok = 0, failed = 0, issued;
	unsigned int w, bad = 0;
	pid_t *pids;
	double t0, t1;
	int go[2], status;

	if (parse_args(&o, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	if (access(o.prog, X_OK) < 0) {
		fprintf(stderr, "exec-storm: '%s': %s\n", o.prog, strerror(errno));
		return 2;
	}
	st = mmap(NULL, o.workers * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pids = calloc(o.workers, sizeof(*pids));
	if (st == MAP_FAILED || !pids || pipe(go) < 0) {
		perror("exec-storm");
		return 2;
	}
	for (w = 0; w < o.workers; w++) {
		pids[w] = fork();
		if (pids[w] < 0) {
			perror("exec-storm: fork");
			return 2;
		}
		if (pids[w] == 0) {
			close(go[1]);
			worker(&o, w, go[0], &st[w]);
		}
	}
	close(go[0]);
	usleep(20000);		/* let the workers reach their read() */
	t0 = mono();
	close(go[1]);		/* go */
	for (w = 0; w < o.workers; w++) {
		while (waitpid(pids[w], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			bad++;
	}
	t1 = mono();
	for (w = 0; w < o.workers; w++) {
		ok += st[w].ok;
		failed += st[w].failed;
	}
	/* A storm of a given length issues what fits in it. */
	issued = o.seconds > 0 ? ok + failed : o.n;
	printf("{\"marker\":\"%s\",\"execs\":%lu,\"ok\":%lu,\"failed\":%lu,"
	       "\"workers\":%u,\"seconds\":%.6f,\"execs_per_sec\":%.1f}\n",
	       o.marker, issued, ok, failed, o.workers, t1 - t0,
	       (t1 > t0) ? issued / (t1 - t0) : 0.0);
	free(pids);
	return bad ? 1 : 0;
}
