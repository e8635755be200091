/* SPDX-License-Identifier: GPL-2.0-or-later */
/* event-table.h: an exec event as a row of trace-exec's live table. */
#ifndef TRACE_EXECD_EVENT_TABLE_H
#define TRACE_EXECD_EVENT_TABLE_H

#include <stdbool.h>

#include "core/event.h"
#include "core/strbuf.h"
#include "format/table.h"

/* Lay out trace-exec's columns (the path columns with paths, the K8S.*
 * columns in place of the container's with k8s, then the lineage columns
 * EXEC_ID and PARENT_ID with lineage) for a terminal of term_width columns
 * (see table_layout()); 0 or -EINVAL. */
int event_table_init(struct table *t, bool paths, bool lineage, bool k8s,
		     int term_width);
/* The same with a HOST column first (ev->host: entries read back from a
 * journal, a collector's); 0 or -EINVAL. */
int event_table_init_host(struct table *t, bool paths, bool lineage, bool k8s,
			  bool host, int term_width);
/* Append the event's row; 0 or -ENOMEM. */
int event_table_row(struct strbuf *out, const struct table *t,
		    const struct exec_event *ev);

#endif
