// SPDX-License-Identifier: GPL-2.0-or-later
/* fuzz-statefile.c: libFuzzer target: the bounded JSON reader of the runtime state files on any bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/statefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) die(__LINE__, #c); } while (0)

static void die(int line, const char *what)
{
	fprintf(stderr, "fuzz-statefile.c:%d: invariant broken: %s\n", line, what);
	abort();
}

static void walk(struct json_object *v, int depth);

/* A string: NUL-terminated at its length; the getters agree. */
static void walk_string(struct json_object *v)
{
	const char *s = statefile_str(v);
	int len = json_object_get_string_len(v);

	CHECK(s && len >= 0 && s[len] == '\0');
	CHECK(!statefile_get(v, "a") && !statefile_at(v, 0));
	CHECK(!statefile_has_key_prefix(v, ""));
}

/* An array: every element reachable by index, nothing past the end. */
static void walk_array(struct json_object *v, int depth)
{
	size_t i, n = json_object_array_length(v);

	CHECK(!statefile_str(v) && !statefile_get(v, "a"));
	for (i = 0; i < n; i++) {
		CHECK(statefile_at(v, i) == json_object_array_get_idx(v, i));
		walk(statefile_at(v, i), depth + 1);
	}
	CHECK(!statefile_at(v, n));
}

/* An object: each key found again by name, as the last of that name. */
static void walk_object(struct json_object *v, int depth)
{
	CHECK(!statefile_str(v) && !statefile_at(v, 0));
	CHECK(statefile_has_key_prefix(v, "") == (json_object_object_length(v) > 0));
	json_object_object_foreach(v, key, val) {
		CHECK(key && statefile_get(v, key) == val);
		CHECK(statefile_has_key_prefix(v, key));
		if (statefile_get_str(v, key))
			CHECK(statefile_get_str(v, key) == statefile_str(val));
		walk(val, depth + 1);
	}
}

/* Visit every node: types, terminators and the getters agree. */
static void walk(struct json_object *v, int depth)
{
	CHECK(depth <= STATEFILE_MAX_DEPTH);	/* a scalar in the deepest array */
	switch (json_object_get_type(v)) {
	case json_type_null:
		CHECK(!v);
		break;
	case json_type_boolean:
	case json_type_double:
	case json_type_int:
		CHECK(!statefile_str(v) && !statefile_at(v, 0) && !statefile_get(v, "a"));
		break;
	case json_type_string:
		walk_string(v);
		break;
	case json_type_array:
		walk_array(v, depth);
		break;
	case json_type_object:
		walk_object(v, depth);
		break;
	default:
		CHECK(!"unknown type");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *v = (struct json_object *)1;
	char *text;
	int r;

	/* An exact-size copy without a terminator: reads past it are caught. */
	text = malloc(size ? size : 1);
	CHECK(text);
	memcpy(text, data, size);
	r = statefile_parse(text, size, &v);
	CHECK(r == 0 || r == -EINVAL || r == -E2BIG || r == -ENOMEM);
	if (r == 0)
		walk(v, 0);
	else
		CHECK(v == NULL);
	/* A raw NUL byte is no JSON text, wherever it stands. */
	if (memchr(text, '\0', size))
		CHECK(r != 0);
	json_object_put(v);
	free(text);
	return 0;
}
