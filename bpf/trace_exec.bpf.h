/* SPDX-License-Identifier: GPL-2.0-or-later */
/* trace_exec.bpf.h: what the units of the BPF program share (trace_exec.bpf.c, kill-rules.bpf.c, folds.bpf.c): the maps one defines and others use, the state of an exec in progress, a few readers of the task. */
#ifndef TE_TRACE_EXEC_BPF_H
#define TE_TRACE_EXEC_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "trace_exec.h"

#define PATHS_REGION		(TE_PATH_BUF * TE_PATH_NR)
#define SIGKILL_NR		9

/* Load-time settings the kill rules read too (trace_exec.bpf.c). */
extern const volatile __u32 args_max;
extern const volatile bool collect_paths;

/* Exec in progress: what sys_enter saw, kept for a failed exec. */
struct pending {
	const char *filename;
	const char *const *argv;
	struct mm_struct *mm;	/* the caller's memory, where both point */
	__u32 at_dirfd;		/* execveat with a directory fd */
};

/* Event assembly area: TE_SCRATCH_DEPTH slots per CPU, sized at load
 * (defined in trace_exec.bpf.c, read by the kill rules). */
struct scratch_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct te_event) + PATHS_REGION + TE_ARGS_DEFAULT + TE_CHUNK);
};
extern struct scratch_map scratch SEC(".maps");

/* The loss counters, TE_LOST_* (defined in trace_exec.bpf.c). */
struct counters_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, TE_COUNTER_NR);
	__type(key, __u32);
	__type(value, __u64);
};
extern struct counters_map counters SEC(".maps");

/* The ring buffer of events, sized at load (defined in trace_exec.bpf.c;
 * the failed-exec budget reads how full it is). */
struct events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
};
extern struct events_map events SEC(".maps");

/* What a bpf_loop callback gets: the slot whose walk state to use. */
struct loop_ctx {
	__u32 slot;
};

/* Count one loss of kind which (TE_LOST_*). */
static __always_inline void count(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &which);

	if (v)
		__sync_fetch_and_add(v, 1);
}

/* Older layouts: the unique id of a mount namespace was its seq. */
struct mnt_namespace___seq {
	__u64 seq;
} __attribute__((preserve_access_index));

/* The id of the task's mount namespace that is never reused (ns_id, or
 * seq before 6.x), 0 when the kernel has neither. */
static __always_inline __u64 mntns_id(struct task_struct *task)
{
	struct mnt_namespace *mnt = task->nsproxy->mnt_ns;

	if (bpf_core_field_exists(mnt->ns.ns_id))
		return BPF_CORE_READ(mnt, ns.ns_id);
	if (bpf_core_field_exists(((struct mnt_namespace___seq *)0)->seq))
		return BPF_CORE_READ((struct mnt_namespace___seq *)mnt, seq);
	return 0;
}

#endif
