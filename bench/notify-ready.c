// SPDX-License-Identifier: GPL-2.0-or-later
/* notify-ready.c: run a service with NOTIFY_SOCKET set, record how long it takes to send READY=1, its last STATUS= and the longest gap between its WATCHDOG=1 messages (up to its stop). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long status_seq;	/* STATUS= messages received */
static unsigned long watchdogs;		/* WATCHDOG=1 messages received */
static double watchdog_last, watchdog_max_gap;	/* ms, CLOCK_REALTIME */

static double clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double mono_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

/* When the datagram of mh came in, in ms of CLOCK_REALTIME: the kernel's
 * stamp (SO_TIMESTAMPNS), so that a gap is the service's, not how late
 * this process got to read it; the time now when there is none. */
static double arrival_ms(struct msghdr *mh)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
		}
	return clock_ms(CLOCK_REALTIME);
}

/*
 * Rewrite the state file: ms to READY=1 (-1 before), the pid, how many
 * STATUS= messages came so far and the last one.
 */
static void write_state(const char *path, double ready_ms, pid_t pid,
			const char *status)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "ready_ms=%.3f\npid=%d\nseq=%lu\nwatchdogs=%lu\nwatchdog_max_gap_ms=%.0f\nstatus=%s\n",
		ready_ms, (int)pid, status_seq, watchdogs, watchdog_max_gap, status);
	if (fclose(f) == 0)
		rename(tmp, path);
}

/* The time from the last WATCHDOG=1 (or READY=1) to now, a gap so far. */
static void note_gap(double now)
{
	if (watchdog_last > 0 && now - watchdog_last > watchdog_max_gap)
		watchdog_max_gap = now - watchdog_last;
}

/* A WATCHDOG=1 came at `at`: the gap since the last one (or READY=1). */
static void note_watchdog(double at)
{
	note_gap(at);
	watchdog_last = at;
	watchdogs++;
}

/* The value of KEY= in a notify datagram (newline-separated), or NULL. */
static const char *find_key(char *msg, const char *key, size_t *len)
{
	size_t kl = strlen(key);
	char *p = msg, *nl;

	while (p && *p) {
		nl = strchr(p, '\n');
		if (!strncmp(p, key, kl)) {
			*len = nl ? (size_t)(nl - p) - kl : strlen(p) - kl;
			return p + kl;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096], status[1024] = "", sockpath[108];
	char cbuf[CMSG_SPACE(sizeof(struct timespec)) + CMSG_SPACE(sizeof(struct ucred))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	double t0, ready_ms = -1, at;
	const char *state, *v;
	struct pollfd pfd[2];
	sigset_t mask;
	size_t len;
	pid_t pid;
	int fd, sfd, wst = 0, one = 1;
	bool exited = false, stopping = false;
	ssize_t n;

	if (argc < 4 || strcmp(argv[2], "--")) {
		fprintf(stderr, "Usage: notify-ready STATEFILE -- COMMAND [ARGS...]\n"
			"Run COMMAND with NOTIFY_SOCKET set; write to STATEFILE the\n"
			"ms from start to READY=1, COMMAND's pid, its last STATUS=, and\n"
			"the WATCHDOG=1 count and longest gap, by the kernel's arrival\n"
			"times (set WATCHDOG_USEC; the time from the last one to the\n"
			"first SIGTERM or SIGINT counts too, as for systemd's watchdog,\n"
			"which runs until the stop).\n"
			"SIGTERM and SIGINT are passed on; exits with COMMAND's status.\n");
		return 2;
	}
	state = argv[1];
	snprintf(sockpath, sizeof(sockpath), "/run/notify-ready.%d.sock", getpid());
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sockpath);
	unlink(sockpath);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("notify-ready: notify socket");
		return 2;
	}
	setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("notify-ready: signalfd");
		return 2;
	}
	write_state(state, -1, 0, "");
	t0 = mono_ms();
	pid = fork();
	if (pid < 0) {
		perror("notify-ready: fork");
		return 2;
	}
	if (pid == 0) {
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
		setenv("NOTIFY_SOCKET", sockpath, 1);
		execvp(argv[3], argv + 3);
		perror("notify-ready: exec");
		_exit(127);
	}
	write_state(state, -1, pid, "");
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = sfd;
	pfd[1].events = POLLIN;
	while (!exited) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[0].revents & POLLIN) {
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof(cbuf);
			n = recvmsg(fd, &mh, MSG_DONTWAIT);
			if (n > 0) {
				buf[n] = 0;
				at = arrival_ms(&mh);
				if (ready_ms < 0 && find_key(buf, "READY=1", &len)) {
					ready_ms = mono_ms() - t0;
					watchdog_last = at;
				}
				/* systemd's watchdog ends at the stop */
				if (!stopping && find_key(buf, "WATCHDOG=1", &len))
					note_watchdog(at);
				v = find_key(buf, "STATUS=", &len);
				if (v) {
					if (len >= sizeof(status))
						len = sizeof(status) - 1;
					memcpy(status, v, len);
					status[len] = 0;
					status_seq++;
				}
				write_state(state, ready_ms, pid, status);
			}
		}
		if (pfd[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo == SIGCHLD) {
				if (waitpid(pid, &wst, WNOHANG) == pid)
					exited = true;
			} else {
				if (!stopping && getenv("WATCHDOG_USEC"))
					note_gap(clock_ms(CLOCK_REALTIME));
				stopping = true;
				kill(pid, si.ssi_signo);
			}
		}
	}
	/* Whatever the service said before exiting. */
	while ((n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT)) > 0) {
		buf[n] = 0;
		v = find_key(buf, "STATUS=", &len);
		if (v) {
			if (len >= sizeof(status))
				len = sizeof(status) - 1;
			memcpy(status, v, len);
			status[len] = 0;
		}
	}
	write_state(state, ready_ms, pid, status);
	unlink(sockpath);
	if (WIFEXITED(wst))
		return WEXITSTATUS(wst);
	return 128 + (WIFSIGNALED(wst) ? WTERMSIG(wst) : 0);
}
