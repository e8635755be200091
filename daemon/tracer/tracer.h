/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tracer.h: load, configure, attach and read the BPF exec tracer, or take over one that runs from the file descriptors a store kept. */
#ifndef TRACE_EXECD_TRACER_H
#define TRACE_EXECD_TRACER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_exec.h"

struct tracer;

/* Settings fixed at load time, then those that can change at run time. */
struct tracer_opts {
	uint32_t args_max;	/* argument bytes per event */
	uint32_t ringbuf_size;	/* bytes, a power of two */
	uint32_t pending_max;	/* in-flight execs tracked */
	bool paths;		/* collect cwd/file/exe/parent exe */
	uint32_t fail_budget_uid;	/* ring bytes a second failed execs of
					 * a uid may take, the rest folded;
					 * 0: no limit */
	uint32_t fail_budget_cgroup;	/* and of a cgroup */
	bool keep_attached;	/* attach the failed-exec programs even while
				 * ignoring failed execs, so that a reload can
				 * switch them on without privileges */
	/* run-time */
	bool ignore_failed;
	bool uid_filter;
	uint32_t uid;
};

/* Called for each record; return 0 to go on, or TRACER_PAUSE to end this
 * read after the record (the rest waits in the ring for the next one). */
typedef int (*tracer_event_fn)(void *ctx, const void *data, size_t size);
#define TRACER_PAUSE (-EAGAIN)

void tracer_opts_defaults(struct tracer_opts *o);
/* Route libbpf's messages through our logger (debug ones only if verbose). */
void tracer_setup_logging(bool verbose);
/* Open, configure, load and attach; returns 0 or negative errno (logged). */
int tracer_open(struct tracer **out, const struct tracer_opts *o,
		tracer_event_fn fn, void *ctx);
/* tracer_open() in two steps: nothing runs in the kernel before
 * tracer_attach(). Both return 0 or negative errno (logged). */
int tracer_load(struct tracer **out, const struct tracer_opts *o,
		tracer_event_fn fn, void *ctx);
int tracer_attach(struct tracer *t, const struct tracer_opts *o);
/* Apply the run-time settings of o; returns 0 or negative errno (logged). */
int tracer_update(struct tracer *t, const struct tracer_opts *o);
/* Whether the programs send records (a tracer is on once loaded); one
 * attached while off is silent until it is turned on. */
void tracer_set_on(struct tracer *t, bool on);

/*
 * A tracer's kernel objects (six links, eight maps) outlive its process
 * while a store (systemd's file descriptor store) holds their fds, under
 * names "te-ID-ROLE": ID, 16 hex digits, identifies the BPF object built
 * into the program (a hash of its ELF bytes), so that another build's
 * objects are told apart.
 */
#define TRACER_OBJECTS 14
#define TRACER_NAME_MAX 40
#define TRACER_ID_LEN 17
struct named_fd {
	char name[TRACER_NAME_MAX];
	int fd;
};
/* This program's object identity. */
const char *tracer_object_id(void);
/* The tracer's objects, named, for a store to keep (the fds stay the
 * tracer's); returns how many (TRACER_OBJECTS once attached). */
size_t tracer_objects(struct tracer *t, struct named_fd out[TRACER_OBJECTS]);
/* A store holds the links now: closing the tracer must not detach or
 * disable its programs. */
void tracer_keep_links(struct tracer *t);
/*
 * Switch over from a tracer left running (another build's, or an
 * incomplete set): ours is turned on and, right after, that one off
 * through its control map (fds[], taken), the one word every build keeps
 * at the same place. An exec in the instant between the two writes may be
 * recorded by both. Returns 1, or 0 when fds[] has no such switch (a
 * build before it: ours is left as it is).
 */
int tracer_switch_over(struct tracer *t, struct named_fd *fds, size_t n);
/* True for the name of a link of any tracer; of any object of ours. */
bool tracer_name_is_link(const char *name);
bool tracer_name_is_ours(const char *name);
/*
 * Take over the tracer that fds[] holds when it holds all of this
 * program's objects: nothing is loaded or attached, the records waiting in
 * its ring are read first. The run-time settings of o are applied, its
 * load-time ones set to those the tracer runs with. The fds taken are set
 * to -1 in fds[]. Returns 0, -ENOENT when fds[] has no complete set of
 * this object (nothing taken), or another negative errno (logged).
 */
int tracer_adopt(struct tracer **out, struct tracer_opts *o,
		 struct named_fd *fds, size_t n, tracer_event_fn fn, void *ctx);
/* A tracer whose programs no longer run, as tracer_take_ring() found it. */
struct tracer_prev {
	char id[TRACER_ID_LEN];		/* its object identity */
	bool counted;			/* its counters map was there */
	uint64_t counts[TE_COUNTER_NR];	/* their sums */
};
/*
 * Read first what the ring of a tracer whose programs no longer run holds
 * (another build's, or an incomplete set): its events, counters and
 * folds fds are taken from fds[] (set to -1), its ring is read to its end
 * before ours, its kernel-side loss counts are given in prev, its folds
 * by the first tracer_take_folds() after its ring. Returns 1 when
 * there was one, 0 when none, or negative errno (logged).
 */
int tracer_take_ring(struct tracer *t, struct named_fd *fds, size_t n,
		     struct tracer_prev *prev);
/* True while that ring is not read to its end. */
bool tracer_reading_previous(const struct tracer *t);

/*
 * The kernel's kill rules (kill-rules.c, bpf/kill-rules.bpf.c): two rule set
 * slots, one in use. tracer_rules_stage() copies set into the slot not in
 * use and returns it; tracer_container_put() sets the container bits of a
 * slot; tracer_rules_use() switches to a slot at once (an exec is judged
 * by the one set it found in use).
 */
uint32_t tracer_rules_stage(struct tracer *t, const struct te_kset *set);
void tracer_rules_use(struct tracer *t, uint32_t slot);
/* The generation of the rule set in use (0: none). */
uint32_t tracer_rules_gen(const struct tracer *t);
/* The highest rule set generation the kernel's tables hold (a daemon
 * that took them over numbers its rule sets above it). */
uint32_t tracer_rules_max_gen(const struct tracer *t);
/* A verified container's mount namespace (id and inode) and its bits for
 * a slot, computed for rule set generation gen; 0, or -ENOSPC when its
 * slots in the table are taken. */
int tracer_container_put(struct tracer *t, uint64_t mntns, uint64_t ino,
			 uint32_t slot, uint32_t gen, uint64_t bits);
/* Whether the kernel's table has mntns with bits for slot's rule set of
 * generation gen. */
bool tracer_container_current(const struct tracer *t, uint64_t mntns,
			      uint32_t slot, uint32_t gen);
/* Free the containers whose namespace (id, inode) keep() says is gone
 * (the kernel then treats their namespaces as unknown); returns how many. */
size_t tracer_containers_sweep(struct tracer *t,
			       bool (*keep)(uint64_t id, uint64_t ino, void *arg),
			       void *arg);
/* The containers the kernel's table holds. */
size_t tracer_containers_count(const struct tracer *t);

/* The mount namespace id of the verified container in slot i of the
 * kernel's table (as a fold by uid names it), 0 when none is there. */
uint64_t tracer_container_at(const struct tracer *t, int i);

/* File descriptor to poll for readable events. */
int tracer_fd(struct tracer *t);
/* While events flow, the consumer reads the ring every TRACER_BATCH_MS
 * and the kernel sends them without a wakeup each; once it finds the ring
 * empty it sleeps until the kernel wakes it for the next event. Each read
 * wakes the daemon and then journald (one sendmmsg for what it read): at
 * 100 ms rather than 20 both used about a third less CPU per event in
 * this VM, for entries at most 0.1 s later. */
#define TRACER_BATCH_MS 100
/* Wait up to timeout_ms (-1: no limit) for records; 0 or -errno. */
int tracer_wait(struct tracer *t, int timeout_ms);
/* Consume what is there without waiting; returns records read or -errno. */
int tracer_consume(struct tracer *t);
/* Consume, then choose how to wait: poll again (busy) or ask the kernel
 * for a wakeup (idle); returns records read (at least 1 when the callback
 * paused the read) or -errno. */
int tracer_drain(struct tracer *t);
/* How long the caller's event loop may sleep: 0 when a read was paused
 * with records left, TRACER_BATCH_MS while busy, -1 (until the ring's fd
 * is readable) when idle. */
int tracer_wait_ms(struct tracer *t);

/*
 * A record read stays in the ring, and is read again by the next reader
 * (the next daemon after a kill -9), until its space is given back. The
 * caller marks what it builds from a record with tracer_mark() (taken in
 * the callback) and tells tracer_handover() when that went on; records
 * read more than an eighth of the ring ago are given back anyway, so that
 * the kernel keeps room for new ones.
 */
uint64_t tracer_mark(const struct tracer *t);
/* What was built from the records before mark is about to be handed on
 * (sent false: if the process dies now, the next one takes it as handed
 * on) or was (sent true; mark 0: nothing was). */
void tracer_handover(struct tracer *t, uint64_t mark, bool sent);
/* Nothing waits for the records read so far: give their space back. */
void tracer_release_read(struct tracer *t);

/*
 * The failed execs the kernel folded past a budget (te_fold) in windows
 * that are over (all: every window, as when the programs stop): each is
 * given to fn and removed from the kernel's table. Returns how many were
 * given, or negative errno (logged).
 */
typedef void (*tracer_fold_fn)(void *ctx, const struct te_fold_key *k,
			       const struct te_fold *f);
int tracer_take_folds(struct tracer *t, bool all, tracer_fold_fn fn, void *ctx);

/* Sum the kernel-side counters over all CPUs, plus the base. */
int tracer_counters(struct tracer *t, uint64_t out[TE_COUNTER_NR]);
/* What the counters start from (counts of earlier tracers). */
void tracer_counter_base(const struct tracer *t, uint64_t base[TE_COUNTER_NR]);
void tracer_set_counter_base(struct tracer *t, const uint64_t base[TE_COUNTER_NR]);
/* True when the tracer was taken over with tracer_adopt(). */
bool tracer_adopted(const struct tracer *t);
/* Detach (unless kept) and free everything. */
void tracer_close(struct tracer *t);

#endif
