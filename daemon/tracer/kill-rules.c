/* kill-rules.c: hand the kernel its kill rules: a rule set slot filled, then the one in use switched; the verified containers by mount namespace. */
#include <errno.h>
#include <string.h>

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

/* The kcts index for mntns ns, as enforce.bpf.h looks for it: its own
 * or the first free slot of its probes; -1 when they are all taken. */
static int kct_slot(const struct tracer *t, uint64_t ns)
{
	uint32_t h = (uint32_t)(ns * 0x9e3779b97f4a7c15ULL >> 40), i, j;

	for (i = 0; i < TE_KCT_PROBES; i++) {
		j = (h + i) & (TE_KCT_SLOTS - 1);
		if (t->bss->kcts[j].mntns == ns || !t->bss->kcts[j].mntns)
			return (int)j;
	}
	return -1;
}

int tracer_container_put(struct tracer *t, uint64_t mntns, uint32_t slot,
			 uint64_t bits)
{
	struct te_kct *c;
	int i = kct_slot(t, mntns);

	if (i < 0)
		return -ENOSPC;
	c = &t->bss->kcts[i];
	if (!c->mntns) {
		c->bits[0] = c->bits[1] = 0;
		c->bits[slot & 1] = bits;
		__atomic_store_n(&c->mntns, mntns, __ATOMIC_RELEASE);
	} else {
		__atomic_store_n(&c->bits[slot & 1], bits, __ATOMIC_RELEASE);
	}
	return 0;
}
