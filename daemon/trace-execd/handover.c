// SPDX-License-Identifier: GPL-2.0-or-later
/* handover.c: no gap across restarts: the tracer, its ring and the counts are kept in systemd's file descriptor store and taken back by the next process. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "core/log.h"
#include "core/util.h"
#include "trace-execd/handover.h"

/* The fds systemd passed and their names (close-on-exec from now on). */
static void collect(struct handover *h)
{
	char **names = NULL;
	int n, i;

	n = sd_listen_fds_with_names(1, &names);
	if (n < 0)
		log_warn("reading the fds systemd passed failed: %s", strerror(-n));
	if (n > 0)
		h->fds = calloc((size_t)n, sizeof(*h->fds));
	for (i = 0; i < n; i++) {
		if (h->fds) {
			h->fds[i].fd = SD_LISTEN_FDS_START + i;
			if (strlen(names[i]) < TRACER_NAME_MAX)
				strcpy(h->fds[i].name, names[i]);
			fcntl(h->fds[i].fd, F_SETFD, FD_CLOEXEC);
		} else {
			close(SD_LISTEN_FDS_START + i);
		}
		free(names[i]);
	}
	free(names);
	h->n = h->fds ? (size_t)n : 0;
}

/* Keep fd in the store under name; 0 or negative errno. */
static int keep(const char *name, int fd)
{
	char msg[sizeof("FDSTORE=1\nFDNAME=\nFDPOLL=0") + TRACER_NAME_MAX];
	int r;

	snprintf(msg, sizeof(msg), "FDSTORE=1\nFDNAME=%.*s\nFDPOLL=0",
		 TRACER_NAME_MAX - 1, name);
	r = sd_pid_notify_with_fds(0, 0, msg, &fd, 1);
	return r > 0 ? 0 : r < 0 ? r : -ENOTCONN;
}

static void forget(const char *name)
{
	sd_notifyf(0, "FDSTOREREMOVE=1\nFDNAME=%s", name);
}

/* Remove from the store (and close) each passed fd whose name pick()
 * chooses; with wait, until systemd did. Returns how many. */
static int drop(struct handover *h, bool (*pick)(struct handover *h, const char *name),
		bool wait)
{
	size_t i;
	int n = 0;

	for (i = 0; i < h->n; i++) {
		if (!h->fds[i].name[0] || !pick(h, h->fds[i].name))
			continue;
		forget(h->fds[i].name);
		if (h->fds[i].fd >= 0)
			close(h->fds[i].fd);
		h->fds[i].fd = -1;
		h->fds[i].name[0] = '\0';
		n++;
	}
	if (n && wait)
		sd_notify_barrier(0, 5000000);
	return n;
}

static bool is_link(struct handover *h, const char *name)
{
	return tracer_name_is_link(name);
}

/* Anything but the state, the tracer taken over and what leaves later. */
static bool is_stale(struct handover *h, const char *name)
{
	size_t i;

	if (!strcmp(name, HANDOVER_STATE_NAME))
		return false;
	if (h->adopted && tracer_name_is_ours(name))
		return false;
	for (i = 0; i < h->n_later; i++)
		if (!strcmp(name, h->later[i]))
			return false;
	return true;
}

/* Load ours, attached but silent until it takes over from an earlier
 * tracer (another build's: an upgrade, or an incomplete set): through
 * that one's switch (ours on, then it off), else (a build before the
 * switch) by detaching its programs first: execs in between are not
 * seen. Its links leave the store either way. */
static int load(struct handover *h, struct pipeline *p, struct tracer_opts *o,
		struct tracer **t)
{
	uint64_t t0;
	int r, old;

	r = tracer_load(t, o, pipeline_event, p);
	if (r < 0)
		return r;
	tracer_set_on(*t, false);
	r = tracer_attach(*t, o);
	if (r < 0)
		return r;
	if (tracer_switch_over(*t, h->fds, h->n) > 0) {
		/* its programs are off: their last records are in its
		 * ring once systemd and we closed its links */
		drop(h, is_link, true);
		log_info("switched over from the earlier tracer: its programs turned off as ours turned on");
		return 0;
	}
	t0 = clock_usec(CLOCK_MONOTONIC);
	old = drop(h, is_link, true);
	tracer_set_on(*t, true);
	if (old)
		log_notice("the earlier tracer's programs were detached and ours turned on within %.1f ms: execs in between were not traced",
			   (clock_usec(CLOCK_MONOTONIC) - t0) / 1e3);
	return 0;
}

/* Ask systemd to keep what the next process needs of our tracer. */
static void keep_tracer(struct tracer *t)
{
	struct named_fd objs[TRACER_OBJECTS];
	size_t i, n = tracer_objects(t, objs);
	int r = 0;

	for (i = 0; !r && i < n; i++)
		r = keep(objs[i].name, objs[i].fd);
	if (r)
		log_warn("keeping the tracer in systemd's fd store failed: %s; a restart will miss the execs meanwhile",
			 strerror(-r));
}

/* The earlier tracer's ring stays in the store until it was read. */
static void keep_later(struct handover *h, const struct tracer_prev *prev)
{
	/* the same names as ours (an incomplete set of this build): they
	 * cannot stay beside ours */
	if (!strcmp(prev->id, tracer_object_id()))
		return;
	snprintf(h->later[0], TRACER_NAME_MAX, "te-%s-events", prev->id);
	snprintf(h->later[1], TRACER_NAME_MAX, "te-%s-counters", prev->id);
	snprintf(h->later[2], TRACER_NAME_MAX, "te-%s-folds", prev->id);
	h->n_later = 3;
}

/* What the kernel-side counters start from: the base of the previous
 * process, plus the counts of an earlier tracer not added yet; when
 * neither ours nor an earlier tracer's counters survived, at least what
 * was reported (those since are lost with their map). */
static void set_base(struct daemon_state *st, struct tracer *t,
		     const struct tracer_prev *prev)
{
	int i;

	for (i = 0; i < TE_COUNTER_NR; i++) {
		if (prev->counted && strcmp(prev->id, st->prev_id))
			st->kernel_base[i] += prev->counts[i];
		else if (!prev->counted && !tracer_adopted(t) &&
			 st->reported[i] > st->kernel_base[i])
			st->kernel_base[i] = st->reported[i];
	}
	if (prev->counted)
		strcpy(st->prev_id, prev->id);
	tracer_set_counter_base(t, st->kernel_base);
}

static void save(struct handover *h, const struct daemon_state *st)
{
	int r = state_write(&h->state, st);

	if (r < 0 && !h->write_failed)
		log_warn("writing the state memfd failed: %s", strerror(-r));
	h->write_failed = r < 0;
	h->saved = *st;
	h->saved_usec = clock_usec(CLOCK_MONOTONIC);
}

/* The counts of the previous process, into p; 0 or negative errno. */
static int restore(struct handover *h, struct pipeline *p,
		   const struct tracer_prev *prev)
{
	struct daemon_state st;
	int fd = -1, r;
	size_t i;

	memset(&st, 0, sizeof(st));
	for (i = 0; i < h->n && fd < 0; i++)
		if (!strcmp(h->fds[i].name, HANDOVER_STATE_NAME) && h->fds[i].fd >= 0) {
			fd = h->fds[i].fd;
			h->fds[i].fd = -1;
		}
	r = state_open(&h->state, fd);
	if (r < 0)
		return r;
	if (fd >= 0 && state_read(&h->state, &st) == 0) {
		state_put(&st, p);
		/* losses not reported yet (while no process ran, or this
		 * one was stopped) come out at the first tick */
		p->last_lost_report = 0;
	}
	set_base(&st, p->tracer, prev);
	if (fd < 0 && (r = keep(HANDOVER_STATE_NAME, h->state.fd)) < 0)
		log_warn("keeping the state in systemd's fd store failed: %s", strerror(-r));
	save(h, &st);
	return 0;
}

int handover_start(struct handover *h, struct pipeline *p, struct tracer_opts *o)
{
	struct tracer_prev prev;
	struct tracer *t = NULL;
	int r;

	memset(h, 0, sizeof(*h));
	h->state.fd = -1;
	h->store = getenv("NOTIFY_SOCKET") != NULL;
	if (!h->store) {
		r = tracer_open(&t, o, pipeline_event, p);
		if (!r)
			pipeline_set_tracer(p, t);
		return r;
	}
	collect(h);
	r = tracer_adopt(&t, o, h->fds, h->n, pipeline_event, p);
	if (r == -ENOENT)
		r = load(h, p, o, &t);
	if (r < 0) {
		tracer_close(t);
		return r;
	}
	pipeline_set_tracer(p, t);
	h->adopted = tracer_adopted(t);
	log_info(h->adopted ? "took over the running tracer %s from systemd's fd store" :
		 "loaded the tracer %s", tracer_object_id());
	if (tracer_take_ring(t, h->fds, h->n, &prev) > 0)
		keep_later(h, &prev);
	drop(h, is_stale, false);
	if (!h->adopted)
		keep_tracer(t);
	tracer_keep_links(t);
	return restore(h, p, &prev);
}

/* The earlier tracer's ring was read to its end: it can go. */
static void let_previous_go(struct handover *h, struct pipeline *p)
{
	size_t i;

	if (!h->n_later || tracer_reading_previous(p->tracer))
		return;
	for (i = 0; i < h->n_later; i++)
		forget(h->later[i]);
	h->n_later = 0;
}

/* The same losses and the same reports of them. */
static bool same_losses(const struct daemon_state *a, const struct daemon_state *b)
{
	return a->n.bad == b->n.bad && a->n.journal_lost == b->n.journal_lost &&
	       a->n.format_lost == b->n.format_lost &&
	       a->syslog_lost == b->syslog_lost &&
	       !memcmp(a->reported, b->reported, sizeof(a->reported));
}

/* Write the state if it changed: a loss or a report of losses at once (a
 * kill -9 must neither swallow nor repeat one), the rest once a second,
 * everything when final. */
static void save_changes(struct handover *h, struct pipeline *p, bool final)
{
	struct daemon_state st = h->saved;

	state_get(&st, p);
	tracer_counter_base(p->tracer, st.kernel_base);
	if (!memcmp(&st, &h->saved, sizeof(st)))
		return;
	if (!final && same_losses(&st, &h->saved) &&
	    clock_usec(CLOCK_MONOTONIC) - h->saved_usec < 1000000)
		return;
	save(h, &st);
}

void handover_tick(struct handover *h, struct pipeline *p)
{
	if (!h->store || h->state.fd < 0)
		return;
	let_previous_go(h, p);
	save_changes(h, p, false);
}

void handover_stop(struct handover *h, struct pipeline *p)
{
	size_t i;

	if (!h->store)
		return;
	if (h->state.fd >= 0) {
		let_previous_go(h, p);
		save_changes(h, p, true);
	}
	state_close(&h->state);
	for (i = 0; i < h->n; i++)
		if (h->fds[i].fd >= 0)
			close(h->fds[i].fd);
	free(h->fds);
	h->fds = NULL;
	h->n = 0;
}
