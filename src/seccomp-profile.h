/* Seccomp profiles (OCI linux.seccomp objects): read, validated as runc and crun will load them,
 * compiled with libseccomp, compared by what they allow, and merged with a container's own. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "util/error.h"
#include "util/lines.h"

enum seccomp_unknown_names {
        SECCOMP_UNKNOWN_ERROR,  /* a name libseccomp does not know is a problem */
        SECCOMP_UNKNOWN_IGNORE, /* skipped, as runc and crun skip it */
        _SECCOMP_UNKNOWN_MAX,
        _SECCOMP_UNKNOWN_INVALID = -EINVAL,
};

enum seccomp_merge_strategy {
        SECCOMP_MERGE_REPLACE,          /* the policy's profile replaces the container's */
        SECCOMP_MERGE_KEEP_IF_STRICTER, /* the container's stays if it allows nothing more */
        _SECCOMP_MERGE_MAX,
        _SECCOMP_MERGE_INVALID = -EINVAL,
};

enum seccomp_export_format {
        SECCOMP_EXPORT_BPF,  /* the raw program the kernel loads */
        SECCOMP_EXPORT_PFC,  /* libseccomp's pseudo filter code, for people */
        SECCOMP_EXPORT_JSON, /* the profile as the runtimes read it (Docker's format resolved) */
        _SECCOMP_EXPORT_MAX,
        _SECCOMP_EXPORT_INVALID = -EINVAL,
};

const char *seccomp_unknown_names_to_string(enum seccomp_unknown_names v);
enum seccomp_unknown_names seccomp_unknown_names_from_string(const char *s);
const char *seccomp_merge_strategy_to_string(enum seccomp_merge_strategy v);
enum seccomp_merge_strategy seccomp_merge_strategy_from_string(const char *s);
enum seccomp_export_format seccomp_export_format_from_string(const char *s);

/* Output lines (problems, differences), kept up to SECCOMP_LINES_MAX; total counts them all. */
#define SECCOMP_LINES_MAX 200

/* What a check reads: source names the profile in messages ("/etc/hardrun/x.json", "built-in
 * profile 'default'"); prefix is the profile's JSON path inside its document ("" for a profile
 * file, "/linux/seccomp" inside a config.json). */
struct seccomp_source {
        const char *name;
        const char *prefix;
        enum seccomp_unknown_names unknown;
};

/* Reads a profile: a built-in name ("default", "strict") or, for anything with a '/' or no
 * built-in of that name, a file. With trusted, the file and its directories must be root's (the
 * policy's profiles); hardrunctl also reads drafts. ret_source gets a malloc'd label. */
int seccomp_profile_read(const char *name, bool trusted, struct json **ret, char **ret_source,
                         struct hr_error *err);

/* Validates a profile as runc 1.1 and crun 1.8 read it (keys, types, actions, errno values,
 * architectures, syscall names on each architecture, argument conditions, rules the runtimes
 * drop or libseccomp ignores), then compiles it with libseccomp and generates the BPF program.
 * Each problem is one line "SOURCE: 'JSON-PATH': reason". Returns 0 when valid, -EINVAL with
 * problems, another negative errno (in err) when the check itself could not run. */
int seccomp_profile_check(const struct json *profile, const struct seccomp_source *src,
                          struct lines *problems, struct hr_error *err);

/* seccomp_profile_check for the start path: the first problem becomes the one-line error. */
int seccomp_profile_validate(const struct json *profile, const struct seccomp_source *src,
                             struct hr_error *err);

/* Drops from "architectures" what the host cannot run (x86_64 keeps x86_64 and x86; aarch64
 * keeps aarch64 and arm; x32 goes). Returns how many went, or -ENOMEM inside a checkpoint
 * that could not save the list. Profiles that do not list the host's own architecture, and
 * other hosts, are left alone. */
int seccomp_profile_keep_host_arches(struct json *profile);

/* Compiles a valid profile and writes it to fd in the given format. */
int seccomp_profile_export(const struct json *profile, const struct seccomp_source *src,
                           enum seccomp_export_format format, int fd, struct hr_error *err);

struct seccomp_merge_decision {
        bool keep;        /* keep the container's profile */
        char reason[256]; /* why it is replaced; "" when kept */
};

/* The merge policy for a container that brings its own profile. replace: never keep it.
 * keep_if_stricter: keep it only if it is valid, its defaultAction denies, it uses no listener
 * and no filter flag ours lacks, lists no architecture ours lacks, and every syscall it allows on
 * every architecture (for the argument values it allows) ours allows too. */
int seccomp_profile_merge(enum seccomp_merge_strategy strategy, const struct json *theirs,
                          const struct seccomp_source *src_theirs, const struct json *ours,
                          const struct seccomp_source *src_ours, struct seccomp_merge_decision *ret,
                          struct hr_error *err);
