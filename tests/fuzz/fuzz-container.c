// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-container.c: libFuzzer target: container ids from cgroup paths, runtime metadata files and passwd/group of any bytes. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enrich/container.h"
#include "enrich/container-users.h"
#include "core/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)
#define ID "8c63caab43c09b11429b8b0e2ddb3c406c2144d20f52684f4d58575c6a99b8cf"
/* Sections of an input are separated by this line; "@ROOT@" in them is
 * replaced by the scratch directory, so that metadata can point into it. */
#define SEP "\n@@\n"

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-container.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/* Where each section goes (relative to the scratch directory); the first is the cgroup path. */
static const char *const files[] = {
	NULL,
	"podman/overlay-containers/containers.json",
	"podman/overlay-containers/" ID "/userdata/config.json",
	"podman/overlay-images/images.json",
	"docker/containers/" ID "/config.v2.json",
	"docker/image/overlay2/layerdb/mounts/" ID "/mount-id",
	"containerd/io.containerd.runtime.v2.task/k8s.io/" ID "/config.json",
	"crio/overlay-containers/" ID "/userdata/config.json",
	"runc/" ID "/state.json",
	"bundle/config.json",
	"rootfs/etc/passwd",
	"rootfs/etc/group",
};
#define NSECT (sizeof(files) / sizeof(files[0]))

static char root[64];
static struct container_paths paths;
static char pbuf[5][128];

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static void cleanup(void)
{
	if (root[0])
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void mkdirs(const char *rel)
{
	char p[512];
	char *s;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
}

static void setup(void)
{
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	size_t i;

	snprintf(root, sizeof(root), "%s/te-fuzz-container.XXXXXX", base);
	CHECK(mkdtemp(root));
	atexit(cleanup);
	for (i = 1; i < NSECT; i++)
		mkdirs(files[i]);
	snprintf(pbuf[0], sizeof(pbuf[0]), "%s/podman", root);
	snprintf(pbuf[1], sizeof(pbuf[1]), "%s/docker", root);
	snprintf(pbuf[2], sizeof(pbuf[2]), "%s/containerd", root);
	snprintf(pbuf[3], sizeof(pbuf[3]), "%s/crio", root);
	snprintf(pbuf[4], sizeof(pbuf[4]), "%s/runc", root);
	paths = (struct container_paths){ pbuf[0], pbuf[1], pbuf[2], pbuf[3], pbuf[4] };
}

/* The section with @ROOT@ replaced, NUL-terminated (it may hold NULs). */
static void expand(struct strbuf *sb, const char *s, size_t len)
{
	const char *m;

	sb_reset(sb);
	CHECK(sb_grow(sb, 0) == 0);
	while ((m = memmem(s, len, "@ROOT@", 6))) {
		CHECK(sb_append(sb, s, (size_t)(m - s)) == 0);
		CHECK(sb_puts(sb, root) == 0);
		len -= (size_t)(m - s) + 6;
		s = m + 6;
	}
	CHECK(sb_append(sb, s, len) == 0);
}

static void put_file(const char *rel, const struct strbuf *sb, bool present)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	if (!present) {
		unlink(p);
		return;
	}
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK(write(fd, sb->p, sb->len) == (ssize_t)sb->len);
	close(fd);
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void check_container(const struct container *c)
{
	CHECK(terminated(c->id, sizeof(c->id)) && !strcmp(c->id, ID));
	CHECK(terminated(c->short_id, sizeof(c->short_id)) &&
	      !strncmp(c->short_id, ID, 12) && strlen(c->short_id) == 12);
	CHECK(terminated(c->name, sizeof(c->name)));
	CHECK(terminated(c->image, sizeof(c->image)));
	CHECK(terminated(c->runtime, sizeof(c->runtime)));
	CHECK(terminated(c->k8s_namespace, sizeof(c->k8s_namespace)));
	CHECK(terminated(c->k8s_pod, sizeof(c->k8s_pod)));
	CHECK(terminated(c->k8s_container, sizeof(c->k8s_container)));
	CHECK(terminated(c->rootfs, sizeof(c->rootfs)));
	CHECK(!c->rootfs[0] || c->rootfs[0] == '/');
}

static void check_names(struct container_users *cu, const char *rootfs)
{
	static const uint32_t ids[] = { 0, 1, 33, 65534, 1000, 4294967295U };
	char name[64];
	size_t i;
	int r, g;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (g = 0; g < 2; g++) {
			memset(name, 'x', sizeof(name));
			r = container_users_name(cu, rootfs, ids[i], g, name, sizeof(name));
			if (r == 0)
				CHECK(terminated(name, sizeof(name)) && name[0] &&
				      !strchr(name, ':') && !strchr(name, '\n'));
			else
				CHECK(r < 0);
		}
	}
	r = container_users_name(cu, rootfs, 0, false, name, 1);
	CHECK(r == -ERANGE || r < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hints[] = { NULL, "podman", "docker", "containerd", "cri-o", "runc" };
	struct strbuf sect[NSECT];
	const char *s = (const char *)data, *end = s + size, *m;
	struct container_cache *cache;
	struct container_users *cu;
	const struct container *cc;
	struct container c;
	const char *hint, *claim;
	char id[65], rootfs[600];
	size_t i, n = 0;
	int r;

	if (!root[0])
		setup();
	memset(sect, 0, sizeof(sect));
	while (n < NSECT) {
		m = memmem(s, (size_t)(end - s), SEP, 4);
		expand(&sect[n++], s, m ? (size_t)(m - s) : (size_t)(end - s));
		if (!m)
			break;
		s = m + 4;
	}
	for (i = 1; i < NSECT; i++)
		put_file(files[i], &sect[i], i < n);

	/* The cgroup path. */
	memset(id, 'x', sizeof(id));
	hint = (const char *)1;
	r = container_id_from_cgroup(sect[0].p, id, &hint);
	CHECK(r == 0 || r == 1 || r == -EINVAL || r == -ENAMETOOLONG);
	if (r == 1) {
		CHECK(id[64] == '\0' && strspn(id, "0123456789abcdef") == 64);
		CHECK(!hint || !strcmp(hint, "podman") || !strcmp(hint, "docker") ||
		      !strcmp(hint, "containerd") || !strcmp(hint, "cri-o"));
	}

	/* Every reader, each runtime tried first in turn. */
	CHECK(container_users_new(&cu) == 0);
	container_users_set_recheck(cu, 0);
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		r = container_read_metadata(&paths, ID, hints[i], &c);
		CHECK(r == 0 || r == -ENOENT);
		check_container(&c);
		if (r == 0 && c.rootfs[0])
			check_names(cu, c.rootfs);
	}
	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", root);
	check_names(cu, rootfs);
	CHECK(container_users_name(cu, "relative", 0, false, id, sizeof(id)) == -EINVAL);
	container_users_free(cu);

	/* The cache, as the daemon uses it. */
	CHECK(container_cache_new(&cache, &paths) == 0);
	container_cache_set_limit(cache, 2);
	cc = container_lookup(cache, sect[0].p, 1, 1, &claim);
	if (cc)
		CHECK(terminated(cc->id, sizeof(cc->id)) && strlen(cc->id) == 64);
	CHECK(!cc || !claim);
	if (claim)
		CHECK(strlen(claim) == 64 && strspn(claim, "0123456789abcdef") == 64);
	container_lookup(cache, "/machine.slice/libpod-" ID ".scope", 1, 2, NULL);
	/* a claim, or the container its runtime confirms */
	cc = container_lookup(cache, "/system.slice/docker-" ID ".scope", 1, 3, &claim);
	CHECK(cc ? !claim : claim && !strcmp(claim, ID));
	if (cc)
		check_container(cc);
	container_cache_expire(cache, 3 + CONTAINER_EXPIRE_USEC + 1);
	container_cache_free(cache);

	for (i = 0; i < NSECT; i++)
		sb_free(&sect[i]);
	return 0;
}
