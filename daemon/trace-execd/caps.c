// SPDX-License-Identifier: GPL-2.0-or-later
/* caps.c: give up privileges once the tracer is attached. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "core/capability.h"
#include "core/log.h"
#include "trace-execd/caps.h"

int caps_drop_all(int keep)
{
	cap_t none = NULL;
	cap_value_t c, k = keep;
	int r = 0;

	/* A capability not held (a container granting less) cannot be kept:
	 * what needs it says so where it fails. */
	if (keep >= 0 && !caps_held(k, CAP_PERMITTED)) {
		log_warn("capability %d is not held: SHA-256 of other users' programs may be unavailable (EXEC_SHA256_UNAVAILABLE=denied)",
			    keep);
		keep = -1;
	}

	/* The bounding set first: that needs CAP_SETPCAP, still held here. */
	for (c = 0; c <= CAP_LAST_CAP; c++) {
		if (c == keep)
			continue;
		if (CAP_IS_SUPPORTED(c) && cap_drop_bound(c) < 0 && errno != EINVAL) {
			r = -errno;
			log_error("dropping capability %d from the bounding set failed: %s",
				  c, strerror(errno));
			goto out;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL) {
		r = -errno;
		log_error("clearing ambient capabilities failed: %s", strerror(errno));
		goto out;
	}
	none = cap_init();
	if (none && keep >= 0 &&
	    (cap_set_flag(none, CAP_PERMITTED, 1, &k, CAP_SET) < 0 ||
	     cap_set_flag(none, CAP_EFFECTIVE, 1, &k, CAP_SET) < 0)) {
		cap_free(none);
		none = NULL;
	}
	if (!none || cap_set_proc(none) < 0) {
		r = -errno;
		log_error("dropping capabilities failed: %s", strerror(errno));
		goto out;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		r = -errno;
		log_error("setting no_new_privs failed: %s", strerror(errno));
	}
out:
	if (none)
		cap_free(none);
	return r;
}
