/* SPDX-License-Identifier: GPL-2.0-or-later */
/* first-seen.h: EXEC_FIRST_SEEN: whether a SHA-256 runs for the first time on this host, or in an image; remembered in a bounded file across restarts and reboots. */
#ifndef TRACE_EXECD_FIRST_SEEN_H
#define TRACE_EXECD_FIRST_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/event.h"

struct first_seen;

/* Smallest, default and largest number of sightings remembered. */
#define FIRST_SEEN_MIN		1024
#define FIRST_SEEN_DEFAULT	16384
#define FIRST_SEEN_MAX		(1U << 20)

/* The store's file: a 64-byte header, then one 32-byte record a sighting. */
#define FIRST_SEEN_HEADER	64
#define FIRST_SEEN_RECORD	32
/* Its size for a number of entries. */
#define FIRST_SEEN_FILE_SIZE(n)	(FIRST_SEEN_HEADER + (uint64_t)(n) * FIRST_SEEN_RECORD)

/*
 * A store of `entries` sightings (FIRST_SEEN_MIN..FIRST_SEEN_MAX) in the
 * file path (created 0600, its directory too when missing; a file of
 * another size is cut to the newest sightings that fit). The file is
 * locked: when another process holds it, or path is NULL, or it cannot be
 * used, the store lives in memory only (said once). 0, or -ENOMEM.
 */
int first_seen_open(struct first_seen **out, const char *path, uint32_t entries);
void first_seen_free(struct first_seen *fs);
/* Whether the sightings are kept in a file (not in memory only). */
bool first_seen_persistent(const struct first_seen *fs);
/* Sightings held, and the most it holds. */
size_t first_seen_count(const struct first_seen *fs);
size_t first_seen_capacity(const struct first_seen *fs);

/*
 * ev->first_seen for a successful exec with EXEC_SHA256: "host" the first
 * time that SHA-256 runs on this host (in a container or not), else
 * "image" the first time it runs in a container of that image (by its
 * id, else its name); NULL otherwise. Both are recorded. A sighting is
 * forgotten once `entries` newer ones were recorded while it did not run
 * again (oldest first; one that runs again is renewed once half the store
 * was written since it was recorded).
 */
void first_seen_event(struct first_seen *fs, struct exec_event *ev);

/* The key of a sighting (16 bytes): the SHA-256's first half on the
 * host, xor the first half of SHA-256("trace-execd image\0" IMAGE) for an
 * image. False when sha256 is not 64 hex digits. */
bool first_seen_key(const char *sha256, const char *image, unsigned char key[16]);

#endif
