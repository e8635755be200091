// SPDX-License-Identifier: GPL-2.0-or-later
/* trace_exec.bpf.c: kernel side of the exec tracer, built on tracepoints only. */
#include "trace_exec.bpf.h"
#include "kill-rules.bpf.h"
#include "folds.bpf.h"

char LICENSE[] SEC("license") = "GPL";

#define OVERLAYFS_SUPER_MAGIC	0x794c7630
/* cgroup levels walked: a cgroup path only names a container, which its
 * runtime must confirm (a cut one is not confirmed) */
#define TE_CGROUP_DEPTH		128

/* Load-time settings. */
const volatile __u32 args_max = TE_ARGS_DEFAULT;
const volatile bool collect_paths = true;
/* Ring buffer bytes waiting that wake the consumer whatever it said. */
const volatile __u32 wake_bytes = 1U << 20;

/* Run-time settings, rewritten by userspace on reload. */
__u32 cfg_ignore_failed = 1;
/* Set by userspace when it found the ring empty and goes to sleep: the
 * next event wakes it. While it is busy it polls the ring on a short
 * timer, and events are sent without a wakeup each (a wakeup is an
 * irq_work, tens of microseconds in a VM). */
__u32 consumer_asleep = 1;
__u32 cfg_uid_filter;
__u32 cfg_uid;
/* Never used here: the consumer's own note, kept with the ring across its
 * restarts. Before it hands the entries of records up to this ring
 * position to journald it writes it here, after, 0; a consumer that finds
 * it set after a kill -9 takes those records as delivered. */
__u64 consumer_sending;

/* The switch another build's trace-execd turns on when it takes over
 * (trace-execd(8), RESTARTS): no record is sent any more. The only
 * variable of its section, so that its place never changes. */
__u32 te_off SEC(".data.control") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct pending);
} pending SEC(".maps");

/* Event assembly area (trace_exec.bpf.h; the kill rules read it too). */
struct scratch_map scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} scratch_busy SEC(".maps");

/* Loss counters (trace_exec.bpf.h; the failed-exec budget counts too). */
struct counters_map counters SEC(".maps");

/* The ring buffer (trace_exec.bpf.h; the failed-exec budget reads it). */
struct events_map events SEC(".maps");

/* Old and new layouts of struct kernfs_node (parent renamed in 6.15). */
struct kernfs_node___old {
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

struct kernfs_node___new {
	struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

/* Claim a free scratch slot of this CPU; returns its index or -1. */
static __always_inline int slot_claim(__u32 **maskp)
{
	__u32 zero = 0, cpu = bpf_get_smp_processor_id();
	__u32 *mask = bpf_map_lookup_elem(&scratch_busy, &zero);
	int i;

	if (!mask)
		return -1;
	*maskp = mask;
	for (i = 0; i < TE_SCRATCH_DEPTH; i++) {
		__u32 bit = 1U << i;

		if (!(__sync_fetch_and_or(mask, bit) & bit))
			return cpu * TE_SCRATCH_DEPTH + i;
	}
	count(TE_LOST_SCRATCH);
	return -1;
}

static __always_inline void slot_release(__u32 *mask, int slot)
{
	__sync_fetch_and_and(mask, ~(1U << (slot % TE_SCRATCH_DEPTH)));
}

/* Whether an inode lives in the upper layer of an overlayfs. */
static __always_inline bool inode_upper(struct inode *inode)
{
	struct ovl_inode *oi;

	if (!bpf_core_type_exists(struct ovl_inode) || !inode)
		return false;
	if (inode->i_sb->s_magic != OVERLAYFS_SUPER_MAGIC)
		return false;
	oi = (void *)inode - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	return BPF_CORE_READ(oi, __upperdentry) != NULL;
}

static __always_inline bool file_upper(struct file *f)
{
	return f && inode_upper(f->f_inode);
}

/* file_upper() of a file pointer the verifier does not know the type of
 * (one found by a walk): read with BPF_CORE_READ. */
static __always_inline bool file_upper_read(struct file *f)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct ovl_inode *oi;

	if (!bpf_core_type_exists(struct ovl_inode) || !ino ||
	    BPF_CORE_READ(ino, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return false;
	oi = (void *)ino - bpf_core_field_offset(struct ovl_inode, vfs_inode);
	return BPF_CORE_READ(oi, __upperdentry) != NULL;
}

/* The inode of a task's executable (NULL for a kernel thread). */
static __always_inline struct inode *exe_inode(struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	struct file *f;

	if (!mm)
		return NULL;
	f = mm->exe_file;
	return f ? f->f_inode : NULL;
}

/*
 * State of a path walk or an argv read. It lives in a map, one per scratch
 * slot, not on the stack: the verifier then sees its fields as plain
 * unknown scalars and the bpf_loop callbacks verify in one pass.
 */
struct walk_ctx {
	struct dentry *dentry;
	struct vfsmount *vfsmnt;
	struct dentry *root_dentry;
	struct vfsmount *root_mnt;
	struct kernfs_node *kn;
	__u32 slot;
	__u32 base;	/* offset of the path area in the payload */
	__u32 pos;	/* write position, relative to base */
	__u32 end;	/* limit of this path, relative to base */
	__u16 flags;
	/* past the leaf side's room: the walk goes on to the root, keeping
	 * the last TE_ROOT_RING dentries it passed (nring of them counted) */
	bool counting;
	__u32 nring;
	__u32 keep;		/* of them, how many the root side holds */
	__u32 rbytes;		/* and their bytes */
	__u16 root;		/* TE_P_GAP: where the root side starts */
	struct dentry *ring[TE_ROOT_RING];
	/* a script's file: the task's pending fputs walked */
	struct callback_head *tw;
	struct file *found;
	/* argv of a failed exec */
	const char *const *argv;
	const char *cur;
	__u32 idx;
	__u32 apos;
	bool copy;
	bool done;
	bool cut;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct walk_ctx);
} walkst SEC(".maps");

/* Append one component at the walk position, within limit (relative to
 * base); false when it did not fit. */
static __always_inline bool walk_put(struct walk_ctx *c, const void *name,
				     __u32 limit)
{
	__u32 base = c->base, pos = c->pos;
	struct te_event *ev;
	long n;

	if (pos + TE_NAME_MAX > limit)
		return false;
	ev = bpf_map_lookup_elem(&scratch, &c->slot);
	if (!ev || base > args_max || pos > PATHS_REGION - TE_NAME_MAX)
		return false;
	n = bpf_probe_read_kernel_str(ev->payload + base + pos, TE_NAME_MAX, name);
	if (n <= 0)
		return false;
	c->pos = pos + n;
	return true;
}

/* One step up a dentry chain; returns 1 to stop the walk. */
static long dentry_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct dentry *d, *parent, *mnt_root;
	struct vfsmount *vfsmnt;
	struct mount *mnt, *mp;

	if (!c)
		return 1;
	d = c->dentry;
	vfsmnt = c->vfsmnt;
	if (d == c->root_dentry && vfsmnt == c->root_mnt)
		goto done;
	mnt_root = BPF_CORE_READ(vfsmnt, mnt_root);
	parent = BPF_CORE_READ(d, d_parent);
	if (d == mnt_root || d == parent) {
		mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
		mp = BPF_CORE_READ(mnt, mnt_parent);
		if (d != mnt_root && BPF_CORE_READ(d, d_op, d_dname)) {
			/* A pseudo file (memfd): named as d_path() and
			 * /proc/PID/exe show it, "/NAME (deleted)". */
			walk_put(c, BPF_CORE_READ(d, d_name.name), c->end);
			c->flags |= TE_P_DELETED | TE_P_UNREACHABLE;
			goto done;
		}
		if (d != mnt_root || mp == mnt) {
			c->flags |= TE_P_UNREACHABLE;
			goto done;
		}
		c->dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
		c->vfsmnt = (void *)mp + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	/* the leaf side leaves TE_ROOT_RESERVE bytes for the root side (and
	 * a whole name's room, which walk_put() asks for at the last) */
	if (!c->counting &&
	    !walk_put(c, BPF_CORE_READ(d, d_name.name),
		      c->end - TE_ROOT_RESERVE - TE_NAME_MAX))
		c->counting = true;
	if (c->counting)
		c->ring[c->nring++ & (TE_ROOT_RING - 1)] = d;
	c->dentry = parent;
	return 0;
done:
	c->flags &= ~TE_P_TRUNCATED;
	return 1;
}

/* Root side, first pass: ring entry i from the root down fits in what
 * TE_ROOT_RESERVE leaves; returns 1 to stop at the first that does not. */
static long root_size_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct dentry *d;
	__u32 len;

	if (!c || i >= c->nring || i >= TE_ROOT_RING)
		return 1;
	d = c->ring[(c->nring - 1 - i) & (TE_ROOT_RING - 1)];
	len = BPF_CORE_READ(d, d_name.len) + 1;
	if (len > TE_NAME_MAX || c->rbytes + len > TE_ROOT_RESERVE)
		return 1;
	c->rbytes += len;
	c->keep = i + 1;
	return 0;
}

/* Root side, second pass: the kept entries, leaf side first. */
static long root_put_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct dentry *d;

	if (!c || i >= c->keep)
		return 1;
	d = c->ring[(c->nring - c->keep + i) & (TE_ROOT_RING - 1)];
	if (!walk_put(c, BPF_CORE_READ(d, d_name.name), c->end))
		return 1;
	return 0;
}

/* After a walk that outgrew the leaf side's room and reached a root: the
 * components nearest the root that fit, after a gap if some did not. */
static __always_inline void put_root_side(struct walk_ctx *c, __u32 start)
{
	struct loop_ctx lc = { .slot = c->slot };
	__u32 root = c->pos - start;

	if (!c->counting || (c->flags & TE_P_TRUNCATED))
		return;
	c->keep = 0;
	c->rbytes = 0;
	bpf_loop(TE_ROOT_RING, root_size_step, &lc, 0);
	bpf_loop(TE_ROOT_RING, root_put_step, &lc, 0);
	if (c->keep < c->nring) {
		c->flags |= TE_P_GAP;
		c->root = root;
	}
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(((struct kernfs_node___new *)0)->__parent))
		return BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	return BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
}

/* One step up a kernfs (cgroup) chain; returns 1 to stop the walk. */
static long kernfs_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct kernfs_node *kn, *parent;

	if (!c)
		return 1;
	kn = c->kn;
	parent = kn_parent(kn);
	if (!parent) {
		c->flags &= ~TE_P_TRUNCATED;
		return 1;
	}
	if (!walk_put(c, BPF_CORE_READ(kn, name), c->end))
		return 1;
	c->kn = parent;
	return 0;
}

/* Record a walked path in the event; returns the bytes it used. */
static __always_inline __u32 path_done(struct te_event *ev, int id,
				       struct walk_ctx *c, __u32 start)
{
	__u32 pos = c->pos;

	if (pos < start || pos > PATHS_REGION)
		return start;
	ev->paths[id].off = start;
	ev->paths[id].len = pos - start;
	ev->paths[id].flags = c->flags | TE_P_PRESENT | TE_P_COMPONENTS;
	ev->paths[id].root = c->flags & TE_P_GAP ? c->root : 0;
	return pos;
}

/* Walk a struct path up to the task's root; returns the new position. */
static __always_inline __u32 put_path(struct te_event *ev, int id,
				      struct walk_ctx *c, struct path *p,
				      __u32 pos)
{
	struct dentry *d = BPF_CORE_READ(p, dentry);
	struct loop_ctx lc = { .slot = c->slot };

	if (!d)
		return pos;
	c->dentry = d;
	c->vfsmnt = BPF_CORE_READ(p, mnt);
	c->pos = pos;
	c->end = pos + TE_PATH_BUF;
	c->flags = TE_P_TRUNCATED;
	c->counting = false;
	c->nring = 0;
	if (BPF_CORE_READ(d, d_hash.pprev) == NULL && d != BPF_CORE_READ(d, d_parent))
		c->flags |= TE_P_DELETED;
	bpf_loop(TE_WALK_MAX, dentry_step, &lc, 0);
	put_root_side(c, pos);
	return path_done(ev, id, c, pos);
}

static __always_inline __u32 put_file(struct te_event *ev, int id,
				      struct walk_ctx *c, struct file *f,
				      __u32 pos)
{
	if (!f)
		return pos;
	return put_path(ev, id, c, (struct path *)((void *)f +
			bpf_core_field_offset(struct file, f_path)), pos);
}

/* Store a plain string (kernel or user memory) as a path. */
static __always_inline __u32 put_string(struct te_event *ev, int id,
					struct walk_ctx *c, const char *s,
					bool user, __u32 pos)
{
	__u32 base = c->base;
	long n;

	if (!s || base > args_max || pos > PATHS_REGION - TE_PATH_BUF)
		return pos;
	if (user)
		n = bpf_probe_read_user_str(ev->payload + base + pos, TE_PATH_BUF, s);
	else
		n = bpf_probe_read_kernel_str(ev->payload + base + pos, TE_PATH_BUF, s);
	if (n <= 0)
		return pos;
	ev->paths[id].off = pos;
	ev->paths[id].len = n;
	ev->paths[id].flags = TE_P_PRESENT |
			      (n == TE_PATH_BUF ? TE_P_TRUNCATED : 0);
	return pos + n;
}

static __always_inline __u32 put_cgroup(struct te_event *ev,
					struct walk_ctx *c,
					struct task_struct *task, __u32 pos)
{
	struct loop_ctx lc = { .slot = c->slot };
	struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);

	/*
	 * At the root of the unified hierarchy on a hybrid host, a runtime
	 * may have used the v1 controllers only: take the pids one.
	 */
	if ((!kn || !kn_parent(kn)) &&
	    bpf_core_enum_value_exists(enum cgroup_subsys_id, pids_cgrp_id)) {
		int id = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
		struct css_set *cset = BPF_CORE_READ(task, cgroups);
		struct cgroup_subsys_state *css = NULL;

		if (id >= 0 && id < CGROUP_SUBSYS_COUNT)
			bpf_probe_read_kernel(&css, sizeof(css), &cset->subsys[id]);
		if (css) {
			struct kernfs_node *v1 = BPF_CORE_READ(css, cgroup, kn);

			if (v1 && kn_parent(v1))
				kn = v1;
		}
	}
	c->kn = kn;
	if (!kn)
		return pos;
	c->pos = pos;
	c->end = pos + TE_PATH_BUF;
	c->flags = TE_P_TRUNCATED;
	bpf_loop(TE_CGROUP_DEPTH, kernfs_step, &lc, 0);
	return path_done(ev, TE_PATH_CGROUP, c, pos);
}

/* Fill the fixed part of the event from the current task. */
static __always_inline void put_task(struct te_event *ev,
				     struct task_struct *task)
{
	/* task is a BTF pointer: plain loads (fault-safe, no helper call;
	 * a helper call costs microseconds in a VM). */
	struct task_struct *parent = task->real_parent;
	struct tty_struct *tty = task->signal->tty;
	__u64 id = bpf_get_current_pid_tgid();
	__u64 ugid = bpf_get_current_uid_gid();

	ev->version = TE_ABI_VERSION;
	ev->boot_ns = bpf_ktime_get_boot_ns();
	ev->pid = id >> 32;
	ev->tid = (__u32)id;
	ev->uid = (__u32)ugid;
	ev->gid = ugid >> 32;
	ev->ppid = parent->tgid;
	bpf_probe_read_kernel_str(ev->pcomm, sizeof(ev->pcomm), parent->comm);
	bpf_get_current_comm(ev->comm, sizeof(ev->comm));
	ev->mntns = task->nsproxy->mnt_ns->ns.inum;
	ev->cgroup_id = bpf_get_current_cgroup_id();
	if (bpf_core_field_exists(task->loginuid)) {
		ev->loginuid = task->loginuid.val;
		ev->sessionid = task->sessionid;
	} else {
		ev->loginuid = (__u32)-1;
		ev->sessionid = (__u32)-1;
	}
	ev->tty_major = 0;
	ev->tty_minor = 0;
	ev->tty[0] = 0;
	if (tty) {
		ev->tty_major = tty->driver->major;
		ev->tty_minor = tty->driver->minor_start + tty->index;
		bpf_probe_read_kernel_str(ev->tty, sizeof(ev->tty), tty->name);
	}
	if (inode_upper(exe_inode(task)))
		ev->flags |= TE_F_UPPER;
	if (inode_upper(exe_inode(parent)))
		ev->flags |= TE_F_PARENT_UPPER;
}

/* Inode times before 6.11 (timespec64 members, renamed in 6.6 and 6.7). */
struct inode___ts {
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
	struct timespec64 __i_mtime;
	struct timespec64 __i_ctime;
} __attribute__((preserve_access_index));

static __always_inline void inode_times(struct inode *ino, struct te_file_id *id)
{
	struct inode___ts *o = (void *)ino;

	if (bpf_core_field_exists(ino->i_mtime_sec)) {
		id->mtime_sec = BPF_CORE_READ(ino, i_mtime_sec);
		id->mtime_nsec = BPF_CORE_READ(ino, i_mtime_nsec);
		id->ctime_sec = BPF_CORE_READ(ino, i_ctime_sec);
		/* the top bit says a multigrain ctime was queried (6.13) */
		id->ctime_nsec = BPF_CORE_READ(ino, i_ctime_nsec) & ~(1U << 31);
		return;
	}
	if (bpf_core_field_exists(o->__i_mtime)) {
		id->mtime_sec = BPF_CORE_READ(o, __i_mtime.tv_sec);
		id->mtime_nsec = BPF_CORE_READ(o, __i_mtime.tv_nsec);
	} else {
		id->mtime_sec = BPF_CORE_READ(o, i_mtime.tv_sec);
		id->mtime_nsec = BPF_CORE_READ(o, i_mtime.tv_nsec);
	}
	if (bpf_core_field_exists(o->__i_ctime)) {
		id->ctime_sec = BPF_CORE_READ(o, __i_ctime.tv_sec);
		id->ctime_nsec = BPF_CORE_READ(o, __i_ctime.tv_nsec);
	} else {
		id->ctime_sec = BPF_CORE_READ(o, i_ctime.tv_sec);
		id->ctime_nsec = BPF_CORE_READ(o, i_ctime.tv_nsec);
	}
}

/* The identity of a file, so that userspace can tell the file it opens
 * is the one that ran. */
static __always_inline void put_file_id(struct te_file_id *id, struct inode *ino)
{
	id->ino = BPF_CORE_READ(ino, i_ino);
	id->size = BPF_CORE_READ(ino, i_size);
	id->dev = BPF_CORE_READ(ino, i_sb, s_dev);
	id->fs_magic = (__u32)BPF_CORE_READ(ino, i_sb, s_magic);
	inode_times(ino, id);
}

/* The kernel's ____fput(): a file whose last reference went at the exec
 * waits on the task's task_works with it, until the exec returns. Its
 * address, found at load by te_find_fput (0: not known; the kernel gives
 * it only with CAP_SYSLOG). Not a __ksym: libbpf would read /proc/kallsyms
 * for it, which a sandboxed daemon cannot see (ProcSubset=pid). */
__u64 fput_fn;

SEC("syscall")
int te_find_fput(void *ctx)
{
	__u64 addr = 0;

	if (!bpf_kallsyms_lookup_name("____fput", sizeof("____fput"), 0, &addr))
		fput_fn = addr;
	return 0;
}

#define TE_FMODE_EXEC	040	/* __FMODE_EXEC in f_flags: opened to exec */

/* One pending task_work: the last file opened to exec seen is the
 * deepest, the file exec was given (released first, before the
 * interpreter it named was loaded). Returns 1 to stop. */
static long tw_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct callback_head *h;
	struct file *f;

	if (!c || !c->tw)
		return 1;
	h = c->tw;
	if ((__u64)BPF_CORE_READ(h, func) == fput_fn) {
		f = (void *)h - bpf_core_field_offset(struct file, f_task_work);
		if (BPF_CORE_READ(f, f_flags) & TE_FMODE_EXEC)
			c->found = f;
	}
	c->tw = BPF_CORE_READ(h, next);
	return 0;
}

/*
 * The file a successful exec was given when the program that runs is
 * another (a script's interpreter, a binfmt_misc handler): the file
 * itself, as the kernel opened it (symbolic links, "..", a relative path
 * already resolved), so that it is judged and hashed by its own path and
 * identity. binfmt_misc keeps it open for an "O" handler; otherwise exec
 * released it before loading the interpreter, and it waits to be freed
 * on the task's task_works until the exec returns. NULL when not found.
 */
static __always_inline struct file *exec_file(struct walk_ctx *c,
					      struct task_struct *task,
					      struct linux_binprm *bprm)
{
	struct loop_ctx lc = { .slot = c->slot };
	struct file *f = NULL;

	if (bpf_core_field_exists(bprm->executable))
		f = BPF_CORE_READ(bprm, executable);
	if (f || !fput_fn)
		return f;
	c->tw = BPF_CORE_READ(task, task_works);
	c->found = NULL;
	bpf_loop(TE_WALK_MAX, tw_step, &lc, 0);
	return c->found;
}

/* Collect the paths of the event after `args` bytes of arguments. */
static __always_inline __u32 put_paths(struct te_event *ev, int slot,
				       struct task_struct *task,
				       struct linux_binprm *bprm,
				       const char *user_file)
{
	struct task_struct *parent = BPF_CORE_READ(task, real_parent);
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct file *file = NULL, *script, *exe;
	__u32 key = slot, pos = 0;
	struct walk_ctx *c;

	__builtin_memset(ev->paths, 0, sizeof(ev->paths));
	c = bpf_map_lookup_elem(&walkst, &key);
	if (!c)
		return 0;
	c->slot = slot;
	c->base = ev->args_size;
	pos = put_cgroup(ev, c, task, pos);
	if (!collect_paths)
		return pos;
	c->root_dentry = BPF_CORE_READ(fs, root.dentry);
	c->root_mnt = BPF_CORE_READ(fs, root.mnt);
	pos = put_path(ev, TE_PATH_CWD, c, &fs->pwd, pos);
	exe = BPF_CORE_READ(task, mm, exe_file);
	if (bprm && BPF_CORE_READ(bprm, interp) == BPF_CORE_READ(bprm, filename)) {
		file = BPF_CORE_READ(bprm, file);
		pos = put_file(ev, TE_PATH_FILE, c, file, pos);
	} else if (bprm && (script = exec_file(c, task, bprm))) {
		pos = put_file(ev, TE_PATH_FILE, c, script, pos);
		put_file_id(&ev->file_id, BPF_CORE_READ(script, f_inode));
		ev->lineage_flags |= TE_L_FILE_ID;
		if (file_upper_read(script))
			ev->flags |= TE_F_FILE_UPPER;
		ev->flags &= ~TE_F_FILE_UPPER_UNKNOWN;
	} else if (bprm) {
		pos = put_string(ev, TE_PATH_FILE, c, BPF_CORE_READ(bprm, filename), false, pos);
	} else {
		pos = put_string(ev, TE_PATH_FILE, c, user_file, true, pos);
	}
	/* A binary (not a script) is the new executable: the same struct
	 * file, the same path, one walk. */
	if (file && file == exe)
		ev->paths[TE_PATH_EXE] = ev->paths[TE_PATH_FILE];
	else
		pos = put_file(ev, TE_PATH_EXE, c, exe, pos);
	pos = put_file(ev, TE_PATH_PEXE, c, BPF_CORE_READ(parent, mm, exe_file), pos);
	return pos;
}

/* One argv pointer or one TE_CHUNK of an argument; returns 1 to stop. */
static long argv_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct te_event *ev;
	__u32 pos;
	long n;

	if (!c)
		return 1;
	pos = c->apos;
	if (!c->cur) {
		const char *p = NULL;

		if (bpf_probe_read_user(&p, sizeof(p), &c->argv[c->idx]) || !p) {
			c->done = true;
			return 1;
		}
		c->idx++;
		if (!c->copy)
			return 0;
		c->cur = p;
	}
	ev = bpf_map_lookup_elem(&scratch, &lc->slot);
	if (!ev || pos >= args_max) {
		c->copy = false;
		c->cut = true;
		c->cur = NULL;
		return 0;
	}
	n = bpf_probe_read_user_str(ev->payload + pos, TE_CHUNK, c->cur);
	if (n <= 0) {
		ev->payload[pos] = 0;
		n = 1;
		c->cut = true;
	}
	if (n == TE_CHUNK) {
		c->apos = pos + n - 1;
		c->cur += n - 1;
	} else {
		c->apos = pos + n;
		c->cur = NULL;
	}
	return 0;
}

/* Arguments of a failed exec, from the pointers saved at entry. */
static __always_inline void put_argv(struct te_event *ev, int slot,
				     const char *const *argv)
{
	struct loop_ctx lc = { .slot = slot };
	__u32 key = slot, pos;
	struct walk_ctx *c;

	ev->argc = 0;
	ev->args_size = 0;
	c = bpf_map_lookup_elem(&walkst, &key);
	if (!argv || !c)
		return;
	c->argv = argv;
	c->cur = NULL;
	c->idx = 0;
	c->apos = 0;
	c->copy = true;
	c->done = false;
	c->cut = false;
	bpf_loop(TE_ARGV_SCAN_MAX, argv_step, &lc, 0);
	ev->argc = c->idx;
	if (!c->done)
		ev->flags |= TE_F_ARGC_INEXACT;
	pos = c->apos;
	if (pos > args_max) {
		pos = args_max;
		c->cut = true;
	}
	if (c->cut)
		ev->flags |= TE_F_ARGS_TRUNCATED;
	ev->args_size = pos;
}

/* Arguments of a successful exec, from the new process's argument area. */
static __always_inline void put_args(struct te_event *ev,
				     struct task_struct *task,
				     struct linux_binprm *bprm)
{
	struct mm_struct *mm = task->mm;
	unsigned long start = mm->arg_start;
	unsigned long len = mm->arg_end - start;

	ev->argc = bprm->argc;
	ev->args_size = 0;
	if (len > args_max) {
		len = args_max;
		ev->flags |= TE_F_ARGS_TRUNCATED;
	}
	if (len > TE_ARGS_MAX)
		return;
	if (bpf_probe_read_user(ev->payload, len, (void *)start)) {
		ev->flags |= TE_F_ARGS_TRUNCATED;
		return;
	}
	ev->args_size = len;
}

/* Wake the consumer only when it sleeps or falls behind (a race between
 * CPUs at most wakes it twice). */
static __always_inline __u64 wake_flag(void)
{
	if (consumer_asleep ||
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wake_bytes) {
		consumer_asleep = 0;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

/*
 * Lineage (trace-execd(8), EXEC_ID): an exec is named by its process's
 * tgid and start time and by the process's exec count after it. The
 * kernel keeps the count (self_exec_id, one more at each exec, copied at
 * fork) and, in parent_exec_id, the count of the forking parent: a process
 * that has not exec'd since its fork has both equal. Nothing is stored
 * here, so an id is the same whatever tracer saw the exec, or none did.
 */
static __always_inline struct task_struct *leader_of(struct task_struct *t)
{
	return t ? t->group_leader : NULL;
}

/* The exec that made the image task p runs, into ev's parent fields: the
 * nearest process up the fork chain that made exec number n itself (its
 * count at fork below n). A fork-parent must be older and have counted
 * to n (else it is not the process the child was forked from). Not found
 * within TE_LINEAGE_DEPTH: p itself, marked inferred. */
static __always_inline void put_parent_image(struct te_event *ev,
					     struct task_struct *p)
{
	struct task_struct *t = leader_of(p), *up;
	__u64 n = t ? t->self_exec_id : 0;
	int i;

	for (i = 0; t && n && i < TE_LINEAGE_DEPTH; i++) {
		if (t->parent_exec_id < n) {
			ev->ptgid = t->tgid;
			ev->pstart_ns = t->start_boottime;
			ev->pexec_count = n;
			return;
		}
		up = leader_of(t->real_parent);
		if (!up || up == t || up->start_boottime > t->start_boottime ||
		    up->self_exec_id < n)
			break;
		t = up;
	}
	t = leader_of(p);
	ev->lineage_flags |= TE_L_PARENT_INFERRED;
	ev->ptgid = t ? t->tgid : 0;
	ev->pstart_ns = t ? t->start_boottime : 0;
	ev->pexec_count = t ? t->self_exec_id : 0;
}

/* The identity of the new executable (the interpreter of a script). */
static __always_inline void put_exe_id(struct te_event *ev,
				       struct task_struct *task)
{
	struct inode *ino = exe_inode(task);

	if (!ino)
		return;
	put_file_id(&ev->exe_id, ino);
	ev->lineage_flags |= TE_L_EXE_ID;
}

/* The lineage fields and, for a successful exec (the task runs its new
 * executable), the executable's identity. */
static __always_inline void put_lineage(struct te_event *ev,
					struct task_struct *task, bool exec_done)
{
	struct task_struct *me = leader_of(task);

	__builtin_memset(&ev->exe_id, 0, sizeof(ev->exe_id));
	ev->start_ns = me ? me->start_boottime : 0;
	ev->exec_count = me ? me->self_exec_id : 0;
	put_parent_image(ev, me ? me->real_parent : NULL);
	if (exec_done)
		put_exe_id(ev, task);
}

/* A SIGKILL already pending for the task (a kill rule of another tracer
 * attached before this one). */
static __always_inline bool kill_pending(struct task_struct *task)
{
	return task->pending.signal.sig[0] & (1UL << (SIGKILL_NR - 1));
}

/* Byte i of the event's arguments, or -1 past them. */
static __always_inline int abyte(struct te_event *ev, __u32 i)
{
	if (i >= ev->args_size || i >= args_max)
		return -1;
	return ev->payload[i];
}

/* The n bytes of the payload at off into buf (zero-filled past what it
 * holds); false when off is past it. */
static __always_inline bool payload_bytes(struct te_event *ev, __u64 off,
					  char *buf, __u32 n)
{
	if (off >= (__u64)args_max + PATHS_REGION)
		return false;
	return !bpf_probe_read_kernel(buf, n, ev->payload + off);
}

/* Whether the executable's name is a dynamic loader's ("ld-*.so*",
 * "ld.so*", "ld64.so*": glibc's and musl's), by its walked path: only
 * root installs a file under such a name where it can be run (a copy
 * elsewhere is a binary of its own, with its own path and layer). */
static __always_inline bool exe_is_loader(struct te_event *ev)
{
	struct te_path_ref *p = &ev->paths[TE_PATH_EXE];
	char n[64];
	__u32 i;

	if (!(p->flags & TE_P_COMPONENTS) ||
	    !payload_bytes(ev, (__u64)ev->args_size + p->off, n, sizeof(n)))
		return false;
	if (n[0] != 'l' || n[1] != 'd' ||
	    (n[2] != '-' && n[2] != '.' && !(n[2] == '6' && n[3] == '4' && n[4] == '.')))
		return false;
	for (i = 2; i < sizeof(n) - 4; i++) {
		if (!n[i])
			return false;
		if (n[i] == '.' && n[i + 1] == 's' && n[i + 2] == 'o' &&
		    (!n[i + 3] || n[i + 3] == '.'))
			return true;
	}
	return false;
}

/* Whether the argument at a of the payload is the string s (of n < 24
 * bytes). */
static __always_inline bool arg_is(const char *arg, const char *s, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (arg[i] != s[i])
			return false;
	return arg[n] == 0;
}

/* Where argv[0] ends (its NUL) in the arguments; returns 1 to stop. */
static long nul_step(__u32 i, struct loop_ctx *lc)
{
	struct walk_ctx *c = bpf_map_lookup_elem(&walkst, &lc->slot);
	struct te_event *ev = bpf_map_lookup_elem(&scratch, &lc->slot);
	int b;

	if (!c || !ev)
		return 1;
	b = abyte(ev, i);
	if (b > 0)
		return 0;
	c->apos = b == 0 ? i : ~0U;
	return 1;
}

/*
 * TE_F_LOADER: the dynamic loader runs a program it was given
 * ("ld.so PROGRAM", what runs is not the executable the record names).
 * Only what surely runs no program is left out: argc 1 (usage), "--help",
 * "--version", "--list-tunables", "--list-diagnostics" alone, and
 * "--verify FILE" (ldd's first step). Listing ("--list", ldd's
 * LD_TRACE_LOADED_OBJECTS) may relocate, and run the program's resolvers.
 */
static __always_inline void put_loader(struct te_event *ev, int slot,
				       struct linux_binprm *bprm)
{
	struct loop_ctx lc = { .slot = slot };
	__u32 key = slot, argc = bprm->argc, a;
	struct walk_ctx *c;
	char arg[24];

	if (argc < 2 || !exe_is_loader(ev))
		return;
	c = bpf_map_lookup_elem(&walkst, &key);
	if (!c)
		return;
	c->apos = ~0U;
	bpf_loop(TE_ARGS_MAX, nul_step, &lc, 0);
	a = c->apos + 1;
	if (c->apos != ~0U && a < ev->args_size &&
	    payload_bytes(ev, a, arg, sizeof(arg)) &&
	    ((argc == 3 && arg_is(arg, "--verify", 8)) ||
	     (argc == 2 && (arg_is(arg, "--help", 6) ||
			    arg_is(arg, "--version", 9) ||
			    arg_is(arg, "--list-tunables", 15) ||
			    arg_is(arg, "--list-diagnostics", 18)))))
		return;
	ev->flags |= TE_F_LOADER;
}

/* Build and send one event; bprm is NULL for a failed exec. With
 * judge_only (an exec of a uid the tracer does not follow) the event is
 * built for the kill rules alone and sent only when one decided it.
 * Returns the bytes of the record sent, 0 when none was. */
static __always_inline __u32 emit(struct task_struct *task,
				  struct linux_binprm *bprm,
				  struct pending *p, int ret, bool judge_only)
{
	__u32 *mask = NULL, size, sent = 0;
	struct te_event *ev;
	int slot;

	if (te_off)
		return 0;
	slot = slot_claim(&mask);
	if (slot < 0)
		return 0;
	ev = bpf_map_lookup_elem(&scratch, &slot);
	if (!ev) {
		count(TE_LOST_SCRATCH);
		goto out;
	}
	ev->flags = 0;
	ev->retval = ret;
	ev->kgen = 0;
	ev->krule = 0;
	ev->kaction = TE_KA_NONE;
	ev->kpad = 0;
	ev->kmntns_id = mntns_id(task);
	ev->lineage_flags = 0;
	__builtin_memset(&ev->file_id, 0, sizeof(ev->file_id));
	put_task(ev, task);
	put_lineage(ev, task, bprm != NULL);
	if (bprm) {
		put_args(ev, task, bprm);
		if (bprm->interp == bprm->filename) {
			if (file_upper(bprm->file))
				ev->flags |= TE_F_FILE_UPPER;
		} else {
			ev->flags |= TE_F_FILE_UPPER_UNKNOWN;
		}
	} else {
		ev->flags |= TE_F_FAILED | TE_F_FILE_UPPER_UNKNOWN;
		if (p && p->at_dirfd)
			ev->flags |= TE_F_FILE_AT_DIRFD;
		/* Past the point of no return the old memory is gone, and
		 * the saved pointers would read the new one. */
		if (p && p->mm != task->mm) {
			ev->flags |= TE_F_NO_RETURN | TE_F_ARGC_INEXACT;
			p = NULL;
		}
		put_argv(ev, slot, p ? p->argv : NULL);
	}
	ev->paths_size = put_paths(ev, slot, task, bprm, p ? p->filename : NULL);
	if (bprm) {
		put_loader(ev, slot, bprm);
		if (kill_pending(task))
			ev->flags |= TE_F_KILLED;
		kill_rules_judge(ev, slot, task);
	}
	if (judge_only && ev->kaction == TE_KA_NONE)
		goto out;
	size = ev->args_size;
	if (size > args_max)
		goto out;
	size += sizeof(*ev);
	if (ev->paths_size > PATHS_REGION)
		goto out;
	size += ev->paths_size;
	if (bpf_ringbuf_output(&events, ev, size, wake_flag()))
		count(TE_LOST_RINGBUF);
	else
		sent = size;
out:
	slot_release(mask, slot);
	return sent;
}

static __always_inline bool uid_wanted(void)
{
	return !cfg_uid_filter || (__u32)bpf_get_current_uid_gid() == cfg_uid;
}

static __always_inline int on_enter(const char *filename,
				    const char *const *argv, bool at_dirfd)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending p = {
		.filename = filename, .argv = argv, .at_dirfd = at_dirfd,
	};

	if (cfg_ignore_failed || !uid_wanted())
		return 0;
	p.mm = bpf_get_current_task_btf()->mm;
	if (bpf_map_update_elem(&pending, &tid, &p, BPF_ANY))
		count(TE_LOST_PENDING);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int te_enter_execve(struct trace_event_raw_sys_enter *ctx)
{
	return on_enter((const char *)ctx->args[0],
			(const char *const *)ctx->args[1], false);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int te_enter_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return on_enter((const char *)ctx->args[1],
			(const char *const *)ctx->args[2],
			(int)ctx->args[0] != -100 /* AT_FDCWD */);
}

/* Forget tid's pending exec; true if there was one. A lookup takes no
 * lock, a delete does even of nothing: look first. */
static __always_inline bool pending_drop(__u32 tid)
{
	return bpf_map_lookup_elem(&pending, &tid) &&
	       bpf_map_delete_elem(&pending, &tid) == 0;
}

/* An entry still pending at syscall exit belongs to a failed exec. */
static __always_inline int on_exit(long ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pending *p = bpf_map_lookup_elem(&pending, &tid);
	struct task_struct *task;
	struct charge c;

	if (!p)
		return 0;
	task = (struct task_struct *)bpf_get_current_task_btf();
	/* switched off, emit sends nothing: no budget is looked at either */
	if (!cfg_ignore_failed && !te_off && fail_budget(p, task, (int)ret, &c))
		fail_charge(&c, emit(task, NULL, p, (int)ret, false));
	bpf_map_delete_elem(&pending, &tid);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_execve")
int te_exit_execve(struct trace_event_raw_sys_exit *ctx)
{
	return on_exit(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int te_exit_execveat(struct trace_event_raw_sys_exit *ctx)
{
	return on_exit(ctx->ret);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(te_exec, struct task_struct *task, pid_t old_pid,
	     struct linux_binprm *bprm)
{
	__u32 old = old_pid, pid = task->pid;

	pending_drop(old);
	if (old != pid)
		pending_drop(pid);
	/* the kill rules judge every uid's execs, followed or not */
	if (!uid_wanted()) {
		if (kill_rules_active())
			emit(task, bprm, NULL, 0, true);
		return 0;
	}
	emit(task, bprm, NULL, 0, false);
	return 0;
}

/* A thread that dies inside exec never reaches sys_exit: forget it. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(te_exit, struct task_struct *task)
{
	__u32 tid = task->pid;

	pending_drop(tid);
	return 0;
}
