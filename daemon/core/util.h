/* SPDX-License-Identifier: GPL-2.0-or-later */
/* util.h: small helpers of every module: clocks, parsing, a hash, errno names, bounded file reads. */
#ifndef TRACE_EXECD_UTIL_H
#define TRACE_EXECD_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/strbuf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Time of a clock (CLOCK_MONOTONIC, CLOCK_REALTIME...) in ns and in us. */
int64_t clock_nsec(clockid_t id);
uint64_t clock_usec(clockid_t id);

/* Parse a boolean word (true/false/yes/no/1/0/on/off); -EINVAL if none. */
int parse_bool(const char *s);
/* Parse an unsigned 32-bit decimal number; -EINVAL or -ERANGE. */
int parse_u32(const char *s, uint32_t *out);

/* 64-bit FNV-1a hash of len bytes (an identity or a checksum, not a
 * defence against forgery). */
uint64_t hash64(const void *p, size_t len);

/* Room for any errno name, or "E<number>". */
#define ERRNO_NAME_LEN 32
/* The symbolic name of a positive errno ("ENOENT"), or "E<number>" in buf. */
const char *errno_name(int err, char buf[ERRNO_NAME_LEN]);
/* The positive errno of a symbolic name, any case, aliases too
 * ("enoent", "EWOULDBLOCK"); -1 if none. */
int errno_from_name(const char *s);

/*
 * Read all of fd, a regular file of at most max bytes, into sb (reset
 * first; NUL-terminated). Returns 0, -EINVAL when fd is not a regular file
 * (a FIFO or device is never read), -EFBIG when it is or grows larger than
 * max, -ENOMEM, or the negative errno of fstat()/read().
 */
int read_fd_bounded(int fd, size_t max, struct strbuf *sb);
/* The same for path relative to dirfd, opened O_NONBLOCK (a FIFO does not
 * block the open); returns the negative errno of openat() too. */
int read_file_bounded(int dirfd, const char *path, size_t max, struct strbuf *sb);

#endif
