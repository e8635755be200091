// SPDX-License-Identifier: GPL-2.0-or-later
/* service.c: trace-execd's run: configuration and its reload, the event loop, status and watchdog. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "core/log.h"
#include "core/util.h"
#include "enrich/enrich.h"
#include "enrich/first-seen.h"
#include "enrich/hash.h"
#include "enrich/pkgcheck.h"
#include "policy/kill-compile.h"
#include "policy/match.h"
#include "policy/policy.h"
#include "trace-execd/caps.h"
#include "trace-execd/service.h"

static uint64_t now_usec(void)
{
	return clock_usec(CLOCK_MONOTONIC);
}

static void settings_to_opts(const struct te_settings *st,
			     struct tracer_opts *o)
{
	o->args_max = st->max_args_bytes;
	o->ringbuf_size = st->ringbuf_size;
	o->pending_max = st->pending_max;
	o->paths = st->paths;
	o->fail_budget_uid = st->failed_exec_budget;
	o->fail_budget_cgroup = st->failed_exec_budget_cgroup;
	o->ignore_failed = st->ignore_failed;
	o->uid_filter = st->uid_set;
	o->uid = st->uid;
	o->keep_attached = true;
}

static void print_errors(const struct config_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->n; i++)
		log_error("%s", errs->msgs[i]);
}

/* The configuration's say over the pipeline: rules, outputs, reports. */
static void apply_settings(struct service *s)
{
	const struct te_settings *st = &s->cfg->settings;
	struct pipeline *p = &s->pipe;

	p->policy = s->cfg->policy;
	if (p->tracer)
		enforce_set_rules(&p->enforce, p->tracer, s->cfg->policy,
				  s->cfg->krules);
	p->sinks.journal_on = st->outputs.journal;
	p->sinks.syslog_on = st->outputs.syslog;
	p->sinks.facility = st->syslog_facility;
	p->lost_report_usec = st->lost_report_interval_usec;
	backlog_set_max(&p->sinks.journal.out, st->journal_backlog);
	backlog_set_max(&p->sinks.syslog.out, st->syslog_backlog);
}

/* --status-file: the status line into the file, replaced whole (write a
 * temporary file, rename it over); a failure is said once until the next
 * success. */
static void write_status_file(struct service *s, const char *text)
{
	char tmp[PATH_MAX];
	int fd, r = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", s->status_file) >= (int)sizeof(tmp)) {
		r = -ENAMETOOLONG;
		goto out;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	if (dprintf(fd, "%s\n", text) < 0)
		r = -EIO;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, s->status_file) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
out:
	if (r && !s->status_file_failed)
		log_warn("'%s': writing the status failed: %s", s->status_file, strerror(-r));
	s->status_file_failed = r != 0;
}

/* ", <who> backlog: N <what>, B bytes" into buf while entries wait in b
 * ("" when none does). */
static void backlog_status(char *buf, size_t size, const struct backlog *b,
			   const char *who, const char *what)
{
	buf[0] = '\0';
	if (backlog_entries(b))
		snprintf(buf, size, ", %s backlog: %zu %s, %zu bytes", who,
			 backlog_entries(b), what, backlog_bytes(b));
}

/* STATUS= for systemctl status (and --status-file): counts, rate, and the
 * journal's and syslog's backlogs while there are. */
static void notify_status(struct service *s, double secs)
{
	const struct pipeline_stats *n = &s->pipe.n;
	const struct sinks *k = &s->pipe.sinks;
	char jb[96], sb[96], text[480];

	backlog_status(jb, sizeof(jb), &k->journal.out, "journal", "entries");
	backlog_status(sb, sizeof(sb), &k->syslog.out, "syslog", "messages");
	snprintf(text, sizeof(text), "Tracing: %" PRIu64 " events, %" PRIu64
		 " written, %" PRIu64 " dropped by policy, %" PRIu64
		 " rate-limited, %" PRIu64 " lost, %.0f events/s%s%s",
		 n->events, n->written, n->dropped, n->suppressed,
		 pipeline_lost_total(&s->pipe),
		 (n->events - s->status_events) / secs, jb, sb);
	sd_notifyf(0, "STATUS=%s", text);
	if (s->status_file)
		write_status_file(s, text);
}

/* Once a second: status, then the pipeline's periodic work. */
static void on_tick(struct service *s)
{
	const struct pipeline_stats *n = &s->pipe.n;
	uint64_t now = now_usec();
	double secs = (now - s->status_usec) / 1e6;

	pipeline_tick(&s->pipe, now);	/* flushes first: the counts are current */
	pkgcheck_tick(s->pkgcheck, now);
	if (secs >= 0.5) {	/* every tick: the 1 s timer may come a little early */
		notify_status(s, secs);
		s->status_events = n->events;
		s->status_usec = now;
	}
	handover_tick(&s->handover, &s->pipe);	/* the loss report it made */
	metrics_tick(&s->metrics, &s->pipe, s->cfg->settings.metrics_file,
		     now, false);
}

/* The watchdog is fed every WATCHDOG_USEC/4: when it is due, monotonic usec. */
static uint64_t watchdog_due(const struct service *s)
{
	return s->watchdog_last + s->watchdog_usec / 4;
}

/* The loop made progress: feed the watchdog when it is due. */
static void watchdog_kick(struct service *s)
{
	uint64_t now;

	if (!s->watchdog_usec)
		return;
	now = now_usec();
	if (now >= watchdog_due(s)) {
		sd_notify(0, "WATCHDOG=1");
		s->watchdog_last = now;
	}
}

/* How long the loop may sleep: as the pipeline says, but no later than the
 * watchdog is due (the 1 s tick alone would feed a watchdog due every
 * second only every other second); -1: no limit. */
static int loop_wait_ms(const struct service *s)
{
	int ms = pipeline_wait_ms(&s->pipe);
	uint64_t now, due, wd;

	if (!s->watchdog_usec)
		return ms;
	now = now_usec();
	due = watchdog_due(s);
	wd = due > now ? (due - now + 999) / 1000 : 0;
	if (wd > INT_MAX)
		wd = INT_MAX;
	return ms < 0 || (uint64_t)ms > wd ? (int)wd : ms;
}

static void config_entry(struct service *s, const char *msgid, int prio,
			 const struct config_errors *errs)
{
	struct entry *e = &s->pipe.entry;
	size_t i;

	entry_begin(e, msgid, prio);
	entry_add_str(e, "CONFIG_FILE", s->config_path);
	if (errs) {
		sb_printf(&e->message, "configuration '%s' rejected (%zu error%s), keeping the previous one",
			  s->config_path, errs->n, errs->n == 1 ? "" : "s");
		for (i = 0; i < errs->n; i++)
			entry_add_str(e, "CONFIG_ERROR", errs->msgs[i]);
	} else {
		sb_printf(&e->message, "configuration '%s' loaded: %zu rules",
			  s->config_path, policy_rule_count(s->cfg->policy));
		entry_add_u64(e, "CONFIG_RULES", policy_rule_count(s->cfg->policy));
	}
	pipeline_note(&s->pipe, SINK_NOW);
}

/* Warn about settings the running tracer cannot change (they size its
 * maps): neither a reload nor a restart, which keeps the tracer. */
static void warn_restart(const struct tracer_opts *old, const struct tracer_opts *new)
{
	if (old->args_max != new->args_max || old->ringbuf_size != new->ringbuf_size ||
	    old->pending_max != new->pending_max || old->paths != new->paths ||
	    old->fail_budget_uid != new->fail_budget_uid ||
	    old->fail_budget_cgroup != new->fail_budget_cgroup)
		log_warn("max_args_bytes, ringbuf_size, pending_max, paths, failed_exec_budget and failed_exec_budget_cgroup take effect when the service is next stopped and started (systemctl stop, then start: a restart keeps the running tracer)");
}

/* A set path, or NULL for the runtime's default. */
static const char *path_or_null(const char *path)
{
	return path[0] ? path : NULL;
}

/* The first-seen store's file: the setting, else the unit's state
 * directory's (systemd's $STATE_DIRECTORY, its first one), else
 * LOCALSTATEDIR/lib/trace-execd's. */
static void first_seen_path(const struct te_settings *st, char *buf, size_t size)
{
	const char *dir = getenv("STATE_DIRECTORY");

	if (st->first_seen_file[0])
		snprintf(buf, size, "%s", st->first_seen_file);
	else if (dir && dir[0] == '/')
		snprintf(buf, size, "%.*s/first-seen", (int)strcspn(dir, ":"), dir);
	else
		snprintf(buf, size, "%s/lib/trace-execd/first-seen", LOCALSTATEDIR);
}

/* EXEC_FIRST_SEEN on or off; the store (re)opened when its file or size
 * changed. */
static void apply_first_seen(struct service *s, const struct te_settings *st, bool on)
{
	char path[sizeof(s->first_seen_path)];

	first_seen_path(st, path, sizeof(path));
	if (s->pipe.first_seen && (!on || strcmp(path, s->first_seen_path) ||
				   st->first_seen_entries != s->first_seen_entries)) {
		first_seen_free(s->pipe.first_seen);
		s->pipe.first_seen = NULL;
	}
	if (!on || s->pipe.first_seen)
		return;
	if (first_seen_open(&s->pipe.first_seen, path, st->first_seen_entries) < 0)
		return;
	snprintf(s->first_seen_path, sizeof(s->first_seen_path), "%s", path);
	s->first_seen_entries = st->first_seen_entries;
	log_info("first-seen store '%s'%s: %zu of %zu sightings", path,
		 first_seen_persistent(s->pipe.first_seen) ? "" : " (in memory)",
		 first_seen_count(s->pipe.first_seen),
		 first_seen_capacity(s->pipe.first_seen));
}

/* EXEC_PACKAGE_VERIFIED on or off: the checker of the host's database
 * made once (its index built now) and handed to the hasher. */
static void apply_pkgcheck(struct service *s, bool on)
{
	if (!on) {
		if (s->pipe.hasher)
			hasher_set_pkgcheck(s->pipe.hasher, NULL);
		pkgcheck_free(s->pkgcheck);
		s->pkgcheck = NULL;
		return;
	}
	if (!s->pkgcheck && pkgcheck_new(&s->pkgcheck, NULL) < 0)
		s->pkgcheck = NULL;
	if (s->pipe.hasher)
		hasher_set_pkgcheck(s->pipe.hasher, s->pkgcheck);
}

/* EXEC_SHA256 on (the setting, or a rule matches hashes, packages or
 * first sightings) or off, with the settings of c; a hasher that cannot
 * start leaves it off (logged). The package verdict and first-seen come
 * with the hash, each when its setting or a rule asks for it. */
static void apply_hashing(struct service *s, const struct config *c)
{
	const struct te_settings *st = &c->settings;
	struct hash_opts o = {
		.wait_usec = st->hash_wait_usec,
		.max_size = st->hash_max_size,
		.cache_entries = st->hash_cache_entries,
	};
	unsigned int need = policy_needs(c->policy);
	bool want = st->hash_sha256 || need;

	if (!want) {
		hasher_free(s->pipe.hasher);
		s->pipe.hasher = NULL;
	} else if (s->pipe.hasher) {
		hasher_set_opts(s->pipe.hasher, &o);
	} else if (hasher_new(&s->pipe.hasher, &o) < 0) {
		s->pipe.hasher = NULL;
	}
	want = s->pipe.hasher != NULL;
	apply_pkgcheck(s, want && (st->package_verify || (need & MATCH_NEEDS_PACKAGE)));
	apply_first_seen(s, st, want && (st->first_seen || (need & MATCH_NEEDS_FIRST_SEEN)));
}

/* enricher_new() with the containers settings ("" stands for the default). */
static int enricher_from_settings(struct enricher **e, const struct te_containers *t)
{
	const struct container_paths paths = {
		.podman_storage = path_or_null(t->podman_storage),
		.docker_root = path_or_null(t->docker_root),
		.containerd_state = path_or_null(t->containerd_state),
		.crio_state = path_or_null(t->crio_state),
		.runc_state = path_or_null(t->runc_state),
	};

	return enricher_new(e, &paths);
}

/* New container state paths: start a new enricher (old one kept on error). */
static void swap_enricher(struct service *s, const struct te_containers *paths)
{
	struct enricher *e;

	if (enricher_from_settings(&e, paths) < 0) {
		log_error("container state paths not changed: out of memory");
		return;
	}
	enricher_free(s->pipe.enricher);
	s->pipe.enricher = e;
}

/* SIGHUP: load the file again; keep the old configuration if it is bad. */
static void reload(struct service *s)
{
	struct config_errors errs = { 0 };
	struct tracer_opts o;
	struct config *c = NULL;

	sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%" PRIu64, now_usec());
	if (config_load(s->config_path, NULL, &c, &errs) < 0) {
		print_errors(&errs);
		config_entry(s, MSGID_CONFIG_REJECTED, LOG_ERR, &errs);
		config_errors_free(&errs);
		sd_notify(0, "READY=1");
		return;
	}
	o = s->topts;
	settings_to_opts(&c->settings, &o);
	warn_restart(&s->topts, &o);
	o.args_max = s->topts.args_max;
	o.ringbuf_size = s->topts.ringbuf_size;
	o.pending_max = s->topts.pending_max;
	o.paths = s->topts.paths;
	o.fail_budget_uid = s->topts.fail_budget_uid;
	o.fail_budget_cgroup = s->topts.fail_budget_cgroup;
	if (tracer_update(s->pipe.tracer, &o) == 0)
		s->topts = o;
	pipeline_close_windows(&s->pipe, true);
	if (memcmp(&c->settings.containers, &s->cfg->settings.containers,
		   sizeof(c->settings.containers)))
		swap_enricher(s, &c->settings.containers);
	apply_hashing(s, c);
	config_free(s->cfg);
	s->cfg = c;
	apply_settings(s);
	log_info("configuration '%s' reloaded: %zu rules", s->config_path,
		 policy_rule_count(c->policy));
	config_entry(s, MSGID_CONFIG_LOADED, LOG_INFO, NULL);
	sd_notify(0, "READY=1");
}

static int add_fd(int epfd, int fd, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* signalfd, 1 s timer, the ring buffer and the sinks' sockets in one
 * epoll set. */
static int setup_loop(struct service *s)
{
	struct itimerspec its = { { 1, 0 }, { 1, 0 } };
	sigset_t mask;
	int r;

	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	s->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->sigfd < 0 || s->timerfd < 0 || s->epfd < 0 ||
	    timerfd_settime(s->timerfd, 0, &its, NULL) < 0) {
		r = -errno;
		log_error("setting up the event loop failed: %s", strerror(-r));
		return r;
	}
	r = add_fd(s->epfd, s->sigfd, EPOLLIN);
	if (!r)
		r = add_fd(s->epfd, s->timerfd, EPOLLIN);
	if (!r)
		r = add_fd(s->epfd, tracer_fd(s->pipe.tracer), EPOLLIN);
	if (!r)
		r = add_fd(s->epfd, s->pipe.sinks.journal.out.fd, 0);
	if (!r)
		r = add_fd(s->epfd, s->pipe.sinks.syslog.out.fd, 0);
	if (r)
		log_error("setting up the event loop failed: %s", strerror(-r));
	return r;
}

/* Wake for room in a receiver's queue (journald's, syslog's) only while
 * entries wait for it (*pollout: what the epoll set asks now). */
static void watch_sink(struct service *s, const struct backlog *b,
		       bool *pollout)
{
	bool want = backlog_wants_pollout(b);
	struct epoll_event ev = { .events = want ? EPOLLOUT : 0,
				  .data.fd = b->fd };

	if (want == *pollout)
		return;
	if (epoll_ctl(s->epfd, EPOLL_CTL_MOD, ev.data.fd, &ev) == 0)
		*pollout = want;
}

static int open_outputs(struct service *s, enum te_stdout_fmt echo)
{
	int r;

	r = sinks_open(&s->pipe.sinks, getenv("TRACE_EXECD_JOURNAL_SOCKET"),
		       getenv("TRACE_EXECD_SYSLOG_SOCKET"));
	if (r) {
		log_error("opening the log sockets failed: %s", strerror(-r));
		return r;
	}
	/* the glance view: paths are in the journal and in JSON */
	return pipeline_set_echo(&s->pipe, echo, false, false, false);
}

/* The tracer, taken over or loaded, and the counts of the process before. */
static int start_tracer(struct service *s)
{
	struct tracer_opts want = s->topts;
	int r = handover_start(&s->handover, &s->pipe, &s->topts);

	if (r < 0)
		return r;
	/* a tracer taken over runs with its own sizes */
	warn_restart(&s->topts, &want);
	s->status_events = s->pipe.n.events;
	return 0;
}

int service_start(struct service *s, const char *config_path,
		  enum te_stdout_fmt echo)
{
	struct config_errors errs = { 0 };
	int r;

	memset(s, 0, sizeof(*s));
	s->epfd = s->sigfd = s->timerfd = -1;
	pipeline_init(&s->pipe);
	s->config_path = strdup(config_path);
	if (!s->config_path)
		return -ENOMEM;
	r = config_load(config_path, NULL, &s->cfg, &errs);
	if (r < 0) {
		print_errors(&errs);
		config_errors_free(&errs);
		log_error("'%s': configuration not loaded", config_path);
		return r;
	}
	if (echo == TE_STDOUT_NONE)
		echo = s->cfg->settings.outputs.stdout_fmt;
	tracer_opts_defaults(&s->topts);
	settings_to_opts(&s->cfg->settings, &s->topts);
	r = enricher_from_settings(&s->pipe.enricher, &s->cfg->settings.containers);
	if (!r)
		apply_hashing(s, s->cfg);
	if (!r)
		r = open_outputs(s, echo);
	if (!r)
		apply_settings(s);
	if (!r)
		r = start_tracer(s);
	if (!r)	/* an adopted tracer enforced the previous rules until now */
		r = enforce_set_rules(&s->pipe.enforce, s->pipe.tracer,
				      s->cfg->policy, s->cfg->krules);
	if (!r)
		r = setup_loop(s);
	if (!r)
		r = caps_drop_all(s->pipe.hasher || s->cfg->krules->any_kill ||
				  s->cfg->settings.failed_exec_budget ?
				  CAP_SYS_PTRACE : -1);
	if (r)
		return r;
	if (sd_watchdog_enabled(0, &s->watchdog_usec) <= 0)
		s->watchdog_usec = 0;
	s->status_usec = now_usec();
	config_entry(s, MSGID_CONFIG_LOADED, LOG_INFO, NULL);
	sd_notify(0, "READY=1\nSTATUS=Tracing");
	log_info("tracing execs with '%s' (%zu rules)", config_path,
		 policy_rule_count(s->cfg->policy));
	return 0;
}

static void handle_signals(struct service *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload(s);
		else
			s->stop = true;
	}
}

int service_run(struct service *s)
{
	struct epoll_event evs[8];
	uint64_t ticks;
	int n, i, r;

	while (!s->stop) {
		watch_sink(s, &s->pipe.sinks.journal.out, &s->journal_pollout);
		watch_sink(s, &s->pipe.sinks.syslog.out, &s->syslog_pollout);
		n = epoll_wait(s->epfd, evs, 8, loop_wait_ms(s));
		if (n < 0 && errno != EINTR) {
			r = -errno;
			log_error("epoll_wait failed: %s", strerror(-r));
			return r;
		}
		for (i = 0; i < n; i++) {
			if (evs[i].data.fd == s->sigfd)
				handle_signals(s);
			else if (evs[i].data.fd == s->timerfd) {
				if (read(s->timerfd, &ticks, sizeof(ticks)) > 0)
					on_tick(s);
			}
		}
		/* Woken for events, for room in a sink, the batch
		 * interval passed or the watchdog is due: send, then one
		 * bounded read (none while the backlog is full: the ring
		 * holds the events meanwhile), and feed the watchdog. */
		pipeline_flush(&s->pipe);
		if ((r = pipeline_read(&s->pipe)) < 0) {
			log_error("reading the ring buffer failed: %s", strerror(-r));
			return r;
		}
		pipeline_flush(&s->pipe);
		handover_tick(&s->handover, &s->pipe);
		watchdog_kick(s);
	}
	return 0;
}

void service_stop(struct service *s)
{
	sd_notify(0, "STOPPING=1");
	if (s->pipe.tracer && s->cfg)
		pipeline_finish(&s->pipe);
	else
		stdout_sink_flush(&s->pipe.out);
	handover_stop(&s->handover, &s->pipe);
	if (s->pipe.tracer && s->cfg)	/* the final counts */
		metrics_tick(&s->metrics, &s->pipe,
			     s->cfg->settings.metrics_file, now_usec(), true);
	tracer_close(s->pipe.tracer);
	enricher_free(s->pipe.enricher);
	hasher_free(s->pipe.hasher);
	pkgcheck_free(s->pkgcheck);
	first_seen_free(s->pipe.first_seen);
	pipeline_free(&s->pipe);
	config_free(s->cfg);
	free(s->config_path);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->timerfd >= 0)
		close(s->timerfd);
}
