/* ratelimit.c: rate-limit windows and summaries of what they suppressed. */
#include "policy/ratelimit.h"

/* End the running window at `end`; report it through fn or keep it pending. */
static void window_close(struct ratelimit *rl, uint64_t end, const char *name,
			 policy_summary_fn fn, void *ctx)
{
	rl->open = false;
	if (!rl->suppressed)
		return;
	if (fn) {
		fn(ctx, name, rl->suppressed, rl->start, end);
	} else {
		if (!rl->pend_suppressed)
			rl->pend_start = rl->start;
		rl->pend_suppressed += rl->suppressed;
		rl->pend_end = end;
	}
	rl->suppressed = 0;
}

/* True when the running window has lasted its interval at now. */
static bool window_due(const struct ratelimit *rl, uint64_t now)
{
	return rl->open && now >= rl->start && now - rl->start >= rl->interval;
}

bool ratelimit_account(struct ratelimit *rl, uint64_t now, const char *name,
		       policy_summary_fn fn, void *ctx)
{
	if (window_due(rl, now))
		window_close(rl, rl->start + rl->interval, name, fn, ctx);
	if (!rl->open) {
		rl->open = true;
		rl->start = now;
		rl->count = 0;
		rl->suppressed = 0;
	}
	if (rl->count < rl->burst) {
		rl->count++;
		return false;
	}
	rl->suppressed++;
	return true;
}

void ratelimit_sweep(struct ratelimit *rl, uint64_t now, bool all,
		     const char *name, policy_summary_fn fn, void *ctx)
{
	if (fn) {
		if (rl->pend_suppressed)
			fn(ctx, name, rl->pend_suppressed, rl->pend_start,
			   rl->pend_end);
		rl->pend_suppressed = 0;
	}
	if (window_due(rl, now))
		window_close(rl, rl->start + rl->interval, name, fn, ctx);
	else if (all && rl->open)
		window_close(rl, now, name, fn, ctx);
}
