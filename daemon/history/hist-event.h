/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hist-event.h: a journal entry of trace-execd turned back into the exec event the live view shows, and who sent it. */
#ifndef TRACE_EXECD_HIST_EVENT_H
#define TRACE_EXECD_HIST_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/strbuf.h"
#include "format/fields.h"

/* The entry's fields this module reads, by name (hist-event.c's table). */
enum hist_field {
	HF_MESSAGE_ID,
	HF_SYSLOG_IDENTIFIER,
	HF_UID_,		/* _UID: journald's, from the socket */
	HF_PID_,		/* _PID */
	HF_EXE_,		/* _EXE */
	HF_COMM_,		/* _COMM */
	HF_UNIT_,		/* _SYSTEMD_UNIT */
	HF_HOSTNAME_,		/* _HOSTNAME */
	HF_TIMESTAMP, HF_COMM, HF_PID, HF_TID, HF_PPID, HF_PCOMM,
	HF_ID, HF_PARENT_ID, HF_PARENT_ID_INFERRED,
	HF_ARGV, HF_ARGC, HF_ARGS_TRUNCATED, HF_ARGC_INEXACT, HF_ARGS_UNAVAILABLE,
	HF_UID, HF_USER, HF_GID, HF_GROUP, HF_LOGINUID, HF_LOGINUSER,
	HF_SESSIONID, HF_TTY, HF_ERROR, HF_ERRNO,
	HF_CWD, HF_FILE, HF_EXE, HF_PARENT_EXE, HF_CGROUP,
	HF_CWD_TRUNCATED, HF_FILE_TRUNCATED, HF_EXE_TRUNCATED,
	HF_PARENT_EXE_TRUNCATED, HF_CGROUP_TRUNCATED,
	HF_CWD_UNREACHABLE, HF_FILE_UNREACHABLE, HF_EXE_UNREACHABLE,
	HF_PARENT_EXE_UNREACHABLE,
	HF_SHA256, HF_EXE_SHA256, HF_SHA256_UNAVAILABLE,
	HF_UPPER_LAYER, HF_PARENT_UPPER_LAYER, HF_FILE_UPPER_LAYER,
	HF_LOADER, HF_MNTNS,
	HF_PACKAGE, HF_PACKAGE_ARCH, HF_PACKAGE_VERSION, HF_PACKAGE_VERIFIED,
	HF_PACKAGE_UNKNOWN, HF_PACKAGE_CONFFILE, HF_FIRST_SEEN,
	HF_CONTAINER_UNVERIFIED, HF_CONTAINER_ID, HF_CONTAINER_ID_FULL,
	HF_CONTAINER_NAME, HF_CONTAINER_RUNTIME, HF_IMAGE_NAME,
	HF_K8S_NAMESPACE, HF_K8S_POD, HF_K8S_CONTAINER, HF_K8S_NODE,
	HF_POLICY_RULE, HF_POLICY_TAGS, HF_ACTION,
	HF_LOST, HF_FOLDED_COUNT,
	HF_NR,
};

/* Who wrote an entry, by journald's trusted fields. */
enum hist_sender {
	HIST_DAEMON,		/* _UID 0 and the unit or the daemon's executable */
	HIST_UNVERIFIED,	/* _UID 0, trace-execd's identifier, and journald
				 * no longer knew the sender (no unit, executable
				 * or command: the daemon killed while it stalled) */
	HIST_FOREIGN,		/* anyone else: not a record */
};

/* Whose entries are the daemon's (see hist_sender()). */
struct hist_trust {
	const char *unit;		/* "trace-execd.service" */
	const char *const *exes;	/* the daemon's executables */
	size_t nexes;
};

/* One entry read back: its fields, and the event they make. */
struct hist_event {
	struct strbuf val[HF_NR];	/* each field's value (the first one) */
	bool has[HF_NR];
	const bool *only;		/* NULL, or the fields to take (a
					 * report: less to copy) */
	uint64_t realtime_usec;		/* journald's receive time */
	/* filled by hist_event_finish() */
	struct exec_event ev;
	struct container ct;
	struct rule_match m;
	enum hist_sender sender;
	/* the arguments split out of EXEC_ARGV */
	struct strbuf argbytes;
	const char **args;
	size_t *arglens;
	size_t nargs, capargs, caplens;
};

void hist_event_init(struct hist_event *he);
void hist_event_free(struct hist_event *he);
/* Forget the previous entry's fields. */
void hist_event_reset(struct hist_event *he);
/*
 * Take one "NAME=value" datum of the entry (as sd_journal_enumerate_data()
 * gives it); fields this module does not read (or not in he->only) are
 * ignored, and of a repeated field the first value is kept. 0 or -ENOMEM.
 */
int hist_event_add(struct hist_event *he, const void *data, size_t len);
/* The value of field f ("" when absent). */
const char *hist_value(const struct hist_event *he, enum hist_field f);
/* Who sent the entry, by journald's fields: see enum hist_sender. */
enum hist_sender hist_sender(const struct hist_event *he,
			     const struct hist_trust *t);
/*
 * Make he->ev (with he->ct and he->m) out of the fields taken: every field
 * of the live view's event, the container, the rule; with args, EXEC_ARGV
 * split back into the arguments (a text that does not split leaves none
 * and keeps EXEC_ARGV as it is). 0, or -ENOMEM.
 */
int hist_event_finish(struct hist_event *he, bool args);

#endif
