/* container-users.c: user and group names from a container's own /etc/passwd and /etc/group. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPEN_HOW 1
#endif
#endif

#include "enrich/container-users.h"
#include "core/util.h"

#define NAME_LEN_MAX	256	/* longer user names are skipped */

struct users_entry {
	uint32_t id;
	uint32_t off;		/* of the name in names */
};

/* One cached passwd or group file of one root file system. */
struct users_file {
	char *rootfs;		/* NULL: free slot */
	bool group;
	bool checked;		/* stat fields and ents/err are valid */
	int err;		/* the file could not be read: -errno */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uint64_t checked_usec, used;
	struct users_entry *ents;	/* sorted by id, one per id */
	size_t n;
	char *names;
};

struct container_users {
	struct users_file files[CONTAINER_USERS_FILES];
	uint64_t recheck_usec, tick;
};

int container_users_new(struct container_users **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	(*out)->recheck_usec = CONTAINER_USERS_RECHECK_USEC;
	return 0;
}

static void file_clear_db(struct users_file *f)
{
	free(f->ents);
	free(f->names);
	f->ents = NULL;
	f->names = NULL;
	f->n = 0;
}

static void file_clear(struct users_file *f)
{
	file_clear_db(f);
	free(f->rootfs);
	memset(f, 0, sizeof(*f));
}

void container_users_free(struct container_users *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < CONTAINER_USERS_FILES; i++)
		file_clear(&c->files[i]);
	free(c);
}

void container_users_set_recheck(struct container_users *c, uint64_t usec)
{
	c->recheck_usec = usec;
}

/*
 * openat2(RESOLVE_IN_ROOT) of etc/<file> under root; -ENOSYS if unsupported
 * (build with -DCONTAINER_USERS_NO_OPENAT2 to test the fallback).
 */
static int open_in_root2(int root, const char *file)
{
#if defined(SYS_openat2) && defined(HAVE_OPEN_HOW) && !defined(CONTAINER_USERS_NO_OPENAT2)
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	char path[32];
	long fd;

	snprintf(path, sizeof(path), "etc/%s", file);
	fd = syscall(SYS_openat2, root, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
#else
	return -ENOSYS;
#endif
}

/* Open etc/<file> under root following no symlink at all. fd or -errno. */
static int open_nofollow(int root, const char *file)
{
	int etc, fd;

	etc = openat(root, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc < 0)
		return -errno;
	fd = openat(etc, file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY);
	if (fd < 0)
		fd = -errno;
	close(etc);
	return fd;
}

/* Open <rootfs>/etc/<file> without leaving rootfs. fd or -errno. */
static int open_in_root(const char *rootfs, const char *file)
{
	int root, fd;

	root = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	fd = open_in_root2(root, file);
	if (fd == -ENOSYS || fd == -EPERM)
		fd = open_nofollow(root, file);
	close(root);
	return fd;
}

/* Strict decimal u32 of s[0..len); false if not one. */
static bool parse_id(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Name and id (third field) of a passwd/group line; false to skip it. */
static bool parse_line(const char *s, size_t len, size_t *name_len, uint32_t *id)
{
	const char *c1, *c2, *c3;

	c1 = memchr(s, ':', len);
	if (!c1 || c1 == s || (size_t)(c1 - s) >= NAME_LEN_MAX ||
	    *s == '+' || *s == '-' || *s == '#' || memchr(s, '\0', (size_t)(c1 - s)))
		return false;
	c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - s));
	if (!c2)
		return false;
	c3 = memchr(c2 + 1, ':', len - (size_t)(c2 + 1 - s));
	if (!c3)
		c3 = s + len;
	*name_len = (size_t)(c1 - s);
	return parse_id(c2 + 1, (size_t)(c3 - c2 - 1), id);
}

static int ent_cmp(const void *a, const void *b)
{
	const struct users_entry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Append one entry; 0 or -ENOMEM. */
static int add_ent(struct users_entry **ents, size_t *n, size_t *cap,
		   struct strbuf *names, const char *name, size_t nlen,
		   uint32_t id)
{
	struct users_entry *e;
	size_t ncap;

	if (*n == *cap) {
		ncap = *cap ? *cap * 2 : 64;
		e = realloc(*ents, ncap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		*ents = e;
		*cap = ncap;
	}
	(*ents)[*n].id = id;
	(*ents)[*n].off = (uint32_t)names->len;
	(*n)++;
	if (sb_append(names, name, nlen) < 0 || sb_putc(names, '\0') < 0)
		return -ENOMEM;
	return 0;
}

/* Sort by id and keep the first line of each id (as getpwuid does). */
static size_t sort_unique(struct users_entry *ents, size_t n)
{
	size_t i, out = 0;

	if (n)
		qsort(ents, n, sizeof(*ents), ent_cmp);
	for (i = 0; i < n; i++)
		if (out == 0 || ents[out - 1].id != ents[i].id)
			ents[out++] = ents[i];
	return out;
}

/* Parse a passwd or group file into f's table. 0 or -ENOMEM. */
static int parse_db(struct users_file *f, const char *text, size_t len)
{
	struct strbuf names = STRBUF_INIT;
	struct users_entry *ents = NULL;
	const char *s = text, *end = text + len, *nl;
	size_t n = 0, cap = 0, nlen;
	uint32_t id;
	int r = 0;

	for (; s < end && r == 0; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		if ((size_t)(nl - s) <= CONTAINER_USERS_LINE_MAX &&
		    parse_line(s, (size_t)(nl - s), &nlen, &id))
			r = add_ent(&ents, &n, &cap, &names, s, nlen, id);
	}
	if (r < 0)
		goto fail;
	file_clear_db(f);
	f->n = sort_unique(ents, n);
	f->ents = ents;
	f->names = sb_steal(&names);
	return f->names ? 0 : -ENOMEM;
fail:
	free(ents);
	sb_free(&names);
	return r;
}

static bool same_file(const struct users_file *f, const struct stat *st)
{
	return f->checked && !f->err && f->dev == st->st_dev &&
	       f->ino == st->st_ino && f->size == st->st_size &&
	       f->mtime.tv_sec == st->st_mtim.tv_sec &&
	       f->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Re-read f's file if it changed; errors are kept in f->err. */
static void file_refresh(struct users_file *f)
{
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int fd, r;

	fd = open_in_root(f->rootfs, f->group ? "group" : "passwd");
	if (fd < 0) {
		r = fd;
		goto out;
	}
	r = fstat(fd, &st) < 0 ? -errno : 0;
	if (r < 0 || same_file(f, &st))
		goto out;
	r = read_fd_bounded(fd, CONTAINER_USERS_FILE_MAX, &sb);
	if (r == 0)
		r = parse_db(f, sb.p, sb.len);
	if (r == 0) {
		f->dev = st.st_dev;
		f->ino = st.st_ino;
		f->size = st.st_size;
		f->mtime = st.st_mtim;
	}
out:
	if (r < 0)
		file_clear_db(f);
	f->err = r;
	f->checked = true;
	if (fd >= 0)
		close(fd);
	sb_free(&sb);
}

/* The slot of (rootfs, group), reusing the least recently used; NULL on ENOMEM. */
static struct users_file *file_slot(struct container_users *c, const char *rootfs,
				    bool group)
{
	struct users_file *f, *victim = &c->files[0];
	size_t i;

	for (i = 0; i < CONTAINER_USERS_FILES; i++) {
		f = &c->files[i];
		if (f->rootfs && f->group == group && !strcmp(f->rootfs, rootfs))
			return f;
		if (!f->rootfs ? victim->rootfs != NULL : f->used < victim->used)
			victim = f;
	}
	file_clear(victim);
	victim->rootfs = strdup(rootfs);
	victim->group = group;
	return victim->rootfs ? victim : NULL;
}

static int ent_find(const void *key, const void *elem)
{
	uint32_t id = *(const uint32_t *)key;
	const struct users_entry *e = elem;

	return id < e->id ? -1 : id > e->id;
}

int container_users_name(struct container_users *c, const char *rootfs,
			 uint32_t id, bool group, char *buf, size_t len)
{
	const struct users_entry *e;
	struct users_file *f;
	uint64_t now;
	size_t n;

	if (!c || !rootfs || rootfs[0] != '/' || !buf || !len)
		return -EINVAL;
	f = file_slot(c, rootfs, group);
	if (!f)
		return -ENOMEM;
	f->used = ++c->tick;
	now = clock_usec(CLOCK_MONOTONIC);
	if (!f->checked || now - f->checked_usec >= c->recheck_usec) {
		file_refresh(f);
		f->checked_usec = now;
	}
	if (f->err)
		return f->err == -ENOTDIR ? -ENOENT : f->err;
	e = f->n ? bsearch(&id, f->ents, f->n, sizeof(*e), ent_find) : NULL;
	if (!e)
		return -ENOENT;
	n = strlen(f->names + e->off);
	if (n >= len)
		return -ERANGE;
	memcpy(buf, f->names + e->off, n + 1);
	return 0;
}
