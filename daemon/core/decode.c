// SPDX-License-Identifier: GPL-2.0-or-later
/* decode.c: turn one ring-buffer record into a struct exec_event, checking every bound. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "core/array.h"
#include "core/decode.h"
#include "core/util.h"
#include "trace_exec.h"

/* The first 16 hex digits of s (dashes skipped) into out[17]; 0 or
 * -EBADMSG. */
static int boot_id_parse(const char *s, char out[17])
{
	size_t n = 0;

	for (; *s && n < 16; s++)
		if (isxdigit((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
		else if (*s != '-')
			break;
	out[n == 16 ? 16 : 0] = '\0';
	return n == 16 ? 0 : -EBADMSG;
}

int boot_id_read(char out[17])
{
	struct strbuf sb = STRBUF_INIT;
	const char *env;
	int r;

	r = read_file_bounded(AT_FDCWD, "/proc/sys/kernel/random/boot_id", 64, &sb);
	if (r >= 0)
		r = sb.p ? boot_id_parse(sb.p, out) : -EBADMSG;
	sb_free(&sb);
	/* a sandbox without /proc/sys (ProcSubset=pid): the unit's %b */
	env = secure_getenv("TRACE_EXECD_BOOT_ID");
	if (r < 0 && env)
		r = boot_id_parse(env, out);
	return r;
}

void exec_id_format(char out[EXEC_ID_LEN], const char *boot, uint64_t start_ns,
		    uint32_t tgid, uint64_t n)
{
	snprintf(out, EXEC_ID_LEN, "%s-%" PRIu64 "-%" PRIu32 "-%" PRIu64,
		 boot, start_ns, tgid, n);
}

void decoder_init(struct decoder *d)
{
	memset(d, 0, sizeof(*d));
	decoder_sync_clock(d);
	/* without a boot id, ids would not be unique across boots: none */
	if (boot_id_read(d->boot) < 0)
		d->boot[0] = '\0';
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
	if (array_reserve(&d->argp, &d->argp_cap, n, sizeof(*d->argp)) < 0 ||
	    array_reserve(&d->lens, &d->lens_cap, n, sizeof(*d->lens)) < 0)
		return -ENOMEM;
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
 * with no component left is ""); with a gap (its root side from root on)
 * the cut mark stands for the components left out. */
static int path_from_components(struct strbuf *out, const unsigned char *buf,
				size_t len, bool cut, size_t root)
{
	size_t end = len;
	int r = 0;

	while (end > 0 && r == 0) {
		if (end == root && root) {
			r = sb_puts(out, "/" EXEC_PATH_CUT_MARK);
			if (r)
				break;
		}
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
		if ((ref->flags & TE_P_GAP) &&
		    (!(ref->flags & TE_P_COMPONENTS) || !ref->root ||
		     ref->root >= ref->len || paths[ref->off + ref->root - 1]))
			return -EBADMSG;
		if (ref->flags & TE_P_COMPONENTS)
			r = path_from_components(sb, paths + ref->off, ref->len,
						 ref->flags & TE_P_TRUNCATED,
						 ref->flags & TE_P_GAP ? ref->root : 0);
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
		p->gap = ref->flags & TE_P_GAP;
	}
	return 0;
}

/* The kernel's dev_t (major << 20 | minor) as stat(2) gives it. */
static uint64_t dev_from_kernel(uint32_t kdev)
{
	return makedev(kdev >> 20, kdev & 0xfffff);
}

/* A file's identity in userspace's terms. */
static struct exec_file_id file_id_from(const struct te_file_id *f)
{
	return (struct exec_file_id){
		.dev = dev_from_kernel(f->dev), .ino = f->ino, .size = f->size,
		.mtime_sec = f->mtime_sec, .mtime_nsec = f->mtime_nsec,
		.ctime_sec = f->ctime_sec, .ctime_nsec = f->ctime_nsec,
	};
}

/* EXEC_ID, EXEC_PARENT_ID and the executable's identity. */
static void decode_lineage(const struct decoder *d, const struct te_event *raw,
			   struct exec_event *ev)
{

	if (d->boot[0] && !ev->failed && raw->exec_count)
		exec_id_format(ev->exec_id, d->boot, raw->start_ns, raw->pid,
			       raw->exec_count);
	if (d->boot[0] && raw->ptgid)
		exec_id_format(ev->parent_exec_id, d->boot, raw->pstart_ns,
			       raw->ptgid, raw->pexec_count);
	ev->parent_id_inferred = raw->lineage_flags & TE_L_PARENT_INFERRED;
	ev->start_ns = raw->start_ns;
	/* the kernel side knows the file's layer only when it is the
	 * executable (not a script's) */
	ev->file_is_exe = !ev->failed && !(raw->flags & TE_F_FILE_UPPER_UNKNOWN) &&
			  !(raw->lineage_flags & TE_L_FILE_ID);
	ev->exe_id_known = raw->lineage_flags & TE_L_EXE_ID;
	if (!ev->exe_id_known)
		return;
	ev->exe_fs_magic = raw->exe_id.fs_magic;
	ev->exe_id = file_id_from(&raw->exe_id);
}

static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, TE_COMM_LEN);
	dst[TE_COMM_LEN] = '\0';
}

/* The header size of a record of this version (a version 1 record, left
 * in the ring by an earlier build, has no lineage fields, a version 2 one
 * no script identity); 0 for a record too short or of another version. */
static size_t header_size(const void *data, size_t size)
{
	uint32_t version;

	if (size < sizeof(version))
		return 0;
	memcpy(&version, data, sizeof(version));
	if (version == TE_ABI_VERSION && size >= sizeof(struct te_event))
		return sizeof(struct te_event);
	if (version == 2 && size >= TE_EVENT_V2_SIZE)
		return TE_EVENT_V2_SIZE;
	if (version == 1 && size >= TE_EVENT_V1_SIZE)
		return TE_EVENT_V1_SIZE;
	return 0;
}

/* The fields after a version 1 header: the kill rules' verdict, the mount
 * namespace's id, the lineage. */
static void decode_v2(const struct decoder *d, const struct te_event *raw,
		      struct exec_event *ev)
{
	ev->kill_action = raw->kaction;
	ev->kill_rule = raw->krule;
	ev->kill_gen = raw->kgen;
	ev->mntns_id = raw->kmntns_id;
	decode_lineage(d, raw, ev);
}

int decode_event(struct decoder *d, const void *data, size_t size,
		 struct exec_event *ev)
{
	const struct te_event *raw = data;
	const unsigned char *payload;
	char tty[TE_TTY_LEN + 1];
	int r;

	size_t hdr = header_size(data, size);

	if (!hdr || raw->args_size > size - hdr ||
	    raw->paths_size > size - hdr - raw->args_size)
		return -EBADMSG;
	memset(ev, 0, sizeof(*ev));
	payload = (const unsigned char *)data + hdr;
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
	ev->killed = raw->flags & TE_F_KILLED;
	/* what a version 1 record (an earlier build's ring) does not hold */
	if (hdr >= TE_EVENT_V2_SIZE)
		decode_v2(d, raw, ev);
	if (hdr == sizeof(*raw) && (raw->lineage_flags & TE_L_FILE_ID)) {
		ev->file_id_known = true;
		ev->file_fs_magic = raw->file_id.fs_magic;
		ev->file_id = file_id_from(&raw->file_id);
	}
	ev->loader = raw->flags & TE_F_LOADER;
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
	uint64_t ct = k->id >> TE_FOLD_CT_SHIFT;

	if ((k->kind != TE_FOLD_UID && k->kind != TE_FOLD_CGROUP) ||
	    !raw->folded || raw->folded > raw->seen ||
	    (k->kind == TE_FOLD_UID && ct > TE_KCT_SLOTS))
		return -EBADMSG;
	memset(out, 0, sizeof(*out));
	out->by_cgroup = k->kind == TE_FOLD_CGROUP;
	out->count = raw->folded;
	out->seen = raw->seen;
	out->sent_bytes = raw->bytes;
	out->behind = raw->behind;
	out->uid = out->by_cgroup ? raw->uid : (uint32_t)k->id;
	out->ct_slot = out->by_cgroup ? -1 : (int)ct - 1;
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
