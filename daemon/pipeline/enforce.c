// SPDX-License-Identifier: GPL-2.0-or-later
/* enforce.c: the pipeline's side of the kernel's kill rules: rule sets and verified containers handed to the kernel (and taken back when their namespace is gone), its verdicts given to the entries. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/capability.h>

#include "core/array.h"
#include "core/log.h"
#include "core/util.h"
#include "pipeline/enforce.h"
#include "policy/rule.h"

/* PID 1's mount namespace inode (host_mntns()), 0 when unreadable. */
static uint64_t host_ns(void)
{
	uint64_t ino = 0;

	host_mntns(&ino);
	return ino;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
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

/* Whether the daemon may read any process's /proc/PID/ns/mnt: with
 * CAP_SYS_PTRACE (root without it is refused those of processes with
 * capabilities it lacks, a container's among them). */
static bool may_read_ns(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d) < 0)
		return false;
	return d[CAP_TO_INDEX(CAP_SYS_PTRACE)].effective & CAP_TO_MASK(CAP_SYS_PTRACE);
}

#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID	_IOR(0xb7, 0x5, uint64_t)	/* Linux 6.8 */
#endif

/* The live mount namespaces: by id (what the kernel's table holds), or
 * on a kernel without NS_GET_MNTNS_ID by inode (which a new namespace may
 * take again: a gone container may then stay until it is freed again). */
struct live {
	uint64_t *v;		/* sorted */
	size_t n, cap;
	bool by_inode;
};

/* Add what identifies the namespace of /proc/NAME/ns/mnt to l; 0, or
 * -ENOMEM. A process gone meanwhile or out of reach is left out. */
static int live_add(struct live *l, const char *name)
{
	char path[sizeof("/proc//ns/mnt") + 256];
	struct stat st;
	uint64_t id;
	int fd, r;

	snprintf(path, sizeof(path), "/proc/%s/ns/mnt", name);
	if (l->by_inode) {
		if (stat(path, &st) < 0)
			return 0;
		id = st.st_ino;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		r = ioctl(fd, NS_GET_MNTNS_ID, &id);
		close(fd);
		if (r < 0)
			return 0;
	}
	if (array_reserve(&l->v, &l->cap, l->n + 1, sizeof(*l->v)) < 0)
		return -ENOMEM;
	l->v[l->n++] = id;
	return 0;
}

/* The mount namespaces of every process the daemon may read (not those
 * out of its reach, such as a parent user namespace's), in l (free
 * l->v). 0 or a negative errno. */
static int live_mntns(struct live *l)
{
	struct dirent *d;
	uint64_t id;
	int fd, r = 0;
	DIR *dir;

	fd = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	l->by_inode = ioctl(fd, NS_GET_MNTNS_ID, &id) < 0;
	close(fd);
	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while (r == 0 && (d = readdir(dir)))
		if (isdigit((unsigned char)d->d_name[0]))
			r = live_add(l, d->d_name);
	closedir(dir);
	qsort(l->v, l->n, sizeof(*l->v), cmp_u64);
	return r;
}

/* Whether the namespace of id / inode ino is among the live ones. */
static bool ns_live(uint64_t id, uint64_t ino, void *arg)
{
	const struct live *l = arg;
	uint64_t k = l->by_inode ? ino : id;

	return bsearch(&k, l->v, l->n, sizeof(*l->v), cmp_u64) != NULL;
}

/*
 * Take back from the kernel (and forget) the containers whose mount
 * namespace no process has any more; unless forced, at most once per
 * ENFORCE_SWEEP_MIN_USEC. Returns how many were freed, or a negative errno
 * (logged once: the table then only grows).
 */
static int sweep(struct enforce *e, struct tracer *t, uint64_t now, bool force)
{
	struct live l = { 0 };
	size_t i, j, freed;
	int r;

	if (!force && e->last_sweep && now - e->last_sweep < ENFORCE_SWEEP_MIN_USEC)
		return 0;
	e->last_sweep = now;
	r = may_read_ns() ? live_mntns(&l) : -EPERM;
	if (r < 0) {
		if (!e->sweep_said)
			log_warn("/proc/*/ns/mnt: %s: containers that stopped stay in the kernel's table of verified containers",
				 r == -EPERM ? "not readable without CAP_SYS_PTRACE" : strerror(-r));
		e->sweep_said = true;
		free(l.v);
		return r;
	}
	freed = tracer_containers_sweep(t, ns_live, &l);
	for (i = j = 0; i < e->nct; i++)
		if (ns_live(e->cts[i].mntns, e->cts[i].ino, &l))
			e->cts[j++] = e->cts[i];
	e->nct = j;
	free(l.v);
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
