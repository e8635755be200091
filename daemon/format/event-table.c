// SPDX-License-Identifier: GPL-2.0-or-later
/* event-table.c: an exec event as a row of trace-exec's live table. */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "format/event-table.h"

/* The HOST column of entries read back from a journal (a collector's). */
static const struct table_col host_col = { "HOST", 6, 12, false, false };

int event_table_init(struct table *t, bool paths, bool lineage, bool k8s,
		     int term_width)
{
	return event_table_init_host(t, paths, lineage, k8s, false, term_width);
}

int event_table_init_host(struct table *t, bool paths, bool lineage, bool k8s,
			  bool host, int term_width)
{
	size_t n = paths ? TCOL_NR : TCOL_NR_BASE, h = host;

	t->sel[0] = host_col;
	if (k8s) {
		n += TCOL_K8S_NR - 1;
		memcpy(t->sel + h, table_k8s_cols, n * sizeof(t->sel[0]));
	} else {
		memcpy(t->sel + h, table_exec_cols, n * sizeof(t->sel[0]));
	}
	n += h;
	if (lineage) {
		memcpy(t->sel + n, table_lineage_cols, sizeof(table_lineage_cols));
		n += TCOL_LINEAGE_NR;
	}
	t->lineage = lineage;
	t->k8s = k8s;
	t->host = host;
	return table_layout(t, t->sel, n, term_width);
}

/* The K8S.* cells of a --k8s row in place of the container's: the node's
 * name, and the pod's names ("" for a host process). */
static const char **k8s_cells(const char **cells, const struct exec_event *ev)
{
	static const char *const none = "";
	const struct container *c = ev->container;
	const char **k = cells - (TCOL_K8S_NR - 1);

	k[TCOL_K8S_NODE] = ev->k8s_node ? ev->k8s_node : none;
	k[TCOL_K8S_NAMESPACE] = c ? c->k8s_namespace : none;
	k[TCOL_K8S_PODNAME] = c ? c->k8s_pod : none;
	k[TCOL_K8S_CONTAINERNAME] = c ? c->k8s_container : none;
	return k;
}

/* The RUNTIME.CONTAINERNAME cell: the verified container's name, or for
 * a cgroup that names a container no runtime confirms, that claim. */
static const char *container_cell(const struct exec_event *ev, char *buf,
				  size_t size)
{
	if (ev->container)
		return ev->container->name;
	if (!ev->container_unverified)
		return NULL;
	snprintf(buf, size, "(unverified %.12s)", ev->container_unverified);
	return buf;
}

/* A path cell into sb: the path, and " (unreachable)" when the text is no
 * path the process can open (its walk ended outside its root). */
static const char *path_cell(struct strbuf *sb, const struct exec_path *p,
			     int *r)
{
	if (!p->s || !p->unreachable)
		return p->s;
	if (*r == 0)
		*r = sb_printf(sb, "%s (unreachable)", p->s);
	return *r == 0 ? sb->p : p->s;
}

int event_table_row(struct strbuf *out, const struct table *t,
		    const struct exec_event *ev)
{
	char pid[16], tid[16], ppid[16], err[ERRNO_NAME_LEN], ctr[32];
	struct strbuf paths[3] = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	/* room before RUNTIME.CONTAINERNAME for HOST and the K8S.* cells,
	 * and after the path columns for the lineage ones */
	const char *row[1 + TCOL_K8S_NR - 1 + TCOL_NR + TCOL_LINEAGE_NR];
	const char **cells = row + 1 + TCOL_K8S_NR - 1, **first = cells;
	size_t n = t->ncols - (t->lineage ? TCOL_LINEAGE_NR : 0);
	struct strbuf args = STRBUF_INIT;
	int r;

	snprintf(pid, sizeof(pid), "%u", ev->pid);
	snprintf(tid, sizeof(tid), "%u", ev->tid);
	snprintf(ppid, sizeof(ppid), "%u", ev->ppid);
	r = sb_puts(&args, ev->argv_str ? ev->argv_str : "");
	if (r == 0 && ev->args_truncated)
		r = sb_puts(&args, " \xe2\x80\xa6");
	if (r < 0)
		goto out;
	cells[TCOL_CONTAINER] = container_cell(ev, ctr, sizeof(ctr));
	cells[TCOL_COMM] = ev->comm;
	cells[TCOL_PID] = pid;
	cells[TCOL_TID] = tid;
	cells[TCOL_PCOMM] = ev->pcomm;
	cells[TCOL_PPID] = ppid;
	cells[TCOL_ARGS] = args.p;
	cells[TCOL_ERROR] = ev->failed ? errno_name(ev->error, err) :
			    ev->killed ? "KILLED" : "";
	cells[TCOL_USER] = ev->user;
	cells[TCOL_LOGINUSER] = ev->loginuser;
	cells[TCOL_GROUP] = ev->group;
	cells[TCOL_CWD] = path_cell(&paths[0], &ev->path[EXEC_PATH_CWD], &r);
	cells[TCOL_FILE] = path_cell(&paths[1], &ev->path[EXEC_PATH_FILE], &r);
	cells[TCOL_EXEPATH] = path_cell(&paths[2], &ev->path[EXEC_PATH_EXE], &r);
	if (r < 0)
		goto out;
	if (t->k8s)
		first = k8s_cells(cells, ev);
	if (t->host)
		*--first = ev->host;
	/* the lineage columns follow the ones shown */
	first[n + TCOL_EXEC_ID] = ev->exec_id;
	first[n + TCOL_PARENT_ID] = ev->parent_exec_id;
	r = table_row(out, t, first);
out:
	sb_free(&args);
	sb_free(&paths[0]);
	sb_free(&paths[1]);
	sb_free(&paths[2]);
	return r;
}
