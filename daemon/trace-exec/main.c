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
#include "core/decode.h"
#include "core/log.h"
#include "enrich/enrich.h"
#include "format/output.h"
#include "format/table.h"
#include "tracer/tracer.h"

enum out_mode { OUT_TABLE, OUT_JSON };

struct app {
	struct tracer_opts opts;
	enum out_mode mode;
	bool paths;
	struct decoder dec;
	struct enricher *enricher;
	const char *containername;	/* --containername */
	enum { SEL_ALL, SEL_HOST, SEL_CONTAINERS } select;
	struct table table;
	struct strbuf out;
	uint64_t events;
	uint64_t bad;
	uint64_t lost_reported;
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
"Show every exec on this host as it happens.\n\n"
"  --ignore-failed[=BOOL]   hide failed execs (default true)\n"
"  --paths[=BOOL]           add the CWD, FILE and EXEPATH columns (default false)\n"
"  --uid UID                only execs by this real uid\n"
"  --containername NAME     only execs in the container of this name\n"
"  --host                   only execs of host processes\n"
"  --containers-only        only execs inside containers\n"
"  -o, --output FORMAT      table (default) or json (one object per line)\n"
"  --max-args-bytes N       argument bytes kept per exec (default %u, max %u)\n"
"  --ringbuf-size BYTES     kernel ring buffer size, a power of two (default 4194304)\n"
"  -v, --verbose            also show libbpf's debug messages\n"
"  -h, --help               show this help\n"
"  -V, --version            show the version\n"
"\nSee trace-exec(8).\n", TE_ARGS_DEFAULT, TE_ARGS_MAX);
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

/* Returns 0 to run, 1 to exit 0, negative to exit 2. */
static int parse_args(struct app *a, int argc, char **argv)
{
	enum { O_IGNORE_FAILED = 256, O_PATHS, O_UID, O_ARGS, O_RINGBUF,
	       O_CONTAINERNAME, O_HOST, O_CONTAINERS };
	static const struct option longopts[] = {
		{ "ignore-failed", optional_argument, NULL, O_IGNORE_FAILED },
		{ "paths", optional_argument, NULL, O_PATHS },
		{ "uid", required_argument, NULL, O_UID },
		{ "containername", required_argument, NULL, O_CONTAINERNAME },
		{ "host", no_argument, NULL, O_HOST },
		{ "containers-only", no_argument, NULL, O_CONTAINERS },
		{ "output", required_argument, NULL, 'o' },
		{ "max-args-bytes", required_argument, NULL, O_ARGS },
		{ "ringbuf-size", required_argument, NULL, O_RINGBUF },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	bool verbose = false;
	int c, r = 0;

	while (r == 0 && (c = getopt_long(argc, argv, "o:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case O_IGNORE_FAILED:
			r = opt_bool("ignore-failed", optarg, &a->opts.ignore_failed);
			break;
		case O_PATHS:
			r = opt_bool("paths", optarg, &a->paths);
			break;
		case O_UID:
			r = opt_u32("uid", optarg, &a->opts.uid);
			a->opts.uid_filter = true;
			break;
		case O_CONTAINERNAME:
			a->containername = optarg;
			break;
		case O_HOST:
			a->select = SEL_HOST;
			break;
		case O_CONTAINERS:
			a->select = SEL_CONTAINERS;
			break;
		case O_ARGS:
			r = opt_u32("max-args-bytes", optarg, &a->opts.args_max);
			break;
		case O_RINGBUF:
			r = opt_u32("ringbuf-size", optarg, &a->opts.ringbuf_size);
			break;
		case 'o':
			if (!strcmp(optarg, "json"))
				a->mode = OUT_JSON;
			else if (!strcmp(optarg, "table"))
				a->mode = OUT_TABLE;
			else {
				log_error("--output: '%s' is not table or json", optarg);
				r = -EINVAL;
			}
			break;
		case 'v':
			verbose = true;
			break;
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
	if (r == 0 && a->containername && a->select == SEL_HOST) {
		log_error("--containername and --host exclude each other");
		r = -EINVAL;
	}
	if (r == 0 && optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		r = -EINVAL;
	}
	tracer_setup_logging(verbose);
	/* JSON carries every field, so the kernel collects paths for it. */
	/* (the cgroup, which identifies containers, is always collected) */
	a->opts.paths = a->paths || a->mode == OUT_JSON;
	return r;
}

/* Whether the container options let this event through. */
static bool selected(const struct app *a, const struct exec_event *ev)
{
	if (a->select == SEL_HOST && ev->container)
		return false;
	if (a->select == SEL_CONTAINERS && !ev->container)
		return false;
	return !a->containername ||
	       (ev->container && !strcmp(ev->container->name, a->containername));
}

/* Ring-buffer callback: decode, name and print one event. */
static int on_event(void *ctx, const void *data, size_t size)
{
	struct app *a = ctx;
	struct exec_event ev;
	int r;

	r = decode_event(&a->dec, data, size, &ev);
	if (r < 0) {
		a->bad++;
		return 0;
	}
	enrich_event(a->enricher, &ev, clock_usec(CLOCK_MONOTONIC));
	if (!selected(a, &ev))
		return 0;
	if (a->mode == OUT_JSON)
		r = output_json(&a->out, &ev, NULL);
	else
		r = output_table_row(&a->out, &a->table, &ev);
	a->events++;
	return r < 0 ? r : 0;
}

static int flush_out(struct app *a)
{
	if (a->out.len && fwrite(a->out.p, 1, a->out.len, stdout) != a->out.len)
		return -EIO;
	sb_reset(&a->out);
	return fflush(stdout) == 0 ? 0 : -EIO;
}

/* Total of the kernel's lost-event counters. */
static uint64_t lost_total(struct tracer *t, uint64_t c[TE_COUNTER_NR])
{
	if (tracer_counters(t, c) < 0)
		return 0;
	return c[TE_LOST_RINGBUF] + c[TE_LOST_PENDING] + c[TE_LOST_SCRATCH];
}

static void report_lost(struct app *a, struct tracer *t, bool final)
{
	uint64_t c[TE_COUNTER_NR], lost = lost_total(t, c);

	if (lost == a->lost_reported && !(final && lost))
		return;
	log_warn("%s%" PRIu64 " events lost (ring buffer full: %" PRIu64
		 ", pending map full: %" PRIu64 ", no scratch slot: %" PRIu64 ")",
		 final ? "total: " : "", lost, c[TE_LOST_RINGBUF],
		 c[TE_LOST_PENDING], c[TE_LOST_SCRATCH]);
	a->lost_reported = lost;
}

static int run(struct app *a, struct tracer *t)
{
	time_t last = 0, now;
	int r = 0;

	while (!stop) {
		r = tracer_poll(t, 200);
		if (r < 0)
			break;
		r = flush_out(a);
		if (r < 0)
			break;
		now = time(NULL);
		if (now != last) {
			last = now;
			decoder_sync_clock(&a->dec);
			enricher_tick(a->enricher, clock_usec(CLOCK_MONOTONIC));
			report_lost(a, t, false);
		}
	}
	if (r >= 0) {
		r = tracer_consume(t);
		if (r >= 0)
			r = flush_out(a);
	}
	report_lost(a, t, true);
	if (a->bad)
		log_warn("%" PRIu64 " malformed records skipped", a->bad);
	return r < 0 ? r : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct tracer *t = NULL;
	struct app a = { .mode = OUT_TABLE };
	int r;

	tracer_opts_defaults(&a.opts);
	r = parse_args(&a, argc, argv);
	if (r)
		return r > 0 ? 0 : 2;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	decoder_init(&a.dec);
	r = enricher_new(&a.enricher, NULL);
	if (r < 0)
		goto out;
	if (a.mode == OUT_TABLE) {
		r = output_table_init(&a.table, a.paths, table_term_width(STDOUT_FILENO));
		if (r == 0)
			r = output_table_header(&a.out, &a.table);
		if (r < 0)
			goto out;
	}
	r = tracer_open(&t, &a.opts, on_event, &a);
	if (r < 0)
		goto out;
	log_info("tracing execs; press Ctrl-C to stop");
	r = flush_out(&a);
	if (r == 0)
		r = run(&a, t);
out:
	tracer_close(t);
	enricher_free(a.enricher);
	decoder_free(&a.dec);
	sb_free(&a.out);
	if (r < 0 && r != -EIO)
		return 1;
	return r == -EIO ? 1 : 0;
}
