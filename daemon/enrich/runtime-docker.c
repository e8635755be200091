// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-docker.c: metadata of docker containers from config.v2.json and the overlay2 layer database; where they run. */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

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

/*
 * docker's time format (RFC 3339 in UTC, "2024-04-25T13:40:02.781243117Z")
 * in us since the epoch; 0 when malformed.
 */
static uint64_t docker_time_usec(const char *s)
{
	uint64_t frac = 0, scale = 1000000;
	struct tm tm = { 0 };
	const char *p;
	time_t t;

	p = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
	if (!p)
		return 0;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1) {
				scale /= 10;
				frac += (uint64_t)(*p - '0') * scale;
			}
	t = timegm(&tm);
	return strcmp(p, "Z") || t <= 0 ? 0 : (uint64_t)t * 1000000 + frac;
}

/*
 * Where docker records the container runs: the init's pid in State (with
 * the time docker saw it start); the cgroup and the init's pid in its
 * containerd task's bundle (namespace moby).
 */
static void docker_prove(const struct container_paths *p, const char *id,
			 const struct json_object *doc, struct container_proof *pf)
{
	const struct json_object *state = statefile_get(doc, "State");
	struct json_object *spec = NULL;
	char bundle[PATH_MAX];
	uint64_t pid;

	if (statefile_get_true(state, "Running") && statefile_get_u64(state, "Pid", &pid) &&
	    pid <= UINT32_MAX)
		proof_init(pf, (uint32_t)pid, 0,
			   docker_time_usec(statefile_get_str(state, "StartedAt")));
	if (runtime_path(bundle, sizeof(bundle), "%s/" CONTAINERD_TASKS "/moby/%s",
			 p->containerd_state, id) < 0)
		return;
	if (oci_load(bundle, &spec) == 0)
		oci_prove(spec, pf);
	json_object_put(spec);
	runtime_prove_pidfile(pf, "%s/init.pid", bundle);
}

int docker_read(const struct container_paths *p, const char *id,
		struct container *out, struct container_proof *pf)
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
	SET(out->image_id, statefile_get_str(doc, "Image"));
	driver = statefile_get_str(doc, "Driver");
	if (!driver || !strcmp(driver, "overlay2"))
		docker_rootfs(p->docker_root, id, out);
	docker_prove(p, id, doc, pf);
out:
	json_object_put(doc);
	return r;
}
