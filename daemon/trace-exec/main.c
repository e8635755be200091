// SPDX-License-Identifier: GPL-2.0-or-later
/* trace-exec/main.c: the live exec view, a table or JSON lines on stdout. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "autoconfig.h"
#include "core/log.h"
#include "core/util.h"
#include "enrich/enrich.h"
#include "enrich/hash.h"
#include "history/filter.h"
#include "pipeline/pipeline.h"
#include "trace-exec/history.h"
#include "tracer/tracer.h"

struct app {
	struct tracer_opts opts;
	enum te_stdout_fmt mode;	/* table or json */
	bool paths;
	bool lineage;			/* --lineage: EXEC_ID, PARENT_ID columns */
	bool sha256;			/* --sha256: EXEC_SHA256 in JSON */
	bool k8s;			/* --k8s: the K8S.* columns */
	struct exec_filter filter;	/* what the options select */
	struct hist_app hist;		/* the journal's modes */
	bool live_only;			/* an option of the live view's alone */
	struct pipeline pipe;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: trace-exec [OPTIONS]\n"
"Show every exec on this host as it happens, or those trace-execd wrote to\n"
"the journal (--since, --tree, --report).\n\n"
"  --ignore-failed[=BOOL]   hide failed execs (default true)\n"
"  --paths[=BOOL]           add the CWD, FILE and EXEPATH columns (default false)\n"
"  --lineage[=BOOL]         add the EXEC_ID and PARENT_ID columns (default false)\n"
"  --sha256[=BOOL]          hash what ran: EXEC_SHA256 in JSON (default false)\n"
"  --uid UID                only execs by this real uid\n"
"  --containername NAME     only execs in the container of this name\n"
"  --host                   only execs of host processes\n"
"  --containers-only        only execs inside containers\n"
"  --k8s[=BOOL]             K8S.NODE K8S.NAMESPACE K8S.PODNAME K8S.CONTAINERNAME\n"
"                           columns (default true inside Kubernetes: NODE_NAME\n"
"                           or KUBERNETES_SERVICE_HOST set)\n"
"  --k8s-namespace NS       only execs in pods of this namespace\n"
"  --k8s-podname NAME       only execs in the pod of this name\n"
"  --k8s-containername NAME only execs in the Kubernetes container of this name\n"
"  --exe PATH               only execs of this executable (a glob: * ? [)\n"
"  --comm NAME              only execs of this command name (a glob)\n"
"  -o, --output FORMAT      table (default) or json (one object per line)\n"
"History, from the journal trace-execd writes:\n"
"  --since TIME, --until TIME  the execs in this range (journalctl's times:\n"
"                           \"2026-11-30 14:05\", yesterday, -1h, @EPOCH)\n"
"  -f, --follow             then go on with the new ones as they come\n"
"  --rule NAME, --tag TAG, --action ACTION  only execs of this policy rule,\n"
"                           tag, or EXEC_ACTION (killed, would-kill)\n"
"  --hostname NAME          only the execs of this host (_HOSTNAME: a collector's)\n"
"  --tree EXEC_ID           the exec, its ancestors and all its descendants\n"
"  --report                 counts by executable, user, container, rule, tag,\n"
"                           action; failures by error; kill verdicts; first seen\n"
"  --top N                  lines per report section (default 10, 0: all)\n"
"  -D, --directory DIR      read the journal files in DIR (a collector's)\n"
"  --file FILE              read this journal file (may be repeated)\n"
"  --namespace NS           read the local journal namespace NS\n"
"  --sender-exe PATH        the daemon's executable, for entries without its\n"
"                           unit (default %s/trace-execd and the one beside\n"
"                           this program; may be repeated)\n"
"Live view only:\n"
"  --max-args-bytes N       argument bytes kept per exec (default %u, max %u)\n"
"  --ringbuf-size BYTES     kernel ring buffer size, a power of two (default 4194304)\n"
"  --failed-exec-budget BYTES  ring bytes a second of failed execs per uid;\n"
"                           the rest are folded into a count (default %u,\n"
"                           0: no limit)\n"
"  --failed-exec-budget-cgroup BYTES  the same per cgroup (default %u)\n"
"  -v, --verbose            also show libbpf's debug messages\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\nSee trace-exec(8).\n", SBINDIR, TE_ARGS_DEFAULT, TE_ARGS_MAX, TE_FAIL_BUDGET_UID,
	TE_FAIL_BUDGET_CGROUP);
}

/* Parse an optional boolean option argument; NULL means true. */
static int opt_bool(const char *name, const char *arg, bool *out)
{
	int v = arg ? parse_bool(arg) : 1;

	if (v < 0) {
		log_error("--%s: '%s' is not a boolean (true or false)", name, arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int opt_u32(const char *name, const char *arg, uint32_t *out)
{
	if (parse_u32(arg, out) < 0) {
		log_error("--%s: '%s' is not a number", name, arg);
		return -EINVAL;
	}
	return 0;
}

enum { O_IGNORE_FAILED = 256, O_PATHS, O_LINEAGE, O_SHA256, O_UID, O_ARGS, O_RINGBUF,
       O_CONTAINERNAME, O_HOST, O_CONTAINERS, O_FAIL_BUDGET, O_FAIL_BUDGET_CG,
       O_K8S, O_K8S_NAMESPACE, O_K8S_PODNAME, O_K8S_CONTAINERNAME,
       O_EXE, O_COMM, O_RULE, O_TAG, O_ACTION, O_SINCE, O_UNTIL, O_TREE,
       O_REPORT, O_TOP, O_FILE, O_SENDER_EXE, O_HOSTNAME, O_NAMESPACE };

/* Add path to a list of at most HIST_MAX_PATHS; 0 or -EINVAL. */
static int opt_path(const char *name, const char **v, size_t *n, const char *path)
{
	if (*n == HIST_MAX_PATHS) {
		log_error("--%s: at most %d", name, HIST_MAX_PATHS);
		return -EINVAL;
	}
	v[(*n)++] = path;
	return 0;
}

/* The options of the journal's modes; 0, or -ENOENT when c is none. */
static int parse_hist_opt(struct app *a, int c)
{
	struct hist_app *h = &a->hist;
	uint32_t top;

	switch (c) {
	case O_RULE:
		a->filter.rule = optarg;
		return 0;
	case O_TAG:
		a->filter.tag = optarg;
		return 0;
	case O_ACTION:
		a->filter.action = optarg;
		return 0;
	case O_HOSTNAME:
		a->filter.hostname = optarg;
		return 0;
	case O_SINCE:
		h->since = optarg;
		return 0;
	case O_UNTIL:
		h->until = optarg;
		return 0;
	case 'f':
		h->follow = true;
		return 0;
	case O_TREE:
		h->tree = optarg;
		return 0;
	case O_REPORT:
		h->report = true;
		return 0;
	case O_TOP:
		if (opt_u32("top", optarg, &top))
			return -EINVAL;
		h->top = top;
		return 0;
	case 'D':
		h->directory = optarg;
		return 0;
	case O_FILE:
		return opt_path("file", h->files, &h->nfiles, optarg);
	case O_NAMESPACE:
		h->ns = optarg;
		return 0;
	case O_SENDER_EXE:
		return opt_path("sender-exe", h->exes, &h->nexes, optarg);
	}
	return -ENOENT;
}

/* Take one option c with optarg; 0 to go on, 1 to exit 0, negative to
 * exit 2. */
static int parse_opt(struct app *a, int c, bool *verbose)
{
	int r = parse_hist_opt(a, c);

	if (r != -ENOENT)
		return r;
	switch (c) {
	case O_IGNORE_FAILED:
		return opt_bool("ignore-failed", optarg, &a->opts.ignore_failed);
	case O_PATHS:
		return opt_bool("paths", optarg, &a->paths);
	case O_LINEAGE:
		return opt_bool("lineage", optarg, &a->lineage);
	case O_SHA256:
		a->live_only = true;
		return opt_bool("sha256", optarg, &a->sha256);
	case O_UID:
		a->opts.uid_filter = a->filter.uid_set = true;
		r = opt_u32("uid", optarg, &a->opts.uid);
		a->filter.uid = a->opts.uid;
		return r;
	case O_CONTAINERNAME:
		a->filter.containername = optarg;
		return 0;
	case O_HOST:
		a->filter.where = FILTER_HOST;
		return 0;
	case O_K8S:
		return opt_bool("k8s", optarg, &a->k8s);
	case O_K8S_NAMESPACE:
		a->filter.k8s_namespace = optarg;
		return 0;
	case O_K8S_PODNAME:
		a->filter.k8s_podname = optarg;
		return 0;
	case O_K8S_CONTAINERNAME:
		a->filter.k8s_containername = optarg;
		return 0;
	case O_CONTAINERS:
		a->filter.where = FILTER_CONTAINERS;
		return 0;
	case O_EXE:
		a->filter.exe = optarg;
		return 0;
	case O_COMM:
		a->filter.comm = optarg;
		return 0;
	case O_ARGS:
		a->live_only = true;
		return opt_u32("max-args-bytes", optarg, &a->opts.args_max);
	case O_RINGBUF:
		a->live_only = true;
		return opt_u32("ringbuf-size", optarg, &a->opts.ringbuf_size);
	case O_FAIL_BUDGET:
		a->live_only = true;
		return opt_u32("failed-exec-budget", optarg, &a->opts.fail_budget_uid);
	case O_FAIL_BUDGET_CG:
		a->live_only = true;
		return opt_u32("failed-exec-budget-cgroup", optarg,
			       &a->opts.fail_budget_cgroup);
	case 'o':
		return pipeline_echo_format("--output", optarg, &a->mode);
	case 'v':
		*verbose = true;
		return 0;
	case 'h':
		usage(stdout);
		return 1;
	case 'V':
		printf("trace-exec %s\n", PACKAGE_VERSION);
		return 1;
	default:
		usage(stderr);
		return -EINVAL;
	}
}

/* The filters against the mode; 0 or -EINVAL (said). */
static int check_filters(struct app *a)
{
	const struct exec_filter *f = &a->filter;

	if ((f->containername || f->k8s_namespace || f->k8s_podname ||
	     f->k8s_containername) && f->where == FILTER_HOST) {
		log_error("--containername and the --k8s-* filters exclude --host");
		return -EINVAL;
	}
	if (!hist_wanted(&a->hist)) {
		if (f->rule || f->tag || f->action || f->hostname) {
			log_error("--rule, --tag, --action and --hostname select the journal's execs: "
				  "give --since (or --report) too");
			return -EINVAL;
		}
		return 0;
	}
	if (a->live_only) {
		log_error("--sha256, --max-args-bytes, --ringbuf-size and the budgets "
			  "are the live view's: the journal has what trace-execd wrote");
		return -EINVAL;
	}
	return hist_check(&a->hist, f);
}

/* Returns 0 to run, 1 to exit 0, negative to exit 2. */
static int parse_args(struct app *a, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ignore-failed", optional_argument, NULL, O_IGNORE_FAILED },
		{ "paths", optional_argument, NULL, O_PATHS },
		{ "lineage", optional_argument, NULL, O_LINEAGE },
		{ "sha256", optional_argument, NULL, O_SHA256 },
		{ "uid", required_argument, NULL, O_UID },
		{ "containername", required_argument, NULL, O_CONTAINERNAME },
		{ "host", no_argument, NULL, O_HOST },
		{ "containers-only", no_argument, NULL, O_CONTAINERS },
		{ "k8s", optional_argument, NULL, O_K8S },
		{ "k8s-namespace", required_argument, NULL, O_K8S_NAMESPACE },
		{ "k8s-podname", required_argument, NULL, O_K8S_PODNAME },
		{ "k8s-containername", required_argument, NULL, O_K8S_CONTAINERNAME },
		{ "exe", required_argument, NULL, O_EXE },
		{ "comm", required_argument, NULL, O_COMM },
		{ "rule", required_argument, NULL, O_RULE },
		{ "tag", required_argument, NULL, O_TAG },
		{ "action", required_argument, NULL, O_ACTION },
		{ "hostname", required_argument, NULL, O_HOSTNAME },
		{ "since", required_argument, NULL, O_SINCE },
		{ "until", required_argument, NULL, O_UNTIL },
		{ "follow", no_argument, NULL, 'f' },
		{ "tree", required_argument, NULL, O_TREE },
		{ "report", no_argument, NULL, O_REPORT },
		{ "top", required_argument, NULL, O_TOP },
		{ "directory", required_argument, NULL, 'D' },
		{ "file", required_argument, NULL, O_FILE },
		{ "namespace", required_argument, NULL, O_NAMESPACE },
		{ "sender-exe", required_argument, NULL, O_SENDER_EXE },
		{ "output", required_argument, NULL, 'o' },
		{ "max-args-bytes", required_argument, NULL, O_ARGS },
		{ "ringbuf-size", required_argument, NULL, O_RINGBUF },
		{ "failed-exec-budget", required_argument, NULL, O_FAIL_BUDGET },
		{ "failed-exec-budget-cgroup", required_argument, NULL, O_FAIL_BUDGET_CG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	bool verbose = false;
	int c, r = 0;

	/* inside a Kubernetes pod (the DaemonSet's): its view by default */
	a->k8s = getenv("NODE_NAME") || getenv("KUBERNETES_SERVICE_HOST");
	a->hist.top = 10;
	while (r == 0 && (c = getopt_long(argc, argv, "o:fD:vhV", longopts, NULL)) != -1)
		r = parse_opt(a, c, &verbose);
	if (r)
		return r;
	r = check_filters(a);
	if (r == 0 && optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		r = -EINVAL;
	}
	tracer_setup_logging(verbose);
	/* JSON carries every field, so the kernel collects paths for it;
	 * --exe selects by one of them. */
	/* (the cgroup, which identifies containers, is always collected) */
	a->opts.paths = a->paths || a->mode == TE_STDOUT_JSON || a->filter.exe;
	a->filter.failed = !a->opts.ignore_failed;
	a->hist.mode = a->mode;
	a->hist.paths = a->paths;
	a->hist.lineage = a->lineage;
	a->hist.k8s = a->k8s;
	return r;
}

/* Whether the options let this event through (the same filter as the
 * journal's history; the kernel already applied --uid and failed execs). */
static bool selected(void *ctx, const struct exec_event *ev)
{
	const struct app *a = ctx;

	return exec_filter_match(&a->filter, ev, NULL);
}

/* The losses so far, as one line on stderr. */
static void report_total(struct pipeline *p)
{
	uint64_t c[LOST_NR];
	struct strbuf msg = STRBUF_INIT;

	pipeline_lost(p, c);
	if (!pipeline_lost_sum(c) || pipeline_lost_message(p, &msg, c) < 0)
		goto out;
	log_warn("total: %s", msg.p);
out:
	sb_free(&msg);
}

/* Until Ctrl-C: read, print, and once a second the periodic work. */
static int run(struct app *a)
{
	struct pipeline *p = &a->pipe;
	time_t last = 0, now;
	int w, r = 0;

	while (!stop) {
		w = pipeline_wait_ms(p);
		r = tracer_wait(p->tracer, w < 0 || w > 200 ? 200 : w);
		if (r >= 0)
			r = pipeline_read(p);
		if (r >= 0)
			r = stdout_sink_flush(&p->out);
		if (r < 0)
			break;
		now = time(NULL);
		if (now != last) {
			last = now;
			r = pipeline_tick(p, clock_usec(CLOCK_MONOTONIC));
			if (r < 0)
				break;
		}
	}
	if (r >= 0)
		r = pipeline_finish(p);
	report_total(p);
	if (p->n.bad)
		log_warn("%" PRIu64 " malformed records skipped", p->n.bad);
	return r < 0 ? r : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct app a = { .mode = TE_STDOUT_TABLE };
	struct pipeline *p = &a.pipe;
	struct tracer *t = NULL;
	struct hash_opts ho;
	int r;

	tracer_opts_defaults(&a.opts);
	r = parse_args(&a, argc, argv);
	if (r)
		return r > 0 ? 0 : 2;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (hist_wanted(&a.hist))
		return hist_run(&a.hist, &a.filter, &stop);
	pipeline_init(p);
	p->select = selected;
	p->select_ctx = &a;
	p->lost_report_usec = 1000000;
	r = enricher_new(&p->enricher, NULL);
	if (r == 0 && a.sha256) {
		hash_opts_defaults(&ho);
		r = hasher_new(&p->hasher, &ho);
	}
	if (r == 0)
		r = pipeline_set_echo(p, a.mode, a.paths, a.lineage, a.k8s);
	if (r == 0)
		r = tracer_open(&t, &a.opts, pipeline_event, p);
	if (r < 0)
		goto out;
	pipeline_set_tracer(p, t);
	log_info("tracing execs; press Ctrl-C to stop");
	r = stdout_sink_flush(&p->out);
	if (r == 0)
		r = run(&a);
out:
	tracer_close(p->tracer);
	enricher_free(p->enricher);
	hasher_free(p->hasher);
	pipeline_free(p);
	return r < 0 ? 1 : 0;
}
