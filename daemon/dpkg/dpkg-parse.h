/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dpkg-parse.h: the files of dpkg's database as text: status paragraphs and their conffiles, md5sums and list lines, diversions; paths in one canonical form (merged /usr). */
#ifndef TRACE_EXECD_DPKG_PARSE_H
#define TRACE_EXECD_DPKG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DPKG_MD5_LEN	16

/* Bytes of a text, not NUL-terminated; p is NULL when absent. */
struct dpkg_text {
	const char *p;
	size_t len;
};

/* The fields of one status paragraph that the index needs. */
struct dpkg_para {
	struct dpkg_text package, arch, version, status, multi_arch, conffiles;
};

/*
 * The next paragraph of a status file from *p (before end): 1 with out
 * filled (fields it lacks have p NULL), 0 at the end. Field names are
 * matched in any case; a value is the rest of its line, and a multi-line
 * value (Conffiles) its continuation lines too. *p moves past it.
 */
int dpkg_status_next(const char **p, const char *end, struct dpkg_para *out);

/* What a paragraph's Status field says is on disk. */
enum dpkg_on_disk {
	DPKG_DISK_NONE,		/* not-installed, or no Status */
	DPKG_DISK_CONFFILES,	/* config-files: its conffiles only */
	DPKG_DISK_FILES,	/* installed, unpacked, half-configured,
				 * half-installed, triggers-awaited/pending */
};
enum dpkg_on_disk dpkg_status_on_disk(const struct dpkg_text *status);

/* One line of a Conffiles value: " /etc/x 0123...ef [obsolete]". */
struct dpkg_conffile {
	struct dpkg_text path;
	bool has_md5;			/* false: "newconffile" or malformed */
	unsigned char md5[DPKG_MD5_LEN];
	bool obsolete;			/* no longer shipped, still the package's */
};
/* The next conffile of a Conffiles value from *p: 1, 0 at the end,
 * -EINVAL for a line that names no path (skipped). */
int dpkg_conffile_next(const char **p, const char *end, struct dpkg_conffile *out);

/* One line of an md5sums file: "<32 hex>  <path>". */
struct dpkg_sum {
	struct dpkg_text path;		/* as written: relative to the root */
	unsigned char md5[DPKG_MD5_LEN];
};
/* The next line: 1, 0 at the end, -EINVAL for a malformed line (skipped:
 * *p moves past it too). */
int dpkg_md5sums_next(const char **p, const char *end, struct dpkg_sum *out);

/* The next line of a list file (a path), empty lines skipped: 1, 0 at
 * the end. */
int dpkg_list_next(const char **p, const char *end, struct dpkg_text *out);

/* One diversion: the path `from` of every package but `by` is installed
 * as `to`; by is ":" for a local one (the administrator's). */
struct dpkg_diversion {
	struct dpkg_text from, to, by;
};
/* The next three lines of the diversions file: 1, 0 at the end, -EINVAL
 * when the file ends within a diversion. */
int dpkg_diversion_next(const char **p, const char *end, struct dpkg_diversion *out);

/* 32 hex digits (any case) into md5; false when they are not. */
bool dpkg_md5_parse(const char *hex, size_t len, unsigned char md5[DPKG_MD5_LEN]);

/*
 * Merged /usr: the top directories of a root that are symbolic links to
 * their /usr counterparts (Debian 12: /bin -> usr/bin, /lib -> usr/lib,
 * ...), so that dpkg's /bin/true is the file at /usr/bin/true, the only
 * path the kernel walks to it.
 */
enum {
	DPKG_ALIAS_BIN = 1, DPKG_ALIAS_SBIN = 2, DPKG_ALIAS_LIB = 4,
	DPKG_ALIAS_LIB32 = 8, DPKG_ALIAS_LIB64 = 16, DPKG_ALIAS_LIBX32 = 32,
	DPKG_ALIAS_LIBO32 = 64,
};
/* The aliases of the root directory rootfd (readlink of each). */
unsigned int dpkg_aliases_detect(int rootfd);

/* Longest canonical path kept, with its NUL. */
#define DPKG_PATH_MAX	4096

/*
 * The canonical form of a database path (with or without its leading
 * "/" or "./"): absolute, with a merged top directory of aliases written
 * as its /usr one. Its length in out (size bytes), or -ENAMETOOLONG,
 * -EINVAL for a NUL byte in it or an empty path.
 */
int dpkg_canon(unsigned int aliases, const char *path, size_t len, char *out,
	       size_t size);

/* The hash a canonical path is indexed by (hash64). */
uint64_t dpkg_path_hash(const char *path, size_t len);

#endif
