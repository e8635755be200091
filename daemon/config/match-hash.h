/* SPDX-License-Identifier: GPL-2.0-or-later */
/* match-hash.h: compiling the `sha256:` and `sha256_file:` match keys into the lists of SHA-256 digests an event's EXEC_SHA256 is looked up in (policy/match.c). */
#ifndef TRACE_EXECD_MATCH_HASH_H
#define TRACE_EXECD_MATCH_HASH_H

#include "config/cfg-yaml.h"
#include "policy/match-compiled.h"

/* Largest sha256_file read, in bytes. */
#define MATCH_HASH_FILE_MAX	(64U << 20)

/*
 * Compile the value of a `sha256:` key (one digest or a list) or of a
 * `sha256_file:` key (an absolute path: one digest a line, the first word
 * of the line, so that sha256sum's output will do; blank lines and lines
 * starting with '#' are skipped) into cd. Errors are reported in c at
 * FILE:LINE:COL, of the hash file for its lines. 0 or -EINVAL / -ENOMEM.
 */
int match_hash_parse(struct cfg_ctx *c, struct cond *cd, yaml_node_t *v);

#endif
