// SPDX-License-Identifier: GPL-2.0-or-later
/* test-history.c: unit tests of trace-exec's history: EXEC_ARGV split back, a journal entry turned back into the event, who sent it, journalctl's times, the filter, the report's counts, the tree's drawing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "format/entry.h"
#include "format/escape.h"
#include "format/event-entry.h"
#include "format/event-json.h"
#include "history/filter.h"
#include "history/hist-event.h"
#include "history/report.h"
#include "history/timespec.h"
#include "history/tree.h"

static struct strbuf sb = STRBUF_INIT;

/* argv_split()'s callback: each argument, then a '|'. */
static int collect(void *ctx, const char *arg, size_t len)
{
	struct strbuf *out = ctx;

	CHECK(arg[len] == '\0');
	return sb_append(out, arg, len) ?: sb_putc(out, '|');
}

/* The arguments of an EXEC_ARGV text, each followed by '|'; NULL when it
 * does not split. */
static const char *split(const char *s)
{
	sb_reset(&sb);
	sb_append(&sb, "", 0);
	return argv_split(s, strlen(s), collect, &sb) ? NULL : sb.p;
}

static void test_split(void)
{
	static const char *const hostile[] = {
		"", "a b", "\"q\"", "back\\slash", "$HOME", "`x`", "nl\nx",
		"\x1b[2J", "\xff\xfe", "\xc2\x85", "\xe2\x80\xae" "evil",
		"caf\xc3\xa9", "tab\there", "\x7f", "'", "\xc2\xa0" "nbsp",
	};
	size_t lens[ARRAY_SIZE(hostile)], i;
	struct strbuf joined = STRBUF_INIT, want = STRBUF_INIT;

	CHECK_STR(split(""), "");
	CHECK_STR(split("ls -l /tmp"), "ls|-l|/tmp|");
	CHECK_STR(split("\"\""), "|");
	CHECK_STR(split("echo \"a b\" \"x\\ty\""), "echo|a b|x\ty|");
	CHECK_STR(split("\"\\xff\\u202E\\e\""), "\xff\xe2\x80\xae\x1b|");
	/* not what argv_join() writes */
	CHECK(split("a  b") == NULL);
	CHECK(split(" a") == NULL);
	CHECK(split("\"open") == NULL);
	CHECK(split("\"\\q\"") == NULL);
	CHECK(split("\"\\x4\"") == NULL);
	/* every hostile argument comes back exact */
	for (i = 0; i < ARRAY_SIZE(hostile); i++) {
		lens[i] = strlen(hostile[i]);
		sb_append(&want, hostile[i], lens[i]);
		sb_putc(&want, '|');
	}
	CHECK_INT(argv_join(&joined, hostile, lens, ARRAY_SIZE(hostile)), 0);
	CHECK_STR(split(joined.p), want.p);
	sb_free(&joined);
	sb_free(&want);
}

/* An event with every field the schema has. */
static char cwd[] = "/home/alice", file[] = "/tmp/x y", exe[] = "/usr/bin/dash",
	    pexe[] = "\xe2\x80\xa6/deep/bash", cg[] = "/user.slice/u.scope";
static const char *args[] = { "/tmp/x y", "-c", "echo \"hi\"\n", "\xff" };
static size_t arglens[] = { 8, 2, 11, 1 };
static struct container ct = {
	.id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	.short_id = "0123456789ab", .name = "web", .image = "localhost/app:1",
	.runtime = "podman", .k8s_namespace = "shop", .k8s_pod = "web-5d9",
	.k8s_container = "web",
};

static void full_event(struct exec_event *ev, struct strbuf *argv)
{
	memset(ev, 0, sizeof(*ev));
	ev->timestamp_usec = 1764511507123456ULL;
	ev->pid = 4242;
	ev->tid = 4242;
	ev->ppid = 4100;
	ev->uid = 1000;
	ev->gid = 1000;
	ev->loginuid = 1000;
	ev->sessionid = 3;
	strcpy(ev->comm, "x y");
	strcpy(ev->pcomm, "bash");
	strcpy(ev->tty, "pts/3");
	strcpy(ev->exec_id, "fdca63c658094b9c-4508593227332-4242-2");
	strcpy(ev->parent_exec_id, "fdca63c658094b9c-4508000000000-4100-1");
	ev->parent_id_inferred = true;
	ev->argc = 5;
	ev->args_truncated = true;
	ev->nargs = 4;
	ev->args = args;
	ev->arglens = arglens;
	CHECK_INT(argv_join(argv, args, arglens, 4), 0);
	ev->argv_str = argv->p;
	ev->path[EXEC_PATH_CWD] = (struct exec_path){ .s = cwd, .len = strlen(cwd) };
	ev->path[EXEC_PATH_FILE] = (struct exec_path){ .s = file, .len = strlen(file), .unreachable = true };
	ev->path[EXEC_PATH_EXE] = (struct exec_path){ .s = exe, .len = strlen(exe) };
	ev->path[EXEC_PATH_PARENT_EXE] = (struct exec_path){ .s = pexe, .len = strlen(pexe), .truncated = true };
	ev->path[EXEC_PATH_CGROUP] = (struct exec_path){ .s = cg, .len = strlen(cg) };
	ev->upper_layer = true;
	ev->file_upper_known = true;
	ev->file_upper_layer = true;
	ev->loader = true;
	ev->mntns = 4026531841ULL;
	ev->user = "alice";
	ev->group = "alice";
	ev->loginuser = "alice";
	ev->container = &ct;
	strcpy(ev->sha256, "9a9c5a0c3b5d0000000000000000000000000000000000000000000000000001");
	strcpy(ev->exe_sha256, "4f0b5e0e1c3c0000000000000000000000000000000000000000000000000002");
	ev->k8s_node = "node-7";
	strcpy(ev->pkg_name, "coreutils");
	strcpy(ev->pkg_arch, "amd64");
	strcpy(ev->pkg_version, "9.1-1");
	ev->pkg_verified = "modified";
	ev->pkg_conffile = true;
	ev->first_seen = "host";
}

/* Feed an entry's fields, as journald stores them ("NAME=value"), and the
 * trusted ones, into he. */
static void feed(struct hist_event *he, const struct entry *e, const char *const *more)
{
	struct strbuf d = STRBUF_INIT;
	size_t i;

	hist_event_reset(he);
	for (i = 0; i < e->n; i++) {
		sb_reset(&d);
		sb_printf(&d, "%s=", e->f[i].name);
		sb_append(&d, e->f[i].val, e->f[i].len);
		CHECK_INT(hist_event_add(he, d.p, d.len), 0);
	}
	for (i = 0; more && more[i]; i++)
		CHECK_INT(hist_event_add(he, more[i], strlen(more[i])), 0);
	sb_free(&d);
}

/* The entry of an event, read back, shows as the same JSON. */
static void test_roundtrip(void)
{
	static const char *const trusted[] = {
		"_UID=0", "_PID=77", "_SYSTEMD_UNIT=trace-execd.service",
		"_EXE=/usr/sbin/trace-execd", "_COMM=trace-execd", "_HOSTNAME=node-b",
		"MESSAGE_ID=" MSGID_EXEC_WOULD_KILL, "SYSLOG_IDENTIFIER=trace-execd", NULL,
	};
	struct rule_match m = { .name = "drift", .tags = "container_drift,T1036",
				.action = "would-kill" };
	struct strbuf argv = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	struct exec_event ev;
	struct hist_event he;
	struct entry e;
	size_t i;

	full_event(&ev, &argv);
	entry_init(&e);
	entry_begin(&e, MSGID_EXEC_WOULD_KILL, 4);
	CHECK_INT(entry_from_event(&e, &ev, &m), 0);
	hist_event_init(&he);
	feed(&he, &e, trusted);
	CHECK_INT(hist_event_finish(&he, true), 0);
	CHECK_INT(event_json(&a, &ev, &m), 0);
	CHECK_INT(event_json(&b, &he.ev, &he.m), 0);
	CHECK_STR(b.p, a.p);
	CHECK_STR(he.ev.host, "node-b");
	CHECK_INT(he.ev.nargs, 4);
	for (i = 0; i < 4; i++) {
		CHECK_INT(he.ev.arglens[i], arglens[i]);
		CHECK(!memcmp(he.ev.args[i], args[i], arglens[i]));
	}
	/* a failed exec */
	ev.failed = true;
	ev.error = 13;
	ev.exec_id[0] = '\0';
	ev.container = NULL;
	ev.container_unverified = ct.id;
	entry_begin(&e, MSGID_EXEC_FAILED, 6);
	CHECK_INT(entry_from_event(&e, &ev, NULL), 0);
	feed(&he, &e, trusted);
	CHECK_INT(hist_event_finish(&he, true), 0);
	CHECK(he.ev.failed);
	CHECK(he.ev.container == NULL);
	sb_reset(&a);
	sb_reset(&b);
	CHECK_INT(event_json(&a, &ev, NULL), 0);
	CHECK_INT(event_json(&b, &he.ev, NULL), 0);
	CHECK_STR(b.p, a.p);
	/* a killed one shows KILLED */
	entry_begin(&e, MSGID_EXEC_KILLED, 2);
	m.action = "killed";
	ev.failed = false;
	CHECK_INT(entry_from_event(&e, &ev, &m), 0);
	feed(&he, &e, trusted);
	CHECK_INT(hist_event_finish(&he, false), 0);
	CHECK(he.ev.killed);
	CHECK_INT(he.ev.nargs, 0);	/* not split without args */
	entry_free(&e);
	hist_event_free(&he);
	sb_free(&argv);
	sb_free(&a);
	sb_free(&b);
}

/* Bad values: no crash, no forged field, lengths cut. */
static void test_bad_values(void)
{
	static const char *const bad[] = {
		"EXEC_PID=-1", "EXEC_UID=12x", "EXEC_COMM=a-command-name-longer-than-16",
		"EXEC_ARGV=\"unclosed", "EXEC_ID=", "NOEQUALS", "EXEC_PID=99",
		"=", "EXEC_TIMESTAMP_USEC=99999999999999999999999", NULL,
	};
	struct hist_event he;
	size_t i;

	hist_event_init(&he);
	for (i = 0; bad[i]; i++)
		CHECK_INT(hist_event_add(&he, bad[i], strlen(bad[i])), 0);
	CHECK_INT(hist_event_finish(&he, true), 0);
	CHECK_INT(he.ev.pid, 0);		/* the first value counts */
	CHECK_INT(he.ev.uid, 0);
	CHECK_INT(strlen(he.ev.comm), 16);
	CHECK_INT(he.ev.nargs, 0);
	CHECK_STR(he.ev.argv_str, "\"unclosed");
	CHECK_STR(he.ev.exec_id, "");
	CHECK_INT(he.ev.timestamp_usec, 0);
	hist_event_free(&he);
}

/* Only root's entries with the unit or the daemon's executable are the
 * daemon's; journald's forgotten sender is unverified. */
static void test_sender(void)
{
	static const char *const exes[] = { "/usr/sbin/trace-execd", "/b/trace-execd" };
	struct hist_trust t = { "trace-execd.service", exes, 2 };
	static const struct {
		const char *fields[6];
		enum hist_sender want;
	} cases[] = {
		{ { "_UID=0", "_SYSTEMD_UNIT=trace-execd.service", "_PID=1" }, HIST_DAEMON },
		{ { "_UID=0", "_EXE=/b/trace-execd", "_SYSTEMD_UNIT=session-1.scope" }, HIST_DAEMON },
		{ { "_UID=1000", "_SYSTEMD_UNIT=trace-execd.service" }, HIST_FOREIGN },
		{ { "_UID=1000", "_EXE=/usr/sbin/trace-execd" }, HIST_FOREIGN },
		{ { "_UID=0", "_COMM=trace-execd", "_EXE=/tmp/trace-execd" }, HIST_FOREIGN },
		{ { "_UID=0", "_PID=5", "SYSLOG_IDENTIFIER=trace-execd" }, HIST_UNVERIFIED },
		{ { "_UID=0", "_PID=5", "SYSLOG_IDENTIFIER=trace-execd", "_COMM=x" }, HIST_FOREIGN },
		{ { "_UID=0", "_PID=5", "SYSLOG_IDENTIFIER=other" }, HIST_FOREIGN },
		{ { "_PID=5", "SYSLOG_IDENTIFIER=trace-execd" }, HIST_FOREIGN },
		{ { "UID=0", "SYSTEMD_UNIT=trace-execd.service", "EXE=/usr/sbin/trace-execd" }, HIST_FOREIGN },
	};
	struct hist_event he;
	size_t i, k;

	hist_event_init(&he);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		hist_event_reset(&he);
		for (k = 0; cases[i].fields[k]; k++)
			hist_event_add(&he, cases[i].fields[k], strlen(cases[i].fields[k]));
		CHECK_INT(hist_sender(&he, &t), cases[i].want);
	}
	hist_event_free(&he);
}

/* journalctl's times, in UTC and in a zone with daylight saving. */
static void test_times(void)
{
	uint64_t now = 1764511507000000ULL;	/* 2025-11-30 14:05:07 UTC */
	uint64_t t, s;

	setenv("TZ", "UTC", 1);
	tzset();
	CHECK_INT(hist_parse_time("now", now, &t), 0);
	CHECK_INT(t, now);
	CHECK_INT(hist_parse_time("2025-11-30 14:05", now, &t), 0);
	CHECK_INT(t, 1764511500000000ULL);
	CHECK_INT(hist_parse_time("2025-11-30T14:05:07.25", now, &t), 0);
	CHECK_INT(t, 1764511507250000ULL);
	CHECK_INT(hist_parse_time("2025-11-30", now, &t), 0);
	CHECK_INT(t, 1764460800000000ULL);
	CHECK_INT(hist_parse_time("today", now, &t), 0);
	CHECK_INT(t, 1764460800000000ULL);
	CHECK_INT(hist_parse_time("yesterday", now, &t), 0);
	CHECK_INT(t, 1764460800000000ULL - 86400000000ULL);
	CHECK_INT(hist_parse_time("tomorrow", now, &t), 0);
	CHECK_INT(t, 1764460800000000ULL + 86400000000ULL);
	CHECK_INT(hist_parse_time("14:00", now, &t), 0);
	CHECK_INT(t, 1764511200000000ULL);
	CHECK_INT(hist_parse_time("@1764511507.5", now, &t), 0);
	CHECK_INT(t, 1764511507500000ULL);
	CHECK_INT(hist_parse_time("-1h", now, &t), 0);
	CHECK_INT(t, now - 3600000000ULL);
	CHECK_INT(hist_parse_time("1h 30min ago", now, &t), 0);
	CHECK_INT(t, now - 5400000000ULL);
	CHECK_INT(hist_parse_time("+5min", now, &t), 0);
	CHECK_INT(t, now + 300000000ULL);
	CHECK_INT(hist_parse_time("-2d", now, &t), 0);
	CHECK_INT(t, now - 172800000000ULL);
	CHECK_INT(hist_parse_span("1h30m", &s), 0);
	CHECK_INT(s, 5400000000ULL);
	CHECK_INT(hist_parse_span("90", &s), 0);
	CHECK_INT(s, 90000000ULL);
	CHECK_INT(hist_parse_span("250ms", &s), 0);
	CHECK_INT(s, 250000ULL);
	CHECK_INT(hist_parse_span("1w 1M", &s), 0);
	CHECK_INT(s, 604800000000ULL + 2629800000000ULL);
	CHECK(hist_parse_time("", now, &t) < 0);
	CHECK(hist_parse_time("last week", now, &t) < 0);
	CHECK(hist_parse_time("2025-13-01", now, &t) < 0);
	CHECK(hist_parse_time("25:00", now, &t) < 0);
	CHECK(hist_parse_time("-1 fortnight", now, &t) < 0);
	CHECK(hist_parse_time("@x", now, &t) < 0);
	CHECK(hist_parse_time("2025-11-30 14:05:07 junk", now, &t) < 0);
	/* the zone: local time unless " UTC" */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	CHECK_INT(hist_parse_time("2025-11-30 14:05", now, &t), 0);
	CHECK_INT(t, 1764511500000000ULL - 3600000000ULL);
	CHECK_INT(hist_parse_time("2025-07-01 12:00", now, &t), 0);
	CHECK_INT(t, 1751371200000000ULL - 7200000000ULL);
	CHECK_INT(hist_parse_time("2025-11-30 14:05 UTC", now, &t), 0);
	CHECK_INT(t, 1764511500000000ULL);
	setenv("TZ", "UTC", 1);
	tzset();
	{
		char buf[HIST_TIME_LEN];

		CHECK_STR(hist_format_time(buf, 1764511507123456ULL, true),
			  "2025-11-30 14:05:07.123");
		CHECK_STR(hist_format_time(buf, 1764511507123456ULL, false),
			  "2025-11-30 14:05:07");
	}
}

/* filter_journal()'s matches, into sb separated by ' '. */
static int put_match(void *ctx, const char *m)
{
	return sb_puts(ctx, m) ?: sb_putc(ctx, ' ');
}

static void test_filter(void)
{
	struct exec_event ev;
	struct strbuf argv = STRBUF_INIT;
	struct rule_match m = { .name = "shell", .tags = "mitre_execution,T1059" };
	struct exec_filter f = { .failed = true };

	full_event(&ev, &argv);
	CHECK(exec_filter_match(&f, &ev, NULL));
	f.uid_set = true;
	f.uid = 1000;
	f.containername = "web";
	f.exe = "/usr/bin/da*";
	f.comm = "x y";
	f.tag = "T1059";
	f.rule = "shell";
	CHECK(exec_filter_match(&f, &ev, &m));
	sb_reset(&sb);
	CHECK_INT(exec_filter_journal(&f, put_match, &sb), 0);
	CHECK_STR(sb.p, "EXEC_UID=1000 CONTAINER_NAME=web EXEC_COMM=x y POLICY_RULE=shell ");
	f.tag = "T105";			/* a whole tag only */
	CHECK(!exec_filter_match(&f, &ev, &m));
	f.tag = "mitre_execution";
	CHECK(exec_filter_match(&f, &ev, &m));
	CHECK(!exec_filter_match(&f, &ev, NULL));	/* no rule: no tag */
	f.exe = "/usr/bin/dash";
	CHECK(exec_filter_match(&f, &ev, &m));
	f.exe = "/usr/bin/da";			/* not a glob: exact */
	CHECK(!exec_filter_match(&f, &ev, &m));
	f = (struct exec_filter){ .where = FILTER_HOST, .failed = true };
	CHECK(!exec_filter_match(&f, &ev, NULL));
	f.where = FILTER_CONTAINERS;
	CHECK(exec_filter_match(&f, &ev, NULL));
	f.action = "killed";
	CHECK(!exec_filter_match(&f, &ev, &m));
	m.action = "killed";
	CHECK(exec_filter_match(&f, &ev, &m));
	ev.failed = true;
	f.failed = false;
	CHECK(!exec_filter_match(&f, &ev, &m));
	ev.container = NULL;
	f = (struct exec_filter){ .containername = "web", .failed = true };
	CHECK(!exec_filter_match(&f, &ev, NULL));	/* a host exec has no name */
	f = (struct exec_filter){ .hostname = "node-a", .failed = true };
	CHECK(!exec_filter_match(&f, &ev, NULL));	/* a live event has none */
	ev.host = "node-a";
	CHECK(exec_filter_match(&f, &ev, NULL));
	f.hostname = "node-b";
	CHECK(!exec_filter_match(&f, &ev, NULL));
	sb_reset(&sb);
	CHECK_INT(exec_filter_journal(&f, put_match, &sb), 0);
	CHECK_STR(sb.p, "_HOSTNAME=node-b ");
	sb_free(&argv);
}

/* One exec entry of the report's input. */
static void add(struct report *rp, const char *msgid, const char *path, const char *user,
		const char *ctr, const char *rule, const char *tags, const char *action,
		const char *error, uint64_t ts)
{
	struct hist_event he;
	char buf[256];

	hist_event_init(&he);
#define F(...) do { snprintf(buf, sizeof(buf), __VA_ARGS__); \
		    hist_event_add(&he, buf, strlen(buf)); } while (0)
	F("MESSAGE_ID=%s", msgid);
	F("EXEC_TIMESTAMP_USEC=%llu", (unsigned long long)ts);
	F("_HOSTNAME=%s", ts & 1 ? "b" : "a");
	if (path)
		F("EXEC_EXE=%s", path);
	if (user)
		F("EXEC_USER=%s", user);
	if (ctr) {
		F("CONTAINER_ID=abc");
		F("CONTAINER_NAME=%s", ctr);
	}
	if (rule) {
		F("POLICY_RULE=%s", rule);
		F("POLICY_TAGS=%s", tags);
	}
	if (action)
		F("EXEC_ACTION=%s", action);
	if (error) {
		F("EXEC_ERROR=%s", error);
		F("ERRNO=2");
	}
	if (!strcmp(msgid, MSGID_LOST))
		F("EXEC_LOST=7");
	if (!strcmp(msgid, MSGID_EXEC_FOLDED))
		F("EXEC_FOLDED_COUNT=100");
#undef F
	CHECK_INT(hist_event_finish(&he, false), 0);
	CHECK_INT(report_add(rp, &he), 0);
	hist_event_free(&he);
}

static void test_report(void)
{
	struct report rp;
	char key[32];
	int i;

	report_init(&rp);
	add(&rp, MSGID_EXEC, "/bin/ls", "root", NULL, "exec", "a,b", NULL, NULL, 10);
	add(&rp, MSGID_EXEC, "/bin/ls", "alice", "web", "exec", "a,b", NULL, NULL, 11);
	add(&rp, MSGID_EXEC, "/bin/sh", "alice", "web", "shell", "b", NULL, NULL, 12);
	add(&rp, MSGID_EXEC_KILLED, "/tmp/x", "alice", "web", "drift", "", "killed", NULL, 13);
	add(&rp, MSGID_EXEC_WOULD_KILL, "/tmp/y", "root", NULL, "drift", "", "would-kill", NULL, 14);

	add(&rp, MSGID_EXEC_FAILED, "/bin/sh", "alice", NULL, "exec", "", NULL, "ENOENT", 15);
	add(&rp, MSGID_EXEC_FAILED, "/bin/sh", "alice", NULL, "exec", "", NULL, "ENOENT", 16);
	add(&rp, MSGID_EXEC_FAILED, "/bin/sh", "alice", NULL, "exec", "", NULL, "EACCES", 17);
	add(&rp, MSGID_EXEC, "/bin/ls", "root", NULL, NULL, NULL, NULL, NULL, 9);
	add(&rp, MSGID_LOST, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 20);
	add(&rp, MSGID_EXEC_FOLDED, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 21);
	for (i = 0; i < 100; i++) {	/* the table grows */
		snprintf(key, sizeof(key), "/bin/p%d", i);
		add(&rp, MSGID_EXEC, key, "bob", NULL, NULL, NULL, NULL, NULL, 100 + i);
	}
	CHECK_INT(rp.execs, 106);
	CHECK_INT(rp.failed, 3);
	CHECK_INT(rp.lost, 7);
	CHECK_INT(rp.folded, 100);
	CHECK_INT(rp.first_usec, 9);
	CHECK_INT(rp.last_usec, 199);
	CHECK_INT(report_count(&rp, REP_EXE, "/bin/ls"), 3);
	CHECK_INT(report_count(&rp, REP_EXE, "/bin/sh"), 1);
	CHECK_INT(report_count(&rp, REP_EXE, "/bin/p99"), 1);
	CHECK_INT(report_count(&rp, REP_EXE, "/bin/nothing"), 0);
	CHECK_INT(report_count(&rp, REP_USER, "alice"), 3);
	CHECK_INT(report_count(&rp, REP_USER, "bob"), 100);
	CHECK_INT(report_count(&rp, REP_CONTAINER, "web"), 3);
	CHECK_INT(report_count(&rp, REP_CONTAINER, "(host)"), 103);
	CHECK_INT(report_count(&rp, REP_RULE, "exec"), 2);
	CHECK_INT(report_count(&rp, REP_RULE, "(none)"), 101);
	CHECK_INT(report_count(&rp, REP_TAG, "b"), 3);
	CHECK_INT(report_count(&rp, REP_TAG, "a"), 2);
	CHECK_INT(report_count(&rp, REP_ACTION, "killed"), 1);
	CHECK_INT(report_count(&rp, REP_ACTION, "(none)"), 104);
	CHECK_INT(report_count(&rp, REP_ERROR, "ENOENT"), 2);
	CHECK_INT(report_count(&rp, REP_ERROR, "EACCES"), 1);
	CHECK_INT(report_count(&rp, REP_KILL, "killed\tdrift\t/tmp/x"), 1);
	CHECK_INT(report_count(&rp, REP_KILL, "would-kill\tdrift\t/tmp/y"), 1);
	CHECK_INT(report_count(&rp, REP_HOST, "a"), 53);
	CHECK_INT(report_count(&rp, REP_FIRST, "/bin/ls\t"), 3);
	/* the table: sections, most counted first, first seen earliest first */
	sb_reset(&sb);
	CHECK_INT(report_table(&sb, &rp, 2), 0);
	CHECK(strstr(sb.p, "106 execs, 3 failed, 100 failed folded past a budget, 7 lost"));
	CHECK(strstr(sb.p, "Execs by user (3):\n       COUNT  USER\n"
		      "         100  bob\n           3  alice\n  ... 1 more\n"));
	CHECK(strstr(sb.p, "Failed execs by error (2):\n       COUNT  ERROR\n"
		      "           2  ENOENT\n           1  EACCES\n"));
	CHECK(strstr(sb.p, "           1  killed            drift             /tmp/x\n"));
	CHECK(strstr(sb.p, "           3  1970-01-01 00:00:00  b             /bin/ls  -\n"));
	sb_reset(&sb);
	CHECK_INT(report_json(&sb, &rp, 0), 0);
	CHECK(strstr(sb.p, "\"execs\":106,\"failed\":3,"));
	CHECK(strstr(sb.p, "\"failed_by_error\":[{\"value\":\"ENOENT\",\"count\":2},"
		      "{\"value\":\"EACCES\",\"count\":1}]"));
	CHECK(strstr(sb.p, "\"kill_verdicts\":[{\"action\":\"killed\",\"rule\":\"drift\","
		      "\"executable\":\"/tmp/x\",\"count\":1},"));
	/* through a pipe (the second half's process), added to a report of
	 * its own: twice the counts, the same first seen */
	{
		struct report sum;
		int fd[2];

		report_init(&sum);
		CHECK_INT(pipe(fd), 0);
		CHECK_INT(report_write(fd[1], &rp), 0);
		CHECK_INT(report_write(fd[1], &rp), 0);
		close(fd[1]);
		CHECK_INT(report_read_merge(fd[0], &sum), 0);
		CHECK_INT(report_read_merge(fd[0], &sum), 0);
		CHECK_INT(report_read_merge(fd[0], &sum), -EPROTO);	/* nothing more */
		close(fd[0]);
		CHECK_INT(sum.execs, 212);
		CHECK_INT(sum.lost, 14);
		CHECK_INT(sum.first_usec, 9);
		CHECK_INT(report_count(&sum, REP_EXE, "/bin/ls"), 6);
		CHECK_INT(report_count(&sum, REP_KILL, "killed\tdrift\t/tmp/x"), 2);
		sb_reset(&sb);
		CHECK_INT(report_table(&sb, &sum, 2), 0);
		CHECK(strstr(sb.p, "           6  1970-01-01 00:00:00  b             /bin/ls  -\n"));
		report_free(&sum);
	}
	report_free(&rp);
}

/* The tree's drawing from its nodes. */
/* A path with a tab and a backslash is one executable, whole, in every
 * list and output (the parts of a key are escaped). */
static void test_report_hostile(void)
{
	struct report rp;

	report_init(&rp);
	add(&rp, MSGID_EXEC_WOULD_KILL, "/tmp/t\tz\\", "root", NULL, "dr\tift", "", "would-kill", NULL, 14);
	CHECK_INT(report_count(&rp, REP_EXE, "/tmp/t\tz\\"), 1);
	CHECK_INT(report_count(&rp, REP_KILL, "would-kill\tdr\\tift\t/tmp/t\\tz\\\\"), 1);
	sb_reset(&sb);
	CHECK_INT(report_json(&sb, &rp, 0), 0);
	CHECK(strstr(sb.p, "{\"action\":\"would-kill\",\"rule\":\"dr\\tift\",\"executable\":\"/tmp/t\\tz\\\\\",\"count\":1}"));
	CHECK(strstr(sb.p, "{\"executable\":\"/tmp/t\\tz\\\\\",\"sha256\":\"\",\"count\":1,"));
	sb_reset(&sb);
	CHECK_INT(report_table(&sb, &rp, 0), 0);
	CHECK(strstr(sb.p, "  would-kill        dr\\tift           /tmp/t\\tz\\\n"));
	report_free(&rp);
}

static void test_tree_render(void)
{
	struct tree_node v[] = {
		{ .depth = 0, .last = true, .cells = "T0  ", .args = "init" },
		{ .depth = 1, .last = true, .self = true, .cells = "T1  ", .args = "sh a.sh" },
		{ .depth = 2, .last = false, .cells = "T2  ", .args = "sh b.sh" },
		{ .depth = 3, .last = true, .cells = "T3  ", .args = "sleep 1" },
		{ .depth = 2, .last = true, .cells = "T4  ", .args = "sh c.sh" },
		{ .depth = 3, .last = true, .cells = "T5  ", .args = "true" },
	};
	struct tree t = { .v = v, .n = ARRAY_SIZE(v) };
	struct tree_opts o = { 0 };

	sb_reset(&sb);
	CHECK_INT(tree_render(&sb, &t, &o), 0);
	CHECK_STR(strchr(sb.p, '\n') + 1,
		  "  T0  init\n"
		  "* T1  \xe2\x94\x94\xe2\x94\x80 sh a.sh\n"
		  "  T2     \xe2\x94\x9c\xe2\x94\x80 sh b.sh\n"
		  "  T3     \xe2\x94\x82  \xe2\x94\x94\xe2\x94\x80 sleep 1\n"
		  "  T4     \xe2\x94\x94\xe2\x94\x80 sh c.sh\n"
		  "  T5        \xe2\x94\x94\xe2\x94\x80 true\n");
}

int main(void)
{
	test_split();
	test_roundtrip();
	test_bad_values();
	test_sender();
	test_times();
	test_filter();
	test_report();
	test_report_hostile();
	test_tree_render();
	sb_free(&sb);
	CHECK_DONE();
}
