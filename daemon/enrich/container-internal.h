/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container-internal.h: shared by the container files of enrich only: cgroup matching, runtime readers, their helpers. */
#ifndef TRACE_EXECD_CONTAINER_INTERNAL_H
#define TRACE_EXECD_CONTAINER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "enrich/container.h"
#include "core/statefile.h"

#define CONTAINER_ID_LEN	64	/* hex digits of a full container id */
#define CONTAINERD_TASKS	"io.containerd.runtime.v2.task"	/* bundles, by namespace */

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

/* ---- proof that an exec is its container's (container-proof.c) ---- */

/*
 * What a container's runtime records of where it runs, gathered by the
 * readers for the cgroup of one exec. The exec is the container's when a
 * recorded cgroup is that cgroup or one of its parents (cgroup_ok), or when
 * it runs in the mount namespace of the container's init.
 */
struct container_proof {
	const char *cgroup;	/* the exec's cgroup path; NULL: none to check */
	bool cgroup_ok;		/* a recorded cgroup is cgroup or a parent of it */
	uint32_t init_pid;	/* the container's init as recorded, 0: unknown */
	uint64_t init_start;	/* its start, clock ticks after boot (runc) */
	uint64_t init_seen_usec; /* or the wall-clock time the runtime knew it by */
};

/* Forget what pf gathered; its cgroup stays. */
void proof_clear(struct container_proof *pf);
/* A cgroup as an OCI config's linux.cgroupsPath names it: a path (cgroupfs
 * driver), or "slice:prefix:name" (systemd driver). */
void proof_oci_cgroup(struct container_proof *pf, const char *path);
/* A cgroup as runc's state names it for the systemd driver. */
void proof_systemd_cgroup(struct container_proof *pf, const char *parent,
			  const char *prefix, const char *name);
/* A cgroup directory as runc's cgroup_paths names it (/sys/fs/cgroup/...). */
void proof_cgroup_dir(struct container_proof *pf, const char *dir);
/*
 * The container's init: pid with its start in clock ticks after boot
 * (exact), or with a wall-clock time in us by which the runtime knew it
 * had started (it cannot be a process started later on a reused pid).
 * A pid with neither is not taken; an exact start wins over a time.
 */
void proof_init(struct container_proof *pf, uint32_t pid, uint64_t start_ticks,
		uint64_t seen_usec);
/* The mount namespace inode of the recorded init if that process still
 * runs (and is the one recorded); 0 otherwise. */
uint64_t proof_init_mntns(const struct container_proof *pf);

/* ---- metadata (container-metadata.c) ---- */

/* Clear c down to the id and short id of container id. */
void container_reset(struct container *c, const char *id);
/*
 * container_read_metadata() that only tries the readers able to know a
 * container the cgroup name says belongs to runtime `certain` (NULL: all),
 * and gathers in pf (NULL: not wanted) what the runtime that knows it
 * records of where it runs, runc's state included.
 */
int container_read_fitting(const struct container_paths *paths, const char *id,
			   const char *hint, const char *certain,
			   struct container *out, struct container_proof *pf);

/*
 * ---- the runtime readers: 0 when they know id, -ENOENT or -errno; what
 * their records say of where the container runs goes to pf ----
 */

int podman_read(const struct container_paths *p, const char *id,
		struct container *out, struct container_proof *pf);
int docker_read(const struct container_paths *p, const char *id,
		struct container *out, struct container_proof *pf);
int containerd_read(const struct container_paths *p, const char *id,
		    struct container *out, struct container_proof *pf);
int crio_read(const struct container_paths *p, const char *id,
	      struct container *out, struct container_proof *pf);
int runc_read(const struct container_paths *p, const char *id,
	      struct container *out, struct container_proof *pf);
/* Only the proof in runc's state of id under root (runc's --root). 0 or -errno. */
int runc_prove(const char *root, const char *id, struct container_proof *pf);

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
/*
 * The pid in the pid file fmt names, which a runtime writes once the
 * container's init runs: its mtime is a time the init had started by.
 */
void runtime_prove_pidfile(struct container_proof *pf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A single path component made of [A-Za-z0-9._-], not "." or "..". */
bool runtime_safe_name(const char *s);
/* Set an empty out->rootfs from an absolute path or one relative to base. */
void runtime_set_rootfs(struct container *out, const char *base, const char *path);
/* Parse <bundle>/config.json (an OCI runtime spec) into *spec. */
int oci_load(const char *bundle, struct json_object **spec);
/* An OCI spec's linux.cgroupsPath, to pf. */
void oci_prove(const struct json_object *spec, struct container_proof *pf);
/*
 * Fill empty fields from an OCI spec: when cri (containerd's CRI plugin or
 * CRI-O made the bundle), from the Kubernetes annotations that runtime
 * wrote (namespace, pod, container, image, name); then root.path. Other
 * runtimes' bundles carry image labels or annotations there too: never
 * read for them. Its linux.cgroupsPath goes to pf.
 */
void oci_apply(const struct json_object *spec, const char *bundle, bool cri,
	       struct container *out, struct container_proof *pf);
/*
 * oci_load() and oci_apply() of bundle, then an empty out->runtime guessed
 * from the annotations. 0 or the negative errno of the read.
 */
int oci_bundle_apply(const char *bundle, bool cri, struct container *out,
		     struct container_proof *pf);

#endif
