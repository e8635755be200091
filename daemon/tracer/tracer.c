/* tracer.c: load, configure, attach and read the BPF exec tracer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "core/log.h"
#include "trace_exec.skel.h"
#include "tracer/ring.h"
#include "tracer/tracer.h"
#include "core/util.h"

#define TRACEFS "/sys/kernel/tracing"

struct tracer {
	struct trace_exec_bpf *skel;
	struct ring ring;
	int epfd;			/* the ring's fd, edge-triggered */
	tracer_event_fn fn;
	void *ctx;
	struct bpf_link *exec_link;
	struct bpf_link *syscall_links[5];	/* failed-exec tracking */
	bool keep_attached;
	bool busy;		/* events came lately: poll, no wakeups */
	bool paused;		/* the last read stopped with records left */
	int ncpus;
};

static bool libbpf_verbose;

void tracer_opts_defaults(struct tracer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->args_max = TE_ARGS_DEFAULT;
	o->ringbuf_size = 4 << 20;
	o->pending_max = 10240;
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

static void detach_syscalls(struct tracer *t)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(t->syscall_links); i++) {
		bpf_link__destroy(t->syscall_links[i]);
		t->syscall_links[i] = NULL;
	}
}

/* Attach the programs that see failed execs; returns 0 or -errno. */
static int attach_syscalls(struct tracer *t)
{
	struct bpf_program *progs[] = {
		t->skel->progs.te_enter_execve, t->skel->progs.te_enter_execveat,
		t->skel->progs.te_exit_execve, t->skel->progs.te_exit_execveat,
		t->skel->progs.te_exit,
	};
	size_t i;
	int r;

	if (t->syscall_links[0])
		return 0;
	r = ensure_tracefs();
	if (r < 0)
		return r;
	for (i = 0; i < ARRAY_SIZE(progs); i++) {
		t->syscall_links[i] = bpf_program__attach(progs[i]);
		if (!t->syscall_links[i]) {
			r = -errno;
			log_error("attaching '%s' failed: %s",
				  bpf_program__name(progs[i]), strerror(-r));
			detach_syscalls(t);
			return r;
		}
	}
	return 0;
}

int tracer_update(struct tracer *t, const struct tracer_opts *o)
{
	struct trace_exec_bpf *s = t->skel;
	int r;

	s->bss->cfg_uid = o->uid;
	s->bss->cfg_uid_filter = o->uid_filter;
	s->data->cfg_ignore_failed = o->ignore_failed;
	if (o->ignore_failed && !t->keep_attached) {
		detach_syscalls(t);
		return 0;
	}
	r = attach_syscalls(t);
	if (r < 0)
		s->data->cfg_ignore_failed = 1;
	return r;
}

/* Map the ring and watch its fd; 0 or -errno (logged). */
static int start_reading(struct tracer *t, size_t size)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int fd = bpf_map__fd(t->skel->maps.events), r;

	r = ring_open(&t->ring, fd, size);
	if (r < 0) {
		log_error("mapping the ring buffer failed: %s", strerror(-r));
		return r;
	}
	/* Edge-triggered: records read but not given back keep the fd
	 * readable; only the kernel's wakeups count. */
	t->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (t->epfd < 0 || epoll_ctl(t->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		r = -errno;
		log_error("watching the ring buffer failed: %s", strerror(-r));
		return r;
	}
	return 0;
}

int tracer_open(struct tracer **out, const struct tracer_opts *o,
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
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->epfd = -1;
	t->fn = fn;
	t->ctx = ctx;
	t->keep_attached = o->keep_attached;
	t->ncpus = libbpf_num_possible_cpus();
	if (t->ncpus <= 0) {
		r = t->ncpus ? t->ncpus : -EINVAL;
		log_error("counting possible CPUs failed: %s", strerror(-r));
		goto fail;
	}
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
	t->exec_link = bpf_program__attach(t->skel->progs.te_exec);
	if (!t->exec_link) {
		r = -errno;
		log_error("attaching to sched_process_exec failed: %s",
			  strerror(-r));
		goto fail;
	}
	r = tracer_update(t, o);
	if (r < 0)
		goto fail;
	r = start_reading(t, o->ringbuf_size);
	if (r < 0)
		goto fail;
	*out = t;
	return 0;
fail:
	tracer_close(t);
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

/* One read of the ring; records read more than an eighth of the ring ago
 * are given back first. A paused read counts as progress (1). */
static int consume(struct tracer *t)
{
	int n;

	if (ring_uncommitted(&t->ring) > ring_size(&t->ring) / 8)
		ring_commit(&t->ring, t->ring.read);
	n = ring_read(&t->ring, t->fn, t->ctx);
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
	t->skel->data->consumer_asleep = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	n = consume(t);
	t->busy = n > 0;
	return n;
}

uint64_t tracer_mark(const struct tracer *t)
{
	return t->ring.read;
}

void tracer_handover(struct tracer *t, uint64_t mark, bool sent)
{
	/* kept with the ring's object, for the next process */
	if (!sent) {
		t->skel->bss->consumer_sending = mark;
		return;
	}
	ring_commit(&t->ring, mark);
	t->skel->bss->consumer_sending = 0;
}

void tracer_release_read(struct tracer *t)
{
	ring_commit(&t->ring, t->ring.read);
}

int tracer_counters(struct tracer *t, uint64_t out[TE_COUNTER_NR])
{
	int fd = bpf_map__fd(t->skel->maps.counters);
	uint64_t vals[t->ncpus];
	uint32_t k;
	int c;

	for (k = 0; k < TE_COUNTER_NR; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(fd, &k, vals) < 0)
			return -errno;
		for (c = 0; c < t->ncpus; c++)
			out[k] += vals[c];
	}
	return 0;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	ring_close(&t->ring);
	if (t->epfd >= 0)
		close(t->epfd);
	detach_syscalls(t);
	bpf_link__destroy(t->exec_link);
	trace_exec_bpf__destroy(t->skel);
	free(t);
}
