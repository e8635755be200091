/* runtime-crio.c: metadata of CRI-O containers from overlay-containers/ID/userdata under its storage run root. */
#include <errno.h>
#include <limits.h>

#include "enrich/container-internal.h"

int crio_read(const struct container_paths *p, const char *id,
	      struct container *out)
{
	struct json_object *spec = NULL, *ann;
	char bundle[PATH_MAX];
	int r;

	r = runtime_path(bundle, sizeof(bundle), "%s/overlay-containers/%s/userdata",
			 p->crio_state, id);
	if (r == 0)
		r = oci_load(bundle, &spec);
	if (r < 0)
		goto out;
	ann = statefile_get(spec, "annotations");
	/* podman's run root has the same layout: insist on CRI-O's keys. */
	if (!statefile_has_key_prefix(ann, "io.kubernetes.cri-o.")) {
		r = -ENOENT;
		goto out;
	}
	SET(out->runtime, "cri-o");
	runtime_set_rootfs(out, NULL, statefile_get_str(ann, "io.kubernetes.cri-o.MountPoint"));
	oci_apply(spec, bundle, out);
out:
	json_object_put(spec);
	return r;
}
