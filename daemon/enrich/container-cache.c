// SPDX-License-Identifier: GPL-2.0-or-later
/* container-cache.c: container attribution cached by cgroup path (hash plus LRU list; unproven entries re-read after a second). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/container-internal.h"

#define HASH_BUCKETS	8192	/* power of two */

/* What is known of one cgroup path whose name claims a container. */
struct cache_entry {
	char *cgroup;			/* the key */
	uint32_t hash;			/* of cgroup */
	struct container c;		/* the claimed container's metadata */
	bool known;			/* a runtime knows c */
	bool cgroup_ok;			/* its records name this cgroup as c's */
	uint64_t mntns;			/* mount namespace of c's init, 0: unknown */
	uint64_t read_for;		/* the exec namespace of the last read */
	uint64_t fetched_usec, used_usec;
	struct cache_entry *hnext;		/* hash chain */
	struct cache_entry *prev, *next;	/* LRU list, most recent first */
};

struct container_cache {
	struct container_paths paths;	/* strings owned */
	struct cache_entry *buckets[HASH_BUCKETS];
	struct cache_entry *head, *tail;
	size_t n, max;
	struct container_cache_stats st;
	char claim[CONTAINER_ID_LEN + 1]; /* a claim no entry could hold */
};

/* FNV-1a of a cgroup path. */
static uint32_t path_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void entry_free(struct cache_entry *e)
{
	free(e->cgroup);
	free(e);
}

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

int container_cache_new(struct container_cache **out,
			const struct container_paths *paths)
{
	struct container_paths none = { 0 };
	struct container_cache *c;

	if (!paths)
		paths = &none;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->max = CONTAINER_CACHE_MAX;
	if (!dup_path(&c->paths.podman_storage, paths->podman_storage) ||
	    !dup_path(&c->paths.docker_root, paths->docker_root) ||
	    !dup_path(&c->paths.containerd_state, paths->containerd_state) ||
	    !dup_path(&c->paths.crio_state, paths->crio_state) ||
	    !dup_path(&c->paths.runc_state, paths->runc_state))
		goto fail;
	*out = c;
	return 0;
fail:
	paths_free(&c->paths);
	free(c);
	return -ENOMEM;
}

static void lru_unlink(struct container_cache *c, struct cache_entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct container_cache *c, struct cache_entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

/* Unlink e from the hash and the LRU list, and free it. */
static void cache_evict(struct container_cache *c, struct cache_entry *e)
{
	struct cache_entry **pp = &c->buckets[e->hash & (HASH_BUCKETS - 1)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	entry_free(e);
	c->n--;
	c->st.evictions++;
}

void container_cache_free(struct container_cache *c)
{
	struct cache_entry *e, *next;

	if (!c)
		return;
	for (e = c->head; e; e = next) {
		next = e->next;
		entry_free(e);
	}
	paths_free(&c->paths);
	free(c);
}

void container_cache_set_limit(struct container_cache *c, size_t max)
{
	c->max = max ? max : 1;
	while (c->n > c->max)
		cache_evict(c, c->tail);
}

static struct cache_entry *cache_find(struct container_cache *c,
				      const char *cgroup, uint32_t h)
{
	struct cache_entry *e;

	for (e = c->buckets[h & (HASH_BUCKETS - 1)]; e; e = e->hnext)
		if (e->hash == h && !strcmp(e->cgroup, cgroup))
			return e;
	return NULL;
}

/* A new entry for cgroup, claiming id (evicting the least recently used); NULL on ENOMEM. */
static struct cache_entry *cache_insert(struct container_cache *c,
					const char *cgroup, uint32_t h,
					const char *id)
{
	struct cache_entry *e;

	if (c->n >= c->max)
		cache_evict(c, c->tail);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->cgroup = strdup(cgroup);
	if (!e->cgroup) {
		free(e);
		return NULL;
	}
	e->hash = h;
	container_reset(&e->c, id);
	e->hnext = c->buckets[h & (HASH_BUCKETS - 1)];
	c->buckets[h & (HASH_BUCKETS - 1)] = e;
	lru_push_front(c, e);
	c->n++;
	return e;
}

/*
 * Read the claimed container's metadata and its runtime's records of where
 * it runs. A container no runtime knows (any longer) keeps what its entry
 * had: a cgroup or namespace once proven stays its container's.
 */
static void cache_fetch(struct container_cache *c, struct cache_entry *e,
			const struct cgroup_match *m, uint64_t exec_mntns,
			uint64_t now_usec)
{
	struct container_proof pf = { .cgroup = e->cgroup };
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

/* The entry of cgroup (claiming id), read or refreshed as needed; NULL on ENOMEM. */
static struct cache_entry *cache_get(struct container_cache *c, const char *cgroup,
				     const char *id, const struct cgroup_match *m,
				     uint64_t mntns, uint64_t now_usec)
{
	uint32_t h = path_hash(cgroup);
	struct cache_entry *e = cache_find(c, cgroup, h);

	if (!e) {
		e = cache_insert(c, cgroup, h, id);
		if (e)
			cache_fetch(c, e, m, mntns, now_usec);
	} else if (cache_stale(e, mntns, now_usec)) {
		cache_fetch(c, e, m, mntns, now_usec);
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
		lru_unlink(c, e);
		lru_push_front(c, e);
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
	while (c && c->tail && now_usec >= c->tail->used_usec &&
	       now_usec - c->tail->used_usec > CONTAINER_EXPIRE_USEC)
		cache_evict(c, c->tail);
}

void container_cache_stats(const struct container_cache *c,
			   struct container_cache_stats *out)
{
	*out = c->st;
	out->entries = c->n;
}
