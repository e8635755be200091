// SPDX-License-Identifier: GPL-2.0-or-later
/* folds.c: take the failed execs the kernel folded past their budget (te_fold) out of its table once their window is over. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/tracer-priv.h"

/* A window is over this long after its end: a CPU that read the clock
 * just before the end may still be counting into it. */
#define FOLD_GRACE_NS (TE_FOLD_WINDOW_NS / 10)

/* Whether the window of k is over at boot time now (ns). */
static bool window_over(const struct te_fold_key *k, uint64_t now)
{
	return ((uint64_t)k->window + 1) * TE_FOLD_WINDOW_NS + FOLD_GRACE_NS <= now;
}

/* The keys of the table whose window is over (all: every key), into
 * keys[] of TE_FOLDS_MAX; returns how many, or negative errno. */
static int closed_keys(int fd, bool all, struct te_fold_key *keys)
{
	uint64_t now = (uint64_t)clock_nsec(CLOCK_BOOTTIME);
	struct te_fold_key k, *prev = NULL;
	int n = 0;

	while (n < TE_FOLDS_MAX && bpf_map_get_next_key(fd, prev, &k) == 0) {
		if (all || window_over(&k, now))
			keys[n++] = k;
		keys[TE_FOLDS_MAX] = k;	/* the iteration's place */
		prev = &keys[TE_FOLDS_MAX];
	}
	return errno == ENOENT || n == TE_FOLDS_MAX ? n : -errno;
}

/* Give the folds of the table fd to fn, as tracer_take_folds(). */
static int take_folds(int fd, bool all, tracer_fold_fn fn, void *ctx)
{
	static struct te_fold_key keys[TE_FOLDS_MAX + 1];
	struct te_fold f;
	int n, i, given = 0;

	errno = 0;
	n = closed_keys(fd, all, keys);
	if (n < 0) {
		log_error("reading the kernel's table of folded failed execs failed: %s",
			  strerror(-n));
		return n;
	}
	/* each at once read and removed: no count between the two is lost */
	for (i = 0; i < n; i++) {
		if (bpf_map_lookup_and_delete_elem(fd, &keys[i], &f) < 0)
			continue;	/* gone meanwhile */
		if (!f.folded)
			continue;	/* within its budget */
		fn(ctx, &keys[i], &f);
		given++;
	}
	return given;
}

int tracer_take_folds(struct tracer *t, bool all, tracer_fold_fn fn, void *ctx)
{
	int r = 0;

	/* an earlier tracer's, once its ring is read: its programs are off,
	 * every window of it is over */
	if (t->prev_folds >= 0 && t->cur == RING_OURS) {
		r = take_folds(t->prev_folds, true, fn, ctx);
		close(t->prev_folds);
		t->prev_folds = -1;
	}
	if (t->fd[ROLE_FOLDS] < 0)
		return r;
	return take_folds(t->fd[ROLE_FOLDS], all, fn, ctx);
}
