// SPDX-License-Identifier: GPL-2.0-or-later
/* lru.c: the bounded cache every cache of the daemon is: a fixed number of entries found by their key's bytes through a hash index, the least recently used put out first. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/lru.h"
#include "core/util.h"

/* Entries are numbered from 1 in the links: 0 is "none". */
#define NONE	0
/* Values are allocated this many at a time, as the cache fills. */
#define CHUNK	64
/* Before each value, its entry's number, padded to any value's alignment. */
#define HEAD	_Alignof(max_align_t)

/* The cache's bookkeeping of one entry. */
struct lru_node {
	uint32_t hash;		/* of the key (the low bits pick the bucket) */
	uint32_t len;		/* of the key */
	uint32_t chain;		/* next in the bucket; on the free list, next free */
	uint32_t prev, next;	/* more and less recently used */
	bool used;
	void *key;		/* a key of any length: its copy */
};

struct lru {
	struct lru_node *node;
	unsigned char *keys;	/* fixed-size keys, key_size each */
	unsigned char **chunk;	/* of CHUNK values, each after its number */
	uint32_t *bucket;	/* first entry of each chain */
	size_t key_size, value_size;
	size_t slot;		/* HEAD and a value, rounded up to HEAD */
	uint32_t nbuckets;	/* a power of two */
	uint32_t cap, limit;	/* entries allocated; the most held */
	uint32_t count;		/* entries held */
	uint32_t taken;		/* entries ever used (the rest never touched) */
	uint32_t free;		/* entries taken out, chained */
	uint32_t head, tail;	/* most and least recently used */
	struct lru_ops ops;
};

struct lru *lru_new(size_t capacity, size_t key_size, size_t value_size,
		    const struct lru_ops *ops)
{
	struct lru *l;

	if (!capacity || capacity > LRU_MAX || !value_size || key_size > UINT32_MAX)
		return NULL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->key_size = key_size;
	l->value_size = value_size;
	l->slot = HEAD + (value_size + HEAD - 1) / HEAD * HEAD;
	l->cap = l->limit = (uint32_t)capacity;
	if (ops)
		l->ops = *ops;
	l->nbuckets = 1;
	while (l->nbuckets < 2 * l->cap)
		l->nbuckets <<= 1;
	l->node = calloc(l->cap, sizeof(*l->node));
	l->chunk = calloc((l->cap + CHUNK - 1) / CHUNK, sizeof(*l->chunk));
	l->bucket = calloc(l->nbuckets, sizeof(*l->bucket));
	if (key_size)
		l->keys = calloc(l->cap, key_size);
	if (!l->node || !l->chunk || !l->bucket || (key_size && !l->keys)) {
		lru_free(l);
		return NULL;
	}
	return l;
}

static struct lru_node *at(const struct lru *l, uint32_t i)
{
	return i == NONE ? NULL : &l->node[i - 1];
}

static uint32_t idx_of_value(const void *value)
{
	uint32_t i;

	memcpy(&i, (const unsigned char *)value - HEAD, sizeof(i));
	return i;
}

static void *value_of(const struct lru *l, uint32_t i)
{
	return l->chunk[(i - 1) / CHUNK] + (size_t)((i - 1) % CHUNK) * l->slot + HEAD;
}

/* Values for the entries from i on (a chunk's first), each after its
 * number; false when out of memory. */
static bool chunk_new(struct lru *l, uint32_t i)
{
	uint32_t k, n = l->cap - i + 1 < CHUNK ? l->cap - i + 1 : CHUNK;
	unsigned char *c = calloc(n, l->slot);

	if (!c)
		return false;
	for (k = 0; k < n; k++) {
		uint32_t idx = i + k;

		memcpy(c + (size_t)k * l->slot, &idx, sizeof(idx));
	}
	l->chunk[(i - 1) / CHUNK] = c;
	return true;
}

static const void *key_of(const struct lru *l, uint32_t i)
{
	const struct lru_node *n = at(l, i);

	return l->key_size ? l->keys + (size_t)(i - 1) * l->key_size : n->key;
}

/* hash64() of a key, its high half folded in: FNV-1a's low bits depend
 * only on the low bits of the bytes, and the low bits pick the bucket. */
static uint32_t key_hash(const void *key, size_t len)
{
	uint64_t h = hash64(key, len);

	return (uint32_t)(h ^ (h >> 32));
}

static uint32_t *bucket_of(const struct lru *l, uint32_t hash)
{
	return &l->bucket[hash & (l->nbuckets - 1)];
}

/* The entry of key (hash h), 0 when absent. */
static uint32_t find(const struct lru *l, const void *key, size_t len, uint32_t h)
{
	const struct lru_node *n;
	uint32_t i;

	for (i = *bucket_of(l, h); i != NONE; i = n->chain) {
		n = at(l, i);
		if (n->hash == h && n->len == len && !memcmp(key_of(l, i), key, len))
			return i;
	}
	return NONE;
}

static void list_unlink(struct lru *l, uint32_t i)
{
	struct lru_node *n = at(l, i);

	if (n->prev)
		at(l, n->prev)->next = n->next;
	else
		l->head = n->next;
	if (n->next)
		at(l, n->next)->prev = n->prev;
	else
		l->tail = n->prev;
	n->prev = n->next = NONE;
}

static void list_push(struct lru *l, uint32_t i)
{
	struct lru_node *n = at(l, i);

	n->prev = NONE;
	n->next = l->head;
	if (l->head)
		at(l, l->head)->prev = i;
	l->head = i;
	if (!l->tail)
		l->tail = i;
}

void *lru_get(struct lru *l, const void *key, size_t len)
{
	uint32_t i = find(l, key, len, key_hash(key, len));

	if (i == NONE)
		return NULL;
	if (l->head != i) {
		list_unlink(l, i);
		list_push(l, i);
	}
	return value_of(l, i);
}

/* Take entry i out of its chain and the order, drop it, free it. */
static void take_out(struct lru *l, uint32_t i)
{
	struct lru_node *n = at(l, i);
	uint32_t *p = bucket_of(l, n->hash);

	while (*p != i)
		p = &at(l, *p)->chain;
	*p = n->chain;
	list_unlink(l, i);
	if (l->ops.drop)
		l->ops.drop(value_of(l, i), l->ops.ctx);
	free(n->key);
	n->key = NULL;
	n->used = false;
	n->chain = l->free;
	l->free = i;
	l->count--;
}

/* Evict the least recently used entry that is not busy; false when none is. */
static bool evict(struct lru *l)
{
	uint32_t i;

	for (i = l->tail; i != NONE; i = at(l, i)->prev)
		if (!l->ops.busy || !l->ops.busy(value_of(l, i), l->ops.ctx)) {
			take_out(l, i);
			return true;
		}
	return false;
}

/* A free entry into *i: one taken out, the room of an evicted one, or
 * one never used. 0, -EBUSY when all are busy, or -ENOMEM. */
static int take(struct lru *l, uint32_t *i)
{
	if (l->count >= l->limit && !evict(l))
		return -EBUSY;
	if (l->free) {
		*i = l->free;
		l->free = at(l, *i)->chain;
		return 0;
	}
	if (l->taken % CHUNK == 0 && !chunk_new(l, l->taken + 1))
		return -ENOMEM;
	*i = ++l->taken;
	return 0;
}

/* lru_put() but for its errors: 0 and the value in *value, or -errno. */
static int put(struct lru *l, const void *key, size_t len, void **value)
{
	uint32_t h, i, *b;
	struct lru_node *n;
	void *copy = NULL;
	int r;

	if (l->key_size ? len != l->key_size : len >= UINT32_MAX)
		return -EINVAL;
	h = key_hash(key, len);
	if (find(l, key, len, h) != NONE)
		return -EEXIST;
	if (!l->key_size) {
		copy = malloc(len + 1);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, key, len);
		((char *)copy)[len] = '\0';
	}
	r = take(l, &i);
	if (r < 0) {
		free(copy);
		return r;
	}
	n = at(l, i);
	*n = (struct lru_node){ .hash = h, .len = (uint32_t)len, .used = true, .key = copy };
	if (l->key_size)
		memcpy(l->keys + (size_t)(i - 1) * l->key_size, key, len);
	b = bucket_of(l, h);
	n->chain = *b;
	*b = i;
	list_push(l, i);
	l->count++;
	*value = memset(value_of(l, i), 0, l->value_size);
	return 0;
}

void *lru_put(struct lru *l, const void *key, size_t len, int *err)
{
	void *value = NULL;
	int r = put(l, key, len, &value);

	if (err)
		*err = r;
	return value;
}

void lru_remove(struct lru *l, void *value)
{
	uint32_t i = idx_of_value(value);

	if (at(l, i)->used)
		take_out(l, i);
}

void lru_clear(struct lru *l)
{
	while (l->head)
		take_out(l, l->head);
}

void lru_free(struct lru *l)
{
	uint32_t i;

	if (!l)
		return;
	if (l->node)
		lru_clear(l);
	for (i = 0; l->chunk && i < (l->taken + CHUNK - 1) / CHUNK; i++)
		free(l->chunk[i]);
	free(l->chunk);
	free(l->node);
	free(l->keys);
	free(l->bucket);
	free(l);
}

void lru_set_limit(struct lru *l, size_t max)
{
	l->limit = max < 1 ? 1 : max > l->cap ? l->cap : (uint32_t)max;
	while (l->count > l->limit && evict(l))
		;
}

void *lru_oldest(const struct lru *l)
{
	return l->tail ? value_of(l, l->tail) : NULL;
}

const void *lru_key(const struct lru *l, const void *value, size_t *len)
{
	uint32_t i = idx_of_value(value);

	if (len)
		*len = at(l, i)->len;
	return key_of(l, i);
}

size_t lru_count(const struct lru *l)
{
	return l->count;
}

size_t lru_limit(const struct lru *l)
{
	return l->limit;
}
