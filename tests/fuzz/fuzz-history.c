// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-history.c: libFuzzer target: journal entries read back by trace-exec's history on any bytes: fields into an event, EXEC_ARGV split, the sender, filters, table, JSON, report, times. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/escape.h"
#include "format/event-json.h"
#include "format/event-table.h"
#include "history/filter.h"
#include "history/hist-event.h"
#include "history/report.h"
#include "history/timespec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-history.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/* argv_split()'s callback: join the arguments back. */
static int rejoin(void *ctx, const char *arg, size_t len)
{
	struct strbuf *sb = ctx;

	CHECK(arg[len] == '\0');
	return sb_append(sb, &len, sizeof(len)) ?: sb_append(sb, arg, len);
}

/* The arguments split out of EXEC_ARGV, joined again as the daemon
 * writes EXEC_ARGV, split again: the same bytes (argv_split() is
 * argv_join()'s inverse on what argv_join() writes). */
static void check_split(const struct exec_event *ev)
{
	struct strbuf again = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i;

	if (!ev->nargs)
		return;
	for (i = 0; i < ev->nargs; i++) {
		CHECK(ev->args[i][ev->arglens[i]] == '\0');
		CHECK(rejoin(&a, ev->args[i], ev->arglens[i]) == 0);
	}
	CHECK(argv_join(&again, ev->args, ev->arglens, ev->nargs) == 0);
	CHECK(argv_split(again.p, again.len, rejoin, &b) == 0);
	CHECK(a.len == b.len && !memcmp(a.p, b.p, a.len));
	sb_free(&again);
	sb_free(&a);
	sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const exes[] = { "/usr/sbin/trace-execd" };
	struct hist_trust t = { "trace-execd.service", exes, 1 };
	struct exec_filter f = { .failed = true, .tag = "a", .exe = "/b*",
				 .where = FILTER_CONTAINERS };
	struct strbuf out = STRBUF_INIT, sp = STRBUF_INIT;
	const char *p = (const char *)data, *end = p + size, *nl;
	struct hist_event he;
	struct report rp;
	struct table tab;
	char *txt;
	uint64_t v;

	hist_event_init(&he);
	report_init(&rp);
	/* the datums: one a line */
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		CHECK(hist_event_add(&he, p, (size_t)((nl ? nl : end) - p)) == 0);
		p = nl ? nl + 1 : end;
	}
	(void)hist_sender(&he, &t);
	CHECK(hist_event_finish(&he, true) == 0);
	check_split(&he.ev);
	(void)exec_filter_match(&f, &he.ev, &he.m);
	CHECK(event_json(&out, &he.ev, he.m.name || he.m.action ? &he.m : NULL) == 0);
	CHECK(event_table_init_host(&tab, true, true, size & 1, true, 0) == 0);
	CHECK(event_table_row(&out, &tab, &he.ev) == 0);
	CHECK(report_add(&rp, &he) == 0);
	CHECK(report_table(&out, &rp, 3) == 0);
	CHECK(report_json(&out, &rp, 0) == 0);
	/* the whole input as a time and as an EXEC_ARGV */
	/* (not strndup: ASan's reads one byte past an unterminated input) */
	txt = malloc(size + 1);
	CHECK(txt);
	memcpy(txt, data, size);
	txt[size] = '\0';
	(void)hist_parse_time(txt, 1764511507000000ULL, &v);
	(void)argv_split(txt, strlen(txt), rejoin, &sp);
	free(txt);
	sb_free(&sp);
	sb_free(&out);
	report_free(&rp);
	hist_event_free(&he);
	return 0;
}
