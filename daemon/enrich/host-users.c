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

#include "enrich/host-users.h"
#include "core/util.h"

#define HOST_USERS_SLOTS 1024	/* per kind; power of two */

struct name_slot {
	uint32_t id;
	char *name;	/* NULL: empty slot */
};

struct host_users {
	struct name_slot users[HOST_USERS_SLOTS];
	struct name_slot groups[HOST_USERS_SLOTS];
	struct timespec passwd_mtime, group_mtime;
	time_t checked;
	char spill[4][256];	/* names that found no free slot */
	unsigned int spill_next;
};

int host_users_new(struct host_users **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void slots_clear(struct name_slot *s)
{
	size_t i;

	for (i = 0; i < HOST_USERS_SLOTS; i++) {
		free(s[i].name);
		s[i].name = NULL;
	}
}

void host_users_free(struct host_users *hu)
{
	if (!hu)
		return;
	slots_clear(hu->users);
	slots_clear(hu->groups);
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
		slots_clear(hu->users);
	if (mtime_changed("/etc/group", &hu->group_mtime))
		slots_clear(hu->groups);
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

/*
 * Find or fill the slot of an id (open addressing, bounded probing). A
 * name that finds no free slot goes to a small rotating spill area, so a
 * string handed out earlier for the same event is never freed under it.
 */
static const char *slot_name(struct host_users *hu, struct name_slot *slots,
			     uint32_t id, int group)
{
	uint32_t h = id * 2654435761u, i;
	struct name_slot *s;
	char *name, *spill;

	for (i = 0; i < 8; i++) {
		s = &slots[(h + i) & (HOST_USERS_SLOTS - 1)];
		if (s->name && s->id == id)
			return s->name;
		if (!s->name)
			break;
	}
	name = name_from_db(id, group);
	if (!name)
		return "?";
	if (i < 8) {
		s->name = name;
		s->id = id;
		return name;
	}
	spill = hu->spill[hu->spill_next++ % ARRAY_SIZE(hu->spill)];
	snprintf(spill, sizeof(hu->spill[0]), "%s", name);
	free(name);
	return spill;
}

const char *host_user_name(struct host_users *hu, uint32_t uid)
{
	return slot_name(hu, hu->users, uid, 0);
}

const char *host_group_name(struct host_users *hu, uint32_t gid)
{
	return slot_name(hu, hu->groups, gid, 1);
}
