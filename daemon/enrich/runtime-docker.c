/* runtime-docker.c: metadata of docker containers from config.v2.json and the overlay2 layer database. */
#include <fcntl.h>
#include <limits.h>

#include "core/util.h"
#include "enrich/container-internal.h"

#define MOUNT_ID_MAX	4096	/* size limit of docker's mount-id file */

/* Rootfs of an overlay2 container: layerdb/mounts/ID/mount-id. */
static void docker_rootfs(const char *root, const char *id, struct container *out)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];

	if (runtime_path(path, sizeof(path),
			 "%s/image/overlay2/layerdb/mounts/%s/mount-id", root, id) < 0 ||
	    read_file_bounded(AT_FDCWD, path, MOUNT_ID_MAX, &sb) < 0)
		goto out;
	while (sb.len && (sb.p[sb.len - 1] == '\n' || sb.p[sb.len - 1] == ' '))
		sb.p[--sb.len] = '\0';
	if (runtime_safe_name(sb.p))
		runtime_path(out->rootfs, sizeof(out->rootfs), "%s/overlay2/%s/merged",
			     root, sb.p);
out:
	sb_free(&sb);
}

int docker_read(const struct container_paths *p, const char *id,
		struct container *out)
{
	struct json_object *doc;
	const char *name, *driver;
	int r;

	r = runtime_read_json(&doc, CONTAINER_JSON_MAX, "%s/containers/%s/config.v2.json",
			      p->docker_root, id);
	if (r < 0)
		goto out;
	SET(out->runtime, "docker");
	name = statefile_get_str(doc, "Name");
	SET(out->name, name && *name == '/' ? name + 1 : name);
	/* Config.Labels are not read: the image's labels are there too. */
	SET(out->image, statefile_get_str(statefile_get(doc, "Config"), "Image"));
	driver = statefile_get_str(doc, "Driver");
	if (!driver || !strcmp(driver, "overlay2"))
		docker_rootfs(p->docker_root, id, out);
out:
	json_object_put(doc);
	return r;
}
