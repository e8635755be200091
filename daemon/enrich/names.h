/* names.h: cached user and group names for uids and gids ("uid:N" when none). */
#ifndef TRACE_EXECD_NAMES_H
#define TRACE_EXECD_NAMES_H

#include <stdint.h>

struct names;

int names_new(struct names **out);
void names_free(struct names *n);
/* Forget every cached name when the user database changed (cheap to call often). */
void names_refresh(struct names *n);
/* Name of a uid/gid; the string lives until the next names_refresh(). */
const char *names_user(struct names *n, uint32_t uid);
const char *names_group(struct names *n, uint32_t gid);

#endif
