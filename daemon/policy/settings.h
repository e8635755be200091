/* SPDX-License-Identifier: GPL-2.0-or-later */
/* settings.h: the settings of a configuration (its `settings:` map) as the daemon and the kernel's rules read them (config/settings-parse.c fills them in, defaults first). */
#ifndef TRACE_EXECD_SETTINGS_H
#define TRACE_EXECD_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#define TE_PATH_MAX		4096
#define TE_PROTECT_MAX		32	/* protected paths */
#define TE_PROTECT_LEN		256	/* bytes of one, NUL included */

enum te_stdout_fmt {
	TE_STDOUT_NONE,
	TE_STDOUT_TABLE,
	TE_STDOUT_JSON,
};

struct te_outputs {
	bool journal;			/* default true */
	bool syslog;			/* RFC 5424 to /dev/log, default false */
	enum te_stdout_fmt stdout_fmt;	/* default TE_STDOUT_NONE */
};

/* Where container runtimes keep their state: absolute paths, or "" for
 * the runtime's default (which the enrich module knows). */
struct te_containers {
	char podman_storage[TE_PATH_MAX];
	char docker_root[TE_PATH_MAX];
	char containerd_state[TE_PATH_MAX];
	char crio_state[TE_PATH_MAX];
	char runc_state[TE_PATH_MAX];
};

/* The `settings:` map; settings_defaults() (config/settings-parse.h)
 * gives every default. */
struct te_settings {
	bool ignore_failed;		/* default false */
	bool paths;			/* default true */
	bool uid_set;			/* trace only `uid` when true */
	uint32_t uid;
	uint32_t max_args_bytes;	/* default 32768, 1024..1048576 */
	uint64_t ringbuf_size;		/* bytes, default 4M, power of two */
	uint32_t pending_max;		/* default 10240 */
	uint64_t failed_exec_budget;	/* ring bytes a second of failed execs
					 * per uid, the rest folded; 0: no
					 * limit; default 1M */
	uint64_t failed_exec_budget_cgroup;	/* the same per cgroup, 4M */
	struct te_outputs outputs;
	int syslog_facility;		/* LOG_AUTHPRIV etc. from <syslog.h> */
	uint64_t lost_report_interval_usec;	/* default 10 s */
	uint64_t journal_backlog;	/* bytes, default 64M, 1M..16G */
	uint64_t syslog_backlog;	/* bytes, default 64M, 1M..16G */
	int default_priority;		/* LOG_INFO etc., for unmatched events */
	struct te_containers containers;
	bool enforce;			/* kill rules kill; default false (dry run) */
	size_t nprotect;		/* never killed: absolute paths or /PATH* */
	char protect[TE_PROTECT_MAX][TE_PROTECT_LEN];
	bool hash_sha256;		/* EXEC_SHA256, default true */
	uint64_t hash_wait_usec;	/* default 200 ms, 0..10 s */
	uint64_t hash_max_size;		/* bytes, default 256M, 1..64G */
	uint32_t hash_cache_entries;	/* default 8192, 128..1048576 */
	bool package_verify;		/* EXEC_PACKAGE_VERIFIED, default true
					 * (with the hash) */
	bool first_seen;		/* EXEC_FIRST_SEEN, default true (with
					 * the hash) */
	uint32_t first_seen_entries;	/* default 16384, 1024..1048576 */
	char first_seen_file[TE_PATH_MAX];	/* "" (default): the state
					 * directory's first-seen */
	char metrics_file[TE_PATH_MAX];	/* "" (default): none */
};

#endif
