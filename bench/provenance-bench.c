// SPDX-License-Identifier: GPL-2.0-or-later
/* provenance-bench.c: what the package verdict and first-seen add to an exec the daemon saw before (the memo's lookup, a sighting's), and what reading a file's MD5 with its SHA-256 costs the worker against the SHA-256 alone. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/util.h"
#include "enrich/first-seen.h"
#include "enrich/pkgcheck.h"

#define CHUNK	(256U << 10)

static uint64_t now_ns(void)
{
	return (uint64_t)clock_nsec(CLOCK_MONOTONIC);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Digest buf (len bytes) in chunks as the worker reads a file: SHA-256,
 * and MD5 too when md5; ns taken. */
static uint64_t digest(const unsigned char *buf, size_t len, bool md5,
		       unsigned char out_md5[16])
{
	EVP_MD_CTX *s = EVP_MD_CTX_new(), *m = md5 ? EVP_MD_CTX_new() : NULL;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	uint64_t t0 = now_ns();
	size_t off, k;

	EVP_DigestInit_ex(s, EVP_sha256(), NULL);
	if (m)
		EVP_DigestInit_ex(m, EVP_md5(), NULL);
	for (off = 0; off < len; off += k) {
		k = len - off < CHUNK ? len - off : CHUNK;
		EVP_DigestUpdate(s, buf + off, k);
		if (m)
			EVP_DigestUpdate(m, buf + off, k);
	}
	EVP_DigestFinal_ex(s, md, &n);
	if (m)
		EVP_DigestFinal_ex(m, out_md5 ? out_md5 : md, &n);
	t0 = now_ns() - t0;
	EVP_MD_CTX_free(s);
	EVP_MD_CTX_free(m);
	return t0;
}

/* All of path into memory; NULL on error. */
static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	unsigned char *b;
	ssize_t r;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	b = malloc((size_t)st.st_size + 1);
	while (b && got < (size_t)st.st_size && (r = read(fd, b + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	*len = got;
	return b;
}

/* An exec of path (its real path, walked) as the kernel describes it. */
static int event_of(struct exec_event *ev, const char *path, char *real)
{
	struct stat st, ns;

	if (!realpath(path, real) || stat(real, &st) < 0)
		return -errno;
	memset(ev, 0, sizeof(*ev));
	if (stat("/proc/self/ns/mnt", &ns) == 0)
		ev->mntns = ns.st_ino;
	ev->file_is_exe = ev->exe_id_known = true;
	ev->exe_id = (struct exec_file_id){
		.dev = st.st_dev, .ino = st.st_ino, .size = (uint64_t)st.st_size,
		.mtime_sec = st.st_mtim.tv_sec, .mtime_nsec = (uint32_t)st.st_mtim.tv_nsec,
		.ctime_sec = st.st_ctim.tv_sec, .ctime_nsec = (uint32_t)st.st_ctim.tv_nsec,
	};
	ev->path[EXEC_PATH_EXE] = (struct exec_path){ .s = real, .len = strlen(real), .walked = true };
	ev->path[EXEC_PATH_FILE] = ev->path[EXEC_PATH_EXE];
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: provenance-bench [-n LOOPS] [-p PROGRAM] [-f BIGFILE]\n"
		"The package verdict of a program the daemon judged before (default\n"
		"/usr/bin/true; LOOPS times), a first sighting seen before, and, with\n"
		"-f, SHA-256 alone against SHA-256 and MD5 over BIGFILE; prints JSON.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *prog = "/usr/bin/true", *big = NULL;
	unsigned char md5[16], *buf;
	struct pkg_memo memo = { 0 };
	struct pkg_subject s;
	struct pkg_digest d = { .memo = &memo, .md5_ok = true };
	struct first_seen *fs = NULL;
	struct container ct = { 0 };
	struct pkgcheck *pc = NULL;
	struct exec_event ev;
	char real[PATH_MAX];
	uint64_t t0, t_pkg, t_fs, t_fs_ct, sha[5], both[5];
	long i, loops = 1000000;
	size_t len = 0;
	int c, k;

	while ((c = getopt(argc, argv, "n:p:f:h")) != -1) {
		if (c == 'n')
			loops = atol(optarg);
		else if (c == 'p')
			prog = optarg;
		else if (c == 'f')
			big = optarg;
		else
			usage();
	}
	if (loops < 1)
		usage();
	if (event_of(&ev, prog, real) < 0 || !(buf = slurp(real, &len))) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 1;
	}
	digest(buf, len, true, d.md5);
	free(buf);
	if (pkgcheck_new(&pc, NULL) < 0 || first_seen_open(&fs, NULL, FIRST_SEEN_DEFAULT) < 0)
		return 1;
	/* the first judgement fills the memo, as the first exec does */
	pkgcheck_begin(pc, &ev, &s);
	pkgcheck_end(pc, &ev, &s, &d);
	fprintf(stderr, "%s: %s %s %s\n", real, ev.pkg_verified ? ev.pkg_verified : "-",
		ev.pkg_name, ev.pkg_version);
	d.md5_ok = false;	/* from now on only the memo can answer */
	t0 = now_ns();
	for (i = 0; i < loops; i++) {
		pkgcheck_begin(pc, &ev, &s);
		pkgcheck_end(pc, &ev, &s, &d);
	}
	t_pkg = now_ns() - t0;
	memset(ev.sha256, 'a', 64);
	ev.sha256[64] = '\0';
	first_seen_event(fs, &ev);
	t0 = now_ns();
	for (i = 0; i < loops; i++)
		first_seen_event(fs, &ev);
	t_fs = now_ns() - t0;
	snprintf(ct.image_id, sizeof(ct.image_id), "%064d", 7);
	ev.container = &ct;
	first_seen_event(fs, &ev);
	t0 = now_ns();
	for (i = 0; i < loops; i++)
		first_seen_event(fs, &ev);
	t_fs_ct = now_ns() - t0;
	printf("{\"program\":\"%s\",\"verdict\":\"%s\",\"loops\":%ld,"
	       "\"warm_package_ns\":%.1f,\"warm_first_seen_host_ns\":%.1f,"
	       "\"warm_first_seen_container_ns\":%.1f",
	       real, ev.pkg_verified ? ev.pkg_verified : "", loops,
	       (double)t_pkg / (double)loops, (double)t_fs / (double)loops,
	       (double)t_fs_ct / (double)loops);
	if (big) {
		buf = slurp(big, &len);
		if (!buf) {
			fprintf(stderr, "%s: %s\n", big, strerror(errno));
			return 1;
		}
		for (k = 0; k < 5; k++) {
			sha[k] = digest(buf, len, false, NULL);
			both[k] = digest(buf, len, true, md5);
		}
		qsort(sha, 5, sizeof(sha[0]), cmp_u64);
		qsort(both, 5, sizeof(both[0]), cmp_u64);
		printf(",\"digest_bytes\":%zu,\"sha256_ms\":%.1f,\"sha256_md5_ms\":%.1f,\"ratio\":%.2f",
		       len, sha[2] / 1e6, both[2] / 1e6, (double)both[2] / (double)sha[2]);
		free(buf);
	}
	printf("}\n");
	first_seen_free(fs);
	pkgcheck_free(pc);
	return 0;
}
