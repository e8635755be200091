/* SPDX-License-Identifier: GPL-2.0-or-later */
/* entry.h: one log entry as an ordered list of FIELD=value pairs, for every sink. */
#ifndef TRACE_EXECD_ENTRY_H
#define TRACE_EXECD_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"

#define MSGID_EXEC		"dae8ea1ec2964a42af0f34673ef7d561"
#define MSGID_EXEC_FAILED	"7709a7d283f54539a0009d14812ca56f"
#define MSGID_LOST		"d333764d0c444f98b610d0f2e926ec92"
#define MSGID_CONFIG_LOADED	"cdf5c2b062a34ebc99399a391ddd2130"
#define MSGID_CONFIG_REJECTED	"e52fd5c884ef43f88d7b255d1cfcec89"
#define MSGID_RATELIMIT		"b22c1155a40d4359a68b2c5cae289d0e"
#define MSGID_EXEC_FOLDED	"dae883bca8d04a3ca0ca6d59e0ffc3c0"
#define MSGID_EXEC_KILLED	"cdf4dede5e3a46d0abed64cc33b42009"
#define MSGID_EXEC_WOULD_KILL	"01277ebbe5414a4790ab64a676845f01"

#define ENTRY_NUMS 64
/*
 * journald silently discards an entry of more than 1024 fields, and stores
 * repeated fields unordered and without duplicates: EXEC_ARG is written for
 * the first ENTRY_MAX_ARG_FIELDS arguments only (EXEC_ARG_OMITTED counts
 * the rest); EXEC_ARGV keeps every argument in order, exactly.
 */
#define ENTRY_MAX_ARG_FIELDS 768

struct entry_field {
	const char *name;
	const char *val;
	size_t len;
};

/* Fields point into the event, the entry's own buffers or static strings. */
struct entry {
	struct entry_field *f;
	size_t n, cap;
	int priority;			/* LOG_EMERG..LOG_DEBUG */
	const char *msgid;		/* one of MSGID_* */
	struct strbuf message;		/* MESSAGE */
	struct strbuf args_json;	/* EXEC_ARGS_JSON */
	char nums[ENTRY_NUMS][24];	/* formatted numbers */
	size_t nnums;
};

void entry_init(struct entry *e);
void entry_free(struct entry *e);
/* Start an entry; the MESSAGE is then built in e->message. */
void entry_begin(struct entry *e, const char *msgid, int priority);
/* Add a field; the value must live until the entry is written. */
int entry_add(struct entry *e, const char *name, const char *val, size_t len);
int entry_add_str(struct entry *e, const char *name, const char *val);
int entry_add_u64(struct entry *e, const char *name, uint64_t v);

#endif
