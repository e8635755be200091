/* runtime-runc.c: metadata from runc's own state (the fallback when no runtime above knows a container). */
#include <string.h>

#include "enrich/container-internal.h"

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

int runc_read(const struct container_paths *p, const char *id,
	      struct container *out)
{
	struct json_object *doc, *cfg;
	const char *bundle;
	int r;

	r = runtime_read_json(&doc, CONTAINER_JSON_MAX, "%s/%s/state.json",
			      p->runc_state, id);
	if (r < 0)
		goto out;
	cfg = statefile_get(doc, "config");
	runtime_set_rootfs(out, NULL, statefile_get_str(cfg, "rootfs"));
	bundle = runc_bundle(statefile_get(cfg, "labels"));
	/* Who made the bundle is not known here: no CRI annotations. */
	if (bundle)
		oci_bundle_apply(bundle, false, out);
out:
	json_object_put(doc);
	return r;
}
