// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-podman.c: metadata of podman containers from containers-storage (containers.json, images.json, userdata). */
#include <errno.h>
#include <limits.h>

#include "enrich/container-internal.h"

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

/* The first string of the array obj[key]; NULL if none. */
static const char *first_name(const struct json_object *obj, const char *key)
{
	return statefile_str(statefile_at(statefile_get(obj, key), 0));
}

/* Name and image from the JSON document libpod keeps in "metadata". */
static void podman_metadata(const struct json_object *ctr, struct container *out)
{
	struct json_object *meta = statefile_get(ctr, "metadata"), *doc;
	const char *s = statefile_str(meta);

	if (!s)
		return;
	if (statefile_parse(s, (size_t)json_object_get_string_len(meta), &doc) == 0) {
		SET(out->name, statefile_get_str(doc, "name"));
		SET(out->image, statefile_get_str(doc, "image-name"));
	}
	json_object_put(doc);
}

/* Image name of image_id from overlay-images/images.json, else the id. */
static void podman_image(const char *storage, const char *image_id,
			 struct container *out)
{
	struct json_object *doc;

	if (!image_id)
		return;
	if (runtime_read_json(&doc, CONTAINER_LIST_MAX,
			      "%s/overlay-images/images.json", storage) == 0)
		SET(out->image, first_name(find_by_id(doc, image_id), "names"));
	json_object_put(doc);
	SET_IF_EMPTY(out->image, image_id);
}

/*
 * root.path and the cgroup from the container's userdata/config.json (not
 * its annotations: podman copies the image's there).
 */
static void podman_userdata(const char *storage, const char *id,
			    struct container *out, struct container_proof *pf)
{
	char bundle[PATH_MAX];

	if (runtime_path(bundle, sizeof(bundle), "%s/overlay-containers/%s/userdata",
			 storage, id) == 0)
		oci_bundle_apply(bundle, false, out, pf);
}

int podman_read(const struct container_paths *p, const char *id,
		struct container *out, struct container_proof *pf)
{
	const char *st = p->podman_storage, *layer;
	struct json_object *doc, *ctr;
	int r;

	r = runtime_read_json(&doc, CONTAINER_LIST_MAX,
			      "%s/overlay-containers/containers.json", st);
	if (r < 0)
		goto out;
	ctr = find_by_id(doc, id);
	if (!ctr) {
		r = -ENOENT;
		goto out;
	}
	SET(out->runtime, "podman");
	podman_metadata(ctr, out);
	SET_IF_EMPTY(out->name, first_name(ctr, "names"));
	if (!out->image[0])
		podman_image(st, statefile_get_str(ctr, "image"), out);
	SET(out->image_id, statefile_get_str(ctr, "image"));
	layer = statefile_get_str(ctr, "layer");
	if (runtime_safe_name(layer))
		runtime_path(out->rootfs, sizeof(out->rootfs), "%s/overlay/%s/merged",
			     st, layer);
	podman_userdata(st, id, out, pf);
out:
	json_object_put(doc);
	return r;
}
