/* SPDX-License-Identifier: GPL-2.0-or-later */
/* timespec.h: the times trace-exec's history takes, in journalctl's syntax (--since, --until). */
#ifndef TRACE_EXECD_TIMESPEC_H
#define TRACE_EXECD_TIMESPEC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Parse a time as journalctl --since takes it, into microseconds since the
 * epoch: "2026-11-30 14:05[:07[.123456]]" (also with a "T"), "2026-11-30"
 * (midnight), "14:05[:07]" (today), each in local time unless it ends in
 * " UTC" or "Z"; "now", "today", "yesterday", "tomorrow"; "@SECONDS[.FRAC]";
 * a span before or after now: "-1h", "+30min", "1h 30min ago" (units us,
 * ms, s, min, h, d, w, M, y and their long forms, as systemd.time(7)).
 * now_usec is the time "now" means. 0, or -EINVAL (-ERANGE) for a text
 * that is none of these.
 */
int hist_parse_time(const char *s, uint64_t now_usec, uint64_t *out);

/* Parse a span ("1h 30min", "90s", "2d"): 0 or -EINVAL. */
int hist_parse_span(const char *s, uint64_t *out);

/* Room for hist_format_time()'s text. */
#define HIST_TIME_LEN 32
/* usec since the epoch as local "YYYY-MM-DD HH:MM:SS.mmm" (with ms) or
 * without the fraction; returns buf. */
const char *hist_format_time(char buf[HIST_TIME_LEN], uint64_t usec, bool ms);

#endif
