// SPDX-License-Identifier: GPL-2.0-or-later
/* test-escape.c: unit tests for UTF-8 validation and argument/text escaping. */
#include <string.h>

#include "check.h"
#include "format/escape.h"

static struct strbuf sb = STRBUF_INIT;

/* escape_arg() of the first len bytes of s, as a string. */
static const char *arg(const char *s, size_t len)
{
	sb_reset(&sb);
	CHECK_INT(escape_arg(&sb, s, len), 0);
	return sb.p;
}

/* escape_text() of the first len bytes of s, as a string. */
static const char *text(const char *s, size_t len)
{
	sb_reset(&sb);
	CHECK_INT(escape_text(&sb, s, len), 0);
	return sb.p ? sb.p : "";
}

/* escape_name() of the first len bytes of s, as a string. */
static const char *name(const char *s, size_t len)
{
	sb_reset(&sb);
	CHECK_INT(escape_name(&sb, s, len), 0);
	return sb.p;
}

#define ARG(lit) arg(lit, sizeof(lit) - 1)
#define NAME(lit) name(lit, sizeof(lit) - 1)
#define TEXT(lit) text(lit, sizeof(lit) - 1)
#define VALID(lit) utf8_valid(lit, sizeof(lit) - 1)

static void test_utf8(void)
{
	uint32_t cp = 0;

	CHECK(VALID(""));
	CHECK(VALID("plain ascii"));
	CHECK(VALID("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac "
		    "\xf0\x9f\x98\x80"));
	CHECK(VALID("a\0b"));
	CHECK(VALID("\xed\x9f\xbf"));			/* U+D7FF */
	CHECK(VALID("\xee\x80\x80"));			/* U+E000 */
	CHECK(VALID("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	CHECK(!VALID("\xff\xfe"));
	CHECK(!VALID("ab\xc3"));			/* truncated */
	CHECK(!VALID("\xe6\x97"));			/* truncated */
	CHECK(!VALID("\xc0\xaf"));			/* overlong '/' */
	CHECK(!VALID("\xc1\xbf"));			/* overlong */
	CHECK(!VALID("\xe0\x9f\xbf"));			/* overlong */
	CHECK(!VALID("\xf0\x8f\xbf\xbf"));		/* overlong */
	CHECK(!VALID("\xed\xa0\x80"));			/* surrogate */
	CHECK(!VALID("\xed\xbf\xbf"));			/* surrogate */
	CHECK(!VALID("\xf4\x90\x80\x80"));		/* > U+10FFFF */
	CHECK(!VALID("\xf5\x80\x80\x80"));
	CHECK(!VALID("\x80"));				/* continuation */
	CHECK(!VALID("\xc3\x28"));			/* bad continuation */

	CHECK_INT(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	CHECK_INT(cp, 0x1f600);
	CHECK_INT(utf8_decode("\xe2\x80\xae", 3, &cp), 3);
	CHECK_INT(cp, 0x202e);
	CHECK_INT(utf8_decode("\xe2\x80\xae", 2, &cp), 0);
	CHECK_INT(utf8_decode("x", 0, &cp), 0);
}

static void test_arg_plain(void)
{
	CHECK_STR(ARG("ls"), "ls");
	CHECK_STR(ARG("-l"), "-l");
	CHECK_STR(ARG("/tmp"), "/tmp");
	CHECK_STR(ARG("--opt=a,b;c|d&e*f"), "--opt=a,b;c|d&e*f");
	CHECK_STR(ARG("h\xc3\xa9llo"), "h\xc3\xa9llo");
	CHECK_STR(ARG("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR(ARG("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

static void test_arg_quoted(void)
{
	CHECK_STR(ARG(""), "\"\"");
	CHECK_STR(ARG("a b"), "\"a b\"");
	CHECK_STR(ARG(" "), "\" \"");
	CHECK_STR(ARG("it's"), "\"it's\"");
	CHECK_STR(ARG("say \"hi\""), "\"say \\\"hi\\\"\"");
	CHECK_STR(ARG("\""), "\"\\\"\"");
	CHECK_STR(ARG("a\\b"), "\"a\\\\b\"");
	CHECK_STR(ARG("$HOME"), "\"$HOME\"");
	CHECK_STR(ARG("`id`"), "\"`id`\"");
	CHECK_STR(ARG("a\nb"), "\"a\\nb\"");
	CHECK_STR(ARG("\t"), "\"\\t\"");
	CHECK_STR(ARG("\r\a\b\f\v"), "\"\\r\\a\\b\\f\\v\"");
	CHECK_STR(ARG("\x1b[2J"), "\"\\e[2J\"");
	CHECK_STR(ARG("\x01x\x1f\x7f"), "\"\\x01x\\x1f\\x7f\"");
	CHECK_STR(ARG("a\0b"), "\"a\\x00b\"");
	/* a non-ASCII space is kept, but quoted */
	CHECK_STR(ARG("a\xc2\xa0" "b"), "\"a\xc2\xa0" "b\"");
}

static void test_arg_invalid(void)
{
	CHECK_STR(ARG("\xff\xfe"), "\"\\xff\\xfe\"");
	CHECK_STR(ARG("ab\xc3"), "\"ab\\xc3\"");
	CHECK_STR(ARG("\xe6\x97"), "\"\\xe6\\x97\"");
	CHECK_STR(ARG("\xc0\xaf"), "\"\\xc0\\xaf\"");
	CHECK_STR(ARG("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");
	CHECK_STR(ARG("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\"");
	/* a valid character right after an invalid byte is kept */
	CHECK_STR(ARG("\xff\xc3\xa9"), "\"\\xff\xc3\xa9\"");
}

static void test_arg_controls(void)
{
	CHECK_STR(ARG("\xe2\x80\xae" "cod.exe"), "\"\\u202Ecod.exe\"");
	CHECK_STR(ARG("a\xc2\x85" "b"), "\"a\\u0085b\"");
	CHECK_STR(ARG("\xc2\x80\xc2\x9f"), "\"\\u0080\\u009F\"");
	CHECK_STR(ARG("\xd8\x9c"), "\"\\u061C\"");
	CHECK_STR(ARG("\xe2\x80\x8b"), "\"\\u200B\"");
	CHECK_STR(ARG("\xe2\x80\x8f"), "\"\\u200F\"");
	CHECK_STR(ARG("\xe2\x80\xa8\xe2\x80\xa9"), "\"\\u2028\\u2029\"");
	CHECK_STR(ARG("\xe2\x80\xaa"), "\"\\u202A\"");
	CHECK_STR(ARG("\xe2\x81\xa0\xe2\x81\xa9"), "\"\\u2060\\u2069\"");
	CHECK_STR(ARG("\xef\xbb\xbf"), "\"\\uFEFF\"");
	/* neighbours of the escaped ranges are kept */
	CHECK_STR(ARG("\xc2\xa1\xe2\x80\x90\xe2\x81\xaa"),
		  "\xc2\xa1\xe2\x80\x90\xe2\x81\xaa");
}

static void test_join(void)
{
	const char *args[] = { "ls", "-l", "a b", "", "x\ny", "\xff" };
	const size_t lens[] = { 2, 2, 3, 0, 3, 1 };
	const char *zargs[] = { "echo", "it's" };

	sb_reset(&sb);
	CHECK_INT(argv_join(&sb, args, lens, 6), 0);
	CHECK_STR(sb.p, "ls -l \"a b\" \"\" \"x\\ny\" \"\\xff\"");

	sb_reset(&sb);
	CHECK_INT(argv_join(&sb, zargs, NULL, 2), 0);
	CHECK_STR(sb.p, "echo \"it's\"");

	/* appends: existing content is kept */
	sb_reset(&sb);
	sb_puts(&sb, "> ");
	CHECK_INT(argv_join(&sb, args, lens, 1), 0);
	CHECK_STR(sb.p, "> ls");

	sb_reset(&sb);
	CHECK_INT(argv_join(&sb, args, lens, 0), 0);
	CHECK_INT(sb.len, 0);
}

static void test_text(void)
{
	const char *args[] = { "a\\b", "\x1b", ("\xe2\x80\xae" "\"q\"") };
	struct strbuf joined = STRBUF_INIT;

	CHECK_STR(TEXT(""), "");
	CHECK_STR(TEXT("a b"), "a b");
	CHECK_STR(TEXT("/usr/bin/ls"), "/usr/bin/ls");
	CHECK_STR(TEXT("\"q\" it's a\\b $x"), "\"q\" it's a\\b $x");
	CHECK_STR(TEXT("\x1b[2J"), "\\e[2J");
	CHECK_STR(TEXT("a\nb\tc"), "a\\nb\\tc");
	CHECK_STR(TEXT("\xff" "ab\xc3"), "\\xffab\\xc3");
	CHECK_STR(TEXT("h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac"),
		  "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac");
	CHECK_STR(TEXT("\xe2\x80\xae" "x\xc2\x85"), "\\u202Ex\\u0085");

	/* escape_text() leaves an escaped argument line as it is */
	CHECK_INT(argv_join(&joined, args, NULL, 3), 0);
	CHECK_STR(joined.p, "\"a\\\\b\" \"\\e\" \"\\u202E\\\"q\\\"\"");
	CHECK_STR(text(joined.p, joined.len), joined.p);
	sb_free(&joined);
}

/* Names: as arguments, and quoted for the separators of a message. */
static void test_name(void)
{
	CHECK_STR(NAME("alice"), "alice");
	CHECK_STR(NAME("uid:1000"), "uid:1000");
	CHECK_STR(NAME("a.b-c_d"), "a.b-c_d");
	CHECK_STR(NAME(""), "\"\"");
	CHECK_STR(NAME("a b"), "\"a b\"");
	CHECK_STR(NAME("web]"), "\"web]\"");
	CHECK_STR(NAME("[x"), "\"[x\"");
	CHECK_STR(NAME("a,b"), "\"a,b\"");
	CHECK_STR(NAME("q\"\\"), "\"q\\\"\\\\\"");
	CHECK_STR(NAME("n\nl"), "\"n\\nl\"");
	CHECK_STR(NAME("\xe2\x80\xaex"), "\"\\u202Ex\"");
	CHECK_STR(NAME("a\xff"), "\"a\\xff\"");
	/* arguments keep their brackets and commas unquoted */
	CHECK_STR(ARG("a,[b]"), "a,[b]");
}

int main(void)
{
	test_utf8();
	test_arg_plain();
	test_arg_quoted();
	test_arg_invalid();
	test_arg_controls();
	test_join();
	test_name();
	test_text();
	sb_free(&sb);
	CHECK_DONE();
}
