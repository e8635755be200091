// SPDX-License-Identifier: GPL-2.0-or-later
/* runtime-containerd.c: metadata of containerd containers from their task's OCI bundle. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "enrich/container-internal.h"

#define NS_SCAN_MAX	64	/* containerd namespaces examined per lookup */
#define CRI_NAMESPACE	"k8s.io"	/* containerd's CRI plugin */

/* Whether the bundle <dir>/<ns>/<id> exists (its path left in buf). */
static bool bundle_exists(char *buf, size_t size, const char *dir, const char *ns,
			  const char *id)
{
	return runtime_path(buf, size, "%s/%s/%s", dir, ns, id) == 0 &&
	       access(buf, F_OK) == 0;
}

/*
 * Bundle dir of id: namespace k8s.io first, then any other. 0 or -errno;
 * *cri tells whether it is in k8s.io, the namespace of containerd's CRI
 * plugin (the containers the kubelet asked for).
 */
static int containerd_bundle(const char *state, const char *id, char *buf,
			     size_t size, bool *cri)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int r, n = 0;
	DIR *d;

	*cri = false;
	r = runtime_path(dir, sizeof(dir), "%s/" CONTAINERD_TASKS, state);
	if (r < 0)
		return r;
	if (bundle_exists(buf, size, dir, CRI_NAMESPACE, id)) {
		*cri = true;
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return -errno;
	r = -ENOENT;
	while (r < 0 && n++ < NS_SCAN_MAX && (de = readdir(d))) {
		if (runtime_safe_name(de->d_name) && strcmp(de->d_name, CRI_NAMESPACE) &&
		    bundle_exists(buf, size, dir, de->d_name, id))
			r = 0;
	}
	closedir(d);
	return r;
}

int containerd_read(const struct container_paths *p, const char *id,
		    struct container *out, struct container_proof *pf)
{
	char bundle[PATH_MAX];
	bool cri;
	int r;

	r = containerd_bundle(p->containerd_state, id, bundle, sizeof(bundle), &cri);
	if (r < 0)
		return r;
	SET(out->runtime, "containerd");
	runtime_prove_pidfile(pf, "%s/init.pid", bundle);
	return oci_bundle_apply(bundle, cri, out, pf);
}
