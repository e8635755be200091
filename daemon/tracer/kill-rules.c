// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-rules.c: hand the kernel its kill rules: a rule set slot filled, then the one in use switched; the verified containers by mount namespace, freed when it is gone. */
#include <errno.h>
#include <string.h>

#include "tracer/kill-containers.h"
#include "tracer/tracer-priv.h"

uint32_t tracer_rules_stage(struct tracer *t, const struct te_kset *set)
{
	uint32_t slot = (__atomic_load_n(&t->bss->kset_cur, __ATOMIC_ACQUIRE) & 1) ^ 1;

	memcpy(&t->bss->ksets[slot], set, sizeof(*set));
	return slot;
}

void tracer_rules_use(struct tracer *t, uint32_t slot)
{
	__atomic_store_n(&t->bss->kset_cur, slot & 1, __ATOMIC_RELEASE);
}

uint32_t tracer_rules_gen(const struct tracer *t)
{
	uint32_t cur = __atomic_load_n(&t->bss->kset_cur, __ATOMIC_ACQUIRE) & 1;

	return t->bss->ksets[cur].gen;
}

int tracer_container_put(struct tracer *t, uint64_t mntns, uint64_t ino,
			 uint32_t slot, uint32_t gen, uint64_t bits)
{
	int r = kct_put(t->bss->kcts, mntns, ino, slot, gen, bits);

	return r < 0 ? r : 0;
}

bool tracer_container_current(const struct tracer *t, uint64_t mntns,
			      uint32_t slot, uint32_t gen)
{
	int i = kct_find(t->bss->kcts, mntns);

	return i >= 0 && t->bss->kcts[i].gen[slot & 1] == gen;
}

size_t tracer_containers_sweep(struct tracer *t,
			       bool (*keep)(uint64_t id, uint64_t ino, void *arg),
			       void *arg)
{
	return kct_sweep(t->bss->kcts, keep, arg);
}

uint64_t tracer_container_at(const struct tracer *t, int i)
{
	uint64_t ns;

	if (i < 0 || i >= TE_KCT_SLOTS)
		return 0;
	ns = t->bss->kcts[i].mntns;
	return ns == TE_KCT_GONE ? 0 : ns;
}

size_t tracer_containers_count(const struct tracer *t)
{
	return kct_count(t->bss->kcts);
}

uint32_t tracer_rules_max_gen(const struct tracer *t)
{
	uint32_t g = kct_max_gen(t->bss->kcts), i;

	for (i = 0; i < 2; i++)
		if (t->bss->ksets[i].gen > g)
			g = t->bss->ksets[i].gen;
	return g;
}
