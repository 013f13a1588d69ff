/* The policy's seccomp profile as the start path loads it: a file is validated (and compiled)
 * once per content and boot, a profile that allows every syscall is refused. */
#include "seccomp-load.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "profiles.h"
#include "util/cleanup.h"
#include "util/hash.h"

/* Compiling a profile file with libseccomp takes ~50 ms, on every container start. A profile
 * that passed is remembered by a marker file named after a hash of its content (and of the
 * checks that passed it) in a root-only directory on /run, so each content is compiled once
 * per boot. Only root's hardrun uses it: the directory must not be writable by anyone else. */
#define VALIDATION_DIR "/run/hardrun/seccomp-valid"

static bool validation_marker(const struct json *doc, enum seccomp_unknown_names unknown, char *buf,
                              size_t size)
{
        _cleanup_free_ char *text = NULL;
        size_t len;

        buf[0] = '\0';
        if (geteuid() != 0 || json_write(doc, &text, &len, NULL) < 0)
                return false;
        /* FNV-1a: the content is root's (the profile file is trusted), so no one else can
         * choose a colliding text. */
        snprintf(buf, size, VALIDATION_DIR "/%s-%d-%016" PRIx64 "-%zu", HARDRUN_VERSION,
                 (int)unknown, hash_fnv1a(text, len), len);
        return true;
}

/* Markers count only in a directory (and parent) that root alone can write. */
static bool validation_dir_ok(void)
{
        struct stat st;

        return lstat("/run/hardrun", &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
               !(st.st_mode & 0022) && lstat(VALIDATION_DIR, &st) == 0 && S_ISDIR(st.st_mode) &&
               st.st_uid == 0 && !(st.st_mode & 0077);
}

static bool validation_known(const char *marker)
{
        return marker[0] && validation_dir_ok() && access(marker, F_OK) == 0;
}

static void validation_remember(const char *marker)
{
        int fd;

        (void)mkdir("/run/hardrun", 0700);
        (void)mkdir(VALIDATION_DIR, 0700);
        if (!validation_dir_ok())
                return;
        fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0)
                close(fd);
}

int seccomp_profile_load(const char *name, enum seccomp_unknown_names unknown, struct json **ret,
                         struct hr_error *err)
{
        _cleanup_free_ char *source = NULL;
        struct json *doc = NULL, *v;
        bool is_file = name[0] == '/';
        int r;

        if (!is_file && !profile_builtin(name, NULL))
                return error_set(err, -ENOENT, "seccomp profile '%s' is not built in", name);
        r = seccomp_profile_read(name, true, &doc, &source, err);
        if (r < 0)
                return r;
        /* A file is checked before any container uses it: a profile runc could not load fails
         * here with its file and JSON path, not in the middle of a start. */
        if (is_file) {
                char label[PATH_MAX + 32];
                char marker[PATH_MAX];
                snprintf(label, sizeof(label), "seccomp profile %s", source);
                const struct seccomp_source src = {label, "", unknown};
                bool cached = validation_marker(doc, unknown, marker, sizeof(marker)) &&
                              validation_known(marker);
                if (!cached && (r = seccomp_profile_validate(doc, &src, err)) < 0) {
                        json_free(doc);
                        return r;
                }
                if (!cached && marker[0])
                        validation_remember(marker);
        }
        v = doc->type == JSON_OBJECT ? json_object_get(doc, "defaultAction") : NULL;
        if (!v || v->type != JSON_STRING) {
                json_free(doc);
                return error_set(err, -EINVAL,
                                 "seccomp profile %s: not an OCI linux.seccomp object (needs a "
                                 "string 'defaultAction')",
                                 source);
        }
        if (strcmp(v->scalar.text, "SCMP_ACT_ALLOW") == 0 ||
            strcmp(v->scalar.text, "SCMP_ACT_LOG") == 0) {
                /* The message quotes the document: format it before freeing. */
                r = error_set(err, -EINVAL,
                              "seccomp profile %s: '/defaultAction' %s allows every syscall",
                              source, v->scalar.text);
                json_free(doc);
                return r;
        }
        /* Validated as written (all its architectures); installed for this host's only. */
        (void)seccomp_profile_keep_host_arches(doc);
        *ret = doc;
        return 0;
}
