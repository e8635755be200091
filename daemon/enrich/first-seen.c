// SPDX-License-Identifier: GPL-2.0-or-later
/* first-seen.c: EXEC_FIRST_SEEN: a bounded store of the SHA-256s that ran (on the host, in an image), a ring of checksummed records in a locked file, indexed by core's LRU. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/log.h"
#include "core/lru.h"
#include "core/util.h"
#include "enrich/first-seen.h"

#define MAGIC		"TEFSEEN1"
#define VERSION		1
#define SALT		0x9e3779b97f4a7c15ULL	/* an empty record never checks */
#define KEY_LEN		16

struct header {
	char magic[8];
	uint32_t version;
	uint32_t record_size;
	uint32_t capacity;
	uint32_t pad;
	uint8_t reserved[32];
	uint64_t check;			/* hash64 of the bytes before it */
};

/* One sighting; the record in slot seq % capacity. */
struct record {
	unsigned char key[KEY_LEN];
	uint64_t seq;			/* 1, 2, ...; 0: never written */
	uint64_t check;			/* hash64(key, seq) ^ SALT */
};

_Static_assert(sizeof(struct header) == FIRST_SEEN_HEADER, "header size");
_Static_assert(sizeof(struct record) == FIRST_SEEN_RECORD, "record size");

struct first_seen {
	int fd;				/* the file, or a memfd */
	bool persistent;
	bool said_write;		/* a failed write was logged */
	uint32_t cap;
	uint64_t next;			/* seq of the next record */
	struct lru *set;		/* key -> uint64_t seq of its latest record */
	char image[sizeof(((struct container *)0)->image)];	/* memo: */
	unsigned char image_key[KEY_LEN];			/* its key half */
};

static uint64_t record_check(const struct record *r)
{
	return hash64(r, offsetof(struct record, check)) ^ SALT;
}

static uint64_t header_check(const struct header *h)
{
	return hash64(h, offsetof(struct header, check));
}

static off_t slot_off(const struct first_seen *fs, uint64_t seq)
{
	return FIRST_SEEN_HEADER + (off_t)(seq % fs->cap) * FIRST_SEEN_RECORD;
}

/* ---- keys ---- */

/* The value of a lower-case hex digit, -1 for any other byte. */
static int xdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The first 16 bytes of 64 lower-case hex digits (EXEC_SHA256); false
 * when they are not. */
static bool hex_half(const char *hex, unsigned char out[KEY_LEN])
{
	int hi, lo;
	size_t i;

	for (i = 0; i < 64; i++)
		if (xdigit(hex[i]) < 0)
			return false;
	if (hex[64])
		return false;
	for (i = 0; i < KEY_LEN; i++) {
		hi = xdigit(hex[2 * i]);
		lo = xdigit(hex[2 * i + 1]);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/* The half of SHA-256("trace-execd image\0" IMAGE) an image's keys are
 * xored with: no image's key is a host's, nor another image's. */
static bool image_half(const char *image, unsigned char out[KEY_LEN])
{
	static const char tag[] = "trace-execd image";
	unsigned char md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int len = 0;
	bool ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(ctx, tag, sizeof(tag)) &&
	     EVP_DigestUpdate(ctx, image, strlen(image)) &&
	     EVP_DigestFinal_ex(ctx, md, &len) && len >= KEY_LEN;
	EVP_MD_CTX_free(ctx);
	if (ok)
		memcpy(out, md, KEY_LEN);
	return ok;
}

bool first_seen_key(const char *sha256, const char *image, unsigned char key[KEY_LEN])
{
	unsigned char half[KEY_LEN];
	size_t i;

	if (!hex_half(sha256, key))
		return false;
	if (!image)
		return true;
	if (!image_half(image, half))
		return false;
	for (i = 0; i < KEY_LEN; i++)
		key[i] ^= half[i];
	return true;
}

/* ---- the file ---- */

/* Write rec into its slot; a failure is said once (the sighting stays
 * in memory). */
static void put_record(struct first_seen *fs, struct record *rec)
{
	rec->check = record_check(rec);
	if (pwrite(fs->fd, rec, sizeof(*rec), slot_off(fs, rec->seq)) == (ssize_t)sizeof(*rec))
		return;
	if (!fs->said_write)
		log_warn("first-seen store: writing a record failed: %s (kept in memory)",
			 strerror(errno ? errno : EIO));
	fs->said_write = true;
}

/* Record key as the newest sighting (seq next), putting out the oldest
 * one when the store is full; the seq. */
static uint64_t append(struct first_seen *fs, const unsigned char key[KEY_LEN])
{
	struct record old, rec = { .seq = fs->next++ };
	uint64_t *v;

	/* the slot's record: the oldest sighting, unless renewed since */
	if (pread(fs->fd, &old, sizeof(old), slot_off(fs, rec.seq)) == (ssize_t)sizeof(old) &&
	    old.seq && old.check == record_check(&old) &&
	    (v = lru_get(fs->set, old.key, KEY_LEN)) && *v == old.seq)
		lru_remove(fs->set, v);
	memcpy(rec.key, key, KEY_LEN);
	put_record(fs, &rec);
	return rec.seq;
}

/* True when key had not been seen (it is now). */
static bool sight(struct first_seen *fs, const unsigned char key[KEY_LEN])
{
	uint64_t *v = lru_get(fs->set, key, KEY_LEN), seq;

	if (v) {
		/* renewed before the ring comes round to it (it may be the
		 * slot's own oldest sighting: then it left the set) */
		if (fs->next - *v > fs->cap / 2) {
			seq = append(fs, key);
			v = lru_get(fs->set, key, KEY_LEN);
			if (!v)
				v = lru_put(fs->set, key, KEY_LEN, NULL);
			if (v)
				*v = seq;
		}
		return false;
	}
	/* the ring's slot first: its oldest sighting leaves the set */
	seq = append(fs, key);
	v = lru_put(fs->set, key, KEY_LEN, NULL);
	if (v)
		*v = seq;
	return true;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct record *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Write a fresh header for fs->cap records and size the file. */
static int write_header(struct first_seen *fs)
{
	struct header h = { .version = VERSION, .record_size = FIRST_SEEN_RECORD,
			    .capacity = fs->cap };

	memcpy(h.magic, MAGIC, sizeof(h.magic));
	h.check = header_check(&h);
	if (ftruncate(fs->fd, 0) < 0 ||
	    ftruncate(fs->fd, (off_t)FIRST_SEEN_FILE_SIZE(fs->cap)) < 0 ||
	    pwrite(fs->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -errno;
	return 0;
}

/*
 * Read the records of the file (its header says how many slots), keep
 * each key's newest and of those the fs->cap newest, into recs (sorted
 * by seq, oldest first); their number, or negative errno (-EBADMSG: not
 * a store).
 */
static ssize_t read_records(struct first_seen *fs, struct record **recs)
{
	struct header h;
	struct record *r = NULL;
	size_t n = 0, i;
	struct stat st;
	uint32_t slots;

	*recs = NULL;
	if (fstat(fs->fd, &st) < 0)
		return -errno;
	if (st.st_size == 0)
		return 0;
	if (pread(fs->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    memcmp(h.magic, MAGIC, sizeof(h.magic)) || h.version != VERSION ||
	    h.record_size != FIRST_SEEN_RECORD || h.check != header_check(&h) ||
	    h.capacity < FIRST_SEEN_MIN || h.capacity > FIRST_SEEN_MAX)
		return -EBADMSG;
	slots = h.capacity;
	r = calloc(slots, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < slots; i++) {
		if (pread(fs->fd, &r[n], sizeof(*r), FIRST_SEEN_HEADER + (off_t)i * FIRST_SEEN_RECORD) !=
		    (ssize_t)sizeof(*r))
			break;	/* a short file: the rest is lost */
		if (r[n].seq && r[n].check == record_check(&r[n]))
			n++;
	}
	qsort(r, n, sizeof(*r), rec_cmp);
	*recs = r;
	return (ssize_t)n;
}

/* Load the records into the set; next after the newest. */
static void load(struct first_seen *fs, const struct record *r, size_t n)
{
	uint64_t *v;
	size_t i;

	for (i = 0; i < n; i++) {
		v = lru_get(fs->set, r[i].key, KEY_LEN);
		if (!v)
			v = lru_put(fs->set, r[i].key, KEY_LEN, NULL);
		if (v)
			*v = r[i].seq;
		fs->next = r[i].seq + 1;
	}
}

/*
 * Open (or make) the store in fs->fd: its records loaded, or, when it
 * holds another number of slots (or is new, or damaged), its newest
 * sightings written again for fs->cap slots, numbered anew. 0 or
 * negative errno.
 */
static int open_records(struct first_seen *fs, const char *path)
{
	struct record *r = NULL, *keep = NULL;
	size_t i, k = 0;
	struct stat st;
	ssize_t n;
	int ret;

	n = read_records(fs, &r);
	if (n == -EBADMSG)
		log_warn("'%s' is not a first-seen store (or a damaged one): it starts afresh", path);
	else if (n < 0)
		return (int)n;
	if (n >= 0 && fstat(fs->fd, &st) == 0 &&
	    (uint64_t)st.st_size == FIRST_SEEN_FILE_SIZE(fs->cap)) {
		load(fs, r, (size_t)n);
		free(r);
		return 0;
	}
	/* each key's newest record, the fs->cap newest of them */
	if (n > 0) {
		keep = calloc((size_t)n, sizeof(*keep));
		if (!keep) {
			free(r);
			return -ENOMEM;
		}
	}
	for (i = n > 0 ? (size_t)n : 0; i-- > 0 && k < fs->cap;)
		if (!lru_get(fs->set, r[i].key, KEY_LEN) &&
		    lru_put(fs->set, r[i].key, KEY_LEN, NULL))
			keep[k++] = r[i];
	free(r);
	lru_clear(fs->set);
	ret = write_header(fs);
	fs->next = 1;
	for (i = k; ret == 0 && i-- > 0;) {
		uint64_t *v = lru_put(fs->set, keep[i].key, KEY_LEN, NULL);

		keep[i].seq = fs->next++;
		if (v)
			*v = keep[i].seq;
		put_record(fs, &keep[i]);
	}
	free(keep);
	return ret;
}

/* Open path for the store (its directory made when missing), locked
 * for this process alone; fd or negative errno (-EWOULDBLOCK: another
 * holds it; -EPERM: not ours). */
static int open_file(const char *path)
{
	char dir[PATH_MAX];
	struct stat st;
	int fd;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return -ENAMETOOLONG;
	if (mkdir(dirname(dir), 0700) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		return -EPERM;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int first_seen_open(struct first_seen **out, const char *path, uint32_t entries)
{
	struct first_seen *fs = calloc(1, sizeof(*fs));
	int r = -ENOMEM;

	*out = NULL;
	if (!fs)
		return -ENOMEM;
	fs->fd = -1;
	fs->cap = entries < FIRST_SEEN_MIN ? FIRST_SEEN_MIN :
		  entries > FIRST_SEEN_MAX ? FIRST_SEEN_MAX : entries;
	fs->next = 1;
	fs->set = lru_new(fs->cap, KEY_LEN, sizeof(uint64_t), NULL);
	if (!fs->set)
		goto fail;
	if (path) {
		r = open_file(path);
		if (r >= 0) {
			fs->fd = r;
			fs->persistent = true;
			r = open_records(fs, path);
			if (r < 0) {
				close(fs->fd);
				fs->fd = -1;
				fs->persistent = false;
				lru_clear(fs->set);
				fs->next = 1;
			}
		}
		if (r < 0)
			log_warn("'%s': %s: first sightings are remembered in memory only, until the daemon stops",
				 path, r == -EWOULDBLOCK ? "another process uses it" :
				 r == -EPERM ? "not a file of ours" : strerror(-r));
	}
	if (fs->fd < 0) {
		fs->fd = memfd_create("trace-execd-first-seen", MFD_CLOEXEC);
		r = fs->fd < 0 ? -errno : write_header(fs);
		if (r < 0)
			goto fail;
	}
	*out = fs;
	return 0;
fail:
	log_error("starting the first-seen store failed: %s", strerror(-r));
	first_seen_free(fs);
	return r;
}

void first_seen_free(struct first_seen *fs)
{
	if (!fs)
		return;
	if (fs->fd >= 0)
		close(fs->fd);
	lru_free(fs->set);
	free(fs);
}

bool first_seen_persistent(const struct first_seen *fs)
{
	return fs->persistent;
}

size_t first_seen_count(const struct first_seen *fs)
{
	return lru_count(fs->set);
}

size_t first_seen_capacity(const struct first_seen *fs)
{
	return fs->cap;
}

void first_seen_event(struct first_seen *fs, struct exec_event *ev)
{
	unsigned char key[KEY_LEN];
	const char *image = NULL;
	bool host, img = false;
	size_t i;

	ev->first_seen = NULL;
	if (!fs || ev->failed || !hex_half(ev->sha256, key))
		return;
	if (ev->container)
		image = ev->container->image_id[0] ? ev->container->image_id :
			ev->container->image[0] ? ev->container->image : NULL;
	host = sight(fs, key);
	if (image) {
		if (strcmp(image, fs->image) &&
		    (strlen(image) >= sizeof(fs->image) || !image_half(image, fs->image_key)))
			image = NULL;
		else
			snprintf(fs->image, sizeof(fs->image), "%s", image);
	}
	if (image) {
		for (i = 0; i < KEY_LEN; i++)
			key[i] ^= fs->image_key[i];
		img = sight(fs, key);
	}
	ev->first_seen = host ? "host" : img ? "image" : NULL;
}
