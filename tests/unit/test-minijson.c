/* test-minijson.c: unit tests for the bounded JSON reader. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "enrich/minijson.h"

/* Parse a NUL-terminated document; returns json_parse()'s result. */
static int parse(struct json_doc *d, const char *s)
{
	return json_parse(d, s, strlen(s));
}

static void test_scalars(void)
{
	struct json_doc d;
	int64_t i;

	CHECK_INT(parse(&d, " true "), 0);
	CHECK_INT(d.root.type, JSON_TRUE);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "false"), 0);
	CHECK_INT(d.root.type, JSON_FALSE);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "\tnull\r\n"), 0);
	CHECK_INT(d.root.type, JSON_NULL);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "-12.5e2"), 0);
	CHECK_INT(d.root.type, JSON_NUMBER);
	CHECK(d.root.u.num == -1250.0);
	CHECK_INT(json_int64(&d.root, &i), 0);
	CHECK_INT(i, -1250);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "0.25"), 0);
	CHECK_INT(json_int64(&d.root, &i), -EINVAL);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "1714052131"), 0);
	CHECK_INT(json_int64(&d.root, &i), 0);
	CHECK_INT(i, 1714052131);
	json_doc_free(&d);
	/* A number longer than the on-stack conversion buffer. */
	CHECK_INT(parse(&d, "0.0000000000000000000000000000000000000000000000000000000000000000000000001e73"), 0);
	CHECK(d.root.u.num > 0.99 && d.root.u.num < 1.01);
	json_doc_free(&d);
}

static void test_strings(void)
{
	struct json_doc d;

	CHECK_INT(parse(&d, "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""), 0);
	CHECK_STR(json_str(&d.root), "a\"b\\c/d\b\f\n\r\t");
	CHECK_INT(json_len(&d.root), 12);
	json_doc_free(&d);
	/* BMP escapes: é (2 bytes), € (3 bytes), < from Go's encoder. */
	CHECK_INT(parse(&d, "\"caf\\u00e9 \\u20AC \\u003c\""), 0);
	CHECK_STR(json_str(&d.root), "caf\xc3\xa9 \xe2\x82\xac <");
	json_doc_free(&d);
	/* Surrogate pair: U+1F600. */
	CHECK_INT(parse(&d, "\"\\ud83d\\ude00!\""), 0);
	CHECK_STR(json_str(&d.root), "\xf0\x9f\x98\x80!");
	json_doc_free(&d);
	/* Lone surrogates become U+FFFD; the next escape is kept. */
	CHECK_INT(parse(&d, "\"\\ud83dx\\ude00\\ud800\\u0041\""), 0);
	CHECK_STR(json_str(&d.root), "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd" "A");
	json_doc_free(&d);
	/* \u0000 is kept; len tells the truth. */
	CHECK_INT(parse(&d, "\"a\\u0000b\""), 0);
	CHECK_INT(json_len(&d.root), 3);
	CHECK(!memcmp(d.root.u.str, "a\0b", 4));
	json_doc_free(&d);
	/* Raw UTF-8 passes through. */
	CHECK_INT(parse(&d, "\"\xe2\x82\xac\""), 0);
	CHECK_STR(json_str(&d.root), "\xe2\x82\xac");
	json_doc_free(&d);
	CHECK_INT(parse(&d, "\"\""), 0);
	CHECK_STR(json_str(&d.root), "");
	json_doc_free(&d);
}

static void test_nested(void)
{
	static const char doc[] =
		"{\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx:1.25\","
		"\"Labels\":{\"io.kubernetes.pod.name\":\"web-0\",\"a\":1},"
		"\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],\"Volumes\":null},"
		"\"Empty\":{},\"List\":[],\"Deep\":[[[{\"x\":[true,false]}]]],"
		"\"dup\":1,\"dup\":2}";
	const struct json_value *v;
	struct json_doc d;

	CHECK_INT(parse(&d, doc), 0);
	CHECK_INT(d.root.type, JSON_OBJECT);
	CHECK_INT(json_len(&d.root), 7);
	CHECK_STR(json_get_str(&d.root, "Name"), "/web");
	CHECK_STR(json_str(json_path(&d.root, "Config", "Image", NULL)), "nginx:1.25");
	CHECK_STR(json_str(json_path(&d.root, "Config", "Labels",
				     "io.kubernetes.pod.name", NULL)), "web-0");
	v = json_path(&d.root, "Config", "Cmd", NULL);
	CHECK_INT(json_len(v), 3);
	CHECK_STR(json_str(json_at(v, 2)), "daemon off;");
	CHECK(json_at(v, 3) == NULL);
	CHECK(json_get(v, "x") == NULL);
	CHECK_INT(json_path(&d.root, "Config", "Volumes", NULL)->type, JSON_NULL);
	CHECK(json_path(&d.root, "Config", "Nope", "Deeper", NULL) == NULL);
	CHECK(json_get_str(json_get(&d.root, "Config"), "Labels") == NULL);
	CHECK_INT(json_len(json_get(&d.root, "Empty")), 0);
	CHECK_INT(json_get(&d.root, "Empty")->type, JSON_OBJECT);
	CHECK_INT(json_len(json_get(&d.root, "List")), 0);
	v = json_at(json_at(json_at(json_get(&d.root, "Deep"), 0), 0), 0);
	CHECK_INT(json_at(json_get(v, "x"), 1)->type, JSON_FALSE);
	CHECK(json_get(&d.root, "dup")->u.num == 2.0);
	CHECK(json_get(NULL, "x") == NULL);
	CHECK(json_str(NULL) == NULL);
	json_doc_free(&d);
	json_doc_free(&d);	/* idempotent */
}

/* A JSON document embedded in a string (containers.json "metadata"). */
static void test_embedded(void)
{
	static const char doc[] =
		"[{\"id\":\"abc\",\"metadata\":\"{\\\"image-name\\\":\\\"docker.io/"
		"library/nginx:1.25\\\",\\\"name\\\":\\\"web\\\"}\"}]";
	const struct json_value *meta;
	struct json_doc d, m;

	CHECK_INT(parse(&d, doc), 0);
	meta = json_get(json_at(&d.root, 0), "metadata");
	CHECK_INT(meta->type, JSON_STRING);
	CHECK_INT(json_parse(&m, meta->u.str, meta->len), 0);
	CHECK_STR(json_get_str(&m.root, "image-name"), "docker.io/library/nginx:1.25");
	CHECK_STR(json_get_str(&m.root, "name"), "web");
	json_doc_free(&m);
	json_doc_free(&d);
}

static void test_depth(void)
{
	char buf[2 * (JSON_MAX_DEPTH + 1) + 1];
	struct json_doc d;
	int n;

	for (n = 0; n < JSON_MAX_DEPTH; n++) {
		buf[n] = '[';
		buf[2 * JSON_MAX_DEPTH - 1 - n] = ']';
	}
	CHECK_INT(json_parse(&d, buf, 2 * JSON_MAX_DEPTH), 0);
	json_doc_free(&d);
	for (n = 0; n <= JSON_MAX_DEPTH; n++) {
		buf[n] = '[';
		buf[2 * JSON_MAX_DEPTH + 1 - n] = ']';
	}
	CHECK_INT(json_parse(&d, buf, 2 * JSON_MAX_DEPTH + 2), -E2BIG);
	json_doc_free(&d);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"", "   ", "{", "[", "]", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}",
		"{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]", "\"abc", "\"a\\\"",
		"\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"tab\there\"", "\"nl\nx\"",
		"01", "-", "1.", ".5", "1e", "1e+", "+1", "tru", "nul", "True",
		"NaN", "Infinity", "[1]x", "{}{}", "\"\\", "\xef\xbb\xbf{}",
		"{\"a\":1 \"b\":2}", "[\"a\":1]", "{1:2}", "'a'",
	};
	struct json_doc d;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse(&d, bad[i]) != -EINVAL) {
			fprintf(stderr, "accepted malformed: %s\n", bad[i]);
			CHECK(0);
		}
		CHECK_INT(d.root.type, JSON_NULL);
		json_doc_free(&d);
	}
	CHECK_INT(json_parse(&d, "[1,2]\0[3]", 9), -EINVAL);	/* NUL byte */
	json_doc_free(&d);
	CHECK_INT(json_parse(&d, "\"a\0b\"", 5), -EINVAL);
	json_doc_free(&d);
	CHECK_INT(json_parse(&d, NULL, 0), -EINVAL);
	json_doc_free(&d);
	CHECK_INT(parse(&d, "[1, 2, x]"), -EINVAL);
	CHECK_INT(d.err_offset, 7);
	json_doc_free(&d);
}

/* Every prefix of a valid document must fail cleanly (no overread). */
static void test_truncated(void)
{
	static const char doc[] = "{\"a\":[1,-2.5e3,\"x\\u00e9\\ud83d\\ude00\",true,"
				  "false,null,{\"b\":{}}],\"c\":\"\\n\"}";
	struct json_doc d;
	size_t n;
	char *copy;

	for (n = 0; n < sizeof(doc) - 1; n++) {
		copy = malloc(n ? n : 1);	/* exact size: ASan sees overreads */
		memcpy(copy, doc, n);
		CHECK(json_parse(&d, copy, n) < 0);
		json_doc_free(&d);
		free(copy);
	}
	CHECK_INT(parse(&d, doc), 0);
	json_doc_free(&d);
}

/* A large array spans several arena chunks and stack growths. */
static void test_large(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_doc d;
	int i;

	sb_putc(&sb, '[');
	for (i = 0; i < 20000; i++)
		sb_printf(&sb, "%s{\"id\":\"%d\",\"names\":[\"n%d\"]}", i ? "," : "", i, i);
	sb_putc(&sb, ']');
	CHECK_INT(json_parse(&d, sb.p, sb.len), 0);
	CHECK_INT(json_len(&d.root), 20000);
	CHECK_STR(json_get_str(json_at(&d.root, 19999), "id"), "19999");
	CHECK_STR(json_str(json_at(json_get(json_at(&d.root, 12345), "names"), 0)),
		  "n12345");
	json_doc_free(&d);
	sb_free(&sb);
}

static void test_files(void)
{
	char path[] = "/tmp/test-minijson-XXXXXX";
	struct strbuf sb = STRBUF_INIT;
	struct json_doc d;
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, "{\"k\": [\"v\"]}\n", 13), 13);
	close(fd);
	CHECK_INT(json_parse_file(&d, path, 1024), 0);
	CHECK_STR(json_str(json_at(json_get(&d.root, "k"), 0)), "v");
	json_doc_free(&d);
	CHECK_INT(json_parse_file(&d, path, 12), -EFBIG);
	json_doc_free(&d);
	CHECK_INT(json_parse_file(&d, "/nonexistent/x.json", 1024), -ENOENT);
	json_doc_free(&d);
	unlink(path);
	sb_free(&sb);
}

int main(void)
{
	test_scalars();
	test_strings();
	test_nested();
	test_embedded();
	test_depth();
	test_malformed();
	test_truncated();
	test_large();
	test_files();
	CHECK_DONE();
}
