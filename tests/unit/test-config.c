// SPDX-License-Identifier: GPL-2.0-or-later
/* test-config.c: unit tests of the config parser, validation, drop-ins. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* nftw */
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "check.h"
#include "config/config.h"
#include "config/config-values.h"
#include "config/settings-parse.h"
#include "policy/kill-compile.h"
#include "policy/match.h"
#include "core/strbuf.h"
#include "policy/policy.h"
#include "core/util.h"

static char tmpdir[] = "/tmp/test-config.XXXXXX";

/* Path of a source file, through $top_srcdir ("." when unset). */
static const char *src_path(const char *rel)
{
	static char buf[4096];
	const char *top = getenv("top_srcdir");

	snprintf(buf, sizeof(buf), "%s/%s", top && *top ? top : ".", rel);
	return buf;
}

/* Path inside the scratch directory. */
static const char *tmp_path(const char *rel)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", tmpdir, rel);
	return buf;
}

/* Write data to tmp/rel with mode (creating tmp/rel's directory). */
static void put_file(const char *rel, const char *data, size_t len,
		     mode_t mode)
{
	char dir[4096], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", tmp_path(rel));
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir(dir, 0755);
	fd = open(tmp_path(rel), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0);
	CHECK(write(fd, data, len) == (ssize_t)len);
	CHECK(fchmod(fd, mode) == 0);
	close(fd);
}

/* Read a source file (whatever its mode in the checkout) into memory. */
static char *slurp(const char *src, size_t *len)
{
	FILE *f = fopen(src_path(src), "r");
	char *buf = malloc(1 << 20);

	if (!f)
		fprintf(stderr, "cannot open %s (set top_srcdir)\n",
			src_path(src));
	CHECK(f && buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

/* Copy a fixture to the scratch dir with mode 0644 (umask-proof). */
static void stage(const char *fixture, const char *rel)
{
	size_t len;
	char *data = slurp(fixture, &len);

	put_file(rel, data, len, 0644);
	free(data);
}

static void print_errors(const struct config_errors *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		fprintf(stderr, "  error: %s\n", e->msgs[i]);
}

/* Parse yaml named "t.yaml"; the errors must be exactly want[]. */
static void expect_errors(const char *yaml, const char *const *want,
			  size_t nwant)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	size_t i;
	int r;

	r = config_parse_buffer("t.yaml", yaml, strlen(yaml), &c, &e);
	if (e.n != nwant || (nwant && r != -EINVAL) || (!nwant && r)) {
		fprintf(stderr, "for:\n%s\n", yaml);
		print_errors(&e);
	}
	CHECK_INT(e.n, nwant);
	CHECK_INT(r, nwant ? -EINVAL : 0);
	CHECK(nwant ? c == NULL : c != NULL);
	for (i = 0; i < nwant; i++)
		CHECK_STR(e.msgs[i], want[i]);
	config_free(c);
	config_errors_free(&e);
}

#define EXPECT_ERR(yaml, msg) do {					\
	const char *const w_[] = { msg };				\
	expect_errors(yaml, w_, 1);					\
} while (0)

#define EXPECT_OK(yaml) expect_errors(yaml, NULL, 0)

/* Parse yaml that must be valid. */
static struct config *parse_ok(const char *yaml)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	int r = config_parse_buffer("t.yaml", yaml, strlen(yaml), &c, &e);

	if (r)
		print_errors(&e);
	CHECK_INT(r, 0);
	CHECK(c != NULL);
	config_errors_free(&e);
	return c;
}

static void test_value_parsers(void)
{
	uint64_t v;

	CHECK_INT(config_parse_duration("500ms", &v), 0);
	CHECK_INT(v, 500000);
	CHECK_INT(config_parse_duration("10s", &v), 0);
	CHECK_INT(v, 10000000);
	CHECK_INT(config_parse_duration("5m", &v), 0);
	CHECK_INT(v, 300000000);
	CHECK_INT(config_parse_duration("1h", &v), 0);
	CHECK_INT(v, 3600000000ULL);
	CHECK_INT(config_parse_duration("7", &v), 0);
	CHECK_INT(v, 7000000);
	CHECK_INT(config_parse_duration("250us", &v), 0);
	CHECK_INT(v, 250);
	CHECK_INT(config_parse_duration("", &v), -EINVAL);
	CHECK_INT(config_parse_duration("1d", &v), -EINVAL);
	CHECK_INT(config_parse_duration("-1s", &v), -EINVAL);
	CHECK_INT(config_parse_duration("999999999999h", &v), -ERANGE);
	CHECK_INT(config_parse_size("8M", &v), 0);
	CHECK_INT(v, 8 << 20);
	CHECK_INT(config_parse_size("64k", &v), 0);
	CHECK_INT(v, 65536);
	CHECK_INT(config_parse_size("1GiB", &v), 0);
	CHECK_INT(v, 1 << 30);
	CHECK_INT(config_parse_size("4096", &v), 0);
	CHECK_INT(v, 4096);
	CHECK_INT(config_parse_size("8X", &v), -EINVAL);
	CHECK_INT(config_priority_from_name("emerg"), LOG_EMERG);
	CHECK_INT(config_priority_from_name("error"), LOG_ERR);
	CHECK_INT(config_priority_from_name("warn"), LOG_WARNING);
	CHECK_INT(config_priority_from_name("debug"), LOG_DEBUG);
	CHECK_INT(config_priority_from_name("hgih"), -EINVAL);
	CHECK_STR(config_priority_name(LOG_CRIT), "crit");
	CHECK_STR(config_priority_name(9), "?");
	CHECK_INT(config_facility_from_name("local7"), LOG_LOCAL7);
	CHECK_INT(config_facility_from_name("authpriv"), LOG_AUTHPRIV);
	CHECK_INT(config_facility_from_name("local8"), -EINVAL);
}

static void test_defaults(void)
{
	struct te_settings s;
	struct config *c;

	settings_defaults(&s);
	CHECK(!s.ignore_failed);
	CHECK(s.paths);
	CHECK(!s.uid_set);
	CHECK_INT(s.max_args_bytes, 32768);
	CHECK_INT(s.ringbuf_size, 4 << 20);
	CHECK_INT(s.journal_backlog, 64 << 20);
	CHECK_INT(s.syslog_backlog, 64 << 20);
	CHECK_INT(s.pending_max, 10240);
	CHECK_INT(s.failed_exec_budget, 1 << 20);
	CHECK_INT(s.failed_exec_budget_cgroup, 4 << 20);
	CHECK(s.outputs.journal);
	CHECK(!s.outputs.syslog);
	CHECK_INT(s.outputs.stdout_fmt, TE_STDOUT_NONE);
	CHECK_INT(s.syslog_facility, LOG_AUTHPRIV);
	CHECK_INT(s.lost_report_interval_usec, 10000000);
	CHECK_INT(s.default_priority, LOG_INFO);
	/* "": the runtime's own default, which the enrich module applies. */
	CHECK_STR(s.containers.podman_storage, "");
	CHECK_STR(s.containers.docker_root, "");
	CHECK_STR(s.containers.containerd_state, "");
	CHECK_STR(s.containers.crio_state, "");
	CHECK_STR(s.containers.runc_state, "");

	/* An empty file, an empty document and null sections are valid. */
	EXPECT_OK("");
	EXPECT_OK("# only a comment\n");
	EXPECT_OK("---\n");
	c = parse_ok("settings:\nrules:\n");
	CHECK_INT(policy_rule_count(c->policy), 0);
	CHECK(c->settings.paths);
	CHECK_STR(c->path, "t.yaml");
	config_free(c);
}

static void test_settings(void)
{
	struct config *c = parse_ok(
		"settings:\n"
		"  ignore_failed: true\n"
		"  paths: no\n"
		"  uid: 1000\n"
		"  max_args_bytes: 4096\n"
		"  ringbuf_size: 64K\n"
		"  journal_backlog: 2G\n"
		"  syslog_backlog: 3M\n"
		"  pending_max: 512\n"
		"  failed_exec_budget: 0\n"
		"  failed_exec_budget_cgroup: 20K\n"
		"  outputs: {journal: false, syslog: true, stdout: json}\n"
		"  syslog_facility: local3\n"
		"  lost_report_interval: 500ms\n"
		"  default_priority: notice\n"
		"  containers:\n"
		"    podman_storage: /p\n"
		"    docker_root: /d\n"
		"    containerd_state: /c\n"
		"    crio_state: /o\n"
		"    runc_state: /r\n"
		"rules: []\n");
	const struct te_settings *s = &c->settings;

	CHECK(s->ignore_failed);
	CHECK(!s->paths);
	CHECK(s->uid_set);
	CHECK_INT(s->uid, 1000);
	CHECK_INT(s->max_args_bytes, 4096);
	CHECK_INT(s->ringbuf_size, 65536);
	CHECK_INT(s->journal_backlog, 2ULL << 30);
	CHECK_INT(s->syslog_backlog, 3 << 20);
	CHECK_INT(s->pending_max, 512);
	CHECK_INT(s->failed_exec_budget, 0);
	CHECK_INT(s->failed_exec_budget_cgroup, 20 << 10);
	CHECK(!s->outputs.journal);
	CHECK(s->outputs.syslog);
	CHECK_INT(s->outputs.stdout_fmt, TE_STDOUT_JSON);
	CHECK_INT(s->syslog_facility, LOG_LOCAL3);
	CHECK_INT(s->lost_report_interval_usec, 500000);
	CHECK_INT(s->default_priority, LOG_NOTICE);
	CHECK_STR(s->containers.podman_storage, "/p");
	CHECK_STR(s->containers.docker_root, "/d");
	CHECK_STR(s->containers.containerd_state, "/c");
	CHECK_STR(s->containers.crio_state, "/o");
	CHECK_STR(s->containers.runc_state, "/r");
	config_free(c);

	c = parse_ok("settings: {uid: 0, ringbuf_size: 1G, outputs: {stdout: table}}\n");
	CHECK(c->settings.uid_set);
	CHECK_INT(c->settings.uid, 0);
	CHECK_INT(c->settings.ringbuf_size, 1 << 30);
	CHECK_INT(c->settings.outputs.stdout_fmt, TE_STDOUT_TABLE);
	config_free(c);
}

/* Each validation error of the settings, with its line and column. */
static void test_settings_errors(void)
{
	EXPECT_ERR("settings:\n  colour: blue\n",
		   "t.yaml:2:3: unknown settings key 'colour'");
	EXPECT_ERR("settings:\n  paths: maybe\n",
		   "t.yaml:2:10: 'maybe' is not a boolean (true or false)");
	EXPECT_ERR("settings:\n  paths: [true]\n",
		   "t.yaml:2:10: expected a boolean (true or false), found a list");
	EXPECT_ERR("settings:\n  uid: -1\n",
		   "t.yaml:2:8: '-1' is not an integer");
	EXPECT_ERR("settings:\n  uid: 4294967295\n",
		   "t.yaml:2:8: 4294967295 is out of range 0..4294967294");
	EXPECT_ERR("settings:\n  max_args_bytes: 100\n",
		   "t.yaml:2:19: 100 is out of range 1024..1048576");
	EXPECT_ERR("settings:\n  ringbuf_size: 3M\n",
		   "t.yaml:2:17: ringbuf_size '3M' must be a power of two between 64K and 1G");
	EXPECT_ERR("settings:\n  ringbuf_size: 2G\n",
		   "t.yaml:2:17: ringbuf_size '2G' must be a power of two between 64K and 1G");
	EXPECT_ERR("settings:\n  journal_backlog: 512K\n",
		   "t.yaml:2:20: journal_backlog '512K' must be between 1M and 16G");
	EXPECT_ERR("settings:\n  journal_backlog: 17G\n",
		   "t.yaml:2:20: journal_backlog '17G' must be between 1M and 16G");
	EXPECT_ERR("settings:\n  syslog_backlog: 100K\n",
		   "t.yaml:2:19: syslog_backlog '100K' must be between 1M and 16G");
	EXPECT_ERR("settings:\n  pending_max: 0\n",
		   "t.yaml:2:16: 0 is out of range 1..1048576");
	EXPECT_ERR("settings:\n  failed_exec_budget: 2G\n",
		   "t.yaml:2:23: failed_exec_budget '2G' must be between 0 and 1G");
	EXPECT_ERR("settings:\n  failed_exec_budget_cgroup: -1\n",
		   "t.yaml:2:30: failed_exec_budget_cgroup '-1' must be between 0 and 1G");
	EXPECT_ERR("settings:\n  outputs: {journal: true, stdout: xml}\n",
		   "t.yaml:2:36: stdout 'xml' is not one of none, table, json");
	EXPECT_ERR("settings:\n  outputs: {mail: true}\n",
		   "t.yaml:2:13: unknown outputs key 'mail'");
	EXPECT_ERR("settings:\n  outputs: json\n",
		   "t.yaml:2:12: outputs must be a mapping");
	EXPECT_ERR("settings:\n  syslog_facility: local9\n",
		   "t.yaml:2:20: syslog_facility 'local9' is not one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, local0, local1, local2, local3, local4, local5, local6, local7");
	EXPECT_ERR("settings:\n  lost_report_interval: 10 s\n",
		   "t.yaml:2:25: '10 s' is not a duration (like 500ms, 10s, 5m, 1h)");
	EXPECT_ERR("settings:\n  lost_report_interval: 2d\n",
		   "t.yaml:2:25: '2d' is not a duration (like 500ms, 10s, 5m, 1h)");
	EXPECT_ERR("settings:\n  lost_report_interval: 25h\n",
		   "t.yaml:2:25: duration 25h is out of range 100ms..24h");
	EXPECT_ERR("settings:\n  default_priority: hgih\n",
		   "t.yaml:2:21: priority 'hgih' is not one of emerg, alert, crit, err, warning, notice, info, debug");
	EXPECT_ERR("settings:\n  containers:\n    docker_root: var/lib/docker\n",
		   "t.yaml:3:18: 'var/lib/docker' must be an absolute path");
	EXPECT_ERR("settings:\n  containers:\n    lxc: /x\n",
		   "t.yaml:3:5: unknown containers key 'lxc'");
	EXPECT_ERR("settings: [paths]\n",
		   "t.yaml:1:11: settings must be a mapping");
	EXPECT_ERR("settings:\n  paths: true\n  paths: false\n",
		   "t.yaml:3:3: duplicate settings key 'paths' (first at 2:3)");
}

/* Errors of the document's structure and of YAML itself. */
static void test_structure_errors(void)
{
	EXPECT_ERR("- a\n- b\n",
		   "t.yaml:1:1: the configuration must be a mapping with the keys 'settings' and 'rules'");
	EXPECT_ERR("settings: {}\nrule: []\n",
		   "t.yaml:2:1: unknown top-level key 'rule'");
	EXPECT_ERR("rules: {name: x}\n",
		   "t.yaml:1:8: rules must be a list of rule mappings");
	EXPECT_ERR("rules:\n  - name: a\n    match: {}\n  - just a string\n",
		   "t.yaml:4:5: rule must be a mapping");
	EXPECT_ERR("rules: []\n---\nrules: []\n",
		   "t.yaml:3:1: only one YAML document is allowed per file");
	EXPECT_ERR("rules:\n  - name: a\n    match: {comm: [bash}\n",
		   "t.yaml:3:24: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 3, column 19)");
	EXPECT_ERR("rules:\n  - name: a\n   match: {}\n",
		   "t.yaml:3:4: YAML syntax error: did not find expected '-' indicator (while parsing a block collection at line 2, column 3)");
	EXPECT_ERR("rules:\n\t- name: a\n",
		   "t.yaml:2:1: YAML syntax error: found character that cannot start any token (while scanning for the next token at line 2, column 1)");
	EXPECT_ERR("rules: *nope\n",
		   "t.yaml:1:8: YAML syntax error: found undefined alias");
	EXPECT_ERR("rules: []\n# caf\xe9\n",
		   "t.yaml:2:6: YAML syntax error: incomplete UTF-8 octet sequence");
	EXPECT_ERR("{[a]: 1}\n",
		   "t.yaml:1:2: expected a key, found a list");
}

/* Each validation error of a rule, with its line and column. */
static void test_rule_errors(void)
{
	EXPECT_ERR("rules:\n  - match: {}\n",
		   "t.yaml:2:5: rule has no 'name'");
	EXPECT_ERR("rules:\n  - name: x\n",
		   "t.yaml:2:5: rule 'x' has no 'match' (use 'match: {}' to match every event)");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    prio: crit\n",
		   "t.yaml:4:5: unknown rule key 'prio'");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    priority: hgih\n",
		   "t.yaml:4:15: priority 'hgih' is not one of emerg, alert, crit, err, warning, notice, info, debug");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n  - name: x\n    match: {}\n",
		   "t.yaml:4:11: duplicate rule name 'x' (first defined at t.yaml:2:11)");
	EXPECT_ERR("rules:\n  - name: my rule\n    match: {}\n",
		   "t.yaml:2:11: rule name 'my rule' must be 1 to 128 letters, digits or '-_.:/'");
	EXPECT_ERR("rules:\n  - name: ''\n    match: {}\n",
		   "t.yaml:2:11: rule name '' must be 1 to 128 letters, digits or '-_.:/'");
	EXPECT_ERR("rules:\n  - name: [x]\n    match: {}\n",
		   "t.yaml:2:11: expected a rule name, found a list");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    action: block\n",
		   "t.yaml:4:13: action 'block' is not one of log, drop, kill");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    tags: [a, 'b,c']\n",
		   "t.yaml:4:15: tag 'b,c' must be 1 to 128 letters, digits or '-_.:/'");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    tags: {a: b}\n",
		   "t.yaml:4:11: tags must be a list of words");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    description: [a]\n",
		   "t.yaml:4:18: expected a description, found a list");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    rate_limit: {burst: 0, interval: 1s}\n",
		   "t.yaml:4:25: 0 is out of range 1..4294967295");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    rate_limit: {burst: 5}\n",
		   "t.yaml:4:17: rate_limit needs both 'burst' and 'interval'");
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    rate_limit: {burst: 5, interval: 0s}\n",
		   "t.yaml:4:38: duration 0s is out of range 1ms..24h");
	{
		const char *const w[] = {
			"t.yaml:4:28: unknown rate_limit key 'window'",
			"t.yaml:4:17: rate_limit needs both 'burst' and 'interval'",
		};

		expect_errors("rules:\n  - name: x\n    match: {}\n    rate_limit: {burst: 5, window: 1s}\n",
			      w, ARRAY_SIZE(w));
	}
	EXPECT_ERR("rules:\n  - name: x\n    match: {}\n    rate_limit: 5\n",
		   "t.yaml:4:17: rate_limit must be a mapping");
	EXPECT_ERR("rules:\n  - name: x\n    name: y\n    match: {}\n",
		   "t.yaml:3:5: duplicate rule key 'name' (first at 2:5)");
}

/* Each validation error of a match, with its line and column. */
static void test_match_errors(void)
{
	EXPECT_ERR("rules:\n  - name: x\n    match:\n      comn: bash\n",
		   "t.yaml:4:7: unknown match key 'comn'");
	EXPECT_ERR("rules:\n  - name: x\n    match: bash\n",
		   "t.yaml:3:12: a match must be a mapping of keys to values");
	EXPECT_ERR("rules:\n  - name: x\n    match: {exe: '/usr/[bin/*'}\n",
		   "t.yaml:3:18: bad glob '/usr/[bin/*': unterminated '['");
	EXPECT_ERR("rules:\n  - name: x\n    match: {exe: ['/a', 'x\\']}\n",
		   "t.yaml:3:25: bad glob 'x\\': trailing backslash");
	EXPECT_ERR("rules:\n  - name: x\n    match: {comm: '[[:word:]]'}\n",
		   "t.yaml:3:19: bad glob '[[:word:]]': unknown character class");
	EXPECT_ERR("rules:\n  - name: x\n    match: {args_regex: '('}\n",
		   "t.yaml:3:25: bad regex '(': Unmatched ( or \\(");
	EXPECT_ERR("rules:\n  - name: x\n    match: {args_regex: 'sh+++ -c'}\n",
		   "t.yaml:3:25: bad regex 'sh+++ -c': a repetition directly after another");
	EXPECT_ERR("rules:\n  - name: x\n    match: {args_regex: '^(/bin/)?+sh'}\n",
		   "t.yaml:3:25: bad regex '^(/bin/)?+sh': a repetition directly after another");
	EXPECT_ERR("rules:\n  - name: x\n    match: {args_regex: [a]}\n",
		   "t.yaml:3:25: expected a regular expression, found a list");
	EXPECT_ERR("rules:\n  - name: x\n    match: {tty: yes please}\n",
		   "t.yaml:3:18: 'yes please' is not a boolean (true or false)");
	EXPECT_ERR("rules:\n  - name: x\n    match: {uid: root}\n",
		   "t.yaml:3:18: 'root' is not an integer");
	EXPECT_ERR("rules:\n  - name: x\n    match: {uid: unset}\n",
		   "t.yaml:3:18: 'unset' is not an integer");
	EXPECT_ERR("rules:\n  - name: x\n    match: {gid: [0, 1, {a: 1}]}\n",
		   "t.yaml:3:25: a 'gid' list may only hold plain values");
	EXPECT_ERR("rules:\n  - name: x\n    match: {comm: []}\n",
		   "t.yaml:3:19: 'comm' needs at least one value");
	EXPECT_ERR("rules:\n  - name: x\n    match: {comm: {a: b}}\n",
		   "t.yaml:3:19: 'comm' takes a value or a list of values, not a mapping");
	EXPECT_ERR("rules:\n  - name: x\n    match: {error: [ENOENT, ENOENTT]}\n",
		   "t.yaml:3:29: 'ENOENTT' is not an errno name (like ENOENT, EACCES)");
	EXPECT_ERR("rules:\n  - name: x\n    match: {any: []}\n",
		   "t.yaml:3:18: 'any' takes a non-empty list of match mappings");
	EXPECT_ERR("rules:\n  - name: x\n    match: {any: {comm: a}}\n",
		   "t.yaml:3:18: 'any' takes a non-empty list of match mappings");
	EXPECT_ERR("rules:\n  - name: x\n    match: {any: [{comm: a}, bash]}\n",
		   "t.yaml:3:30: a match must be a mapping of keys to values");
	EXPECT_ERR("rules:\n  - name: x\n    match: {not: {comn: a}}\n",
		   "t.yaml:3:19: unknown match key 'comn'");
	EXPECT_ERR("rules:\n  - name: x\n    match: {comm: a, comm: b}\n",
		   "t.yaml:3:22: duplicate match key 'comm' (first at 3:13)");
}

/* Kill rules: keys the kernel cannot decide refused where they are; the
 * rules up to the last kill rule compiled for it. */
static void test_kill_rules(void)
{
	const struct te_kstr *ks;
	const struct te_kset *k;
	struct strbuf big = STRBUF_INIT;
	struct config *c;
	int i;

	EXPECT_ERR("rules:\n  - name: k\n    match:\n      comm: sh\n      args: '*-c*'\n    action: kill\n",
		   "t.yaml:5:7: 'args' cannot be decided in the kernel (arguments are matched in userspace): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("rules:\n  - name: k\n    action: kill\n    match: {not: {args_regex: x}}\n",
		   "t.yaml:4:19: 'args_regex' cannot be decided in the kernel (arguments are matched in userspace): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("rules:\n  - name: k\n    action: kill\n    match: {user: root}\n",
		   "t.yaml:4:13: 'user' cannot be decided in the kernel (names of users and groups are looked up in userspace): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("rules:\n  - name: k\n    action: kill\n    match: {exe: '*.sh'}\n",
		   "t.yaml:4:13: 'exe' cannot be decided in the kernel (only absolute paths, and paths ending in one '*', shorter than 256 bytes): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("rules:\n  - name: k\n    action: kill\n    match: {comm: '*sh'}\n",
		   "t.yaml:4:13: 'comm' cannot be decided in the kernel (only names, and names ending in one '*', shorter than 16 bytes): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("settings:\n  protect: [/usr/*/x]\n",
		   "t.yaml:2:13: protect: '/usr/*/x' must be an absolute path shorter than 256 bytes, with at most one '*', at its end");
	/* loader: a flag of the exec, ruled out at once by its fact */
	c = parse_ok("rules:\n  - name: ld\n    action: kill\n    match: {loader: true}\n");
	CHECK_INT(c->krules->set.ops[0].code, TE_KO_FLAG);
	CHECK_INT(c->krules->set.ops[0].val, TE_F_LOADER);
	CHECK_INT(c->krules->set.ops[0].arg, 1);
	CHECK_INT(c->krules->set.idx.w[0].fact_out[13], 1);	/* TE_KF_NOT_LOADER */
	CHECK_INT(c->krules->set.idx.w[0].fact_out[12], 0);
	config_free(c);
	/* not a kill rule: any key */
	EXPECT_OK("rules:\n  - name: k\n    match: {args: '*-c*'}\n");

	c = parse_ok("rules:\n  - name: shells\n    match: {comm: sh}\n"
		     "  - name: tmp\n    action: kill\n    match: {file: '/tmp/x*', container: true, image: 'a*'}\n"
		     "  - name: after\n    match: {args: x}\n");
	k = &c->krules->set;
	CHECK(c->krules->any_kill);
	CHECK(!k->enforce);
	CHECK_INT(c->krules->nct, 1);
	/* comm; end; container, jump, file, and, jump, image bit, and; end */
	CHECK_INT(k->nrules, 2);
	CHECK_INT(k->nops, 10);
	CHECK_INT(k->idx.rule_op[0], 0);
	CHECK_INT(k->idx.rule_op[1], 2);
	CHECK_INT(k->idx.rule_op[2], 10);
	CHECK_INT(k->ops[0].code, TE_KO_NAME);
	CHECK_INT(k->ops[1].code, TE_KO_END);
	CHECK_INT(k->ops[1].arg, TE_KEND_PASS);
	CHECK_INT(k->ops[9].code, TE_KO_END);
	CHECK_INT(k->ops[9].arg, TE_KEND_KILL);
	CHECK_INT(k->ops[9].val, 1);
	CHECK_INT(k->ops[2].code, TE_KO_CONTAINER);
	CHECK_INT(k->ops[3].code, TE_KO_JNO);
	CHECK_INT(k->ops[6].code, TE_KO_JNO);
	CHECK_INT(k->ops[4].code, TE_KO_PATH);
	CHECK_INT(k->ops[4].arg, TE_PATH_FILE | 8);
	ks = &k->strs[k->ops[4].val];
	CHECK_INT(ks->rlen, 6);
	CHECK(!memcmp(k->pool + ks->root_off, "/tmp/x", 6));
	CHECK_INT(ks->clen, 4);
	CHECK(!memcmp(k->pool + ks->comps_off, "tmp", 4));
	CHECK_INT(ks->plen, 1);
	CHECK(!memcmp(k->pool + ks->part_off, "x", 1));
	/* the index: the comm rule anchored on its name, the kill rule out
	 * on the host and anchored on its file's root-most component */
	CHECK_INT(k->idx.nterms, 2);
	CHECK_INT(k->idx.w[0].anchored[TE_KX_COMM], 1);
	CHECK_INT(k->idx.w[0].anchored[TE_KX_FILE], 2);
	CHECK_INT(k->idx.w[0].fact_out[0], 2);	/* TE_KF_HOST */
	/* the default protected paths, each on the exe and the file */
	CHECK_INT(k->prot_end - k->nops, 11 * 2 * 2 - 1 + 1);
	CHECK_INT(k->idx.rule_op[2], k->nops);
	config_free(c);

	c = parse_ok("settings:\n  enforce: true\n  protect: []\nrules:\n  - name: x\n    match: {}\n");
	CHECK(!c->krules->any_kill);
	CHECK(c->krules->set.enforce);
	CHECK_INT(c->krules->set.nops, 0);
	CHECK_INT(c->krules->set.prot_end, 0);
	config_free(c);

	/* more than a kernel rule set holds */
	CHECK_INT(sb_puts(&big, "rules:\n"), 0);
	for (i = 0; i < 600; i++)
		CHECK_INT(sb_printf(&big, "  - name: k%d\n    action: kill\n    match: {uid: [1, 2, 3]}\n", i), 0);
	EXPECT_ERR(big.p, "'t.yaml': the rules up to the last kill rule and the protected paths do not fit in the kernel's rule set (at most 512 rules, 4096 operations, 1024 path or name patterns of 65536 bytes in all, 64 container conditions)");
	sb_free(&big);
}

/* not: nested 16 deep is fine, 17 is not. */
static void test_depth(void)
{
	char yaml[1024];
	int i, n;

	for (n = 16; n <= 17; n++) {
		strcpy(yaml, "rules:\n  - name: deep\n    match: ");
		for (i = 0; i < n; i++)
			strcat(yaml, "{not: ");
		strcat(yaml, "{comm: a}");
		for (i = 0; i < n; i++)
			strcat(yaml, "}");
		strcat(yaml, "\n");
		if (n == 16)
			EXPECT_OK(yaml);
		else
			EXPECT_ERR(yaml,
				   "t.yaml:3:114: 'not'/'any' nested deeper than 16 levels");
	}
}

/* An alias bomb is cut off by the size budget instead of taking forever. */
static void test_alias_bomb(void)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	char *y = malloc(65536), *p = y;
	int i;

	CHECK(y != NULL);
	p += sprintf(p, "a0: &a0 {comm: x}\n");
	for (i = 1; i < 12; i++)
		p += sprintf(p, "a%d: &a%d {any: [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]}\n",
			     i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
			     i - 1, i - 1);
	sprintf(p, "rules:\n  - name: bomb\n    match: *a11\n");
	/* the a0.. keys are unknown top-level keys: one error each */
	CHECK_INT(config_parse_buffer("t.yaml", y, strlen(y), &c, &e),
		  -EINVAL);
	CHECK(c == NULL);
	CHECK_INT(e.n, 13);
	CHECK_STR(e.msgs[0], "t.yaml:1:1: unknown top-level key 'a0'");
	CHECK(strstr(e.msgs[12], ": match conditions are too large") != NULL);
	config_errors_free(&e);
	free(y);
}

/* Every error of a file is reported, in file order. */
static void test_all_errors(void)
{
	const char *const want[] = {
		"t.yaml:3:10: 'maybe' is not a boolean (true or false)",
		"t.yaml:4:17: ringbuf_size '3M' must be a power of two between 64K and 1G",
		"t.yaml:5:3: unknown settings key 'colour'",
		"t.yaml:9:15: priority 'hgih' is not one of emerg, alert, crit, err, warning, notice, info, debug",
		"t.yaml:12:7: unknown match key 'comn'",
		"t.yaml:13:19: bad regex '(': Unmatched ( or \\(",
		"t.yaml:14:11: duplicate rule name 'bad-prio' (first defined at t.yaml:7:11)",
		"t.yaml:15:18: bad glob '/usr/[bin/*': unterminated '['",
	};
	size_t len;
	char *yaml = slurp("tests/unit/fixtures/config/errors.yaml", &len);

	expect_errors(yaml, want, ARRAY_SIZE(want));
	free(yaml);
}

/* Errors are capped so a hostile file cannot eat memory. */
static void test_error_cap(void)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	size_t i, n = 0;
	char *y = malloc(1200 * 16 + 64);

	CHECK(y != NULL);
	n += (size_t)sprintf(y, "settings:\n");
	for (i = 0; i < 1200; i++)
		n += (size_t)sprintf(y + n, "  k%04zu: 1\n", i);
	CHECK_INT(config_parse_buffer("t.yaml", y, n, &c, &e), -EINVAL);
	CHECK_INT(e.n, 1001);
	CHECK_STR(e.msgs[999], "t.yaml:1001:3: unknown settings key 'k0999'");
	CHECK_STR(e.msgs[1000], "'t.yaml': more than 1000 errors, giving up on the rest");
	config_errors_free(&e);
	/* NULL errs: only the result says something was wrong */
	CHECK_INT(config_parse_buffer("t.yaml", y, n, &c, NULL), -EINVAL);
	free(y);
}

/* The shipped policy loads cleanly and holds the documented rules. */
static void test_shipped(void)
{
	static const char *const names[] = {
		"modified-binary-in-container", "package-file-modified",
		"privileged-helper-failed", "path-cut-or-unreachable",
		"exec-from-temp-dir", "unpackaged-program", "shell-in-container",
		"exec",
	};
	struct config_errors e = { 0 };
	struct config *c = NULL;
	size_t i, len;
	char *data = slurp("conf/trace-execd.yaml", &len);
	int r;

	put_file("shipped/trace-execd.yaml", data, len, 0644);
	free(data);
	r = config_load(tmp_path("shipped/trace-execd.yaml"), NULL, &c, &e);
	if (r)
		print_errors(&e);
	CHECK_INT(r, 0);
	CHECK_INT(policy_rule_count(c->policy), ARRAY_SIZE(names));
	for (i = 0; i < ARRAY_SIZE(names); i++)
		CHECK_STR(policy_rule_name(c->policy, i), names[i]);
	CHECK(!c->settings.ignore_failed);
	/* the drift rule is a kill rule, in dry run */
	CHECK(!c->settings.enforce);
	CHECK(c->krules->any_kill);
	CHECK_INT(c->krules->set.ops[c->krules->set.nops - 1].arg, TE_KEND_KILL);
	CHECK_INT(c->settings.nprotect, 11);
	CHECK_INT(c->settings.ringbuf_size, 4 << 20);
	CHECK_INT(c->settings.syslog_facility, LOG_AUTHPRIV);
	CHECK(c->settings.package_verify && c->settings.first_seen);
	CHECK_INT(c->settings.first_seen_entries, 16384);
	CHECK_STR(c->settings.first_seen_file, "");
	CHECK_INT(policy_needs(c->policy), MATCH_NEEDS_HASH | MATCH_NEEDS_PACKAGE);
	config_free(c);
	config_errors_free(&e);
}

/* Drop-ins: *.yaml only, strcmp order, appended after the main rules. */
static void test_dropins(void)
{
	static const char *const order[] = {
		"main-a", "main-b", "first-a", "first-b", "second", "upper",
		"lower",
	};
	static const char *const files[] = {
		"main.yaml", "rules.d/10-first.yaml", "rules.d/20-second.yaml",
		"rules.d/B-upper.yaml", "rules.d/a-lower.yaml",
		"rules.d/README", "rules.d/.hidden.yaml", "dup.d/10-dup.yaml",
		"settings.d/10-settings.yaml",
	};
	struct config_errors e = { 0 };
	struct config *c = NULL;
	char fix[256], main_path[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(fix, sizeof(fix), "tests/unit/fixtures/config/%s",
			 files[i]);
		stage(fix, files[i]);
	}
	snprintf(main_path, sizeof(main_path), "%s", tmp_path("main.yaml"));
	/* NULL: rules.d beside the main file */
	CHECK_INT(config_load(main_path, NULL, &c, &e), 0);
	CHECK_INT(policy_rule_count(c->policy), ARRAY_SIZE(order));
	for (i = 0; i < ARRAY_SIZE(order); i++)
		CHECK_STR(policy_rule_name(c->policy, i), order[i]);
	CHECK_INT(c->settings.default_priority, LOG_NOTICE);
	CHECK_STR(c->path, main_path);
	config_free(c);

	/* a missing drop-in directory is no error */
	CHECK_INT(config_load(main_path, tmp_path("none.d"), &c, &e), 0);
	CHECK_INT(policy_rule_count(c->policy), 2);
	config_free(c);
	CHECK_INT(e.n, 0);
}

/* Format "'PATH': why" or "PATH:L:C: why" for a scratch file. */
static const char *msg_for(const char *rel, const char *why)
{
	static char buf[2048];

	if (why[0] == ':')
		snprintf(buf, sizeof(buf), "%s%s", tmp_path(rel), why);
	else
		snprintf(buf, sizeof(buf), "'%s': %s", tmp_path(rel), why);
	return buf;
}

/* Load tmp/rel with drop-ins from tmp/drop; expect exactly one error. */
static void expect_load_error(const char *rel, const char *drop,
			      const char *msg)
{
	struct config_errors e = { 0 };
	struct config *c = NULL;
	char path[4096], dir[4096];

	snprintf(path, sizeof(path), "%s", tmp_path(rel));
	snprintf(dir, sizeof(dir), "%s", tmp_path(drop));
	CHECK_INT(config_load(path, dir, &c, &e), -EINVAL);
	CHECK(c == NULL);
	if (e.n != 1)
		print_errors(&e);
	CHECK_INT(e.n, 1);
	CHECK_STR(e.msgs[0], msg);
	config_errors_free(&e);
}

static void test_dropin_errors(void)
{
	char first[1024];

	/* staged by test_dropins() */
	snprintf(first, sizeof(first),
		 ":5:11: duplicate rule name 'main-a' (first defined at %s:5:11)",
		 tmp_path("main.yaml"));
	expect_load_error("main.yaml", "dup.d",
			  msg_for("dup.d/10-dup.yaml", first));
	expect_load_error("main.yaml", "settings.d",
			  msg_for("settings.d/10-settings.yaml",
				  ":2:1: 'settings' is only allowed in the main configuration file, not in a drop-in"));
	put_file("notdir.d", "x", 1, 0644);
	expect_load_error("main.yaml", "notdir.d",
			  msg_for("notdir.d", "cannot read drop-in directory: Not a directory"));
}

/* The file checks: missing, not regular, writable by others, owner. */
static void test_file_checks(void)
{
	const char *ok = "rules: []\n";

	expect_load_error("missing.yaml", "none.d",
			  msg_for("missing.yaml", "cannot open: No such file or directory"));
	expect_load_error("rules.d", "none.d",
			  msg_for("rules.d", "not a regular file, refusing"));
	put_file("ww.yaml", ok, strlen(ok), 0666);
	expect_load_error("ww.yaml", "none.d",
			  msg_for("ww.yaml", "group/world-writable (mode 0666), refusing"));
	put_file("gw.yaml", ok, strlen(ok), 0620);
	expect_load_error("gw.yaml", "none.d",
			  msg_for("gw.yaml", "group/world-writable (mode 0620), refusing"));
	/* a bad drop-in is reported by its name too */
	put_file("ww.d/10-x.yaml", ok, strlen(ok), 0646);
	expect_load_error("main.yaml", "ww.d",
			  msg_for("ww.d/10-x.yaml", "group/world-writable (mode 0646), refusing"));
	put_file("owned.yaml", ok, strlen(ok), 0644);
	if (geteuid() == 0) {
		CHECK(chown(tmp_path("owned.yaml"), 12345, (gid_t)-1) == 0);
		expect_load_error("owned.yaml", "none.d",
				  msg_for("owned.yaml", "owned by uid 12345, not by root or uid 0, refusing"));
	} else {
		CHECK(chmod(tmp_path("owned.yaml"), 0) == 0);
		expect_load_error("owned.yaml", "none.d",
				  msg_for("owned.yaml", "cannot open: Permission denied"));
	}
	/* syntax errors in files carry the file name */
	put_file("syntax.yaml", "rules: [\n", 9, 0600);
	expect_load_error("syntax.yaml", "none.d",
			  msg_for("syntax.yaml", ":2:1: YAML syntax error: did not find expected node content (while parsing a flow node at line 2, column 1)"));
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* sha256 and sha256_file: digests checked at FILE:LINE:COL, of the hash
 * file for its lines; the hash settings. */
static void test_sha256_keys(void)
{
	static const char good[] = "# known good\n\n" "%s  /usr/bin/x\n  %s\n";
	char yaml[1024], data[512], path[256];
	const char *want[2];
	char w0[512], w1[512];

	EXPECT_OK("rules:\n  - name: r\n    match: {sha256: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA}\n");
	EXPECT_ERR("rules:\n  - name: r\n    match:\n      sha256: [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, abc]\n",
		   "t.yaml:4:82: 'abc' is not a SHA-256 (64 hex digits)");
	EXPECT_ERR("rules:\n  - name: r\n    match: {sha256: []}\n",
		   "t.yaml:3:21: 'sha256' takes a digest or a non-empty list of digests");
	EXPECT_ERR("rules:\n  - name: r\n    match: {sha256_file: rel/h.txt}\n",
		   "t.yaml:3:26: sha256_file 'rel/h.txt' must be an absolute path");
	snprintf(data, sizeof(data), good, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	put_file("h-good.txt", data, strlen(data), 0644);
	snprintf(path, sizeof(path), "%s", tmp_path("h-good.txt"));
	snprintf(yaml, sizeof(yaml), "rules:\n  - name: r\n    match: {sha256_file: %s}\n", path);
	EXPECT_OK(yaml);
	snprintf(data, sizeof(data), "%s\n\tnot-a-hash x\n%.63s\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	put_file("h-bad.txt", data, strlen(data), 0644);
	snprintf(path, sizeof(path), "%s", tmp_path("h-bad.txt"));
	snprintf(yaml, sizeof(yaml), "rules:\n  - name: r\n    match: {sha256_file: %s}\n", path);
	snprintf(w0, sizeof(w0), "%s:2:2: 'not-a-hash' is not a SHA-256 (64 hex digits)", path);
	snprintf(w1, sizeof(w1), "%s:3:1: '%.63s' is not a SHA-256 (64 hex digits)", path, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	want[0] = w0;
	want[1] = w1;
	expect_errors(yaml, want, 2);
	put_file("h-empty.txt", "# nothing\n", 10, 0644);
	snprintf(path, sizeof(path), "%s", tmp_path("h-empty.txt"));
	snprintf(yaml, sizeof(yaml), "rules:\n  - name: r\n    match: {sha256_file: %s}\n", path);
	snprintf(w0, sizeof(w0), "t.yaml:3:26: sha256_file '%s' holds no digest", path);
	EXPECT_ERR(yaml, w0);
	EXPECT_ERR("rules:\n  - name: r\n    match: {sha256_file: /nonexistent/h}\n",
		   "t.yaml:3:26: sha256_file '/nonexistent/h': No such file or directory");
	EXPECT_OK("settings:\n  hash_sha256: false\n  hash_wait: 50ms\n  hash_max_size: 1G\n  hash_cache_entries: 128\n");
	EXPECT_ERR("settings:\n  hash_wait: 11s\n",
		   "t.yaml:2:14: duration 11s is out of range 0us..10s");
	EXPECT_ERR("settings:\n  hash_cache_entries: 10\n",
		   "t.yaml:2:23: 10 is out of range 128..1048576");
}

/* Where a program came from: its settings, its keys and what they need. */
static void test_provenance_keys(void)
{
	struct config *c;

	c = parse_ok("settings:\n  package_verify: false\n  first_seen: false\n"
		     "  first_seen_entries: 1024\n  first_seen_file: /var/tmp/fs\n");
	CHECK(!c->settings.package_verify && !c->settings.first_seen);
	CHECK_INT(c->settings.first_seen_entries, 1024);
	CHECK_STR(c->settings.first_seen_file, "/var/tmp/fs");
	CHECK_INT(policy_needs(c->policy), 0);
	config_free(c);
	EXPECT_ERR("settings:\n  first_seen_entries: 1000\n",
		   "t.yaml:2:23: 1000 is out of range 1024..1048576");
	EXPECT_ERR("settings:\n  first_seen_file: state/fs\n",
		   "t.yaml:2:20: first_seen_file 'state/fs' must be an absolute path of a file");
	EXPECT_ERR("settings:\n  first_seen_file: /var/lib/x/\n",
		   "t.yaml:2:20: first_seen_file '/var/lib/x/' must be an absolute path of a file");
	c = parse_ok("rules:\n  - name: a\n    match: {package: [coreutils, 'lib*'], package_verified: [yes, modified]}\n"
		     "  - name: b\n    match: {not: {first_seen: host}}\n");
	CHECK_INT(policy_needs(c->policy), MATCH_NEEDS_HASH | MATCH_NEEDS_PACKAGE | MATCH_NEEDS_FIRST_SEEN);
	CHECK(policy_uses_sha256(c->policy));
	config_free(c);
	c = parse_ok("rules:\n  - name: a\n    match: {any: [{first_seen: [host, image]}]}\n");
	CHECK_INT(policy_needs(c->policy), MATCH_NEEDS_HASH | MATCH_NEEDS_FIRST_SEEN);
	config_free(c);
	EXPECT_ERR("rules:\n  - name: a\n    match: {package_verified: true}\n",
		   "t.yaml:3:31: 'package_verified' takes yes, modified, unpackaged or unknown, not 'true'");
	EXPECT_ERR("rules:\n  - name: a\n    match: {first_seen: [host, '*']}\n",
		   "t.yaml:3:32: 'first_seen' takes host or image, not '*'");
	EXPECT_ERR("rules:\n  - name: a\n    action: kill\n    match: {package: bash}\n",
		   "t.yaml:4:13: 'package' cannot be decided in the kernel (packages and first sightings are judged in userspace, after the exec): a kill rule may use only " KRULES_KEYS);
	EXPECT_ERR("rules:\n  - name: a\n    action: kill\n    match: {not: {first_seen: host}}\n",
		   "t.yaml:4:19: 'first_seen' cannot be decided in the kernel (packages and first sightings are judged in userspace, after the exec): a kill rule may use only " KRULES_KEYS);
}

int main(void)
{
	CHECK(mkdtemp(tmpdir) != NULL);
	test_sha256_keys();
	test_value_parsers();
	test_defaults();
	test_settings();
	test_settings_errors();
	test_structure_errors();
	test_rule_errors();
	test_match_errors();
	test_kill_rules();
	test_depth();
	test_alias_bomb();
	test_all_errors();
	test_error_cap();
	test_provenance_keys();
	test_shipped();
	test_dropins();
	test_dropin_errors();
	test_file_checks();
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
