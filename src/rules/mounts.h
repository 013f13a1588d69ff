/* The mounts rule's settings. The rule reads them, and so do the host path checks every rule
 * shares (rules/paths.c: the deny list, racy sources), rule mount_types' overlay directories (the
 * allow list) and the ID-mapped rootfs check (the deny list). */
#pragma once

#include <stdbool.h>

#include "policy.h"
#include "settings.h"

struct mounts_settings {
        char **deny;        /* NULL: the built-in list (mounts_default_deny) */
        char **allow;       /* NULL: the built-in list (mounts_allow) */
        char **rootfs;      /* NULL: the built-in list */
        bool special_files; /* sockets and device nodes may be bind sources */
        bool racy_sources;  /* sources in directories non-root users can change */
};

/* CIS Docker Benchmark 5.6 and 5.32, PSS hostPath: the host's system directories, engine state
 * and every engine's API socket. Defined in rules/paths.c, whose checks every rule uses. */
extern const char *const mounts_default_deny[];

/* The rule's settings in p; NULL in a policy read for a pass-through only. */
static inline const struct mounts_settings *mounts_settings(const struct policy *p)
{
        return p->rule_settings[RULE_MOUNTS];
}

/* The host paths no bind mount may expose (a source at, under or above one of them; '*' matches
 * one path component, a trailing '/' everything below). NULL-terminated. */
static inline const char *const *mounts_deny(const struct policy *p)
{
        const struct mounts_settings *s = mounts_settings(p);

        return settings_strv_or(s ? s->deny : NULL, mounts_default_deny);
}

/* The engine-managed sources that stay allowed although they lie under a denied path. Same
 * pattern syntax, NULL-terminated. */
const char *const *mounts_allow(const struct policy *p);
