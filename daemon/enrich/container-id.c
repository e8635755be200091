// SPDX-License-Identifier: GPL-2.0-or-later
/* container-id.c: the container id, and the runtime when it says, in a cgroup v2 path. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "core/util.h"
#include "enrich/container-internal.h"

#define CGROUP_PATH_MAX	65536	/* longer cgroup paths are refused */

static const struct {
	const char *prefix;
	const char *runtime;
} cg_prefixes[] = {
	{ "libpod-", "podman" },
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
};

bool container_is_id(const char *s, size_t len)
{
	size_t i;

	if (len != CONTAINER_ID_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The ID of component s[0..len) if "<prefix>ID[.scope]", else NULL. */
static const char *match_prefixed(const char *s, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);

	if (len < pl || memcmp(s, prefix, pl))
		return NULL;
	s += pl;
	len -= pl;
	if (len == CONTAINER_ID_LEN + 6 && !memcmp(s + CONTAINER_ID_LEN, ".scope", 6))
		len = CONTAINER_ID_LEN;
	return container_is_id(s, len) ? s : NULL;
}

/* The component that ends before pos (slashes skipped); false if none. */
static bool comp_before(const char *path, const char *pos, const char **cs,
			size_t *clen)
{
	const char *e = pos;

	while (e > path && e[-1] == '/')
		e--;
	if (e == path)
		return false;
	*cs = e;
	while (*cs > path && (*cs)[-1] != '/')
		(*cs)--;
	*clen = (size_t)(e - *cs);
	return true;
}

/* Start of the first component named kubepods*, or NULL. */
static const char *kubepods_start(const char *path)
{
	const char *s = path;

	for (;;) {
		while (*s == '/')
			s++;
		if (!*s)
			return NULL;
		if (!strncmp(s, "kubepods", 8))
			return s;
		s = strchrnul(s, '/');
	}
}

/* The ID in component cs[0..len) if it names a container (fills m), or NULL. */
static const char *match_comp(const char *path, const char *cs, size_t len,
			      const char *kube, struct cgroup_match *m)
{
	const char *ps, *id;
	size_t i, pl;
	bool parent;

	for (i = 0; i < ARRAY_SIZE(cg_prefixes); i++) {
		id = match_prefixed(cs, len, cg_prefixes[i].prefix);
		if (id) {
			m->runtime = cg_prefixes[i].runtime;
			m->certain = true;
			return id;
		}
	}
	if (!container_is_id(cs, len))
		return NULL;
	parent = comp_before(path, cs, &ps, &pl);
	if (parent && pl == 6 && !memcmp(ps, "docker", 6)) {
		m->runtime = "docker";
		m->certain = true;
		return cs;
	}
	if (!kube || kube >= cs)
		return NULL;
	/* cgroupfs driver: /kubepods/<qos>/pod<uid>/ID (CRI, not certain). */
	m->runtime = parent && pl > 3 && !memcmp(ps, "pod", 3) ? "containerd" : NULL;
	m->certain = false;
	return cs;
}

/* Whether component s[0..len) is user@N.service, a user's systemd instance. */
static bool is_user_manager(const char *s, size_t len)
{
	size_t i;

	if (len < 14 || memcmp(s, "user@", 5) || memcmp(s + len - 8, ".service", 8))
		return false;
	for (i = 5; i < len - 8; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * Whether a component of path before end is user@N.service: the subtree
 * systemd delegates to that user, who may name cgroups there at will.
 */
static bool under_user_manager(const char *path, const char *end)
{
	const char *cs;
	size_t clen;

	for (; comp_before(path, end, &cs, &clen); end = cs)
		if (is_user_manager(cs, clen))
			return true;
	return false;
}

int container_cgroup_match(const char *path, char id[65], struct cgroup_match *m)
{
	const char *pos, *cs, *kube, *found;
	size_t len, clen;

	m->runtime = NULL;
	m->certain = false;
	if (!path || !id)
		return -EINVAL;
	len = strnlen(path, CGROUP_PATH_MAX);
	if (len == 0)
		return -EINVAL;
	if (len == CGROUP_PATH_MAX)
		return -ENAMETOOLONG;
	kube = kubepods_start(path);
	for (pos = path + len; comp_before(path, pos, &cs, &clen); pos = cs) {
		found = match_comp(path, cs, clen, kube, m);
		if (!found)
			continue;
		memcpy(id, found, CONTAINER_ID_LEN);
		id[CONTAINER_ID_LEN] = '\0';
		if (under_user_manager(path, cs)) {
			/* a name a user chose says nothing of the runtime */
			m->runtime = NULL;
			m->certain = false;
		}
		return 1;
	}
	return 0;
}

int container_id_from_cgroup(const char *cgroup_path, char id[65],
			     const char **runtime_hint)
{
	struct cgroup_match m;
	int r = container_cgroup_match(cgroup_path, id, &m);

	if (runtime_hint)
		*runtime_hint = r > 0 ? m.runtime : NULL;
	return r;
}
