// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-crio.c: metadata of CRI-O containers from overlay-containers/ID/userdata under its storage run root. */
#include <errno.h>
#include <limits.h>

#include "enrich/container-internal.h"

#define OVERLAY_CONTAINERS	"/overlay-containers"

/*
 * The length of CRI-O's storage run root in the crio_state setting:
 * without trailing slashes, nor a trailing /overlay-containers (the value
 * earlier versions shipped, which an upgrade may have kept).
 */
static size_t run_root_len(const char *state)
{
	size_t n = strlen(state), sl = strlen(OVERLAY_CONTAINERS);

	while (n > 1 && state[n - 1] == '/')
		n--;
	if (n >= sl && !memcmp(state + n - sl, OVERLAY_CONTAINERS, sl))
		n -= sl;
	return n;
}

/* The userdata directory (an OCI bundle) of container id. 0 or -ENAMETOOLONG. */
static int crio_bundle(const char *state, const char *id, char *buf, size_t size)
{
	size_t n = run_root_len(state);

	if (n >= size)
		return -ENAMETOOLONG;
	return runtime_path(buf, size, "%.*s" OVERLAY_CONTAINERS "/%s/userdata",
			    (int)n, state, id);
}

/*
 * Whether an OCI config's annotations are CRI-O's: podman shares the run
 * root and also writes io.kubernetes.cri-o.* keys, but says it is libpod.
 */
static bool crio_made(const struct json_object *ann)
{
	return statefile_has_key_prefix(ann, "io.kubernetes.cri-o.") &&
	       !streq(statefile_get_str(ann, "io.container.manager"), "libpod");
}

int crio_read(const struct container_paths *p, const char *id,
	      struct container *out, struct container_proof *pf)
{
	struct json_object *spec = NULL, *ann;
	char bundle[PATH_MAX];
	int r;

	r = crio_bundle(p->crio_state, id, bundle, sizeof(bundle));
	if (r == 0)
		r = oci_load(bundle, &spec);
	if (r < 0)
		goto out;
	ann = statefile_get(spec, "annotations");
	if (!crio_made(ann)) {
		r = -ENOENT;
		goto out;
	}
	SET(out->runtime, "cri-o");
	runtime_set_rootfs(out, NULL, statefile_get_str(ann, "io.kubernetes.cri-o.MountPoint"));
	oci_apply(spec, bundle, true, out, pf);
	runtime_prove_pidfile(pf, "%s/pidfile", bundle);
out:
	json_object_put(spec);
	return r;
}
