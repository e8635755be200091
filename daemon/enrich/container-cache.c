/* container-cache.c: container metadata cached by id (hash plus LRU list, negative entries re-read after a second). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/container-internal.h"

#define HASH_BUCKETS	8192	/* power of two */

struct cache_entry {
	struct container c;
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
};

static uint32_t id_hash(const char *id)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < CONTAINER_ID_LEN; i++)
		h = (h ^ (unsigned char)id[i]) * 16777619u;
	return h & (HASH_BUCKETS - 1);
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
	struct cache_entry **pp = &c->buckets[id_hash(e->c.id)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	free(e);
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
		free(e);
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

static struct cache_entry *cache_find(struct container_cache *c, const char *id)
{
	struct cache_entry *e;

	for (e = c->buckets[id_hash(id)]; e; e = e->hnext)
		if (!memcmp(e->c.id, id, CONTAINER_ID_LEN))
			return e;
	return NULL;
}

/* A new entry for id (evicting the least recently used); NULL on ENOMEM. */
static struct cache_entry *cache_insert(struct container_cache *c, const char *id)
{
	struct cache_entry *e;
	uint32_t h;

	if (c->n >= c->max)
		cache_evict(c, c->tail);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	container_reset(&e->c, id);
	h = id_hash(id);
	e->hnext = c->buckets[h];
	c->buckets[h] = e;
	lru_push_front(c, e);
	c->n++;
	return e;
}

/* Read metadata into e; on a miss keep what it had (runtime from cgroup). */
static void cache_fetch(struct container_cache *c, struct cache_entry *e,
			const struct cgroup_match *m, uint64_t now_usec)
{
	struct container tmp;

	c->st.reads++;
	e->fetched_usec = now_usec;
	if (container_read_fitting(&c->paths, e->c.id, m->runtime,
				   m->certain ? m->runtime : NULL, &tmp) == 0)
		e->c = tmp;
	else if (m->certain)
		SET_IF_EMPTY(e->c.runtime, m->runtime);
}

/* Entries without a name are re-read once they are a second old. */
static bool cache_stale(const struct cache_entry *e, uint64_t now_usec)
{
	if (e->c.name[0])
		return false;
	return now_usec < e->fetched_usec ||
	       now_usec - e->fetched_usec >= CONTAINER_REFRESH_USEC;
}

const struct container *container_lookup(struct container_cache *c,
					 const char *cgroup_path,
					 uint64_t now_usec)
{
	struct cgroup_match m;
	struct cache_entry *e;
	char id[CONTAINER_ID_LEN + 1];

	if (!c || container_cgroup_match(cgroup_path, id, &m) <= 0)
		return NULL;
	c->st.lookups++;
	e = cache_find(c, id);
	if (!e) {
		e = cache_insert(c, id);
		if (!e)
			return NULL;
		cache_fetch(c, e, &m, now_usec);
	} else if (cache_stale(e, now_usec)) {
		cache_fetch(c, e, &m, now_usec);
	} else {
		c->st.hits++;
	}
	lru_unlink(c, e);
	lru_push_front(c, e);
	e->used_usec = now_usec;
	return &e->c;
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
