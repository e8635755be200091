/* SPDX-License-Identifier: GPL-2.0-or-later */
/* caps.h: give up privileges once the tracer is attached. */
#ifndef TRACE_EXECD_CAPS_H
#define TRACE_EXECD_CAPS_H

/* Drop every capability (effective, permitted, inheritable, ambient and
 * bounding) but keep (effective and permitted; -1: none), and set
 * no_new_privs; returns 0 or negative errno (logged). */
int caps_drop_all(int keep);

#endif
