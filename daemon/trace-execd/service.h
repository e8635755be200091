/* service.h: the state of trace-execd and its event loop. */
#ifndef TRACE_EXECD_SERVICE_H
#define TRACE_EXECD_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/config.h"
#include "core/decode.h"
#include "format/entry.h"
#include "sink/journal.h"
#include "sink/syslog5424.h"
#include "format/table.h"
#include "tracer/tracer.h"

struct enricher;

struct service {
	char *config_path;
	struct config *cfg;
	struct tracer *tracer;
	struct tracer_opts topts;
	struct decoder dec;
	struct enricher *enricher;
	struct journal journal;
	struct syslog5424 syslog;
	enum te_stdout_fmt echo;
	struct table table;
	struct strbuf out;
	struct entry entry;

	uint64_t events;		/* records read from the kernel */
	uint64_t written;		/* entries written for events */
	uint64_t dropped;		/* action: drop */
	uint64_t suppressed;		/* over a rate limit */
	uint64_t bad;			/* malformed records */
	uint64_t journal_lost;		/* events the journal did not take */
	uint64_t queue_failed_seen;	/* journal.queue_failed counted so far */
	uint64_t reported[5];		/* lost counts already reported */
	uint64_t last_lost_report;	/* monotonic usec */
	uint64_t status_events;		/* events at the last status */
	uint64_t status_usec;
	uint64_t watchdog_usec;		/* 0: no watchdog */
	uint64_t watchdog_last;

	int epfd, sigfd, timerfd;
	bool stop;
};

/* Load the configuration, open every output and attach the tracer. */
int service_start(struct service *s, const char *config_path,
		  enum te_stdout_fmt echo);
/* Run until SIGTERM/SIGINT; returns 0 or negative errno. */
int service_run(struct service *s);
/* Flush, report and free everything. */
void service_stop(struct service *s);
/* Monotonic clock in microseconds. */
uint64_t now_usec(void);

#endif
