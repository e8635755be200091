// SPDX-License-Identifier: GPL-2.0-or-later
/* container-users.c: user and group names from a container's own /etc/passwd and /etc/group. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
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

#include "core/array.h"
#include "core/lru.h"
#include "core/util.h"
#include "enrich/container-users.h"

#define NAME_LEN_MAX	256	/* longer user names are skipped */
/*
 * glibc's parse buffer: a line of CONTAINER_USERS_LINE_MAX bytes, its
 * newline and NUL, and the member list fgetgrent_r() stores after a group
 * line (a pointer per two bytes of the line at most, and a NULL).
 */
#define PARSE_BUF_SIZE	(CONTAINER_USERS_LINE_MAX + 3 + \
			 (CONTAINER_USERS_LINE_MAX / 2 + 2) * sizeof(char *))

struct users_entry {
	uint32_t id;
	uint32_t off;		/* of the name in names */
};

/* Entries and their names while a file is parsed. */
struct users_table {
	struct users_entry *ents;
	size_t n, cap;
	struct strbuf names;
};

/* One cached passwd or group file of one root file system. */
struct users_file {
	bool checked;		/* stat fields and ents/err are valid */
	int err;		/* the file could not be read: -errno */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	uint64_t checked_usec;
	struct users_entry *ents;	/* sorted by id, one per id */
	size_t n;
	char *names;
};

/* The cached files of one root file system, its path the key in core's LRU. */
struct users_root {
	struct users_file file[2];	/* passwd, group */
};

struct container_users {
	struct lru *roots;		/* of struct users_root */
	uint64_t recheck_usec;
};

static void file_clear_db(struct users_file *f)
{
	free(f->ents);
	free(f->names);
	f->ents = NULL;
	f->names = NULL;
	f->n = 0;
}

/* A root file system left the cache: free its tables. */
static void root_drop(void *value, void *ctx)
{
	struct users_root *r = value;

	(void)ctx;
	file_clear_db(&r->file[0]);
	file_clear_db(&r->file[1]);
}

int container_users_new(struct container_users **out)
{
	static const struct lru_ops ops = { .drop = root_drop };
	struct container_users *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->roots = lru_new(CONTAINER_USERS_ROOTS, 0, sizeof(struct users_root), &ops);
	if (!c->roots) {
		free(c);
		return -ENOMEM;
	}
	c->recheck_usec = CONTAINER_USERS_RECHECK_USEC;
	*out = c;
	return 0;
}

void container_users_free(struct container_users *c)
{
	if (!c)
		return;
	lru_free(c->roots);
	free(c);
}

void container_users_set_recheck(struct container_users *c, uint64_t usec)
{
	c->recheck_usec = usec;
}

/*
 * openat2(O_PATH, RESOLVE_IN_ROOT) of etc/<file> under root; -ENOSYS if
 * unsupported (build with -DCONTAINER_USERS_NO_OPENAT2 to test the fallback).
 */
static int open_in_root2(int root, const char *file)
{
#if defined(SYS_openat2) && defined(HAVE_OPEN_HOW) && !defined(CONTAINER_USERS_NO_OPENAT2)
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW,
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

/* O_PATH open of etc/<file> under root following no symlink at all. fd or -errno. */
static int open_nofollow(int root, const char *file)
{
	int etc, fd;

	etc = openat(root, "etc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (etc < 0)
		return -errno;
	fd = openat(etc, file, O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fd = -errno;
	close(etc);
	return fd;
}

/*
 * An O_PATH fd of <rootfs>/etc/<file>, found without leaving rootfs; the
 * file itself is not opened (a device's driver never sees an open, a FIFO
 * never blocks). fd or -errno.
 */
static int path_in_root(const char *rootfs, const char *file)
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

/*
 * Open the file of O_PATH fd pfd for reading, through /proc/self/fd (the
 * same inode, not its path again), when st says it is a regular file:
 * -ELOOP for a symlink, -EINVAL for anything else that is not regular.
 */
static int reopen_regular(int pfd, const struct stat *st)
{
	char proc[64];
	int fd;

	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (!S_ISREG(st->st_mode))
		return -EINVAL;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	return fd < 0 ? -errno : fd;
}

/* A name worth keeping: not empty, not a NIS "+"/"-" entry, not too long. */
static bool name_wanted(const char *name)
{
	return name[0] && name[0] != '+' && name[0] != '-' &&
	       strlen(name) < NAME_LEN_MAX;
}

static int ent_cmp(const void *a, const void *b)
{
	const struct users_entry *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Append one entry; 0 or -ENOMEM. */
static int table_add(struct users_table *t, const char *name, uint32_t id)
{
	if (array_reserve(&t->ents, &t->cap, t->n + 1, sizeof(*t->ents)) < 0)
		return -ENOMEM;
	t->ents[t->n].id = id;
	t->ents[t->n].off = (uint32_t)t->names.len;
	t->n++;
	if (sb_puts(&t->names, name) < 0 || sb_putc(&t->names, '\0') < 0)
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

/*
 * The next entry of a passwd (group false) or group file, parsed by glibc:
 * 0 with its name (in buf) and id, or fgetpwent_r()'s or fgetgrent_r()'s
 * error: ENOENT at the end, ERANGE for a line buf cannot hold (fp stays
 * at its start).
 */
static int next_entry(FILE *fp, bool group, char *buf, size_t size,
		      const char **name, uint32_t *id)
{
	struct passwd pw, *pwp;
	struct group gr, *grp;
	int r;

	if (group) {
		r = fgetgrent_r(fp, &gr, buf, size, &grp);
		if (r == 0) {
			*name = gr.gr_name;
			*id = gr.gr_gid;
		}
	} else {
		r = fgetpwent_r(fp, &pw, buf, size, &pwp);
		if (r == 0) {
			*name = pw.pw_name;
			*id = pw.pw_uid;
		}
	}
	return r;
}

/* The length of the line of text that ends at offset end (its newline left out). */
static size_t line_len_before(const char *text, size_t end)
{
	const char *nl;

	if (end && text[end - 1] == '\n')
		end--;
	nl = memrchr(text, '\n', end);
	return nl ? end - (size_t)(nl - text) - 1 : end;
}

/* Move fp past the line it stands at in text[0..len). 0 or -errno. */
static int skip_line(FILE *fp, const char *text, size_t len)
{
	off_t pos = ftello(fp);
	const char *nl;

	if (pos < 0 || (size_t)pos >= len)
		return -EIO;
	nl = memchr(text + pos, '\n', len - (size_t)pos);
	return fseeko(fp, nl ? nl - text + 1 : (off_t)len, SEEK_SET) < 0 ? -errno : 0;
}

/* Add the entry glibc just parsed, unless its name or line is refused. */
static int take_entry(struct users_table *t, const char *name, uint32_t id,
		      FILE *fp, const char *text)
{
	off_t end = ftello(fp);

	if (end < 0)
		return -errno;
	if (!name_wanted(name) ||
	    line_len_before(text, (size_t)end) > CONTAINER_USERS_LINE_MAX)
		return 0;
	return table_add(t, name, id);
}

/*
 * Parse text[0..len), a passwd or group file, into t with glibc's parser
 * reading the in-memory copy; lines longer than CONTAINER_USERS_LINE_MAX
 * are skipped. 0, -ENOMEM or -errno.
 */
static int parse_entries(struct users_table *t, bool group, char *text, size_t len)
{
	const char *name;
	uint32_t id;
	char *buf;
	FILE *fp;
	int r, e;

	buf = malloc(PARSE_BUF_SIZE);
	if (!buf)
		return -ENOMEM;
	fp = fmemopen(text, len, "r");
	if (!fp) {
		r = -errno;
		goto out;
	}
	r = 0;
	while ((e = next_entry(fp, group, buf, PARSE_BUF_SIZE, &name, &id)) != ENOENT) {
		if (e == 0)
			r = take_entry(t, name, id, fp, text);
		else if (e == ERANGE)	/* longer than buf: skipped unparsed */
			r = skip_line(fp, text, len);
		else
			r = -e;
		if (r < 0)
			break;
	}
	fclose(fp);
out:
	free(buf);
	return r;
}

/* Parse a passwd or group file into f's table. 0, -ENOMEM or -errno. */
static int parse_db(struct users_file *f, bool group, char *text, size_t len)
{
	struct users_table t = { NULL, 0, 0, STRBUF_INIT };
	int r;

	r = parse_entries(&t, group, text, len);
	if (r < 0)
		goto fail;
	file_clear_db(f);
	f->n = sort_unique(t.ents, t.n);
	f->ents = t.ents;
	f->names = sb_steal(&t.names);
	return f->names ? 0 : -ENOMEM;
fail:
	free(t.ents);
	sb_free(&t.names);
	return r;
}

static bool same_file(const struct users_file *f, const struct stat *st)
{
	return f->checked && !f->err && f->dev == st->st_dev &&
	       f->ino == st->st_ino && f->size == st->st_size &&
	       f->mtime.tv_sec == st->st_mtim.tv_sec &&
	       f->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* Re-read f, the passwd or group file of rootfs, if it changed; errors
 * are kept in f->err. */
static void file_refresh(struct users_file *f, const char *rootfs, bool group)
{
	struct strbuf sb = STRBUF_INIT;
	int pfd, fd = -1, r;
	struct stat st;

	pfd = path_in_root(rootfs, group ? "group" : "passwd");
	if (pfd < 0) {
		r = pfd;
		goto out;
	}
	r = fstat(pfd, &st) < 0 ? -errno : 0;
	if (r < 0 || same_file(f, &st))
		goto out;
	fd = reopen_regular(pfd, &st);
	r = fd < 0 ? fd : read_fd_bounded(fd, CONTAINER_USERS_FILE_MAX, &sb);
	if (r == 0)
		r = parse_db(f, group, sb.p, sb.len);
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
	if (pfd >= 0)
		close(pfd);
	sb_free(&sb);
}

/* The cached file of (rootfs, group), the least recently used root file
 * system's making room; NULL on ENOMEM. */
static struct users_file *file_of(struct container_users *c, const char *rootfs,
				  bool group)
{
	size_t len = strlen(rootfs);
	struct users_root *r = lru_get(c->roots, rootfs, len);

	if (!r)
		r = lru_put(c->roots, rootfs, len, NULL);
	return r ? &r->file[group] : NULL;
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
	f = file_of(c, rootfs, group);
	if (!f)
		return -ENOMEM;
	now = clock_usec(CLOCK_MONOTONIC);
	if (!f->checked || now - f->checked_usec >= c->recheck_usec) {
		file_refresh(f, rootfs, group);
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
