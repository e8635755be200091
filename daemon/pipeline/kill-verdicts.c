// SPDX-License-Identifier: GPL-2.0-or-later
/* kill-verdicts.c: the pipeline's side of the kernel's kill rules: rule sets and verified containers handed to the kernel (and taken back when their namespace is gone), its verdicts given to the entries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/array.h"
#include "core/log.h"
#include "core/mntns.h"
#include "core/util.h"
#include "pipeline/kill-verdicts.h"
#include "policy/rule.h"

/* PID 1's mount namespace inode (host_mntns()), 0 when unreadable. */
static uint64_t host_ns(void)
{
	uint64_t ino = 0;

	host_mntns(&ino);
	return ino;
}

static void meta_clear(struct enforce_meta *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->names[i]);
		free(m->tags[i]);
	}
	free(m->names);
	free(m->tags);
	free(m->prio);
	memset(m, 0, sizeof(*m));
}

/* Keep the names, tags and priorities of p's first n rules; 0 or -ENOMEM. */
static int meta_fill(struct enforce_meta *m, const struct policy *p,
		     size_t n, uint32_t gen)
{
	const struct rule *r;
	size_t i;

	meta_clear(m);
	m->names = calloc(n + 1, sizeof(*m->names));
	m->tags = calloc(n + 1, sizeof(*m->tags));
	m->prio = calloc(n + 1, sizeof(*m->prio));
	if (!m->names || !m->tags || !m->prio)
		goto oom;
	for (i = 0; i < n && (r = policy_rule(p, i)); i++) {
		m->names[i] = strdup(r->name);
		m->tags[i] = strdup(r->tags);
		m->prio[i] = r->priority;
		m->n = i + 1;
		if (!m->names[i] || !m->tags[i])
			goto oom;
	}
	m->gen = gen;
	return 0;
oom:
	meta_clear(m);
	return -ENOMEM;
}

/* tracer_containers_sweep()'s question: whether the namespace of id /
 * inode ino is among the live ones (a struct mntns_set). */
static bool ns_live(uint64_t id, uint64_t ino, void *arg)
{
	return mntns_set_has(arg, id, ino);
}

/*
 * Take back from the kernel (and forget) the containers whose mount
 * namespace no process has any more; unless forced, at most once per
 * ENFORCE_SWEEP_MIN_USEC. Returns how many were freed, or a negative errno
 * (logged once: the table then only grows).
 */
static int sweep(struct enforce *e, struct tracer *t, uint64_t now, bool force)
{
	struct mntns_set l = { 0 };
	size_t i, j, freed;
	int r;

	if (!force && e->last_sweep && now - e->last_sweep < ENFORCE_SWEEP_MIN_USEC)
		return 0;
	e->last_sweep = now;
	r = mntns_scan(&l);
	if (r < 0) {
		if (!e->sweep_said)
			log_warn("/proc/*/ns/mnt: %s: containers that stopped stay in the kernel's table of verified containers",
				 r == -EPERM ? "not readable without CAP_SYS_PTRACE" : strerror(-r));
		e->sweep_said = true;
		mntns_set_free(&l);
		return r;
	}
	freed = tracer_containers_sweep(t, ns_live, &l);
	for (i = j = 0; i < e->nct; i++)
		if (ns_live(e->cts[i].mntns, e->cts[i].ino, &l))
			e->cts[j++] = e->cts[i];
	e->nct = j;
	mntns_set_free(&l);
	if (freed)
		e->full_said = false;
	return (int)freed;
}

/* Tell the kernel of container c of mntns ns (inode ino) for slot, making
 * room by a sweep when its slots are taken; false when it is full. */
static bool put_ct(struct enforce *e, struct tracer *t, uint32_t slot,
		   uint64_t ns, uint64_t ino, const struct container *c)
{
	uint64_t bits = krules_container_bits(e->kr, c);

	if (tracer_container_put(t, ns, ino, slot, e->kgen, bits) == 0)
		return true;
	if (sweep(e, t, clock_usec(CLOCK_MONOTONIC), false) > 0 &&
	    tracer_container_put(t, ns, ino, slot, e->kgen, bits) == 0)
		return true;
	if (!e->full_said)
		log_warn("the kernel's table of verified containers is full: execs in container %s count as in an unknown mount namespace for kill rules",
			 c->short_id);
	e->full_said = true;
	return false;
}

int enforce_set_rules(struct enforce *e, struct tracer *t,
		      const struct policy *p, const struct krules *kr)
{
	struct te_kset *set;
	uint32_t slot;
	size_t i;
	int r;

	set = malloc(sizeof(*set));
	if (!set)
		return -ENOMEM;
	memcpy(set, &kr->set, sizeof(*set));
	/* above the generations of a tracer taken over, whose container
	 * bits this daemon did not compute */
	if (!e->gen)
		e->gen = tracer_rules_max_gen(t);
	e->gen++;
	set->gen = kr->any_kill ? e->gen : 0;
	e->kgen = set->gen;
	set->daemon_tgid = (uint32_t)getpid();
	set->host_mntns = host_ns();
	slot = tracer_rules_stage(t, set);
	free(set);
	r = meta_fill(&e->meta[e->gen % ENFORCE_META], p, policy_rule_count(p), e->gen);
	if (r < 0) {
		log_error("out of memory");
		return r;
	}
	e->kr = kr;
	/* the containers of the new set: those that still run */
	if (tracer_containers_count(t) > 0)
		sweep(e, t, clock_usec(CLOCK_MONOTONIC), true);
	for (i = 0; i < e->nct; i++)
		put_ct(e, t, slot, e->cts[i].mntns, e->cts[i].ino, &e->cts[i].c);
	tracer_rules_use(t, slot);
	e->slot = slot;
	return 0;
}

void enforce_container(struct enforce *e, struct tracer *t,
		       const struct exec_event *ev)
{
	size_t i;

	/* only an exec in the container's own mount namespace shows which
	 * namespace is the container's: one in its cgroup may be a runtime's
	 * process that has not entered it yet (runc init) */
	if (!ev->container || !t || !ev->mntns_id ||
	    ev->mntns == host_ns() || ev->mntns != ev->container->mntns)
		return;
	/* the usual case, every later exec of a container: the kernel's
	 * table (a hash) has it for the rule set in use */
	if (tracer_container_current(t, ev->mntns_id, e->slot, e->kgen))
		return;
	for (i = 0; i < e->nct; i++)
		if (e->cts[i].mntns == ev->mntns_id)
			return;
	if (array_reserve(&e->cts, &e->cap, e->nct + 1, sizeof(*e->cts)) < 0)
		return;
	if (!put_ct(e, t, e->slot, ev->mntns_id, ev->mntns, ev->container))
		return;
	e->cts[e->nct].mntns = ev->mntns_id;
	e->cts[e->nct].ino = ev->mntns;
	e->cts[e->nct++].c = *ev->container;
}

void enforce_tick(struct enforce *e, struct tracer *t, uint64_t now)
{
	if (!t)
		return;
	if (!e->last_sweep)
		e->last_sweep = now;
	if (now - e->last_sweep >= ENFORCE_SWEEP_USEC &&
	    tracer_containers_count(t) > 0)
		sweep(e, t, now, false);
}

const struct container *enforce_container_at(const struct enforce *e,
					    const struct tracer *t, int slot)
{
	uint64_t ns = t ? tracer_container_at(t, slot) : 0;
	size_t i;

	for (i = 0; ns && i < e->nct; i++)
		if (e->cts[i].mntns == ns)
			return &e->cts[i].c;
	return NULL;
}

const char *enforce_verdict(const struct enforce *e,
			    const struct exec_event *ev, struct verdict *v)
{
	static const char *const actions[] = {
		[TE_KA_KILLED] = "killed", [TE_KA_WOULD_KILL] = "would-kill",
		[TE_KA_PROTECTED] = "protected",
	};
	const struct enforce_meta *m = &e->meta[ev->kill_gen % ENFORCE_META];

	if (ev->kill_action == TE_KA_NONE || ev->kill_action > TE_KA_PROTECTED)
		return v->kill ? "undecided" : ev->killed ? "killed" : NULL;
	v->drop = false;
	v->suppressed = false;
	if (m->gen == ev->kill_gen && ev->kill_rule < m->n) {
		v->rule = m->names[ev->kill_rule];
		v->tags = m->tags[ev->kill_rule];
		v->priority = m->prio[ev->kill_rule];
	} else {		/* ENFORCE_META reloads came before this record was read */
		v->rule = "(a rule set replaced since)";
		v->tags = "";
	}
	return actions[ev->kill_action];
}

void enforce_free(struct enforce *e)
{
	size_t i;

	for (i = 0; i < ENFORCE_META; i++)
		meta_clear(&e->meta[i]);
	free(e->cts);
	memset(e, 0, sizeof(*e));
}
