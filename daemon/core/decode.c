/* decode.c: turn one ring-buffer record into a struct exec_event, checking every bound. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/decode.h"
#include "core/util.h"
#include "trace_exec.h"

void decoder_init(struct decoder *d)
{
	memset(d, 0, sizeof(*d));
	decoder_sync_clock(d);
}

void decoder_free(struct decoder *d)
{
	size_t i;

	sb_free(&d->args);
	for (i = 0; i < EXEC_PATH_NR; i++)
		sb_free(&d->path[i]);
	free(d->argp);
	free(d->lens);
	memset(d, 0, sizeof(*d));
}

void decoder_sync_clock(struct decoder *d)
{
	int64_t b1 = clock_nsec(CLOCK_BOOTTIME);
	int64_t r = clock_nsec(CLOCK_REALTIME);
	int64_t b2 = clock_nsec(CLOCK_BOOTTIME);

	d->boot_to_real_ns = r - (b1 + (b2 - b1) / 2);
}

void tty_format(char *out, size_t len, unsigned int major, const char *name)
{
	if (major >= 136 && major <= 143 && !strncmp(name, "pts", 3) &&
	    name[3] >= '0' && name[3] <= '9')
		snprintf(out, len, "pts/%s", name + 3);
	else
		snprintf(out, len, "%s", name);
}

/* Make room for n argument slots; returns 0 or -ENOMEM. */
static int args_reserve(struct decoder *d, size_t n)
{
	const char **p;
	size_t *l, cap = d->cap ? d->cap : 64;

	if (n <= d->cap)
		return 0;
	while (cap < n)
		cap *= 2;
	p = realloc(d->argp, cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	d->argp = p;
	l = realloc(d->lens, cap * sizeof(*l));
	if (!l)
		return -ENOMEM;
	d->lens = l;
	d->cap = cap;
	return 0;
}

/* Split NUL-separated argument bytes into the event; returns 0 or -ENOMEM. */
static int decode_args(struct decoder *d, const unsigned char *buf,
		       size_t size, struct exec_event *ev)
{
	size_t i, start = 0, n = 0;
	int r;

	sb_reset(&d->args);
	r = sb_append(&d->args, buf, size);
	if (r < 0)
		return r;
	for (i = 0; i < size; i++)
		if (!buf[i])
			n++;
	if (size && buf[size - 1])
		n++;	/* a last argument cut before its NUL */
	r = args_reserve(d, n + 1);
	if (r < 0)
		return r;
	n = 0;
	for (i = 0; i <= size; i++) {
		if (i < size && buf[i])
			continue;
		if (i == size && start == size)
			break;
		d->argp[n] = d->args.p + start;
		d->lens[n] = i - start;
		n++;
		start = i + 1;
	}
	ev->nargs = n;
	ev->args = d->argp;
	ev->arglens = d->lens;
	return 0;
}

/* Rebuild "/a/b/c" from leaf-first components "c\0b\0a\0" (a cut walk
 * with no component left is ""). */
static int path_from_components(struct strbuf *out, const unsigned char *buf,
				size_t len, bool cut)
{
	size_t end = len;
	int r = 0;

	while (end > 0 && r == 0) {
		size_t start = end - 1;

		if (buf[start] == '\0' && start > 0)
			start--;
		while (start > 0 && buf[start - 1] != '\0')
			start--;
		r = sb_putc(out, '/');
		if (r == 0)
			r = sb_append(out, buf + start, strnlen((const char *)buf + start, end - start));
		end = start;
	}
	if (r == 0 && out->len == 0 && !cut)
		r = sb_putc(out, '/');
	return r;
}

/* A plain string path: relative ones are joined to the cwd when it is known. */
static int path_from_string(struct strbuf *out, const unsigned char *buf,
			    size_t len, const struct exec_path *cwd,
			    bool at_dirfd)
{
	size_t n = strnlen((const char *)buf, len);
	int r = 0;

	if (n && buf[0] != '/' && cwd->s && !cwd->truncated && !at_dirfd) {
		while (n >= 2 && buf[0] == '.' && buf[1] == '/') {
			buf += 2;
			n -= 2;
			while (n && buf[0] == '/') {
				buf++;
				n--;
			}
		}
		r = sb_puts(out, cwd->s);
		if (r == 0 && !(out->len == 1 && out->p[0] == '/'))
			r = sb_putc(out, '/');
	}
	if (r == 0)
		r = sb_append(out, buf, n);
	return r;
}

/* Decode the paths in te_path_id order (the cwd comes first). */
static int decode_paths(struct decoder *d, const struct te_event *raw,
			const unsigned char *paths, struct exec_event *ev)
{
	static const int map[TE_PATH_NR] = {
		[TE_PATH_CWD] = EXEC_PATH_CWD,
		[TE_PATH_FILE] = EXEC_PATH_FILE,
		[TE_PATH_EXE] = EXEC_PATH_EXE,
		[TE_PATH_PEXE] = EXEC_PATH_PARENT_EXE,
		[TE_PATH_CGROUP] = EXEC_PATH_CGROUP,
	};
	int i, r;

	for (i = 0; i < TE_PATH_NR; i++) {
		const struct te_path_ref *ref = &raw->paths[i];
		struct exec_path *p = &ev->path[map[i]];
		struct strbuf *sb = &d->path[map[i]];

		memset(p, 0, sizeof(*p));
		if (!(ref->flags & TE_P_PRESENT))
			continue;
		if ((size_t)ref->off + ref->len > raw->paths_size)
			return -EBADMSG;
		sb_reset(sb);
		if (ref->flags & TE_P_COMPONENTS)
			r = path_from_components(sb, paths + ref->off, ref->len,
						 ref->flags & TE_P_TRUNCATED);
		else
			r = path_from_string(sb, paths + ref->off, ref->len,
					     &ev->path[EXEC_PATH_CWD],
					     raw->flags & TE_F_FILE_AT_DIRFD);
		if (r < 0)
			return r;
		if (!sb->p && (r = sb_grow(sb, 0)) < 0)
			return r;
		p->s = sb->p;
		p->len = sb->len;
		p->truncated = ref->flags & TE_P_TRUNCATED;
		p->deleted = ref->flags & TE_P_DELETED;
		p->unreachable = ref->flags & TE_P_UNREACHABLE;
		p->walked = ref->flags & TE_P_COMPONENTS;
	}
	return 0;
}

static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, TE_COMM_LEN);
	dst[TE_COMM_LEN] = '\0';
}

int decode_event(struct decoder *d, const void *data, size_t size,
		 struct exec_event *ev)
{
	const struct te_event *raw = data;
	const unsigned char *payload;
	char tty[TE_TTY_LEN + 1];
	int r;

	if (size < sizeof(*raw) || raw->version != TE_ABI_VERSION)
		return -EBADMSG;
	if (raw->args_size > size - sizeof(*raw) ||
	    raw->paths_size > size - sizeof(*raw) - raw->args_size)
		return -EBADMSG;
	memset(ev, 0, sizeof(*ev));
	payload = raw->payload;
	ev->boot_ns = raw->boot_ns;
	/* Unsigned arithmetic: a bogus boot_ns must not overflow a signed sum. */
	ev->timestamp_usec = (raw->boot_ns + (uint64_t)d->boot_to_real_ns) / 1000;
	ev->pid = raw->pid;
	ev->tid = raw->tid;
	ev->ppid = raw->ppid;
	ev->uid = raw->uid;
	ev->gid = raw->gid;
	ev->loginuid = raw->loginuid;
	ev->sessionid = raw->sessionid;
	copy_comm(ev->comm, raw->comm);
	copy_comm(ev->pcomm, raw->pcomm);
	memcpy(tty, raw->tty, TE_TTY_LEN);
	tty[TE_TTY_LEN] = '\0';
	tty_format(ev->tty, sizeof(ev->tty), raw->tty_major, tty);
	ev->failed = raw->flags & TE_F_FAILED;
	/* A failed exec returns -1..-4095 (an errno); anything else is not
	 * a record the kernel side wrote (and -INT_MIN has no int). */
	if (ev->failed && (raw->retval >= 0 || raw->retval < -4095))
		return -EBADMSG;
	ev->error = ev->failed ? -raw->retval : 0;
	ev->mntns = raw->mntns;
	ev->cgroup_id = raw->cgroup_id;
	ev->argc = raw->argc;
	ev->argc_inexact = raw->flags & TE_F_ARGC_INEXACT;
	ev->args_truncated = raw->flags & TE_F_ARGS_TRUNCATED;
	ev->args_unavailable = raw->flags & TE_F_NO_RETURN;
	ev->upper_layer = raw->flags & TE_F_UPPER;
	ev->parent_upper_layer = raw->flags & TE_F_PARENT_UPPER;
	ev->file_upper_layer = raw->flags & TE_F_FILE_UPPER;
	ev->file_upper_known = !(raw->flags & TE_F_FILE_UPPER_UNKNOWN);
	r = decode_args(d, payload, raw->args_size, ev);
	if (r < 0)
		return r;
	if (ev->nargs > ev->argc) {
		ev->argc = ev->nargs;
		ev->argc_inexact = true;
	}
	return decode_paths(d, raw, payload + raw->args_size, ev);
}

/* A fold's file name: bounded, "" when its exec was past the point of no
 * return; true when it fills the kernel's buffer (it may be cut). */
static bool fold_file(char *dst, const char *src, unsigned int flags)
{
	size_t n = strnlen(src, TE_FOLD_NAME - 1);

	if (flags & TE_F_NO_RETURN)
		n = 0;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n == TE_FOLD_NAME - 1;
}

/* A failed exec's return value as a positive errno; -1 if it is not one. */
static int fold_errno(int ret)
{
	return ret < 0 && ret >= -4095 ? -ret : -1;
}

int decode_fold(const struct decoder *d, const struct te_fold_key *k,
		const struct te_fold *raw, struct exec_fold *out)
{
	uint64_t off = (uint64_t)d->boot_to_real_ns;
	uint64_t start = (uint64_t)k->window * TE_FOLD_WINDOW_NS;

	_Static_assert(EXEC_FOLD_NAME == TE_FOLD_NAME, "fold name sizes differ");
	if ((k->kind != TE_FOLD_UID && k->kind != TE_FOLD_CGROUP) ||
	    !raw->folded || raw->folded > raw->seen ||
	    (k->kind == TE_FOLD_UID && k->id > UINT32_MAX))
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->by_cgroup = k->kind == TE_FOLD_CGROUP;
	out->count = raw->folded;
	out->seen = raw->seen;
	out->sent_bytes = raw->bytes;
	out->uid = out->by_cgroup ? raw->uid : (uint32_t)k->id;
	out->cgroup_id = out->by_cgroup ? k->id : raw->cgroup_id;
	out->window_start_usec = (start + off) / 1000;
	out->window_end_usec = (start + TE_FOLD_WINDOW_NS + off) / 1000;
	out->first_usec = (raw->first_ns + off) / 1000;
	out->last_usec = (raw->last_ns + off) / 1000;
	out->first_error = fold_errno(raw->first_ret);
	out->last_error = fold_errno(raw->last_ret);
	if (out->first_error < 0 || out->last_error < 0)
		return -EBADMSG;
	out->file_truncated = fold_file(out->first_file, raw->first_file,
					raw->first_flags);
	out->file_truncated |= fold_file(out->last_file, raw->last_file,
					 raw->last_flags);
	return 0;
}
