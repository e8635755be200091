/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kill-containers.h: the kernel's table of verified containers (te_kct, probed as bpf/kill-rules.bpf.c probes it): entries put, freed and read by userspace. */
#ifndef TRACE_EXECD_KILL_CONTAINERS_H
#define TRACE_EXECD_KILL_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_exec.h"

/* The index of mount namespace id ns in tab[TE_KCT_SLOTS] as the kernel
 * finds it, or -1 when it is not there. */
int kct_find(const struct te_kct *tab, uint64_t ns);

/*
 * Set the bits of ns (namespace inode ino) for rule set slot `slot`,
 * computed for rule set generation gen: its entry, else a free or freed
 * one of its probes (made visible to the kernel last). Returns the index
 * or -ENOSPC when its probes are all taken by other namespaces.
 */
int kct_put(struct te_kct *tab, uint64_t ns, uint64_t ino, uint32_t slot,
	    uint32_t gen, uint64_t bits);

/* Free every entry whose namespace (id, inode) keep() says is gone;
 * returns how many were freed. */
size_t kct_sweep(struct te_kct *tab,
		 bool (*keep)(uint64_t id, uint64_t ino, void *arg), void *arg);

/* Entries in use. */
size_t kct_count(const struct te_kct *tab);

/* The highest rule set generation any entry's bits were computed for. */
uint32_t kct_max_gen(const struct te_kct *tab);

#endif
