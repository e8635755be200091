// SPDX-License-Identifier: GPL-2.0-or-later
/* test-hash.c: each EXEC_SHA256_UNAVAILABLE reason of hash_event() on real files, and its cache (no root needed). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "core/util.h"
#include "enrich/hash.h"
#include "check.h"

#define NO_PID		2147483647U	/* above any pid_max: never a process */
#define SHA_ABC		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_ABCD	"88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589"

static char dir[] = "/tmp/test-hash.XXXXXX";
static char pathbuf[16][256];
static uint64_t mntns;

/* Write data to dir/name; its path. */
static const char *put(int slot, const char *name, const char *data, size_t len)
{
	char *p = pathbuf[slot];
	int fd;

	snprintf(p, sizeof(pathbuf[slot]), "%s/%s", dir, name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	close(fd);
	return p;
}

/* An exec of path, by a process already gone, as the kernel would
 * describe it: the executable's identity from stat(). */
static void ev_of(struct exec_event *ev, const char *path)
{
	struct stat st;

	memset(ev, 0, sizeof(*ev));
	CHECK(stat(path, &st) == 0);
	ev->pid = NO_PID;
	ev->mntns = mntns;
	ev->timestamp_usec = clock_usec(CLOCK_REALTIME);
	ev->file_is_exe = true;
	ev->exe_id_known = true;
	ev->exe_id = (struct exec_file_id){
		.dev = st.st_dev, .ino = st.st_ino, .size = (uint64_t)st.st_size,
		.mtime_sec = st.st_mtim.tv_sec, .mtime_nsec = (uint32_t)st.st_mtim.tv_nsec,
		.ctime_sec = st.st_ctim.tv_sec, .ctime_nsec = (uint32_t)st.st_ctim.tv_nsec,
	};
	ev->path[EXEC_PATH_EXE].s = (char *)path;
	ev->path[EXEC_PATH_EXE].len = strlen(path);
	ev->path[EXEC_PATH_FILE] = ev->path[EXEC_PATH_EXE];
}

static struct hasher *start(uint64_t wait_usec, uint64_t max_size)
{
	struct hash_opts o = { .wait_usec = wait_usec, .max_size = max_size,
			       .cache_entries = 128 };
	struct hasher *h = NULL;

	CHECK_INT(hasher_new(&h, &o), 0);
	return h;
}

#define CHECK_REASON(ev, want) do {					\
	CHECK_STR((ev)->sha256_unavailable ? (ev)->sha256_unavailable : "(none)", want); \
	CHECK_STR((ev)->sha256, "");					\
} while (0)

/* A binary: its hash, from the path once the process is gone; then gone,
 * mismatch, too-large, a failed exec. */
static void test_binary_reasons(void)
{
	struct hasher *h = start(5000000, 1000);
	struct hash_stats n;
	struct exec_event ev;
	const char *p = put(0, "bin", "abc", 3);

	ev_of(&ev, p);
	hash_event(h, &ev);
	CHECK(ev.sha256_unavailable == NULL);
	CHECK_STR(ev.sha256, SHA_ABC);
	CHECK_STR(ev.exe_sha256, "");
	/* the same version again: from the cache, without the file */
	CHECK(unlink(p) == 0);
	hash_event(h, &ev);
	CHECK_STR(ev.sha256, SHA_ABC);
	hasher_stats(h, &n);
	CHECK_INT(n.computed, 1);
	CHECK_INT(n.hits, 1);
	/* another version, nowhere to be found */
	ev.exe_id.ino++;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_GONE);
	/* a file at the path that is not the version that ran */
	p = put(0, "bin", "abcd", 4);
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_MISMATCH);
	/* over hash_max_size: not even opened */
	ev.exe_id.size = 1001;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_TOO_LARGE);
	/* a failed exec has neither */
	ev_of(&ev, p);
	ev.failed = true;
	hash_event(h, &ev);
	CHECK(ev.sha256_unavailable == NULL);
	CHECK_STR(ev.sha256, "");
	/* on FUSE: not opened */
	ev_of(&ev, p);
	ev.exe_fs_magic = 0x65735546;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_NOT_LOCAL);
	/* the kernel gave no identity */
	ev_of(&ev, p);
	ev.exe_id_known = false;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_GONE);
	hasher_free(h);
}

/* A script: its own hash and its interpreter's; another file at its
 * path, or the same file rewritten in place (its mtime put back), is not
 * what ran; the kernel gave no identity; no path collected. */
static void test_script_reasons(void)
{
	struct hasher *h = start(5000000, 1 << 20);
	const char *interp = put(1, "interp", "abc", 3);
	const char *script = put(2, "script", "abcd", 4);
	struct exec_event ev, sev;
	struct timespec t[2];
	struct stat st;
	int fd;

	ev_of(&ev, interp);
	ev_of(&sev, script);	/* the script's identity, as the kernel has it */
	ev.file_is_exe = false;
	ev.file_id_known = true;
	ev.file_id = sev.exe_id;
	ev.path[EXEC_PATH_FILE].s = (char *)script;
	ev.path[EXEC_PATH_FILE].len = strlen(script);
	hash_event(h, &ev);
	CHECK(ev.sha256_unavailable == NULL);
	CHECK_STR(ev.sha256, SHA_ABCD);
	CHECK_STR(ev.exe_sha256, SHA_ABC);
	/* rewritten in place, same size, mtime put back: only ctime moved */
	CHECK(stat(script, &st) == 0);
	t[0] = st.st_atim;
	t[1] = st.st_mtim;
	fd = open(script, O_WRONLY);
	CHECK(fd >= 0 && write(fd, "xbcd", 4) == 4 && futimens(fd, t) == 0);
	close(fd);
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_MISMATCH);
	CHECK_STR(ev.exe_sha256, SHA_ABC);
	/* the kernel could not identify the script's file */
	ev.file_id_known = false;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_UNIDENTIFIED);
	ev.path[EXEC_PATH_FILE].s = NULL;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_NO_PATH);
	hasher_free(h);
}

/* A sparse file of size bytes (slow enough to hash to be caught waiting). */
static const char *sparse(int slot, const char *name, off_t size)
{
	const char *p = put(slot, name, "x", 1);

	CHECK(truncate(p, size) == 0);
	return p;
}

/* Not ready within hash_wait: timeout, and the next exec finds it; a
 * queue of HASH_QUEUE files waiting: queue-full. */
static void test_wait_reasons(void)
{
	struct hasher *h = start(0, 1ULL << 40);
	struct exec_event ev, big;
	char name[32];
	int i, full = 0;

	ev_of(&big, sparse(3, "big", 128 << 20));
	hash_event(h, &big);
	CHECK_REASON(&big, HASH_R_TIMEOUT);
	/* the worker is busy with it: HASH_QUEUE more wait, then no room */
	for (i = 0; i < HASH_QUEUE + 1; i++) {
		snprintf(name, sizeof(name), "small%d", i);
		ev_of(&ev, put(4, name, name, strlen(name)));
		hash_event(h, &ev);
		full += ev.sha256_unavailable && !strcmp(ev.sha256_unavailable, HASH_R_QUEUE_FULL);
	}
	/* 1, or 2 when the worker had not taken the big one off yet */
	CHECK(full >= 1 && full <= 2);
	CHECK_STR(ev.sha256_unavailable, HASH_R_QUEUE_FULL);
	hasher_set_opts(h, &(struct hash_opts){ .wait_usec = 30000000, .max_size = 1ULL << 40 });
	hash_event(h, &big);
	CHECK(big.sha256_unavailable == NULL);
	CHECK_INT(strlen(big.sha256), 64);
	hasher_free(h);
}

/* Where openat2() is refused (ENOSYS, as in systemd-nspawn 252): the
 * path is walked one component at a time; a symbolic link is not
 * followed. Last: the filter stays. */
static void test_no_openat2(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 4, .filter = f };
	struct hasher *h = start(5000000, 1 << 20);
	struct exec_event ev;
	char link[300];
	const char *p = put(7, "walked", "abc", 3);

	CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0);
	CHECK(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0);
	ev_of(&ev, p);
	hash_event(h, &ev);
	CHECK(ev.sha256_unavailable == NULL);
	CHECK_STR(ev.sha256, SHA_ABC);
	/* through a link: not opened (another version, so not cached) */
	snprintf(link, sizeof(link), "%s/link", dir);
	CHECK(symlink(p, link) == 0);
	ev.exe_id.mtime_nsec++;
	ev.path[EXEC_PATH_EXE].s = link;
	hash_event(h, &ev);
	CHECK_REASON(&ev, HASH_R_GONE);
	hasher_free(h);
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *f)
{
	return remove(path);
}

/* At most hash_wait of waiting in any second: a second new file right
 * after a first that used it all does not wait. */
static void test_wait_budget(void)
{
	struct hasher *h = start(200000, 1ULL << 40);
	struct exec_event a, b;
	uint64_t t0, t1, t2;

	ev_of(&a, sparse(5, "huge1", 4LL << 30));
	ev_of(&b, sparse(6, "huge2", 4LL << 30));
	t0 = clock_usec(CLOCK_MONOTONIC);
	hash_event(h, &a);
	t1 = clock_usec(CLOCK_MONOTONIC);
	hash_event(h, &b);
	t2 = clock_usec(CLOCK_MONOTONIC);
	CHECK_REASON(&a, HASH_R_TIMEOUT);
	CHECK_REASON(&b, HASH_R_TIMEOUT);
	CHECK(t1 - t0 >= 190000);
	CHECK(t2 - t1 < 100000);
	hasher_free(h);		/* stops in the middle of a file */
	CHECK(clock_usec(CLOCK_MONOTONIC) - t2 < 1000000);
}

int main(void)
{
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	CHECK(stat("/proc/self/ns/mnt", &st) == 0);
	mntns = st.st_ino;
	test_binary_reasons();
	test_script_reasons();
	test_wait_reasons();
	test_wait_budget();
	test_no_openat2();
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
