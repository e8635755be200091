/* container.c: container ids from cgroup paths, runtime metadata, and a cache. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich/container.h"
#include "core/log.h"
#include "core/util.h"
#include "enrich/statefile.h"

#define ID_LEN		64
#define CGROUP_PATH_MAX	65536	/* longer cgroup paths are refused */
#define NS_SCAN_MAX	64	/* containerd namespaces examined per lookup */
#define MOUNT_ID_MAX	4096	/* size limit of docker's mount-id file */
#define HASH_BUCKETS	8192	/* power of two */
#define TASKS_DIR	"io.containerd.runtime.v2.task"

/* ---- cgroup path to container id ---- */

struct cg_match {
	const char *runtime;	/* NULL: unknown */
	bool certain;		/* the cgroup name itself says which runtime */
};

static const struct {
	const char *prefix;
	const char *runtime;
} cg_prefixes[] = {
	{ "libpod-", "podman" },
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
};

static bool is_id(const char *s, size_t len)
{
	size_t i;

	if (len != ID_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The ID of component s[0..len) if "<prefix>ID[.scope]", else NULL. */
static const char *match_prefixed(const char *s, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (len < pl || memcmp(s, prefix, pl))
		return NULL;
	s += pl;
	len -= pl;
	if (len == ID_LEN + 6 && !memcmp(s + ID_LEN, ".scope", 6))
		len = ID_LEN;
	return is_id(s, len) ? s : NULL;
}

/* The component that ends before pos (slashes skipped); false if none. */
static bool comp_before(const char *path, const char *pos, const char **cs,
			size_t *clen)
{
	const char *e = pos;

	while (e > path && e[-1] == '/')
		e--;
	if (e == path)
		return false;
	*cs = e;
	while (*cs > path && (*cs)[-1] != '/')
		(*cs)--;
	*clen = (size_t)(e - *cs);
	return true;
}

/* Start of the first component named kubepods*, or NULL. */
static const char *kubepods_start(const char *path)
{
	const char *s = path;

	for (;;) {
		while (*s == '/')
			s++;
		if (!*s)
			return NULL;
		if (!strncmp(s, "kubepods", 8))
			return s;
		s = strchrnul(s, '/');
	}
}

/* The ID in component cs[0..len) if it names a container (fills m), or NULL. */
static const char *match_comp(const char *path, const char *cs, size_t len,
			      const char *kube, struct cg_match *m)
{
	const char *ps, *id;
	size_t i, pl;
	bool parent;

	for (i = 0; i < ARRAY_SIZE(cg_prefixes); i++) {
		id = match_prefixed(cs, len, cg_prefixes[i].prefix);
		if (id) {
			m->runtime = cg_prefixes[i].runtime;
			m->certain = true;
			return id;
		}
	}
	if (!is_id(cs, len))
		return NULL;
	parent = comp_before(path, cs, &ps, &pl);
	if (parent && pl == 6 && !memcmp(ps, "docker", 6)) {
		m->runtime = "docker";
		m->certain = true;
		return cs;
	}
	if (!kube || kube >= cs)
		return NULL;
	/* cgroupfs driver: /kubepods/<qos>/pod<uid>/ID (CRI, not certain). */
	m->runtime = parent && pl > 3 && !memcmp(ps, "pod", 3) ? "containerd" : NULL;
	m->certain = false;
	return cs;
}

/* container_id_from_cgroup() with how sure the runtime guess is. */
static int cg_parse(const char *path, char id[65], struct cg_match *m)
{
	const char *pos, *cs, *kube, *found;
	size_t len, clen;

	if (!path || !id)
		return -EINVAL;
	len = strnlen(path, CGROUP_PATH_MAX);
	if (len == 0)
		return -EINVAL;
	if (len == CGROUP_PATH_MAX)
		return -ENAMETOOLONG;
	kube = kubepods_start(path);
	for (pos = path + len; comp_before(path, pos, &cs, &clen); pos = cs) {
		found = match_comp(path, cs, clen, kube, m);
		if (found) {
			memcpy(id, found, ID_LEN);
			id[ID_LEN] = '\0';
			return 1;
		}
	}
	return 0;
}

int container_id_from_cgroup(const char *cgroup_path, char id[65],
			     const char **runtime_hint)
{
	struct cg_match m = { NULL, false };
	int r = cg_parse(cgroup_path, id, &m);

	if (runtime_hint)
		*runtime_hint = r > 0 ? m.runtime : NULL;
	return r;
}

/* ---- helpers for the metadata readers ---- */

static const struct container_paths default_paths = {
	.podman_storage = "/var/lib/containers/storage",
	.docker_root = "/var/lib/docker",
	.containerd_state = "/run/containerd",
	.crio_state = "/run/containers/storage",
	.runc_state = "/run/runc",
};

/* snprintf into a path buffer; -ENAMETOOLONG when it does not fit. */
static int __attribute__((format(printf, 3, 4)))
path_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

/* Copy src (if not NULL) into dst[size], cut at a UTF-8 character start. */
static void copy_str(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src)
		return;
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

#define SET(dst, src)		copy_str((dst), sizeof(dst), (src))
#define SET_IF_EMPTY(dst, src)	do { if (!(dst)[0]) SET(dst, src); } while (0)

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* A single path component made of [A-Za-z0-9._-], not "." or "..". */
static bool is_safe_name(const char *s)
{
	size_t n;

	if (!s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789._-");
	return n > 0 && n < NAME_MAX && !s[n];
}

/* Set out->rootfs from an absolute path or one relative to base. */
static void set_rootfs(struct container *out, const char *base, const char *path)
{
	if (out->rootfs[0] || !path || !*path)
		return;
	if (path[0] == '/')
		path_fmt(out->rootfs, sizeof(out->rootfs), "%s", path);
	else if (base)
		path_fmt(out->rootfs, sizeof(out->rootfs), "%s/%s", base, path);
}

#define CFIELD(f) offsetof(struct container, f), sizeof(((struct container *)0)->f)

/* Annotations and labels, highest priority first per field. */
static const struct {
	const char *key;
	size_t off, size;
} annot_map[] = {
	{ "io.kubernetes.cri.container-name", CFIELD(k8s_container) },
	{ "io.kubernetes.container.name", CFIELD(k8s_container) },
	{ "io.kubernetes.cri.sandbox-name", CFIELD(k8s_pod) },
	{ "io.kubernetes.pod.name", CFIELD(k8s_pod) },
	{ "io.kubernetes.cri.sandbox-namespace", CFIELD(k8s_namespace) },
	{ "io.kubernetes.pod.namespace", CFIELD(k8s_namespace) },
	{ "io.kubernetes.cri.image-name", CFIELD(image) },
	{ "io.kubernetes.cri-o.ImageName", CFIELD(image) },
};

/* Fill empty fields from Kubernetes annotations (CRI, CRI-O, dockershim). */
static void apply_annotations(const struct json_object *ann, struct container *out)
{
	const char *s;
	char *field;
	size_t i;

	if (!json_object_is_type(ann, json_type_object))
		return;
	for (i = 0; i < ARRAY_SIZE(annot_map); i++) {
		field = (char *)out + annot_map[i].off;
		s = statefile_get_str(ann, annot_map[i].key);
		if (s && *s && !field[0])
			copy_str(field, annot_map[i].size, s);
	}
	if (streq(statefile_get_str(ann, "io.kubernetes.cri.container-type"), "sandbox") ||
	    streq(statefile_get_str(ann, "io.kubernetes.cri-o.ContainerType"), "sandbox"))
		SET_IF_EMPTY(out->k8s_container, "POD");
	SET_IF_EMPTY(out->name, out->k8s_container);
	SET_IF_EMPTY(out->name, statefile_get_str(ann, "io.kubernetes.cri-o.Name"));
}

/* Runtime that made an OCI bundle, judged by its annotations; NULL if unknown. */
static const char *runtime_from_annotations(const struct json_object *ann)
{
	if (statefile_has_key_prefix(ann, "io.kubernetes.cri-o."))
		return "cri-o";
	if (statefile_has_key_prefix(ann, "io.kubernetes.cri."))
		return "containerd";
	if (streq(statefile_get_str(ann, "io.container.manager"), "libpod"))
		return "podman";
	return NULL;
}

/* Parse <bundle>/config.json (an OCI runtime spec) into *spec. */
static int oci_load(struct json_object **spec, const char *bundle)
{
	char path[PATH_MAX];
	int r;

	*spec = NULL;
	r = path_fmt(path, sizeof(path), "%s/config.json", bundle);
	if (r < 0)
		return r;
	return statefile_read(path, CONTAINER_JSON_MAX, spec);
}

/* Fill empty fields from an OCI spec: annotations, then root.path. */
static void oci_apply(const struct json_object *spec, const char *bundle,
		      struct container *out)
{
	apply_annotations(statefile_get(spec, "annotations"), out);
	set_rootfs(out, bundle, statefile_get_str(statefile_get(spec, "root"), "path"));
}

/* The element of an array of objects whose "id" is id; NULL if none. */
static struct json_object *find_by_id(const struct json_object *arr,
				       const char *id)
{
	struct json_object *item;
	size_t i;

	for (i = 0; (item = statefile_at(arr, i)); i++)
		if (streq(statefile_get_str(item, "id"), id))
			return item;
	return NULL;
}

/* ---- podman (containers-storage) ---- */

/* Name and image from the JSON document libpod keeps in "metadata". */
static void podman_metadata(const struct json_object *ctr, struct container *out)
{
	struct json_object *meta = statefile_get(ctr, "metadata"), *doc;

	if (!json_object_is_type(meta, json_type_string))
		return;
	if (statefile_parse(json_object_get_string(meta),
			    (size_t)json_object_get_string_len(meta), &doc) == 0) {
		SET(out->name, statefile_get_str(doc, "name"));
		SET(out->image, statefile_get_str(doc, "image-name"));
	}
	json_object_put(doc);
}

/* Image name of image_id from overlay-images/images.json, else the id. */
static void podman_image(const char *storage, const char *image_id,
			 struct container *out)
{
	struct json_object *doc = NULL, *img;
	char path[PATH_MAX];

	if (!image_id)
		return;
	if (path_fmt(path, sizeof(path), "%s/overlay-images/images.json",
		     storage) == 0 &&
	    statefile_read(path, CONTAINER_LIST_MAX, &doc) == 0) {
		img = find_by_id(doc, image_id);
		SET(out->image, statefile_str(statefile_at(statefile_get(img, "names"), 0)));
	}
	json_object_put(doc);
	SET_IF_EMPTY(out->image, image_id);
}

/* Annotations and root.path from the container's userdata/config.json. */
static void podman_userdata(const char *storage, const char *id,
			    struct container *out)
{
	struct json_object *spec = NULL;
	char bundle[PATH_MAX];

	if (path_fmt(bundle, sizeof(bundle), "%s/overlay-containers/%s/userdata",
		     storage, id) == 0 && oci_load(&spec, bundle) == 0)
		oci_apply(spec, bundle, out);
	json_object_put(spec);
}

/* podman: overlay-containers/containers.json. 0, -ENOENT or -errno. */
static int read_podman(const struct container_paths *p, const char *id,
		       struct container *out)
{
	const char *st = p->podman_storage, *layer;
	struct json_object *doc = NULL, *ctr;
	char path[PATH_MAX];
	int r;

	r = path_fmt(path, sizeof(path), "%s/overlay-containers/containers.json", st);
	if (r == 0)
		r = statefile_read(path, CONTAINER_LIST_MAX, &doc);
	if (r < 0)
		goto out;
	ctr = find_by_id(doc, id);
	if (!ctr) {
		r = -ENOENT;
		goto out;
	}
	SET(out->runtime, "podman");
	podman_metadata(ctr, out);
	SET_IF_EMPTY(out->name, statefile_str(statefile_at(statefile_get(ctr, "names"), 0)));
	if (!out->image[0])
		podman_image(st, statefile_get_str(ctr, "image"), out);
	layer = statefile_get_str(ctr, "layer");
	if (is_safe_name(layer))
		path_fmt(out->rootfs, sizeof(out->rootfs), "%s/overlay/%s/merged",
			 st, layer);
	podman_userdata(st, id, out);
out:
	json_object_put(doc);
	return r;
}

/* ---- docker ---- */

/* Rootfs of an overlay2 container: layerdb/mounts/ID/mount-id. */
static void docker_rootfs(const char *root, const char *id, struct container *out)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];

	if (path_fmt(path, sizeof(path), "%s/image/overlay2/layerdb/mounts/%s/mount-id",
		     root, id) < 0 ||
	    read_file_bounded(AT_FDCWD, path, MOUNT_ID_MAX, &sb) < 0)
		goto out;
	while (sb.len && (sb.p[sb.len - 1] == '\n' || sb.p[sb.len - 1] == ' '))
		sb.p[--sb.len] = '\0';
	if (is_safe_name(sb.p))
		path_fmt(out->rootfs, sizeof(out->rootfs), "%s/overlay2/%s/merged",
			 root, sb.p);
out:
	sb_free(&sb);
}

/* docker: containers/ID/config.v2.json. 0, -ENOENT or -errno. */
static int read_docker(const struct container_paths *p, const char *id,
		       struct container *out)
{
	struct json_object *doc = NULL, *cfg;
	const char *name, *driver;
	char path[PATH_MAX];
	int r;

	r = path_fmt(path, sizeof(path), "%s/containers/%s/config.v2.json",
		     p->docker_root, id);
	if (r == 0)
		r = statefile_read(path, CONTAINER_JSON_MAX, &doc);
	if (r < 0)
		goto out;
	SET(out->runtime, "docker");
	name = statefile_get_str(doc, "Name");
	SET(out->name, name && *name == '/' ? name + 1 : name);
	cfg = statefile_get(doc, "Config");
	SET(out->image, statefile_get_str(cfg, "Image"));
	apply_annotations(statefile_get(cfg, "Labels"), out);
	driver = statefile_get_str(doc, "Driver");
	if (!driver || !strcmp(driver, "overlay2"))
		docker_rootfs(p->docker_root, id, out);
out:
	json_object_put(doc);
	return r;
}

/* ---- containerd (CRI) ---- */

/* Bundle dir of id: namespace k8s.io first, then any other. 0 or -errno. */
static int containerd_bundle(const char *state, const char *id, char *buf,
			     size_t size)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int r, n = 0;
	DIR *d;

	r = path_fmt(dir, sizeof(dir), "%s/" TASKS_DIR, state);
	if (r < 0)
		return r;
	if (path_fmt(buf, size, "%s/k8s.io/%s", dir, id) == 0 &&
	    access(buf, F_OK) == 0)
		return 0;
	d = opendir(dir);
	if (!d)
		return -errno;
	r = -ENOENT;
	while (r < 0 && n++ < NS_SCAN_MAX && (de = readdir(d))) {
		if (!is_safe_name(de->d_name) || !strcmp(de->d_name, "k8s.io"))
			continue;
		if (path_fmt(buf, size, "%s/%s/%s", dir, de->d_name, id) == 0 &&
		    access(buf, F_OK) == 0)
			r = 0;
	}
	closedir(d);
	return r;
}

/* containerd: the task's OCI bundle. 0, -ENOENT or -errno. */
static int read_containerd(const struct container_paths *p, const char *id,
			   struct container *out)
{
	struct json_object *spec = NULL;
	char bundle[PATH_MAX];
	int r;

	r = containerd_bundle(p->containerd_state, id, bundle, sizeof(bundle));
	if (r == 0)
		r = oci_load(&spec, bundle);
	if (r == 0) {
		SET(out->runtime, "containerd");
		oci_apply(spec, bundle, out);
	}
	json_object_put(spec);
	return r;
}

/* ---- CRI-O ---- */

/* CRI-O: overlay-containers/ID/userdata/config.json. 0, -ENOENT or -errno. */
static int read_crio(const struct container_paths *p, const char *id,
		     struct container *out)
{
	struct json_object *spec = NULL, *ann;
	char bundle[PATH_MAX];
	int r;

	r = path_fmt(bundle, sizeof(bundle), "%s/overlay-containers/%s/userdata",
		     p->crio_state, id);
	if (r == 0)
		r = oci_load(&spec, bundle);
	if (r < 0)
		goto out;
	ann = statefile_get(spec, "annotations");
	/* podman's run root has the same layout: insist on CRI-O's keys. */
	if (!statefile_has_key_prefix(ann, "io.kubernetes.cri-o.")) {
		r = -ENOENT;
		goto out;
	}
	SET(out->runtime, "cri-o");
	set_rootfs(out, NULL, statefile_get_str(ann, "io.kubernetes.cri-o.MountPoint"));
	oci_apply(spec, bundle, out);
out:
	json_object_put(spec);
	return r;
}

/* ---- runc state (fallback) ---- */

/* The bundle=/path label of runc's config.labels; NULL if none. */
static const char *runc_bundle(const struct json_object *labels)
{
	struct json_object *v;
	const char *s;
	size_t i;

	for (i = 0; (v = statefile_at(labels, i)); i++) {
		s = statefile_str(v);
		if (s && !strncmp(s, "bundle=/", 8))
			return s + 7;
	}
	return NULL;
}

/* Apply the bundle's OCI spec and guess the runtime from it. */
static void runc_apply_bundle(const char *bundle, struct container *out)
{
	struct json_object *spec = NULL;

	if (bundle && strlen(bundle) < PATH_MAX && oci_load(&spec, bundle) == 0) {
		oci_apply(spec, bundle, out);
		SET_IF_EMPTY(out->runtime, runtime_from_annotations(
				     statefile_get(spec, "annotations")));
	}
	json_object_put(spec);
}

/* runc: <runc_state>/ID/state.json. 0, -ENOENT or -errno. */
static int read_runc(const struct container_paths *p, const char *id,
		     struct container *out)
{
	struct json_object *doc = NULL, *cfg;
	char path[PATH_MAX];
	int r;

	r = path_fmt(path, sizeof(path), "%s/%s/state.json", p->runc_state, id);
	if (r == 0)
		r = statefile_read(path, CONTAINER_JSON_MAX, &doc);
	if (r < 0)
		goto out;
	cfg = statefile_get(doc, "config");
	set_rootfs(out, NULL, statefile_get_str(cfg, "rootfs"));
	runc_apply_bundle(runc_bundle(statefile_get(cfg, "labels")), out);
out:
	json_object_put(doc);
	return r;
}

/* ---- metadata lookup ---- */

typedef int (*reader_fn)(const struct container_paths *p, const char *id,
			 struct container *out);

static const struct {
	const char *runtime;
	reader_fn read;
} readers[] = {
	{ "podman", read_podman },
	{ "docker", read_docker },
	{ "containerd", read_containerd },
	{ "cri-o", read_crio },
	{ "runc", read_runc },
};

static void container_reset(struct container *c, const char *id)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->id, id, ID_LEN);
	memcpy(c->short_id, id, 12);
}

/* Run reader i; 0 when it knows the container. */
static int try_reader(size_t i, const struct container_paths *p, const char *id,
		      const char *hint, struct container *out)
{
	int r;

	container_reset(out, id);
	r = readers[i].read(p, id, out);
	if (r == 0)
		SET_IF_EMPTY(out->runtime, hint ? hint : readers[i].runtime);
	else if (r != -ENOENT && r != -ENOTDIR)
		log_debug("container %.12s: %s metadata: %s", id,
			  readers[i].runtime, strerror(-r));
	return r;
}

/*
 * Whether reader i can know a container whose cgroup name says it belongs
 * to runtime `certain` (NULL: any reader can). This spares reading
 * containers.json, which can be large, for every unknown docker id.
 */
static bool reader_fits(size_t i, const char *certain)
{
	const char *rt = readers[i].runtime;

	return !certain || streq(rt, certain) || streq(rt, "runc") ||
	       (streq(certain, "docker") && streq(rt, "containerd"));
}

/* container_read_metadata(), trying only the readers that fit `certain`. */
static int read_metadata(const struct container_paths *paths, const char *id,
			 const char *hint, const char *certain,
			 struct container *out)
{
	struct container_paths p = default_paths;
	size_t i, first = ARRAY_SIZE(readers);

	if (!id || !out || !is_id(id, strnlen(id, ID_LEN + 1)))
		return -EINVAL;
	if (paths) {
		p.podman_storage = paths->podman_storage ?: p.podman_storage;
		p.docker_root = paths->docker_root ?: p.docker_root;
		p.containerd_state = paths->containerd_state ?: p.containerd_state;
		p.crio_state = paths->crio_state ?: p.crio_state;
		p.runc_state = paths->runc_state ?: p.runc_state;
	}
	for (i = 0; i < ARRAY_SIZE(readers); i++)
		if (streq(hint, readers[i].runtime))
			first = i;
	if (first < ARRAY_SIZE(readers) && try_reader(first, &p, id, hint, out) == 0)
		return 0;
	for (i = 0; i < ARRAY_SIZE(readers); i++)
		if (i != first && reader_fits(i, certain) &&
		    try_reader(i, &p, id, hint, out) == 0)
			return 0;
	container_reset(out, id);
	return -ENOENT;
}

int container_read_metadata(const struct container_paths *paths,
			    const char *id, const char *runtime_hint,
			    struct container *out)
{
	return read_metadata(paths, id, runtime_hint, NULL, out);
}

/* ---- cache ---- */

struct centry {
	struct container c;
	uint64_t fetched_usec, used_usec;
	struct centry *hnext;		/* hash chain */
	struct centry *prev, *next;	/* LRU list, most recent first */
};

struct container_cache {
	struct container_paths paths;	/* strings owned */
	struct centry *buckets[HASH_BUCKETS];
	struct centry *head, *tail;
	size_t n, max;
	struct container_cache_stats st;
};

static uint32_t id_hash(const char *id)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < ID_LEN; i++)
		h = (h ^ (unsigned char)id[i]) * 16777619u;
	return h & (HASH_BUCKETS - 1);
}

static void paths_free(struct container_paths *p)
{
	free((char *)p->podman_storage);
	free((char *)p->docker_root);
	free((char *)p->containerd_state);
	free((char *)p->crio_state);
	free((char *)p->runc_state);
}

/* Copy one path setting (NULL stays NULL); false on ENOMEM. */
static bool dup_path(const char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return !src || *dst;
}

int container_cache_new(struct container_cache **out,
			const struct container_paths *paths)
{
	struct container_paths none = { 0 };
	struct container_cache *c;

	if (!paths)
		paths = &none;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->max = CONTAINER_CACHE_MAX;
	if (!dup_path(&c->paths.podman_storage, paths->podman_storage) ||
	    !dup_path(&c->paths.docker_root, paths->docker_root) ||
	    !dup_path(&c->paths.containerd_state, paths->containerd_state) ||
	    !dup_path(&c->paths.crio_state, paths->crio_state) ||
	    !dup_path(&c->paths.runc_state, paths->runc_state))
		goto fail;
	*out = c;
	return 0;
fail:
	paths_free(&c->paths);
	free(c);
	return -ENOMEM;
}

static void lru_unlink(struct container_cache *c, struct centry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push(struct container_cache *c, struct centry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head)
		c->head->prev = e;
	c->head = e;
	if (!c->tail)
		c->tail = e;
}

/* Unlink e from the hash and the LRU list, and free it. */
static void entry_remove(struct container_cache *c, struct centry *e)
{
	struct centry **pp = &c->buckets[id_hash(e->c.id)];

	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	lru_unlink(c, e);
	free(e);
	c->n--;
	c->st.evictions++;
}

void container_cache_free(struct container_cache *c)
{
	struct centry *e, *next;

	if (!c)
		return;
	for (e = c->head; e; e = next) {
		next = e->next;
		free(e);
	}
	paths_free(&c->paths);
	free(c);
}

void container_cache_set_limit(struct container_cache *c, size_t max)
{
	c->max = max ? max : 1;
	while (c->n > c->max)
		entry_remove(c, c->tail);
}

static struct centry *entry_find(struct container_cache *c, const char *id)
{
	struct centry *e;

	for (e = c->buckets[id_hash(id)]; e; e = e->hnext)
		if (!memcmp(e->c.id, id, ID_LEN))
			return e;
	return NULL;
}

/* A new entry for id (evicting the least recently used); NULL on ENOMEM. */
static struct centry *entry_add(struct container_cache *c, const char *id)
{
	struct centry *e;
	uint32_t h;

	if (c->n >= c->max)
		entry_remove(c, c->tail);
	e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	container_reset(&e->c, id);
	h = id_hash(id);
	e->hnext = c->buckets[h];
	c->buckets[h] = e;
	lru_push(c, e);
	c->n++;
	return e;
}

/* Read metadata into e; on a miss keep what it had (runtime from cgroup). */
static void entry_fetch(struct container_cache *c, struct centry *e,
			const struct cg_match *m, uint64_t now_usec)
{
	struct container tmp;

	c->st.reads++;
	e->fetched_usec = now_usec;
	if (read_metadata(&c->paths, e->c.id, m->runtime,
			  m->certain ? m->runtime : NULL, &tmp) == 0)
		e->c = tmp;
	else if (m->certain)
		SET_IF_EMPTY(e->c.runtime, m->runtime);
}

/* Entries without a name are re-read once they are a second old. */
static bool entry_stale(const struct centry *e, uint64_t now_usec)
{
	if (e->c.name[0])
		return false;
	return now_usec < e->fetched_usec ||
	       now_usec - e->fetched_usec >= CONTAINER_REFRESH_USEC;
}

const struct container *container_lookup(struct container_cache *c,
					 const char *cgroup_path,
					 uint64_t now_usec)
{
	struct cg_match m = { NULL, false };
	struct centry *e;
	char id[ID_LEN + 1];

	if (!c || cg_parse(cgroup_path, id, &m) <= 0)
		return NULL;
	c->st.lookups++;
	e = entry_find(c, id);
	if (!e) {
		e = entry_add(c, id);
		if (!e)
			return NULL;
		entry_fetch(c, e, &m, now_usec);
	} else if (entry_stale(e, now_usec)) {
		entry_fetch(c, e, &m, now_usec);
	} else {
		c->st.hits++;
	}
	lru_unlink(c, e);
	lru_push(c, e);
	e->used_usec = now_usec;
	return &e->c;
}

void container_cache_expire(struct container_cache *c, uint64_t now_usec)
{
	while (c && c->tail && now_usec >= c->tail->used_usec &&
	       now_usec - c->tail->used_usec > CONTAINER_EXPIRE_USEC)
		entry_remove(c, c->tail);
}

void container_cache_stats(const struct container_cache *c,
			   struct container_cache_stats *out)
{
	*out = c->st;
	out->entries = c->n;
}
