// SPDX-License-Identifier: GPL-2.0-or-later
/* test-table.c: unit tests for the layout and rendering of the live table. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "core/event.h"
#include "format/escape.h"
#include "format/event-table.h"
#include "format/table.h"

#define ELL "\xe2\x80\xa6"

static struct strbuf sb = STRBUF_INIT;

/* Small table for exact tests: widths 8/5/10 preferred, TEXT is flex. */
static const struct table_col small_cols[] = {
	{ "NAME", 4, 8, false, false },
	{ "NUM", 3, 5, true, false },
	{ "TEXT", 4, 10, false, true },
};

/* The same without a flex column: every column shrinks alike. */
static const struct table_col fixed_cols[] = {
	{ "NAME", 4, 8, false, false },
	{ "NUM", 3, 5, true, false },
	{ "TEXT", 4, 10, false, false },
};

static const char *const exec_row[TCOL_NR] = {
	"podman.web-frontend", "bash", "12345", "12345", "sshd", "1",
	"ls -l /tmp/some/long/dir", "", "root", "alice", "root",
	"/home/alice", "/usr/bin/ls", "/usr/bin/ls",
};

/* The line table_row() renders for three cells. */
static const char *row3(const struct table *t, const char *a, const char *b,
			const char *c)
{
	const char *cells[] = { a, b, c };

	sb_reset(&sb);
	CHECK_INT(table_row(&sb, t, cells), 0);
	return sb.p;
}

static const char *header(const struct table *t)
{
	sb_reset(&sb);
	CHECK_INT(table_header(&sb, t), 0);
	return sb.p;
}

static const char *row(const struct table *t, const char *const *cells)
{
	sb_reset(&sb);
	CHECK_INT(table_row(&sb, t, cells), 0);
	return sb.p;
}

/* Display columns of a rendered line (valid UTF-8, no wide characters). */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s && *s != '\n'; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

#define CHECK_WIDTHS(t, ...) do {					\
	const unsigned want_[] = { __VA_ARGS__ };			\
	CHECK_INT((t)->ncols, ARRAY_SIZE(want_));			\
	for (size_t i_ = 0; i_ < ARRAY_SIZE(want_); i_++)		\
		CHECK_INT((t)->width[i_], want_[i_]);			\
} while (0)

static void test_layout(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, small_cols, 3, 30), 0);
	CHECK_WIDTHS(&t, 8, 5, 15);
	CHECK_INT(table_layout(&t, small_cols, 3, 25), 0);
	CHECK_WIDTHS(&t, 8, 5, 10);
	/* shrink the fixed column furthest above its minimum first, rightmost on ties */
	CHECK_INT(table_layout(&t, small_cols, 3, 20), 0);
	CHECK_WIDTHS(&t, 5, 3, 10);
	CHECK_INT(table_layout(&t, small_cols, 3, 13), 0);
	CHECK_WIDTHS(&t, 4, 3, 4);
	/* below the minimums only when they do not fit */
	CHECK_INT(table_layout(&t, small_cols, 3, 5), 0);
	CHECK_WIDTHS(&t, 1, 1, 1);
	CHECK_INT(table_layout(&t, small_cols, 3, 2), 0);
	CHECK_WIDTHS(&t, 1, 1, 1);
	/* no terminal: the preferred widths */
	CHECK_INT(table_layout(&t, small_cols, 3, 0), 0);
	CHECK_WIDTHS(&t, 8, 5, 10);
	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 0), 0);
	CHECK_WIDTHS(&t, 25, 16, 7, 7, 16, 7, 30, 8, 10, 10, 10);
	CHECK_INT(table_layout(&t, small_cols, 0, 80), -EINVAL);
	CHECK_INT(table_layout(&t, small_cols, TABLE_MAX_COLS + 1, 80),
		  -EINVAL);

	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 80), 0);
	CHECK_WIDTHS(&t, 8, 5, 6, 6, 5, 6, 10, 6, 6, 6, 6);
	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 200), 0);
	CHECK_WIDTHS(&t, 25, 16, 7, 7, 16, 7, 74, 8, 10, 10, 10);
	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR, 200), 0);
	CHECK_WIDTHS(&t, 15, 12, 7, 7, 11, 7, 30, 8, 10, 10, 10, 20, 20, 20);
}

static void test_exec_80(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 80), 0);
	CHECK_STR(header(&t),
		  "RUNTIME" ELL " COMM     PID    TID PCOMM   PPID ARGS       "
		  "ERROR  USER   LOGIN" ELL " GROUP\n");
	CHECK(columns(sb.p) <= 80);
	CHECK_STR(row(&t, exec_row),
		  "podman." ELL " bash   12345  12345 sshd       1 "
		  "ls -l /tm" ELL "        root   alice  root\n");
	CHECK(columns(sb.p) <= 80);
}

static void test_exec_200(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 200), 0);
	CHECK_STR(header(&t),
		"RUNTIME.CONTAINERNAME     COMM                 PID     TID "
		"PCOMM               PPID ARGS                           "
		"                                            ERROR    "
		"USER       LOGINUSER  GROUP\n");
	CHECK_STR(row(&t, exec_row),
		"podman.web-frontend       bash               12345   12345 "
		"sshd                   1 ls -l /tmp/some/long/dir       "
		"                                                     "
		"root       alice      root\n");

	/* with the path columns: the fixed columns give way before ARGS */
	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR, 200), 0);
	CHECK_STR(header(&t),
		"RUNTIME.CONTAI" ELL " COMM             PID     TID PCOMM          PPID ARGS                           ERROR    USER       LOGINUSER  GROUP      CWD                  FILE                 EXEPATH\n");
	CHECK(columns(sb.p) <= 200);
	CHECK_STR(row(&t, exec_row),
		"podman.web-fro" ELL " bash           12345   12345 sshd              1 ls -l /tmp/some/long/dir                root       alice      root       /home/alice          /usr/bin/ls          /usr/bin/ls\n");
	CHECK(columns(sb.p) <= 200);
}

static void test_cut(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, fixed_cols, 3, 20), 0);	/* 7 5 6 */
	CHECK_STR(header(&t), "NAME      NUM TEXT\n");
	CHECK_STR(row3(&t, "abcdefghij", "42", "hello world"),
		  "abcdef" ELL "    42 hello" ELL "\n");
	CHECK_STR(row3(&t, "abcdefg", "12345", "sixsix"),
		  "abcdefg 12345 sixsix\n");
	CHECK_STR(row3(&t, "abcdefgh", "123456", "seven.."),
		  "abcdef" ELL " 1234" ELL " seven" ELL "\n");
	/* cut on a character boundary, never inside a UTF-8 sequence */
	CHECK_STR(row3(&t, "h\xc3\xa9h\xc3\xa9h\xc3\xa9h", "1",
		       "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
		  "h\xc3\xa9h\xc3\xa9h\xc3\xa9h     1 "
		  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" ELL "\n");
	/* wide characters take two columns */
	CHECK_STR(row3(&t, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86",
		       "", "\xe6\x97\xa5\xe6\x9c\xac"),
		  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e" ELL "       "
		  "\xe6\x97\xa5\xe6\x9c\xac\n");
	CHECK_STR(row3(&t, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "", "x"),
		  "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e        x\n");
	/* a wide character that does not fit before the ellipsis: pad */
	CHECK_STR(row3(&t, "abc\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
		       "", "x"),
		  "abc\xe6\x97\xa5" ELL "        x\n");
	/* combining marks stay with their letter and take no column */
	CHECK_STR(row3(&t, "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		       "e\xcc\x81" "e\xcc\x81" "e\xcc\x81", "", ""),
		  "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
		  "e\xcc\x81" "e\xcc\x81" "e\xcc\x81\n");

	/* one column per cell: only the ellipsis is left */
	CHECK_INT(table_layout(&t, fixed_cols, 3, 5), 0);
	CHECK_STR(header(&t), ELL " " ELL " " ELL "\n");
	CHECK_STR(row3(&t, "a", "12", ""), "a " ELL "\n");
}

static void test_escape_and_align(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, fixed_cols, 3, 20), 0);	/* 7 5 6 */
	/* control bytes never reach the terminal raw */
	CHECK_STR(row3(&t, "\x1b[2J", "1", "a\x1b" "b"),
		  "\\e[2J       1 a\\eb\n");
	CHECK_STR(row3(&t, "a\nb", "\xff", "\xe2\x80\xae" "x"),
		  "a\\nb     \\xff \\u202" ELL "\n");
	CHECK_STR(row3(&t, "\x1b\x1b\x1b\x1b", "", ""),
		  "\\e\\e\\e" ELL "\n");
	CHECK(!strchr(sb.p, '\x1b'));
	/* right alignment, empty cells, no trailing spaces */
	CHECK_STR(row3(&t, "", "123", ""), "          123\n");
	CHECK_STR(row3(&t, "x", "", ""), "x\n");
	CHECK_STR(row3(&t, NULL, NULL, NULL), "\n");
	CHECK_STR(row3(&t, "", "", "a "), "              a \n");
	/* rows are appended */
	sb_reset(&sb);
	sb_puts(&sb, "> ");
	CHECK_INT(table_header(&sb, &t), 0);
	CHECK_STR(sb.p, "> NAME      NUM TEXT\n");
}

/* Not on a terminal the columns keep their preferred widths, and a value
 * wider than its column is cut all the same: the table stays a table. */
static void test_no_terminal(void)
{
	struct table t;

	CHECK_INT(table_layout(&t, small_cols, 3, 0), 0);	/* 8 5 10 */
	CHECK_STR(header(&t), "NAME       NUM TEXT\n");
	CHECK_STR(row3(&t, "ab", "1", "x"), "ab           1 x\n");
	CHECK_STR(row3(&t, "abcdefghijkl", "1234567",
		       "a very long text that is cut"),
		  "abcdefg" ELL " 1234" ELL " a very lo" ELL "\n");
	CHECK_STR(row3(&t, "\x1b", "", "\xe2\x80\xae"),
		  "\\e             \\u202E\n");
	CHECK_INT(table_layout(&t, small_cols, 3, -1), 0);
	CHECK_WIDTHS(&t, 8, 5, 10);
}

/* The display column where the cell in column i starts, in the header
 * and in a row of t alike. */
static size_t col_start(const struct table *t, size_t i)
{
	size_t c = 0, k;

	for (k = 0; k < i; k++)
		c += t->width[k] + 1;
	return c;
}

/* The rest of line s from display column c (ASCII and "…" only). */
static const char *from_column(const char *s, size_t c)
{
	for (; *s && c; s++)
		c -= ((unsigned char)s[1] & 0xc0) != 0x80;
	return s;
}

/* A long ARGS value (the issue that pushed ERROR, USER, LOGINUSER and
 * GROUP out of their columns): cut with "…" at its column's end, each
 * value after it where its header is, on a terminal of any width and on
 * none. */
static void test_long_args(void)
{
	static const int widths[] = { 0, 60, 80, 132, 200 };
	const char *cells[TCOL_NR_BASE];
	char args[600], head[1024];
	struct table t;
	size_t i, w, n;
	const char *r;

	memset(args, 'x', sizeof(args) - 1);
	args[sizeof(args) - 1] = '\0';
	memcpy(cells, exec_row, sizeof(cells));
	cells[TCOL_ARGS] = args;
	cells[TCOL_ERROR] = "ENOENT";
	cells[TCOL_USER] = "root";
	cells[TCOL_LOGINUSER] = "alice";
	cells[TCOL_GROUP] = "wheel";
	for (w = 0; w < ARRAY_SIZE(widths); w++) {
		CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE,
				       widths[w]), 0);
		snprintf(head, sizeof(head), "%s", header(&t));
		r = row(&t, cells);
		if (widths[w])
			CHECK(columns(r) <= (size_t)widths[w]);
		/* ARGS ends in "…" just before ERROR's column */
		CHECK(!strncmp(from_column(r, col_start(&t, TCOL_ERROR) - 2),
			       ELL " ", 4));
		for (i = TCOL_ERROR; i <= TCOL_GROUP; i++) {
			/* the name over the column, the value in it (cut
			 * itself only where the column is narrower) */
			n = strlen(t.cols[i].name);
			CHECK(!strncmp(from_column(head, col_start(&t, i)),
				       t.cols[i].name, n < t.width[i] ? n : t.width[i] - 1));
			n = strlen(cells[i]);
			CHECK(!strncmp(from_column(r, col_start(&t, i)), cells[i],
				       n <= t.width[i] ? n : t.width[i] - 1));
		}
	}
	/* no terminal: the widths Inspektor Gadget-like, exactly */
	CHECK_INT(table_layout(&t, table_exec_cols, TCOL_NR_BASE, 0), 0);
	CHECK_STR(row(&t, cells),
		  "podman.web-frontend       bash               12345   12345 "
		  "sshd                   1 xxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ELL
		  " ENOENT   root       alice      wheel\n");
}

/* An exec's row says what is not sure: a container no runtime confirmed
 * is a claim, and a path outside the process's root is unreachable. */
static void test_exec_marks(void)
{
	static const char id[] = "0123456789abcdef0123456789abcdef"
				 "0123456789abcdef0123456789abcdef";
	struct exec_event ev;
	struct container c;
	struct table t;

	memset(&ev, 0, sizeof(ev));
	strcpy(ev.comm, "sh");
	strcpy(ev.pcomm, "bash");
	ev.pid = ev.tid = 7;
	ev.ppid = 1;
	ev.argv_str = "sh";
	ev.user = ev.loginuser = ev.group = "root";
	ev.path[EXEC_PATH_CWD].s = "/";
	ev.path[EXEC_PATH_FILE].s = "/x/sh";
	ev.path[EXEC_PATH_FILE].unreachable = true;
	ev.path[EXEC_PATH_EXE].s = "/x/sh";
	ev.path[EXEC_PATH_EXE].unreachable = true;
	ev.container_unverified = id;
	CHECK_INT(event_table_init(&t, true, false, false, 0), 0);
	sb_reset(&sb);
	CHECK_INT(event_table_row(&sb, &t, &ev), 0);
	CHECK(!strncmp(sb.p, "(unverified 0123456789ab) sh ", 29));
	CHECK(strstr(sb.p, " /x/sh (unreachable)  /x/sh (unreachable)\n") != NULL);
	/* a verified container: its name, whatever the cgroup claimed */
	memset(&c, 0, sizeof(c));
	strcpy(c.name, "web");
	ev.container = &c;
	ev.path[EXEC_PATH_FILE].unreachable = false;
	sb_reset(&sb);
	CHECK_INT(event_table_row(&sb, &t, &ev), 0);
	CHECK(!strncmp(sb.p, "web ", 4));
	CHECK(strstr(sb.p, " /x/sh                /x/sh (unreachable)\n") != NULL);
}

static void test_term_width(void)
{
	int fds[2];

	CHECK_INT(pipe(fds), 0);
	/* not a terminal: the preferred widths, or COLUMNS when set */
	unsetenv("COLUMNS");
	CHECK_INT(table_term_width(fds[1]), 0);
	setenv("COLUMNS", "132", 1);
	CHECK_INT(table_term_width(fds[1]), 132);
	setenv("COLUMNS", "wide", 1);
	CHECK_INT(table_term_width(fds[1]), 0);
	setenv("COLUMNS", "-5", 1);
	CHECK_INT(table_term_width(fds[1]), 0);
	unsetenv("COLUMNS");
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
	test_layout();
	test_exec_80();
	test_exec_200();
	test_cut();
	test_escape_and_align();
	test_no_terminal();
	test_long_args();
	test_exec_marks();
	test_term_width();
	sb_free(&sb);
	CHECK_DONE();
}
