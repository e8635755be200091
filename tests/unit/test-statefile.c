// SPDX-License-Identifier: GPL-2.0-or-later
/* test-statefile.c: unit tests for the bounded JSON reader of runtime state files. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "core/util.h"
#include "core/statefile.h"

/* Parse a NUL-terminated document; returns statefile_parse()'s result. */
static int parse(struct json_object **v, const char *s)
{
	return statefile_parse(s, strlen(s), v);
}

/* The JSON text json parses to a string of these len bytes (NULs too). */
static void check_string(const char *json, const char *want, size_t len)
{
	struct json_object *v;

	CHECK_INT(parse(&v, json), 0);
	CHECK(statefile_str(v) != NULL);
	CHECK_INT(json_object_get_string_len(v), (long long)len);
	CHECK(!memcmp(statefile_str(v), want, len + 1));
	json_object_put(v);
}

#define CHECK_STRING(json, want) check_string((json), (want), sizeof(want) - 1)

static void test_scalars(void)
{
	struct json_object *v;

	CHECK_INT(parse(&v, " true "), 0);
	CHECK(json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v));
	json_object_put(v);
	CHECK_INT(parse(&v, "false"), 0);
	CHECK(json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v));
	json_object_put(v);
	v = (struct json_object *)1;
	CHECK_INT(parse(&v, "\tnull\r\n"), 0);
	CHECK(v == NULL);			/* JSON null is json-c's NULL */
	CHECK_INT(parse(&v, "-12.5e2"), 0);
	CHECK(json_object_is_type(v, json_type_double));
	CHECK(json_object_get_double(v) == -1250.0);
	CHECK(statefile_str(v) == NULL);
	json_object_put(v);
	/* A number at the very end of the text (no terminator after it). */
	CHECK_INT(parse(&v, "1714052131"), 0);
	CHECK(json_object_is_type(v, json_type_int));
	CHECK_INT(json_object_get_int64(v), 1714052131);
	json_object_put(v);
	CHECK_INT(parse(&v, "0.0000000000000000000000000000000000000000000000000000000000000000000000001e73"), 0);
	CHECK(json_object_get_double(v) > 0.99 && json_object_get_double(v) < 1.01);
	json_object_put(v);
}

static void test_strings(void)
{
	CHECK_STRING("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", "a\"b\\c/d\b\f\n\r\t");
	/* BMP escapes: é (2 bytes), € (3 bytes), < from Go's encoder. */
	CHECK_STRING("\"caf\\u00e9 \\u20AC \\u003c\"", "caf\xc3\xa9 \xe2\x82\xac <");
	/* Surrogate pair: U+1F600. */
	CHECK_STRING("\"\\ud83d\\ude00!\"", "\xf0\x9f\x98\x80!");
	/* Lone surrogates become U+FFFD; the next escape is kept. */
	CHECK_STRING("\"\\ud83dx\\ude00\\ud800\\u0041\"",
		     "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd" "A");
	CHECK_STRING("\"\\ud800\\ud800\\udc00\"", "\xef\xbf\xbd\xf0\x90\x80\x80");
	/* \u0000 is kept; the length tells the truth. */
	CHECK_STRING("\"a\\u0000b\"", "a\0b");
	/* Raw UTF-8 passes through. */
	CHECK_STRING("\"\xe2\x82\xac\"", "\xe2\x82\xac");
	CHECK_STRING("\"\"", "");
}

static void test_nested(void)
{
	static const char doc[] =
		"{\"Name\":\"/web\",\"Config\":{\"Image\":\"nginx:1.25\","
		"\"Labels\":{\"io.kubernetes.pod.name\":\"web-0\",\"a\":1},"
		"\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],\"Volumes\":null},"
		"\"Empty\":{},\"List\":[],\"Deep\":[[[{\"x\":[true,false]}]]],"
		"\"dup\":1,\"dup\":2}";
	struct json_object *root, *cfg, *v;

	CHECK_INT(parse(&root, doc), 0);
	CHECK(json_object_is_type(root, json_type_object));
	CHECK_INT(json_object_object_length(root), 6);	/* "dup" once */
	CHECK_STR(statefile_get_str(root, "Name"), "/web");
	cfg = statefile_get(root, "Config");
	CHECK_STR(statefile_get_str(cfg, "Image"), "nginx:1.25");
	CHECK_STR(statefile_get_str(statefile_get(cfg, "Labels"), "io.kubernetes.pod.name"),
		  "web-0");
	CHECK(statefile_get_str(statefile_get(cfg, "Labels"), "a") == NULL);
	v = statefile_get(cfg, "Cmd");
	CHECK_INT(json_object_array_length(v), 3);
	CHECK_STR(statefile_str(statefile_at(v, 2)), "daemon off;");
	CHECK(statefile_at(v, 3) == NULL);
	CHECK(statefile_get(v, "x") == NULL);		/* not an object */
	CHECK(statefile_at(cfg, 0) == NULL);		/* not an array */
	CHECK(statefile_get(cfg, "Volumes") == NULL);	/* null */
	CHECK(statefile_get(statefile_get(cfg, "Nope"), "Deeper") == NULL);
	CHECK(statefile_get_str(cfg, "Labels") == NULL);	/* not a string */
	v = statefile_get(root, "Empty");
	CHECK(json_object_is_type(v, json_type_object));
	CHECK_INT(json_object_object_length(v), 0);
	CHECK_INT(json_object_array_length(statefile_get(root, "List")), 0);
	v = statefile_at(statefile_at(statefile_at(statefile_get(root, "Deep"), 0), 0), 0);
	v = statefile_at(statefile_get(v, "x"), 1);
	CHECK(json_object_is_type(v, json_type_boolean) && !json_object_get_boolean(v));
	CHECK_INT(json_object_get_int64(statefile_get(root, "dup")), 2);	/* the last */
	CHECK(statefile_has_key_prefix(statefile_get(cfg, "Labels"), "io.kubernetes."));
	CHECK(!statefile_has_key_prefix(statefile_get(cfg, "Labels"), "io.x"));
	CHECK(!statefile_has_key_prefix(statefile_get(cfg, "Cmd"), "n"));
	CHECK(!statefile_has_key_prefix(NULL, ""));
	CHECK(statefile_get(NULL, "x") == NULL);
	CHECK(statefile_get(root, NULL) == NULL);
	CHECK(statefile_at(NULL, 0) == NULL);
	CHECK(statefile_str(NULL) == NULL);
	json_object_put(root);
}

/* A JSON document embedded in a string (containers.json "metadata"). */
static void test_embedded(void)
{
	static const char doc[] =
		"[{\"id\":\"abc\",\"metadata\":\"{\\\"image-name\\\":\\\"docker.io/"
		"library/nginx:1.25\\\",\\\"name\\\":\\\"web\\\"}\"}]";
	struct json_object *root, *meta, *m;

	CHECK_INT(parse(&root, doc), 0);
	meta = statefile_get(statefile_at(root, 0), "metadata");
	CHECK(statefile_str(meta) != NULL);
	CHECK_INT(statefile_parse(statefile_str(meta),
				  (size_t)json_object_get_string_len(meta), &m), 0);
	CHECK_STR(statefile_get_str(m, "image-name"), "docker.io/library/nginx:1.25");
	CHECK_STR(statefile_get_str(m, "name"), "web");
	json_object_put(m);
	json_object_put(root);
}

static void test_depth(void)
{
	char buf[2 * (STATEFILE_MAX_DEPTH + 1) + 1];
	struct json_object *v;
	int n;

	for (n = 0; n < STATEFILE_MAX_DEPTH; n++) {
		buf[n] = '[';
		buf[2 * STATEFILE_MAX_DEPTH - 1 - n] = ']';
	}
	CHECK_INT(statefile_parse(buf, 2 * STATEFILE_MAX_DEPTH, &v), 0);
	json_object_put(v);
	for (n = 0; n <= STATEFILE_MAX_DEPTH; n++) {
		buf[n] = '[';
		buf[2 * STATEFILE_MAX_DEPTH + 1 - n] = ']';
	}
	v = (struct json_object *)1;
	CHECK_INT(statefile_parse(buf, 2 * STATEFILE_MAX_DEPTH + 2, &v), -E2BIG);
	CHECK(v == NULL);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"", "   ", "{", "[", "]", "[1,]", "[,1]", "{\"a\"}", "{\"a\":}",
		"{\"a\":1,}", "{a:1}", "{\"a\" 1}", "[1 2]", "\"abc", "\"a\\\"",
		"\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "01", "-", ".5", "1e", "1e+",
		"+1", "tru", "nul", "True", "nan", "[1]x", "{}{}", "\"\\",
		"\xef\xbb\xbf{}", "{\"a\":1 \"b\":2}", "[\"a\":1]", "{1:2}", "'a'",
		"/*c*/1", "[1]/*c*/", "[-]",
	};
	/* json-c takes these where RFC 8259 does not; harmless to the
	 * readers, which only read strings: raw control characters in a
	 * string, a trailing decimal point, NaN and Infinity. */
	static const char *const lenient[] = {
		"\"tab\there\"", "\"nl\nx\"", "1.", "NaN", "Infinity", "-Infinity",
	};
	struct json_object *v;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = (struct json_object *)1;
		if (parse(&v, bad[i]) != -EINVAL) {
			fprintf(stderr, "accepted malformed: %s\n", bad[i]);
			CHECK(0);
		}
		CHECK(v == NULL);
	}
	for (i = 0; i < ARRAY_SIZE(lenient); i++) {
		CHECK_INT(parse(&v, lenient[i]), 0);
		json_object_put(v);
	}
	CHECK_INT(statefile_parse("[1,2]\0[3]", 9, &v), -EINVAL);	/* NUL byte */
	CHECK_INT(statefile_parse("[1,2]\0", 6, &v), -EINVAL);
	CHECK_INT(statefile_parse("1\0", 2, &v), -EINVAL);
	CHECK_INT(statefile_parse("\"a\0b\"", 5, &v), -EINVAL);
	CHECK_INT(statefile_parse(NULL, 0, &v), -EINVAL);
}

/* Every prefix of a valid document must fail cleanly (no overread). */
static void test_truncated(void)
{
	static const char doc[] = "{\"a\":[1,-2.5e3,\"x\\u00e9\\ud83d\\ude00\",true,"
				  "false,null,{\"b\":{}}],\"c\":\"\\n\"}";
	struct json_object *v;
	size_t n;
	char *copy;

	for (n = 0; n < sizeof(doc) - 1; n++) {
		copy = malloc(n ? n : 1);	/* exact size: ASan sees overreads */
		memcpy(copy, doc, n);
		CHECK(statefile_parse(copy, n, &v) < 0);
		CHECK(v == NULL);
		free(copy);
	}
	CHECK_INT(parse(&v, doc), 0);
	json_object_put(v);
}

/* A large array: many objects, found by index. */
static void test_large(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_object *v;
	int i;

	sb_putc(&sb, '[');
	for (i = 0; i < 20000; i++)
		sb_printf(&sb, "%s{\"id\":\"%d\",\"names\":[\"n%d\"]}", i ? "," : "", i, i);
	sb_putc(&sb, ']');
	CHECK_INT(statefile_parse(sb.p, sb.len, &v), 0);
	CHECK_INT(json_object_array_length(v), 20000);
	CHECK_STR(statefile_get_str(statefile_at(v, 19999), "id"), "19999");
	CHECK_STR(statefile_str(statefile_at(statefile_get(statefile_at(v, 12345), "names"), 0)),
		  "n12345");
	CHECK(statefile_at(v, 20000) == NULL);
	json_object_put(v);
	sb_free(&sb);
}

static void test_files(void)
{
	char path[] = "/tmp/test-statefile-XXXXXX";
	char dir[] = "/tmp/test-statefile-dir-XXXXXX";
	struct json_object *v;
	char fifo[64];
	int fd;

	fd = mkstemp(path);
	CHECK(fd >= 0);
	CHECK_INT(write(fd, "{\"k\": [\"v\"]}\n", 13), 13);
	close(fd);
	CHECK_INT(statefile_read(path, 1024, &v), 0);
	CHECK_STR(statefile_str(statefile_at(statefile_get(v, "k"), 0)), "v");
	json_object_put(v);
	CHECK_INT(statefile_read(path, 13, &v), 0);		/* exactly the cap */
	json_object_put(v);
	v = (struct json_object *)1;
	CHECK_INT(statefile_read(path, 12, &v), -EFBIG);
	CHECK(v == NULL);
	CHECK_INT(statefile_read("/nonexistent/x.json", 1024, &v), -ENOENT);
	/* Not a regular file: a FIFO is refused without blocking, so is a dir. */
	CHECK(mkdtemp(dir) != NULL);
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	CHECK_INT(mkfifo(fifo, 0600), 0);
	CHECK_INT(statefile_read(fifo, 1024, &v), -EINVAL);
	CHECK_INT(statefile_read(dir, 1024, &v), -EINVAL);
	unlink(fifo);
	rmdir(dir);
	/* An empty file is no JSON value. */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(statefile_read(path, 1024, &v), -EINVAL);
	unlink(path);
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
