// SPDX-License-Identifier: GPL-2.0-or-later
/* adopt.c: a tracer's kernel objects under the names a store keeps them by, and taking over a tracer that runs, or the ring of one that ran, from those fds. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "core/log.h"
#include "core/util.h"
#include "tracer/tracer-priv.h"

static const char *const role_names[ROLE_NR] = {
	"exec", "enter-execve", "enter-execveat", "exit-execve",
	"exit-execveat", "exit", "events", "counters", "data", "bss",
	"rodata", "pending", "control", "folds",
};

const char *tracer_object_id(void)
{
	static char id[TRACER_ID_LEN];
	const void *elf;
	size_t len;

	if (!id[0]) {
		elf = trace_exec_bpf__elf_bytes(&len);
		snprintf(id, sizeof(id), "%016" PRIx64, hash64(elf, len));
	}
	return id;
}

/* The role of "te-ID-ROLE", with ID in id[]; -1 for any other name. */
static int parse_name(const char *name, char id[TRACER_ID_LEN])
{
	int i;

	if (strncmp(name, "te-", 3))
		return -1;
	for (i = 0; i < TRACER_ID_LEN - 1; i++)
		if (!isxdigit((unsigned char)name[3 + i]))
			return -1;
	if (name[3 + i] != '-')
		return -1;
	memcpy(id, name + 3, TRACER_ID_LEN - 1);
	id[TRACER_ID_LEN - 1] = '\0';
	for (i = 0; i < ROLE_NR; i++)
		if (!strcmp(name + 4 + TRACER_ID_LEN - 1, role_names[i]))
			return i;
	return -1;
}

/* The index in fds[] of the open fd of id's role, or -1. */
static int find(const struct named_fd *fds, size_t n, const char *id, int role)
{
	char got[TRACER_ID_LEN];
	size_t i;

	for (i = 0; i < n; i++)
		if (fds[i].fd >= 0 && parse_name(fds[i].name, got) == role &&
		    !strcmp(got, id))
			return (int)i;
	return -1;
}

bool tracer_name_is_link(const char *name)
{
	char id[TRACER_ID_LEN];
	int role = parse_name(name, id);

	return role >= 0 && role < ROLE_LINKS;
}

bool tracer_name_is_ours(const char *name)
{
	char id[TRACER_ID_LEN];

	return parse_name(name, id) >= 0 && !strcmp(id, tracer_object_id());
}

size_t tracer_objects(struct tracer *t, struct named_fd out[TRACER_OBJECTS])
{
	size_t n = 0;
	int i;

	for (i = 0; i < ROLE_NR; i++) {
		if (t->fd[i] < 0)
			continue;
		snprintf(out[n].name, sizeof(out[n].name), "te-%s-%s",
			 tracer_object_id(), role_names[i]);
		out[n++].fd = t->fd[i];
	}
	return n;
}

void tracer_keep_links(struct tracer *t)
{
	t->keep_links = true;
}

static int map_info(int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	return bpf_obj_get_info_by_fd(fd, info, &len) < 0 ? -errno : 0;
}

/* The adopted maps are the ones this object makes: type, value size. */
static int check_maps(struct tracer *t, struct bpf_map_info info[ROLE_NR])
{
	static const struct {
		uint32_t type, value_size;
	} want[ROLE_NR] = {
		[ROLE_EVENTS] = { BPF_MAP_TYPE_RINGBUF, 0 },
		[ROLE_COUNTERS] = { BPF_MAP_TYPE_PERCPU_ARRAY, sizeof(uint64_t) },
		[ROLE_DATA] = { BPF_MAP_TYPE_ARRAY, sizeof(struct trace_exec_bpf__data) },
		[ROLE_BSS] = { BPF_MAP_TYPE_ARRAY, sizeof(struct trace_exec_bpf__bss) },
		[ROLE_RODATA] = { BPF_MAP_TYPE_ARRAY, sizeof(struct trace_exec_bpf__rodata) },
		[ROLE_PENDING] = { BPF_MAP_TYPE_HASH, 0 },
		[ROLE_CONTROL] = { BPF_MAP_TYPE_ARRAY, sizeof(struct trace_exec_bpf__data_control) },
		[ROLE_FOLDS] = { BPF_MAP_TYPE_HASH, sizeof(struct te_fold) },
	};
	int i, r;

	for (i = ROLE_LINKS; i < ROLE_NR; i++) {
		r = map_info(t->fd[i], &info[i]);
		if (!r && (info[i].type != want[i].type ||
			   (want[i].value_size && info[i].value_size != want[i].value_size)))
			r = -EINVAL;
		if (r) {
			log_error("the stored BPF map '%s' is not what this program makes: %s",
				  role_names[i], strerror(-r));
			return r;
		}
	}
	return 0;
}

/* Map a global data map of value_size bytes read-write, as the skeleton
 * does; NULL on error. */
static void *map_global(int fd, size_t value_size, size_t *len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	*len = (value_size + page - 1) / page * page;
	if (!*len)
		*len = page;
	p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		log_error("mapping the stored BPF global data failed: %s", strerror(errno));
		return NULL;
	}
	return p;
}

/* The load-time settings the adopted tracer runs with, into o. */
static int running_settings(struct tracer *t, const struct bpf_map_info info[ROLE_NR],
			    struct tracer_opts *o)
{
	struct trace_exec_bpf__rodata ro;
	uint32_t key = 0;
	int r;

	if (bpf_map_lookup_elem(t->fd[ROLE_RODATA], &key, &ro) < 0) {
		r = -errno;
		log_error("reading the stored BPF settings failed: %s", strerror(-r));
		return r;
	}
	o->args_max = ro.args_max;
	o->paths = ro.collect_paths;
	o->fail_budget_uid = ro.fail_budget_uid;
	o->fail_budget_cgroup = ro.fail_budget_cgroup;
	o->ringbuf_size = info[ROLE_EVENTS].max_entries;
	o->pending_max = info[ROLE_PENDING].max_entries;
	return 0;
}

/* The process before us died while it handed records on to journald (a
 * kill -9 inside sendmmsg): they went on, go on after them. */
static void finish_handover(struct tracer *t)
{
	struct ring *r = &t->ring[RING_OURS];
	uint64_t pos = t->bss->consumer_sending;

	if (pos > *r->consumer && ring_is_boundary(r, pos)) {
		log_info("the previous process stopped while handing %" PRIu64
			 " bytes of records to journald: taken as delivered",
			 pos - *r->consumer);
		ring_skip(r, pos);
	}
	t->bss->consumer_sending = 0;
}

/* Take over the objects fds[idx[]]: 0 or negative errno (logged). */
static int adopt(struct tracer *t, struct named_fd *fds, const int idx[ROLE_NR],
		 struct tracer_opts *o)
{
	struct bpf_map_info info[ROLE_NR];
	int i, r;

	for (i = 0; i < ROLE_NR; i++)
		t->fd[i] = fds[idx[i]].fd;
	t->adopted = true;
	t->keep_attached = true;	/* every link is there */
	r = check_maps(t, info);
	if (r)
		return r;
	t->data = map_global(t->fd[ROLE_DATA], info[ROLE_DATA].value_size, &t->data_len);
	t->bss = map_global(t->fd[ROLE_BSS], info[ROLE_BSS].value_size, &t->bss_len);
	t->control = map_global(t->fd[ROLE_CONTROL], info[ROLE_CONTROL].value_size,
				&t->control_len);
	if (!t->data || !t->bss || !t->control)
		return -ENOMEM;
	r = running_settings(t, info, o);
	if (!r)
		r = tracer_start_reading(t, o->ringbuf_size);
	if (!r)
		r = tracer_update(t, o);
	return r;
}

int tracer_adopt(struct tracer **out, struct tracer_opts *o,
		 struct named_fd *fds, size_t n, tracer_event_fn fn, void *ctx)
{
	int idx[ROLE_NR], i, r;
	struct tracer *t;

	for (i = 0; i < ROLE_NR; i++) {
		idx[i] = find(fds, n, tracer_object_id(), i);
		if (idx[i] < 0)
			return -ENOENT;
	}
	t = tracer_new(fn, ctx);
	if (!t)
		return -ENOMEM;
	r = adopt(t, fds, idx, o);
	if (r < 0) {
		/* the fds stay the caller's: the store still holds them */
		for (i = 0; i < ROLE_NR; i++)
			t->fd[i] = -1;
		tracer_close(t);
		return r;
	}
	for (i = 0; i < ROLE_NR; i++)
		fds[idx[i]].fd = -1;
	finish_handover(t);
	t->data->consumer_asleep = 1;	/* the next event wakes us */
	tracer_set_on(t, true);	/* if its process died before the switch */
	*out = t;
	return 0;
}

/* Take the fd at fds[i]: it is ours to close now. */
static int take(struct named_fd *fds, int i)
{
	int fd = fds[i].fd;

	fds[i].fd = -1;
	return fd;
}

int tracer_switch_over(struct tracer *t, struct named_fd *fds, size_t n)
{
	struct bpf_map_info info;
	char id[TRACER_ID_LEN];
	uint32_t *theirs;
	size_t i, len;
	int fd = -1;

	for (i = 0; i < n && fd < 0; i++)
		if (fds[i].fd >= 0 && parse_name(fds[i].name, id) == ROLE_CONTROL &&
		    map_info(fds[i].fd, &info) == 0 && info.type == BPF_MAP_TYPE_ARRAY &&
		    info.value_size >= sizeof(*theirs))
			fd = take(fds, (int)i);
	if (fd < 0)
		return 0;
	theirs = map_global(fd, info.value_size, &len);
	close(fd);
	if (!theirs)
		return 0;
	tracer_set_on(t, true);
	__atomic_store_n(theirs, 1, __ATOMIC_SEQ_CST);
	munmap(theirs, len);
	return 1;
}

/* Keep the folds map of the earlier tracer id, when it has one of our
 * layout: its last folds are reported once its ring was read. */
static void take_prev_folds(struct tracer *t, struct named_fd *fds, size_t n,
			    const char *id)
{
	struct bpf_map_info info;
	int i = find(fds, n, id, ROLE_FOLDS);

	if (i < 0 || map_info(fds[i].fd, &info) < 0 ||
	    info.type != BPF_MAP_TYPE_HASH ||
	    info.key_size != sizeof(struct te_fold_key) ||
	    info.value_size != sizeof(struct te_fold))
		return;
	t->prev_folds = take(fds, i);
}

int tracer_take_ring(struct tracer *t, struct named_fd *fds, size_t n,
		     struct tracer_prev *prev)
{
	struct bpf_map_info info;
	struct ring *ring = &t->ring[RING_PREV];
	int ev = -1, cn, fd, r;
	size_t i;

	memset(prev, 0, sizeof(*prev));
	for (i = 0; i < n && ev < 0; i++)
		if (fds[i].fd >= 0 && parse_name(fds[i].name, prev->id) == ROLE_EVENTS)
			ev = (int)i;
	if (ev < 0)
		return 0;
	cn = find(fds, n, prev->id, ROLE_COUNTERS);
	if (cn >= 0) {
		fd = take(fds, cn);
		prev->counted = tracer_sum_counters(t, fd, prev->counts) == 0;
		close(fd);
	}
	take_prev_folds(t, fds, n, prev->id);
	fd = take(fds, ev);
	r = map_info(fd, &info);
	if (!r)
		r = info.type == BPF_MAP_TYPE_RINGBUF ? ring_open(ring, fd, info.max_entries) : -EINVAL;
	close(fd);
	if (r < 0) {
		log_error("the stored ring buffer of tracer %s cannot be read: %s",
			  prev->id, strerror(-r));
		return r;
	}
	t->cur = RING_PREV;
	log_info("reading first the %" PRIu64 " bytes of records waiting in the ring of tracer %s",
		 *ring->producer - *ring->consumer, prev->id);
	return 1;
}
