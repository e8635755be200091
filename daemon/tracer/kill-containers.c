// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-containers.c: the kernel's table of verified containers, open addressing as bpf/kill-rules.bpf.c probes it: put, freed when the namespace is gone, read. */
#include <errno.h>

#include "tracer/kill-containers.h"

/* The first slot ns probes (the hash kill-rules.bpf.c uses). */
static uint32_t kct_hash(uint64_t ns)
{
	return (uint32_t)(ns * 0x9e3779b97f4a7c15ULL >> 40);
}

static uint64_t kct_ns(const struct te_kct *c)
{
	return __atomic_load_n(&c->mntns, __ATOMIC_ACQUIRE);
}

int kct_find(const struct te_kct *tab, uint64_t ns)
{
	uint32_t h = kct_hash(ns), i, j;
	uint64_t cur;

	if (!ns || ns == TE_KCT_GONE)
		return -1;
	for (i = 0; i < TE_KCT_PROBES; i++) {
		j = (h + i) & (TE_KCT_SLOTS - 1);
		cur = kct_ns(&tab[j]);
		if (cur == ns)
			return (int)j;
		if (!cur)
			break;
	}
	return -1;
}

/* The slot a new entry of ns takes: the first free or freed one of its
 * probes, -1 when there is none. */
static int kct_room(const struct te_kct *tab, uint64_t ns)
{
	uint32_t h = kct_hash(ns), i, j;
	uint64_t cur;

	for (i = 0; i < TE_KCT_PROBES; i++) {
		j = (h + i) & (TE_KCT_SLOTS - 1);
		cur = kct_ns(&tab[j]);
		if (!cur || cur == TE_KCT_GONE)
			return (int)j;
	}
	return -1;
}

int kct_put(struct te_kct *tab, uint64_t ns, uint64_t ino, uint32_t slot,
	    uint32_t gen, uint64_t bits)
{
	struct te_kct *c;
	int i = kct_find(tab, ns);

	slot &= 1;
	if (i >= 0) {
		/* the bits before the generation that makes them valid */
		c = &tab[i];
		__atomic_store_n(&c->bits[slot], bits, __ATOMIC_RELEASE);
		__atomic_store_n(&c->gen[slot], gen, __ATOMIC_RELEASE);
		c->ino = ino;
		return i;
	}
	if (!ns || ns == TE_KCT_GONE)
		return -EINVAL;
	i = kct_room(tab, ns);
	if (i < 0)
		return -ENOSPC;
	c = &tab[i];
	c->bits[0] = c->bits[1] = 0;
	c->gen[0] = c->gen[1] = 0;
	c->bits[slot] = bits;
	c->gen[slot] = gen;
	c->ino = ino;
	__atomic_store_n(&c->mntns, ns, __ATOMIC_RELEASE);
	return i;
}

size_t kct_sweep(struct te_kct *tab,
		 bool (*keep)(uint64_t id, uint64_t ino, void *arg), void *arg)
{
	size_t i, freed = 0;
	uint64_t cur;

	for (i = 0; i < TE_KCT_SLOTS; i++) {
		cur = kct_ns(&tab[i]);
		if (!cur || cur == TE_KCT_GONE || keep(cur, tab[i].ino, arg))
			continue;
		__atomic_store_n(&tab[i].mntns, TE_KCT_GONE, __ATOMIC_RELEASE);
		freed++;
	}
	return freed;
}

size_t kct_count(const struct te_kct *tab)
{
	size_t i, n = 0;
	uint64_t cur;

	for (i = 0; i < TE_KCT_SLOTS; i++) {
		cur = kct_ns(&tab[i]);
		n += cur && cur != TE_KCT_GONE;
	}
	return n;
}

uint32_t kct_max_gen(const struct te_kct *tab)
{
	uint32_t g = 0;
	size_t i;

	for (i = 0; i < TE_KCT_SLOTS; i++) {
		if (tab[i].gen[0] > g)
			g = tab[i].gen[0];
		if (tab[i].gen[1] > g)
			g = tab[i].gen[1];
	}
	return g;
}
