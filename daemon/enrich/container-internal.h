/* container-internal.h: shared by the container files of enrich only: cgroup matching, runtime readers, their helpers. */
#ifndef TRACE_EXECD_CONTAINER_INTERNAL_H
#define TRACE_EXECD_CONTAINER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "enrich/container.h"
#include "enrich/statefile.h"

#define CONTAINER_ID_LEN	64	/* hex digits of a full container id */

/* ---- cgroup paths (container-id.c) ---- */

/* The runtime a cgroup path names, and whether its name says so for sure. */
struct cgroup_match {
	const char *runtime;	/* NULL: unknown */
	bool certain;		/* the cgroup name itself says which runtime */
};

/* Whether s[0..len) is a full container id: 64 lower-case hex digits. */
bool container_is_id(const char *s, size_t len);
/* container_id_from_cgroup(), telling in *m how sure the runtime is. */
int container_cgroup_match(const char *cgroup_path, char id[65],
			   struct cgroup_match *m);

/* ---- metadata (container-metadata.c) ---- */

/* Clear c down to the id and short id of container id. */
void container_reset(struct container *c, const char *id);
/*
 * container_read_metadata() that only tries the readers able to know a
 * container the cgroup name says belongs to runtime `certain` (NULL: all).
 */
int container_read_fitting(const struct container_paths *paths, const char *id,
			   const char *hint, const char *certain,
			   struct container *out);

/* ---- the runtime readers: 0 when they know id, -ENOENT or -errno ---- */

int podman_read(const struct container_paths *p, const char *id,
		struct container *out);
int docker_read(const struct container_paths *p, const char *id,
		struct container *out);
int containerd_read(const struct container_paths *p, const char *id,
		    struct container *out);
int crio_read(const struct container_paths *p, const char *id,
	      struct container *out);
int runc_read(const struct container_paths *p, const char *id,
	      struct container *out);

/* ---- what the readers share (runtime-common.c) ---- */

static inline bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Copy src (if not NULL) into dst[size], cut at a UTF-8 character start. */
void container_copy_str(char *dst, size_t size, const char *src);
#define SET(dst, src)		container_copy_str((dst), sizeof(dst), (src))
#define SET_IF_EMPTY(dst, src)	do { if (!(dst)[0]) SET(dst, src); } while (0)

/* snprintf into a path buffer; 0, or -ENAMETOOLONG (buf emptied). */
int runtime_path(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* statefile_read() of the path fmt makes, a file of at most max bytes. */
int runtime_read_json(struct json_object **doc, size_t max, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A single path component made of [A-Za-z0-9._-], not "." or "..". */
bool runtime_safe_name(const char *s);
/* Set an empty out->rootfs from an absolute path or one relative to base. */
void runtime_set_rootfs(struct container *out, const char *base, const char *path);
/* Parse <bundle>/config.json (an OCI runtime spec) into *spec. */
int oci_load(const char *bundle, struct json_object **spec);
/*
 * Fill empty fields from an OCI spec: when cri (containerd's CRI plugin or
 * CRI-O made the bundle), from the Kubernetes annotations that runtime
 * wrote (namespace, pod, container, image, name); then root.path. Other
 * runtimes' bundles carry image labels or annotations there too: never
 * read for them.
 */
void oci_apply(const struct json_object *spec, const char *bundle, bool cri,
	       struct container *out);
/*
 * oci_load() and oci_apply() of bundle, then an empty out->runtime guessed
 * from the annotations. 0 or the negative errno of the read.
 */
int oci_bundle_apply(const char *bundle, bool cri, struct container *out);

#endif
