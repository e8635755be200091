// SPDX-License-Identifier: GPL-2.0-or-later
/* ratelimit.c: rate-limit windows, per rule or per uid or container in a bounded table, and summaries of what they suppressed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/ratelimit.h"

/* Where a window's summary goes and whose window it is. */
struct rl_report {
	struct ratelimit *rl;
	const struct rl_slot *slot;	/* NULL: the rule's or the others' */
	const char *name;
	policy_summary_fn fn;
	void *ctx;
};

/* Report n suppressed events of [start, end) through rp->fn. */
static void report(const struct rl_report *rp, uint64_t n, uint64_t start,
		   uint64_t end)
{
	struct rate_summary s = {
		.rule = rp->name, .per = rp->rl->per,
		.others = rp->rl->per != RATE_PER_RULE && !rp->slot,
		.suppressed = n, .window_start_usec = start,
		.window_end_usec = end,
	};

	if (rp->slot) {
		s.uid = rp->slot->key.uid;
		s.container = rp->slot->key.container;
	}
	rp->fn(rp->ctx, &s);
}

/* End the running window at `end`; report it or keep it pending. */
static void window_close(struct rl_window *w, uint64_t end,
			 const struct rl_report *rp)
{
	w->open = false;
	if (!w->suppressed)
		return;
	if (rp->fn) {
		report(rp, w->suppressed, w->start, end);
	} else {
		if (!w->pend_suppressed)
			w->pend_start = w->start;
		w->pend_suppressed += w->suppressed;
		w->pend_end = end;
	}
	w->suppressed = 0;
}

/* True when the running window has lasted its interval at now. */
static bool window_due(const struct rl_window *w, uint64_t interval,
		       uint64_t now)
{
	return w->open && now >= w->start && now - w->start >= interval;
}

/* Count one event in w; true when it is over the burst. */
static bool window_account(struct rl_window *w, uint64_t now,
			   const struct rl_report *rp)
{
	const struct ratelimit *rl = rp->rl;

	if (window_due(w, rl->interval, now))
		window_close(w, w->start + rl->interval, rp);
	if (!w->open) {
		w->open = true;
		w->start = now;
		w->count = 0;
		w->suppressed = 0;
	}
	if (w->count < rl->burst) {
		w->count++;
		return false;
	}
	w->suppressed++;
	return true;
}

/* Report what w keeps pending, then close it if due (or open, if all). */
static void window_sweep(struct rl_window *w, uint64_t now, bool all,
			 const struct rl_report *rp)
{
	if (rp->fn) {
		if (w->pend_suppressed)
			report(rp, w->pend_suppressed, w->pend_start,
			       w->pend_end);
		w->pend_suppressed = 0;
	}
	if (window_due(w, rp->rl->interval, now))
		window_close(w, w->start + rp->rl->interval, rp);
	else if (all && w->open)
		window_close(w, now, rp);
}

/* ---- keys ---- */

int ratelimit_set_per(struct ratelimit *rl, enum rate_per per)
{
	rl->per = per;
	if (per == RATE_PER_RULE || rl->slots)
		return 0;
	rl->slots = calloc(RATE_KEYS, sizeof(*rl->slots));
	return rl->slots ? 0 : -ENOMEM;
}

void ratelimit_free(struct ratelimit *rl)
{
	free(rl->slots);
	rl->slots = NULL;
}

/* The key of ev: its uid, or its container's id. */
static void key_of(const struct ratelimit *rl, const struct exec_event *ev,
		   struct rl_key *k)
{
	memset(k, 0, sizeof(*k));
	if (rl->per == RATE_PER_UID)
		k->uid = ev->uid;
	else if (ev->container)
		memcpy(k->container, ev->container->id,
		       sizeof(k->container) - 1);
}

/* True when a slot can take a new key: nothing running, nothing pending. */
static bool slot_idle(const struct rl_slot *sl)
{
	return !sl->used || (!sl->w.open && !sl->w.pend_suppressed);
}

/* An idle slot, closing the windows found due to free one; NULL: none. */
static struct rl_slot *slot_reclaim(struct rl_report *rp, uint64_t now)
{
	struct ratelimit *rl = rp->rl;
	struct rl_slot *sl;
	size_t i;

	for (i = 0; i < RATE_KEYS; i++) {
		sl = &rl->slots[i];
		rp->slot = sl;
		if (window_due(&sl->w, rl->interval, now))
			window_close(&sl->w, sl->w.start + rl->interval, rp);
		if (slot_idle(sl))
			return sl;
	}
	return NULL;
}

/* The slot of key k: its own, else an idle one; NULL when all run. */
static struct rl_slot *slot_find(struct rl_report *rp, const struct rl_key *k,
				 uint64_t now)
{
	struct ratelimit *rl = rp->rl;
	struct rl_slot *sl, *idle = NULL;
	size_t i;

	for (i = 0; i < RATE_KEYS; i++) {
		sl = &rl->slots[i];
		if (sl->used && sl->key.uid == k->uid &&
		    !strcmp(sl->key.container, k->container))
			return sl;
		if (!idle && slot_idle(sl))
			idle = sl;
	}
	if (!idle)
		idle = slot_reclaim(rp, now);
	if (idle) {
		memset(idle, 0, sizeof(*idle));
		idle->used = true;
		idle->key = *k;
	}
	return idle;
}

bool ratelimit_account(struct ratelimit *rl, const struct exec_event *ev,
		       uint64_t now, const char *name, policy_summary_fn fn,
		       void *ctx)
{
	struct rl_report rp = { rl, NULL, name, fn, ctx };
	struct rl_slot *sl = NULL;
	struct rl_key k;

	if (rl->per != RATE_PER_RULE && rl->slots) {
		key_of(rl, ev, &k);
		sl = slot_find(&rp, &k, now);
	}
	rp.slot = sl;
	return window_account(sl ? &sl->w : &rl->w, now, &rp);
}

void ratelimit_sweep(struct ratelimit *rl, uint64_t now, bool all,
		     const char *name, policy_summary_fn fn, void *ctx)
{
	struct rl_report rp = { rl, NULL, name, fn, ctx };
	size_t i;

	window_sweep(&rl->w, now, all, &rp);
	for (i = 0; rl->slots && i < RATE_KEYS; i++) {
		if (!rl->slots[i].used)
			continue;
		rp.slot = &rl->slots[i];
		window_sweep(&rl->slots[i].w, now, all, &rp);
	}
}
