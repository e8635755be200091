// SPDX-License-Identifier: GPL-2.0-or-later
/* test-metrics.c: unit tests of the Prometheus text of the daemon's counters and of its atomic file write. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "format/metrics.h"
#include "sink/metrics-file.h"

static const char want[] =
	"# HELP trace_execd_events_total Exec events read from the kernel.\n"
	"# TYPE trace_execd_events_total counter\n"
	"trace_execd_events_total 18446744073709551615\n"
	"# HELP trace_execd_written_total Entries written to the outputs.\n"
	"# TYPE trace_execd_written_total counter\n"
	"trace_execd_written_total 90\n"
	"# HELP trace_execd_dropped_total Events dropped by a rule (action: drop).\n"
	"# TYPE trace_execd_dropped_total counter\n"
	"trace_execd_dropped_total 5\n"
	"# HELP trace_execd_rate_limited_total Events suppressed by a rule's rate limit.\n"
	"# TYPE trace_execd_rate_limited_total counter\n"
	"trace_execd_rate_limited_total 3\n"
	"# HELP trace_execd_lost_events_total Exec events lost, by cause (EXEC_LOST_* in the journal).\n"
	"# TYPE trace_execd_lost_events_total counter\n"
	"trace_execd_lost_events_total{cause=\"ringbuf\"} 2\n"
	"trace_execd_lost_events_total{cause=\"journal\"} 0\n"
	"# HELP trace_execd_journal_backlog_entries Entries waiting for journald.\n"
	"# TYPE trace_execd_journal_backlog_entries gauge\n"
	"trace_execd_journal_backlog_entries 7\n"
	"# HELP trace_execd_journal_backlog_bytes Bytes of the entries waiting for journald.\n"
	"# TYPE trace_execd_journal_backlog_bytes gauge\n"
	"trace_execd_journal_backlog_bytes 4096\n"
	"# HELP trace_execd_syslog_backlog_entries Messages waiting for syslog.\n"
	"# TYPE trace_execd_syslog_backlog_entries gauge\n"
	"trace_execd_syslog_backlog_entries 3\n"
	"# HELP trace_execd_syslog_backlog_bytes Bytes of the messages waiting for syslog.\n"
	"# TYPE trace_execd_syslog_backlog_bytes gauge\n"
	"trace_execd_syslog_backlog_bytes 2048\n";

static void test_format(void)
{
	struct metrics_sample m = {
		.events = UINT64_MAX, .written = 90, .dropped = 5,
		.rate_limited = 3, .nlost = 2,
		.lost_cause = { "ringbuf", "journal" }, .lost = { 2, 0 },
		.backlog_entries = 7, .backlog_bytes = 4096,
		.syslog_backlog_entries = 3, .syslog_backlog_bytes = 2048,
	};
	struct strbuf sb = STRBUF_INIT;

	CHECK(metrics_format(&sb, &m) == 0);
	CHECK_STR(sb.p, want);
	sb_free(&sb);
}

/* The file is replaced whole, 0644 whatever the umask, no temporary left;
 * a directory that does not exist is an error and leaves nothing. */
static void test_write(void)
{
	char dir[] = "/tmp/test-metrics.XXXXXX", path[64], tmp[72], buf[64];
	struct stat st;
	FILE *f;
	size_t n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/te.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	umask(0077);
	CHECK(metrics_file_write(path, "a 1\nb 2\n", 8) == 0);
	CHECK(metrics_file_write(path, "c 3\n", 4) == 0);
	CHECK(stat(path, &st) == 0);
	CHECK_INT(st.st_mode & 07777, 0644);
	CHECK(access(tmp, F_OK) != 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	CHECK_STR(buf, "c 3\n");
	snprintf(path, sizeof(path), "%s/none/te.prom", dir);
	CHECK_INT(metrics_file_write(path, "c 3\n", 4), -ENOENT);
	snprintf(path, sizeof(path), "%s/te.prom", dir);
	CHECK(unlink(path) == 0);
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	test_format();
	test_write();
	CHECK_DONE();
}
