/* fuzz-minijson.c: libFuzzer target: the bounded JSON reader of the container metadata on any bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/minijson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-minijson.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/* Visit every node: lengths, terminators and the lookup helpers agree. */
static void walk(const struct json_value *v, int depth)
{
	const struct json_value *got;
	int64_t i64;
	size_t i;

	CHECK(depth <= JSON_MAX_DEPTH + 1);
	switch (v->type) {
	case JSON_NULL:
	case JSON_FALSE:
	case JSON_TRUE:
		CHECK(json_len(v) == 0 && !json_str(v));
		break;
	case JSON_NUMBER:
		CHECK(!json_str(v));
		if (json_int64(v, &i64) == 0)
			CHECK((double)i64 == v->u.num);
		break;
	case JSON_STRING:
		CHECK(v->u.str && v->u.str[v->len] == '\0');
		CHECK(json_str(v) == v->u.str && json_len(v) == v->len);
		CHECK(json_int64(v, &i64) == -EINVAL);
		break;
	case JSON_ARRAY:
		CHECK(json_len(v) == v->len && !json_get(v, "a"));
		for (i = 0; i < v->len; i++) {
			CHECK(!v->u.items[i].key);
			CHECK(json_at(v, i) == &v->u.items[i].value);
			walk(&v->u.items[i].value, depth + 1);
		}
		CHECK(!json_at(v, v->len));
		break;
	case JSON_OBJECT:
		CHECK(json_len(v) == v->len && !json_at(v, 0));
		for (i = 0; i < v->len; i++) {
			const struct json_member *m = &v->u.items[i];

			CHECK(m->key && m->key[m->key_len] == '\0');
			/* json_get() finds the last member of that name. */
			got = json_get(v, m->key);
			if (strlen(m->key) == m->key_len) {
				CHECK(got);
				CHECK(json_path(v, m->key, NULL) == got);
				json_get_str(v, m->key);
			}
			walk(&m->value, depth + 1);
		}
		break;
	default:
		CHECK(!"unknown type");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_doc doc;
	char *text;
	int r;

	/* An exact-size copy without a terminator: reads past it are caught. */
	text = malloc(size ? size : 1);
	CHECK(text);
	memcpy(text, data, size);
	r = json_parse(&doc, text, size);
	CHECK(r == 0 || r == -EINVAL || r == -E2BIG || r == -ENOMEM);
	if (r == 0)
		walk(&doc.root, 0);
	else
		CHECK(doc.err_offset <= size);
	json_doc_free(&doc);
	json_doc_free(&doc);
	free(text);
	return 0;
}
