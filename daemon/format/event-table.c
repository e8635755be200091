/* event-table.c: an exec event as a row of trace-exec's live table. */
#include <stdio.h>

#include "core/util.h"
#include "format/event-table.h"

int event_table_init(struct table *t, bool paths, bool k8s, int term_width)
{
	size_t n = paths ? TCOL_NR : TCOL_NR_BASE;

	if (k8s)
		return table_layout(t, table_k8s_cols, n - 1 + TCOL_K8S_NR,
				    term_width);
	return table_layout(t, table_exec_cols, n, term_width);
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

int event_table_row(struct strbuf *out, const struct table *t,
		    const struct exec_event *ev)
{
	char pid[16], tid[16], ppid[16], err[ERRNO_NAME_LEN];
	/* room before RUNTIME.CONTAINERNAME for the K8S.* cells */
	const char *row[TCOL_K8S_NR - 1 + TCOL_NR], **cells = row + TCOL_K8S_NR - 1;
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
	cells[TCOL_CONTAINER] = ev->container ? ev->container->name : NULL;
	cells[TCOL_COMM] = ev->comm;
	cells[TCOL_PID] = pid;
	cells[TCOL_TID] = tid;
	cells[TCOL_PCOMM] = ev->pcomm;
	cells[TCOL_PPID] = ppid;
	cells[TCOL_ARGS] = args.p;
	cells[TCOL_ERROR] = ev->failed ? errno_name(ev->error, err) : "";
	cells[TCOL_USER] = ev->user;
	cells[TCOL_LOGINUSER] = ev->loginuser;
	cells[TCOL_GROUP] = ev->group;
	cells[TCOL_CWD] = EXEC_CWD(ev);
	cells[TCOL_FILE] = EXEC_FILE(ev);
	cells[TCOL_EXEPATH] = EXEC_EXE(ev);
	r = table_row(out, t, t->cols == table_k8s_cols ? k8s_cells(cells, ev) : cells);
out:
	sb_free(&args);
	return r;
}
