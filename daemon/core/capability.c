// SPDX-License-Identifier: GPL-2.0-or-later
/* capability.c: whether this process holds a capability (libcap). */
#include "core/capability.h"

bool caps_held(cap_value_t c, cap_flag_t set)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t cur = cap_get_proc();

	if (cur) {
		if (cap_get_flag(cur, c, set, &v) < 0)
			v = CAP_CLEAR;
		cap_free(cur);
	}
	return v == CAP_SET;
}
