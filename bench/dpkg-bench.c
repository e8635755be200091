// SPDX-License-Identifier: GPL-2.0-or-later
/* dpkg-bench.c: how long trace-execd's dpkg index takes to build from a root's database, what it holds in memory, and what one lookup of a path costs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "dpkg/dpkg-index.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: dpkg-bench [-r ROUNDS] [-p PATH] [ROOT]\n"
		"Builds the index of ROOT's dpkg database (default /) ROUNDS times\n"
		"(default 5) and looks PATH up (default /usr/bin/true); prints JSON.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const struct dpkg_limits lim = { .max_bytes = SIZE_MAX, .max_entries = 1U << 26 };
	const char *root = "/", *path = "/usr/bin/true";
	struct dpkg_index_stats st = { 0 };
	const struct dpkg_entry *e;
	struct dpkg_index *ix = NULL;
	uint64_t t[64], t0, h;
	size_t n = 0, found = 0;
	int rounds = 5, i, c, rootfd, r;
	long k, lookups = 2000000;

	while ((c = getopt(argc, argv, "r:p:h")) != -1) {
		if (c == 'r')
			rounds = atoi(optarg);
		else if (c == 'p')
			path = optarg;
		else
			usage();
	}
	if (optind < argc)
		root = argv[optind];
	if (rounds < 1 || rounds > 64)
		usage();
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		perror(root);
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		dpkg_index_free(ix);
		t0 = clock_usec(CLOCK_MONOTONIC);
		r = dpkg_index_build(rootfd, &lim, &ix);
		t[i] = clock_usec(CLOCK_MONOTONIC) - t0;
		if (r < 0) {
			fprintf(stderr, "%s: building the index failed: %s\n", root, strerror(-r));
			return 1;
		}
	}
	dpkg_index_stats(ix, &st);
	qsort(t, (size_t)rounds, sizeof(t[0]), cmp_u64);
	/* one lookup as an exec does it: the path's hash, then the index */
	t0 = (uint64_t)clock_nsec(CLOCK_MONOTONIC);
	for (k = 0; k < lookups; k++) {
		h = dpkg_path_hash(path, strlen(path));
		n = dpkg_index_find(ix, h, &e);
		found += n;
	}
	t0 = (uint64_t)clock_nsec(CLOCK_MONOTONIC) - t0;
	printf("{\"root\":\"%s\",\"packages\":%zu,\"entries\":%zu,\"bytes_read\":%zu,"
	       "\"memory_bytes\":%zu,\"unreadable\":%zu,\"rounds\":%d,"
	       "\"build_ms_median\":%.1f,\"build_ms_min\":%.1f,\"build_ms_max\":%.1f,"
	       "\"lookup_path\":\"%s\",\"lookup_owners\":%zu,\"lookup_ns\":%.1f}\n",
	       root, st.packages, st.entries, st.bytes_read, st.memory, st.unreadable,
	       rounds, t[rounds / 2] / 1000.0, t[0] / 1000.0, t[rounds - 1] / 1000.0,
	       path, n, (double)t0 / (double)lookups);
	dpkg_index_free(ix);
	close(rootfd);
	return found ? 0 : 0;
}
