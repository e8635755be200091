// SPDX-License-Identifier: GPL-2.0-or-later
/* container-proof.c: whether an exec's cgroup or mount namespace is its container's, by the runtime's own records. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"
#include "enrich/container-internal.h"

#define CGROUP_MOUNT		"/sys/fs/cgroup"
#define PROC_STAT_MAX		4096	/* bytes of /proc/PID/stat read */
#define START_SLACK_USEC	100000	/* clock rounding when start times are compared */

void proof_clear(struct container_proof *pf)
{
	const char *cgroup = pf->cgroup;

	memset(pf, 0, sizeof(*pf));
	pf->cgroup = cgroup;
}

/* The next component of s[*pos..len) (slashes skipped); false at the end. */
static bool next_comp(const char *s, size_t len, size_t *pos, const char **c,
		      size_t *clen)
{
	size_t i = *pos;

	while (i < len && s[i] == '/')
		i++;
	if (i == len)
		return false;
	*c = s + i;
	while (i < len && s[i] != '/')
		i++;
	*clen = (size_t)(s + i - *c);
	*pos = i;
	return true;
}

/* Whether cgroup path e is r[0..rlen) or below it; r is never the root. */
static bool cgroup_within(const char *e, const char *r, size_t rlen)
{
	size_t ep = 0, rp = 0, elen = strlen(e), ecl, rcl, n = 0;
	const char *ec, *rc;

	while (next_comp(r, rlen, &rp, &rc, &rcl)) {
		if (!next_comp(e, elen, &ep, &ec, &ecl) || ecl != rcl ||
		    memcmp(ec, rc, rcl))
			return false;
		n++;
	}
	return n > 0;
}

/* Record that a runtime's record names cgroup r[0..rlen). */
static void proof_cgroup(struct container_proof *pf, const char *r, size_t rlen)
{
	if (pf->cgroup && !pf->cgroup_ok && cgroup_within(pf->cgroup, r, rlen))
		pf->cgroup_ok = true;
}

/*
 * Append systemd's cgroup path of slice s[0..len): "a-b.slice" is
 * /a.slice/a-b.slice, "-.slice" the root. -EINVAL for a bad slice name.
 */
static int put_slice(struct strbuf *sb, const char *s, size_t len)
{
	size_t n, i;
	int r = 0;

	if (len < 6 || memcmp(s + len - 6, ".slice", 6) || memchr(s, '/', len))
		return -EINVAL;
	n = len - 6;
	if (n == 1 && s[0] == '-')
		return 0;
	if (n == 0 || s[0] == '-' || s[n - 1] == '-')
		return -EINVAL;
	for (i = 1; r == 0 && i < n; i++) {
		if (s[i] != '-')
			continue;
		if (s[i - 1] == '-')
			return -EINVAL;
		r = sb_printf(sb, "/%.*s.slice", (int)i, s);
	}
	return r ? r : sb_printf(sb, "/%.*s", (int)len, s);
}

/*
 * The cgroup the systemd driver of runc makes for (parent, prefix, name):
 * <parent's path>/<prefix>-<name>.scope (parent system.slice when empty),
 * or the slice's own path when name is a slice.
 */
static void proof_systemd(struct container_proof *pf, const char *parent,
			  size_t plen, const char *prefix, size_t xlen,
			  const char *name, size_t nlen)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (!nlen || memchr(name, '/', nlen) || memchr(prefix, '/', xlen))
		return;
	if (nlen > 6 && !memcmp(name + nlen - 6, ".slice", 6)) {
		r = put_slice(&sb, name, nlen);
	} else {
		r = plen ? put_slice(&sb, parent, plen) :
			   put_slice(&sb, "system.slice", 12);
		if (r == 0)
			r = sb_printf(&sb, "/%.*s%s%.*s.scope", (int)xlen, prefix,
				      xlen ? "-" : "", (int)nlen, name);
	}
	if (r == 0 && sb.p)
		proof_cgroup(pf, sb.p, sb.len);
	sb_free(&sb);
}

void proof_systemd_cgroup(struct container_proof *pf, const char *parent,
			  const char *prefix, const char *name)
{
	if (!name)
		return;
	parent = parent ? parent : "";
	prefix = prefix ? prefix : "";
	proof_systemd(pf, parent, strlen(parent), prefix, strlen(prefix), name,
		      strlen(name));
}

void proof_oci_cgroup(struct container_proof *pf, const char *path)
{
	const char *c1, *c2;

	if (!path || !*path)
		return;
	c1 = strchr(path, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (path[0] != '/' && c2 && !strchr(c2 + 1, ':'))
		proof_systemd(pf, path, (size_t)(c1 - path), c1 + 1,
			      (size_t)(c2 - c1 - 1), c2 + 1, strlen(c2 + 1));
	else
		proof_cgroup(pf, path, strlen(path));	/* relative: from the root */
}

void proof_cgroup_dir(struct container_proof *pf, const char *dir)
{
	const char *rest;

	if (!dir || strncmp(dir, CGROUP_MOUNT "/", sizeof(CGROUP_MOUNT)))
		return;
	rest = dir + sizeof(CGROUP_MOUNT) - 1;		/* cgroup v2 there */
	proof_cgroup(pf, rest, strlen(rest));
	rest = strchr(rest + 1, '/');			/* a v1 hierarchy, or unified */
	if (rest)
		proof_cgroup(pf, rest, strlen(rest));
}

void proof_init(struct container_proof *pf, uint32_t pid, uint64_t start_ticks,
		uint64_t seen_usec)
{
	if (!pid || (!start_ticks && !seen_usec))
		return;		/* a pid that cannot be checked is not taken */
	if (pf->init_pid && (pf->init_start || !start_ticks))
		return;
	pf->init_pid = pid;
	pf->init_start = start_ticks;
	pf->init_seen_usec = start_ticks ? 0 : seen_usec;
}

/* Start of the process of /proc/PID dir fd, in clock ticks after boot. 0 or -errno. */
static int proc_start(int dir, uint64_t *start)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned long long v;
	const char *p;
	int r;

	r = read_file_bounded(dir, "stat", PROC_STAT_MAX, &sb);
	p = r == 0 ? strrchr(sb.p, ')') : NULL;
	/* fields 3 (state) to 21 after the command name, then 22: starttime */
	if (r == 0 && (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u "
				    "%*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
				    &v) != 1))
		r = -EINVAL;
	if (r == 0)
		*start = v;
	sb_free(&sb);
	return r;
}

/* Whether a process started start_ticks after boot had started by seen_usec. */
static bool started_by(uint64_t start_ticks, uint64_t seen_usec)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t boot_usec, start_usec;

	if (hz <= 0 || !seen_usec)
		return false;
	boot_usec = clock_usec(CLOCK_REALTIME) - clock_usec(CLOCK_BOOTTIME);
	start_usec = boot_usec + start_ticks * 1000000 / (uint64_t)hz;
	return start_usec <= seen_usec + START_SLACK_USEC;
}

uint64_t proof_init_mntns(const struct container_proof *pf)
{
	struct stat st;
	uint64_t start, ino = 0;
	char path[32];
	int dir;

	if (!pf->init_pid)
		return 0;
	/* The directory stands for that process: after a reuse of its pid,
	 * reads through it fail instead of naming the newcomer. */
	snprintf(path, sizeof(path), "/proc/%u", pf->init_pid);
	dir = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return 0;
	if (proc_start(dir, &start) == 0 &&
	    (pf->init_start ? start == pf->init_start :
			      started_by(start, pf->init_seen_usec)) &&
	    fstatat(dir, "ns/mnt", &st, 0) == 0)
		ino = (uint64_t)st.st_ino;
	close(dir);
	return ino;
}
