// SPDX-License-Identifier: GPL-2.0-or-later
/* test-container.c: unit tests for container ids, runtime metadata, the cache and names inside containers. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "enrich/container.h"
#include "enrich/container-internal.h"
#include "enrich/container-users.h"
#include "core/util.h"

#define P1  "8c63caab43c09b11429b8b0e2ddb3c406c2144d20f52684f4d58575c6a99b8cf"
#define P1L "be80af621257cff369413784af21dcb87d63955f89251d2ce5a1752989512b08"
#define P2  "e335508bedc5587a480a466b6cd959437c906cc75ccaf26851a5a9b501e35cc4"
#define P2L "7d3202f0d28cf2b646f0768ed126b4c3bd561462353b9a8042831f4aaca72820"
#define D1  "1d75b0cfd87f42282279171946bc938455a1939bf01704139922936d87b0f37d"
#define D1M "124f8ba943c037b581efe32d5c8bcc151421a4452dfa2b2f0ef07adbd576fd76"
#define D2  "2a53749212ffa2f7771cae1883b7e379219c901768bd4a446b41a34362168d8c"
#define D3  "4810f7a62d45feadbefe45c3223f3726b59db5973be24d302bf74f4669791c20"
#define C1  "4619b8194788486b6d64cbb19f4f4cb36d69bbbec08ccd3f66435b8f137dc13a"
#define C2  "7fd7c47c22b48d9874c3a281c0bfac256f207af3ccf5680e54a1a68255d01cdb"
#define C3  "96e85e817049561e5f1e30f150abbeb17099e2dd7e52f1d45b15f9e23b154539"
#define O1  "52fe6aef0d97af41aee73aad95a79cf54b43f87fdde31cefab6dbd8029d65ba4"
#define O2  "65d50fd658ba4bf3cdc877ef34b736627d1ffce5c659ad81827bb69424cca118"
#define OL  "1b6d4f737861756b1bcf0f89ff21ba3ac4f22d07beff26761c30e9329ae97ca8"
#define R1  "2f37c536722115a720f7896b8e6829e6c7b14d7f57c5c9cf25efe11882013eea"
#define R2  "57768b3897ac6d23b1c14fab6b018c012f4abf4346b740bbbc5638144b04ad60"
#define U1  "8523a018374bd6d532727a0081ade29747f8d4a8c04aeda5e04e006f5a44d701"
#define UID "0b0c4e5e-7d1f-4b57-9a3c-2f8e6a1d9c44"
#define SEC 1000000ULL

static char fix[PATH_MAX];	/* .../tests/unit/fixtures/containers */
static char tmp[PATH_MAX];	/* scratch directory, removed at the end */
static struct container_paths fpaths;
static char *fmt_pool[1024];		/* strings from fmt(), freed at the end */
static size_t fmt_used;

static const char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* A formatted string that lives until fmt_free_all(). */
static const char *fmt(const char *f, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	CHECK(fmt_used < ARRAY_SIZE(fmt_pool));
	va_start(ap, f);
	CHECK_INT(sb_vprintf(&sb, f, ap), 0);
	va_end(ap);
	fmt_pool[fmt_used] = sb_steal(&sb);
	return fmt_pool[fmt_used++];
}

static void fmt_free_all(void)
{
	while (fmt_used)
		free(fmt_pool[--fmt_used]);
}

/* mkdir -p of the parents of path, then write s into it. */
static void write_file(const char *path, const char *s, size_t len)
{
	char dir[PATH_MAX], *p;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, s, len), (long long)len);
	close(fd);
}

static void write_str(const char *path, const char *s)
{
	write_file(path, s, strlen(s));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

/* Remove the scratch directory, also when a CHECK fails. */
static void cleanup(void)
{
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	fmt_free_all();
}

static void setup(void)
{
	const char *top = getenv("top_srcdir");
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/tests/unit/fixtures/containers", top ? top : ".");
	CHECK(realpath(buf, fix) != NULL);
	fpaths.podman_storage = fmt("%s/podman", fix);
	fpaths.docker_root = fmt("%s/docker", fix);
	fpaths.containerd_state = fmt("%s/containerd", fix);
	fpaths.crio_state = fmt("%s/crio", fix);
	fpaths.runc_state = fmt("%s/runc", fix);
	snprintf(tmp, sizeof(tmp), "%s/test-container-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(tmp) != NULL);
	atexit(cleanup);
}

/* ---- cgroup paths ---- */

static void cg_ok(const char *path, const char *want_id, const char *want_rt)
{
	const char *rt = "unset";
	char id[65];

	CHECK_INT(container_id_from_cgroup(path, id, &rt), 1);
	CHECK_STR(id, want_id);
	if (want_rt)
		CHECK_STR(rt, want_rt);
	else
		CHECK(rt == NULL);
}

static void cg_no(const char *path, int want)
{
	const char *rt = "unset";
	char id[65];

	if (container_id_from_cgroup(path, id, &rt) != want) {
		fprintf(stderr, "cgroup %.200s: want %d\n", path, want);
		CHECK(0);
	}
	CHECK(rt == NULL);
}

static void test_cgroup_positive(void)
{
	cg_ok("/machine.slice/libpod-" P1 ".scope/container", P1, "podman");
	cg_ok("/machine.slice/libpod-" P1 ".scope", P1, "podman");
	cg_ok("/libpod_parent/libpod-" P1, P1, "podman");
	cg_ok("/libpod_parent/libpod-" P1 "/container", P1, "podman");
	/* A user's delegated subtree: the id, no runtime from the name. */
	cg_ok("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-"
	      P2 ".scope/container", P2, NULL);
	cg_ok("/user.slice/user-4242.slice/user@4242.service/app.slice/docker-"
	      D1 ".scope", D1, NULL);
	cg_ok("/user.slice/user-4242.slice/user@4242.service/app.slice/crio-"
	      O1 ".scope", O1, NULL);
	cg_ok("/user.slice/user-4242.slice/user@4242.service/docker/" D1, D1, NULL);
	cg_ok("/user.slice/user@.service/libpod-" P2, P2, "podman");	/* no uid */
	cg_ok("/user.slice/user@12x.service/libpod-" P2, P2, "podman");
	cg_ok("/user.slice/xuser@1.service/libpod-" P2, P2, "podman");
	cg_ok("/libpod_parent/libpod-" P2 "/user@0.service", P2, "podman"); /* below */
	cg_ok("/system.slice/docker-" D1 ".scope", D1, "docker");
	cg_ok("/docker/" D1, D1, "docker");
	cg_ok("//docker//" D1 "//", D1, "docker");
	cg_ok("docker/" D1, D1, "docker");
	cg_ok("docker-" D1 ".scope", D1, "docker");
	cg_ok("/docker/" D1 "/docker/" D2, D2, "docker");	/* innermost */
	cg_ok("/machine.slice/libpod-" P1 ".scope/container/docker/" D2, D2, "docker");
	cg_ok("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	      "0b0c4e5e_7d1f_4b57_9a3c_2f8e6a1d9c44.slice/cri-containerd-" C1 ".scope",
	      C1, "containerd");
	cg_ok("/kubepods/burstable/pod" UID "/" C1, C1, "containerd");
	cg_ok("/kubepods/pod" UID "/" C1, C1, "containerd");
	cg_ok("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	      "e3a0d7c2_41b9_4b8e_8f1e_6c5d4b3a2f10.slice/crio-" O1 ".scope", O1, "cri-o");
	cg_ok("/kubepods/besteffort/pod" UID "/crio-" O1, O1, "cri-o");
	cg_ok("/kubepods.slice/kubepods-pod" UID ".slice/docker-" D2 ".scope", D2, "docker");
	cg_ok("/kubepods/besteffort/other/" C1, C1, NULL);	/* generic */
	cg_ok("/kubepods/burstable/pod" UID "/" C1 "/sub", C1, "containerd");
	/* The runtime hint may be NULL. */
	{
		char id[65];

		CHECK_INT(container_id_from_cgroup("/docker/" D1, id, NULL), 1);
		CHECK_STR(id, D1);
	}
}

static void test_cgroup_negative(void)
{
	static const char up[] =
		"1D75B0CFD87F42282279171946BC938455A1939BF01704139922936D87B0F37D";
	char id[65];

	cg_no("/", 0);
	cg_no("/user.slice/user-1000.slice/session-3.scope", 0);
	cg_no("/system.slice/docker.service", 0);
	cg_no("/system.slice/containerd.service", 0);
	cg_no("/init.scope", 0);
	cg_no("garbage", 0);
	cg_no("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	      "e3a0d7c2_41b9_4b8e_8f1e_6c5d4b3a2f10.slice/crio-conmon-" O1 ".scope", 0);
	cg_no("/machine.slice/libpod-conmon-" P1 ".scope", 0);
	cg_no("/kubepods/burstable/pod" UID, 0);
	cg_no("/" D1, 0);			/* bare id, not under docker/kubepods */
	cg_no("/system.slice/" D1, 0);
	cg_no("/docker/" "1d75b0cfd87f42282279171946bc938455a1939bf01704139922936d87b0f37", 0);
	cg_no("/docker/" D1 "0", 0);		/* 65 characters */
	cg_no(fmt("/docker/%s", up), 0);	/* upper case */
	cg_no(fmt("/system.slice/docker-%s.scope", up), 0);
	cg_no("/docker/1d75b0cfd87f42282279171946bc938455a1939bf01704139922936d87b0f3g", 0);
	cg_no("/system.slice/docker-" D1 ".scope.bak", 0);
	cg_no("/system.slice/docker-" D1 "..scope", 0);
	cg_no("/system.slice/docker-" D1 ".slice", 0);
	cg_no("/docker/.." D1, 0);
	cg_no("/docker/../" "..", 0);
	cg_no("/kubepods/../../etc/passwd", 0);
	cg_no("", -EINVAL);
	cg_no(NULL, -EINVAL);
	CHECK_INT(container_id_from_cgroup("/docker/" D1, NULL, NULL), -EINVAL);
	(void)id;
}

/* Very long, slash-only and slash-free paths. */
static void test_cgroup_hostile(void)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < 30000; i++)
		sb_puts(&sb, "a/");
	sb_puts(&sb, "docker-" D1 ".scope");
	cg_ok(sb.p, D1, "docker");
	for (i = 0; i < 3000; i++)
		sb_puts(&sb, "/" C1);		/* many 64-hex components, no match */
	cg_no(sb.p, -ENAMETOOLONG);
	sb_reset(&sb);
	for (i = 0; i < 60000; i++)
		sb_putc(&sb, '/');
	cg_no(sb.p, 0);
	sb_reset(&sb);
	for (i = 0; i < 60000; i++)
		sb_putc(&sb, 'f');
	cg_no(sb.p, 0);
	sb_reset(&sb);
	sb_puts(&sb, "/kubepods");
	for (i = 0; i < 900; i++)
		sb_puts(&sb, "/" C1 "x");
	cg_no(sb.p, 0);
	sb_free(&sb);
}

/* ---- metadata readers ---- */

static void read_ok(const char *id, const char *hint, struct container *c)
{
	memset(c, 0x55, sizeof(*c));
	CHECK_INT(container_read_metadata(&fpaths, id, hint, c), 0);
	CHECK_STR(c->id, id);
	CHECK(strlen(c->short_id) == 12 && !strncmp(c->short_id, id, 12));
}

static void check_k8s(const struct container *c, const char *ns, const char *pod,
		      const char *ctr)
{
	CHECK_STR(c->k8s_namespace, ns);
	CHECK_STR(c->k8s_pod, pod);
	CHECK_STR(c->k8s_container, ctr);
}

static void test_podman(void)
{
	struct container c;

	read_ok(P1, "podman", &c);
	CHECK_STR(c.runtime, "podman");
	CHECK_STR(c.name, "web");
	CHECK_STR(c.image, "docker.io/library/nginx:1.25");
	CHECK_STR(c.rootfs, fmt("%s/podman/overlay/" P1L "/merged", fix));
	check_k8s(&c, "", "", "");
	/* No image-name in metadata: images.json; name from names[]. */
	read_ok(P2, NULL, &c);
	CHECK_STR(c.runtime, "podman");
	CHECK_STR(c.name, "caf\xc3\xa9-db");
	CHECK_STR(c.image, "docker.io/library/postgres:16");
	CHECK_STR(c.rootfs, fmt("%s/podman/overlay/" P2L "/merged", fix));
}

static void test_docker(void)
{
	struct container c;

	read_ok(D1, "docker", &c);
	CHECK_STR(c.short_id, "1d75b0cfd87f");
	CHECK_STR(c.runtime, "docker");
	CHECK_STR(c.name, "web");
	CHECK_STR(c.image, "nginx:1.25");
	CHECK_STR(c.rootfs, fmt("%s/docker/overlay2/" D1M "/merged", fix));
	check_k8s(&c, "", "", "");
	/* A wrong hint only changes the order. */
	read_ok(D1, "podman", &c);
	CHECK_STR(c.runtime, "docker");
	CHECK_STR(c.name, "web");
	/* dockershim / cri-dockerd labels are labels too: no Kubernetes fields. */
	read_ok(D2, NULL, &c);
	CHECK_STR(c.runtime, "docker");
	CHECK_STR(c.name, "k8s_app_frontend-6d4cf56db6-x7k2p_shop_" UID "_0");
	CHECK_STR(c.image, "registry.k8s.io/e2e-test-images/agnhost@sha256:"
		  "7e8bdd271312fd25fc5ff5a8f04727be84044eb3d7d8d03611972a6752e2e11e");
	check_k8s(&c, "", "", "");
	CHECK_STR(c.rootfs, "");
	/* An image with LABEL io.kubernetes.pod.namespace=kube-system. */
	read_ok(D3, "docker", &c);
	CHECK_STR(c.name, "tools");
	CHECK_STR(c.image, "example.com/tools:1");
	check_k8s(&c, "", "", "");
}

/* Kubernetes annotations in the OCI config of a podman container (podman
 * copies image annotations there) or of a containerd container outside
 * the CRI namespace k8s.io are not Kubernetes': no K8S_* fields. */
static void test_k8s_only_cri(void)
{
	static const char ann[] =
		"{\"annotations\":{\"io.container.manager\":\"libpod\","
		"\"io.kubernetes.cri.sandbox-namespace\":\"kube-system\","
		"\"io.kubernetes.pod.namespace\":\"kube-system\","
		"\"io.kubernetes.cri.sandbox-name\":\"etcd-node1\","
		"\"io.kubernetes.cri.container-name\":\"etcd\","
		"\"io.kubernetes.cri-o.Created\":\"2024-04-26T09:12:43Z\"}}";
	struct container_paths p = { 0 };
	struct container c;

	p.podman_storage = fmt("%s/k8s-podman", tmp);
	write_str(fmt("%s/overlay-containers/containers.json", p.podman_storage),
		  "[{\"id\":\"" U1 "\",\"names\":[\"pm\"]}]");
	write_str(fmt("%s/overlay-containers/" U1 "/userdata/config.json",
		      p.podman_storage), ann);
	memset(&c, 0x55, sizeof(c));
	CHECK_INT(container_read_metadata(&p, U1, "podman", &c), 0);
	CHECK_STR(c.runtime, "podman");
	CHECK_STR(c.name, "pm");
	check_k8s(&c, "", "", "");
	/* The same config in CRI-O's run root: podman's (libpod), not CRI-O's. */
	p.podman_storage = NULL;
	p.crio_state = fmt("%s/k8s-crio", tmp);
	write_str(fmt("%s/overlay-containers/" U1 "/userdata/config.json",
		      p.crio_state), ann);
	CHECK_INT(container_read_metadata(&p, U1, "cri-o", &c), -ENOENT);
	/* containerd, namespace "default": not the CRI plugin's. */
	p.crio_state = NULL;
	p.containerd_state = fmt("%s/k8s-containerd", tmp);
	write_str(fmt("%s/io.containerd.runtime.v2.task/default/" U1 "/config.json",
		      p.containerd_state), ann);
	CHECK_INT(container_read_metadata(&p, U1, "containerd", &c), 0);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "");
	check_k8s(&c, "", "", "");
}

static void test_containerd(void)
{
	const char *tasks = fmt("%s/containerd/io.containerd.runtime.v2.task", fix);
	struct container c;

	read_ok(C1, "containerd", &c);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "app");
	CHECK_STR(c.image, "registry.k8s.io/e2e-test-images/agnhost:2.39");
	check_k8s(&c, "shop", "frontend-6d4cf56db6-x7k2p", "app");
	CHECK_STR(c.rootfs, fmt("%s/k8s.io/" C1 "/rootfs", tasks));
	/* The pause container. */
	read_ok(C2, NULL, &c);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "POD");
	CHECK_STR(c.image, "");
	check_k8s(&c, "shop", "frontend-6d4cf56db6-x7k2p", "POD");
	CHECK_STR(c.rootfs, fmt("%s/k8s.io/" C2 "/rootfs", tasks));
	/* Another namespace (docker's "moby"), no CRI annotations. */
	read_ok(C3, "containerd", &c);
	CHECK_STR(c.runtime, "containerd");
	CHECK_STR(c.name, "");
	check_k8s(&c, "", "", "");
	CHECK_STR(c.rootfs, "/var/lib/docker/overlay2/0e2f6d1b9a7c5e3f1d0b8a6c4e2f0d9b"
		  "7a5c3e1f0d8b6a4c2e0f9d7b5a3c1e0f/merged");
}

static void test_crio(void)
{
	struct container c;

	read_ok(O1, "cri-o", &c);
	CHECK_STR(c.runtime, "cri-o");
	CHECK_STR(c.name, "nginx");
	CHECK_STR(c.image, "docker.io/library/nginx:1.25");
	check_k8s(&c, "default", "web-0", "nginx");
	CHECK_STR(c.rootfs, "/var/lib/containers/storage/overlay/" OL "/merged");
	/* podman's run root looks the same but has no CRI-O annotations. */
	memset(&c, 0x55, sizeof(c));
	CHECK_INT(container_read_metadata(&fpaths, O2, "cri-o", &c), -ENOENT);
	CHECK_STR(c.id, O2);
	CHECK_STR(c.name, "");
	CHECK_STR(c.runtime, "");
}

/*
 * crio_state is CRI-O's storage run root (the default shape, here the
 * fixture's root); the value earlier versions shipped, which ends in
 * /overlay-containers, names the same place.
 */
static void test_crio_state(void)
{
	static const char *const suffixes[] = {
		"", "/", "/overlay-containers", "/overlay-containers/",
	};
	struct container_paths p = { 0 };	/* the other runtimes: defaults */
	struct container c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		p.crio_state = fmt("%s/crio%s", fix, suffixes[i]);
		memset(&c, 0x55, sizeof(c));
		if (container_read_metadata(&p, O1, "cri-o", &c) != 0) {
			fprintf(stderr, "crio_state %s: not found\n", p.crio_state);
			CHECK(0);
		}
		CHECK_STR(c.runtime, "cri-o");
		CHECK_STR(c.name, "nginx");
		check_k8s(&c, "default", "web-0", "nginx");
	}
}

static void test_runc(void)
{
	struct container_paths p = fpaths;
	struct container c;

	read_ok(R2, NULL, &c);
	CHECK_STR(c.runtime, "runc");
	CHECK_STR(c.name, "");
	CHECK_STR(c.rootfs, "/srv/bundles/r2/rootfs");
	/* A state.json whose bundle has CRI annotations (written at run time:
	 * the bundle label is an absolute path): the runtime they name, no
	 * Kubernetes fields. */
	p.runc_state = tmp;
	write_str(fmt("%s/" R1 "/state.json", tmp),
		  fmt("{\"id\":\"" R1 "\",\"init_process_pid\":77,\"config\":"
		      "{\"no_pivot_root\":false,\"labels\":[\"other=x\",\"bundle=%s"
		      "/runc-bundles/r1\"],\"mounts\":[]},\"rootless\":false}", fix));
	memset(&c, 0x55, sizeof(c));
	CHECK_INT(container_read_metadata(&p, R1, NULL, &c), 0);
	CHECK_STR(c.runtime, "containerd");
	/* runc's state does not say a CRI runtime made the bundle. */
	CHECK_STR(c.name, "");
	CHECK_STR(c.image, "");
	check_k8s(&c, "", "", "");
	CHECK_STR(c.rootfs, fmt("%s/runc-bundles/r1/rootfs", fix));
}

static void test_read_errors(void)
{
	struct container_paths p = { 0 };
	struct container c;

	memset(&c, 0x55, sizeof(c));
	CHECK_INT(container_read_metadata(&fpaths, U1, "docker", &c), -ENOENT);
	CHECK_STR(c.id, U1);
	CHECK_STR(c.short_id, "8523a018374b");
	CHECK_STR(c.runtime, "");
	CHECK_STR(c.rootfs, "");
	CHECK_INT(container_read_metadata(&fpaths, "8523a018", NULL, &c), -EINVAL);
	CHECK_INT(container_read_metadata(&fpaths, U1 "0", NULL, &c), -EINVAL);
	CHECK_INT(container_read_metadata(&fpaths, NULL, NULL, &c), -EINVAL);
	/* Malformed and oversized files are refused, never crash. */
	p.docker_root = tmp;
	write_str(fmt("%s/containers/" U1 "/config.v2.json", tmp),
		  "{\"Name\":\"/x\",\"Config\":{\"Image\":\"a\"");
	CHECK_INT(container_read_metadata(&p, U1, "docker", &c), -ENOENT);
	{
		size_t n = CONTAINER_JSON_MAX + 10;
		char *big = malloc(n);

		memset(big, ' ', n);
		memcpy(big, "{\"Name\":\"/big\"}", 15);
		write_file(fmt("%s/containers/" U1 "/config.v2.json", tmp), big, n);
		free(big);
	}
	CHECK_INT(container_read_metadata(&p, U1, "docker", &c), -ENOENT);
	/* A hostile mount-id never builds a path outside overlay2. */
	write_str(fmt("%s/containers/" U1 "/config.v2.json", tmp),
		  "{\"Name\":\"/ok\",\"Driver\":\"overlay2\"}");
	write_str(fmt("%s/image/overlay2/layerdb/mounts/" U1 "/mount-id", tmp),
		  "../../../etc");
	CHECK_INT(container_read_metadata(&p, U1, "docker", &c), 0);
	CHECK_STR(c.name, "ok");
	CHECK_STR(c.rootfs, "");
	unlink(fmt("%s/containers/" U1 "/config.v2.json", tmp));
}

/* ---- proof of a claim: what the runtimes record ---- */

/* cgroups of the fixtures' Kubernetes pods under the systemd driver */
#define KPOD_C "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" \
	"0b0c4e5e_7d1f_4b57_9a3c_2f8e6a1d9c44.slice"
#define KPOD_O "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" \
	"e3a0d7c2_41b9_4b8e_8f1e_6c5d4b3a2f10.slice"
/* a user's delegated subtree, where anyone can name a scope */
#define FORGED "/user.slice/user-4242.slice/user@4242.service/app.slice/"

/* Whether an OCI linux.cgroupsPath proves an exec in cgroup is the container's. */
static bool oci_proves(const char *cgroup, const char *path)
{
	struct container_proof pf = { .cgroup = cgroup };

	proof_oci_cgroup(&pf, path);
	return pf.cgroup_ok;
}

/* The same for a cgroup directory as runc's cgroup_paths holds it. */
static bool dir_proves(const char *cgroup, const char *dir)
{
	struct container_proof pf = { .cgroup = cgroup };

	proof_cgroup_dir(&pf, dir);
	return pf.cgroup_ok;
}

/* An OCI linux.cgroupsPath: cgroupfs paths, systemd slice:prefix:name. */
static void test_proof_cgroups(void)
{
	CHECK(oci_proves("/libpod_parent/libpod-" P1, "/libpod_parent/libpod-" P1));
	CHECK(oci_proves("/libpod_parent/libpod-" P1 "/sub", "/libpod_parent/libpod-" P1));
	CHECK(oci_proves("//libpod_parent//libpod-" P1 "/", "/libpod_parent/libpod-" P1));
	CHECK(!oci_proves("/libpod_parent/libpod-" P1 "x", "/libpod_parent/libpod-" P1));
	CHECK(!oci_proves("/libpod_parent", "/libpod_parent/libpod-" P1));
	CHECK(!oci_proves(FORGED "libpod-" P1 ".scope", "/libpod_parent/libpod-" P1));
	CHECK(!oci_proves("/a", "/"));			/* the root proves nothing */
	CHECK(!oci_proves("/", "/"));
	CHECK(!oci_proves("/a", ""));
	CHECK(!oci_proves("/a", NULL));
	CHECK(!oci_proves(NULL, "/a"));
	CHECK(oci_proves("/rel/x", "rel/x"));		/* relative: from the root */
	CHECK(!oci_proves("/a/b", "a:b"));		/* one colon: a path */
	/* systemd driver: slice:prefix:name */
	CHECK(oci_proves("/machine.slice/libpod-" P1 ".scope", "machine.slice:libpod:" P1));
	CHECK(oci_proves("/machine.slice/libpod-" P1 ".scope/container",
			 "machine.slice:libpod:" P1));
	CHECK(oci_proves(KPOD_C "/cri-containerd-" C1 ".scope",
			 "kubepods-burstable-pod0b0c4e5e_7d1f_4b57_9a3c_2f8e6a1d9c44.slice"
			 ":cri-containerd:" C1));
	CHECK(!oci_proves("/kubepods-burstable-pod0b0c4e5e_7d1f_4b57_9a3c_2f8e6a1d9c44.slice"
			  "/cri-containerd-" C1 ".scope",
			  "kubepods-burstable-pod0b0c4e5e_7d1f_4b57_9a3c_2f8e6a1d9c44.slice"
			  ":cri-containerd:" C1));
	CHECK(oci_proves("/system.slice/docker-" D1 ".scope", ":docker:" D1));
	CHECK(oci_proves("/system.slice/" D1 ".scope", "system.slice::" D1));
	CHECK(oci_proves("/p.slice/p-q.slice/x", "other.slice:crio:p-q.slice"));
	CHECK(oci_proves("/crio-" O1 ".scope", "-.slice:crio:" O1));
	CHECK(!oci_proves("/a.slice/a-b.slice/p-x.scope", "a--b.slice:p:x"));
	CHECK(!oci_proves("/a-.slice/p-x.scope", "a-.slice:p:x"));
	CHECK(!oci_proves("/x/p-y.scope", "x:p:y"));	/* not a slice */
	CHECK(!oci_proves("/a.slice/p-a/b.scope", "a.slice:p:a/b"));
	CHECK(!oci_proves("/a.slice/p-.scope", "a.slice:p:"));
}

/* runc's state: cgroup_paths (a hierarchy's mount point, then the path),
 * config.cgroups of the systemd driver. */
static void test_proof_runc_cgroups(void)
{
	struct container_proof pf = { .cgroup = "/system.slice/x.scope" };

	CHECK(dir_proves("/libpod_parent/libpod-" P1,
			 "/sys/fs/cgroup/unified/libpod_parent/libpod-" P1));
	CHECK(dir_proves("/libpod_parent/libpod-" P1,
			 "/sys/fs/cgroup/pids/libpod_parent/libpod-" P1));
	CHECK(dir_proves("/libpod_parent/libpod-" P1, "/sys/fs/cgroup/libpod_parent/libpod-" P1));
	CHECK(!dir_proves("/libpod_parent/libpod-" P1, "/srv/cg/libpod_parent/libpod-" P1));
	CHECK(!dir_proves("/libpod_parent/libpod-" P1, "/sys/fs/cgroupx/libpod_parent/libpod-" P1));
	CHECK(!dir_proves("/libpod_parent", "/sys/fs/cgroup/libpod_parent/libpod-" P1));
	CHECK(!dir_proves("/a", "/sys/fs/cgroup/"));		/* a mount point is no cgroup */
	CHECK(!dir_proves("/a", "/sys/fs/cgroup/pids"));
	proof_systemd_cgroup(&pf, NULL, NULL, "y");
	CHECK(!pf.cgroup_ok);
	proof_systemd_cgroup(&pf, "", "", "x");
	CHECK(pf.cgroup_ok);
	proof_clear(&pf);
	CHECK(!pf.cgroup_ok);
	CHECK_STR(pf.cgroup, "/system.slice/x.scope");
}

/* container_lookup() of path, which its runtime must confirm. */
static const struct container *lk_ok(struct container_cache *cc, const char *path,
				     uint64_t mntns, uint64_t now)
{
	const char *claim = "unset";
	const struct container *c = container_lookup(cc, path, mntns, now, &claim);

	if (!c)
		fprintf(stderr, "not confirmed: %s\n", path);
	CHECK(c != NULL);
	CHECK(claim == NULL);
	return c;
}

/* container_lookup() of path, which must stay a claim of id. */
static void lk_claim(struct container_cache *cc, const char *path, uint64_t mntns,
		     uint64_t now, const char *id)
{
	const char *claim = NULL;

	if (container_lookup(cc, path, mntns, now, &claim)) {
		fprintf(stderr, "confirmed: %s\n", path);
		CHECK(0);
	}
	CHECK(claim != NULL);
	CHECK_STR(claim, id);
}

/* Each runtime confirms its own cgroup; a scope named after it elsewhere,
 * or any name of a container no runtime knows, stays a claim. */
static void test_verify_cgroups(void)
{
	struct container_cache *cc;
	const struct container *c;
	const char *claim = "unset";

	CHECK_INT(container_cache_new(&cc, &fpaths), 0);
	c = lk_ok(cc, "/machine.slice/libpod-" P1 ".scope/container", 0, SEC);
	CHECK_STR(c->name, "web");
	lk_ok(cc, "/machine.slice/libpod-" P1 ".scope", 0, SEC);
	lk_claim(cc, FORGED "libpod-" P1 ".scope", 0, SEC, P1);
	lk_claim(cc, FORGED "libpod-" P1 ".scope/container", 0, SEC, P1);
	lk_claim(cc, "/libpod_parent/libpod-" P1, 0, SEC, P1);
	lk_claim(cc, "/machine.slice/libpod-" P2 ".scope", 0, SEC, P2);	/* no record */
	c = lk_ok(cc, "/system.slice/docker-" D1 ".scope", 0, SEC);
	CHECK_STR(c->name, "web");
	CHECK_STR(c->runtime, "docker");
	lk_claim(cc, FORGED "docker-" D1 ".scope", 0, SEC, D1);
	lk_claim(cc, "/docker/" D1, 0, SEC, D1);
	c = lk_ok(cc, KPOD_C "/cri-containerd-" C1 ".scope", 0, SEC);
	CHECK_STR(c->k8s_namespace, "shop");
	lk_claim(cc, FORGED "cri-containerd-" C1 ".scope", 0, SEC, C1);
	lk_claim(cc, "/kubepods/burstable/pod" UID "/" C1, 0, SEC, C1);
	c = lk_ok(cc, KPOD_O "/crio-" O1 ".scope", 0, SEC);
	CHECK_STR(c->k8s_pod, "web-0");
	lk_claim(cc, FORGED "crio-" O1 ".scope", 0, SEC, O1);
	lk_claim(cc, "/kubepods/besteffort/pod" UID "/" R2, 0, SEC, R2); /* runc: /runc-demo */
	/* made-up ids: the name alone is never enough */
	lk_claim(cc, "/system.slice/docker-" U1 ".scope", 0, SEC, U1);
	lk_claim(cc, KPOD_O "/crio-" U1 ".scope", 0, SEC, U1);
	lk_claim(cc, "/machine.slice/libpod-" U1 ".scope", 0, SEC, U1);
	CHECK(container_lookup(cc, "/user.slice/user-4242.slice/session-1.scope", 0, SEC,
			       &claim) == NULL);
	CHECK(claim == NULL);				/* no claim at all */
	container_cache_free(cc);
}

/* runc's state alone: its cgroup_paths, or its systemd unit. */
static void test_verify_runc(void)
{
	struct container_paths p = fpaths;
	struct container_cache *cc;
	const struct container *c;

	p.runc_state = fmt("%s/verify-runc", tmp);
	write_str(fmt("%s/" R1 "/state.json", p.runc_state),
		  "{\"cgroup_paths\":{\"pids\":\"/sys/fs/cgroup/pids/kubepods/besteffort/pod"
		  UID "/" R1 "\"},\"config\":{\"cgroups\":{\"path\":\"/other\"}}}");
	write_str(fmt("%s/" U1 "/state.json", p.runc_state),
		  "{\"config\":{\"cgroups\":{\"Systemd\":true,\"parent\":\"kubepods-"
		  "besteffort-pode3a0d7c2_41b9_4b8e_8f1e_6c5d4b3a2f10.slice\","
		  "\"scope_prefix\":\"crio\",\"name\":\"" U1 "\",\"path\":\"\"}}}");
	CHECK_INT(container_cache_new(&cc, &p), 0);
	c = lk_ok(cc, "/kubepods/besteffort/pod" UID "/" R1, 0, SEC);
	CHECK_STR(c->runtime, "containerd");		/* the cgroup's guess */
	lk_claim(cc, "/kubepods/burstable/pod" UID "/" R1, 0, SEC, R1);
	lk_ok(cc, KPOD_O "/crio-" U1 ".scope", 0, SEC);
	lk_claim(cc, FORGED "crio-" U1 ".scope", 0, SEC, U1);
	container_cache_free(cc);
}

/* The mount namespace inode of this process. */
static uint64_t self_mntns(void)
{
	struct stat st;

	CHECK_INT(stat("/proc/self/ns/mnt", &st), 0);
	return (uint64_t)st.st_ino;
}

/* Field 22 of /proc/self/stat, this process's start in clock ticks after boot. */
static unsigned long long self_start(void)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long v;
	const char *p;
	int field;

	CHECK_INT(read_file_bounded(AT_FDCWD, "/proc/self/stat", 4096, &sb), 0);
	p = strrchr(sb.p, ')');
	CHECK(p != NULL);
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	CHECK(p != NULL);
	v = strtoull(p + 1, NULL, 10);
	sb_free(&sb);
	return v;
}

/* Whether a runc state of id with this init proves an exec of FORGED in mntns is its. */
static bool runc_init_proves(const char *id, unsigned long long start, uint64_t mntns)
{
	struct container_paths p = fpaths;
	struct container_cache *cc;
	const char *claim = NULL;
	bool ok;

	p.runc_state = fmt("%s/mntns-runc-%llu", tmp, start);
	write_str(fmt("%s/%s/state.json", p.runc_state, id),
		  fmt("{\"init_process_pid\":%d,\"init_process_start\":%llu,"
		      "\"config\":{\"cgroups\":{\"path\":\"/elsewhere\"}}}", (int)getpid(), start));
	CHECK_INT(container_cache_new(&cc, &p), 0);
	ok = container_lookup(cc, FORGED "libpod-" U1 ".scope", mntns, SEC, &claim) != NULL;
	CHECK(ok == (claim == NULL));
	container_cache_free(cc);
	return ok;
}

/* Whether docker's State of U1 with this pid and start time proves an exec of /docker/U1 in mntns is its. */
static bool docker_init_proves(int pid, const char *started, uint64_t mntns)
{
	struct container_paths p = fpaths;
	struct container_cache *cc;
	bool ok;

	p.docker_root = fmt("%s/mntns-docker-%s", tmp, started);
	write_str(fmt("%s/containers/" U1 "/config.v2.json", p.docker_root),
		  fmt("{\"Name\":\"/d\",\"State\":{\"Running\":true,\"Pid\":%d,"
		      "\"StartedAt\":\"%s\"}}", pid, started));
	CHECK_INT(container_cache_new(&cc, &p), 0);
	ok = container_lookup(cc, "/docker/" U1, mntns, SEC, NULL) != NULL;
	container_cache_free(cc);
	return ok;
}

/* An exec in the mount namespace of the container's init is its, whatever its cgroup. */
static void test_verify_mntns(void)
{
	unsigned long long start = self_start();
	uint64_t ns = self_mntns();
	struct container_paths p = fpaths;
	struct container_cache *cc;
	const char *pidfile;
	struct timespec old[2] = { { 946684800, 0 }, { 946684800, 0 } };
	char now[64];
	time_t t = time(NULL) + 5;

	/* runc: the pid and its exact start */
	CHECK(runc_init_proves(U1, start, ns));
	CHECK(!runc_init_proves(U1, start, ns + 1));
	CHECK(!runc_init_proves(U1, start, 0));
	CHECK(!runc_init_proves(U1, start + 1, ns));	/* another process */
	/* docker: the pid, started by the time docker says */
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%S.123456789Z", gmtime(&t));
	CHECK(docker_init_proves((int)getpid(), now, ns));
	CHECK(!docker_init_proves((int)getpid(), now, ns + 1));
	CHECK(!docker_init_proves((int)getpid(), "2000-01-01T00:00:00Z", ns));
	CHECK(!docker_init_proves((int)getpid(), "garbage", ns));
	/* containerd: the init.pid it wrote, by its mtime */
	p.containerd_state = fmt("%s/mntns-containerd", tmp);
	write_str(fmt("%s/" "io.containerd.runtime.v2.task/k8s.io/" U1 "/config.json",
		      p.containerd_state), "{\"linux\":{\"cgroupsPath\":\"/elsewhere\"}}");
	pidfile = fmt("%s/io.containerd.runtime.v2.task/k8s.io/" U1 "/init.pid",
		      p.containerd_state);
	write_str(pidfile, fmt("%d\n", (int)getpid()));
	CHECK_INT(container_cache_new(&cc, &p), 0);
	lk_ok(cc, "/kubepods/besteffort/pod" UID "/" U1, ns, SEC);
	container_cache_free(cc);
	CHECK_INT(utimensat(AT_FDCWD, pidfile, old, 0), 0);	/* written before we ran */
	CHECK_INT(container_cache_new(&cc, &p), 0);
	lk_claim(cc, "/kubepods/besteffort/pod" UID "/" U1, ns, SEC, U1);
	container_cache_free(cc);
}

/* ---- cache ---- */

static void test_cache_hits(void)
{
	const char *dcg = "/system.slice/docker-" D1 ".scope";
	struct container_cache_stats st;
	const struct container *a, *b;
	struct container_cache *cc;
	const char *claim = "unset";

	CHECK_INT(container_cache_new(&cc, &fpaths), 0);
	CHECK(container_lookup(cc, "/user.slice/session-1.scope", 0, 1 * SEC, &claim) == NULL);
	CHECK(claim == NULL);
	a = lk_ok(cc, dcg, 0, 1 * SEC);
	CHECK_STR(a->name, "web");
	CHECK_STR(a->runtime, "docker");
	b = lk_ok(cc, dcg, 0, 2 * SEC);
	CHECK(a == b);
	container_cache_stats(cc, &st);
	CHECK_INT(st.lookups, 2);
	CHECK_INT(st.hits, 1);
	CHECK_INT(st.reads, 1);
	CHECK_INT(st.entries, 1);
	a = lk_ok(cc, KPOD_C "/cri-containerd-" C1 ".scope", 0, 3 * SEC);
	CHECK_STR(a->name, "app");
	CHECK_STR(a->k8s_namespace, "shop");
	a = lk_ok(cc, "/machine.slice/libpod-" P1 ".scope/container", 0, 500 * SEC);
	CHECK_STR(a->image, "docker.io/library/nginx:1.25");
	/* Expiry: D1 was last used at 2 s, C1 at 3 s, P1 at 500 s. */
	container_cache_expire(cc, 3 * SEC + CONTAINER_EXPIRE_USEC);
	container_cache_stats(cc, &st);
	CHECK_INT(st.entries, 2);
	container_cache_expire(cc, 3 * SEC + CONTAINER_EXPIRE_USEC + 1);
	container_cache_stats(cc, &st);
	CHECK_INT(st.entries, 1);
	CHECK_INT(st.evictions, 2);
	container_cache_expire(cc, 500 * SEC + CONTAINER_EXPIRE_USEC + 1);
	container_cache_stats(cc, &st);
	CHECK_INT(st.entries, 0);
	CHECK_INT(st.unverified, 0);
	container_cache_free(cc);
	container_cache_free(NULL);
}

/* Unconfirmed claims are read again once a second; late records are picked up. */
static void test_cache_negative(void)
{
	struct container_paths p = fpaths;
	struct container_cache_stats st;
	const struct container *c;
	struct container_cache *cc;
	const char *cg = "/system.slice/docker-" U1 ".scope";
	uint64_t t0 = 5000 * SEC;
	int i;

	p.docker_root = fmt("%s/late-docker", tmp);
	p.containerd_state = fmt("%s/late-containerd", tmp);
	CHECK_INT(container_cache_new(&cc, &p), 0);
	lk_claim(cc, cg, 0, t0, U1);
	for (i = 0; i < 1000; i++)		/* an exec flood */
		lk_claim(cc, cg, 0, t0 + (uint64_t)i * 999, U1);
	container_cache_stats(cc, &st);
	CHECK_INT(st.reads, 1);
	CHECK_INT(st.hits, 1000);
	CHECK_INT(st.unverified, 1001);
	/* The container's records appear. */
	write_str(fmt("%s/containers/" U1 "/config.v2.json", p.docker_root),
		  "{\"Name\":\"/late\",\"Config\":{\"Image\":\"busybox\"}}");
	write_str(fmt("%s/io.containerd.runtime.v2.task/moby/" U1 "/config.json",
		      p.containerd_state),
		  "{\"linux\":{\"cgroupsPath\":\"system.slice:docker:" U1 "\"}}");
	lk_claim(cc, cg, 0, t0 + SEC - 1, U1);
	c = lk_ok(cc, cg, 0, t0 + SEC);
	CHECK_STR(c->name, "late");
	CHECK_STR(c->image, "busybox");
	container_cache_stats(cc, &st);
	CHECK_INT(st.reads, 2);
	lk_ok(cc, cg, 0, t0 + 100 * SEC);	/* named and confirmed: no refresh */
	container_cache_stats(cc, &st);
	CHECK_INT(st.reads, 2);
	/* Still confirmed once its records are gone (a --rm container). */
	unlink(fmt("%s/containers/" U1 "/config.v2.json", p.docker_root));
	c = lk_ok(cc, cg, 0, t0 + 200 * SEC);
	CHECK_STR(c->name, "late");
	/* A component that is no id claims nothing; a generic kubepods id does. */
	CHECK(container_lookup(cc, "/kubepods/besteffort/x/" R2 "0", 0, t0, NULL) == NULL);
	lk_claim(cc, "/kubepods/besteffort/x/" O2, 0, t0, O2);
	/* podman knows P1, but its record names another cgroup. */
	lk_claim(cc, "/docker/" P1, 0, t0, P1);
	lk_claim(cc, "/kubepods/besteffort/x/" P1, 0, t0 + SEC, P1);
	container_cache_free(cc);
}

static void test_cache_lru(void)
{
	const char *d1 = "/system.slice/docker-" D1 ".scope";
	const char *p1 = "/machine.slice/libpod-" P1 ".scope";
	struct container_cache_stats st;
	struct container_cache *cc;

	CHECK_INT(container_cache_new(&cc, &fpaths), 0);
	container_cache_set_limit(cc, 2);
	lk_ok(cc, d1, 0, SEC);
	lk_claim(cc, "/docker/" D2, 0, SEC, D2);
	lk_ok(cc, d1, 0, SEC);
	lk_ok(cc, p1, 0, SEC);			/* evicts D2's */
	container_cache_stats(cc, &st);
	CHECK_INT(st.entries, 2);
	CHECK_INT(st.evictions, 1);
	CHECK_INT(st.reads, 3);
	CHECK_STR(lk_ok(cc, d1, 0, SEC)->name, "web");
	container_cache_stats(cc, &st);
	CHECK_INT(st.reads, 3);
	lk_claim(cc, "/docker/" D2, 0, SEC, D2);	/* read again */
	container_cache_stats(cc, &st);
	CHECK_INT(st.reads, 4);
	container_cache_set_limit(cc, 0);
	container_cache_stats(cc, &st);
	CHECK_INT(st.entries, 1);
	container_cache_free(cc);
}

/* ---- names inside containers ---- */

static void test_users_fixture(void)
{
	const char *rootfs = fmt("%s/podman/overlay/" P1L "/merged", fix);
	const struct container *c;
	struct container_cache *cc;
	struct container_users *cu;
	char buf[64];

	CHECK_INT(container_cache_new(&cc, &fpaths), 0);
	c = lk_ok(cc, "/machine.slice/libpod-" P1 ".scope/container", 0, SEC);
	CHECK_STR(c->rootfs, rootfs);
	CHECK_INT(container_users_new(&cu), 0);
	CHECK_INT(container_users_name(cu, c->rootfs, 1000, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "appuser");			/* first line of uid 1000 */
	CHECK_INT(container_users_name(cu, c->rootfs, 101, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "nginx");
	CHECK_INT(container_users_name(cu, c->rootfs, 0, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "root");
	CHECK_INT(container_users_name(cu, c->rootfs, 65534, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "nobody");
	CHECK_INT(container_users_name(cu, c->rootfs, 1000, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "appgroup");
	CHECK_INT(container_users_name(cu, c->rootfs, 65534, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "nogroup");
	CHECK_INT(container_users_name(cu, c->rootfs, 1001, false, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(container_users_name(cu, c->rootfs, 2000, false, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(container_users_name(cu, c->rootfs, 12, false, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(container_users_name(cu, c->rootfs, 4294967295u, false, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(container_users_name(cu, c->rootfs, 1000, false, buf, 7), -ERANGE);
	CHECK_INT(container_users_name(cu, c->rootfs, 1000, false, buf, 8), 0);
	CHECK_INT(container_users_name(cu, "relative/root", 0, false, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(container_users_name(cu, fmt("%s/nonexistent", tmp), 0, false, buf,
			     sizeof(buf)), -ENOENT);
	container_users_free(cu);
	container_cache_free(cc);
}

/* The container controls its /etc: symlinks, FIFOs, huge files. */
static void test_users_hostile(void)
{
	const char *r1 = fmt("%s/root-link", tmp), *r2 = fmt("%s/root-etclink", tmp);
	const char *r3 = fmt("%s/root-fifo", tmp), *r4 = fmt("%s/root-big", tmp);
	struct container_users *cu;
	char buf[64], *big;
	size_t n = CONTAINER_USERS_FILE_MAX + 1;
	int r;

	CHECK_INT(container_users_new(&cu), 0);
	container_users_set_recheck(cu, 0);		/* files change under our feet */
	/* etc/passwd -> /etc/passwd (the host's) must not be followed. */
	write_str(fmt("%s/etc/group", r1), "g:x:5:\n");
	CHECK_INT(symlink("/etc/passwd", fmt("%s/etc/passwd", r1)), 0);
	CHECK(container_users_name(cu, r1, 0, false, buf, sizeof(buf)) < 0);
	CHECK_INT(container_users_name(cu, r1, 5, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "g");
	/* etc -> /etc: resolved inside the root, or refused; never the host. */
	mkdir(r2, 0755);
	CHECK_INT(symlink("/etc", fmt("%s/etc", r2)), 0);
	CHECK(container_users_name(cu, r2, 0, false, buf, sizeof(buf)) < 0);
	/* etc -> /inner: resolved inside the root with openat2. */
	unlink(fmt("%s/etc", r2));
	CHECK_INT(symlink("/inner", fmt("%s/etc", r2)), 0);
	write_str(fmt("%s/inner/passwd", r2), "inside:x:7:7::/:/bin/sh\n");
	r = container_users_name(cu, r2, 7, false, buf, sizeof(buf));
	CHECK(r == 0 || r == -ENOENT);		/* -ENOENT: no openat2 */
	if (r == 0)
		CHECK_STR(buf, "inside");
	/* A FIFO does not block. */
	write_str(fmt("%s/etc/group", r3), "");
	CHECK_INT(mkfifo(fmt("%s/etc/passwd", r3), 0644), 0);
	CHECK_INT(container_users_name(cu, r3, 0, false, buf, sizeof(buf)), -EINVAL);
	CHECK_INT(container_users_name(cu, r3, 0, true, buf, sizeof(buf)), -ENOENT);
	/* Too big a file is refused; a too long line is skipped. */
	big = malloc(n);
	memset(big, 'x', n);
	memcpy(big, "big:x:9:9::/:/bin/sh\n", 21);
	write_file(fmt("%s/etc/passwd", r4), big, n);
	CHECK_INT(container_users_name(cu, r4, 9, false, buf, sizeof(buf)), -EFBIG);
	memset(big, 'y', CONTAINER_USERS_LINE_MAX + 100);
	memcpy(big, "long:x:3000:", 12);
	strcpy(big + CONTAINER_USERS_LINE_MAX + 100, "\nshort:x:3001:1::/:/bin/sh\n");
	write_str(fmt("%s/etc/group", r4), big);
	CHECK_INT(container_users_name(cu, r4, 3000, true, buf, sizeof(buf)), -ENOENT);
	CHECK_INT(container_users_name(cu, r4, 3001, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "short");
	free(big);
	container_users_free(cu);
}

/* Whether inotify reports an IN_OPEN or IN_ACCESS of the node watched by in. */
static bool node_touched(int in)
{
	char ev[4096];

	return read(in, ev, sizeof(ev)) > 0;
}

/*
 * etc/passwd of root is the node at path: the lookup fails at once with
 * -EINVAL and never opens the node for reading (inotify sees no open: an
 * O_PATH open does not show there, checked first on this kernel).
 */
static void node_refused(struct container_users *cu, const char *root,
			 const char *path)
{
	char buf[64];
	bool opath_seen;
	int in, fd;

	in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	CHECK(in >= 0);
	CHECK(inotify_add_watch(in, path, IN_OPEN | IN_ACCESS) >= 0);
	fd = open(path, O_PATH | O_CLOEXEC);
	CHECK(fd >= 0);
	close(fd);
	opath_seen = node_touched(in);
	alarm(10);			/* a blocking open would hang here */
	CHECK_INT(container_users_name(cu, root, 0, false, buf, sizeof(buf)), -EINVAL);
	alarm(0);
	if (!opath_seen)
		CHECK(!node_touched(in));
	CHECK_INT(container_users_name(cu, root, 5, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "g");
	close(in);
}

/* etc/passwd a FIFO, then (as root) a character device: refused unopened. */
static void test_users_nodes(void)
{
	const char *root = fmt("%s/root-nodes", tmp);
	const char *pw = fmt("%s/etc/passwd", root);
	struct container_users *cu;

	CHECK_INT(container_users_new(&cu), 0);
	container_users_set_recheck(cu, 0);
	write_str(fmt("%s/etc/group", root), "g:x:5:\n");
	CHECK_INT(mkfifo(pw, 0644), 0);
	node_refused(cu, root, pw);
	CHECK_INT(unlink(pw), 0);
	if (geteuid() == 0) {
		/* /dev/zero's numbers: reading it would never end */
		CHECK_INT(mknod(pw, S_IFCHR | 0644, makedev(1, 5)), 0);
		node_refused(cu, root, pw);
	} else {
		fprintf(stderr, "test-container: not root, no device node test\n");
	}
	container_users_free(cu);
}

/* head, then members "a,a,...": a line of exactly len bytes and a newline. */
static void member_line(struct strbuf *sb, const char *head, size_t len)
{
	size_t start = sb->len;

	sb_puts(sb, head);
	sb_putc(sb, 'a');
	while (sb->len - start + 2 <= len)
		sb_puts(sb, ",a");
	if (sb->len - start < len)
		sb_putc(sb, 'b');
	CHECK_INT(sb->len - start, len);
	sb_putc(sb, '\n');
}

/* Lines as glibc's parser reads them; the line length cap to the byte. */
static void test_users_lines(void)
{
	const char *root = fmt("%s/root-lines", tmp);
	const size_t max = CONTAINER_USERS_LINE_MAX;
	static const uint32_t none[] = { 3101, 3102, 3104, 3105, 3106, 3107, 3202, 3203 };
	struct strbuf sb = STRBUF_INIT;
	struct container_users *cu;
	char buf[64];
	size_t i;

	CHECK_INT(container_users_new(&cu), 0);
	/* As many group members as fit in the longest line taken; a byte
	 * more is skipped, so is a line longer than glibc's buffer. */
	member_line(&sb, "dense:x:3100:", max);
	member_line(&sb, "over:x:3101:", max + 1);
	member_line(&sb, "huge:x:3102:", 8 * max);
	/* Leading blanks go; comments, NIS entries and empty names are skipped. */
	sb_puts(&sb, "  spaced:x:3103:\n#c:x:3104:\n-:x:3105:\n+nis:x:3106:\n:x:3107:\n"
		"last:x:3108:");
	write_str(fmt("%s/etc/group", root), sb.p);
	sb_reset(&sb);
	member_line(&sb, "exact:x:3200:0::/:/", max);
	member_line(&sb, "over:x:3202:0::/:/", max + 1);
	member_line(&sb, "huge:x:3203:0::/:/", 8 * max);
	sb_puts(&sb, "after:x:3201:0::/:/bin/sh\n");
	write_str(fmt("%s/etc/passwd", root), sb.p);
	sb_free(&sb);
	CHECK_INT(container_users_name(cu, root, 3100, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "dense");
	CHECK_INT(container_users_name(cu, root, 3103, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "spaced");
	CHECK_INT(container_users_name(cu, root, 3108, true, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "last");
	CHECK_INT(container_users_name(cu, root, 3200, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "exact");
	CHECK_INT(container_users_name(cu, root, 3201, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "after");
	for (i = 0; i < ARRAY_SIZE(none); i++)
		CHECK_INT(container_users_name(cu, root, none[i], none[i] < 3200, buf,
					       sizeof(buf)), -ENOENT);
	container_users_free(cu);
}

/* A changed file (new mtime) is read again. */
static void test_users_reload(void)
{
	const char *root = fmt("%s/root-reload", tmp);
	const char *pw = fmt("%s/etc/passwd", root);
	struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct container_users *cu;
	char buf[64];
	int i;

	CHECK_INT(container_users_new(&cu), 0);
	write_str(pw, "alice:x:1000:1000::/home/alice:/bin/sh\n");
	CHECK_INT(utimensat(AT_FDCWD, pw, ts, 0), 0);
	CHECK_INT(container_users_name(cu, root, 1000, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "alice");
	container_users_set_recheck(cu, 0);
	write_str(pw, "bob:x:1000:1000::/home/bob:/bin/sh\n");
	ts[1].tv_sec++;
	CHECK_INT(utimensat(AT_FDCWD, pw, ts, 0), 0);
	CHECK_INT(container_users_name(cu, root, 1000, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "bob");
	unlink(pw);
	CHECK_INT(container_users_name(cu, root, 1000, false, buf, sizeof(buf)), -ENOENT);
	/* More root file systems than slots. */
	for (i = 0; i < CONTAINER_USERS_ROOTS + 5; i++)
		write_str(fmt("%s/many%d/etc/passwd", tmp, i),
			  fmt("user%d:x:%d:0::/:/bin/sh\n", i, i));
	for (i = 0; i < CONTAINER_USERS_ROOTS + 5; i++) {
		CHECK_INT(container_users_name(cu, fmt("%s/many%d", tmp, i), (uint32_t)i,
				     false, buf, sizeof(buf)), 0);
		CHECK_STR(buf, fmt("user%d", i));
	}
	CHECK_INT(container_users_name(cu, fmt("%s/many0", tmp), 0, false, buf, sizeof(buf)), 0);
	CHECK_STR(buf, "user0");
	container_users_free(cu);
}

int main(void)
{
	setup();
	test_cgroup_positive();
	test_cgroup_negative();
	test_cgroup_hostile();
	test_podman();
	test_docker();
	test_k8s_only_cri();
	test_containerd();
	test_crio();
	test_crio_state();
	test_runc();
	test_read_errors();
	test_proof_cgroups();
	test_proof_runc_cgroups();
	test_verify_cgroups();
	test_verify_runc();
	test_verify_mntns();
	test_cache_hits();
	test_cache_negative();
	test_cache_lru();
	test_users_fixture();
	test_users_hostile();
	test_users_nodes();
	test_users_lines();
	test_users_reload();
	CHECK_DONE();
}
