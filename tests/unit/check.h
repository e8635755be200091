/* SPDX-License-Identifier: GPL-2.0-or-later */
/* check.h: minimal assertions for the unit tests (exit 1 on the first failure). */
#ifndef TRACE_EXECD_CHECK_H
#define TRACE_EXECD_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_count;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
			__FILE__, __LINE__, #cond);			\
		exit(1);						\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	check_count++;							\
	if (!g_ || strcmp(g_, w_)) {					\
		fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
			__FILE__, __LINE__, g_ ? g_ : "(null)", w_);	\
		exit(1);						\
	}								\
} while (0)

#define CHECK_INT(got, want) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	check_count++;							\
	if (g_ != w_) {							\
		fprintf(stderr, "%s:%d: %s = %lld, want %lld\n",	\
			__FILE__, __LINE__, #got, g_, w_);		\
		exit(1);						\
	}								\
} while (0)

#define CHECK_DONE() do {						\
	printf("%s: %d checks passed\n", __FILE__, check_count);	\
	return 0;							\
} while (0)

#endif
