// SPDX-License-Identifier: GPL-2.0-or-later
/* dpkg-parse.c: the files of dpkg's database as text: status paragraphs, conffiles, md5sums and list lines, diversions; canonical paths (merged /usr). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/util.h"
#include "dpkg/dpkg-parse.h"

/* The end of the line at p (its '\n', or end). */
static const char *line_end(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl : end;
}

/* Past the line at p (after its '\n'). */
static const char *next_line(const char *p, const char *end)
{
	const char *e = line_end(p, end);

	return e < end ? e + 1 : end;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* t without its leading and trailing blanks (and a '\r'). */
static struct dpkg_text trim(const char *p, const char *e)
{
	while (p < e && is_blank(*p))
		p++;
	while (e > p && (is_blank(e[-1]) || e[-1] == '\r'))
		e--;
	return (struct dpkg_text){ .p = p, .len = (size_t)(e - p) };
}

/* True when the text is the word w (exactly). */
static bool text_is(const struct dpkg_text *t, const char *w)
{
	size_t n = strlen(w);

	return t->p && t->len == n && !memcmp(t->p, w, n);
}

/* The slot of the field named at line [p, colon) in out, or NULL. */
static struct dpkg_text *para_slot(struct dpkg_para *out, const char *p,
				   size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "Package", offsetof(struct dpkg_para, package) },
		{ "Architecture", offsetof(struct dpkg_para, arch) },
		{ "Version", offsetof(struct dpkg_para, version) },
		{ "Status", offsetof(struct dpkg_para, status) },
		{ "Multi-Arch", offsetof(struct dpkg_para, multi_arch) },
		{ "Conffiles", offsetof(struct dpkg_para, conffiles) },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (strlen(fields[i].name) == n && !strncasecmp(p, fields[i].name, n))
			return (struct dpkg_text *)((char *)out + fields[i].off);
	return NULL;
}

int dpkg_status_next(const char **pp, const char *end, struct dpkg_para *out)
{
	const char *p = *pp, *e, *colon, *v;
	struct dpkg_text *slot;

	memset(out, 0, sizeof(*out));
	/* blank lines before the paragraph */
	while (p < end && trim(p, line_end(p, end)).len == 0)
		p = next_line(p, end);
	if (p >= end) {
		*pp = end;
		return 0;
	}
	while (p < end) {
		e = line_end(p, end);
		if (trim(p, e).len == 0)
			break;		/* the paragraph's end */
		colon = is_blank(*p) ? NULL : memchr(p, ':', (size_t)(e - p));
		slot = colon ? para_slot(out, p, (size_t)(colon - p)) : NULL;
		v = colon ? colon + 1 : p;
		/* the field's continuation lines start with a blank */
		for (p = next_line(p, end); p < end && is_blank(*p) &&
		     trim(p, line_end(p, end)).len; p = next_line(p, end))
			e = line_end(p, end);
		if (slot)
			*slot = slot == &out->conffiles ?
				(struct dpkg_text){ .p = v, .len = (size_t)(e - v) } :
				trim(v, line_end(v, end));
	}
	*pp = p;
	return 1;
}

enum dpkg_on_disk dpkg_status_on_disk(const struct dpkg_text *status)
{
	static const char *const files[] = {
		"installed", "unpacked", "half-configured", "half-installed",
		"triggers-awaited", "triggers-pending",
	};
	struct dpkg_text st;
	const char *e, *sp;
	size_t i;

	if (!status->p)
		return DPKG_DISK_NONE;
	/* "want flag state": the last word */
	e = status->p + status->len;
	for (sp = e; sp > status->p && !is_blank(sp[-1]); sp--)
		;
	st = (struct dpkg_text){ .p = sp, .len = (size_t)(e - sp) };
	for (i = 0; i < ARRAY_SIZE(files); i++)
		if (text_is(&st, files[i]))
			return DPKG_DISK_FILES;
	return text_is(&st, "config-files") ? DPKG_DISK_CONFFILES : DPKG_DISK_NONE;
}

bool dpkg_md5_parse(const char *hex, size_t len, unsigned char md5[DPKG_MD5_LEN])
{
	size_t i;
	int hi, lo;

	if (len != 2 * DPKG_MD5_LEN)
		return false;
	for (i = 0; i < DPKG_MD5_LEN; i++) {
		hi = hex_value(hex[2 * i]);
		lo = hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		md5[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/* The last blank-separated word of [p, *e): returned, *e moved before it
 * (and its blanks). */
static struct dpkg_text last_word(const char *p, const char **e)
{
	const char *w = *e, *we;

	while (w > p && is_blank(w[-1]))
		w--;
	we = w;
	while (w > p && !is_blank(w[-1]))
		w--;
	*e = w;
	return (struct dpkg_text){ .p = w, .len = (size_t)(we - w) };
}

int dpkg_conffile_next(const char **pp, const char *end, struct dpkg_conffile *out)
{
	const char *p = *pp, *e;
	struct dpkg_text line, w;

	memset(out, 0, sizeof(*out));
	do {
		if (p >= end) {
			*pp = end;
			return 0;
		}
		e = line_end(p, end);
		line = trim(p, e);
		p = next_line(p, end);
	} while (!line.len);
	*pp = p;
	/* from the end: flags, then the md5sum, then the path (which may
	 * hold blanks) */
	e = line.p + line.len;
	for (;;) {
		const char *before = e;

		w = last_word(line.p, &e);
		if (text_is(&w, "obsolete")) {
			out->obsolete = true;
		} else if (!text_is(&w, "remove-on-upgrade")) {
			e = before;
			break;
		}
	}
	w = last_word(line.p, &e);
	out->has_md5 = dpkg_md5_parse(w.p, w.len, out->md5);
	out->path = trim(line.p, e);
	if (!out->path.len || out->path.p[0] != '/')
		return -EINVAL;
	return 1;
}

int dpkg_md5sums_next(const char **pp, const char *end, struct dpkg_sum *out)
{
	const char *p = *pp, *e, *s;

	memset(out, 0, sizeof(*out));
	while (p < end && *p == '\n')
		p++;
	if (p >= end) {
		*pp = end;
		return 0;
	}
	e = line_end(p, end);
	*pp = next_line(p, end);
	if (e - p < 2 * DPKG_MD5_LEN + 2 || !dpkg_md5_parse(p, 2 * DPKG_MD5_LEN, out->md5) ||
	    !is_blank(p[2 * DPKG_MD5_LEN]))
		return -EINVAL;
	/* md5sum's separator: two blanks, or a blank and '*' (binary) */
	s = p + 2 * DPKG_MD5_LEN + 1;
	if (s < e && (*s == ' ' || *s == '*'))
		s++;
	while (e > s && e[-1] == '\r')
		e--;
	if (s >= e)
		return -EINVAL;
	out->path = (struct dpkg_text){ .p = s, .len = (size_t)(e - s) };
	return 1;
}

int dpkg_list_next(const char **pp, const char *end, struct dpkg_text *out)
{
	const char *p = *pp, *e;

	for (;;) {
		if (p >= end) {
			*pp = end;
			return 0;
		}
		e = line_end(p, end);
		*out = (struct dpkg_text){ .p = p, .len = (size_t)(e - p) };
		p = next_line(p, end);
		if (out->len) {
			*pp = p;
			return 1;
		}
	}
}

int dpkg_diversion_next(const char **pp, const char *end, struct dpkg_diversion *out)
{
	struct dpkg_text *part[] = { &out->from, &out->to, &out->by };
	const char *p = *pp;
	size_t i;

	memset(out, 0, sizeof(*out));
	while (p < end && *p == '\n')
		p++;
	if (p >= end) {
		*pp = end;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(part); i++) {
		if (p >= end) {
			*pp = end;
			return -EINVAL;
		}
		*part[i] = trim(p, line_end(p, end));
		p = next_line(p, end);
	}
	*pp = p;
	return out->from.len && out->to.len && out->by.len ? 1 : -EINVAL;
}

/* The top directories merged /usr makes links, by their DPKG_ALIAS_ bit. */
static const char *const alias_dirs[] = {
	"bin", "sbin", "lib", "lib32", "lib64", "libx32", "libo32",
};

unsigned int dpkg_aliases_detect(int rootfd)
{
	char target[64], want[64];
	unsigned int a = 0;
	size_t i;
	ssize_t n;

	for (i = 0; i < ARRAY_SIZE(alias_dirs); i++) {
		n = readlinkat(rootfd, alias_dirs[i], target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		snprintf(want, sizeof(want), "usr/%s", alias_dirs[i]);
		if (!strcmp(target, want) || (target[0] == '/' && !strcmp(target + 1, want)))
			a |= 1U << i;
	}
	return a;
}

int dpkg_canon(unsigned int aliases, const char *path, size_t len, char *out,
	       size_t size)
{
	const char *slash;
	size_t i, n, top;

	while (len >= 2 && path[0] == '.' && path[1] == '/') {
		path += 2;
		len -= 2;
	}
	while (len && path[0] == '/') {
		path++;
		len--;
	}
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (!len || memchr(path, '\0', len))
		return -EINVAL;
	slash = memchr(path, '/', len);
	top = slash ? (size_t)(slash - path) : len;
	n = 0;
	for (i = 0; i < ARRAY_SIZE(alias_dirs); i++)
		if ((aliases & (1U << i)) && strlen(alias_dirs[i]) == top &&
		    !memcmp(path, alias_dirs[i], top)) {
			n = 4;		/* "/usr" */
			break;
		}
	if (n + 1 + len + 1 > size)
		return -ENAMETOOLONG;
	memcpy(out, "/usr", n);
	out[n++] = '/';
	memcpy(out + n, path, len);
	n += len;
	out[n] = '\0';
	return (int)n;
}

uint64_t dpkg_path_hash(const char *path, size_t len)
{
	return hash64(path, len);
}
