/* names.c: cached user and group names for uids and gids ("uid:N" when none). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "enrich/names.h"
#include "core/util.h"

#define NAMES_SLOTS 1024	/* per kind; power of two */

struct name_slot {
	uint32_t id;
	char *name;	/* NULL: empty slot */
};

struct names {
	struct name_slot users[NAMES_SLOTS];
	struct name_slot groups[NAMES_SLOTS];
	struct timespec passwd_mtime, group_mtime;
	time_t checked;
	char spill[4][256];	/* names that found no free slot */
	unsigned int spill_next;
};

int names_new(struct names **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void slots_clear(struct name_slot *s)
{
	size_t i;

	for (i = 0; i < NAMES_SLOTS; i++) {
		free(s[i].name);
		s[i].name = NULL;
	}
}

void names_free(struct names *n)
{
	if (!n)
		return;
	slots_clear(n->users);
	slots_clear(n->groups);
	free(n);
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

void names_refresh(struct names *n)
{
	time_t now = time(NULL);

	if (now == n->checked)
		return;
	n->checked = now;
	if (mtime_changed("/etc/passwd", &n->passwd_mtime))
		slots_clear(n->users);
	if (mtime_changed("/etc/group", &n->group_mtime))
		slots_clear(n->groups);
}

/* Resolve an id through the user database; returns a malloc'ed name. */
static char *lookup(uint32_t id, int group)
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
static const char *cached(struct names *n, struct name_slot *slots,
			  uint32_t id, int group)
{
	uint32_t h = id * 2654435761u, i;
	struct name_slot *s;
	char *name, *spill;

	for (i = 0; i < 8; i++) {
		s = &slots[(h + i) & (NAMES_SLOTS - 1)];
		if (s->name && s->id == id)
			return s->name;
		if (!s->name)
			break;
	}
	name = lookup(id, group);
	if (!name)
		return "?";
	if (i < 8) {
		s->name = name;
		s->id = id;
		return name;
	}
	spill = n->spill[n->spill_next++ % ARRAY_SIZE(n->spill)];
	snprintf(spill, sizeof(n->spill[0]), "%s", name);
	free(name);
	return spill;
}

const char *names_user(struct names *n, uint32_t uid)
{
	return cached(n, n->users, uid, 0);
}

const char *names_group(struct names *n, uint32_t gid)
{
	return cached(n, n->groups, gid, 1);
}
