/* The last good policy and seccomp profile: a copy of the last policy file (and profile file)
 * that loaded cleanly, kept by content digest in a root-only directory, that stands in for a
 * file that is invalid or unsafe. A broken policy or profile file never stops the node, and
 * never weakens it to less than what was in force. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "policy.h"
#include "util/error.h"

/* In dir: the symlink naming the current copy, "policy-<64 hex digits>.json" beside it. */
#define LASTGOOD_LINK "last-good.json"
/* The same for the policy's seccomp profile file: "seccomp-<64 hex digits>.json". */
#define LASTGOOD_SECCOMP_LINK "last-good-seccomp.json"

enum policy_origin {
        POLICY_FROM_FILE,     /* the policy file */
        POLICY_FROM_DEFAULT,  /* no policy file: the built-in default, as documented */
        POLICY_FROM_LASTGOOD, /* the file is broken: the last good copy */
        POLICY_FROM_FALLBACK, /* the file is broken and there is no usable copy: the default */
};

/* Whether dir's copy has this digest ("sha256:<hex>"): one readlink(), the whole cost on the
 * start path of a policy that did not change. */
bool lastgood_is_current(const char *dir, const char *digest);

/* Makes buf (whose digest is digest) the last good copy in dir: the directory is created 0700
 * (an existing one must be the caller's and is made 0700), the copy written 0600 to a temp file,
 * fsync'd and renamed, then the symlink is replaced the same way; under a lock on the directory,
 * and nothing is written when the copy is current already. */
int lastgood_save(const char *dir, const char *digest, const char *buf, size_t len,
                  struct hr_error *err);

/* Reads the last good copy: it must be a file hardrun named (policy-<hex>.json, no symlink),
 * pass the policy file's trust checks (file_check_trusted()) and hash to its name. ret_path is
 * the copy's path. */
int lastgood_read(const char *dir, char **ret_buf, size_t *ret_len, char **ret_path,
                  struct hr_error *err);

/* Loads the policy at path (all of it, or only what a pass-through needs). A file that is
 * invalid or unsafe gives way to the last good copy in dir, else to the built-in default, and
 * problem says why (one line naming the file and the reason, then what is used instead). A full
 * load that succeeds refreshes the copy when its digest differs; a failure to do so is not an
 * error. dir may be NULL: no copy is kept or read. */
int lastgood_policy_load(const char *path, const char *dir, bool full, struct policy **ret,
                         enum policy_origin *ret_origin, struct hr_error *problem,
                         struct hr_error *err);

/* The policy file's bytes as one load of a start read and checked them. */
struct lastgood_text {
        char *buf;
        size_t len;
};

void lastgood_text_release(struct lastgood_text *text);

/* lastgood_policy_load() that keeps the bytes it read from the file in text (when text holds
 * none yet), or parses those text holds instead of reading the file again: the runtime section
 * and then the whole policy of one start come from one read, one snapshot of the file. */
int lastgood_policy_load_text(const char *path, const char *dir, bool full,
                              struct lastgood_text *text, struct policy **ret,
                              enum policy_origin *ret_origin, struct hr_error *problem,
                              struct hr_error *err);

/* Loads the policy's seccomp profile file (nothing to do for a built-in profile, or when the
 * seccomp rule is off) so that rule seccomp installs it. A file that is invalid or unsafe gives
 * way to the last good profile in dir, else to the built-in 'default': never to no filter, and
 * never to a refusal of every container. Returns 0 when the policy's own profile is in use
 * (and makes it the last good one), 1 when a stand-in is, with problem saying why (one line
 * naming the file and the reason, then what is used instead), or -ENOMEM. dir may be NULL. */
int lastgood_seccomp_load(struct policy *p, const char *dir, struct hr_error *problem,
                          struct hr_error *err);
