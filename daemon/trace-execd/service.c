/* service.c: trace-execd's event loop: events to journal, syslog and stdout; reload; reports. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "trace-execd/caps.h"
#include "core/log.h"
#include "enrich/enrich.h"
#include "format/output.h"
#include "policy/policy.h"
#include "trace-execd/service.h"

enum { LOST_RINGBUF, LOST_PENDING, LOST_SCRATCH, LOST_JOURNAL, LOST_NR };

uint64_t now_usec(void)
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

/*
 * Write an entry to every enabled output; returns the journal's result.
 * queued: into the journal's queue (exec entries, sent by service_flush(),
 * which counts their failures); else sent now.
 */
static int emit(struct service *s, uint64_t ts_usec, bool queued)
{
	const struct te_outputs *o = &s->cfg->settings.outputs;
	int facility = s->cfg->settings.syslog_facility;
	int r = 0;

	if (o->journal && queued)
		journal_queue_entry(&s->journal, &s->entry, facility);
	else if (o->journal)
		r = journal_send_entry(&s->journal, &s->entry, facility);
	if (o->syslog)
		syslog5424_send_entry(&s->syslog, &s->entry, facility, ts_usec);
	return r;
}

/* Send the queued exec entries; those the journal did not take count as
 * lost, not written. */
static void service_flush(struct service *s)
{
	uint64_t failed;

	journal_flush(&s->journal);
	failed = s->journal.queue_failed - s->queue_failed_seen;
	s->queue_failed_seen = s->journal.queue_failed;
	s->journal_lost += failed;
	s->written -= failed;
}

/* A rate-limit window closed with suppressed events: say so. */
static void on_summary(void *ctx, const char *rule, uint64_t suppressed,
		       uint64_t start, uint64_t end)
{
	struct service *s = ctx;
	struct entry *e = &s->entry;

	entry_begin(e, MSGID_RATELIMIT, LOG_WARNING);
	sb_printf(&e->message, "rule %s: %" PRIu64 " events suppressed by its rate limit in %.1f s",
		  rule, suppressed, (end - start) / 1e6);
	entry_add_str(e, "POLICY_RULE", rule);
	entry_add_u64(e, "POLICY_SUPPRESSED", suppressed);
	entry_add_u64(e, "POLICY_WINDOW_USEC", end - start);
	emit(s, clock_usec(CLOCK_REALTIME), false);
	log_notice("%s", e->message.p);
}

/* Echo an event on stdout (--echo). */
static void echo_event(struct service *s, const struct exec_event *ev,
		       const struct field_extra *x)
{
	int r;

	if (s->echo == TE_STDOUT_JSON)
		r = output_json(&s->out, ev, x);
	else
		r = output_table_row(&s->out, &s->table, ev);
	if (r == 0 && s->out.len > 65536) {
		fwrite(s->out.p, 1, s->out.len, stdout);
		sb_reset(&s->out);
	}
}

/* Ring-buffer callback: decode, enrich, apply the policy, write. */
static int on_event(void *ctx, const void *data, size_t size)
{
	struct service *s = ctx;
	struct field_extra x = { 0 };
	struct exec_event ev;
	struct verdict v;
	uint64_t now;
	int r;

	s->events++;
	if (decode_event(&s->dec, data, size, &ev) < 0) {
		s->bad++;
		return 0;
	}
	now = now_usec();
	enrich_event(s->enricher, &ev, now);
	policy_eval(s->cfg->policy, &ev, now, &v);
	if (v.drop) {
		s->dropped++;
		return 0;
	}
	if (v.suppressed) {
		s->suppressed++;
		return 0;
	}
	x.rule = v.rule;
	x.tags = v.tags;
	if (s->echo != TE_STDOUT_NONE)
		echo_event(s, &ev, &x);
	entry_begin(&s->entry, ev.failed ? MSGID_EXEC_FAILED : MSGID_EXEC,
		    v.priority);
	r = entry_from_event(&s->entry, &ev, &x);
	if (r < 0 && s->cfg->settings.outputs.journal) {
		s->journal_lost++;
		return 0;
	}
	if (r == 0)
		emit(s, ev.timestamp_usec, true);
	s->written++;	/* less what service_flush() finds failed */
	return 0;
}

/* Current loss counters: kernel side and journal writes. */
static void lost_counts(struct service *s, uint64_t c[LOST_NR])
{
	uint64_t k[TE_COUNTER_NR] = { 0 };

	tracer_counters(s->tracer, k);
	c[LOST_RINGBUF] = k[TE_LOST_RINGBUF];
	c[LOST_PENDING] = k[TE_LOST_PENDING];
	c[LOST_SCRATCH] = k[TE_LOST_SCRATCH];
	c[LOST_JOURNAL] = s->journal_lost;
}

/* Report events lost since the last report, at most once per interval. */
static void report_lost(struct service *s, uint64_t now, bool force)
{
	static const char *const names[LOST_NR] = {
		"EXEC_LOST_RINGBUF", "EXEC_LOST_PENDING", "EXEC_LOST_SCRATCH",
		"EXEC_LOST_JOURNAL",
	};
	uint64_t c[LOST_NR], d[LOST_NR], total = 0;
	struct entry *e = &s->entry;
	int i;

	if (!force && now - s->last_lost_report < s->cfg->settings.lost_report_interval_usec)
		return;
	service_flush(s);
	lost_counts(s, c);
	for (i = 0; i < LOST_NR; i++) {
		d[i] = c[i] - s->reported[i];
		total += d[i];
	}
	if (!total)
		return;
	entry_begin(e, MSGID_LOST, LOG_WARNING);
	sb_printf(&e->message, "%" PRIu64 " exec events lost (ring buffer full: %" PRIu64
		  ", pending map full: %" PRIu64 ", no scratch slot: %" PRIu64
		  ", journal write failed: %" PRIu64 ")",
		  total, d[LOST_RINGBUF], d[LOST_PENDING], d[LOST_SCRATCH],
		  d[LOST_JOURNAL]);
	entry_add_u64(e, "EXEC_LOST", total);
	for (i = 0; i < LOST_NR; i++)
		entry_add_u64(e, names[i], d[i]);
	log_warn("%s", e->message.p);
	if (s->cfg->settings.outputs.journal &&
	    journal_send_entry(&s->journal, e, s->cfg->settings.syslog_facility) < 0)
		return;	/* the journal is still away: report it all later */
	if (s->cfg->settings.outputs.syslog)
		syslog5424_send_entry(&s->syslog, e, s->cfg->settings.syslog_facility,
				      clock_usec(CLOCK_REALTIME));
	memcpy(s->reported, c, sizeof(c));
	s->last_lost_report = now;
}

static uint64_t lost_total(struct service *s)
{
	uint64_t c[LOST_NR];

	lost_counts(s, c);
	return c[LOST_RINGBUF] + c[LOST_PENDING] + c[LOST_SCRATCH] + c[LOST_JOURNAL];
}

/* Once a second: status, watchdog, rate-limit windows, clocks. */
static void on_tick(struct service *s)
{
	uint64_t now = now_usec();
	double secs = (now - s->status_usec) / 1e6;

	service_flush(s);
	if (secs >= 1.0) {
		sd_notifyf(0, "STATUS=Tracing: %" PRIu64 " events, %" PRIu64
			   " written, %" PRIu64 " dropped by policy, %" PRIu64
			   " rate-limited, %" PRIu64 " lost, %.0f events/s",
			   s->events, s->written, s->dropped, s->suppressed,
			   lost_total(s), (s->events - s->status_events) / secs);
		s->status_events = s->events;
		s->status_usec = now;
	}
	policy_tick(s->cfg->policy, now, on_summary, s);
	report_lost(s, now, false);
	decoder_sync_clock(&s->dec);
	enricher_tick(s->enricher, now);
	if (s->out.len) {
		fwrite(s->out.p, 1, s->out.len, stdout);
		sb_reset(&s->out);
	}
	fflush(stdout);
}

/* The loop made progress: feed the watchdog when it is due. */
static void watchdog_kick(struct service *s)
{
	uint64_t now;

	if (!s->watchdog_usec)
		return;
	now = now_usec();
	if (now - s->watchdog_last >= s->watchdog_usec / 4) {
		sd_notify(0, "WATCHDOG=1");
		s->watchdog_last = now;
	}
}

static void config_entry(struct service *s, const char *msgid, int prio,
			 const struct config_errors *errs)
{
	struct entry *e = &s->entry;
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
	emit(s, clock_usec(CLOCK_REALTIME), false);
}

/* Warn about settings a reload cannot change (they size the BPF maps). */
static void warn_restart(const struct tracer_opts *old, const struct tracer_opts *new)
{
	if (old->args_max != new->args_max || old->ringbuf_size != new->ringbuf_size ||
	    old->pending_max != new->pending_max || old->paths != new->paths)
		log_warn("max_args_bytes, ringbuf_size, pending_max and paths take effect at the next restart");
}

/* A set path, or NULL for the runtime's default. */
static const char *path_or_null(const char *path)
{
	return path[0] ? path : NULL;
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
	enricher_free(s->enricher);
	s->enricher = e;
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
	if (tracer_update(s->tracer, &o) == 0)
		s->topts = o;
	policy_flush(s->cfg->policy, now_usec(), on_summary, s);
	if (memcmp(&c->settings.containers, &s->cfg->settings.containers,
		   sizeof(c->settings.containers)))
		swap_enricher(s, &c->settings.containers);
	config_free(s->cfg);
	s->cfg = c;
	log_info("configuration '%s' reloaded: %zu rules", s->config_path,
		 policy_rule_count(c->policy));
	config_entry(s, MSGID_CONFIG_LOADED, LOG_INFO, NULL);
	sd_notify(0, "READY=1");
}

static int add_fd(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0 ? -errno : 0;
}

/* signalfd, 1 s timer and the ring buffer in one epoll set. */
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
	r = add_fd(s->epfd, s->sigfd);
	if (!r)
		r = add_fd(s->epfd, s->timerfd);
	if (!r)
		r = add_fd(s->epfd, tracer_fd(s->tracer));
	if (r)
		log_error("setting up the event loop failed: %s", strerror(-r));
	return r;
}

static int open_outputs(struct service *s)
{
	int r;

	r = journal_open(&s->journal, getenv("TRACE_EXECD_JOURNAL_SOCKET"));
	if (!r)
		r = syslog5424_open(&s->syslog, getenv("TRACE_EXECD_SYSLOG_SOCKET"));
	if (r) {
		log_error("opening the log sockets failed: %s", strerror(-r));
		return r;
	}
	if (s->echo == TE_STDOUT_TABLE) {
		/* the glance view: paths are in the journal and in JSON */
		r = output_table_init(&s->table, false,
				      table_term_width(STDOUT_FILENO));
		if (!r)
			r = output_table_header(&s->out, &s->table);
	}
	return r;
}

int service_start(struct service *s, const char *config_path,
		  enum te_stdout_fmt echo)
{
	struct config_errors errs = { 0 };
	int r;

	memset(s, 0, sizeof(*s));
	s->epfd = s->sigfd = s->timerfd = -1;
	s->journal.fd = s->syslog.fd = -1;
	entry_init(&s->entry);
	decoder_init(&s->dec);
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
	s->echo = echo != TE_STDOUT_NONE ? echo : s->cfg->settings.outputs.stdout_fmt;
	tracer_opts_defaults(&s->topts);
	settings_to_opts(&s->cfg->settings, &s->topts);
	r = enricher_from_settings(&s->enricher, &s->cfg->settings.containers);
	if (!r)
		r = open_outputs(s);
	if (!r)
		r = tracer_open(&s->tracer, &s->topts, on_event, s);
	if (!r)
		r = setup_loop(s);
	if (!r)
		r = caps_drop_all();
	if (r)
		return r;
	if (sd_watchdog_enabled(0, &s->watchdog_usec) <= 0)
		s->watchdog_usec = 0;
	s->status_usec = s->last_lost_report = now_usec();
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
	struct epoll_event evs[4];
	uint64_t ticks;
	int n, i, r;

	while (!s->stop) {
		n = epoll_wait(s->epfd, evs, 4, tracer_wait_ms(s->tracer));
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
		/* Woken for events, or the batch interval passed. */
		if ((r = tracer_drain(s->tracer)) < 0) {
			log_error("reading the ring buffer failed: %s", strerror(-r));
			return r;
		}
		service_flush(s);
		watchdog_kick(s);
	}
	return 0;
}

void service_stop(struct service *s)
{
	sd_notify(0, "STOPPING=1");
	if (s->tracer) {
		tracer_consume(s->tracer);	/* what the kernel still holds */
		service_flush(s);
		if (s->cfg)
			policy_flush(s->cfg->policy, now_usec(), on_summary, s);
		if (s->cfg)
			report_lost(s, now_usec(), true);
	}
	if (s->out.len)
		fwrite(s->out.p, 1, s->out.len, stdout);
	fflush(stdout);
	tracer_close(s->tracer);
	journal_close(&s->journal);
	syslog5424_close(&s->syslog);
	enricher_free(s->enricher);
	decoder_free(&s->dec);
	entry_free(&s->entry);
	sb_free(&s->out);
	config_free(s->cfg);
	free(s->config_path);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->timerfd >= 0)
		close(s->timerfd);
}
