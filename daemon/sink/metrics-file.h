/* SPDX-License-Identifier: GPL-2.0-or-later */
/* metrics-file.h: write the metrics text to its file atomically, for node_exporter's textfile collector. */
#ifndef TRACE_EXECD_METRICS_FILE_H
#define TRACE_EXECD_METRICS_FILE_H

#include <stddef.h>

/*
 * Replace the file at path with the len bytes of text, atomically: they
 * are written to "path.tmp" beside it (mode 0644, whatever the umask),
 * which is then renamed over path, so a reader sees the old file or the
 * new one, never a part. 0 or a negative errno (the temporary file is
 * removed then).
 */
int metrics_file_write(const char *path, const char *text, size_t len);

#endif
