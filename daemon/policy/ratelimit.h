/* ratelimit.h: a rule's rate limit: `burst` events per window, the rest suppressed. */
#ifndef TRACE_EXECD_RATELIMIT_H
#define TRACE_EXECD_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "policy/policy.h"

/*
 * A window opens at the first event and lasts `interval`; the first
 * `burst` events in it pass. A window that suppressed events is reported
 * once when it closes: at once through a summary function, or kept
 * pending until a sweep has one.
 */
struct ratelimit {
	uint32_t burst;			/* 0: no limit */
	uint64_t interval;		/* usec */
	bool open;			/* a window is running */
	uint64_t start, count, suppressed;
	/* closed without a summary function, reported by the next sweep */
	uint64_t pend_suppressed, pend_start, pend_end;
};

/*
 * Count one event at now (usec); true when it is over the burst. A window
 * found due is closed first and, if it suppressed events, reported as
 * `name` through fn (NULL: kept pending).
 */
bool ratelimit_account(struct ratelimit *rl, uint64_t now, const char *name,
		       policy_summary_fn fn, void *ctx);
/*
 * Report a pending summary through fn (NULL: keep it), then close the
 * window if it is due at now, or, when `all`, if it is open at all.
 */
void ratelimit_sweep(struct ratelimit *rl, uint64_t now, bool all,
		     const char *name, policy_summary_fn fn, void *ctx);

#endif
