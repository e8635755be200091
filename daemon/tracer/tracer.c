// SPDX-License-Identifier: GPL-2.0-or-later
/* tracer.c: load, configure, attach and read the BPF exec tracer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/tracer-priv.h"

#define TRACEFS "/sys/kernel/tracing"
/* Marks carry the ring they are positions of in their top bit. */
#define MARK_RING(m)	((int)((m) >> 63))
#define MARK_POS(m)	((m) & ~(1ULL << 63))

static bool libbpf_verbose;

void tracer_opts_defaults(struct tracer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->args_max = TE_ARGS_DEFAULT;
	o->ringbuf_size = 4 << 20;
	o->pending_max = 10240;
	o->fail_budget_uid = TE_FAIL_BUDGET_UID;
	o->fail_budget_cgroup = TE_FAIL_BUDGET_CGROUP;
	o->paths = true;
	o->ignore_failed = true;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	int prio = level == LIBBPF_WARN ? LOG_WARNING : LOG_DEBUG;

	if (level == LIBBPF_DEBUG && !libbpf_verbose)
		return 0;
	log_vmsg(prio, fmt, ap);
	return 0;
}

void tracer_setup_logging(bool verbose)
{
	libbpf_verbose = verbose;
	libbpf_set_print(libbpf_log);
}

/* Syscall tracepoints need tracefs for their ids; mount it if missing. */
static int ensure_tracefs(void)
{
	struct stat st;

	if (stat(TRACEFS "/events", &st) == 0 ||
	    stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("tracefs", TRACEFS, "tracefs", 0, NULL) == 0)
		return 0;
	log_error("'%s': tracefs is not mounted and mounting it failed: %s "
		  "(run: mount -t tracefs tracefs %s)", TRACEFS,
		  strerror(errno), TRACEFS);
	return -ENOENT;
}

static bool power_of_two(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Size the maps and set the load-time constants. */
static int tracer_configure(struct tracer *t, const struct tracer_opts *o)
{
	struct trace_exec_bpf *s = t->skel;
	uint32_t value = sizeof(struct te_event) + TE_PATH_BUF * TE_PATH_NR +
			 o->args_max + TE_CHUNK;
	int r;

	if (o->args_max < 1 || o->args_max > TE_ARGS_MAX) {
		log_error("argument limit %u out of range 1..%u", o->args_max,
			  TE_ARGS_MAX);
		return -EINVAL;
	}
	if (!power_of_two(o->ringbuf_size) || o->ringbuf_size < 4096) {
		log_error("ring buffer size %u is not a power of two >= 4096",
			  o->ringbuf_size);
		return -EINVAL;
	}
	s->rodata->args_max = o->args_max;
	s->rodata->collect_paths = o->paths;
	s->rodata->wake_bytes = o->ringbuf_size / 4;
	s->rodata->fail_budget_uid = o->fail_budget_uid;
	s->rodata->fail_budget_cgroup = o->fail_budget_cgroup;
	r = bpf_map__set_value_size(s->maps.scratch, value);
	if (!r)
		r = bpf_map__set_max_entries(s->maps.scratch,
					     t->ncpus * TE_SCRATCH_DEPTH);
	if (!r)
		r = bpf_map__set_max_entries(s->maps.walkst,
					     t->ncpus * TE_SCRATCH_DEPTH);
	if (!r)
		r = bpf_map__set_max_entries(s->maps.events, o->ringbuf_size);
	if (!r)
		r = bpf_map__set_max_entries(s->maps.pending,
					     o->pending_max ? o->pending_max : 1);
	if (r)
		log_error("sizing BPF maps failed: %s", strerror(-r));
	return r;
}

/* Let a link go: detached, unless a store holds it (then only our fd is
 * closed; libbpf would also disable a tracepoint's perf event, which the
 * stored link still uses, so that event's own fd stays open until exit). */
static void drop_link(struct tracer *t, int role)
{
	struct bpf_link *l = t->links[role];

	if (!l)
		return;
	if (t->keep_links) {
		bpf_link__disconnect(l);
		close(bpf_link__fd(l));
	}
	bpf_link__destroy(l);
	t->links[role] = NULL;
	t->fd[role] = -1;
}

static void detach_syscalls(struct tracer *t)
{
	int i;

	for (i = ROLE_ENTER_EXECVE; i < ROLE_LINKS; i++)
		drop_link(t, i);
}

/* Attach one program as the link of role; 0 or -errno (logged). */
static int attach_one(struct tracer *t, int role, struct bpf_program *prog)
{
	int r;

	t->links[role] = bpf_program__attach(prog);
	if (!t->links[role]) {
		r = -errno;
		log_error("attaching '%s' failed: %s", bpf_program__name(prog),
			  strerror(-r));
		return r;
	}
	t->fd[role] = bpf_link__fd(t->links[role]);
	return 0;
}

/* Attach the programs that see failed execs; returns 0 or -errno. */
static int attach_syscalls(struct tracer *t)
{
	struct bpf_program *progs[ROLE_LINKS - ROLE_ENTER_EXECVE];
	size_t i;
	int r;

	if (t->fd[ROLE_ENTER_EXECVE] >= 0)
		return 0;	/* attached, or adopted attached */
	progs[0] = t->skel->progs.te_enter_execve;
	progs[1] = t->skel->progs.te_enter_execveat;
	progs[2] = t->skel->progs.te_exit_execve;
	progs[3] = t->skel->progs.te_exit_execveat;
	progs[4] = t->skel->progs.te_exit;
	r = ensure_tracefs();
	for (i = 0; !r && i < ARRAY_SIZE(progs); i++)
		r = attach_one(t, ROLE_ENTER_EXECVE + i, progs[i]);
	if (r < 0)
		detach_syscalls(t);
	return r;
}

int tracer_update(struct tracer *t, const struct tracer_opts *o)
{
	int r;

	t->bss->cfg_uid = o->uid;
	t->bss->cfg_uid_filter = o->uid_filter;
	t->data->cfg_ignore_failed = o->ignore_failed;
	if (o->ignore_failed && !t->keep_attached) {
		detach_syscalls(t);
		return 0;
	}
	r = attach_syscalls(t);
	if (r < 0)
		t->data->cfg_ignore_failed = 1;
	return r;
}

struct tracer *tracer_new(tracer_event_fn fn, void *ctx)
{
	struct tracer *t = calloc(1, sizeof(*t));
	int i;

	if (!t) {
		log_error("out of memory");
		return NULL;
	}
	for (i = 0; i < ROLE_NR; i++)
		t->fd[i] = -1;
	t->epfd = -1;
	t->prev_folds = -1;
	t->cur = RING_OURS;
	t->fn = fn;
	t->ctx = ctx;
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0) {
		log_error("counting possible CPUs failed: %s",
			  strerror(t->ncpus ? -t->ncpus : EINVAL));
		free(t);
		return NULL;
	}
	return t;
}

/*
 * Run the program that finds the kernel's ____fput (bpf/trace_exec.bpf.c,
 * exec_file() finds a script's own file by it); say once when the kernel
 * did not give it (only with CAP_SYSLOG).
 */
static void find_fput(struct tracer *t)
{
	LIBBPF_OPTS(bpf_test_run_opts, ro);
	int r = bpf_prog_test_run_opts(bpf_program__fd(t->skel->progs.te_find_fput), &ro);

	if (r < 0 || !t->skel->bss->fput_fn)
		log_warn("the kernel gave no address of ____fput (%s): it cannot find a script's "
			 "own file: its EXEC_FILE is the string given to exec, undecided for kill "
			 "rules, not hashed (unidentified)",
			 r < 0 ? strerror(-r) : "no CAP_SYSLOG at start-up");
}

int tracer_load(struct tracer **out, const struct tracer_opts *o,
		tracer_event_fn fn, void *ctx)
{
	struct tracer *t;
	int r;

	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		r = -errno;
		log_error("'/sys/kernel/btf/vmlinux': %s: this kernel has no BTF; "
			  "one built with CONFIG_DEBUG_INFO_BTF=y is needed",
			  strerror(-r));
		return r;
	}
	t = tracer_new(fn, ctx);
	if (!t)
		return -ENOMEM;
	t->keep_attached = o->keep_attached;
	t->skel = trace_exec_bpf__open();
	if (!t->skel) {
		r = -errno;
		log_error("opening the BPF object failed: %s", strerror(-r));
		goto fail;
	}
	r = tracer_configure(t, o);
	if (r < 0)
		goto fail;
	r = trace_exec_bpf__load(t->skel);
	if (r < 0) {
		log_error("loading the BPF programs failed: %s%s", strerror(-r),
			  r == -EPERM ? " (run as root, with CAP_BPF and CAP_PERFMON)" : "");
		goto fail;
	}
	find_fput(t);
	t->data = t->skel->data;
	t->bss = t->skel->bss;
	t->control = t->skel->data_control;
	t->fd[ROLE_EVENTS] = bpf_map__fd(t->skel->maps.events);
	t->fd[ROLE_COUNTERS] = bpf_map__fd(t->skel->maps.counters);
	t->fd[ROLE_DATA] = bpf_map__fd(t->skel->maps.data);
	t->fd[ROLE_BSS] = bpf_map__fd(t->skel->maps.bss);
	t->fd[ROLE_RODATA] = bpf_map__fd(t->skel->maps.rodata);
	t->fd[ROLE_PENDING] = bpf_map__fd(t->skel->maps.pending);
	t->fd[ROLE_CONTROL] = bpf_map__fd(t->skel->maps.data_control);
	t->fd[ROLE_FOLDS] = bpf_map__fd(t->skel->maps.folds);
	*out = t;
	return 0;
fail:
	tracer_close(t);
	return r;
}

int tracer_start_reading(struct tracer *t, size_t size)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int r;

	r = ring_open(&t->ring[RING_OURS], t->fd[ROLE_EVENTS], size);
	if (r < 0) {
		log_error("mapping the ring buffer failed: %s", strerror(-r));
		return r;
	}
	/* Edge-triggered: records read but not given back keep the fd
	 * readable; only the kernel's wakeups count. */
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0 ||
	    epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->fd[ROLE_EVENTS], &ev) < 0) {
		r = -errno;
		log_error("watching the ring buffer failed: %s", strerror(-r));
		return r;
	}
	return 0;
}

int tracer_attach(struct tracer *t, const struct tracer_opts *o)
{
	int r;

	r = attach_one(t, ROLE_EXEC, t->skel->progs.te_exec);
	if (!r)
		r = tracer_update(t, o);
	if (!r)
		r = tracer_start_reading(t, o->ringbuf_size);
	return r;
}

int tracer_open(struct tracer **out, const struct tracer_opts *o,
		tracer_event_fn fn, void *ctx)
{
	int r = tracer_load(out, o, fn, ctx);

	if (r < 0)
		return r;
	r = tracer_attach(*out, o);
	if (r < 0) {
		tracer_close(*out);
		*out = NULL;
	}
	return r;
}

int tracer_fd(struct tracer *t)
{
	return t->epfd;
}

int tracer_wait_ms(struct tracer *t)
{
	if (t->paused)
		return 0;
	return t->busy ? TRACER_BATCH_MS : -1;
}

int tracer_wait(struct tracer *t, int timeout_ms)
{
	struct epoll_event ev;

	if (epoll_wait(t->epfd, &ev, 1, timeout_ms) < 0 && errno != EINTR)
		return -errno;
	return 0;
}

/* The earlier tracer's ring is read to its end: what was read from it is
 * handed on or waits in memory; read ours from now on. */
static void next_ring(struct tracer *t)
{
	ring_close(&t->ring[RING_PREV]);
	t->cur = RING_OURS;
}

/* One read: the earlier tracer's ring first, then ours. Records read more
 * than an eighth of the ring ago are given back first. A paused read
 * counts as progress (1). */
static int consume(struct tracer *t)
{
	struct ring *r = &t->ring[t->cur];
	int n;

	if (ring_uncommitted(r) > ring_size(r) / 8)
		ring_commit(r, r->read);
	n = ring_read(r, t->fn, t->ctx);
	if (n == 0 && t->cur == RING_PREV) {
		next_ring(t);
		n = ring_read(&t->ring[RING_OURS], t->fn, t->ctx);
	}
	t->paused = n == TRACER_PAUSE;
	return t->paused ? 1 : n;
}

int tracer_consume(struct tracer *t)
{
	return consume(t);
}

int tracer_drain(struct tracer *t)
{
	struct epoll_event ev;
	int n;

	/* take the kernel's wakeup, if there was one */
	if (epoll_wait(t->epfd, &ev, 1, 0) < 0 && errno != EINTR)
		return -errno;
	n = consume(t);
	if (n != 0) {
		t->busy = n > 0;
		return n;
	}
	/* Empty: ask for a wakeup, then look once more for what came
	 * before the kernel could see the request. */
	t->data->consumer_asleep = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	n = consume(t);
	t->busy = n > 0;
	return n;
}

void tracer_set_on(struct tracer *t, bool on)
{
	t->control->te_off = !on;
}

bool tracer_reading_previous(const struct tracer *t)
{
	return t->cur == RING_PREV;
}

uint64_t tracer_mark(const struct tracer *t)
{
	return (uint64_t)t->cur << 63 | t->ring[t->cur].read;
}

void tracer_handover(struct tracer *t, uint64_t mark, bool sent)
{
	/* the position is kept with our ring's object, for the next
	 * process; an earlier tracer's ring has no place for it */
	bool ours = t->cur == RING_OURS && MARK_RING(mark) == RING_OURS;

	if (!sent) {
		if (ours)
			t->bss->consumer_sending = MARK_POS(mark);
		return;
	}
	if (MARK_RING(mark) == t->cur)
		ring_commit(&t->ring[t->cur], MARK_POS(mark));
	if (t->cur == RING_OURS)
		t->bss->consumer_sending = 0;
}

void tracer_release_read(struct tracer *t)
{
	ring_commit(&t->ring[t->cur], t->ring[t->cur].read);
}

int tracer_sum_counters(const struct tracer *t, int fd,
			uint64_t out[TE_COUNTER_NR])
{
	uint64_t vals[t->ncpus];
	uint32_t k;
	int c;

	for (k = 0; k < TE_COUNTER_NR; k++) {
		if (bpf_map_lookup_elem(fd, &k, vals) < 0)
			return errno == ENOENT && k > 0 ? 0 : -errno;
		for (c = 0; c < t->ncpus; c++)
			out[k] += vals[c];
	}
	return 0;
}

int tracer_counters(struct tracer *t, uint64_t out[TE_COUNTER_NR])
{
	memcpy(out, t->counter_base, sizeof(t->counter_base));
	return tracer_sum_counters(t, t->fd[ROLE_COUNTERS], out);
}

void tracer_counter_base(const struct tracer *t, uint64_t base[TE_COUNTER_NR])
{
	memcpy(base, t->counter_base, sizeof(t->counter_base));
}

void tracer_set_counter_base(struct tracer *t, const uint64_t base[TE_COUNTER_NR])
{
	memcpy(t->counter_base, base, sizeof(t->counter_base));
}

bool tracer_adopted(const struct tracer *t)
{
	return t->adopted;
}

void tracer_close(struct tracer *t)
{
	int i;

	if (!t)
		return;
	ring_close(&t->ring[RING_PREV]);
	ring_close(&t->ring[RING_OURS]);
	if (t->prev_folds >= 0)
		close(t->prev_folds);
	if (t->epfd >= 0)
		close(t->epfd);
	for (i = 0; i < ROLE_LINKS; i++)
		drop_link(t, i);
	if (t->adopted) {
		if (t->data)
			munmap(t->data, t->data_len);
		if (t->bss)
			munmap(t->bss, t->bss_len);
		if (t->control)
			munmap(t->control, t->control_len);
		for (i = 0; i < ROLE_NR; i++)
			if (t->fd[i] >= 0)
				close(t->fd[i]);
	}
	trace_exec_bpf__destroy(t->skel);
	free(t);
}
