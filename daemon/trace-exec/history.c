// SPDX-License-Identifier: GPL-2.0-or-later
/* history.c: trace-exec's modes over the journal: past execs (and on live with --follow), the tree of an exec, the report. */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "format/entry.h"
#include "format/event-json.h"
#include "format/event-table.h"
#include "history/journal.h"
#include "history/report.h"
#include "history/timespec.h"
#include "history/tree.h"
#include "sink/stdout.h"
#include "trace-exec/history.h"

/* The unit whose entries are the daemon's. */
#define DAEMON_UNIT "trace-execd.service"
/* How often --follow looks at the stop flag while the journal is quiet. */
#define FOLLOW_WAIT_USEC 200000

bool hist_wanted(const struct hist_app *h)
{
	return h->since || h->until || h->follow || h->directory || h->nfiles ||
	       h->ns || h->tree || h->report;
}

/* Whether the filter selects by the exec (anything but failed execs and
 * the host). */
static bool filter_selects(const struct exec_filter *f)
{
	return f->uid_set || f->where != FILTER_ALL || f->containername ||
	       f->k8s_namespace || f->k8s_podname || f->k8s_containername ||
	       f->exe || f->comm || f->rule || f->tag || f->action;
}

/* Whether the filter has any condition besides failed execs. */
static bool filter_any(const struct exec_filter *f)
{
	return filter_selects(f) || f->hostname;
}

int hist_check(const struct hist_app *h, const struct exec_filter *f)
{
	const char *bad = NULL;

	if (h->tree && h->report)
		bad = "--tree and --report exclude each other";
	else if (h->follow && (h->tree || h->report))
		bad = "--follow goes with the list of execs, not --tree or --report";
	else if (h->follow && h->until)
		bad = "--follow and --until exclude each other";
	else if (!!h->directory + !!h->nfiles + !!h->ns > 1)
		bad = "--directory, --file and --namespace exclude each other";
	else if (h->tree && filter_selects(f))
		bad = "--tree shows the whole tree: no filter but --hostname and --ignore-failed applies";
	if (bad) {
		log_error("%s", bad);
		return -EINVAL;
	}
	return 0;
}

/* The daemon's executables: those given, else the installed one and, when
 * this trace-exec runs from elsewhere (a build tree), the trace-execd
 * beside it. Its strings live in buf. */
static void default_exes(struct hist_trust *t, const char **v, const struct hist_app *h,
			 char *buf, size_t size)
{
	ssize_t n;
	char *slash;

	t->exes = v;
	if (h->nexes) {
		memcpy(v, h->exes, h->nexes * sizeof(*v));
		t->nexes = h->nexes;
		return;
	}
	v[0] = SBINDIR "/trace-execd";
	t->nexes = 1;
	n = readlink("/proc/self/exe", buf, size - sizeof("/trace-execd"));
	if (n <= 0 || (size_t)n >= size - sizeof("/trace-execd"))
		return;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return;
	strcpy(slash, "/trace-execd");
	if (strcmp(buf, v[0]))
		v[t->nexes++] = buf;
}

/* A time option into usec (0 when not given); 0 or -EINVAL. */
static int parse_opt_time(const char *name, const char *s, uint64_t *out)
{
	*out = 0;
	if (!s)
		return 0;
	if (hist_parse_time(s, clock_usec(CLOCK_REALTIME), out) < 0) {
		log_error("--%s: '%s' is not a time (as journalctl takes it: "
			  "\"2026-11-30 14:05\", \"yesterday\", \"-1h\", \"@1764511507\")",
			  name, s);
		return -EINVAL;
	}
	return 0;
}

/* The exec message ids, failed ones with failed. */
static size_t exec_msgids(const char **v, bool failed, bool notes)
{
	size_t n = 0;

	v[n++] = MSGID_EXEC;
	v[n++] = MSGID_EXEC_KILLED;
	v[n++] = MSGID_EXEC_WOULD_KILL;
	if (failed)
		v[n++] = MSGID_EXEC_FAILED;
	if (notes) {
		v[n++] = MSGID_LOST;
		v[n++] = MSGID_EXEC_FOLDED;
	}
	return n;
}

/* What the reader skipped and marked, on stderr. */
static void say_counts(const struct hist_reader *r, uint64_t shown)
{
	log_info("%" PRIu64 " execs shown; %" PRIu64 " entries of other senders skipped"
		 " (not _UID=0 with unit %s or executable %s%s%s)",
		 shown, r->skipped, DAEMON_UNIT, r->trust.exes[0],
		 r->trust.nexes > 1 ? " or " : "", r->trust.nexes > 1 ? r->trust.exes[1] : "");
	if (r->unverified)
		log_warn("%" PRIu64 " entries of uid 0 with trace-execd's identifier whose sender "
			 "journald no longer knew (no unit, executable or command) are counted "
			 "as the daemon's, marked unverified", r->unverified);
}

/* One exec on stdout, as the table or a JSON line. */
static int show(struct stdout_sink *out, const struct table *t, bool json,
		const struct hist_event *he)
{
	const struct rule_match *m = he->m.name || he->m.action ? &he->m : NULL;
	const struct exec_event *ev = &he->ev;
	struct field extra[2] = {
		{ .name = "_HOSTNAME", .kind = FIELD_STR, .s = ev->host ? ev->host : "",
		  .len = ev->host ? strlen(ev->host) : 0 },
		{ .name = "trace_execd_sender", .kind = FIELD_STR, .s = "unverified", .len = 10 },
	};
	int r;

	if (json)
		r = event_json_extra(&out->buf, ev, m, extra,
				     he->sender == HIST_UNVERIFIED ? 2 : 1);
	else
		r = event_table_row(&out->buf, t, ev);
	return r ?: stdout_sink_spill(out);
}

/* Past execs, then with --follow the new ones, until stopped. */
static int run_list(const struct hist_app *h, const struct exec_filter *f,
		    struct hist_reader *r, uint64_t since, volatile sig_atomic_t *stop)
{
	struct stdout_sink out = { STRBUF_INIT };
	const char *ids[8];
	struct table t;
	bool json = h->mode == TE_STDOUT_JSON;
	uint64_t shown = 0;
	int e;

	r->args = true;
	e = hist_match(r, ids, exec_msgids(ids, f->failed, false), f, NULL);
	e = e ?: hist_seek(r, since, h->follow && !since);
	if (!e && !json)
		e = event_table_init_host(&t, h->paths, h->lineage, h->k8s,
					  h->directory || h->nfiles,
					  table_term_width(STDOUT_FILENO)) ?:
		    table_header(&out.buf, &t);
	while (!e && !*stop) {
		e = hist_next(r);
		if (e > 0) {
			e = 0;
			if (!exec_filter_match(f, &r->he.ev, &r->he.m))
				continue;
			shown++;
			e = show(&out, &t, json, &r->he);
			continue;
		}
		if (e < 0 || !h->follow)
			break;
		/* at the end: what was read is out, then wait for more */
		e = stdout_sink_flush(&out) ?: hist_wait(r, FOLLOW_WAIT_USEC);
	}
	e = e ?: stdout_sink_flush(&out);
	stdout_sink_free(&out);
	say_counts(r, shown);
	return e;
}

/* One part of a report's range, counted by a reader of its own. */
struct report_part {
	struct hist_reader *r;		/* opened; r->until the part's end */
	const struct exec_filter *f;	/* failed execs in */
	bool notes;			/* lost and fold entries counted */
	uint64_t since;			/* the part's start */
	struct report rp;
	int err;
};

/* Count the part's entries into p->rp; 0 or negative errno. */
static int count_part(struct report_part *p)
{
	struct hist_reader *r = p->r;
	const char *ids[8];
	bool note;
	int e;

	r->he.only = report_fields;
	e = hist_match(r, ids, exec_msgids(ids, true, p->notes), p->f, NULL);
	e = e ?: hist_seek(r, p->since, false);
	while (!e && (e = hist_next(r)) > 0) {
		e = 0;
		note = r->he.has[HF_LOST] || r->he.has[HF_FOLDED_COUNT];
		if (note ? !p->notes : !exec_filter_match(p->f, &r->he.ev, &r->he.m))
			continue;
		e = report_add(&p->rp, &r->he);
	}
	p->rp.skipped = r->skipped;
	p->rp.unverified = r->unverified;
	return e;
}

/*
 * Count the second part in a child process of its own (a reader of its
 * own: a journal cannot be used across fork(), and two threads of one
 * process would share its mappings, and unmapping stops them both), which
 * sends its counts through a pipe. The child's pid, its pipe's end in
 * *fd; negative errno when it could not start.
 */
static pid_t start_part(struct report_part *p, const struct hist_source *src, int *fd)
{
	pid_t pid, parent = getpid();
	int pfd[2], e;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		e = -errno;
		close(pfd[0]);
		close(pfd[1]);
		return e;
	}
	if (pid == 0) {
		/* no orphan reading on: it goes with trace-exec */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		close(pfd[0]);
		e = hist_open(p->r, src, 8192);
		e = e ?: count_part(p);
		e = e ?: report_write(pfd[1], &p->rp);
		_exit(e ? 1 : 0);
	}
	close(pfd[1]);
	*fd = pfd[0];
	return pid;
}

/* Add the child's counts; 0 or negative errno (said). */
static int finish_part(pid_t pid, int fd, struct report *rp)
{
	int e = report_read_merge(fd, rp), st;

	close(fd);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!e && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		e = -EIO;
	if (e)
		log_error("counting the second half of the range failed: %s", strerror(-e));
	return e;
}

/*
 * The report over the range, in two halves of its time read at once (the
 * second by a child process: the journal's reading is most of the cost,
 * and a machine has two CPUs or more), then added up. An entry is in one
 * half only: the first ends at the middle, the second starts after it.
 */
static int run_report(const struct hist_app *h, const struct exec_filter *f0,
		      struct hist_reader *r, const struct hist_source *src,
		      uint64_t since, uint64_t until)
{
	struct stdout_sink out = { STRBUF_INIT };
	struct exec_filter f = *f0;
	struct hist_reader r2 = { .trust = r->trust, .until = until };
	struct report_part a = { .r = r, .f = &f, .notes = !filter_any(f0), .since = since };
	struct report_part b = { .r = &r2, .f = &f, .notes = a.notes };
	uint64_t first = 0, last = 0;
	const char *ids[8];
	pid_t child = -1;
	int e, fd = -1;

	f.failed = true;	/* the report counts failures */
	report_init(&a.rp);
	report_init(&b.rp);
	e = hist_match(r, ids, exec_msgids(ids, true, a.notes), &f, NULL);
	e = e ?: hist_bounds(r, since, until, &first, &last);
	if (e > 0 && last > first) {
		b.since = first + (last - first) / 2 + 1;
		fflush(NULL);
		child = start_part(&b, src, &fd);
		if (child > 0)
			r->until = b.since - 1;
	}
	e = e < 0 ? e : count_part(&a);
	if (child > 0) {
		if (e)
			kill(child, SIGTERM);
		e = finish_part(child, fd, &a.rp) ?: e;
	}
	a.rp.since = since;
	a.rp.until = until;
	if (!e)
		e = h->mode == TE_STDOUT_JSON ? report_json(&out.buf, &a.rp, h->top) :
		    report_table(&out.buf, &a.rp, h->top);
	e = e ?: stdout_sink_flush(&out);
	stdout_sink_free(&out);
	report_free(&a.rp);
	report_free(&b.rp);
	return e;
}

/* The tree of one exec. */
static int run_tree(const struct hist_app *h, const struct exec_filter *f,
		    struct hist_reader *r, uint64_t since)
{
	struct stdout_sink out = { STRBUF_INIT };
	struct tree_opts o = { .json = h->mode == TE_STDOUT_JSON,
			       .host = h->directory || h->nfiles,
			       .failed = f->failed, .since = since };
	struct exec_filter host = { .hostname = f->hostname };
	struct tree t;
	int e;

	r->args = true;
	o.f = &host;
	e = tree_build(&t, r, h->tree, &o);
	if (e == -ENOENT)
		log_error("no exec of trace-execd's with EXEC_ID %s in the journal", h->tree);
	if (!e && t.cut)
		log_warn("the tree is cut: deeper than %d or more than %d execs",
			 TREE_MAX_DEPTH, TREE_MAX_NODES);
	e = e ?: tree_render(&out.buf, &t, &o);
	e = e ?: stdout_sink_flush(&out);
	stdout_sink_free(&out);
	tree_free(&t);
	if (r->skipped || r->unverified)
		say_counts(r, 0);
	return e;
}

int hist_run(const struct hist_app *h, const struct exec_filter *f,
	     volatile sig_atomic_t *stop)
{
	struct hist_source src = { .directory = h->directory, .ns = h->ns,
				   .files = h->nfiles ? h->files : NULL };
	struct hist_reader r = { .trust.unit = DAEMON_UNIT };
	const char *exes[HIST_MAX_PATHS + 2];
	char self[PATH_MAX];
	uint64_t since, until;
	int e;

	/* only --follow runs until stopped: Ctrl-C ends the others at once
	 * (a report's child too) */
	if (!h->follow) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
	}
	default_exes(&r.trust, exes, h, self, sizeof(self));
	if (parse_opt_time("since", h->since, &since) ||
	    parse_opt_time("until", h->until, &until))
		return 2;
	r.until = until;
	/* the report reads no arguments: long values are cut, not read */
	e = hist_open(&r, &src, h->report ? 8192 : 0);
	if (e)
		return 1;
	if (h->report)
		e = run_report(h, f, &r, &src, since, until);
	else if (h->tree)
		e = run_tree(h, f, &r, since);
	else
		e = run_list(h, f, &r, since, stop);
	hist_close(&r);
	if (e == -EIO)
		log_error("writing to standard output failed");
	return e < 0 ? 1 : 0;
}
