/* SPDX-License-Identifier: GPL-2.0-or-later */
/* capability.h: whether this process holds a capability (libcap). */
#ifndef TRACE_EXECD_CAPABILITY_H
#define TRACE_EXECD_CAPABILITY_H

#include <stdbool.h>

#include <sys/capability.h>

/* Whether this process holds capability c in set (CAP_EFFECTIVE,
 * CAP_PERMITTED or CAP_INHERITABLE); false when it cannot tell. */
bool caps_held(cap_value_t c, cap_flag_t set);

#endif
