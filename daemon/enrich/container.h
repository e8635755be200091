/* SPDX-License-Identifier: GPL-2.0-or-later */
/* container.h: container ids from cgroup paths, runtime metadata, and a cache of what the runtimes confirm. */
#ifndef TRACE_EXECD_CONTAINER_H
#define TRACE_EXECD_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

/* Where the runtimes keep their state; a NULL or empty member means the default. */
struct container_paths {
	const char *podman_storage;	/* /var/lib/containers/storage */
	const char *docker_root;	/* /var/lib/docker */
	const char *containerd_state;	/* /run/containerd */
	const char *crio_state;		/* /run/containers/storage */
	const char *runc_state;		/* /run/runc */
};

#define CONTAINER_CACHE_MAX	4096		/* entries, then LRU eviction */
#define CONTAINER_REFRESH_USEC	1000000ULL	/* retry entries without a name or proof */
#define CONTAINER_EXPIRE_USEC	600000000ULL	/* drop entries unused this long */
#define CONTAINER_JSON_MAX	(1u << 20)	/* largest per-container JSON file */
#define CONTAINER_LIST_MAX	(16u << 20)	/* largest containers.json */

/*
 * Find the container id in a cgroup v2 path, innermost component first:
 * libpod-ID[.scope], docker-ID.scope, /docker/ID, cri-containerd-ID.scope,
 * crio-ID.scope (not crio-conmon-), /kubepods/<qos>/pod<uid>/ID and any
 * 64-hex component under kubepods. Returns 1 with id (64 lower-case hex)
 * and *runtime_hint ("podman", "docker", "containerd", "cri-o" or NULL
 * when unknown) set, 0 for a host process, -EINVAL or -ENAMETOOLONG.
 * runtime_hint may be NULL. Under a user@N.service component (a subtree
 * systemd delegates to that user) the name is the user's choice: the id is
 * found, the hint is NULL. A name alone never makes a container: see
 * container_lookup().
 */
int container_id_from_cgroup(const char *cgroup_path, char id[65],
			     const char **runtime_hint);

/*
 * Read the metadata of container id from the runtimes' state on disk,
 * trying runtime_hint (may be NULL) first and then every other runtime.
 * out->id and out->short_id are always set. Returns 0 when a runtime
 * knows the container, -ENOENT when none does, -EINVAL for a bad id.
 */
int container_read_metadata(const struct container_paths *paths,
			    const char *id, const char *runtime_hint,
			    struct container *out);

struct container_cache;

struct container_cache_stats {
	uint64_t lookups;	/* container_lookup() calls naming a container */
	uint64_t hits;		/* answered without reading the disk */
	uint64_t reads;		/* metadata reads from disk */
	uint64_t unverified;	/* lookups whose claim no runtime confirmed */
	uint64_t evictions;	/* entries dropped for room or age */
	size_t entries;
};

/* A cache of container attribution by cgroup path; paths are copied. 0 or -ENOMEM. */
int container_cache_new(struct container_cache **out,
			const struct container_paths *paths);
void container_cache_free(struct container_cache *c);
/* Bound the number of entries: 1 to CONTAINER_CACHE_MAX (the default). */
void container_cache_set_limit(struct container_cache *c, size_t max);
/*
 * The container an exec in this cgroup path and mount namespace (inode
 * number) runs in, NULL for a host process. A container id in the cgroup
 * path counts only when the runtime that knows it confirms it: a cgroup it
 * records for the container is this path or one of its parents (runc's
 * state, the OCI config's linux.cgroupsPath, docker's containerd task), or
 * mntns is the mount namespace of the container's init (the pid in the
 * runtime's state, checked to be the same process). Otherwise NULL, and
 * *unverified (when not NULL) is the id the path claims; it is NULL when
 * the path claims none.
 * Entries are kept per cgroup path; one that proves nothing for this exec
 * or has no name is re-read at most once per CONTAINER_REFRESH_USEC. When
 * the cgroup name says which runtime runs the container, only that
 * runtime's state (and runc's; containerd's for docker) is read. now_usec
 * is a monotonic clock. The results are valid until the next
 * container_lookup() or container_cache_expire().
 */
const struct container *container_lookup(struct container_cache *c,
					 const char *cgroup_path, uint64_t mntns,
					 uint64_t now_usec, const char **unverified);
/* Drop entries unused for more than CONTAINER_EXPIRE_USEC. */
void container_cache_expire(struct container_cache *c, uint64_t now_usec);
void container_cache_stats(const struct container_cache *c,
			   struct container_cache_stats *out);

#endif
