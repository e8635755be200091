/* SPDX-License-Identifier: GPL-2.0-or-later */
/* array.h: room in a growable array, its capacity doubled as needed. */
#ifndef TRACE_EXECD_ARRAY_H
#define TRACE_EXECD_ARRAY_H

#include <stddef.h>

/*
 * Make room for n elements of size bytes in the array *pp (any object
 * pointer, passed by address: `array_reserve(&v, &cap, n + 1, sizeof(*v))`)
 * of *cap elements: its capacity doubles, from at least 64 bytes, until n
 * fit, and the elements held stay. Returns 0 (at once when n fit already),
 * or -ENOMEM (out of memory or beyond SIZE_MAX bytes; *pp and *cap are
 * then unchanged).
 */
int array_reserve(void *pp, size_t *cap, size_t n, size_t size);

#endif
