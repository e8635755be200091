/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hash-cache.h: the bounded cache of SHA-256 digests by file version (device, inode, size, mtime, ctime). */
#ifndef TRACE_EXECD_HASH_CACHE_H
#define TRACE_EXECD_HASH_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

enum hash_state {
	HASH_PENDING,		/* queued or being hashed */
	HASH_READY,		/* hex holds the digest */
	HASH_FAILED,		/* reason says why there is none */
};

struct hash_entry {
	struct exec_file_id key;
	enum hash_state state;
	const char *reason;		/* HASH_FAILED: a static string */
	char hex[EXEC_SHA256_LEN];	/* HASH_READY */
	/* the cache's bookkeeping */
	uint32_t chain, prev, next;
	bool used;
};

struct hash_cache;

/* Smallest and largest number of entries a cache holds. */
#define HASH_CACHE_MIN		128
#define HASH_CACHE_MAX		(1U << 20)

/* A cache of max entries (clamped to HASH_CACHE_MIN..HASH_CACHE_MAX);
 * NULL when out of memory. */
struct hash_cache *hash_cache_new(size_t max);
void hash_cache_free(struct hash_cache *c);
/* The entry of key, now the most recently used; NULL when absent. */
struct hash_entry *hash_cache_get(struct hash_cache *c, const struct exec_file_id *key);
/* A new pending entry for key (absent), in place of the least recently
 * used entry that is not pending when the cache is full; NULL when every
 * entry is pending. */
struct hash_entry *hash_cache_add(struct hash_cache *c, const struct exec_file_id *key);
/* Forget an entry (a file that turned out not to be what ran). */
void hash_cache_remove(struct hash_cache *c, struct hash_entry *e);
/* Entries held, and the most ever. */
size_t hash_cache_count(const struct hash_cache *c);
size_t hash_cache_capacity(const struct hash_cache *c);

#endif
