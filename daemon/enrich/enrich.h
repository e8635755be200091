/* enrich.h: add names and container identity to a decoded event. */
#ifndef TRACE_EXECD_ENRICH_H
#define TRACE_EXECD_ENRICH_H

#include <stdint.h>

#include "policy/config.h"
#include "core/event.h"

struct enricher;

/* paths NULL: the default runtime state directories. */
int enricher_new(struct enricher **out, const struct te_containers *paths);
void enricher_free(struct enricher *e);
/*
 * Fill ev->container from the cgroup the kernel captured, then the user,
 * group and login user names: from the container's own /etc/passwd and
 * /etc/group for a process in a container ("uid:N" when it has no name
 * there), from the host's user database otherwise. The login uid is the
 * host's audit login uid, so its name comes from the host.
 */
void enrich_event(struct enricher *e, struct exec_event *ev, uint64_t now_usec);
/* About once a second: refresh the name caches, expire old containers. */
void enricher_tick(struct enricher *e, uint64_t now_usec);

#endif
