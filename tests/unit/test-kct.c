// SPDX-License-Identifier: GPL-2.0-or-later
/* test-kct.c: unit tests of the kernel's table of verified containers: entries found as the kernel probes, freed when their namespace is gone, their room reused, bits valid for one rule set generation. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "tracer/kill-containers.h"

static struct te_kct tab[TE_KCT_SLOTS];

static uint32_t hash(uint64_t ns)
{
	return (uint32_t)(ns * 0x9e3779b97f4a7c15ULL >> 40) & (TE_KCT_SLOTS - 1);
}

/* keep(): namespaces with an even inode number live on. */
static bool even(uint64_t id, uint64_t ino, void *arg)
{
	(void)id;
	(void)arg;
	return !(ino & 1);
}

static bool none(uint64_t id, uint64_t ino, void *arg)
{
	(void)id;
	(void)ino;
	(void)arg;
	return false;
}

/* The first namespace id above from whose first probe is h. */
static uint64_t ns_at(uint32_t h, uint64_t from)
{
	while (hash(++from) != h)
		;
	return from;
}

/* Two namespaces of one probe chain: the second found past the first
 * when that one is freed; a new one takes the freed slot. */
static void test_chain(void)
{
	uint64_t a = ns_at(5, 1000), b = ns_at(5, a), c = ns_at(5, b);

	memset(tab, 0, sizeof(tab));
	CHECK_INT(kct_put(tab, a, 11, 0, 3, 0x5), 5);
	CHECK_INT(kct_put(tab, b, 12, 1, 3, 0x6), 6);
	CHECK_INT(kct_find(tab, a), 5);
	CHECK_INT(kct_find(tab, b), 6);
	CHECK_INT(tab[5].bits[0], 0x5);
	CHECK_INT(tab[5].gen[0], 3);
	CHECK_INT(tab[5].gen[1], 0);
	CHECK_INT(tab[6].bits[1], 0x6);
	CHECK_INT(kct_count(tab), 2);
	/* a's namespace (odd inode) is gone */
	CHECK_INT(kct_sweep(tab, even, NULL), 1);
	CHECK(tab[5].mntns == TE_KCT_GONE);
	CHECK_INT(kct_find(tab, a), -1);
	CHECK_INT(kct_find(tab, b), 6);
	CHECK_INT(kct_count(tab), 1);
	/* b again: its own entry, not the freed slot before it */
	CHECK_INT(kct_put(tab, b, 12, 0, 4, 0x7), 6);
	CHECK_INT(tab[6].bits[0], 0x7);
	CHECK_INT(tab[6].bits[1], 0x6);
	CHECK_INT(tab[6].gen[0], 4);
	CHECK_INT(tab[6].gen[1], 3);
	/* c takes the freed slot, with nothing left of a */
	CHECK_INT(kct_put(tab, c, 14, 1, 4, 0x1), 5);
	CHECK_INT(tab[5].bits[0], 0);
	CHECK_INT(tab[5].gen[0], 0);
	CHECK_INT(tab[5].bits[1], 0x1);
	CHECK_INT(kct_find(tab, c), 5);
	CHECK_INT(kct_max_gen(tab), 4);
	CHECK_INT(kct_put(tab, 0, 1, 0, 1, 1), -EINVAL);
	CHECK_INT(kct_put(tab, TE_KCT_GONE, 1, 0, 1, 1), -EINVAL);
}

/* A probe chain holds TE_KCT_PROBES namespaces; the next has no room
 * until one of them is gone. */
static void test_full_chain(void)
{
	uint64_t ns[TE_KCT_PROBES + 1], from = 0;
	int i;

	memset(tab, 0, sizeof(tab));
	for (i = 0; i <= TE_KCT_PROBES; i++)
		ns[i] = from = ns_at(100, from);
	for (i = 0; i < TE_KCT_PROBES; i++)
		CHECK_INT(kct_put(tab, ns[i], 2 * (uint64_t)i + (i == 3), 0, 1, 0), 100 + i);
	CHECK_INT(kct_put(tab, ns[TE_KCT_PROBES], 100, 0, 1, 0), -ENOSPC);
	CHECK_INT(kct_find(tab, ns[TE_KCT_PROBES]), -1);
	CHECK_INT(kct_sweep(tab, even, NULL), 1);
	CHECK_INT(kct_put(tab, ns[TE_KCT_PROBES], 100, 0, 1, 0), 103);
	for (i = 0; i <= TE_KCT_PROBES; i++)
		if (i != 3)
			CHECK(kct_find(tab, ns[i]) >= 0);
}

/* Containers that come and go: 20 rounds of 300 (6000 in all, the table
 * has 1024 slots) each fit once the previous round's are freed. */
static void test_churn(void)
{
	uint64_t ns = 1;
	int round, i, fails = 0;

	memset(tab, 0, sizeof(tab));
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 300; i++, ns++)
			fails += kct_put(tab, ns * 7919, ns, 0, 1, 1) < 0;
		CHECK_INT(kct_count(tab), 300 - fails);
		CHECK_INT(kct_sweep(tab, none, NULL), 300 - fails);
		CHECK_INT(kct_count(tab), 0);
	}
	/* at most a few collide past a chain of TE_KCT_PROBES at 30 % load */
	CHECK(fails < 20);
}

int main(void)
{
	test_chain();
	test_full_chain();
	test_churn();
	CHECK_DONE();
}
