// SPDX-License-Identifier: GPL-2.0-or-later
/* hash.c: SHA-256 of the file an exec ran: found through the process while it lives, else its path; verified against the kernel's identity; hashed by a worker thread with libcrypto; waited for a bounded time. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/fsroot.h"
#include "core/log.h"
#include "core/lru.h"
#include "core/mntns.h"
#include "core/util.h"
#include "enrich/hash.h"

#define READ_CHUNK	(256U << 10)
#define OVERLAYFS_MAGIC	0x794c7630U

enum hash_state {
	HASH_PENDING,		/* queued or being hashed: never evicted */
	HASH_READY,		/* hex holds the digest */
	HASH_FAILED,		/* reason says why there is none */
};

/* What the cache (core's LRU, by the bytes of the file version) knows of
 * one file version. */
struct hash_entry {
	struct exec_file_id key;
	enum hash_state state;
	const char *reason;		/* HASH_FAILED: a static string */
	char hex[EXEC_SHA256_LEN];	/* HASH_READY */
};

struct job {
	int fd;
	struct hash_entry *e;
	struct exec_file_id opened;	/* fd's version when it was verified */
};

struct hasher {
	pthread_mutex_t mu;
	pthread_cond_t work;		/* a job was queued, or stop */
	pthread_cond_t done;		/* an entry left HASH_PENDING */
	pthread_t thread;
	bool started, stop;
	struct lru *cache;		/* of struct hash_entry */
	struct job q[HASH_QUEUE];
	unsigned int qhead, qlen;
	struct hash_opts o;
	struct hash_stats n;
	uint64_t window;		/* start of this second of waiting */
	uint64_t waited;		/* usec waited in it */
	uint64_t own_mntns;		/* our mount namespace, or 0 */
	uint64_t init_mntns;		/* PID 1's, or 0 */
	bool said_init_root;		/* logged why /proc/1/root failed */
	unsigned char *buf;		/* the worker's read buffer */
	const char *hold;		/* tests: the worker waits while this file exists */
};

/* The identity of an open file in the kernel's terms. */
static void file_id_of(const struct stat *st, struct exec_file_id *id)
{
	*id = (struct exec_file_id){
		.dev = st->st_dev, .ino = st->st_ino, .size = (uint64_t)st->st_size,
		.mtime_sec = st->st_mtim.tv_sec, .mtime_nsec = (uint32_t)st->st_mtim.tv_nsec,
		.ctime_sec = st->st_ctim.tv_sec, .ctime_nsec = (uint32_t)st->st_ctim.tv_nsec,
	};
}

/*
 * True when fd is the file version id names: device, inode, size, mtime,
 * and with strict its ctime too. Not strict for the file a living process
 * runs (/proc/PID/exe, the very file, which the kernel keeps from being
 * written while it runs; unlinking it or a chmod moves its ctime).
 */
static bool same_file(int fd, const struct exec_file_id *id, bool strict,
		      bool overlay)
{
	struct exec_file_id got;
	struct statfs sf;
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	file_id_of(&st, &got);
	if (!strict) {
		got.ctime_sec = id->ctime_sec;
		got.ctime_nsec = id->ctime_nsec;
	}
	/* An overlayfs reports a lower layer's file with a device number of
	 * its own (a pseudo device when the layers are on different file
	 * systems), not its superblock's: on an overlay, the rest must
	 * match. */
	if (overlay) {
		if (fstatfs(fd, &sf) < 0 || (uint32_t)sf.f_type != OVERLAYFS_MAGIC)
			return false;
		got.dev = id->dev;
	}
	return !memcmp(&got, id, sizeof(got));
}

/* Digest all of fd into hex; NULL, or the reason there is none. */
static const char *digest_fd(struct hasher *h, int fd, uint64_t max,
			     char hex[EXEC_SHA256_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const char *why = HASH_R_UNREADABLE;
	uint64_t total = 0;
	unsigned int len = 0, i;
	ssize_t n;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	while ((n = pread(fd, h->buf, READ_CHUNK, (off_t)total)) > 0) {
		/* stopping: a large file is not finished first */
		if (__atomic_load_n(&h->stop, __ATOMIC_RELAXED))
			goto out;
		total += (uint64_t)n;
		if (total > max) {
			why = HASH_R_TOO_LARGE;
			goto out;
		}
		if (!EVP_DigestUpdate(ctx, h->buf, (size_t)n))
			goto out;
	}
	if (n < 0 || !EVP_DigestFinal_ex(ctx, md, &len) || len != 32)
		goto out;
	for (i = 0; i < len; i++)
		fmt_hex(hex + 2 * i, md[i], 2, false);
	hex[2 * len] = '\0';
	why = NULL;
out:
	EVP_MD_CTX_free(ctx);
	return why;
}

/* TRACE_EXECD_TEST_HOLD_HASH (tests, trace-execd(8) ENVIRONMENT): the
 * worker waits while that file exists, at most a minute, before it reads
 * a file it was given, so that a test can change the file meanwhile. */
static void test_hold(const struct hasher *h)
{
	struct timespec ts = { .tv_nsec = 10000000 };
	int i;

	for (i = 0; h->hold && i < 6000 && access(h->hold, F_OK) == 0; i++)
		nanosleep(&ts, NULL);
}

/* Whether fd is still the version opened (every field, ctime too: a
 * rewrite in place that puts mtime back moves it). */
static bool unchanged(int fd, const struct exec_file_id *opened)
{
	struct exec_file_id now;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return false;
	file_id_of(&st, &now);
	return !memcmp(&now, opened, sizeof(now));
}

/* The worker: hash queued files until told to stop. */
static void *worker(void *arg)
{
	struct hasher *h = arg;
	char hex[EXEC_SHA256_LEN];
	const char *why;
	struct job j;

	pthread_mutex_lock(&h->mu);
	for (;;) {
		while (!h->stop && !h->qlen)
			pthread_cond_wait(&h->work, &h->mu);
		if (h->stop)
			break;
		j = h->q[h->qhead];
		h->qhead = (h->qhead + 1) % HASH_QUEUE;
		h->qlen--;
		pthread_mutex_unlock(&h->mu);
		test_hold(h);
		why = unchanged(j.fd, &j.opened) ? NULL : HASH_R_MISMATCH;
		if (!why)
			why = digest_fd(h, j.fd, j.e->key.size, hex);
		/* written while hashed (the key is what ran, not this) */
		if (!why && !unchanged(j.fd, &j.opened))
			why = HASH_R_CHANGED;
		close(j.fd);
		pthread_mutex_lock(&h->mu);
		j.e->state = why ? HASH_FAILED : HASH_READY;
		j.e->reason = why;
		if (!why)
			memcpy(j.e->hex, hex, sizeof(hex));
		h->n.computed++;
		pthread_cond_broadcast(&h->done);
	}
	pthread_mutex_unlock(&h->mu);
	return NULL;
}

/* A pending entry is being hashed: it is not evicted. */
static bool entry_busy(const void *value, void *ctx)
{
	const struct hash_entry *e = value;

	(void)ctx;
	return e->state == HASH_PENDING;
}

/* The cache of max entries (clamped to HASH_CACHE_MIN..HASH_CACHE_MAX):
 * the least recently used entry that is not pending goes first. NULL when
 * out of memory. */
static struct lru *cache_new(size_t max)
{
	static const struct lru_ops ops = { .busy = entry_busy };

	if (max < HASH_CACHE_MIN)
		max = HASH_CACHE_MIN;
	if (max > HASH_CACHE_MAX)
		max = HASH_CACHE_MAX;
	return lru_new(max, sizeof(struct exec_file_id), sizeof(struct hash_entry), &ops);
}

void hash_opts_defaults(struct hash_opts *o)
{
	*o = (struct hash_opts){ .wait_usec = 200000, .max_size = 256U << 20,
				 .cache_entries = 8192 };
}

int hasher_new(struct hasher **out, const struct hash_opts *o)
{
	struct hasher *h = calloc(1, sizeof(*h));
	pthread_condattr_t ca;
	sigset_t all, old;
	struct stat st;
	int r = -ENOMEM;

	if (!h)
		goto fail;
	pthread_mutex_init(&h->mu, NULL);
	pthread_cond_init(&h->work, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->done, &ca);
	pthread_condattr_destroy(&ca);
	h->o = *o;
	h->cache = cache_new(o->cache_entries);
	h->buf = malloc(READ_CHUNK);
	if (!h->cache || !h->buf)
		goto fail;
	if (stat("/proc/self/ns/mnt", &st) == 0)
		h->own_mntns = st.st_ino;
	h->hold = getenv("TRACE_EXECD_TEST_HOLD_HASH");
	r = host_mntns(&h->init_mntns);
	if (r < 0)
		log_notice("'/proc/1/ns/mnt': %s: the files of host processes that ended "
			   "are not hashed (EXEC_SHA256_UNAVAILABLE=gone)", strerror(-r));
	/* the worker takes no signal: the program's loop reads them */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = -pthread_create(&h->thread, NULL, worker, h);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		goto fail;
	h->started = true;
	*out = h;
	return 0;
fail:
	log_error("starting the SHA-256 worker failed: %s", strerror(-r));
	hasher_free(h);
	return r;
}

void hasher_set_opts(struct hasher *h, const struct hash_opts *o)
{
	pthread_mutex_lock(&h->mu);
	h->o.wait_usec = o->wait_usec;
	h->o.max_size = o->max_size;
	pthread_mutex_unlock(&h->mu);
}

void hasher_free(struct hasher *h)
{
	if (!h)
		return;
	if (h->started) {
		pthread_mutex_lock(&h->mu);
		__atomic_store_n(&h->stop, true, __ATOMIC_RELAXED);
		pthread_cond_signal(&h->work);
		pthread_mutex_unlock(&h->mu);
		pthread_join(h->thread, NULL);
	}
	while (h->qlen) {
		close(h->q[h->qhead].fd);
		h->qhead = (h->qhead + 1) % HASH_QUEUE;
		h->qlen--;
	}
	lru_free(h->cache);
	free(h->buf);
	pthread_mutex_destroy(&h->mu);
	pthread_cond_destroy(&h->work);
	pthread_cond_destroy(&h->done);
	free(h);
}

void hasher_stats(struct hasher *h, struct hash_stats *out)
{
	pthread_mutex_lock(&h->mu);
	*out = h->n;
	pthread_mutex_unlock(&h->mu);
}

/* path under root (a directory), resolved as if root were "/"; fd or
 * negative errno. */
static int open_in_root(const char *root, const char *path)
{
	return fsroot_open_path(root, path, O_RDONLY | O_NOCTTY | O_NONBLOCK, false);
}

/* True while pid is still the process that started at start_ns (boot
 * clock): /proc/PID/stat's start time, in clock ticks. */
static bool same_process(uint32_t pid, uint64_t start_ns)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	char path[40], *p;
	bool ok = false;
	int i;

	snprintf(path, sizeof(path), "/proc/%u/stat", pid);
	if (hz <= 0 || read_file_bounded(AT_FDCWD, path, 4096, &sb) < 0 || !sb.p)
		goto out;
	p = strrchr(sb.p, ')');
	for (i = 0; p && i < 20; i++)	/* from ")" to field 22 */
		p = strchr(p + 1, ' ');
	ok = p && sscanf(p, " %llu", &ticks) == 1 &&
	     ticks == start_ns / (1000000000ULL / (unsigned long long)hz);
out:
	sb_free(&sb);
	return ok;
}

/* Open the path of ev's file `which` where it can still be reached; fd or
 * negative errno. Through /proc/PID/root only while PID is that process. */
static int open_path(struct hasher *h, const struct exec_event *ev, int which)
{
	const struct exec_path *p = &ev->path[which];
	const char *rootfs = ev->container ? ev->container->rootfs : NULL;
	char root[40];
	int fd;

	if (!p->s || p->truncated || p->unreachable || p->deleted || p->s[0] != '/')
		return -ENOENT;
	snprintf(root, sizeof(root), "/proc/%u/root", ev->pid);
	fd = open_in_root(root, p->s);
	if (fd >= 0 && same_process(ev->pid, ev->start_ns))
		return fd;
	if (fd >= 0)
		close(fd);
	if (rootfs && rootfs[0])
		return open_in_root(rootfs, p->s);
	if (h->own_mntns && ev->mntns == h->own_mntns)
		return open_in_root("/", p->s);
	if (h->init_mntns && ev->mntns == h->init_mntns) {
		fd = open_in_root("/proc/1/root", p->s);
		if (fd < 0 && fd != -ENOENT && !h->said_init_root) {
			log_notice("'/proc/1/root%s': %s (said once)", p->s, strerror(-fd));
			h->said_init_root = true;
		}
		return fd;
	}
	return -ENOENT;
}

/* True when the kernel found ev's executable on an overlayfs. */
static bool on_overlay(const struct exec_event *ev)
{
	return ev->exe_fs_magic == OVERLAYFS_MAGIC;
}

/* Open the executable that ran as ev (its identity in ev->exe_id): fd,
 * or -1 and *why. */
static int open_exe(struct hasher *h, const struct exec_event *ev, const char **why)
{
	char path[40];
	int fd;

	bool denied;

	snprintf(path, sizeof(path), "/proc/%u/exe", ev->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	denied = fd < 0 && (errno == EACCES || errno == EPERM);
	if (fd >= 0 && same_file(fd, &ev->exe_id, false, on_overlay(ev)))
		return fd;
	if (fd >= 0)
		close(fd);
	fd = open_path(h, ev, EXEC_PATH_EXE);
	if (fd < 0) {
		*why = denied ? HASH_R_DENIED : HASH_R_GONE;
		return -1;
	}
	if (!same_file(fd, &ev->exe_id, true, on_overlay(ev))) {
		close(fd);
		*why = HASH_R_MISMATCH;
		return -1;
	}
	return fd;
}

/* A new cache entry for key, hashed from fd (taken, verified to be key);
 * under mu. NULL with *why when it cannot be queued. */
static struct hash_entry *queue_locked(struct hasher *h, const struct exec_file_id *key,
				       int fd, const char **why)
{
	struct hash_entry *e = NULL;
	struct stat st;

	if (fstat(fd, &st) < 0) {
		close(fd);
		*why = HASH_R_UNREADABLE;
		return NULL;
	}
	if (h->qlen < HASH_QUEUE)
		e = lru_put(h->cache, key, sizeof(*key), NULL);
	if (!e) {
		close(fd);
		*why = HASH_R_QUEUE_FULL;
		return NULL;
	}
	e->key = *key;
	e->state = HASH_PENDING;
	h->q[(h->qhead + h->qlen) % HASH_QUEUE] = (struct job){ .fd = fd, .e = e };
	file_id_of(&st, &h->q[(h->qhead + h->qlen) % HASH_QUEUE].opened);
	h->qlen++;
	pthread_cond_signal(&h->work);
	return e;
}

/* Wait for e until deadline (CLOCK_MONOTONIC, usec); its digest into out,
 * or *why. Under mu. */
static void wait_locked(struct hasher *h, struct hash_entry *e, uint64_t deadline,
			char out[EXEC_SHA256_LEN], const char **why)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000ULL),
		.tv_nsec = (long)(deadline % 1000000ULL) * 1000,
	};

	while (e->state == HASH_PENDING &&
	       pthread_cond_timedwait(&h->done, &h->mu, &ts) != ETIMEDOUT)
		;
	if (e->state == HASH_READY)
		memcpy(out, e->hex, EXEC_SHA256_LEN);
	else
		*why = e->state == HASH_FAILED ? e->reason : HASH_R_TIMEOUT;
}

/*
 * The digest of the file version key into out, or *why: from the cache,
 * or opened by open_fn (fd, or -1 with *why) and hashed; at most until
 * deadline. fd0 >= 0: the file is open already (taken).
 */
static void digest_of(struct hasher *h, const struct exec_file_id *key, int fd0,
		      const struct exec_event *ev, uint64_t deadline,
		      char out[EXEC_SHA256_LEN], const char **why)
{
	struct hash_entry *e;
	int fd = fd0;

	pthread_mutex_lock(&h->mu);
	e = lru_get(h->cache, key, sizeof(*key));
	if (e)
		h->n.hits++;
	else
		h->n.misses++;
	pthread_mutex_unlock(&h->mu);
	if (!e && key->size > h->o.max_size)
		*why = HASH_R_TOO_LARGE;
	else if (!e && fd < 0)
		fd = open_exe(h, ev, why);
	if (e || *why) {
		if (fd >= 0)
			close(fd);
		if (*why)
			return;
	}
	pthread_mutex_lock(&h->mu);
	if (!e)
		e = queue_locked(h, key, fd, why);
	if (e)
		wait_locked(h, e, deadline, out, why);
	pthread_mutex_unlock(&h->mu);
}

/* A script's digest: the file at its path, if it is the very file the
 * kernel opened for the exec (its identity), unchanged since. */
static void script_digest(struct hasher *h, const struct exec_event *ev,
			  uint64_t deadline, char out[EXEC_SHA256_LEN],
			  const char **why)
{
	int fd;

	if (!EXEC_FILE(ev)) {
		*why = HASH_R_NO_PATH;
		return;
	}
	if (!ev->file_id_known) {
		*why = HASH_R_UNIDENTIFIED;
		return;
	}
	fd = open_path(h, ev, EXEC_PATH_FILE);
	if (fd < 0) {
		*why = fd == -ENOENT ? HASH_R_GONE : HASH_R_UNREADABLE;
		return;
	}
	if (!same_file(fd, &ev->file_id, true,
		       ev->file_fs_magic == OVERLAYFS_MAGIC)) {
		close(fd);
		*why = HASH_R_MISMATCH;
		return;
	}
	digest_of(h, &ev->file_id, fd, ev, deadline, out, why);
}

/*
 * True for a file system whose open() waits on a process or a network
 * (FUSE, NFS, SMB, 9P, Ceph, AFS): the loop opens files itself, and must
 * not hang there (s_magic values of <linux/magic.h> and the fs/ sources).
 */
static bool fs_may_hang(uint32_t magic)
{
	static const uint32_t slow[] = {
		0x65735546,	/* FUSE */
		0x6969,		/* NFS */
		0xff534d42,	/* CIFS */
		0xfe534d42,	/* SMB2 */
		0x01021997,	/* 9P */
		0x00c36400,	/* Ceph */
		0x5346414f,	/* AFS */
	};
	size_t i;

	for (i = 0; i < sizeof(slow) / sizeof(slow[0]); i++)
		if (magic == slow[i])
			return true;
	return false;
}

/* Until when this event may wait: hash_wait, and no more than what is
 * left of hash_wait in this second (so that a run of new files cannot
 * hold the loop, nor starve the ring's reader or the watchdog). */
static uint64_t deadline_of(struct hasher *h, uint64_t now)
{
	uint64_t left;

	if (now - h->window >= 1000000) {
		h->window = now;
		h->waited = 0;
	}
	left = h->waited < h->o.wait_usec ? h->o.wait_usec - h->waited : 0;
	return now + left;
}

/* The hashes of ev, waiting until deadline at most. */
static void hash_files(struct hasher *h, struct exec_event *ev, uint64_t deadline)
{
	const char *why = NULL, *exe_why = NULL;

	if (!ev->exe_id_known) {
		ev->sha256_unavailable = HASH_R_GONE;
		return;
	}
	/* an executable there is not opened: a binary has no hash, a
	 * script only its own (its file system is not known) */
	if (fs_may_hang(ev->exe_fs_magic)) {
		if (ev->file_is_exe)
			why = HASH_R_NOT_LOCAL;
		else
			script_digest(h, ev, deadline, ev->sha256, &why);
		ev->sha256_unavailable = why;
		return;
	}
	if (ev->file_is_exe) {
		digest_of(h, &ev->exe_id, -1, ev, deadline, ev->sha256, &why);
		ev->sha256_unavailable = why;
		return;
	}
	script_digest(h, ev, deadline, ev->sha256, &why);
	ev->sha256_unavailable = why;
	digest_of(h, &ev->exe_id, -1, ev, deadline, ev->exe_sha256, &exe_why);
}

void hash_event(struct hasher *h, struct exec_event *ev)
{
	uint64_t now, end;

	ev->sha256[0] = ev->exe_sha256[0] = '\0';
	ev->sha256_unavailable = NULL;
	if (!h || ev->failed)
		return;
	now = clock_usec(CLOCK_MONOTONIC);
	hash_files(h, ev, deadline_of(h, now));
	end = clock_usec(CLOCK_MONOTONIC);
	h->waited += end - now;
}
