// SPDX-License-Identifier: GPL-2.0-or-later
/* test-lru.c: unit tests of core's cache kit: the LRU (order of eviction, bounds, collisions, busy entries, a randomized run against a plain model) and the growable array. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/array.h"
#include "core/lru.h"

struct val {
	uint32_t id;		/* the key it was put under */
	bool busy;
	char *owned;		/* freed when dropped */
};

/* What the caches' owners are told. */
static unsigned int drops;
static uint32_t last_dropped;

static void on_drop(void *value, void *ctx)
{
	struct val *v = value;

	(void)ctx;
	drops++;
	last_dropped = v->id;
	free(v->owned);
	v->owned = NULL;
}

static bool on_busy(const void *value, void *ctx)
{
	(void)ctx;
	return ((const struct val *)value)->busy;
}

static const struct lru_ops ops = { .drop = on_drop, .busy = on_busy };

/* Put id (a fixed 4-byte key); its value. */
static struct val *put(struct lru *l, uint32_t id)
{
	int err = 0;
	struct val *v = lru_put(l, &id, sizeof(id), &err);

	CHECK_INT(err, 0);
	CHECK(v != NULL);
	CHECK_INT(v->id, 0);		/* zeroed */
	v->id = id;
	v->owned = strdup("x");
	return v;
}

static struct val *get(struct lru *l, uint32_t id)
{
	return lru_get(l, &id, sizeof(id));
}

/* The least recently used goes first; a get makes an entry the most recent. */
static void test_order(void)
{
	struct lru *l = lru_new(3, sizeof(uint32_t), sizeof(struct val), &ops);
	struct val *v;
	int err;

	CHECK(l != NULL);
	drops = 0;
	put(l, 1);
	put(l, 2);
	put(l, 3);
	CHECK_INT(lru_count(l), 3);
	CHECK_INT(((struct val *)lru_oldest(l))->id, 1);
	CHECK(get(l, 1) != NULL);		/* 2 is now the oldest */
	CHECK_INT(((struct val *)lru_oldest(l))->id, 2);
	put(l, 4);				/* evicts 2 */
	CHECK_INT(drops, 1);
	CHECK_INT(last_dropped, 2);
	CHECK(get(l, 2) == NULL);
	CHECK(get(l, 3) && get(l, 1) && get(l, 4));
	CHECK_INT(lru_count(l), 3);
	/* a key that is there is not put again */
	v = lru_put(l, &(uint32_t){ 4 }, sizeof(uint32_t), &err);
	CHECK(v == NULL);
	CHECK_INT(err, -EEXIST);
	/* a fixed-size key of another length is refused */
	v = lru_put(l, "ab", 2, &err);
	CHECK(v == NULL);
	CHECK_INT(err, -EINVAL);
	CHECK(lru_get(l, "ab", 2) == NULL);
	/* removal drops, and frees room without an eviction */
	lru_remove(l, get(l, 1));
	CHECK_INT(drops, 2);
	CHECK_INT(last_dropped, 1);
	CHECK_INT(lru_count(l), 2);
	put(l, 5);
	CHECK_INT(drops, 2);
	CHECK(get(l, 3) && get(l, 4) && get(l, 5));
	lru_clear(l);
	CHECK_INT(drops, 5);
	CHECK_INT(lru_count(l), 0);
	CHECK(lru_oldest(l) == NULL);
	put(l, 6);
	lru_free(l);
	CHECK_INT(drops, 6);
	lru_free(NULL);
}

/* The capacity is fixed; the limit moves within it and evicts down to itself. */
static void test_bounds(void)
{
	struct lru *l;
	uint32_t i;

	CHECK(lru_new(0, 4, 8, NULL) == NULL);
	CHECK(lru_new(LRU_MAX + 1, 4, 8, NULL) == NULL);
	CHECK(lru_new(1, 4, 0, NULL) == NULL);
	l = lru_new(100, sizeof(uint32_t), sizeof(struct val), &ops);
	CHECK(l != NULL);
	drops = 0;
	for (i = 0; i < 1000; i++) {
		put(l, i);
		CHECK(lru_count(l) <= 100);
	}
	CHECK_INT(lru_count(l), 100);
	CHECK_INT(drops, 900);
	for (i = 900; i < 1000; i++)
		CHECK(get(l, i) != NULL);
	CHECK(get(l, 899) == NULL);
	lru_set_limit(l, 10);			/* keeps the ten most recent */
	CHECK_INT(lru_limit(l), 10);
	CHECK_INT(lru_count(l), 10);
	for (i = 990; i < 1000; i++)
		CHECK(get(l, i) != NULL);
	CHECK(get(l, 989) == NULL);
	lru_set_limit(l, 0);
	CHECK_INT(lru_limit(l), 1);
	CHECK_INT(lru_count(l), 1);
	CHECK(get(l, 999) != NULL);
	lru_set_limit(l, SIZE_MAX);
	CHECK_INT(lru_limit(l), 100);
	for (i = 0; i < 200; i++)
		put(l, 5000 + i);
	CHECK_INT(lru_count(l), 100);
	lru_free(l);
}

/* Entries whose owner says they are busy are never evicted. */
static void test_busy(void)
{
	struct lru *l = lru_new(4, sizeof(uint32_t), sizeof(struct val), &ops);
	struct val *v;
	int err;

	put(l, 1)->busy = true;
	put(l, 2);
	put(l, 3)->busy = true;
	put(l, 4);
	drops = 0;
	put(l, 5);				/* 1 is busy: 2 goes */
	CHECK_INT(last_dropped, 2);
	put(l, 6);				/* then 4 */
	CHECK_INT(last_dropped, 4);
	get(l, 5)->busy = true;
	get(l, 6)->busy = true;
	v = lru_put(l, &(uint32_t){ 7 }, sizeof(uint32_t), &err);
	CHECK(v == NULL);
	CHECK_INT(err, -EBUSY);
	CHECK_INT(lru_count(l), 4);
	CHECK_INT(drops, 2);
	lru_set_limit(l, 1);			/* cannot: all are busy */
	CHECK_INT(lru_count(l), 4);
	get(l, 1)->busy = false;
	put(l, 7);
	CHECK_INT(last_dropped, 1);
	lru_free(l);
}

/* Keys of any length: copied, NUL after them, told apart by length and
 * bytes; many keys in few buckets all found. */
static void test_var_keys(void)
{
	struct lru *l = lru_new(64, 0, sizeof(struct val), &ops);
	char key[64];
	const char *k;
	struct val *v;
	size_t len;
	int i;

	CHECK(l != NULL);
	v = lru_put(l, "/a/b", 4, NULL);
	CHECK(v != NULL);
	v->id = 1;
	v = lru_put(l, "/a/b\0x", 6, NULL);	/* longer, with a NUL */
	CHECK(v != NULL);
	v->id = 2;
	v = lru_put(l, "/a/", 3, NULL);		/* a prefix */
	CHECK(v != NULL);
	v->id = 3;
	v = lru_put(l, "", 0, NULL);		/* empty */
	CHECK(v != NULL);
	v->id = 4;
	CHECK_INT(((struct val *)lru_get(l, "/a/b", 4))->id, 1);
	CHECK_INT(((struct val *)lru_get(l, "/a/b\0x", 6))->id, 2);
	CHECK_INT(((struct val *)lru_get(l, "/a/", 3))->id, 3);
	CHECK_INT(((struct val *)lru_get(l, "", 0))->id, 4);
	CHECK(lru_get(l, "/a/b\0", 5) == NULL);
	k = lru_key(l, lru_get(l, "/a/b", 4), &len);
	CHECK_INT(len, 4);
	CHECK_STR(k, "/a/b");
	CHECK(lru_put(l, "/a/b", 4, NULL) == NULL);
	lru_clear(l);
	/* 64 entries in 128 buckets: chains, all found, in order out */
	for (i = 0; i < 64; i++) {
		snprintf(key, sizeof(key), "/sys/fs/cgroup/%d", i);
		v = lru_put(l, key, strlen(key), NULL);
		CHECK(v != NULL);
		v->id = (uint32_t)i;
	}
	for (i = 0; i < 64; i++) {
		snprintf(key, sizeof(key), "/sys/fs/cgroup/%d", i);
		v = lru_get(l, key, strlen(key));
		CHECK(v != NULL);
		CHECK_INT(v->id, i);
	}
	CHECK_INT(((struct val *)lru_oldest(l))->id, 0);
	lru_free(l);
}

/*
 * A plain model: an array of keys, most recent last. A long random run of
 * gets, puts, removals, busy marks and limit changes with few keys (many
 * hits, evictions and collisions) must agree with it at every step.
 */
#define MODEL_CAP	80	/* more than one chunk of values */
#define MODEL_KEYS	160

struct model {
	uint32_t key[MODEL_CAP];
	bool busy[MODEL_CAP];
	size_t n, limit;
};

static int model_find(const struct model *m, uint32_t k)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->key[i] == k)
			return (int)i;
	return -1;
}

static void model_del(struct model *m, size_t i)
{
	memmove(&m->key[i], &m->key[i + 1], (m->n - i - 1) * sizeof(m->key[0]));
	memmove(&m->busy[i], &m->busy[i + 1], (m->n - i - 1) * sizeof(m->busy[0]));
	m->n--;
}

static void model_touch(struct model *m, size_t i)
{
	uint32_t k = m->key[i];
	bool b = m->busy[i];

	model_del(m, i);
	m->key[m->n] = k;
	m->busy[m->n++] = b;
}

/* Evict the oldest entry that is not busy; false when all are. */
static bool model_evict(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!m->busy[i]) {
			model_del(m, i);
			return true;
		}
	return false;
}

static void check_same(struct lru *l, const struct model *m)
{
	const struct val *v = lru_oldest(l);
	size_t i;

	CHECK_INT(lru_count(l), m->n);
	CHECK_INT(lru_limit(l), m->limit);
	if (m->n)
		CHECK_INT(v->id, m->key[0]);
	else
		CHECK(v == NULL);
	for (i = 0; i < m->n; i++) {
		size_t len;
		const uint32_t *k;

		/* read without touching: the key of each value */
		k = lru_key(l, lru_get(l, &m->key[i], sizeof(uint32_t)), &len);
		CHECK_INT(len, sizeof(uint32_t));
		CHECK_INT(*k, m->key[i]);
	}
}

static void test_model(void)
{
	struct lru *l = lru_new(MODEL_CAP, sizeof(uint32_t), sizeof(struct val), &ops);
	struct model m = { .limit = MODEL_CAP };
	unsigned int step, seed = 23, exist = 0, full = 0;
	struct val *v;
	uint32_t k;
	int i, err;

	CHECK(l != NULL);
	drops = 0;
	srand(seed);
	for (step = 0; step < 200000; step++) {
		k = (uint32_t)(rand() % MODEL_KEYS);
		i = model_find(&m, k);
		switch (rand() % 8) {
		case 0: case 1: case 2:		/* get */
			v = get(l, k);
			CHECK((v != NULL) == (i >= 0));
			if (v) {
				CHECK_INT(v->id, k);
				model_touch(&m, (size_t)i);
			}
			break;
		case 3: case 4:			/* put */
			v = lru_put(l, &k, sizeof(k), &err);
			if (i >= 0) {
				CHECK_INT(err, -EEXIST);
				exist++;
				break;
			}
			if (m.n >= m.limit && !model_evict(&m)) {
				CHECK_INT(err, -EBUSY);
				full++;
				break;
			}
			CHECK_INT(err, 0);
			v->id = k;
			m.key[m.n] = k;
			m.busy[m.n++] = false;
			break;
		case 5:				/* remove */
			if (i < 0)
				break;
			lru_remove(l, get(l, k));
			model_del(&m, (size_t)i);
			break;
		case 6:				/* busy or not */
			if (i < 0)
				break;
			v = get(l, k);
			model_touch(&m, (size_t)i);
			v->busy = m.busy[m.n - 1] = rand() % 4 == 0;
			break;
		default:			/* the limit, now and then */
			if (rand() % 50)
				break;
			m.limit = 1 + (size_t)(rand() % MODEL_CAP);
			lru_set_limit(l, m.limit);
			while (m.n > m.limit && model_evict(&m))
				;
			break;
		}
		if (step % 97 == 0)	/* its gets keep the model's order */
			check_same(l, &m);
	}
	/* the run met every case: evictions, keys there, all busy */
	CHECK(drops > 1000 && exist > 1000 && full > 100);
	lru_free(l);
}

/* The array doubles from 64 bytes, keeps what it holds, and refuses sizes
 * beyond SIZE_MAX without touching the array. */
static void test_array(void)
{
	uint64_t *v = NULL;
	char *s = NULL;
	size_t cap = 0, scap = 0, i;

	CHECK_INT(array_reserve(&v, &cap, 0, sizeof(*v)), 0);
	CHECK(v == NULL);
	CHECK_INT(array_reserve(&v, &cap, 1, sizeof(*v)), 0);
	CHECK_INT(cap, 8);
	for (i = 0; i < 1000; i++) {
		CHECK_INT(array_reserve(&v, &cap, i + 1, sizeof(*v)), 0);
		CHECK(cap >= i + 1);
		v[i] = i * 3;
	}
	CHECK_INT(cap, 1024);
	for (i = 0; i < 1000; i++)
		CHECK_INT(v[i], i * 3);
	CHECK_INT(array_reserve(&v, &cap, 1000, sizeof(*v)), 0);
	CHECK_INT(cap, 1024);
	CHECK_INT(array_reserve(&v, &cap, SIZE_MAX / 4, sizeof(*v)), -ENOMEM);
	CHECK_INT(cap, 1024);
	CHECK_INT(v[999], 999 * 3);
	CHECK_INT(array_reserve(&s, &scap, 65, 1), 0);
	CHECK_INT(scap, 128);
	free(v);
	free(s);
}

int main(void)
{
	test_order();
	test_bounds();
	test_busy();
	test_var_keys();
	test_model();
	test_array();
	CHECK_DONE();
}
