/* SPDX-License-Identifier: GPL-2.0-or-later */
/* config-values.h: the value syntaxes of the configuration and the command line. */
#ifndef TRACE_EXECD_CONFIG_VALUES_H
#define TRACE_EXECD_CONFIG_VALUES_H

#include <stddef.h>
#include <stdint.h>

#define USEC_PER_SEC	1000000ULL

/* Each parser returns 0, or -EINVAL (not this syntax) or -ERANGE. */
/* "500ms", "10s", "5m", "1h", "250us", or plain seconds. */
int config_parse_duration(const char *s, uint64_t *usec);
/* Bytes, or with a K, M or G suffix (powers of 1024; "KiB" also taken). */
int config_parse_size(const char *s, uint64_t *bytes);
/* "emerg".."debug" (also "error", "warn") to 0..7; -EINVAL if unknown. */
int config_priority_from_name(const char *s);
/* "emerg".."debug" for 0..7, "?" otherwise. */
const char *config_priority_name(int prio);
/* "kern".."local7" to LOG_KERN..LOG_LOCAL7; -EINVAL if unknown. */
int config_facility_from_name(const char *s);
/* The facility names config_facility_from_name() takes, *n of them. */
const char *const *config_facility_names(size_t *n);

#endif
