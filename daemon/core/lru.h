/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lru.h: the bounded cache every cache of the daemon is: a fixed number of entries found by their key's bytes through a hash index, the least recently used put out first. */
#ifndef TRACE_EXECD_LRU_H
#define TRACE_EXECD_LRU_H

#include <stdbool.h>
#include <stddef.h>

/* The most entries a cache holds (its index counts them in 32 bits). */
#define LRU_MAX		(1U << 24)

/* What the owner of a cache is told, and asked, of its entries. */
struct lru_ops {
	/* An entry leaves the cache (evicted, removed, cleared or the cache
	 * freed): release what its value owns. NULL: it owns nothing. */
	void (*drop)(void *value, void *ctx);
	/* Whether an entry may not be evicted now (its value is still being
	 * filled). NULL: any may. */
	bool (*busy)(const void *value, void *ctx);
	void *ctx;
};

struct lru;

/*
 * A cache of at most capacity entries (1 to LRU_MAX), each a value of
 * value_size bytes under a key of key_size bytes, or of any length when
 * key_size is 0 (then copied, with a NUL after it). The index is
 * allocated at once, the values a few dozen at a time as the cache fills;
 * a value stays where it is, and valid, until its entry leaves. ops
 * (copied) may be NULL. NULL when out of memory or capacity is out of
 * range.
 */
struct lru *lru_new(size_t capacity, size_t key_size, size_t value_size,
		    const struct lru_ops *ops);
/* Drop every entry and free the cache (NULL: nothing). */
void lru_free(struct lru *l);

/* The value of key (len bytes), now the most recently used; NULL when absent. */
void *lru_get(struct lru *l, const void *key, size_t len);
/*
 * A new entry for key (len bytes), the most recently used, its value
 * zeroed. When the cache holds its limit, the least recently used entry
 * that is not busy is evicted first (and dropped). Returns the value, or
 * NULL with *err (when err is not NULL): -EEXIST (key is there already),
 * -EBUSY (full, every entry busy), -EINVAL (len is not the key size) or
 * -ENOMEM.
 */
void *lru_put(struct lru *l, const void *key, size_t len, int *err);
/* Take the entry of value out (and drop it). */
void lru_remove(struct lru *l, void *value);
/* Take every entry out (and drop each). */
void lru_clear(struct lru *l);

/* Hold at most max entries from now on (1 to the capacity; clamped),
 * evicting the least recently used ones that are not busy. */
void lru_set_limit(struct lru *l, size_t max);
/* The least recently used entry's value; NULL when empty. */
void *lru_oldest(const struct lru *l);
/* The key of the entry of value, its length in *len (may be NULL). */
const void *lru_key(const struct lru *l, const void *value, size_t *len);
/* Entries held, and the most it holds now (the limit). */
size_t lru_count(const struct lru *l);
size_t lru_limit(const struct lru *l);

#endif
