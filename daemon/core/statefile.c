// SPDX-License-Identifier: GPL-2.0-or-later
/* statefile.c: bounded reading of JSON state files, the container runtimes' and the daemon's own (json-c underneath). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "core/util.h"
#include "core/statefile.h"

/* Our negative errno for a json-c tokener error (0 for success). */
static int tokener_errno(enum json_tokener_error e)
{
	switch (e) {
	case json_tokener_success:
		return 0;
	case json_tokener_error_depth:
		return -E2BIG;
	case json_tokener_error_size:
		return -EFBIG;
	default:
		return -EINVAL;
	}
}

int statefile_parse(const char *text, size_t len, struct json_object **out)
{
	struct json_tokener *tok;
	struct json_object *v;
	int r;

	*out = NULL;
	if (!text)
		return -EINVAL;
	if (len > INT_MAX)
		return -EFBIG;
	tok = json_tokener_new_ex(STATEFILE_MAX_DEPTH);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	v = json_tokener_parse_ex(tok, text, (int)len);
	r = tokener_errno(json_tokener_get_error(tok));
	if (json_tokener_get_error(tok) == json_tokener_continue) {
		/* All of text was taken: a number or literal at its very end
		 * is complete only at a NUL, anything else open is an error. */
		v = json_tokener_parse_ex(tok, "", 1);
		r = tokener_errno(json_tokener_get_error(tok));
	} else if (r == 0 && json_tokener_get_parse_end(tok) != len) {
		r = -EINVAL;		/* a NUL byte and more after the value */
	}
	json_tokener_free(tok);
	if (r < 0)
		json_object_put(v);
	else
		*out = v;
	return r;
}

int statefile_read(const char *path, size_t max, struct json_object **out)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	*out = NULL;
	r = read_file_bounded(AT_FDCWD, path, max, &sb);
	if (r == 0)
		r = statefile_parse(sb.p, sb.len, out);
	sb_free(&sb);
	return r;
}

struct json_object *statefile_get(const struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!key || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

struct json_object *statefile_at(const struct json_object *arr, size_t i)
{
	if (!json_object_is_type(arr, json_type_array) ||
	    i >= json_object_array_length(arr))
		return NULL;
	return json_object_array_get_idx(arr, i);
}

const char *statefile_str(const struct json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	/* json-c's getter is not const-qualified; it does not change v. */
	return json_object_get_string((struct json_object *)v);
}

const char *statefile_get_str(const struct json_object *obj, const char *key)
{
	return statefile_str(statefile_get(obj, key));
}

bool statefile_u64(const struct json_object *v, uint64_t *out)
{
	/* json-c keeps integers above INT64_MAX as uint64: both are taken */
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return false;
	*out = json_object_get_uint64(v);
	return true;
}

bool statefile_get_u64(const struct json_object *obj, const char *key, uint64_t *out)
{
	return statefile_u64(statefile_get(obj, key), out);
}

bool statefile_get_true(const struct json_object *obj, const char *key)
{
	struct json_object *v = statefile_get(obj, key);

	return json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

bool statefile_has_key_prefix(const struct json_object *obj, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!json_object_is_type(obj, json_type_object))
		return false;
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (!strncmp(key, prefix, n))
			return true;
	}
	return false;
}
