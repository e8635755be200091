/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ratelimit.h: a rule's rate limit: `burst` events per window, for the rule or per uid or container, the rest suppressed. */
#ifndef TRACE_EXECD_RATELIMIT_H
#define TRACE_EXECD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"
#include "policy/policy.h"

/*
 * A window opens at the first event and lasts `interval`; the first
 * `burst` events in it pass. A window that suppressed events is reported
 * once when it closes: at once through a summary function, or kept
 * pending until a sweep has one.
 */
struct rl_window {
	bool open;			/* a window is running */
	uint64_t start, count, suppressed;
	/* closed without a summary function, reported by the next sweep */
	uint64_t pend_suppressed, pend_start, pend_end;
};

/* Whose window: a uid, or a container id ("" for host processes). */
struct rl_key {
	uint32_t uid;
	char container[sizeof(((struct container *)0)->id)];
};

struct rl_slot {
	bool used;
	struct rl_key key;
	struct rl_window w;
};

/*
 * Per rule, one window. Per uid or container, a window per key in a fixed
 * table of RATE_KEYS slots. A slot whose window is neither running
 * nor waiting to be reported is taken by the next new key; a running
 * window is never taken from its key. While every slot holds a running
 * window, the events of further keys share one more window, `w`
 * (reported as the others').
 */
struct ratelimit {
	uint32_t burst;			/* 0: no limit */
	uint64_t interval;		/* usec */
	enum rate_per per;
	struct rl_window w;		/* per rule; keyed: the others' */
	struct rl_slot *slots;		/* keyed: RATE_KEYS of them */
};

/* Set whose events share a window; 0 or -ENOMEM (the table). */
int ratelimit_set_per(struct ratelimit *rl, enum rate_per per);
void ratelimit_free(struct ratelimit *rl);
/*
 * Count ev at now (usec) in its window; true when it is over the burst. A
 * window found due is closed first and, if it suppressed events, reported
 * for rule `name` through fn (NULL: kept pending).
 */
bool ratelimit_account(struct ratelimit *rl, const struct exec_event *ev,
		       uint64_t now, const char *name, policy_summary_fn fn,
		       void *ctx);
/*
 * Report pending summaries through fn (NULL: keep them), then close the
 * windows that are due at now, or, when `all`, every open one.
 */
void ratelimit_sweep(struct ratelimit *rl, uint64_t now, bool all,
		     const char *name, policy_summary_fn fn, void *ctx);

#endif
