// SPDX-License-Identifier: GPL-2.0-or-later
/* container-metadata.c: container metadata and where it runs from the runtimes' state on disk: default paths, which reader to try first. */
#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "enrich/container-internal.h"

/* Where the runtimes keep their state unless told otherwise. */
static const struct container_paths default_paths = {
	.podman_storage = "/var/lib/containers/storage",
	.docker_root = "/var/lib/docker",
	.containerd_state = "/run/containerd",
	.crio_state = "/run/containers/storage",
	.runc_state = "/run/runc",
};

typedef int (*reader_fn)(const struct container_paths *p, const char *id,
			 struct container *out, struct container_proof *pf);

static const struct {
	const char *runtime;
	reader_fn read;
} readers[] = {
	{ "podman", podman_read },
	{ "docker", docker_read },
	{ "containerd", containerd_read },
	{ "cri-o", crio_read },
	{ "runc", runc_read },
};

void container_reset(struct container *c, const char *id)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->id, id, CONTAINER_ID_LEN);
	memcpy(c->short_id, id, 12);
}

/* A path setting, or its default when it is NULL or empty. */
static const char *path_or_default(const char *set, const char *def)
{
	return set && *set ? set : def;
}

/* paths with every unset member replaced by its default. */
static struct container_paths paths_with_defaults(const struct container_paths *paths)
{
	struct container_paths p = default_paths;

	if (!paths)
		return p;
	p.podman_storage = path_or_default(paths->podman_storage, p.podman_storage);
	p.docker_root = path_or_default(paths->docker_root, p.docker_root);
	p.containerd_state = path_or_default(paths->containerd_state, p.containerd_state);
	p.crio_state = path_or_default(paths->crio_state, p.crio_state);
	p.runc_state = path_or_default(paths->runc_state, p.runc_state);
	return p;
}

/* Run reader i; 0 when it knows the container. */
static int try_reader(size_t i, const struct container_paths *p, const char *id,
		      const char *hint, struct container *out,
		      struct container_proof *pf)
{
	int r;

	container_reset(out, id);
	proof_clear(pf);
	r = readers[i].read(p, id, out, pf);
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

/* The first reader that knows id (hint's first), or ARRAY_SIZE(readers). */
static size_t read_first(const struct container_paths *p, const char *id,
			 const char *hint, const char *certain,
			 struct container *out, struct container_proof *pf)
{
	size_t i, first = ARRAY_SIZE(readers);

	for (i = 0; i < ARRAY_SIZE(readers); i++)
		if (streq(hint, readers[i].runtime))
			first = i;
	if (first < ARRAY_SIZE(readers) && try_reader(first, p, id, hint, out, pf) == 0)
		return first;
	for (i = 0; i < ARRAY_SIZE(readers); i++)
		if (i != first && reader_fits(i, certain) &&
		    try_reader(i, p, id, hint, out, pf) == 0)
			return i;
	return ARRAY_SIZE(readers);
}

int container_read_fitting(const struct container_paths *paths, const char *id,
			   const char *hint, const char *certain,
			   struct container *out, struct container_proof *pf)
{
	struct container_paths p = paths_with_defaults(paths);
	struct container_proof none = { 0 };
	size_t i;

	if (!id || !out || !container_is_id(id, strnlen(id, CONTAINER_ID_LEN + 1)))
		return -EINVAL;
	i = read_first(&p, id, hint, certain, out, pf ? pf : &none);
	if (i == ARRAY_SIZE(readers)) {
		container_reset(out, id);
		if (pf)
			proof_clear(pf);
		return -ENOENT;
	}
	/* podman and CRI-O run runc, whose state knows the init */
	if (pf && readers[i].read != runc_read)
		runc_prove(p.runc_state, id, pf);
	return 0;
}

int container_read_metadata(const struct container_paths *paths,
			    const char *id, const char *runtime_hint,
			    struct container *out)
{
	return container_read_fitting(paths, id, runtime_hint, NULL, out, NULL);
}
