/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hash.h: SHA-256 of the file an exec ran (EXEC_SHA256), computed once per file version by a worker thread, waited for a bounded time. */
#ifndef TRACE_EXECD_HASH_H
#define TRACE_EXECD_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/event.h"

struct hasher;
struct pkgcheck;

struct hash_opts {
	uint64_t wait_usec;	/* longest an event waits for its hash */
	uint64_t max_size;	/* larger files are not hashed */
	uint32_t cache_entries;	/* file versions remembered (HASH_CACHE_MIN..MAX) */
};

/* Smallest and largest number of file versions the cache holds. */
#define HASH_CACHE_MIN		128
#define HASH_CACHE_MAX		(1U << 20)

/* Jobs queued for the worker at most; more get "queue-full". */
#define HASH_QUEUE	64

/*
 * Why an event has no EXEC_SHA256 (EXEC_SHA256_UNAVAILABLE). Each is a
 * static string; events point at them.
 */
#define HASH_R_GONE		"gone"		/* no way left to the file */
#define HASH_R_MISMATCH		"mismatch"	/* the file found is not the one that ran */
#define HASH_R_CHANGED		"changed"	/* the file changed while it was hashed */
#define HASH_R_TOO_LARGE	"too-large"	/* over hash_max_size */
#define HASH_R_TIMEOUT		"timeout"	/* not ready within hash_wait */
#define HASH_R_QUEUE_FULL	"queue-full"	/* HASH_QUEUE files waiting */
#define HASH_R_UNREADABLE	"unreadable"	/* open or read failed */
#define HASH_R_NO_PATH		"no-path"	/* a script's path was not collected */
#define HASH_R_UNIDENTIFIED	"unidentified"	/* the kernel did not identify the
						 * script's file: nothing to check
						 * one found by its path against */
#define HASH_R_NOT_LOCAL	"not-local"	/* on FUSE or a network file system,
						 * whose open may hang */
#define HASH_R_DENIED		"denied"	/* /proc/PID/exe of another user's
						 * process, and no path to the file */

/* The defaults of trace-execd.yaml(5): 200 ms, 256 MiB, 8192 entries. */
void hash_opts_defaults(struct hash_opts *o);
/* Start a hasher and its worker thread; 0 or negative errno (logged). */
int hasher_new(struct hasher **out, const struct hash_opts *o);
/* New wait and size limits (the cache keeps its size). */
void hasher_set_opts(struct hasher *h, const struct hash_opts *o);
/* Stop the worker and free everything (NULL: nothing). */
void hasher_free(struct hasher *h);
/*
 * Fill ev->sha256 (the exec'd file: the script for a script), ev->exe_sha256
 * (a script's interpreter) or ev->sha256_unavailable, waiting at most
 * wait_usec for it, and no more than wait_usec in all in any second. A file is found through the process while it lives
 * (/proc/PID/exe, /proc/PID/root), else under its confirmed container's
 * root file system (ev->container->rootfs), else on the host when the
 * process ran in our mount namespace or PID 1's (through /proc/1/root). A failed exec gets nothing.
 */
void hash_event(struct hasher *h, struct exec_event *ev);
/* Judge the exec'd file's package with pc (enrich/pkgcheck.h; not owned,
 * NULL: none) from now on: its MD5 is read with its SHA-256 when a package
 * owns its path. */
void hasher_set_pkgcheck(struct hasher *h, struct pkgcheck *pc);
/* Counts since the start: digests computed, cache hits, misses. */
struct hash_stats {
	uint64_t computed, hits, misses;
};
void hasher_stats(struct hasher *h, struct hash_stats *out);

#endif
