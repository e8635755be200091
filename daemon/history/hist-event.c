// SPDX-License-Identifier: GPL-2.0-or-later
/* hist-event.c: a journal entry of trace-execd turned back into the exec event the live view shows, and who sent it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "core/util.h"
#include "format/escape.h"
#include "history/hist-event.h"

/* The fields read, by name. */
static const struct {
	const char *name;
	enum hist_field f;
} names[] = {
	{ "CONTAINER_ID", HF_CONTAINER_ID },
	{ "CONTAINER_ID_FULL", HF_CONTAINER_ID_FULL },
	{ "CONTAINER_NAME", HF_CONTAINER_NAME },
	{ "CONTAINER_RUNTIME", HF_CONTAINER_RUNTIME },
	{ "CONTAINER_UNVERIFIED", HF_CONTAINER_UNVERIFIED },
	{ "ERRNO", HF_ERRNO },
	{ "EXEC_ACTION", HF_ACTION },
	{ "EXEC_ARGC", HF_ARGC },
	{ "EXEC_ARGC_INEXACT", HF_ARGC_INEXACT },
	{ "EXEC_ARGS_TRUNCATED", HF_ARGS_TRUNCATED },
	{ "EXEC_ARGS_UNAVAILABLE", HF_ARGS_UNAVAILABLE },
	{ "EXEC_ARGV", HF_ARGV },
	{ "EXEC_CGROUP", HF_CGROUP },
	{ "EXEC_CGROUP_TRUNCATED", HF_CGROUP_TRUNCATED },
	{ "EXEC_COMM", HF_COMM },
	{ "EXEC_CWD", HF_CWD },
	{ "EXEC_CWD_TRUNCATED", HF_CWD_TRUNCATED },
	{ "EXEC_CWD_UNREACHABLE", HF_CWD_UNREACHABLE },
	{ "EXEC_ERROR", HF_ERROR },
	{ "EXEC_EXE", HF_EXE },
	{ "EXEC_EXE_SHA256", HF_EXE_SHA256 },
	{ "EXEC_EXE_TRUNCATED", HF_EXE_TRUNCATED },
	{ "EXEC_EXE_UNREACHABLE", HF_EXE_UNREACHABLE },
	{ "EXEC_FILE", HF_FILE },
	{ "EXEC_FILE_TRUNCATED", HF_FILE_TRUNCATED },
	{ "EXEC_FILE_UNREACHABLE", HF_FILE_UNREACHABLE },
	{ "EXEC_FILE_UPPER_LAYER", HF_FILE_UPPER_LAYER },
	{ "EXEC_FIRST_SEEN", HF_FIRST_SEEN },
	{ "EXEC_FOLDED_COUNT", HF_FOLDED_COUNT },
	{ "EXEC_GID", HF_GID },
	{ "EXEC_GROUP", HF_GROUP },
	{ "EXEC_ID", HF_ID },
	{ "EXEC_LOADER", HF_LOADER },
	{ "EXEC_LOGINUID", HF_LOGINUID },
	{ "EXEC_LOGINUSER", HF_LOGINUSER },
	{ "EXEC_LOST", HF_LOST },
	{ "EXEC_MNTNS", HF_MNTNS },
	{ "EXEC_PACKAGE", HF_PACKAGE },
	{ "EXEC_PACKAGE_ARCH", HF_PACKAGE_ARCH },
	{ "EXEC_PACKAGE_CONFFILE", HF_PACKAGE_CONFFILE },
	{ "EXEC_PACKAGE_UNKNOWN", HF_PACKAGE_UNKNOWN },
	{ "EXEC_PACKAGE_VERIFIED", HF_PACKAGE_VERIFIED },
	{ "EXEC_PACKAGE_VERSION", HF_PACKAGE_VERSION },
	{ "EXEC_PARENT_EXE", HF_PARENT_EXE },
	{ "EXEC_PARENT_EXE_TRUNCATED", HF_PARENT_EXE_TRUNCATED },
	{ "EXEC_PARENT_EXE_UNREACHABLE", HF_PARENT_EXE_UNREACHABLE },
	{ "EXEC_PARENT_ID", HF_PARENT_ID },
	{ "EXEC_PARENT_ID_INFERRED", HF_PARENT_ID_INFERRED },
	{ "EXEC_PARENT_UPPER_LAYER", HF_PARENT_UPPER_LAYER },
	{ "EXEC_PCOMM", HF_PCOMM },
	{ "EXEC_PID", HF_PID },
	{ "EXEC_PPID", HF_PPID },
	{ "EXEC_SESSIONID", HF_SESSIONID },
	{ "EXEC_SHA256", HF_SHA256 },
	{ "EXEC_SHA256_UNAVAILABLE", HF_SHA256_UNAVAILABLE },
	{ "EXEC_TID", HF_TID },
	{ "EXEC_TIMESTAMP_USEC", HF_TIMESTAMP },
	{ "EXEC_TTY", HF_TTY },
	{ "EXEC_UID", HF_UID },
	{ "EXEC_UPPER_LAYER", HF_UPPER_LAYER },
	{ "EXEC_USER", HF_USER },
	{ "IMAGE_NAME", HF_IMAGE_NAME },
	{ "K8S_CONTAINER", HF_K8S_CONTAINER },
	{ "K8S_NAMESPACE", HF_K8S_NAMESPACE },
	{ "K8S_NODE", HF_K8S_NODE },
	{ "K8S_POD", HF_K8S_POD },
	{ "MESSAGE_ID", HF_MESSAGE_ID },
	{ "POLICY_RULE", HF_POLICY_RULE },
	{ "POLICY_TAGS", HF_POLICY_TAGS },
	{ "SYSLOG_IDENTIFIER", HF_SYSLOG_IDENTIFIER },
	{ "_COMM", HF_COMM_ },
	{ "_EXE", HF_EXE_ },
	{ "_HOSTNAME", HF_HOSTNAME_ },
	{ "_PID", HF_PID_ },
	{ "_SYSTEMD_UNIT", HF_UNIT_ },
	{ "_UID", HF_UID_ },
};

/* Each path's field and its flags' fields, by enum exec_path_id. */
static const struct {
	enum hist_field text, cut, unreachable;
} path_fields[EXEC_PATH_NR] = {
	[EXEC_PATH_CWD] = { HF_CWD, HF_CWD_TRUNCATED, HF_CWD_UNREACHABLE },
	[EXEC_PATH_FILE] = { HF_FILE, HF_FILE_TRUNCATED, HF_FILE_UNREACHABLE },
	[EXEC_PATH_EXE] = { HF_EXE, HF_EXE_TRUNCATED, HF_EXE_UNREACHABLE },
	[EXEC_PATH_PARENT_EXE] = { HF_PARENT_EXE, HF_PARENT_EXE_TRUNCATED,
				   HF_PARENT_EXE_UNREACHABLE },
	[EXEC_PATH_CGROUP] = { HF_CGROUP, HF_CGROUP_TRUNCATED, HF_NR },
};

void hist_event_init(struct hist_event *he)
{
	memset(he, 0, sizeof(*he));
}

void hist_event_free(struct hist_event *he)
{
	size_t i;

	for (i = 0; i < HF_NR; i++)
		sb_free(&he->val[i]);
	sb_free(&he->argbytes);
	free(he->args);
	free(he->arglens);
	hist_event_init(he);
}

void hist_event_reset(struct hist_event *he)
{
	memset(he->has, 0, sizeof(he->has));
	he->realtime_usec = 0;
}

/* The names by length: each length's names, as indexes into names[]
 * (every field of every entry is looked up: a length and a few compares,
 * no hash, no search). */
#define NAME_MAX_LEN 31
#define NAMES_PER_LEN 12
static unsigned char by_len[NAME_MAX_LEN + 1][NAMES_PER_LEN];
static unsigned char by_len_n[NAME_MAX_LEN + 1];
static bool by_len_ready;

/* Fill the table once (names[] is constant: a race writes the same). */
static void lookup_init(void)
{
	size_t i, len;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		len = strlen(names[i].name);
		if (len <= NAME_MAX_LEN && by_len_n[len] < NAMES_PER_LEN)
			by_len[len][by_len_n[len]++] = (unsigned char)i;
	}
	by_len_ready = true;
}

/* The field named by the len bytes at name, or HF_NR. */
static enum hist_field lookup(const char *name, size_t len)
{
	size_t i, k;

	if (!by_len_ready)
		lookup_init();
	if (len > NAME_MAX_LEN)
		return HF_NR;
	for (i = 0; i < by_len_n[len]; i++) {
		k = by_len[len][i];
		/* the names differ mostly at the end: compare it first */
		if (names[k].name[len - 1] == name[len - 1] &&
		    !memcmp(names[k].name, name, len))
			return names[k].f;
	}
	return HF_NR;
}

int hist_event_add(struct hist_event *he, const void *data, size_t len)
{
	const char *d = data, *eq = memchr(d, '=', len);
	enum hist_field f;

	if (!eq)
		return 0;
	if (eq == d)
		return 0;
	f = lookup(d, (size_t)(eq - d));
	if (f == HF_NR || he->has[f] || (he->only && !he->only[f]))
		return 0;
	he->has[f] = true;
	sb_reset(&he->val[f]);
	eq++;
	/* (an empty value too is a NUL-terminated "") */
	return sb_append(&he->val[f], eq, len - (size_t)(eq - d));
}

const char *hist_value(const struct hist_event *he, enum hist_field f)
{
	return he->has[f] && he->val[f].p ? he->val[f].p : "";
}

/* Whether exe is one of the daemon's executables. */
static bool daemon_exe(const struct hist_trust *t, const char *exe)
{
	size_t i;

	for (i = 0; i < t->nexes; i++)
		if (!strcmp(t->exes[i], exe))
			return true;
	return false;
}

enum hist_sender hist_sender(const struct hist_event *he,
			     const struct hist_trust *t)
{
	/* _UID: the kernel's word (the socket's credentials); only root
	 * sends as 0. The rest journald read from /proc. */
	if (!he->has[HF_UID_] || strcmp(hist_value(he, HF_UID_), "0"))
		return HIST_FOREIGN;
	if (he->has[HF_UNIT_] && t->unit && !strcmp(hist_value(he, HF_UNIT_), t->unit))
		return HIST_DAEMON;
	if (he->has[HF_EXE_] && daemon_exe(t, hist_value(he, HF_EXE_)))
		return HIST_DAEMON;
	if (!he->has[HF_UNIT_] && !he->has[HF_EXE_] && !he->has[HF_COMM_] &&
	    he->has[HF_PID_] && !strcmp(hist_value(he, HF_SYSLOG_IDENTIFIER), "trace-execd"))
		return HIST_UNVERIFIED;
	return HIST_FOREIGN;
}

/* A decimal field as a number (0 when absent or not a number). */
static uint64_t num(const struct hist_event *he, enum hist_field f)
{
	const char *s = hist_value(he, f);
	char *end;
	unsigned long long v;

	if (!*s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	return errno || *end || *s == '-' ? 0 : v;
}

/* Copy a field into a fixed array, cut to fit. */
static void copy(char *dst, size_t size, const struct hist_event *he,
		 enum hist_field f)
{
	const char *s = hist_value(he, f);
	size_t n = strlen(s);

	if (n >= size)
		n = size - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* A string field, or NULL when absent. */
static const char *opt(const struct hist_event *he, enum hist_field f)
{
	return he->has[f] ? hist_value(he, f) : NULL;
}

/* argv_split()'s callback: keep the argument's offset and length. */
static int take_arg(void *ctx, const char *arg, size_t len)
{
	struct hist_event *he = ctx;
	int r;

	r = array_reserve(&he->args, &he->capargs, he->nargs + 1, sizeof(*he->args)) ?:
	    array_reserve(&he->arglens, &he->caplens, he->nargs + 1, sizeof(*he->arglens));
	if (r)
		return r;
	/* offsets for now: argbytes may move as it grows */
	he->args[he->nargs] = (const char *)(uintptr_t)he->argbytes.len;
	he->arglens[he->nargs++] = len;
	return sb_append(&he->argbytes, arg, len) ?: sb_putc(&he->argbytes, '\0');
}

/* Split EXEC_ARGV back into ev's arguments; a text that does not split
 * leaves none. 0 or -ENOMEM. */
static int split_args(struct hist_event *he)
{
	const struct strbuf *a = &he->val[HF_ARGV];
	size_t i;
	int r;

	he->nargs = 0;
	sb_reset(&he->argbytes);
	if (!he->has[HF_ARGV])
		return 0;
	r = argv_split(a->p ? a->p : "", a->len, take_arg, he);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		he->nargs = 0;
	for (i = 0; i < he->nargs; i++)
		he->args[i] = he->argbytes.p + (uintptr_t)he->args[i];
	he->ev.args = he->args;
	he->ev.arglens = he->arglens;
	he->ev.nargs = he->nargs;
	return 0;
}

/* The paths and their flags. */
static void fill_paths(struct hist_event *he)
{
	struct exec_path *p;
	size_t i;

	for (i = 0; i < EXEC_PATH_NR; i++) {
		p = &he->ev.path[i];
		if (!he->has[path_fields[i].text])
			continue;
		p->s = he->val[path_fields[i].text].p;
		p->len = he->val[path_fields[i].text].len;
		p->truncated = num(he, path_fields[i].cut) == 1;
		p->unreachable = path_fields[i].unreachable != HF_NR &&
				 num(he, path_fields[i].unreachable) == 1;
	}
}

/* The container, when the entry names a confirmed one. */
static void fill_container(struct hist_event *he)
{
	struct container *c = &he->ct;

	he->ev.container_unverified = opt(he, HF_CONTAINER_UNVERIFIED);
	if (!he->has[HF_CONTAINER_ID] && !he->has[HF_CONTAINER_ID_FULL])
		return;
	memset(c, 0, sizeof(*c));
	copy(c->id, sizeof(c->id), he, HF_CONTAINER_ID_FULL);
	copy(c->short_id, sizeof(c->short_id), he, HF_CONTAINER_ID);
	copy(c->name, sizeof(c->name), he, HF_CONTAINER_NAME);
	copy(c->image, sizeof(c->image), he, HF_IMAGE_NAME);
	copy(c->runtime, sizeof(c->runtime), he, HF_CONTAINER_RUNTIME);
	copy(c->k8s_namespace, sizeof(c->k8s_namespace), he, HF_K8S_NAMESPACE);
	copy(c->k8s_pod, sizeof(c->k8s_pod), he, HF_K8S_POD);
	copy(c->k8s_container, sizeof(c->k8s_container), he, HF_K8S_CONTAINER);
	he->ev.container = c;
}

/* The numbers and names of the process. */
static void fill_process(struct hist_event *he)
{
	struct exec_event *ev = &he->ev;

	ev->timestamp_usec = num(he, HF_TIMESTAMP);
	ev->pid = (uint32_t)num(he, HF_PID);
	ev->tid = (uint32_t)num(he, HF_TID);
	ev->ppid = (uint32_t)num(he, HF_PPID);
	copy(ev->comm, sizeof(ev->comm), he, HF_COMM);
	copy(ev->pcomm, sizeof(ev->pcomm), he, HF_PCOMM);
	copy(ev->tty, sizeof(ev->tty), he, HF_TTY);
	copy(ev->exec_id, sizeof(ev->exec_id), he, HF_ID);
	copy(ev->parent_exec_id, sizeof(ev->parent_exec_id), he, HF_PARENT_ID);
	ev->parent_id_inferred = num(he, HF_PARENT_ID_INFERRED) == 1;
	ev->uid = (uint32_t)num(he, HF_UID);
	ev->gid = (uint32_t)num(he, HF_GID);
	ev->loginuid = (uint32_t)num(he, HF_LOGINUID);
	ev->sessionid = (uint32_t)num(he, HF_SESSIONID);
	ev->user = hist_value(he, HF_USER);
	ev->group = hist_value(he, HF_GROUP);
	ev->loginuser = hist_value(he, HF_LOGINUSER);
	ev->argc = (uint32_t)num(he, HF_ARGC);
	ev->argc_inexact = num(he, HF_ARGC_INEXACT) == 1;
	ev->args_unavailable = num(he, HF_ARGS_UNAVAILABLE) == 1;
	ev->args_truncated = num(he, HF_ARGS_TRUNCATED) == 1;
	ev->argv_str = he->val[HF_ARGV].p && he->has[HF_ARGV] ?
		       he->val[HF_ARGV].p : (char *)"";
	ev->failed = he->has[HF_ERROR] || he->has[HF_ERRNO];
	ev->error = (int)num(he, HF_ERRNO);
	ev->mntns = num(he, HF_MNTNS);
}

/* Where the exec'd file came from, as the daemon judged it. */
static void fill_provenance(struct hist_event *he)
{
	struct exec_event *ev = &he->ev;

	copy(ev->pkg_name, sizeof(ev->pkg_name), he, HF_PACKAGE);
	copy(ev->pkg_arch, sizeof(ev->pkg_arch), he, HF_PACKAGE_ARCH);
	copy(ev->pkg_version, sizeof(ev->pkg_version), he, HF_PACKAGE_VERSION);
	ev->pkg_verified = opt(he, HF_PACKAGE_VERIFIED);
	ev->pkg_unknown = opt(he, HF_PACKAGE_UNKNOWN);
	ev->pkg_conffile = num(he, HF_PACKAGE_CONFFILE) == 1;
	ev->first_seen = opt(he, HF_FIRST_SEEN);
}

int hist_event_finish(struct hist_event *he, bool args)
{
	struct exec_event *ev = &he->ev;

	memset(ev, 0, sizeof(*ev));
	memset(&he->m, 0, sizeof(he->m));
	fill_process(he);
	fill_paths(he);
	copy(ev->sha256, sizeof(ev->sha256), he, HF_SHA256);
	copy(ev->exe_sha256, sizeof(ev->exe_sha256), he, HF_EXE_SHA256);
	ev->sha256_unavailable = opt(he, HF_SHA256_UNAVAILABLE);
	ev->upper_layer = num(he, HF_UPPER_LAYER) == 1;
	ev->parent_upper_layer = num(he, HF_PARENT_UPPER_LAYER) == 1;
	ev->file_upper_known = he->has[HF_FILE_UPPER_LAYER];
	ev->file_upper_layer = num(he, HF_FILE_UPPER_LAYER) == 1;
	ev->loader = num(he, HF_LOADER) == 1;
	fill_provenance(he);
	ev->k8s_node = opt(he, HF_K8S_NODE);
	ev->host = opt(he, HF_HOSTNAME_);
	fill_container(he);
	he->m.name = opt(he, HF_POLICY_RULE);
	he->m.tags = he->m.name ? hist_value(he, HF_POLICY_TAGS) : NULL;
	he->m.action = opt(he, HF_ACTION);
	ev->killed = he->m.action && !strcmp(he->m.action, "killed");
	return args ? split_args(he) : 0;
}
