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
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/fsroot.h"
#include "core/log.h"
#include "core/lru.h"
#include "core/mntns.h"
#include "core/util.h"
#include "enrich/file-id.h"
#include "enrich/hash.h"
#include "enrich/pkgcheck.h"

#define READ_CHUNK	(256U << 10)

enum hash_state {
	HASH_PENDING,		/* queued or being hashed: never evicted */
	HASH_READY,		/* hex holds the digest */
	HASH_FAILED,		/* reason says why there is none */
};

/* The MD5 of a file version (dpkg's checksum), read with its SHA-256
 * when a package owns the file's path. */
enum md5_state {
	MD5_NONE,		/* not asked for */
	MD5_PENDING,		/* queued or being read: never evicted */
	MD5_READY,
	MD5_FAILED,		/* md5_reason says why there is none */
};

/* What the cache (core's LRU, by the bytes of the file version) knows of
 * one file version. */
struct hash_entry {
	struct exec_file_id key;
	enum hash_state state;
	const char *reason;		/* HASH_FAILED: a static string */
	char hex[EXEC_SHA256_LEN];	/* HASH_READY */
	enum md5_state md5_state;
	const char *md5_reason;		/* MD5_FAILED */
	unsigned char md5[16];		/* MD5_READY */
	struct pkg_memo memo;		/* its package verdict (the loop's) */
};

struct job {
	int fd;
	struct hash_entry *e;
	struct exec_file_id opened;	/* fd's version when it was verified */
	bool sha, md5;			/* what to compute */
};

/* One file's digests as an event asks for them (digest_of()). */
struct dreq {
	const struct exec_file_id *key;	/* the file version */
	int fd;				/* opened already (taken), or -1 */
	bool want_md5;			/* a package owns its path */
	const struct pkg_subject *subj;	/* whose verdict a memo may hold */
	char *hex;			/* out: its SHA-256 (EXEC_SHA256_LEN) */
	const char *why;		/* out: why there is none */
	struct pkg_digest pd;		/* out: its MD5, memo, for the verdict */
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
	struct pkgcheck *pc;		/* the package verdict; NULL: none */
};

/* A digest's context of md, NULL when not wanted or when it cannot be
 * had (out of memory; MD5 where a FIPS provider refuses it). */
static EVP_MD_CTX *md_new(const EVP_MD *md, bool want)
{
	EVP_MD_CTX *ctx = want && md ? EVP_MD_CTX_new() : NULL;

	if (ctx && !EVP_DigestInit_ex(ctx, md, NULL)) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/*
 * Digest all of fd in one read: its SHA-256 into hex (lower-case) and its
 * MD5 into md5, each when not NULL; NULL, or the reason there is none.
 * An MD5 that cannot be had does not cost the SHA-256: *md5_why says so.
 */
static const char *digest_fd(struct hasher *h, int fd, uint64_t max,
			     char *hex, unsigned char *md5, const char **md5_why)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *sc = md_new(EVP_sha256(), hex);
	EVP_MD_CTX *mc = md_new(EVP_md5(), md5);
	const char *why = HASH_R_UNREADABLE;
	uint64_t total = 0;
	unsigned int len = 0, i;
	ssize_t n;

	*md5_why = md5 && !mc ? HASH_R_UNREADABLE : NULL;
	if ((hex && !sc) || (!sc && !mc))
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
		if ((sc && !EVP_DigestUpdate(sc, h->buf, (size_t)n)) ||
		    (mc && !EVP_DigestUpdate(mc, h->buf, (size_t)n)))
			goto out;
	}
	if (n < 0)
		goto out;
	if (sc && (!EVP_DigestFinal_ex(sc, md, &len) || len != 32))
		goto out;
	for (i = 0; sc && i < len; i++)
		fmt_hex(hex + 2 * i, md[i], 2, false);
	if (sc)
		hex[2 * len] = '\0';
	if (mc && (!EVP_DigestFinal_ex(mc, md5, &len) || len != 16))
		*md5_why = HASH_R_UNREADABLE;
	why = NULL;
out:
	EVP_MD_CTX_free(sc);
	EVP_MD_CTX_free(mc);
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
	unsigned char md5[16];
	const char *why, *md5_why;
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
		md5_why = NULL;
		if (!why)
			why = digest_fd(h, j.fd, j.e->key.size, j.sha ? hex : NULL,
					j.md5 ? md5 : NULL, &md5_why);
		/* written while hashed (the key is what ran, not this) */
		if (!why && !unchanged(j.fd, &j.opened))
			why = HASH_R_CHANGED;
		close(j.fd);
		pthread_mutex_lock(&h->mu);
		if (j.sha) {
			j.e->state = why ? HASH_FAILED : HASH_READY;
			j.e->reason = why;
			if (!why)
				memcpy(j.e->hex, hex, sizeof(hex));
		}
		if (j.md5) {
			if (!why)
				why = md5_why;
			j.e->md5_state = why ? MD5_FAILED : MD5_READY;
			j.e->md5_reason = why;
			if (!why)
				memcpy(j.e->md5, md5, sizeof(md5));
		}
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
	return e->state == HASH_PENDING || e->md5_state == MD5_PENDING;
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

void hasher_set_pkgcheck(struct hasher *h, struct pkgcheck *pc)
{
	h->pc = pc;
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
	if (fd >= 0 && file_id_same(fd, &ev->exe_id, false, on_overlay(ev)))
		return fd;
	if (fd >= 0)
		close(fd);
	fd = open_path(h, ev, EXEC_PATH_EXE);
	if (fd < 0) {
		*why = denied ? HASH_R_DENIED : HASH_R_GONE;
		return -1;
	}
	if (!file_id_same(fd, &ev->exe_id, true, on_overlay(ev))) {
		close(fd);
		*why = HASH_R_MISMATCH;
		return -1;
	}
	return fd;
}

/* Queue a job for entry e on fd (taken, verified to be e's version):
 * its SHA-256, its MD5, or both. Under mu; false (fd closed) when the
 * queue is full or fd unreadable. */
static bool job_locked(struct hasher *h, struct hash_entry *e, int fd, bool sha,
		       bool md5)
{
	struct job *j;
	struct stat st;

	if (h->qlen >= HASH_QUEUE || fstat(fd, &st) < 0) {
		close(fd);
		return false;
	}
	j = &h->q[(h->qhead + h->qlen) % HASH_QUEUE];
	*j = (struct job){ .fd = fd, .e = e, .sha = sha, .md5 = md5 };
	file_id_of(&st, &j->opened);
	if (sha)
		e->state = HASH_PENDING;
	if (md5)
		e->md5_state = MD5_PENDING;
	h->qlen++;
	pthread_cond_signal(&h->work);
	return true;
}

/* A new cache entry for key, hashed from fd (taken, verified to be key),
 * its MD5 too with md5; under mu. NULL with *why when it cannot be
 * queued. */
static struct hash_entry *queue_locked(struct hasher *h, const struct exec_file_id *key,
				       int fd, bool md5, const char **why)
{
	struct hash_entry *e = NULL;

	if (h->qlen < HASH_QUEUE)
		e = lru_put(h->cache, key, sizeof(*key), NULL);
	if (!e) {
		close(fd);
		*why = HASH_R_QUEUE_FULL;
		return NULL;
	}
	e->key = *key;
	if (!job_locked(h, e, fd, true, md5)) {
		lru_remove(h->cache, e);
		*why = HASH_R_UNREADABLE;
		return NULL;
	}
	return e;
}

/* Wait for e (its MD5 too with md5) until deadline (CLOCK_MONOTONIC,
 * usec); its digest into out, or *why. Under mu. */
static void wait_locked(struct hasher *h, struct hash_entry *e, uint64_t deadline,
			bool md5, char out[EXEC_SHA256_LEN], const char **why)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000ULL),
		.tv_nsec = (long)(deadline % 1000000ULL) * 1000,
	};

	while ((e->state == HASH_PENDING || (md5 && e->md5_state == MD5_PENDING)) &&
	       pthread_cond_timedwait(&h->done, &h->mu, &ts) != ETIMEDOUT)
		;
	if (e->state == HASH_READY)
		memcpy(out, e->hex, EXEC_SHA256_LEN);
	else
		*why = e->state == HASH_FAILED ? e->reason : HASH_R_TIMEOUT;
}

/* What the verdict gets of entry e (NULL: none): its MD5 or why not
 * (open_why: the file could not be opened for it). Under mu. */
static void pkg_digest_of(struct dreq *r, struct hash_entry *e, const char *open_why)
{
	r->pd.why = r->why;
	r->pd.memo = e ? &e->memo : NULL;
	r->pd.md5_ok = e && e->md5_state == MD5_READY;
	if (r->pd.md5_ok)
		memcpy(r->pd.md5, e->md5, sizeof(r->pd.md5));
	else if (e && e->md5_state == MD5_FAILED)
		r->pd.md5_why = e->md5_reason;
	else if (e && e->md5_state == MD5_PENDING)
		r->pd.md5_why = HASH_R_TIMEOUT;
	else
		r->pd.md5_why = open_why ? open_why : HASH_R_QUEUE_FULL;
}

/*
 * The digests of the file version r->key: from the cache, or read from
 * r->fd (taken) or the executable open_exe() finds, by the worker; at
 * most until deadline. Its MD5 is read too when r->want_md5, unless the
 * entry's memo holds the verdict of r->subj already.
 */
static void digest_of(struct hasher *h, const struct exec_event *ev, uint64_t deadline,
		      struct dreq *r)
{
	const char *open_why = NULL;
	struct hash_entry *e;
	int fd = r->fd;
	bool md5;

	pthread_mutex_lock(&h->mu);
	e = lru_get(h->cache, r->key, sizeof(*r->key));
	if (e)
		h->n.hits++;
	else
		h->n.misses++;
	md5 = r->want_md5 && (!e || (e->md5_state == MD5_NONE && e->state != HASH_FAILED &&
				     !(r->subj && pkg_memo_matches(&e->memo, r->subj))));
	pthread_mutex_unlock(&h->mu);
	if (!e && r->key->size > h->o.max_size)
		r->why = HASH_R_TOO_LARGE;
	else if ((!e || md5) && fd < 0)
		fd = open_exe(h, ev, &open_why);
	if (!e && fd < 0 && !r->why)
		r->why = open_why;
	if (fd >= 0 && (r->why || (e && !md5))) {
		close(fd);
		fd = -1;
	}
	pthread_mutex_lock(&h->mu);
	if (!e && !r->why)
		e = queue_locked(h, r->key, fd, md5, &r->why);
	else if (e && fd >= 0)
		job_locked(h, e, fd, false, true);
	if (e)
		wait_locked(h, e, deadline, md5, r->hex, &r->why);
	pkg_digest_of(r, e, open_why);
	pthread_mutex_unlock(&h->mu);
}

/* A script's digests (r: its file's): the file at its path, if it is
 * the very file the kernel opened for the exec (its identity),
 * unchanged since. */
static void script_digest(struct hasher *h, const struct exec_event *ev,
			  uint64_t deadline, struct dreq *r)
{
	int fd;

	if (!EXEC_FILE(ev)) {
		r->why = r->pd.why = HASH_R_NO_PATH;
		return;
	}
	if (!ev->file_id_known) {
		r->why = r->pd.why = HASH_R_UNIDENTIFIED;
		return;
	}
	fd = open_path(h, ev, EXEC_PATH_FILE);
	if (fd < 0) {
		r->why = r->pd.why = fd == -ENOENT ? HASH_R_GONE : HASH_R_UNREADABLE;
		return;
	}
	if (!file_id_same(fd, &ev->file_id, true,
		       ev->file_fs_magic == OVERLAYFS_MAGIC)) {
		close(fd);
		r->why = r->pd.why = HASH_R_MISMATCH;
		return;
	}
	r->fd = fd;
	digest_of(h, ev, deadline, r);
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

/* The hashes of ev, waiting until deadline at most; the package verdict
 * of the exec'd file (its MD5 read with its SHA-256). */
static void hash_files(struct hasher *h, struct exec_event *ev, uint64_t deadline)
{
	struct pkg_subject subj;
	bool want = h->pc && pkgcheck_begin(h->pc, ev, &subj);
	struct dreq f = { .key = &ev->file_id, .fd = -1, .want_md5 = want,
			  .subj = &subj, .hex = ev->sha256 };
	struct dreq x = { .key = &ev->exe_id, .fd = -1, .hex = ev->exe_sha256 };

	if (!ev->exe_id_known) {
		f.why = f.pd.why = HASH_R_GONE;
	} else if (fs_may_hang(ev->exe_fs_magic)) {
		/* an executable there is not opened: a binary has no hash,
		 * a script only its own (its file system is not known) */
		if (ev->file_is_exe)
			f.why = f.pd.why = HASH_R_NOT_LOCAL;
		else
			script_digest(h, ev, deadline, &f);
	} else if (ev->file_is_exe) {
		x.want_md5 = want;
		x.subj = &subj;
		x.hex = ev->sha256;
		digest_of(h, ev, deadline, &x);
		f = x;
	} else {
		script_digest(h, ev, deadline, &f);
	}
	ev->sha256_unavailable = f.why;
	/* before another entry is made: f's memo is its entry's */
	if (h->pc)
		pkgcheck_end(h->pc, ev, &subj, &f.pd);
	if (ev->exe_id_known && !ev->file_is_exe && !fs_may_hang(ev->exe_fs_magic))
		digest_of(h, ev, deadline, &x);
}

void hash_event(struct hasher *h, struct exec_event *ev)
{
	uint64_t now, end;

	ev->sha256[0] = ev->exe_sha256[0] = '\0';
	ev->sha256_unavailable = NULL;
	ev->pkg_verified = ev->pkg_unknown = NULL;
	ev->pkg_name[0] = ev->pkg_arch[0] = ev->pkg_version[0] = '\0';
	ev->pkg_conffile = false;
	if (!h || ev->failed)
		return;
	now = clock_usec(CLOCK_MONOTONIC);
	hash_files(h, ev, deadline_of(h, now));
	end = clock_usec(CLOCK_MONOTONIC);
	h->waited += end - now;
}
