// SPDX-License-Identifier: GPL-2.0-or-later
/* test-message.c: unit tests of an exec entry's MESSAGE: its argument limit and the quoting of names. */
#include <string.h>

#include "check.h"
#include "format/event-entry.h"

static struct strbuf sb = STRBUF_INIT;

static char cwd[] = "/home/alice";
static char file[] = "/usr/bin/ls";

static void ev_init(struct exec_event *ev, char *argv_str)
{
	memset(ev, 0, sizeof(*ev));
	ev->pid = 42;
	ev->ppid = 7;
	ev->loginuid = 1000;
	strcpy(ev->comm, "ls");
	strcpy(ev->pcomm, "bash");
	ev->argv_str = argv_str;
	ev->path[EXEC_PATH_CWD].s = cwd;
	ev->path[EXEC_PATH_FILE].s = file;
	ev->user = "alice";
	ev->loginuser = "alice";
}

/* The MESSAGE of ev, without a rule. */
static const char *msg(const struct exec_event *ev)
{
	sb_reset(&sb);
	CHECK_INT(event_message(&sb, ev, NULL), 0);
	return sb.p;
}

static void test_plain(void)
{
	struct exec_event ev;
	struct rule_match m = { .name = "r", .tags = "" };

	ev_init(&ev, "ls -l");
	CHECK_STR(msg(&ev), "alice ran /usr/bin/ls: ls -l [pid 42, parent "
		  "bash[7], login alice, cwd /home/alice]");
	ev.args_truncated = true;
	sb_reset(&sb);
	CHECK_INT(event_message(&sb, &ev, &m), 0);
	CHECK_STR(sb.p, "alice ran /usr/bin/ls: ls -l \xe2\x80\xa6 [pid 42, "
		  "parent bash[7], login alice, cwd /home/alice, rule r]");
}

/* At most MESSAGE_ARGV_MAX bytes of EXEC_ARGV, cut before a character. */
static void test_argv_limit(void)
{
	static char argv[3000];
	struct exec_event ev;
	char want[4096];
	size_t i;

	memset(argv, 'a', sizeof(argv) - 1);
	ev_init(&ev, argv);
	snprintf(want, sizeof(want), "alice ran /usr/bin/ls: %.*s \xe2\x80\xa6"
		 "(%zu more bytes) [pid 42, ", MESSAGE_ARGV_MAX, argv,
		 sizeof(argv) - 1 - MESSAGE_ARGV_MAX);
	CHECK(!strncmp(msg(&ev), want, strlen(want)));
	/* exactly the limit: whole, no mark */
	argv[MESSAGE_ARGV_MAX] = '\0';
	snprintf(want, sizeof(want), "alice ran /usr/bin/ls: %s [pid 42, ",
		 argv);
	CHECK(!strncmp(msg(&ev), want, strlen(want)));
	/* 'é' (2 bytes) after an odd number of bytes: the limit falls inside
	 * a character, which is left out whole */
	argv[0] = 'x';
	for (i = 1; i + 2 < sizeof(argv); i += 2)
		memcpy(argv + i, "\xc3\xa9", 2);
	argv[i] = '\0';
	snprintf(want, sizeof(want), "alice ran /usr/bin/ls: %.*s \xe2\x80\xa6"
		 "(%zu more bytes) [pid 42, ", MESSAGE_ARGV_MAX - 1, argv,
		 i - (MESSAGE_ARGV_MAX - 1));
	CHECK(!strncmp(msg(&ev), want, strlen(want)));
}

/* Names that could be read as parts of the line are quoted. */
static void test_names(void)
{
	struct container c = { .short_id = "0123456789ab" };
	struct exec_event ev;

	ev_init(&ev, "ls");
	ev.user = "evil user";
	ev.loginuser = "x], cwd /";
	strcpy(ev.pcomm, "p[1]");
	ev.container = &c;
	strcpy(c.name, "web] [pid 1");
	CHECK_STR(msg(&ev), "\"evil user\" ran /usr/bin/ls: ls [pid 42, "
		  "parent \"p[1]\"[7], login \"x], cwd /\", container "
		  "\"web] [pid 1\", cwd /home/alice]");
	/* quotes, backslashes and controls are escaped inside the quotes */
	ev.user = "a\"b\\c\nd";
	ev.loginuser = "";
	strcpy(ev.pcomm, "a,b");
	c.name[0] = '\0';
	CHECK_STR(msg(&ev), "\"a\\\"b\\\\c\\nd\" ran /usr/bin/ls: ls [pid 42, "
		  "parent \"a,b\"[7], login \"\", container 0123456789ab, "
		  "cwd /home/alice]");
	/* plain names, "uid:N" and the bidi controls of escape_arg() */
	ev.user = "uid:1001";
	ev.loginuser = "bob.smith-2";
	strcpy(c.name, "db\xe2\x80\xae");
	CHECK_STR(msg(&ev), "uid:1001 ran /usr/bin/ls: ls [pid 42, parent "
		  "\"a,b\"[7], login bob.smith-2, container \"db\\u202E\", "
		  "cwd /home/alice]");
}

/* The line of a fold: whose, how many, the budget, first and last. */
static void test_fold(void)
{
	struct exec_fold fo = {
		.count = 123456, .seen = 123556, .sent_bytes = 1050000,
		.uid = 4243, .cgroup_id = 9,
		.first_error = 2, .last_error = 13,
		.first_file = "/nonexistent/f", .last_file = "/tmp/a b\n",
	};

	sb_reset(&sb);
	CHECK_INT(fold_message(&sb, &fo), 0);
	CHECK_STR(sb.p, "uid 4243: 123456 failed execs folded past the budget, "
		  "100 sent in 1050000 bytes (first ENOENT /nonexistent/f, last EACCES "
		  "\"/tmp/a b\\n\")");
	fo.by_cgroup = true;
	fo.last_file[0] = '\0';
	sb_reset(&sb);
	CHECK_INT(fold_message(&sb, &fo), 0);
	CHECK_STR(sb.p, "cgroup 9: 123456 failed execs folded past the budget, "
		  "100 sent in 1050000 bytes (first ENOENT /nonexistent/f, last EACCES "
		  "(name gone))");
}

/* The value of field name in e (the first), NUL-terminated in sb. */
static const char *entry_field(const struct entry *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!strcmp(e->f[i].name, name)) {
			sb_reset(&sb);
			sb_append(&sb, e->f[i].val, e->f[i].len);
			return sb.p;
		}
	return NULL;
}

/* EXEC_ARGS_JSON: every argument in order as a JSON string; one that is
 * not UTF-8 as EXEC_ARGV writes it; no field without arguments. */
static void test_args_json(void)
{
	static const char *const args[] = { "/bin/echo", "a b", "q\"\\", "",
					    "bad\xff", "\xe2\x80\xae" };
	size_t lens[6], i;
	struct exec_event ev;
	struct entry e;

	for (i = 0; i < 6; i++)
		lens[i] = strlen(args[i]);
	ev_init(&ev, (char *)"");
	ev.args = (const char **)args;
	ev.arglens = lens;
	ev.nargs = 6;
	ev.argc = 6;
	entry_init(&e);
	entry_begin(&e, MSGID_EXEC, 6);
	CHECK(entry_from_event(&e, &ev, NULL) == 0);
	CHECK_STR(entry_field(&e, "EXEC_ARGS_JSON"),
		  "[\"/bin/echo\",\"a b\",\"q\\\"\\\\\",\"\",\"\\\"bad\\\\xff\\\"\","
		  "\"\\u202E\"]");
	ev.nargs = 0;
	entry_begin(&e, MSGID_EXEC, 6);
	CHECK(entry_from_event(&e, &ev, NULL) == 0);
	CHECK(entry_field(&e, "EXEC_ARGS_JSON") == NULL);
	CHECK_STR(entry_field(&e, "EXEC_ARGC"), "6");
	entry_free(&e);
}

int main(void)
{
	test_plain();
	test_fold();
	test_argv_limit();
	test_names();
	test_args_json();
	sb_free(&sb);
	CHECK_DONE();
}
