// SPDX-License-Identifier: GPL-2.0-or-later
/* test-jsonw.c: unit tests for the streaming JSON writer. */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "format/jsonw.h"

static struct strbuf sb = STRBUF_INIT;
static struct jsonw w;

/* Start a fresh top-level object. */
static void begin(void)
{
	sb_reset(&sb);
	jw_init(&w, &sb);
	CHECK_INT(jw_object_begin(&w), 0);
}

/* Write {"v":<s>} and return the line. */
static const char *str_obj(const char *s, size_t len)
{
	begin();
	CHECK_INT(jw_str(&w, "v", s, len), 0);
	CHECK_INT(jw_object_end(&w), 0);
	return sb.p;
}

#define STR(lit) str_obj(lit, sizeof(lit) - 1)

static void test_kinds(void)
{
	begin();
	CHECK_INT(jw_cstr(&w, "comm", "ls"), 0);
	CHECK_INT(jw_str(&w, "arg", "a\"b\\c", 5), 0);
	CHECK_INT(jw_u64(&w, "pid", 4194304), 0);
	CHECK_INT(jw_u64(&w, "max", UINT64_MAX), 0);
	CHECK_INT(jw_cstr(&w, "none", NULL), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_STR(sb.p, "{\"comm\":\"ls\",\"arg\":\"a\\\"b\\\\c\","
		  "\"pid\":4194304,\"max\":18446744073709551615,"
		  "\"none\":null}");
	CHECK_INT(w.depth, 0);
}

static void test_nested(void)
{
	begin();
	CHECK_INT(jw_u64(&w, "n", 1), 0);
	CHECK_INT(jw_array_begin(&w, "args"), 0);
	CHECK_INT(jw_cstr(&w, NULL, "ls"), 0);
	CHECK_INT(jw_cstr(&w, NULL, "-l"), 0);
	CHECK_INT(jw_str(&w, NULL, "a\xff", 2), 0);
	CHECK_INT(jw_array_end(&w), 0);
	CHECK_INT(jw_array_begin(&w, "empty"), 0);
	CHECK_INT(jw_array_end(&w), 0);
	CHECK_INT(jw_object_begin_key(&w, "container"), 0);
	CHECK_INT(jw_cstr(&w, "name", "web"), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_INT(jw_array_begin(&w, "objs"), 0);
	CHECK_INT(jw_object_begin(&w), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_INT(jw_object_begin(&w), 0);
	CHECK_INT(jw_u64(&w, "x", 0), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_INT(jw_array_end(&w), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_STR(sb.p, "{\"n\":1,\"args\":[\"ls\",\"-l\",[97,255]],"
		  "\"empty\":[],\"container\":{\"name\":\"web\"},"
		  "\"objs\":[{},{\"x\":0}]}");

	/* sb is appended to; no '\n' and no comma at the top level */
	sb_reset(&sb);
	sb_puts(&sb, "x");
	jw_init(&w, &sb);
	CHECK_INT(jw_object_begin(&w), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_INT(jw_object_begin(&w), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_STR(sb.p, "x{}{}");
}

static void test_strings(void)
{
	CHECK_STR(STR(""), "{\"v\":\"\"}");
	CHECK_STR(STR("a\nb\tc\rd\be\ff"),
		  "{\"v\":\"a\\nb\\tc\\rd\\be\\ff\"}");
	CHECK_STR(STR("\x01\x1b\x1f\x7f"),
		  "{\"v\":\"\\u0001\\u001b\\u001f\\u007f\"}");
	CHECK_STR(STR("a\0b"), "{\"v\":\"a\\u0000b\"}");
	CHECK_STR(STR("/ok/'$`"), "{\"v\":\"/ok/'$`\"}");
	CHECK_STR(STR("h\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80"),
		  "{\"v\":\"h\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80\"}");
	CHECK_STR(STR("a\xe2\x80\xa8" "b\xe2\x80\xa9"),
		  "{\"v\":\"a\\u2028b\\u2029\"}");
	/* U+2027 and U+2030 (next to the escaped ranges) are left alone */
	CHECK_STR(STR("\xe2\x80\xa7\xe2\x80\xb0"),
		  "{\"v\":\"\xe2\x80\xa7\xe2\x80\xb0\"}");
}

/* C1 and bidi/format controls: \uXXXX, the set EXEC_ARGV escapes. */
static void test_controls(void)
{
	CHECK_STR(STR("a\xc2\x80" "b\xc2\x85" "c\xc2\x9f" "d\xc2\xa0"),
		  "{\"v\":\"a\\u0080b\\u0085c\\u009Fd\xc2\xa0\"}");
	CHECK_STR(STR("x\xe2\x80\xaey\xe2\x80\xaaz"),	/* RLO, LRE */
		  "{\"v\":\"x\\u202Ey\\u202Az\"}");
	CHECK_STR(STR("\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f"),
		  "{\"v\":\"\\u2066\\u2069\\u200E\\u200F\"}");
	CHECK_STR(STR("\xd8\x9c\xe2\x80\x8b\xef\xbb\xbf"),	/* ALM, ZWSP, BOM */
		  "{\"v\":\"\\u061C\\u200B\\uFEFF\"}");
	/* keys are escaped the same way */
	begin();
	CHECK_INT(jw_u64(&w, "k\xe2\x80\xae", 1), 0);
	CHECK_INT(jw_object_end(&w), 0);
	CHECK_STR(sb.p, "{\"k\\u202E\":1}");
}

static void test_bytes(void)
{
	CHECK_STR(STR("hi\xff"), "{\"v\":[104,105,255]}");
	CHECK_STR(STR("\xc0\xaf"), "{\"v\":[192,175]}");
	CHECK_STR(STR("\xed\xa0\x80"), "{\"v\":[237,160,128]}");
	CHECK_STR(STR("\n\0\xe6\x97"), "{\"v\":[10,0,230,151]}");
	CHECK_STR(STR("\x80"), "{\"v\":[128]}");
}

static void test_errors(void)
{
	/* key in an array, no key in an object, mismatched end */
	begin();
	CHECK_INT(jw_cstr(&w, NULL, "x"), -EINVAL);
	CHECK_INT(w.err, -EINVAL);
	CHECK_INT(jw_u64(&w, "ok", 1), -EINVAL);	/* sticky */
	CHECK_STR(sb.p, "{");

	begin();
	CHECK_INT(jw_array_begin(&w, "a"), 0);
	CHECK_INT(jw_u64(&w, "k", 1), -EINVAL);

	begin();
	CHECK_INT(jw_array_end(&w), -EINVAL);

	begin();
	CHECK_INT(jw_cstr(&w, "bad\xff", "x"), -EINVAL);

	/* scalars need a container */
	sb_reset(&sb);
	jw_init(&w, &sb);
	CHECK_INT(jw_u64(&w, NULL, 1), -EINVAL);

	/* depth limit */
	begin();
	for (int i = 1; i < JW_MAX_DEPTH; i++)
		CHECK_INT(jw_array_begin(&w, i == 1 ? "a" : NULL), 0);
	CHECK_INT(jw_array_begin(&w, NULL), -E2BIG);
}

int main(void)
{
	test_kinds();
	test_nested();
	test_strings();
	test_controls();
	test_bytes();
	test_errors();
	sb_free(&sb);
	CHECK_DONE();
}
