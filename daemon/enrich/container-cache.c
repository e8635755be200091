// SPDX-License-Identifier: GPL-2.0-or-later
/* container-cache.c: container attribution cached by cgroup path (core's LRU; unproven entries re-read after a second). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/lru.h"
#include "enrich/container-internal.h"

/* What is known of one cgroup path (the key in core's LRU) whose name
 * claims a container. */
struct cache_entry {
	struct container c;		/* the claimed container's metadata */
	bool known;			/* a runtime knows c */
	bool cgroup_ok;			/* its records name this cgroup as c's */
	uint64_t mntns;			/* mount namespace of c's init, 0: unknown */
	uint64_t read_for;		/* the exec namespace of the last read */
	uint64_t fetched_usec, used_usec;
};

struct container_cache {
	struct container_paths paths;	/* strings owned */
	struct lru *lru;		/* of struct cache_entry, by cgroup path */
	struct container_cache_stats st;
	char claim[CONTAINER_ID_LEN + 1]; /* a claim no entry could hold */
};

static void paths_free(struct container_paths *p)
{
	free((char *)p->podman_storage);
	free((char *)p->docker_root);
	free((char *)p->containerd_state);
	free((char *)p->crio_state);
	free((char *)p->runc_state);
}

/* Copy one path setting (NULL stays NULL); false on ENOMEM. */
static bool dup_path(const char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return !src || *dst;
}

/* An entry left the cache, for room or age. */
static void count_eviction(void *value, void *ctx)
{
	struct container_cache *c = ctx;

	(void)value;
	c->st.evictions++;
}

int container_cache_new(struct container_cache **out,
			const struct container_paths *paths)
{
	struct container_paths none = { 0 };
	struct lru_ops ops = { .drop = count_eviction };
	struct container_cache *c;

	if (!paths)
		paths = &none;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ops.ctx = c;
	c->lru = lru_new(CONTAINER_CACHE_MAX, 0, sizeof(struct cache_entry), &ops);
	if (!c->lru ||
	    !dup_path(&c->paths.podman_storage, paths->podman_storage) ||
	    !dup_path(&c->paths.docker_root, paths->docker_root) ||
	    !dup_path(&c->paths.containerd_state, paths->containerd_state) ||
	    !dup_path(&c->paths.crio_state, paths->crio_state) ||
	    !dup_path(&c->paths.runc_state, paths->runc_state))
		goto fail;
	*out = c;
	return 0;
fail:
	container_cache_free(c);
	return -ENOMEM;
}

void container_cache_free(struct container_cache *c)
{
	if (!c)
		return;
	lru_free(c->lru);
	paths_free(&c->paths);
	free(c);
}

void container_cache_set_limit(struct container_cache *c, size_t max)
{
	lru_set_limit(c->lru, max);
}

/*
 * Read the claimed container's metadata and its runtime's records of where
 * it runs. A container no runtime knows (any longer) keeps what its entry
 * had: a cgroup or namespace once proven stays its container's.
 */
static void cache_fetch(struct container_cache *c, struct cache_entry *e,
			const char *cgroup, const struct cgroup_match *m,
			uint64_t exec_mntns, uint64_t now_usec)
{
	struct container_proof pf = { .cgroup = cgroup };
	struct container tmp;
	uint64_t mntns;

	c->st.reads++;
	e->fetched_usec = now_usec;
	e->read_for = exec_mntns;
	if (container_read_fitting(&c->paths, e->c.id, m->runtime,
				   m->certain ? m->runtime : NULL, &tmp, &pf) < 0)
		return;
	e->c = tmp;
	e->known = true;
	e->cgroup_ok = e->cgroup_ok || pf.cgroup_ok;
	mntns = proof_init_mntns(&pf);
	if (mntns)
		e->mntns = mntns;
	e->c.mntns = e->mntns;
}

/* Whether e proves an exec in mount namespace mntns is its container's. */
static bool entry_proves(const struct cache_entry *e, uint64_t mntns)
{
	return e->known && (e->cgroup_ok || (e->mntns && e->mntns == mntns));
}

/* Entries that prove nothing for this exec, or have no name, are re-read
 * once they are a second old. So is, at once, one that does not know the
 * namespace of the container's init (a runtime's process in the cgroup
 * came before it, such as runc init) at an exec in another namespace than
 * the last read's: it may be the container's, which the kill rules need
 * to know. */
static bool cache_stale(const struct cache_entry *e, uint64_t mntns,
			uint64_t now_usec)
{
	if (e->known && !e->mntns && mntns && mntns != e->read_for)
		return true;
	if (entry_proves(e, mntns) && e->c.name[0])
		return false;
	return now_usec < e->fetched_usec ||
	       now_usec - e->fetched_usec >= CONTAINER_REFRESH_USEC;
}

/* The entry of cgroup (claiming id), now the most recently used, read or
 * refreshed as needed (a new one evicting the least recently used); NULL
 * on ENOMEM. */
static struct cache_entry *cache_get(struct container_cache *c, const char *cgroup,
				     const char *id, const struct cgroup_match *m,
				     uint64_t mntns, uint64_t now_usec)
{
	size_t len = strlen(cgroup);
	struct cache_entry *e = lru_get(c->lru, cgroup, len);

	if (!e) {
		e = lru_put(c->lru, cgroup, len, NULL);
		if (e) {
			container_reset(&e->c, id);
			cache_fetch(c, e, cgroup, m, mntns, now_usec);
		}
	} else if (cache_stale(e, mntns, now_usec)) {
		cache_fetch(c, e, cgroup, m, mntns, now_usec);
	} else {
		c->st.hits++;
	}
	return e;
}

const struct container *container_lookup(struct container_cache *c,
					 const char *cgroup_path, uint64_t mntns,
					 uint64_t now_usec, const char **unverified)
{
	char id[CONTAINER_ID_LEN + 1];
	struct cgroup_match m;
	struct cache_entry *e;

	if (unverified)
		*unverified = NULL;
	if (!c || container_cgroup_match(cgroup_path, id, &m) <= 0)
		return NULL;
	c->st.lookups++;
	e = cache_get(c, cgroup_path, id, &m, mntns, now_usec);
	if (e) {
		e->used_usec = now_usec;
		if (entry_proves(e, mntns))
			return &e->c;
	}
	c->st.unverified++;
	if (unverified) {
		if (!e)
			memcpy(c->claim, id, sizeof(c->claim));
		*unverified = e ? e->c.id : c->claim;
	}
	return NULL;
}

void container_cache_expire(struct container_cache *c, uint64_t now_usec)
{
	struct cache_entry *e;

	while (c && (e = lru_oldest(c->lru)) && now_usec >= e->used_usec &&
	       now_usec - e->used_usec > CONTAINER_EXPIRE_USEC)
		lru_remove(c->lru, e);
}

void container_cache_stats(const struct container_cache *c,
			   struct container_cache_stats *out)
{
	*out = c->st;
	out->entries = lru_count(c->lru);
}
