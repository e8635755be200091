/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tracer-priv.h: the tracer's state, shared by tracer.c (a tracer of our own) and adopt.c (one taken over from a store). */
#ifndef TRACE_EXECD_TRACER_PRIV_H
#define TRACE_EXECD_TRACER_PRIV_H

#include "trace_exec.h"
#include "trace_exec.skel.h"
#include "tracer/ring.h"
#include "tracer/tracer.h"

/* The objects of a tracer, in the order of their names. */
enum tracer_role {
	ROLE_EXEC,		/* links: sched_process_exec */
	ROLE_ENTER_EXECVE,	/* then the failed-exec programs */
	ROLE_ENTER_EXECVEAT,
	ROLE_EXIT_EXECVE,
	ROLE_EXIT_EXECVEAT,
	ROLE_EXIT,
	ROLE_LINKS,		/* maps: */
	ROLE_EVENTS = ROLE_LINKS,
	ROLE_COUNTERS,
	ROLE_DATA,
	ROLE_BSS,
	ROLE_RODATA,
	ROLE_PENDING,
	ROLE_CONTROL,		/* the switch another build turns */
	ROLE_FOLDS,		/* failed execs folded past their budget */
	ROLE_NR,
};

/* The ring of an earlier tracer, read to its end first, then ours. */
enum { RING_PREV, RING_OURS };

struct tracer {
	struct trace_exec_bpf *skel;	/* loaded here; NULL when adopted */
	struct bpf_link *links[ROLE_LINKS];	/* attached here */
	int fd[ROLE_NR];		/* every object; owned when adopted */
	int prev_folds;			/* an earlier tracer's folds map, or -1 */
	bool adopted;
	/* the global data: the skeleton's mappings, or ours of adopted maps */
	struct trace_exec_bpf__data *data;
	struct trace_exec_bpf__bss *bss;
	struct trace_exec_bpf__data_control *control;
	size_t data_len, bss_len, control_len;
	struct ring ring[2];
	int cur;			/* the ring being read */
	int epfd;			/* our ring's fd, edge-triggered */
	tracer_event_fn fn;
	void *ctx;
	uint64_t counter_base[TE_COUNTER_NR];
	bool keep_attached;
	bool keep_links;		/* a store holds the links */
	bool busy;		/* events came lately: poll, no wakeups */
	bool paused;		/* the last read stopped with records left */
	int ncpus;
};

/* A tracer with nothing in it yet; NULL when out of memory or the CPUs
 * could not be counted (logged). */
struct tracer *tracer_new(tracer_event_fn fn, void *ctx);
/* Map our ring (the events map, of size bytes) and watch its fd. */
int tracer_start_reading(struct tracer *t, size_t size);
/* Add the per-CPU sums of the counters map fd to out[] (a map of an
 * earlier build with fewer counters adds what it has); 0 or -errno. */
int tracer_sum_counters(const struct tracer *t, int fd,
			uint64_t out[TE_COUNTER_NR]);

#endif
