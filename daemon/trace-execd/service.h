/* SPDX-License-Identifier: GPL-2.0-or-later */
/* service.h: trace-execd's run: configuration and its reload, the event loop, status and watchdog. */
#ifndef TRACE_EXECD_SERVICE_H
#define TRACE_EXECD_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "pipeline/pipeline.h"
#include "config/config.h"
#include "trace-execd/handover.h"
#include "trace-execd/metrics.h"
#include "tracer/tracer.h"

struct pkgcheck;

struct service {
	char *config_path;
	struct config *cfg;
	struct tracer_opts topts;	/* what the tracer runs with */
	struct pipeline pipe;		/* its tracer, enricher, hasher and
					 * first-seen store are ours */
	struct pkgcheck *pkgcheck;	/* EXEC_PACKAGE_VERIFIED; NULL: off */
	char first_seen_path[4096];	/* the store's file, as opened */
	uint32_t first_seen_entries;
	struct handover handover;	/* what outlives a restart */
	struct metrics_writer metrics;	/* settings.metrics_file */

	uint64_t status_events;		/* events at the last STATUS= */
	uint64_t status_usec;
	const char *status_file;	/* --status-file, or NULL */
	bool status_file_failed;	/* the last write failed (said once) */
	uint64_t watchdog_usec;		/* 0: no watchdog */
	uint64_t watchdog_last;

	int epfd, sigfd, timerfd;
	bool journal_pollout;		/* the journal's fd is watched for room */
	bool syslog_pollout;		/* syslog's fd is watched for room */
	bool stop;
};

/* Load the configuration, open every output and attach the tracer;
 * echo (TE_STDOUT_NONE: as the configuration says) prints events on stdout. */
int service_start(struct service *s, const char *config_path,
		  enum te_stdout_fmt echo);
/* Run until SIGTERM/SIGINT; returns 0 or negative errno. */
int service_run(struct service *s);
/* Flush, report and free everything. */
void service_stop(struct service *s);

#endif
