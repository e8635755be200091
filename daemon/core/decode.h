/* SPDX-License-Identifier: GPL-2.0-or-later */
/* decode.h: turn one ring-buffer record into a struct exec_event. */
#ifndef TRACE_EXECD_DECODE_H
#define TRACE_EXECD_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "core/event.h"
#include "core/strbuf.h"

/* Buffers an event points into; reused from one event to the next. */
struct decoder {
	struct strbuf args;
	const char **argp;
	size_t *lens;
	size_t argp_cap, lens_cap;	/* room in argp, in lens */
	struct strbuf path[EXEC_PATH_NR];
	int64_t boot_to_real_ns;	/* CLOCK_REALTIME - CLOCK_BOOTTIME */
	char boot[17];			/* the boot id's first 16 hex digits */
};

void decoder_init(struct decoder *d);
void decoder_free(struct decoder *d);
/* Re-read the offset between the boot and wall clocks. */
void decoder_sync_clock(struct decoder *d);
/* Decode a record: exact argument bytes, paths as the kernel side walked
 * them (unmarked; see format/event-text.h) and their flags (truncated,
 * deleted, unreachable, walked). Returns 0,
 * -EBADMSG for a malformed record, or -ENOMEM. */
int decode_event(struct decoder *d, const void *data, size_t size,
		 struct exec_event *ev);
struct te_fold_key;
struct te_fold;
/* Decode a fold the kernel side made (tracer_take_folds()); 0, or
 * -EBADMSG when it is not one it could have made. */
int decode_fold(const struct decoder *d, const struct te_fold_key *k,
		const struct te_fold *raw, struct exec_fold *out);
/* EXEC_ID of the exec made by process tgid started at start_ns (boot
 * clock) as its exec number n, on the boot whose id's first 16 hex digits
 * are boot: "BOOT-START-TGID-N". */
void exec_id_format(char out[EXEC_ID_LEN], const char *boot, uint64_t start_ns,
		    uint32_t tgid, uint64_t n);
/* The first 16 hex digits of this boot's id into out[17], from
 * /proc/sys/kernel/random/boot_id, else (a sandbox that hides /proc/sys)
 * from $TRACE_EXECD_BOOT_ID; 0 or -errno. */
int boot_id_read(char out[17]);
/* "pts/3" for a pseudo-terminal, the kernel's name otherwise. */
void tty_format(char *out, size_t len, unsigned int major, const char *name);

#endif
