// SPDX-License-Identifier: GPL-2.0-or-later
/* hash-cache.c: the bounded cache of SHA-256 digests by file version: a hash table over a fixed array, least recently used out first, pending entries never. */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "enrich/hash-cache.h"

/* Indices are stored plus one: 0 is "none". */
#define NONE 0

struct hash_cache {
	struct hash_entry *e;
	uint32_t *bucket;
	uint32_t nbuckets;	/* a power of two */
	uint32_t cap, used;	/* entries, entries ever taken */
	uint32_t count;		/* entries held */
	uint32_t head, tail;	/* most and least recently used */
	uint32_t free;		/* removed entries, chained */
};

struct hash_cache *hash_cache_new(size_t max)
{
	struct hash_cache *c = calloc(1, sizeof(*c));

	if (max < HASH_CACHE_MIN)
		max = HASH_CACHE_MIN;
	if (max > HASH_CACHE_MAX)
		max = HASH_CACHE_MAX;
	if (!c)
		return NULL;
	c->cap = (uint32_t)max;
	c->nbuckets = 1;
	while (c->nbuckets < 2 * c->cap)
		c->nbuckets <<= 1;
	c->e = calloc(c->cap, sizeof(*c->e));
	c->bucket = calloc(c->nbuckets, sizeof(*c->bucket));
	if (!c->e || !c->bucket) {
		hash_cache_free(c);
		return NULL;
	}
	return c;
}

void hash_cache_free(struct hash_cache *c)
{
	if (!c)
		return;
	free(c->e);
	free(c->bucket);
	free(c);
}

static uint32_t bucket_of(const struct hash_cache *c, const struct exec_file_id *k)
{
	return (uint32_t)hash64(k, sizeof(*k)) & (c->nbuckets - 1);
}

static struct hash_entry *at(struct hash_cache *c, uint32_t i)
{
	return i == NONE ? NULL : &c->e[i - 1];
}

static uint32_t idx(const struct hash_cache *c, const struct hash_entry *e)
{
	return (uint32_t)(e - c->e) + 1;
}

static void lru_unlink(struct hash_cache *c, struct hash_entry *e)
{
	if (e->prev)
		at(c, e->prev)->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		at(c, e->next)->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NONE;
}

static void lru_push(struct hash_cache *c, struct hash_entry *e)
{
	uint32_t i = idx(c, e);

	e->prev = NONE;
	e->next = c->head;
	if (c->head)
		at(c, c->head)->prev = i;
	c->head = i;
	if (!c->tail)
		c->tail = i;
}

struct hash_entry *hash_cache_get(struct hash_cache *c, const struct exec_file_id *k)
{
	struct hash_entry *e = at(c, c->bucket[bucket_of(c, k)]);

	while (e && memcmp(&e->key, k, sizeof(*k)))
		e = at(c, e->chain);
	if (e && c->head != idx(c, e)) {
		lru_unlink(c, e);
		lru_push(c, e);
	}
	return e;
}

/* Take e out of its bucket's chain. */
static void unchain(struct hash_cache *c, struct hash_entry *e)
{
	uint32_t *p = &c->bucket[bucket_of(c, &e->key)], i = idx(c, e);

	while (*p && *p != i)
		p = &at(c, *p)->chain;
	if (*p)
		*p = e->chain;
	e->chain = NONE;
}

void hash_cache_remove(struct hash_cache *c, struct hash_entry *e)
{
	if (!e->used)
		return;
	unchain(c, e);
	lru_unlink(c, e);
	e->used = false;
	e->chain = c->free;
	c->free = idx(c, e);
	c->count--;
}

/* A free entry: never used, removed, or the least recently used one
 * that is not pending (evicted); NULL when all are pending. */
static struct hash_entry *take(struct hash_cache *c)
{
	struct hash_entry *e;

	if (c->free) {
		e = at(c, c->free);
		c->free = e->chain;
		return e;
	}
	if (c->used < c->cap)
		return &c->e[c->used++];
	for (e = at(c, c->tail); e; e = at(c, e->prev))
		if (e->state != HASH_PENDING) {
			hash_cache_remove(c, e);
			return take(c);
		}
	return NULL;
}

struct hash_entry *hash_cache_add(struct hash_cache *c, const struct exec_file_id *k)
{
	struct hash_entry *e = take(c);
	uint32_t b;

	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->key = *k;
	e->used = true;
	e->state = HASH_PENDING;
	b = bucket_of(c, k);
	e->chain = c->bucket[b];
	c->bucket[b] = idx(c, e);
	lru_push(c, e);
	c->count++;
	return e;
}

size_t hash_cache_count(const struct hash_cache *c)
{
	return c->count;
}

size_t hash_cache_capacity(const struct hash_cache *c)
{
	return c->cap;
}
