// SPDX-License-Identifier: GPL-2.0-or-later
/* host-users.c: names of uids and gids in the host's user database, cached ("uid:N" when none). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/lru.h"
#include "enrich/host-users.h"

/* A name cached under its id. */
struct name_entry {
	char *name;
};

struct host_users {
	struct lru *users, *groups;	/* of struct name_entry, by id */
	struct timespec passwd_mtime, group_mtime;
	time_t checked;
};

/* A name left the cache. */
static void name_drop(void *value, void *ctx)
{
	struct name_entry *e = value;

	(void)ctx;
	free(e->name);
}

int host_users_new(struct host_users **out)
{
	static const struct lru_ops ops = { .drop = name_drop };
	struct host_users *hu = calloc(1, sizeof(*hu));

	if (!hu)
		return -ENOMEM;
	hu->users = lru_new(HOST_USERS_MAX, sizeof(uint32_t), sizeof(struct name_entry), &ops);
	hu->groups = lru_new(HOST_USERS_MAX, sizeof(uint32_t), sizeof(struct name_entry), &ops);
	if (!hu->users || !hu->groups) {
		host_users_free(hu);
		return -ENOMEM;
	}
	*out = hu;
	return 0;
}

void host_users_free(struct host_users *hu)
{
	if (!hu)
		return;
	lru_free(hu->users);
	lru_free(hu->groups);
	free(hu);
}

/* Whether a file's mtime moved since *last; updates *last. */
static int mtime_changed(const char *path, struct timespec *last)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return 0;
	if (st.st_mtim.tv_sec == last->tv_sec &&
	    st.st_mtim.tv_nsec == last->tv_nsec)
		return 0;
	*last = st.st_mtim;
	return 1;
}

void host_users_refresh(struct host_users *hu)
{
	time_t now = time(NULL);

	if (now == hu->checked)
		return;
	hu->checked = now;
	if (mtime_changed("/etc/passwd", &hu->passwd_mtime))
		lru_clear(hu->users);
	if (mtime_changed("/etc/group", &hu->group_mtime))
		lru_clear(hu->groups);
}

/* Resolve an id through the user database; returns a malloc'ed name. */
static char *name_from_db(uint32_t id, int group)
{
	char buf[16384], *name = NULL;
	struct passwd pw, *pwp = NULL;
	struct group gr, *grp = NULL;
	char fallback[32];

	if (id == UINT32_MAX) {
		/* the unset login uid, never a real account */
	} else if (group) {
		if (getgrgid_r(id, &gr, buf, sizeof(buf), &grp) == 0 && grp)
			name = strdup(grp->gr_name);
	} else {
		if (getpwuid_r(id, &pw, buf, sizeof(buf), &pwp) == 0 && pwp)
			name = strdup(pwp->pw_name);
	}
	if (name)
		return name;
	snprintf(fallback, sizeof(fallback), "%s:%u", group ? "gid" : "uid", id);
	return strdup(fallback);
}

/* The name of id in cache (found in the user database when absent);
 * "?" when out of memory. */
static const char *cached_name(struct lru *cache, uint32_t id, int group)
{
	struct name_entry *e = lru_get(cache, &id, sizeof(id));
	char *name;

	if (e)
		return e->name;
	name = name_from_db(id, group);
	if (!name)
		return "?";
	e = lru_put(cache, &id, sizeof(id), NULL);
	if (!e) {
		free(name);
		return "?";
	}
	e->name = name;
	return name;
}

const char *host_user_name(struct host_users *hu, uint32_t uid)
{
	return cached_name(hu->users, uid, 0);
}

const char *host_group_name(struct host_users *hu, uint32_t gid)
{
	return cached_name(hu->groups, gid, 1);
}
