// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-runc.c: runc's own state: where a container runs, and metadata when no runtime above knows it. */
#include <stdint.h>
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

/* What runc's state records of where its container runs: cgroups and init. */
static void runc_state_prove(const struct json_object *doc,
			     struct container_proof *pf)
{
	const struct json_object *cg = statefile_get(statefile_get(doc, "config"),
						     "cgroups");
	struct json_object *dirs = statefile_get(doc, "cgroup_paths");
	uint64_t pid, start;

	if (json_object_is_type(dirs, json_type_object)) {
		json_object_object_foreach(dirs, key, val) {
			(void)key;
			proof_cgroup_dir(pf, statefile_str(val));
		}
	}
	if (statefile_get_true(cg, "Systemd"))
		proof_systemd_cgroup(pf, statefile_get_str(cg, "parent"),
				     statefile_get_str(cg, "scope_prefix"),
				     statefile_get_str(cg, "name"));
	else
		proof_oci_cgroup(pf, statefile_get_str(cg, "path"));
	if (statefile_get_u64(doc, "init_process_pid", &pid) && pid <= UINT32_MAX &&
	    statefile_get_u64(doc, "init_process_start", &start))
		proof_init(pf, (uint32_t)pid, start, 0);
}

/* runc's state.json of id under root (runc's --root). */
static int runc_state_read(const char *root, const char *id, struct json_object **doc)
{
	return runtime_read_json(doc, CONTAINER_JSON_MAX, "%s/%s/state.json", root, id);
}

int runc_prove(const char *root, const char *id, struct container_proof *pf)
{
	struct json_object *doc;
	int r;

	r = runc_state_read(root, id, &doc);
	if (r == 0)
		runc_state_prove(doc, pf);
	json_object_put(doc);
	return r;
}

int runc_read(const struct container_paths *p, const char *id,
	      struct container *out, struct container_proof *pf)
{
	struct json_object *doc, *cfg;
	const char *bundle;
	int r;

	r = runc_state_read(p->runc_state, id, &doc);
	if (r < 0)
		goto out;
	runc_state_prove(doc, pf);
	cfg = statefile_get(doc, "config");
	runtime_set_rootfs(out, NULL, statefile_get_str(cfg, "rootfs"));
	bundle = runc_bundle(statefile_get(cfg, "labels"));
	/* Who made the bundle is not known here: no CRI annotations. */
	if (bundle)
		oci_bundle_apply(bundle, false, out, pf);
out:
	json_object_put(doc);
	return r;
}
