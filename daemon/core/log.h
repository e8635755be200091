/* SPDX-License-Identifier: GPL-2.0-or-later */
/* log.h: the one logger of trace-exec and trace-execd (stderr, syslog levels). */
#ifndef TRACE_EXECD_LOG_H
#define TRACE_EXECD_LOG_H

#include <stdarg.h>
#include <syslog.h>

/* Messages above this level (LOG_DEBUG is highest) are not printed. */
void log_set_level(int level);
/* Prefix lines with "<N>" so journald reads the level (stderr to journal). */
void log_set_kmsg_prefix(int on);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_vmsg(int level, const char *fmt, va_list ap);

#define log_error(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
