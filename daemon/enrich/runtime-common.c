// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-common.c: what the runtime readers share: OCI bundles, CRI annotations, paths and strings. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "enrich/container-internal.h"

#define PIDFILE_MAX	64	/* bytes of a pid file */

void container_copy_str(char *dst, size_t size, const char *src)
{
	size_t n;

	if (!src)
		return;
	n = strlen(src);
	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* runtime_path() with a va_list. */
static int runtime_vpath(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n < 0 || (size_t)n >= size) {
		buf[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

int runtime_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = runtime_vpath(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int runtime_read_json(struct json_object **doc, size_t max, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;
	int r;

	*doc = NULL;
	va_start(ap, fmt);
	r = runtime_vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	return r < 0 ? r : statefile_read(path, max, doc);
}

void runtime_prove_pidfile(struct container_proof *pf, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	char path[PATH_MAX];
	struct stat st;
	uint32_t pid;
	va_list ap;
	int fd, r;

	va_start(ap, fmt);
	r = runtime_vpath(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = r < 0 ? r : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return;
	if (read_fd_bounded(fd, PIDFILE_MAX, &sb) == 0 && fstat(fd, &st) == 0) {
		while (sb.len && (sb.p[sb.len - 1] == '\n' || sb.p[sb.len - 1] == ' '))
			sb.p[--sb.len] = '\0';
		if (parse_u32(sb.p, &pid) == 0)
			proof_init(pf, pid, 0, (uint64_t)st.st_mtim.tv_sec * 1000000 +
				   (uint64_t)st.st_mtim.tv_nsec / 1000);
	}
	close(fd);
	sb_free(&sb);
}

bool runtime_safe_name(const char *s)
{
	size_t n;

	if (!s || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		   "0123456789._-");
	return n > 0 && n < NAME_MAX && !s[n];
}

void runtime_set_rootfs(struct container *out, const char *base, const char *path)
{
	if (out->rootfs[0] || !path || !*path)
		return;
	if (path[0] == '/')
		runtime_path(out->rootfs, sizeof(out->rootfs), "%s", path);
	else if (base)
		runtime_path(out->rootfs, sizeof(out->rootfs), "%s/%s", base, path);
}

#define CFIELD(f) offsetof(struct container, f), sizeof(((struct container *)0)->f)

/* CRI annotations (containerd's, then CRI-O's), highest priority first per field. */
static const struct {
	const char *key;
	size_t off, size;
} cri_map[] = {
	{ "io.kubernetes.cri.container-name", CFIELD(k8s_container) },
	{ "io.kubernetes.container.name", CFIELD(k8s_container) },
	{ "io.kubernetes.cri.sandbox-name", CFIELD(k8s_pod) },
	{ "io.kubernetes.pod.name", CFIELD(k8s_pod) },
	{ "io.kubernetes.cri.sandbox-namespace", CFIELD(k8s_namespace) },
	{ "io.kubernetes.pod.namespace", CFIELD(k8s_namespace) },
	{ "io.kubernetes.cri.image-name", CFIELD(image) },
	{ "io.kubernetes.cri-o.ImageName", CFIELD(image) },
};

/* Fill empty fields from the annotations of a CRI runtime's OCI config. */
static void cri_apply_annotations(const struct json_object *ann,
				  struct container *out)
{
	const char *s;
	char *field;
	size_t i;

	if (!json_object_is_type(ann, json_type_object))
		return;
	for (i = 0; i < ARRAY_SIZE(cri_map); i++) {
		field = (char *)out + cri_map[i].off;
		s = statefile_get_str(ann, cri_map[i].key);
		if (s && *s && !field[0])
			container_copy_str(field, cri_map[i].size, s);
	}
	if (streq(statefile_get_str(ann, "io.kubernetes.cri.container-type"), "sandbox") ||
	    streq(statefile_get_str(ann, "io.kubernetes.cri-o.ContainerType"), "sandbox"))
		SET_IF_EMPTY(out->k8s_container, "POD");
	SET_IF_EMPTY(out->name, out->k8s_container);
	SET_IF_EMPTY(out->name, statefile_get_str(ann, "io.kubernetes.cri-o.Name"));
}

/*
 * Runtime that made an OCI bundle, judged by its annotations; NULL if
 * unknown. The managers' own io.container.manager first: podman also
 * writes io.kubernetes.cri-o.* keys.
 */
static const char *runtime_from_annotations(const struct json_object *ann)
{
	const char *manager = statefile_get_str(ann, "io.container.manager");

	if (streq(manager, "libpod"))
		return "podman";
	if (streq(manager, "cri-o") || statefile_has_key_prefix(ann, "io.kubernetes.cri-o."))
		return "cri-o";
	if (statefile_has_key_prefix(ann, "io.kubernetes.cri."))
		return "containerd";
	return NULL;
}

int oci_load(const char *bundle, struct json_object **spec)
{
	return runtime_read_json(spec, CONTAINER_JSON_MAX, "%s/config.json", bundle);
}

void oci_prove(const struct json_object *spec, struct container_proof *pf)
{
	proof_oci_cgroup(pf, statefile_get_str(statefile_get(spec, "linux"),
					       "cgroupsPath"));
}

void oci_apply(const struct json_object *spec, const char *bundle, bool cri,
	       struct container *out, struct container_proof *pf)
{
	if (cri)
		cri_apply_annotations(statefile_get(spec, "annotations"), out);
	runtime_set_rootfs(out, bundle,
			   statefile_get_str(statefile_get(spec, "root"), "path"));
	oci_prove(spec, pf);
}

int oci_bundle_apply(const char *bundle, bool cri, struct container *out,
		     struct container_proof *pf)
{
	struct json_object *spec;
	int r;

	r = oci_load(bundle, &spec);
	if (r == 0) {
		oci_apply(spec, bundle, cri, out, pf);
		SET_IF_EMPTY(out->runtime, runtime_from_annotations(
				     statefile_get(spec, "annotations")));
	}
	json_object_put(spec);
	return r;
}
