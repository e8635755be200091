// SPDX-License-Identifier: GPL-2.0-or-later
/* array.c: room in a growable array, its capacity doubled as needed. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"

#define ARRAY_MIN_BYTES	64

int array_reserve(void *pp, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap;
	void *p;

	if (n <= *cap)
		return 0;
	if (!size || n > SIZE_MAX / size)
		return -ENOMEM;
	if (!ncap)
		ncap = size < ARRAY_MIN_BYTES ? ARRAY_MIN_BYTES / size : 1;
	while (ncap < n)
		ncap = ncap > SIZE_MAX / 2 / size ? n : ncap * 2;
	/* the pointer is read and written as bytes: pp may point to any
	 * object pointer type */
	memcpy(&p, pp, sizeof(p));
	p = realloc(p, ncap * size);
	if (!p)
		return -ENOMEM;
	memcpy(pp, &p, sizeof(p));
	*cap = ncap;
	return 0;
}
