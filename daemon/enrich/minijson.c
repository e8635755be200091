/* minijson.c: a small, bounded JSON reader (tree in an arena, lookups by key). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "enrich/minijson.h"

#define CHUNK_SIZE	(64 * 1024)
#define ALIGN		alignof(max_align_t)
#define ALIGN_UP(n)	(((n) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
#define NUM_MAX		64	/* longest number we convert on the stack */

struct json_chunk {
	struct json_chunk *next;
	size_t used, cap;	/* bytes of the data area after the header */
};

#define CHUNK_HDR	ALIGN_UP(sizeof(struct json_chunk))

struct parser {
	const char *start, *p, *end;
	struct json_doc *doc;
	struct json_member *stack;	/* children of the open containers */
	size_t sp, cap;
};

static int parse_value(struct parser *ps, struct json_value *v, int depth);

/* Allocate size bytes from the document's arena; NULL on overflow/ENOMEM. */
static void *arena_alloc(struct json_doc *doc, size_t size)
{
	struct json_chunk *ch = doc->chunks;
	size_t cap;

	if (size > SIZE_MAX / 2)
		return NULL;
	size = ALIGN_UP(size ? size : 1);
	if (!ch || ch->cap - ch->used < size) {
		cap = size > CHUNK_SIZE - CHUNK_HDR ? size : CHUNK_SIZE - CHUNK_HDR;
		ch = malloc(CHUNK_HDR + cap);
		if (!ch)
			return NULL;
		ch->used = 0;
		ch->cap = cap;
		ch->next = doc->chunks;
		doc->chunks = ch;
	}
	ch->used += size;
	return (char *)ch + CHUNK_HDR + ch->used - size;
}

void json_doc_free(struct json_doc *doc)
{
	struct json_chunk *ch, *next;

	if (!doc)
		return;
	for (ch = doc->chunks; ch; ch = next) {
		next = ch->next;
		free(ch);
	}
	doc->chunks = NULL;
	memset(&doc->root, 0, sizeof(doc->root));
	doc->root.type = JSON_NULL;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
				   *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s (caller checked bounds); -1 if not hex. */
static long hex4(const char *s)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		h = hexval(s[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Encode code point cp as UTF-8 at out; returns the bytes written. */
static size_t utf8_put(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Decode the \u escape at s (s[0] == 'u', 4 hex digits checked to fit
 * before end) plus a following low surrogate escape; returns the input
 * bytes consumed after the backslash, or -1 on bad hex.
 */
static int decode_u(const char *s, const char *end, unsigned long *cp)
{
	long hi = hex4(s + 1), lo;

	if (hi < 0)
		return -1;
	*cp = (unsigned long)hi;
	if (hi >= 0xdc00 && hi <= 0xdfff) {
		*cp = 0xfffd;
	} else if (hi >= 0xd800 && hi <= 0xdbff) {
		*cp = 0xfffd;
		if (end - s >= 11 && s[5] == '\\' && s[6] == 'u') {
			lo = hex4(s + 7);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				*cp = 0x10000 + (((unsigned long)hi - 0xd800) << 10) +
				      ((unsigned long)lo - 0xdc00);
				return 11;
			}
		}
	}
	return 5;
}

/* One escape sequence at s (after the backslash); appends to out. */
static int decode_escape(const char *s, const char *end, char *out,
			 size_t *olen)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e = memchr(from, *s, sizeof(from) - 1);
	unsigned long cp;
	int n;

	if (e) {
		out[(*olen)++] = to[e - from];
		return 1;
	}
	if (*s != 'u' || end - s < 5)
		return -1;
	n = decode_u(s, end, &cp);
	if (n < 0)
		return -1;
	*olen += utf8_put(out + *olen, cp);
	return n;
}

/* Find the closing quote of the string opening at ps->p; NULL if none. */
static const char *string_end(const struct parser *ps)
{
	const char *q = ps->p + 1;

	while (q < ps->end) {
		unsigned char c = (unsigned char)*q;

		if (c == '"')
			return q;
		if (c < 0x20)
			return NULL;
		q += c == '\\' ? 2 : 1;
	}
	return NULL;
}

/* Parse a string at ps->p (a quote) into arena memory. */
static int parse_string(struct parser *ps, const char **str, size_t *len)
{
	const char *q = string_end(ps), *s;
	size_t olen = 0;
	char *out;
	int n;

	if (!q)
		return -EINVAL;
	/* Decoding never grows: the raw length bounds the output. */
	out = arena_alloc(ps->doc, (size_t)(q - ps->p));
	if (!out)
		return -ENOMEM;
	for (s = ps->p + 1; s < q; ) {
		if (*s != '\\') {
			out[olen++] = *s++;
			continue;
		}
		n = decode_escape(s + 1, q, out, &olen);
		if (n < 0) {
			ps->p = s;
			return -EINVAL;
		}
		s += 1 + n;
	}
	out[olen] = '\0';
	*str = out;
	*len = olen;
	ps->p = q + 1;
	return 0;
}

static const char *skip_digits(const char *s, const char *end)
{
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	return s;
}

/* Validate the JSON number grammar at ps->p; returns its end or NULL. */
static const char *number_end(const struct parser *ps)
{
	const char *s = ps->p, *end = ps->end, *d;

	if (s < end && *s == '-')
		s++;
	if (s < end && *s == '0')
		s++;
	else if (s < end && *s >= '1' && *s <= '9')
		s = skip_digits(s, end);
	else
		return NULL;
	if (s < end && *s == '.') {
		d = skip_digits(s + 1, end);
		if (d == s + 1)
			return NULL;
		s = d;
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		d = skip_digits(s, end);
		if (d == s)
			return NULL;
		s = d;
	}
	return s;
}

static int parse_number(struct parser *ps, struct json_value *v)
{
	const char *e = number_end(ps);
	char buf[NUM_MAX], *tmp = buf;
	size_t n;

	if (!e)
		return -EINVAL;
	n = (size_t)(e - ps->p);
	if (n >= sizeof(buf)) {
		tmp = arena_alloc(ps->doc, n + 1);
		if (!tmp)
			return -ENOMEM;
	}
	memcpy(tmp, ps->p, n);
	tmp[n] = '\0';
	v->type = JSON_NUMBER;
	v->u.num = strtod(tmp, NULL);
	ps->p = e;
	return 0;
}

static int parse_literal(struct parser *ps, struct json_value *v)
{
	static const struct {
		const char *word;
		enum json_type type;
	} lit[] = {
		{ "true", JSON_TRUE }, { "false", JSON_FALSE }, { "null", JSON_NULL },
	};
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(lit); i++) {
		n = strlen(lit[i].word);
		if ((size_t)(ps->end - ps->p) >= n &&
		    !memcmp(ps->p, lit[i].word, n)) {
			v->type = lit[i].type;
			ps->p += n;
			return 0;
		}
	}
	return -EINVAL;
}

/* Push one child of the innermost open array/object. */
static int push(struct parser *ps, const char *key, size_t key_len,
		const struct json_value *v)
{
	struct json_member *m;
	size_t cap;

	if (ps->sp == ps->cap) {
		cap = ps->cap ? ps->cap * 2 : 64;
		m = realloc(ps->stack, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		ps->stack = m;
		ps->cap = cap;
	}
	m = &ps->stack[ps->sp++];
	m->key = key;
	m->key_len = key_len;
	m->value = *v;
	return 0;
}

/* Move the children pushed since base into the arena as v's entries. */
static int pop_into(struct parser *ps, size_t base, struct json_value *v)
{
	size_t n = ps->sp - base;

	v->len = n;
	v->u.items = NULL;
	if (n) {
		v->u.items = arena_alloc(ps->doc, n * sizeof(*v->u.items));
		if (!v->u.items)
			return -ENOMEM;
		memcpy(v->u.items, ps->stack + base, n * sizeof(*v->u.items));
	}
	ps->sp = base;
	return 0;
}

/* After an entry: 1 at the closing bracket, 0 after a comma, or -EINVAL. */
static int next_entry(struct parser *ps, char close)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -EINVAL;
	if (*ps->p == close) {
		ps->p++;
		return 1;
	}
	if (*ps->p != ',')
		return -EINVAL;
	ps->p++;
	return 0;
}

/* One "key": value member of an object. */
static int parse_member(struct parser *ps, int depth)
{
	struct json_value v;
	const char *key;
	size_t klen;
	int r;

	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '"')
		return -EINVAL;
	r = parse_string(ps, &key, &klen);
	if (r < 0)
		return r;
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != ':')
		return -EINVAL;
	ps->p++;
	r = parse_value(ps, &v, depth);
	if (r < 0)
		return r;
	return push(ps, key, klen, &v);
}

/* An array or object at ps->p (the opening bracket). */
static int parse_container(struct parser *ps, struct json_value *v, int depth)
{
	bool obj = *ps->p == '{';
	char close = obj ? '}' : ']';
	size_t base = ps->sp;
	struct json_value item;
	int r;

	if (depth >= JSON_MAX_DEPTH)
		return -E2BIG;
	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return pop_into(ps, base, v);
	}
	do {
		if (obj) {
			r = parse_member(ps, depth + 1);
		} else {
			r = parse_value(ps, &item, depth + 1);
			if (r == 0)
				r = push(ps, NULL, 0, &item);
		}
		if (r < 0)
			return r;
		r = next_entry(ps, close);
	} while (r == 0);
	return r < 0 ? r : pop_into(ps, base, v);
}

static int parse_value(struct parser *ps, struct json_value *v, int depth)
{
	memset(v, 0, sizeof(*v));
	skip_ws(ps);
	if (ps->p >= ps->end)
		return -EINVAL;
	switch (*ps->p) {
	case '{':
	case '[':
		return parse_container(ps, v, depth);
	case '"':
		v->type = JSON_STRING;
		return parse_string(ps, &v->u.str, &v->len);
	case '-':
	case '0' ... '9':
		return parse_number(ps, v);
	default:
		return parse_literal(ps, v);
	}
}

int json_parse(struct json_doc *doc, const char *text, size_t len)
{
	struct parser ps = { text, text, text ? text + len : text, doc, NULL, 0, 0 };
	int r;

	memset(doc, 0, sizeof(*doc));
	doc->root.type = JSON_NULL;
	if (!text)
		return -EINVAL;
	r = parse_value(&ps, &doc->root, 0);
	if (r == 0) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			r = -EINVAL;
	}
	free(ps.stack);
	if (r < 0) {
		json_doc_free(doc);
		doc->err_offset = (size_t)(ps.p - ps.start);
	}
	return r;
}

const struct json_value *json_get(const struct json_value *obj, const char *key)
{
	size_t i, klen;

	if (!obj || obj->type != JSON_OBJECT || !key)
		return NULL;
	klen = strlen(key);
	for (i = obj->len; i-- > 0; ) {
		const struct json_member *m = &obj->u.items[i];

		if (m->key_len == klen && !memcmp(m->key, key, klen))
			return &m->value;
	}
	return NULL;
}

const struct json_value *json_path(const struct json_value *v, ...)
{
	const char *key;
	va_list ap;

	va_start(ap, v);
	while (v && (key = va_arg(ap, const char *)))
		v = json_get(v, key);
	va_end(ap);
	return v;
}

const struct json_value *json_at(const struct json_value *arr, size_t i)
{
	if (!arr || arr->type != JSON_ARRAY || i >= arr->len)
		return NULL;
	return &arr->u.items[i].value;
}

size_t json_len(const struct json_value *v)
{
	if (!v || (v->type != JSON_ARRAY && v->type != JSON_OBJECT &&
		   v->type != JSON_STRING))
		return 0;
	return v->len;
}

const char *json_str(const struct json_value *v)
{
	return v && v->type == JSON_STRING ? v->u.str : NULL;
}

const char *json_get_str(const struct json_value *obj, const char *key)
{
	return json_str(json_get(obj, key));
}

int json_int64(const struct json_value *v, int64_t *out)
{
	if (!v || v->type != JSON_NUMBER || !(v->u.num >= -9223372036854775808.0) ||
	    !(v->u.num < 9223372036854775808.0) ||
	    (double)(int64_t)v->u.num != v->u.num)
		return -EINVAL;
	*out = (int64_t)v->u.num;
	return 0;
}

int json_parse_file(struct json_doc *doc, const char *path, size_t max)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	memset(doc, 0, sizeof(*doc));
	r = read_file_bounded(AT_FDCWD, path, max, &sb);
	if (r == 0)
		r = json_parse(doc, sb.p, sb.len);
	sb_free(&sb);
	return r;
}
