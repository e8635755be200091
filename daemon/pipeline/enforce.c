/* enforce.c: the pipeline's side of the kernel's kill rules: rule sets and verified containers handed to the kernel, its verdicts given to the entries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "pipeline/enforce.h"
#include "policy/rule.h"

/* The mount namespace of PID 1, read once (while privileged): execs in
 * it are the host's. */
static uint64_t host_mntns(void)
{
	static uint64_t ns;
	struct stat st;

	if (!ns && stat("/proc/1/ns/mnt", &st) == 0)
		ns = st.st_ino;
	return ns;
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

/* Tell the kernel of container c of mntns ns for slot; false when full. */
static bool put_ct(struct enforce *e, struct tracer *t, uint32_t slot,
		   uint64_t ns, const struct container *c)
{
	if (tracer_container_put(t, ns, slot, krules_container_bits(e->kr, c)) == 0)
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
	e->gen++;
	set->gen = kr->any_kill ? e->gen : 0;
	set->daemon_tgid = (uint32_t)getpid();
	set->host_mntns = host_mntns();
	slot = tracer_rules_stage(t, set);
	free(set);
	r = meta_fill(&e->meta[e->gen % ENFORCE_META], p, policy_rule_count(p), e->gen);
	if (r < 0) {
		log_error("out of memory");
		return r;
	}
	e->kr = kr;
	for (i = 0; i < e->nct; i++)
		put_ct(e, t, slot, e->cts[i].mntns, &e->cts[i].c);
	tracer_rules_use(t, slot);
	e->slot = slot;
	return 0;
}

void enforce_container(struct enforce *e, struct tracer *t,
		       const struct exec_event *ev)
{
	struct enforce_ct *v;
	size_t i;

	if (!ev->container || !t || !e->kr || !ev->mntns_id || ev->mntns == host_mntns())
		return;
	for (i = 0; i < e->nct; i++)
		if (e->cts[i].mntns == ev->mntns_id)
			return;
	if (e->nct == e->cap) {
		v = realloc(e->cts, (e->cap ? e->cap * 2 : 16) * sizeof(*v));
		if (!v)
			return;
		e->cts = v;
		e->cap = e->cap ? e->cap * 2 : 16;
	}
	if (!put_ct(e, t, e->slot, ev->mntns_id, ev->container))
		return;
	e->cts[e->nct].mntns = ev->mntns_id;
	e->cts[e->nct++].c = *ev->container;
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
