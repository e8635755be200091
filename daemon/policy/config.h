/* config.h: the configuration file: settings, rules, drop-ins, errors. */
#ifndef TRACE_EXECD_CONFIG_H
#define TRACE_EXECD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/config-errors.h"

struct policy;

#ifndef SYSCONFDIR
#define SYSCONFDIR		"/etc"
#endif
#define TE_CONFIG_PATH		SYSCONFDIR "/trace-execd/trace-execd.yaml"
#define TE_PATH_MAX		4096

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

/* Where container runtimes keep their state (absolute paths). */
struct te_containers {
	char podman_storage[TE_PATH_MAX];
	char docker_root[TE_PATH_MAX];
	char containerd_state[TE_PATH_MAX];
	char crio_state[TE_PATH_MAX];
	char runc_state[TE_PATH_MAX];
};

/* The `settings:` map; settings_defaults() gives every default. */
struct te_settings {
	bool ignore_failed;		/* default false */
	bool paths;			/* default true */
	bool uid_set;			/* trace only `uid` when true */
	uint32_t uid;
	uint32_t max_args_bytes;	/* default 32768, 1024..1048576 */
	uint64_t ringbuf_size;		/* bytes, default 4M, power of two */
	uint32_t pending_max;		/* default 10240 */
	struct te_outputs outputs;
	int syslog_facility;		/* LOG_AUTHPRIV etc. from <syslog.h> */
	uint64_t lost_report_interval_usec;	/* default 10 s */
	int default_priority;		/* LOG_INFO etc., for unmatched events */
	struct te_containers containers;
};

/* A loaded configuration; replace the whole object to reload. */
struct config {
	struct te_settings settings;
	struct policy *policy;		/* never NULL in a loaded config */
	char *path;			/* main file, or the buffer's name */
};

/* Fill s with the defaults. */
void settings_defaults(struct te_settings *s);

/*
 * Load the main file `path` and the drop-ins `*.yaml` of dropin_dir (NULL:
 * the directory rules.d beside path), in strcmp order. Every file must be a
 * regular file owned by root or the effective uid and not group- or
 * world-writable. Returns 0 and a new config in *out, -EINVAL when errors
 * were appended to errs (NULL: not recorded), or -ENOMEM.
 */
int config_load(const char *path, const char *dropin_dir,
		struct config **out, struct config_errors *errs);
/* Parse one in-memory main file called `name` (no file checks, no
 * drop-ins); same returns as config_load(). Safe on any bytes. */
int config_parse_buffer(const char *name, const void *data, size_t len,
			struct config **out, struct config_errors *errs);
void config_free(struct config *c);

#endif
