/* SPDX-License-Identifier: GPL-2.0-or-later */
/* file-id.h: a file's identity in the kernel's terms (device, inode, size, times) and whether an open file is the version an exec ran. */
#ifndef TRACE_EXECD_FILE_ID_H
#define TRACE_EXECD_FILE_ID_H

#include <stdbool.h>
#include <sys/stat.h>

#include "core/event.h"

#define OVERLAYFS_MAGIC	0x794c7630U

/* The identity of a file from its stat. */
void file_id_of(const struct stat *st, struct exec_file_id *id);
/*
 * True when fd is the regular file version id names: device, inode, size,
 * mtime, and with strict its ctime too. Not strict for a file known to be
 * the very one by other means (the kernel keeps a running executable from
 * being written; unlinking it or a chmod moves its ctime). overlay: the
 * kernel found it on an overlayfs, which reports a lower layer's file
 * with a device number of its own: fd must be on an overlayfs, its
 * device is not compared.
 */
bool file_id_same(int fd, const struct exec_file_id *id, bool strict, bool overlay);

#endif
