/* SPDX-License-Identifier: GPL-2.0-or-later */
/* match-compiled.h: the compiled form of a match (config/match-compile.c builds, match.c tests). */
#ifndef TRACE_EXECD_MATCH_COMPILED_H
#define TRACE_EXECD_MATCH_COMPILED_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOGINUID_UNSET	4294967295U

/* The keys of a match map, in the order of their names in config/match-compile.c. */
enum mkey {
	MK_COMM, MK_PARENT_COMM, MK_EXE, MK_FILE, MK_CWD, MK_PARENT_EXE,
	MK_ARGS, MK_ARGS_REGEX,
	MK_UID, MK_USER, MK_GID, MK_GROUP, MK_LOGINUID, MK_LOGINUSER,
	MK_TTY, MK_FAILED, MK_ERROR,
	MK_UPPER, MK_PARENT_UPPER, MK_FILE_UPPER,
	MK_PATH_CUT, MK_PATH_UNREACHABLE,
	MK_CONTAINER, MK_CONTAINER_NAME, MK_IMAGE, MK_K8S_NS, MK_K8S_POD,
	MK_CONTAINER_UNVERIFIED, MK_FILELESS, MK_LOADER,
	MK_SHA256, MK_SHA256_FILE,
	MK_PACKAGE, MK_PKG_VERIFIED, MK_FIRST_SEEN,
	MK_NOT, MK_ANY,
	MK_NR
};

/* Condition kinds, in the order a match tests them (cheapest first). */
enum ckind { CK_BOOL, CK_IDS, CK_ERRNO, CK_GLOB, CK_HASH, CK_NOT, CK_ANY,
	     CK_REGEX };

/* A SHA-256 in lower-case hex, NUL-terminated (CK_HASH). */
typedef char match_sha256[65];

/* How a glob is tested: glob_classify() picks, glob_match() runs. */
enum gkind { G_ANY, G_EXACT, G_PREFIX, G_SUFFIX, G_INFIX, G_PRESUF, G_FN };

struct glob {
	enum gkind kind;
	char *pat;		/* literal part(s) or the fnmatch pattern */
	size_t len;		/* literal length (prefix part for G_PRESUF) */
	const char *suf;	/* G_PRESUF: suffix, inside pat */
	size_t suflen;
	/* For paths known in part (match-path.c): */
	char *whole;		/* the pattern as written */
	const char *tail;	/* in whole, from its first '*'; NULL: none */
	char *head;		/* whole up to its last '*' included; NULL: none */
};

/* One key of a match map and its values. */
struct cond {
	enum mkey key;
	enum ckind kind;
	bool b;			/* CK_BOOL value; CK_GLOB/CK_IDS: "unset" given */
	size_t n, cap;		/* values; room for them (ids, hashes, globs) */
	union {
		uint32_t *ids;		/* CK_IDS, CK_ERRNO */
		match_sha256 *hashes;	/* CK_HASH: sorted, unique */
		struct glob *globs;	/* CK_GLOB */
		regex_t *re;		/* CK_REGEX */
		struct match *sub;	/* CK_NOT */
		struct match **any;	/* CK_ANY */
	} u;
};

/* Conditions that must all hold, sorted by kind (cost). */
struct match {
	size_t n;
	struct cond c[];
};

#endif
