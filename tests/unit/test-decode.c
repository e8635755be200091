// SPDX-License-Identifier: GPL-2.0-or-later
/* test-decode.c: unit tests of the ring-buffer record decoder (bounds, paths, args). */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "core/decode.h"
#include "format/event-text.h"
#include "trace_exec.h"

static unsigned char rec[65536];

/* Build a record with the given args bytes and no paths; returns its size. */
static size_t make(const void *args, size_t args_len)
{
	struct te_event *e = (struct te_event *)rec;

	memset(rec, 0, sizeof(rec));
	e->version = TE_ABI_VERSION;
	e->pid = 42;
	e->tid = 42;
	e->ppid = 1;
	e->argc = 0;
	memcpy(e->comm, "echo", 5);
	memcpy(e->pcomm, "bash", 5);
	memcpy(e->payload, args, args_len);
	e->args_size = args_len;
	return sizeof(*e) + args_len;
}

/* Append a path blob to the record of size *size. */
static void add_path(size_t *size, int id, const void *blob, size_t len,
		     unsigned flags)
{
	struct te_event *e = (struct te_event *)rec;

	memcpy(e->payload + e->args_size + e->paths_size, blob, len);
	e->paths[id].off = e->paths_size;
	e->paths[id].len = len;
	e->paths[id].flags = flags | TE_P_PRESENT;
	e->paths_size += len;
	*size += len;
}

/* The texts event_text_fill() makes: EXEC_ARGV and marked paths. */
static struct event_text text;

static void test_args(struct decoder *d)
{
	struct exec_event ev;
	size_t n = make("ls\0-l\0a b\0", 10);

	((struct te_event *)rec)->argc = 3;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(ev.nargs, 3);
	CHECK_STR(ev.args[0], "ls");
	CHECK_STR(ev.args[2], "a b");
	CHECK_INT(ev.arglens[2], 3);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(ev.argv_str, "ls -l \"a b\"");
	CHECK_STR(ev.comm, "echo");
	CHECK_INT(ev.argc, 3);
	CHECK(!ev.args_truncated);

	/* cut inside the second argument */
	n = make("ls\0-lon", 7);
	((struct te_event *)rec)->argc = 5;
	((struct te_event *)rec)->flags = TE_F_ARGS_TRUNCATED;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(ev.nargs, 2);
	CHECK_STR(ev.args[1], "-lon");
	CHECK_INT(ev.argc, 5);
	CHECK(ev.args_truncated);

	/* an empty argument is kept */
	n = make("a\0\0b\0", 5);
	((struct te_event *)rec)->argc = 3;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(ev.nargs, 3);
	CHECK_INT(ev.arglens[1], 0);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(ev.argv_str, "a \"\" b");

	/* no arguments at all */
	n = make("", 0);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(ev.nargs, 0);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(ev.argv_str, "");
}

/* A file on a detached mount: walked to that mount's root, which the
 * process cannot reach; the text stays as walked, the flag says it. */
static void test_unreachable(struct decoder *d)
{
	struct exec_event ev;
	size_t n = make("", 0);

	add_path(&n, TE_PATH_EXE, "prog\0bin\0", 10,
		 TE_P_COMPONENTS | TE_P_UNREACHABLE);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(EXEC_EXE(&ev), "/bin/prog");
	CHECK(ev.path[EXEC_PATH_EXE].unreachable);
	CHECK(!ev.path[EXEC_PATH_EXE].truncated);
	CHECK(!ev.path[EXEC_PATH_EXE].deleted);
}

/* A script's file found by the kernel: its identity, not the exe's, and
 * the file is not the executable; the loader mark. */
static void test_script_id(struct decoder *d)
{
	struct te_event *e = (struct te_event *)rec;
	struct exec_event ev;
	size_t n = make("", 0);

	e->lineage_flags = TE_L_EXE_ID | TE_L_FILE_ID;
	e->exe_id.ino = 7;
	e->file_id.ino = 8;
	e->file_id.dev = 254 << 20 | 3;
	e->file_id.fs_magic = 0x794c7630;
	e->flags = TE_F_LOADER;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK(ev.file_id_known);
	CHECK_INT(ev.file_id.ino, 8);
	CHECK_INT(ev.file_id.dev, makedev(254, 3));
	CHECK_INT(ev.file_fs_magic, 0x794c7630);
	CHECK_INT(ev.exe_id.ino, 7);
	CHECK(!ev.file_is_exe);
	CHECK(ev.loader);
}

/* A path longer than the kernel keeps: its root side, the cut mark, its
 * leaf side; a gap flag with no root side in it is not a record the
 * kernel side wrote. */
static void test_gap(struct decoder *d)
{
	struct exec_event ev;
	size_t n = make("", 0);

	add_path(&n, TE_PATH_EXE, "prog\0d9\0kz\0tmp\0", 15,
		 TE_P_COMPONENTS | TE_P_GAP);
	((struct te_event *)rec)->paths[TE_PATH_EXE].root = 8;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(EXEC_EXE(&ev), "/tmp/kz/" EXEC_PATH_CUT_MARK "/d9/prog");
	CHECK(ev.path[EXEC_PATH_EXE].gap);
	CHECK(!ev.path[EXEC_PATH_EXE].truncated);
	((struct te_event *)rec)->paths[TE_PATH_EXE].root = 15;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	((struct te_event *)rec)->paths[TE_PATH_EXE].root = 7;	/* not after a NUL */
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
}

static void test_paths(struct decoder *d)
{
	struct exec_event ev;
	size_t n = make("x\0", 2);

	add_path(&n, TE_PATH_CWD, "c\0b\0a\0", 6, TE_P_COMPONENTS);
	add_path(&n, TE_PATH_FILE, "run.sh", 7, 0);
	add_path(&n, TE_PATH_EXE, "bin\0usr\0", 8, TE_P_COMPONENTS | TE_P_TRUNCATED);
	add_path(&n, TE_PATH_PEXE, "memfd:x\0", 8,
		 TE_P_COMPONENTS | TE_P_DELETED | TE_P_UNREACHABLE);
	add_path(&n, TE_PATH_CGROUP, "", 0, TE_P_COMPONENTS);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_STR(EXEC_CWD(&ev), "/a/b/c");
	CHECK(!ev.path[EXEC_PATH_CWD].truncated);
	CHECK(!ev.path[EXEC_PATH_CWD].unreachable);
	CHECK_STR(EXEC_FILE(&ev), "/a/b/c/run.sh");
	/* decoded as walked, flagged; the marks are event_text_fill()'s */
	CHECK_STR(EXEC_EXE(&ev), "/usr/bin");
	CHECK(ev.path[EXEC_PATH_EXE].truncated);
	CHECK(!ev.path[EXEC_PATH_EXE].unreachable);
	CHECK_STR(EXEC_PARENT_EXE(&ev), "/memfd:x");
	CHECK(ev.path[EXEC_PATH_PARENT_EXE].deleted);
	CHECK(ev.path[EXEC_PATH_PARENT_EXE].unreachable);
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(EXEC_EXE(&ev), "\xe2\x80\xa6/usr/bin");
	CHECK_INT(ev.path[EXEC_PATH_EXE].len, strlen("\xe2\x80\xa6/usr/bin"));
	CHECK_STR(EXEC_PARENT_EXE(&ev), "/memfd:x (deleted)");
	CHECK_STR(EXEC_FILE(&ev), "/a/b/c/run.sh");
	CHECK_STR(EXEC_CGROUP(&ev), "/");

	/* a cut walk with no component left is the mark alone */
	n = make("", 0);
	add_path(&n, TE_PATH_EXE, "", 0, TE_P_COMPONENTS | TE_P_TRUNCATED);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_STR(EXEC_EXE(&ev), "");
	CHECK_INT(event_text_fill(&text, &ev), 0);
	CHECK_STR(EXEC_EXE(&ev), "\xe2\x80\xa6");

	/* "./" is dropped when joining, absolute names are kept */
	n = make("", 0);
	add_path(&n, TE_PATH_CWD, "", 0, TE_P_COMPONENTS);
	add_path(&n, TE_PATH_FILE, "./x", 4, 0);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_STR(EXEC_FILE(&ev), "/x");
	CHECK(EXEC_EXE(&ev) == NULL);

	/* relative to an execveat dirfd: never joined to the cwd */
	n = make("", 0);
	((struct te_event *)rec)->flags = TE_F_FAILED | TE_F_FILE_AT_DIRFD;
	((struct te_event *)rec)->retval = -2;
	add_path(&n, TE_PATH_CWD, "tmp\0", 4, TE_P_COMPONENTS);
	add_path(&n, TE_PATH_FILE, "x", 2, 0);
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_STR(EXEC_FILE(&ev), "x");
	CHECK(ev.failed);
	CHECK_INT(ev.error, 2);
}

static void test_bad(struct decoder *d)
{
	struct te_event *e = (struct te_event *)rec;
	struct exec_event ev;
	size_t n = make("abc\0", 4);

	CHECK_INT(decode_event(d, rec, sizeof(*e) - 1, &ev), -EBADMSG);
	e->version = 99;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	n = make("abc\0", 4);
	e->args_size = 5;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	e->args_size = 4;
	e->paths_size = 1;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	n = make("abc\0", 4);
	add_path(&n, TE_PATH_CWD, "a\0", 2, TE_P_COMPONENTS);
	e->paths[TE_PATH_CWD].len = 3;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	e->args_size = UINT32_MAX;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);

	/* a failed exec's return value must be an errno (-1..-4095) */
	n = make("abc\0", 4);
	e->flags = TE_F_FAILED;
	e->retval = -2;
	CHECK_INT(decode_event(d, rec, n, &ev), 0);
	CHECK_INT(ev.error, 2);
	e->retval = INT32_MIN;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	e->retval = 0;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
	e->retval = -4096;
	CHECK_INT(decode_event(d, rec, n, &ev), -EBADMSG);
}

/* A fold of failed execs: the kernel's counts, wall-clock times, names
 * bounded and dropped past the point of no return, garbage rejected. */
static void test_fold(struct decoder *d)
{
	struct te_fold_key k = { .id = 4243, .kind = TE_FOLD_UID, .window = 100 };
	struct te_fold raw;
	struct exec_fold fo;

	memset(&raw, 0, sizeof(raw));
	raw.seen = 1100;
	raw.folded = 1000;
	raw.first_ns = 100 * TE_FOLD_WINDOW_NS + 5000;
	raw.last_ns = 100 * TE_FOLD_WINDOW_NS + 999999000;
	raw.cgroup_id = 77;
	raw.uid = 1;
	raw.first_ret = -2;
	raw.last_ret = -13;
	strcpy(raw.first_file, "/nonexistent/f");
	strcpy(raw.last_file, "/tmp/x");
	d->boot_to_real_ns = 1000000000000;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
	CHECK(!fo.by_cgroup);
	CHECK_INT(fo.count, 1000);
	CHECK_INT(fo.seen, 1100);
	CHECK_INT(fo.uid, 4243);		/* the key's, by uid */
	CHECK_INT(fo.cgroup_id, 77);
	CHECK_INT(fo.window_start_usec, 1000000000 + 100000000);
	CHECK_INT(fo.window_end_usec, 1000000000 + 101000000);
	CHECK_INT(fo.first_usec, 1000000000 + 100000005);
	CHECK_INT(fo.last_usec, 1000000000 + 100999999);
	CHECK_INT(fo.first_error, 2);
	CHECK_INT(fo.last_error, 13);
	CHECK_STR(fo.first_file, "/nonexistent/f");
	CHECK_STR(fo.last_file, "/tmp/x");
	CHECK(!fo.file_truncated);

	/* by cgroup: the key is the cgroup, the uid the first exec's */
	k.kind = TE_FOLD_CGROUP;
	k.id = 1ULL << 40;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
	CHECK(fo.by_cgroup);
	CHECK_INT(fo.uid, 1);
	CHECK_INT(fo.cgroup_id, 1ULL << 40);

	/* a name that fills the buffer, unterminated: kept bounded, marked;
	 * past the point of no return: no name */
	memset(raw.first_file, 'a', sizeof(raw.first_file));
	raw.last_flags = TE_F_NO_RETURN;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
	CHECK_INT(strlen(fo.first_file), TE_FOLD_NAME - 1);
	CHECK(fo.file_truncated);
	CHECK_STR(fo.last_file, "");

	/* not a fold the kernel side could have made */
	k.kind = 3;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	k.kind = TE_FOLD_UID;
	/* a uid in a verified container: its slot + 1 above the uid */
	k.id = 5 | 3ULL << TE_FOLD_CT_SHIFT;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
	CHECK_INT(fo.uid, 5);
	CHECK_INT(fo.ct_slot, 2);
	k.id = 5;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
	CHECK_INT(fo.ct_slot, -1);
	k.id = 5 | (TE_KCT_SLOTS + 1ULL) << TE_FOLD_CT_SHIFT;	/* no such slot */
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	k.id = 5;
	raw.folded = raw.seen + 1;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	raw.folded = 0;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	raw.folded = 1;
	raw.last_ret = 0;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	raw.last_ret = -4096;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), -EBADMSG);
	raw.last_ret = -1;
	CHECK_INT(decode_fold(d, &k, &raw, &fo), 0);
}

static void test_tty(void)
{
	char out[40];

	tty_format(out, sizeof(out), 136, "pts3");
	CHECK_STR(out, "pts/3");
	tty_format(out, sizeof(out), 4, "tty1");
	CHECK_STR(out, "tty1");
	tty_format(out, sizeof(out), 0, "");
	CHECK_STR(out, "");
}

/* EXEC_ID and EXEC_PARENT_ID from the kernel's numbers; a failed exec
 * has no EXEC_ID; the executable's identity with st_dev's encoding. */
static void test_lineage(struct decoder *d)
{
	struct te_event *e = (struct te_event *)rec;
	struct exec_event ev;
	char want[EXEC_ID_LEN];
	size_t size = make("x", 2);

	e->start_ns = 123456789;
	e->exec_count = 7;
	e->ptgid = 1;
	e->pstart_ns = 5;
	e->pexec_count = 2;
	e->lineage_flags = TE_L_EXE_ID;
	e->exe_id.dev = (254U << 20) | 3;
	e->exe_id.ino = 99;
	e->exe_id.ctime_nsec = 5;
	CHECK_INT(decode_event(d, rec, size, &ev), 0);
	CHECK_INT(strlen(d->boot), 16);
	snprintf(want, sizeof(want), "%s-123456789-42-7", d->boot);
	CHECK_STR(ev.exec_id, want);
	snprintf(want, sizeof(want), "%s-5-1-2", d->boot);
	CHECK_STR(ev.parent_exec_id, want);
	CHECK(!ev.parent_id_inferred);
	CHECK(ev.exe_id_known);
	CHECK_INT(ev.exe_id.dev, makedev(254, 3));
	CHECK_INT(ev.exe_id.ino, 99);
	CHECK_INT(ev.exe_id.ctime_nsec, 5);
	CHECK(ev.file_is_exe);
	e->lineage_flags = TE_L_PARENT_INFERRED;
	e->flags = TE_F_FAILED | TE_F_FILE_UPPER_UNKNOWN;
	e->retval = -2;
	CHECK_INT(decode_event(d, rec, size, &ev), 0);
	CHECK_STR(ev.exec_id, "");
	CHECK_STR(ev.parent_exec_id, want);
	CHECK(ev.parent_id_inferred);
	CHECK(!ev.exe_id_known);
	CHECK(!ev.file_is_exe);
	/* a version 1 record (an earlier build's ring): no lineage */
	e->version = 1;
	e->flags = 0;
	e->retval = 0;
	memmove((char *)e + TE_EVENT_V1_SIZE, e->payload, 2);
	CHECK_INT(decode_event(d, rec, TE_EVENT_V1_SIZE + 2, &ev), 0);
	CHECK_STR(ev.exec_id, "");
	CHECK_INT(ev.nargs, 1);
	CHECK_STR(ev.args[0], "x");
	/* a version 2 record: no script identity, the rest as today's */
	memmove(e->payload, (char *)e + TE_EVENT_V1_SIZE, 2);
	e->version = 2;
	e->lineage_flags = TE_L_EXE_ID | TE_L_FILE_ID;
	memmove((char *)e + TE_EVENT_V2_SIZE, e->payload, 2);
	CHECK_INT(decode_event(d, rec, TE_EVENT_V2_SIZE + 2, &ev), 0);
	CHECK(ev.exe_id_known);
	CHECK(!ev.file_id_known);
	CHECK_STR(ev.args[0], "x");
	e->version = 4;
	CHECK_INT(decode_event(d, rec, size, &ev), -EBADMSG);
	exec_id_format(want, "0123456789abcdef", UINT64_MAX, UINT32_MAX, UINT64_MAX);
	CHECK_STR(want, "0123456789abcdef-18446744073709551615-4294967295-18446744073709551615");
}

int main(void)
{
	struct decoder d;

	decoder_init(&d);
	test_args(&d);
	test_paths(&d);
	test_unreachable(&d);
	test_script_id(&d);
	test_gap(&d);
	test_bad(&d);
	test_tty();
	test_fold(&d);
	test_lineage(&d);
	decoder_free(&d);
	event_text_free(&text);
	CHECK_DONE();
}
