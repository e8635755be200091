// SPDX-License-Identifier: GPL-2.0-or-later
/* trace-execd/main.c: the exec monitoring service: options, start-up, the run, shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "autoconfig.h"
#include "config/config.h"
#include "core/log.h"
#include "pipeline/pipeline.h"
#include "policy/policy.h"
#include "trace-execd/service.h"
#include "tracer/tracer.h"

struct options {
	const char *config;
	bool foreground;
	bool check;
	bool verbose;
	enum te_stdout_fmt echo;
	const char *status_file;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: trace-execd [OPTIONS]\n"
"Trace every exec on this host and write one journal entry for each.\n\n"
"  -c, --config PATH     configuration file (default " TE_CONFIG_PATH ")\n"
"  -t, --check-config    validate the configuration and its drop-ins, then exit\n"
"  -f, --foreground      stay in the foreground (as under systemd)\n"
"  -e, --echo=FORMAT     also print events on stdout: table or json\n"
"  -s, --status-file=PATH\n"
"                        write the status line systemctl status shows to PATH\n"
"                        every second (for a liveness probe)\n"
"  -v, --verbose         debug messages, libbpf's included\n"
"  -h, --help            show this help\n"
"  -V, --version         show the version\n"
"\nSignals: SIGHUP reloads the configuration, SIGTERM stops.\n"
"See trace-execd(8) and trace-execd.yaml(5).\n");
}

/* Returns 0 to go on, 1 to exit 0, negative to exit 2. */
static int parse_args(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 't' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "echo", required_argument, NULL, 'e' },
		{ "status-file", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{}
	};
	int c;

	while ((c = getopt_long(argc, argv, "c:tfe:s:vhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->config = optarg;
			break;
		case 't':
			o->check = true;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'e':
			if (pipeline_echo_format("--echo", optarg, &o->echo) < 0)
				return -EINVAL;
			break;
		case 's':
			o->status_file = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("trace-execd %s (BPF object %s)\n", PACKAGE_VERSION,
			       tracer_object_id());
			return 1;
		default:
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		log_error("unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* --check-config: print every error; 0 when the configuration is valid. */
static int check_config(const char *path)
{
	struct config_errors errs = { 0 };
	struct config *c = NULL;
	size_t i;
	int r;

	r = config_load(path, NULL, &c, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msgs[i]);
	config_errors_free(&errs);
	if (r < 0)
		return 1;
	printf("%s: configuration OK, %zu rules\n", path, policy_rule_count(c->policy));
	config_free(c);
	return 0;
}

/*
 * Go to the background: the parent exits once the child reports that
 * start-up finished (0) or failed (1). Returns the fd the child writes
 * its result to, or negative errno.
 */
static int daemonize(void)
{
	int p[2];
	char res = 1;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &res, 1) != 1)
			res = 1;
		_exit(res);
	}
	close(p[0]);
	if (setsid() < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0)
		_exit(0);
	if (chdir("/") < 0)
		return -errno;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		close(null);
	}
	return p[1];
}

static void report_start(int fd, char res)
{
	if (fd >= 0) {
		if (write(fd, &res, 1) < 0)
			log_warn("telling the parent how start-up went failed: %s",
				 strerror(errno));
		close(fd);
	}
}

int main(int argc, char **argv)
{
	struct options o = { .config = TE_CONFIG_PATH };
	struct service s;
	int r, fd = -1;

	/* Blocks past 128 KiB (a file read whole, the dpkg index's growing
	 * arrays) mapped and unmapped: with glibc's dynamic threshold the
	 * index's build left 11 MiB of free heap resident for good. */
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	log_set_kmsg_prefix(getenv("JOURNAL_STREAM") != NULL);
	r = parse_args(&o, argc, argv);
	if (r)
		return r > 0 ? 0 : 2;
	if (o.verbose)
		log_set_level(LOG_DEBUG);
	if (o.check)
		return check_config(o.config);
	tracer_setup_logging(o.verbose);
	if (!o.foreground && !getenv("NOTIFY_SOCKET")) {
		fd = daemonize();
		if (fd < 0) {
			log_error("going to the background failed: %s", strerror(-fd));
			return 1;
		}
	}
	r = service_start(&s, o.config, o.echo);
	s.status_file = o.status_file;
	report_start(fd, r < 0);
	if (r == 0)
		r = service_run(&s);
	service_stop(&s);
	return r < 0 ? 1 : 0;
}
