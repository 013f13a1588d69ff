/* Unit tests for lastgood.c: the copy is written only when the digest changes, atomically and
 * root-only; a broken policy file falls back to it, or to the built-in default; a copy anyone
 * else could have written, or whose content no longer matches its name, is never used. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lastgood.h"
#include "policy.h"
#include "rules/seccomp.h"
#include "tap.h"
#include "util/cleanup.h"
#include "util/sha256.h"

static char tmpdir[] = "/tmp/hardrun-test-lastgood-XXXXXX";
static char policy_path[256], state[256];

static void write_file(const char *path, const char *text, mode_t mode)
{
        FILE *f = fopen(path, "w");

        if (f) {
                fputs(text, f);
                fclose(f);
        }
        chmod(path, mode);
}

static bool is_mode(const char *path, mode_t want)
{
        struct stat st;

        return lstat(path, &st) == 0 && (st.st_mode & 07777) == want;
}

static struct policy *load(bool full, enum policy_origin *origin, struct hr_error *problem)
{
        struct hr_error err = {0};
        struct policy *p = NULL;

        if (lastgood_policy_load(policy_path, state, full, &p, origin, problem, &err) < 0) {
                diag("load: %s", err.msg);
                return NULL;
        }
        return p;
}

static const char good[] = "{\"mode\": \"deny\", \"runtime\": {\"path\": \"crun\"}}\n";

static void test_save(void)
{
        char digest[SHA256_TEXT_SIZE], name[128], link[512], copy[512];
        struct hr_error problem = {0};
        enum policy_origin origin;
        struct stat before, after;
        struct policy *p;
        ssize_t n;

        write_file(policy_path, good, 0644);
        sha256_text(good, strlen(good), digest);
        ok(!lastgood_is_current(state, digest), "no copy yet: not current");
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_FILE && p->mode == HR_MODE_DENY, "a good file is used");
        policy_free(p);

        snprintf(link, sizeof(link), "%s/" LASTGOOD_LINK, state);
        snprintf(copy, sizeof(copy), "%s/policy-%s.json", state, digest + 7);
        n = readlink(link, name, sizeof(name) - 1);
        name[n > 0 ? n : 0] = '\0';
        is_str(name, strrchr(copy, '/') + 1, "last-good.json names the copy by its digest");
        ok(lastgood_is_current(state, digest), "... and is current");
        ok(is_mode(state, 0700) && is_mode(copy, 0600), "directory 0700, copy 0600");

        /* Unchanged: nothing is written again. */
        stat(copy, &before);
        p = load(true, &origin, &problem);
        policy_free(p);
        stat(copy, &after);
        ok(before.st_ino == after.st_ino && before.st_mtime == after.st_mtime,
           "an unchanged policy is not written again");

        /* A pass-through load never writes: it does not validate the rules. */
        write_file(policy_path, "{\"mode\": \"audit\"}", 0644);
        p = load(false, &origin, &problem);
        policy_free(p);
        ok(lastgood_is_current(state, digest), "a pass-through load leaves the copy alone");

        /* A new good policy replaces the copy; the old one goes. */
        p = load(true, &origin, &problem);
        policy_free(p);
        ok(!lastgood_is_current(state, digest) && access(copy, F_OK) < 0,
           "a changed policy replaces the copy, the old copy is removed");
        write_file(policy_path, good, 0644);
        p = load(true, &origin, &problem);
        policy_free(p);
}

static void test_fallback(void)
{
        char digest[SHA256_TEXT_SIZE], copy[512];
        struct hr_error problem = {0};
        enum policy_origin origin;
        struct policy *p;

        sha256_text(good, strlen(good), digest);
        snprintf(copy, sizeof(copy), "%s/policy-%s.json", state, digest + 7);

        write_file(policy_path, "{\"mode\": \"deny\", \"rules\": {\"usr\": {}}}", 0644);
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_LASTGOOD && p->mode == HR_MODE_DENY,
           "an invalid policy: the last good one stands in");
        ok(strstr(problem.msg, policy_path) && strstr(problem.msg, "'/rules'") &&
                   strstr(problem.msg, "using the last good policy") && strstr(problem.msg, copy),
           "the problem names the file, the key and the stand-in (%s)", problem.msg);
        ok(p && p->digest[0] && strcmp(p->digest, digest) == 0,
           "the stand-in's digest is the last good policy's");
        policy_free(p);

        /* A valid runtime section keeps naming the runtime (containers stay with the runtime
         * that made them); a file that is not even JSON takes the last good one's. */
        p = load(false, &origin, &problem);
        ok(p && origin == POLICY_FROM_FILE && !p->runtime.path,
           "pass-through, broken rule: the file's runtime section still decides");
        policy_free(p);
        write_file(policy_path, "{\"mode\": ", 0644);
        p = load(false, &origin, &problem);
        ok(p && origin == POLICY_FROM_LASTGOOD && p->runtime.path &&
                   strcmp(p->runtime.path, "crun") == 0,
           "pass-through, broken JSON: the runtime comes from the last good policy");
        policy_free(p);

        /* Unsafe is as bad as invalid. */
        write_file(policy_path, "{\"mode\": \"audit\"}", 0666);
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_LASTGOOD && strstr(problem.msg, "writable by group"),
           "a policy writable by others: the last good one stands in");
        policy_free(p);

        /* A copy someone else could have changed is not used. */
        write_file(policy_path, "{", 0644);
        chmod(copy, 0666);
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_FALLBACK && p->mode == HR_MODE_ENFORCE,
           "a copy writable by others: the built-in default applies");
        ok(strstr(problem.msg, "no usable last good policy") &&
                   strstr(problem.msg, "writable by group or others") &&
                   strstr(problem.msg, "built-in default"),
           "... and the problem says so (%s)", problem.msg);
        policy_free(p);
        chmod(copy, 0600);
        if (geteuid() == 0) {
                ok(chown(copy, 65534, 65534) == 0, "chown the copy to 65534");
                p = load(true, &origin, &problem);
                ok(p && origin == POLICY_FROM_FALLBACK && strstr(problem.msg, "owned by uid 65534"),
                   "a copy not owned by root: the built-in default applies");
                policy_free(p);
                ok(chown(copy, 0, 0) == 0, "chown the copy back to root");
        } else {
                ok(1, "# SKIP not root: cannot chown the copy");
                ok(1, "# SKIP not root");
                ok(1, "# SKIP not root");
        }

        /* A copy whose content changed behind its name. */
        write_file(copy, "{\"mode\": \"audit\"}", 0600);
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_FALLBACK && strstr(problem.msg, "does not match its name"),
           "a copy that no longer hashes to its name: not used");
        policy_free(p);
        write_file(copy, good, 0600);

        /* The link must name a copy in the directory, nothing else. */
        {
                char link[512];
                snprintf(link, sizeof(link), "%s/" LASTGOOD_LINK, state);
                unlink(link);
                ok(symlink(policy_path, link) == 0, "point last-good.json at another file");
                p = load(true, &origin, &problem);
                ok(p && origin == POLICY_FROM_FALLBACK, "a link outside the directory: not used");
                policy_free(p);
                unlink(link);
                ok(symlink(strrchr(copy, '/') + 1, link) == 0, "point it back");
        }

        /* No directory: the built-in default. */
        {
                struct hr_error err = {0};
                p = NULL;
                ok(lastgood_policy_load(policy_path, NULL, true, &p, &origin, &problem, &err) ==
                                   0 &&
                           origin == POLICY_FROM_FALLBACK &&
                           strstr(problem.msg, "using the built-in default"),
                   "no last good directory: the built-in default, said so");
                policy_free(p);
        }

        /* A missing file is the documented default, not a problem. */
        unlink(policy_path);
        p = load(true, &origin, &problem);
        ok(p && origin == POLICY_FROM_DEFAULT, "no policy file: the built-in default, silently");
        policy_free(p);
}

static void test_dir_trust(void)
{
        char dir[512];
        struct hr_error err = {0};

        /* An existing directory with loose permissions is tightened; someone else's is refused. */
        snprintf(dir, sizeof(dir), "%s/loose", tmpdir);
        mkdir(dir, 0755);
        ok(lastgood_save(dir,
                         "sha256:"
                         "0000000000000000000000000000000000000000000000000000000000000000",
                         "{}", 2, &err) == 0 &&
                   is_mode(dir, 0700),
           "a loose directory of ours is made 0700");
        ok(lastgood_save(dir, "md5:x", "{}", 2, &err) == -EINVAL, "a digest that is no SHA-256");
        if (geteuid() == 0) {
                snprintf(dir, sizeof(dir), "%s/theirs", tmpdir);
                mkdir(dir, 0700);
                ok(chown(dir, 65534, 65534) == 0 &&
                           lastgood_save(dir,
                                         "sha256:0000000000000000000000000000000000000000000000"
                                         "000000000000000000",
                                         "{}", 2, &err) == -EPERM,
                   "someone else's directory is refused (%s)", err.msg);
        } else {
                ok(1, "# SKIP not root");
        }
}

/* The policy at policy_path with its seccomp profile at profile_path, loaded in full. */
static struct policy *load_with_profile(const char *profile_path, const char *seccomp_mode)
{
        char text[1024];
        enum policy_origin origin;
        struct hr_error problem = {0};

        snprintf(text, sizeof(text),
                 "{\"mode\": \"enforce\", \"rules\": {\"seccomp\": {\"mode\": \"%s\", "
                 "\"profile\": \"%s\"}}}\n",
                 seccomp_mode, profile_path);
        write_file(policy_path, text, 0644);
        return load(true, &origin, &problem);
}

/* defaultErrnoRet of the profile the policy now holds, -1 when none is loaded. */
static long loaded_errno_ret(struct policy *p)
{
        const struct json *doc =
                p ? ((const struct seccomp_settings *)p->rule_settings[RULE_SECCOMP])->loaded
                  : NULL;
        const struct json *v = doc ? json_object_get(doc, "defaultErrnoRet") : NULL;

        return v && v->type == JSON_NUMBER ? strtol(v->scalar.text, NULL, 10) : -1;
}

/* A broken seccomp profile file gives way as a broken policy does: to the last good profile,
 * else to the built-in default; never to no filter and never to an error for every call. */
static void test_seccomp_fallback(void)
{
        static const char custom[] =
                "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1, "
                "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", "
                "\"SCMP_ARCH_AARCH64\", \"SCMP_ARCH_ARM\"], \"syscalls\": [{\"names\": "
                "[\"read\", \"write\", \"exit_group\"], \"action\": \"SCMP_ACT_ALLOW\"}]}\n";
        char profile[512], link[512], dir[512];
        struct hr_error problem = {0}, err = {0};
        struct policy *p;
        ssize_t n;
        int r;

        if (geteuid() != 0) {
                ok(1, "# SKIP not root: a policy's profile file must be root's");
                return;
        }
        snprintf(dir, sizeof(dir), "%s/profiles", tmpdir);
        mkdir(dir, 0755);
        snprintf(profile, sizeof(profile), "%s/custom.json", dir);
        snprintf(link, sizeof(link), "%s/" LASTGOOD_SECCOMP_LINK, state);
        write_file(profile, custom, 0644);

        /* 1. A good profile is used and becomes the last good one. */
        p = load_with_profile(profile, "enforce");
        r = p ? lastgood_seccomp_load(p, state, &problem, &err) : -1;
        ok(r == 0 && !problem.msg[0], "a good profile file: loaded, no problem (%s)", problem.msg);
        is_int(loaded_errno_ret(p), 1, "... it is the policy's profile (defaultErrnoRet 1)");
        {
                char target[128];
                n = readlink(link, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                ok(n > 0 && strncmp(target, "seccomp-", 8) == 0,
                   "... and " LASTGOOD_SECCOMP_LINK " names its copy (%s)", target);
        }
        policy_free(p);

        /* 2. A typo: the last good profile stands in, and the problem says which file and why. */
        write_file(profile, "{\"defaultAction\": \"SCMP_ACT_ERRNOO\", \"syscalls\": []}\n", 0644);
        p = load_with_profile(profile, "enforce");
        r = p ? lastgood_seccomp_load(p, state, &problem, &err) : -1;
        is_int(r, 1, "a broken profile file: a stand-in is used (%s)", err.msg);
        ok(strstr(problem.msg, profile) && strstr(problem.msg, "SCMP_ACT_ERRNOO") &&
                   strstr(problem.msg, "; using the last good seccomp profile '") &&
                   !strchr(problem.msg, '\n'),
           "... one line naming the file, the fault and the stand-in (%s)", problem.msg);
        is_int(loaded_errno_ret(p), 1, "... the last good profile hardens (defaultErrnoRet 1)");
        policy_free(p);

        /* 3. No usable copy (content changed behind its name): the built-in default. */
        {
                char target[128], copy[700];
                n = readlink(link, target, sizeof(target) - 1);
                target[n > 0 ? n : 0] = '\0';
                snprintf(copy, sizeof(copy), "%s/%s", state, target);
                write_file(copy, "{\"defaultAction\": \"SCMP_ACT_ALLOW\"}", 0600);
        }
        p = load_with_profile(profile, "enforce");
        r = p ? lastgood_seccomp_load(p, state, &problem, &err) : -1;
        ok(r == 1 && strstr(problem.msg, "no usable last good seccomp profile") &&
                   strstr(problem.msg, "does not match its name") &&
                   strstr(problem.msg, "using the built-in profile 'default'"),
           "a tampered copy: not used, the built-in default, said so (%s)", problem.msg);
        is_int(loaded_errno_ret(p), 38, "... the built-in default hardens (defaultErrnoRet 38)");
        policy_free(p);

        /* 4. No directory: the built-in default. */
        p = load_with_profile(profile, "enforce");
        r = p ? lastgood_seccomp_load(p, NULL, &problem, &err) : -1;
        ok(r == 1 && strstr(problem.msg, "using the built-in seccomp profile 'default'"),
           "no last good directory: the built-in default (%s)", problem.msg);
        is_int(loaded_errno_ret(p), 38, "... which is loaded");
        policy_free(p);

        /* 5. A profile file not root's to trust is no better than a broken one. */
        write_file(profile, custom, 0666);
        p = load_with_profile(profile, "enforce");
        r = p ? lastgood_seccomp_load(p, state, &problem, &err) : -1;
        ok(r == 1 && strstr(problem.msg, "writable by group or others"),
           "a profile file others can write: a stand-in (%s)", problem.msg);
        policy_free(p);
        chmod(profile, 0644);

        /* 6. The seccomp rule off: the broken file is not read at all. */
        write_file(profile, "{", 0644);
        p = load_with_profile(profile, "off");
        r = p ? lastgood_seccomp_load(p, state, &problem, &err) : -1;
        ok(r == 0 && !problem.msg[0] && loaded_errno_ret(p) == -1,
           "seccomp rule off: nothing loaded, no problem");
        policy_free(p);
}

int main(void)
{
        if (!mkdtemp(tmpdir))
                return 1;
        chmod(tmpdir, 0755);
        snprintf(policy_path, sizeof(policy_path), "%s/policy.json", tmpdir);
        snprintf(state, sizeof(state), "%s/state", tmpdir);
        test_save();
        test_fallback();
        test_dir_trust();
        test_seccomp_fallback();
        {
                char cmd[512];
                snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
                if (system(cmd) != 0)
                        diag("cannot remove %s", tmpdir);
        }
        return tap_done();
}
