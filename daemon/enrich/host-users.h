/* SPDX-License-Identifier: GPL-2.0-or-later */
/* host-users.h: names of uids and gids in the host's user database, cached ("uid:N" when none). */
#ifndef TRACE_EXECD_HOST_USERS_H
#define TRACE_EXECD_HOST_USERS_H

#include <stdint.h>

/* Names cached per kind (users, groups); the least recently used go first. */
#define HOST_USERS_MAX	1024

struct host_users;

int host_users_new(struct host_users **out);
void host_users_free(struct host_users *hu);
/* Forget every cached name when the user database changed (cheap to call often). */
void host_users_refresh(struct host_users *hu);
/* Name of a uid/gid; the string lives until the next host_users_refresh(),
 * or until HOST_USERS_MAX other ids of its kind were asked for after it
 * (the names of one event stay). */
const char *host_user_name(struct host_users *hu, uint32_t uid);
const char *host_group_name(struct host_users *hu, uint32_t gid);

#endif
