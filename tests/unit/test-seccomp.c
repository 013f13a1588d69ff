/* Unit tests for src/seccomp-profile.c: the built-in profiles validate, each kind of invalid
 * profile is named by its JSON path, merge decisions, diff and export, the policy keys, and the
 * seccomp rule with keep_if_stricter. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bounds.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "profiles.h"
#include "rules/seccomp.h"
#include "seccomp-diff.h"
#include "seccomp-profile.h"
#include "tap.h"

#define SECCOMP(p) ((const struct seccomp_settings *)(p)->rule_settings[RULE_SECCOMP])

#define ARCHES "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]"
#define HEAD "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38," ARCHES ","
#define ALLOW_RW "{\"names\":[\"read\",\"write\",\"exit_group\"],\"action\":\"SCMP_ACT_ALLOW\"}"

static const struct json_limits limits = {
        .max_bytes = HR_PROFILE_MAX_BYTES,
        .max_depth = 16,
        .max_members = 65536,
};

static struct json *doc_of(const char *text)
{
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (json_parse(text, strlen(text), &limits, &doc, &err) < 0)
                diag("test input does not parse: %s", err.msg);
        return doc;
}

static struct json *builtin(const char *name)
{
        size_t len;
        const char *text = profile_builtin(name, &len);
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (!text || json_parse(text, len, &limits, &doc, &err) < 0)
                diag("built-in profile '%s': %s", name, text ? err.msg : "missing");
        return doc;
}

static double now_ms(void)
{
        struct timespec t;

        clock_gettime(CLOCK_MONOTONIC, &t);
        return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The start path loads the compiled form (profiles/embed.py), never the text: it must be the
 * text parsed, members in the same order. A truncated or overlong program is refused. */
static void same_as_compiled(const char *name, const struct json *parsed)
{
        const struct json_compiled *c = profile_builtin_compiled(name);
        struct json_compiled cut = c ? *c : (struct json_compiled){0};
        uint32_t *longer = NULL;
        struct hr_error err = {0};
        struct json *loaded = NULL;
        char *a = NULL, *b = NULL;
        size_t la = 0, lb = 0;

        ok(c != NULL, "built-in profile '%s' is compiled in", name);
        is_int(seccomp_profile_read(name, true, &loaded, NULL, &err), 0,
               "built-in profile '%s' loads (%s)", name, err.msg);
        ok(loaded && parsed && json_equal(loaded, parsed) &&
                   json_write(loaded, &a, &la, NULL) == 0 &&
                   json_write(parsed, &b, &lb, NULL) == 0 && la == lb && memcmp(a, b, la) == 0,
           "built-in profile '%s': the compiled form is the text parsed, in the same order", name);
        free(a);
        free(b);
        json_free(loaded);
        cut.code_len = c ? c->code_len - 1 : 0;
        ok(!c || !json_compiled_load(&cut), "'%s' with its program cut short is refused", name);
        if (c && (longer = calloc(c->code_len + 1, sizeof(*longer)))) {
                memcpy(longer, c->code, c->code_len * sizeof(*longer));
                cut.code = longer;
                cut.code_len = c->code_len + 1;
        }
        ok(longer && !json_compiled_load(&cut), "'%s' with a word too many is refused", name);
        free(longer);
}

static void test_builtins(void)
{
        for (const char *const *n = profile_builtin_names; *n; n++) {
                struct seccomp_source src = {*n, "", SECCOMP_UNKNOWN_ERROR};
                struct lines problems = {0};
                struct hr_error err = {0};
                struct json *doc = builtin(*n);
                double t0 = now_ms();
                int r = seccomp_profile_check(doc, &src, &problems, &err);

                /* The built-ins are not checked on every start: this is where they are. */
                is_int(r, 0, "built-in profile '%s' validates and compiles cleanly", *n);
                for (size_t i = 0; i < problems.n; i++)
                        diag("%s", problems.lines[i]);
                diag("validating and compiling '%s' took %.1f ms", *n, now_ms() - t0);
                lines_done(&problems);
                same_as_compiled(*n, doc);
                json_free(doc);
        }
        ok(profile_builtin("strict", NULL) != NULL, "'strict' is built in");
}

/* One profile text: the first problem must name path and contain want. */
static void invalid(const char *text, enum seccomp_unknown_names unknown, const char *path,
                    const char *want, const char *what)
{
        struct seccomp_source src = {"p.json", "", unknown};
        struct lines problems = {0};
        struct hr_error err = {0};
        struct json *doc = doc_of(text);
        char prefix[256];
        bool found = false;
        int r;

        snprintf(prefix, sizeof(prefix), "p.json: '%s': ", path);
        r = doc ? seccomp_profile_check(doc, &src, &problems, &err) : -EBADMSG;
        for (size_t i = 0; i < problems.n; i++)
                found = found || (strncmp(problems.lines[i], prefix, strlen(prefix)) == 0 &&
                                  strstr(problems.lines[i], want));
        ok(r == -EINVAL && found, "invalid: %s", what);
        if (!(r == -EINVAL && found)) {
                diag("r=%d, want a problem at '%s' with '%s'; got:", r, path, want);
                for (size_t i = 0; i < problems.n; i++)
                        diag("  %s", problems.lines[i]);
        }
        lines_done(&problems);
        json_free(doc);
}

static void valid(const char *text, enum seccomp_unknown_names unknown, const char *what)
{
        struct seccomp_source src = {"p.json", "", unknown};
        struct lines problems = {0};
        struct hr_error err = {0};
        struct json *doc = doc_of(text);
        int r = doc ? seccomp_profile_check(doc, &src, &problems, &err) : -EBADMSG;

        is_int(r, 0, "valid: %s", what);
        for (size_t i = 0; i < problems.n; i++)
                diag("  %s", problems.lines[i]);
        lines_done(&problems);
        json_free(doc);
}

#define E SECCOMP_UNKNOWN_ERROR
#define I SECCOMP_UNKNOWN_IGNORE

static void test_validation(void)
{
        valid(HEAD "\"syscalls\":[" ALLOW_RW "]}", E, "a small allowlist");
        invalid(HEAD
                "\"syscalls\":[{\"names\":[\"read\",\"fooo\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                E, "/syscalls/0/names/1", "unknown syscall 'fooo'", "bad syscall name");
        valid(HEAD "\"syscalls\":[{\"names\":[\"read\",\"fooo\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
              I, "unknown name with unknown_syscalls ignore");
        valid(HEAD
              "\"syscalls\":[{\"names\":[\"mseal\",\"listns\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
              E, "syscalls newer than libseccomp's table are not typos");
        valid(HEAD "\"syscalls\":[{\"names\":[\"socketcall\",\"arm_fadvise64_64\"],"
                   "\"action\":\"SCMP_ACT_ALLOW\"}]}",
              E, "names missing on some listed architectures");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\","
                "\"SCMP_ARCH_FOO\"]}",
                E, "/architectures/1", "unknown architecture 'SCMP_ARCH_FOO'", "bad architecture");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"x86_64\"]}", E,
                "/architectures/0", "unknown architecture", "architecture without SCMP_ARCH_");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86\","
                "\"SCMP_ARCH_X86\"]}",
                E, "/architectures/1", "listed twice", "architecture listed twice");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_BLOCK\"}]}", E,
                "/syscalls/0/action", "unknown action 'SCMP_ACT_BLOCK'", "bad action");
        invalid("{\"defaultAction\":\"ALLOW\"}", E, "/defaultAction", "unknown action",
                "bad default action");
        invalid("{\"architectures\":[]}", E, "/defaultAction", "missing", "no default action");
        invalid("{\"defaultAction\":\"SCMP_ACT_NOTIFY\",\"listenerPath\":\"/run/l\"}", E,
                "/defaultAction", "cannot be the default", "SCMP_ACT_NOTIFY as default");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_SAME\"}]}]}",
                E, "/syscalls/0/args/0/op", "unknown operator 'SCMP_CMP_SAME'", "bad operator");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/0/args/0/index", "not an argument index from 0 to 5", "bad index");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":\"1\",\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/0/args/0/index", "expected an unsigned integer", "index as string");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/0/args/0/value", "missing", "condition without value");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":38,\"op\":\"SCMP_CMP_NE\"},"
                     "{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"}]}]}",
                E, "/syscalls/0/args/1/index", "does not mean AND",
                "two conditions on one argument");
        valid(HEAD "\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                   "\"args\":[{\"index\":0,\"value\":16,\"op\":\"SCMP_CMP_EQ\"},"
                   "{\"index\":2,\"value\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
              E, "conditions on two arguments (AND)");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"errnoRet\":1}]}",
                E, "/syscalls/0/errnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE",
                "errnoRet on a non-errno action");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\","
                     "\"errnoRet\":0}]}",
                E, "/syscalls/0/errnoRet", "return success", "errnoRet 0");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\","
                     "\"errnoRet\":5000}]}",
                E, "/syscalls/0/errnoRet", "not an errno from 1 to 4095", "errnoRet 5000");
        invalid("{\"defaultAction\":\"SCMP_ACT_KILL\",\"defaultErrnoRet\":1}", E,
                "/defaultErrnoRet", "only SCMP_ACT_ERRNO", "defaultErrnoRet with KILL");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"mount\"],\"action\":\"SCMP_ACT_ERRNO\","
                     "\"errnoRet\":38}]}",
                E, "/syscalls/0/action", "same action as defaultAction (SCMP_ACT_ERRNO(38))",
                "rule equal to the default action");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"mount\"],"
                "\"action\":\"SCMP_ACT_ERRNO\"}]}",
                E, "/syscalls/0/action", "runc drops the rule",
                "rule equal to the default action, both EPERM by default");
        valid(HEAD "\"syscalls\":[" ALLOW_RW ",{\"names\":[\"mount\"],\"action\":"
                   "\"SCMP_ACT_ERRNO\",\"errnoRet\":1}]}",
              E, "an EPERM rule under an ENOSYS default");
        invalid(HEAD "\"syscalls\":[{\"names\":[],\"action\":\"SCMP_ACT_ALLOW\"}]}", E,
                "/syscalls/0/names", "empty", "empty names");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", E,
                "/syscalls/0/names/0", "not a syscall name", "empty name");
        invalid(HEAD "\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}", E, "/syscalls/0/names",
                "missing", "no names");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":255,\"valueTwo\":256,"
                     "\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                E, "/syscalls/0/args/0/valueTwo", "never matches", "valueTwo outside the mask");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                E, "/syscalls/0/args/0/value", "mask 0", "mask 0");
        invalid(HEAD
                "\"syscalls\":[{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ALLOW\","
                "\"args\":[{\"index\":0,\"value\":5,\"valueTwo\":3,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/0/args/0/valueTwo", "used only by SCMP_CMP_MASKED_EQ",
                "valueTwo with SCMP_CMP_EQ");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":0,\"value\":4294967296,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/0/args/0/value", "on SCMP_ARCH_X86 libseccomp compares only",
                "a 64-bit value with a 32-bit architecture");
        valid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],"
              "\"syscalls\":[{\"names\":[\"dup\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":"
              "[{\"index\":0,\"value\":4294967296,\"op\":\"SCMP_CMP_EQ\"}]}]}",
              E, "a 64-bit value on 64-bit architectures only");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[]}", E, "/archMap",
                "Docker's profile format", "Docker's archMap");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"includes\":{}}]}",
                E, "/syscalls/0/includes", "Docker's profile format", "Docker's includes");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"DefaultErrnoRet\":38}", E,
                "/DefaultErrnoRet", "unknown key", "a key in another letter case");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"flags\":[\"SECCOMP_FILTER_FLAG_X\"]}", E,
                "/flags/0", "unknown or unsupported flag", "bad flag");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"listenerPath\":\"run/l\"}", E,
                "/listenerPath", "not an absolute path", "relative listenerPath");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}", E,
                "/listenerPath", "SCMP_ACT_NOTIFY needs a listener", "notify without listener");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],"
                "\"action\":\"SCMP_ACT_ALLOW\"}]}",
                E, "/defaultErrnoRet", "clone3 gets SCMP_ACT_ERRNO(1)", "clone3 would get EPERM");
        invalid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],"
                "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"clone3\"],\"action\":"
                "\"SCMP_ACT_KILL_PROCESS\"}]}",
                E, "/syscalls/1/names/0", "clone3 gets SCMP_ACT_KILL_PROCESS", "clone3 would kill");
        valid("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"clone\"],"
              "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"clone3\"],\"action\":"
              "\"SCMP_ACT_ERRNO\",\"errnoRet\":38}]}",
              E, "clone3 with an explicit ENOSYS");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                     "{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,"
                     "\"args\":[{\"index\":1,\"value\":21522,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/1/names/0", "has no effect",
                "a conditional deny next to an unconditional allow");
        invalid(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\","
                     "\"args\":[{\"index\":1,\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]},"
                     "{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":1,"
                     "\"args\":[{\"index\":1,\"value\":5,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                E, "/syscalls/1/names/0", "libseccomp cannot add the rule",
                "libseccomp refuses the same condition with two actions");
        invalid(HEAD "\"syscalls\":{}}", E, "/syscalls", "expected array, got object",
                "syscalls as an object");

        /* A container's profile is read on every start: its size is bounded. */
        {
                size_t n = 16385, size = strlen(HEAD) + n * 7 + 64, len;
                char *big = malloc(size);

                if (big) {
                        len = (size_t)snprintf(big, size, HEAD "\"syscalls\":[{\"names\":[");
                        for (size_t i = 0; i < n; i++)
                                len += (size_t)snprintf(big + len, size - len, "%s\"read\"",
                                                        i ? "," : "");
                        snprintf(big + len, size - len, "],\"action\":\"SCMP_ACT_ALLOW\"}]}");
                        invalid(big, E, "/syscalls", "at most 16384 are read",
                                "more than 16384 syscall names");
                        free(big);
                }
        }

        /* Inside a config.json the paths carry the prefix; the runtime gets one line. */
        {
                struct seccomp_source src = {"config.json", "/linux/seccomp", E};
                struct hr_error err = {0};
                struct json *doc = doc_of(HEAD "\"syscalls\":[{\"names\":[\"fooo\"],"
                                               "\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":"
                                               "[\"read\"],\"action\":\"SCMP_ACT_HOLD\"}]}");
                is_int(seccomp_profile_validate(doc, &src, &err), -EINVAL, "validate fails");
                is_str(err.msg,
                       "config.json: '/linux/seccomp/syscalls/1/action': unknown action "
                       "'SCMP_ACT_HOLD' (and 1 more problems)",
                       "validate: one line with the file, the JSON path and the reason");
                json_free(doc);
        }
}

static struct seccomp_merge_decision merge(const char *theirs_text, const char *ours_name,
                                           enum seccomp_unknown_names unknown)
{
        struct seccomp_source st = {"config.json", "/linux/seccomp", unknown};
        struct seccomp_source so = {"profile 'x'", "", unknown};
        struct seccomp_merge_decision d = {0};
        struct hr_error err = {0};
        struct json *theirs = doc_of(theirs_text), *ours = builtin(ours_name);

        if (!theirs || !ours ||
            seccomp_profile_merge(SECCOMP_MERGE_KEEP_IF_STRICTER, theirs, &st, ours, &so, &d,
                                  &err) < 0) {
                diag("merge failed: %s", err.msg);
                snprintf(d.reason, sizeof(d.reason), "(error)");
        }
        json_free(theirs);
        json_free(ours);
        return d;
}

static void keeps(const char *theirs, const char *ours, const char *what)
{
        struct seccomp_merge_decision d = merge(theirs, ours, E);

        ok(d.keep, "keep_if_stricter keeps: %s", what);
        if (!d.keep)
                diag("reason: %s", d.reason);
}

static void replaces(const char *theirs, const char *ours, enum seccomp_unknown_names unknown,
                     const char *want, const char *what)
{
        struct seccomp_merge_decision d = merge(theirs, ours, unknown);

        ok(!d.keep && strstr(d.reason, want), "keep_if_stricter replaces: %s", what);
        if (d.keep || !strstr(d.reason, want))
                diag("keep=%d reason '%s', want '%s'", d.keep, d.reason, want);
}

#define CLONE_MASKED                                                                   \
        "{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0," \
        "\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}"
#define SOCKET_IF(op, v)                                                                \
        "{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0," \
        "\"value\":" #v ",\"op\":\"" op "\"}]}"

static void test_merge(void)
{
        struct json *strict = builtin("strict"), *def = builtin("default");
        struct seccomp_source st = {"config.json", "/linux/seccomp", E}, so = {"ours", "", E};
        struct seccomp_merge_decision d = {.keep = true};
        struct hr_error err = {0};

        is_int(seccomp_profile_merge(SECCOMP_MERGE_REPLACE, strict, &st, def, &so, &d, &err), 0,
               "merge replace");
        ok(!d.keep, "replace never keeps the container's profile");
        json_free(strict);
        json_free(def);

        keeps(profile_builtin("strict", NULL), "default", "strict under default");
        keeps(profile_builtin("default", NULL), "default", "the same profile");
        replaces(profile_builtin("default", NULL), "strict", E, "allows 'execveat'",
                 "default under strict");
        keeps(HEAD "\"syscalls\":[" ALLOW_RW "]}", "default", "a small allowlist");
        keeps("{\"defaultAction\":\"SCMP_ACT_KILL_PROCESS\",\"architectures\":"
              "[\"SCMP_ARCH_X86_64\"],\"syscalls\":[" ALLOW_RW "]}",
              "default", "one architecture, killing default");
        keeps(HEAD
              "\"syscalls\":[" SOCKET_IF("SCMP_CMP_EQ", 2) "," SOCKET_IF("SCMP_CMP_EQ", 10) "]}",
              "default", "socket for AF_INET and AF_INET6 only");
        keeps(HEAD "\"syscalls\":[" CLONE_MASKED ",{\"names\":[\"personality\"],\"action\":"
                   "\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":8,\"op\":"
                   "\"SCMP_CMP_EQ\"}]}]}",
              "default", "the same clone mask, an allowed personality");
        keeps(HEAD "\"syscalls\":[" ALLOW_RW ",{\"names\":[\"ptrace\",\"mount\"],\"action\":"
                   "\"SCMP_ACT_KILL_PROCESS\"}]}",
              "default", "denials with another action");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"read\",\"ptrace\"],\"action\":"
                      "\"SCMP_ACT_ALLOW\"}]}",
                 "default", E, "allows 'ptrace' on SCMP_ARCH_X86_64", "allows ptrace");
        replaces("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mount\"],"
                 "\"action\":\"SCMP_ACT_ERRNO\"}]}",
                 "default", E, "defaultAction", "default action ALLOW");
        replaces("{\"defaultAction\":\"SCMP_ACT_LOG\"}", "default", E, "defaultAction",
                 "default action LOG");
        replaces(HEAD "\"syscalls\":[" SOCKET_IF("SCMP_CMP_EQ", 40) "]}", "default", E,
                 "allows 'socket' (for some argument values)", "socket for AF_VSOCK");
        replaces(HEAD "\"syscalls\":[" SOCKET_IF("SCMP_CMP_GT", 40) "]}", "default", E, "'socket'",
                 "Docker's socket rule '> 40'");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                 "default", E, "allows 'clone' on", "clone without the namespace mask");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"ioctl\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
                 "strict", E, "allows only in part", "any ioctl under strict");
        replaces("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"architectures\":"
                 "[\"SCMP_ARCH_S390X\"],\"syscalls\":[" ALLOW_RW "]}",
                 "default", E, "covers SCMP_ARCH_S390X", "an architecture ours lacks");
        replaces(HEAD "\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],\"syscalls\":[" ALLOW_RW "]}",
                 "default", E, "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "the SSB mitigation off");
        replaces(HEAD "\"listenerPath\":\"/run/agent.sock\",\"syscalls\":[" ALLOW_RW "]}",
                 "default", E, "listener", "a notify listener");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"read\",\"fooo\"],\"action\":"
                      "\"SCMP_ACT_ALLOW\"}]}",
                 "default", E, "it is invalid: config.json: '/linux/seccomp/syscalls/0/names/1'",
                 "an invalid profile");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"read\",\"fooo\"],\"action\":"
                      "\"SCMP_ACT_ALLOW\"}]}",
                 "default", I, "allows 'fooo'", "an unknown name, ignored, is still compared");
        replaces(HEAD "\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                      "\"args\":[{\"index\":0,\"value\":38,\"op\":\"SCMP_CMP_NE\"},"
                      "{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"}]}]}",
                 "default", E, "does not mean AND", "two conditions on one argument");
}

static void test_diff_export(void)
{
        struct seccomp_source sa = {"default", "", E}, sb = {"strict", "", E};
        struct json *a = builtin("default"), *b = builtin("strict");
        struct lines out = {0};
        struct hr_error err = {0};
        bool memfd = false, ioctl = false, reverse = false;
        char path[] = "/tmp/hardrun-test-seccomp-XXXXXX";
        int fd;

        is_int(seccomp_profile_diff(a, &sa, b, &sb, &out, &err), 0, "diff default strict");
        for (size_t i = 0; i < out.n; i++) {
                memfd = memfd || strcmp(out.lines[i], "< x86_64 memfd_create") == 0;
                ioctl = ioctl || strcmp(out.lines[i], "< aarch64 ioctl (the other only for some "
                                                      "argument values)") == 0;
                reverse = reverse || out.lines[i][0] == '>';
        }
        ok(memfd, "diff: default allows memfd_create on x86_64, strict does not");
        ok(ioctl, "diff: strict allows ioctl only for some requests");
        ok(!reverse, "diff: strict allows nothing default does not");
        lines_done(&out);
        is_int(seccomp_profile_diff(a, &sa, a, &sa, &out, &err), 0, "diff default default");
        is_int(out.total, 0, "diff: a profile does not differ from itself");
        lines_done(&out);

        fd = mkstemp(path);
        if (fd >= 0) {
                char buf[256] = "";
                struct stat st;
                unlink(path);
                is_int(seccomp_profile_export(a, &sa, SECCOMP_EXPORT_BPF, fd, &err), 0,
                       "export bpf");
                ok(fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size % 8 == 0 &&
                           st.st_size / 8 <= 4096,
                   "export bpf: whole instructions, at most 4096 (%lld bytes)",
                   (long long)st.st_size);
                if (ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0)
                        is_int(seccomp_profile_export(a, &sa, SECCOMP_EXPORT_PFC, fd, &err), 0,
                               "export pfc");
                ok(pread(fd, buf, sizeof(buf) - 1, 0) > 0 &&
                           strstr(buf, "# filter for arch x86_64"),
                   "export pfc: libseccomp's pseudo filter code");
                close(fd);
        }
        json_free(a);
        json_free(b);
}

static struct policy *policy_of(const char *text, struct hr_error *err)
{
        struct policy *p = NULL;

        if (policy_parse(text, strlen(text), "policy.json", &p, err) < 0)
                return NULL;
        return p;
}

static void test_policy_keys(void)
{
        struct hr_error err = {0};
        struct policy *p = policy_new_default();

        ok(p && SECCOMP(p)->merge == SECCOMP_MERGE_REPLACE &&
                   SECCOMP(p)->unknown == SECCOMP_UNKNOWN_ERROR,
           "default policy: merge replace, unknown_syscalls error");
        policy_free(p);
        p = policy_of("{\"rules\":{\"seccomp\":{\"merge\":\"keep_if_stricter\","
                      "\"unknown_syscalls\":\"ignore\"}}}",
                      &err);
        ok(p && SECCOMP(p)->merge == SECCOMP_MERGE_KEEP_IF_STRICTER &&
                   SECCOMP(p)->unknown == SECCOMP_UNKNOWN_IGNORE,
           "policy: merge and unknown_syscalls read");
        policy_free(p);
        p = policy_of("{\"rules\":{\"seccomp\":{\"merge\":\"union\"}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/merge': 'union' is not one of replace, "
                                 "keep_if_stricter"),
           "policy: unknown merge value names its path (%s)", err.msg);
        p = policy_of("{\"rules\":{\"seccomp\":{\"unknown_syscalls\":\"warn\"}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/unknown_syscalls'"),
           "policy: unknown unknown_syscalls value names its path (%s)", err.msg);
        p = policy_of("{\"rules\":{\"seccomp\":{\"merge\":true}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/merge': expected string"),
           "policy: merge of the wrong type");
}

/* A profile file is validated when the policy loads it. */
static void test_file_profile(void)
{
        static const char bad[] =
                HEAD "\"syscalls\":[{\"names\":[\"fooo\"],\"action\":\"SCMP_ACT_ALLOW\"}]}";
        char dir[] = "/tmp/hardrun-test-seccomp-XXXXXX", file[128], text[512];
        struct hr_error err = {0};
        const struct json *prof = NULL;
        struct policy *p;
        int fd;

        if (!mkdtemp(dir)) {
                ok(false, "mkdtemp");
                return;
        }
        snprintf(file, sizeof(file), "%s/p.json", dir);
        fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, bad, strlen(bad)) != (ssize_t)strlen(bad))
                diag("cannot write %s", file);
        if (fd >= 0)
                close(fd);
        snprintf(text, sizeof(text), "{\"rules\":{\"seccomp\":{\"profile\":\"%s\"}}}", file);
        p = policy_of(text, &err);
        is_int(p ? policy_seccomp_profile(p, &prof, &err) : -1, -EINVAL,
               "a file profile with an unknown name is refused on load");
        ok(strstr(err.msg, "seccomp profile ") && strstr(err.msg, "p.json: '/syscalls/0/names/0'"
                                                                  ": unknown syscall 'fooo'"),
           "the message names the file, the JSON path and the reason (%s)", err.msg);
        policy_free(p);
        snprintf(text, sizeof(text),
                 "{\"rules\":{\"seccomp\":{\"profile\":\"%s\",\"unknown_syscalls\":\"ignore\"}}}",
                 file);
        p = policy_of(text, &err);
        is_int(p ? policy_seccomp_profile(p, &prof, &err) : -1, 0,
               "the same file with unknown_syscalls ignore loads");
        policy_free(p);
        unlink(file);
        rmdir(dir);
}

static int harden_text(struct policy *p, const char *text, struct harden_result *res,
                       struct json **ret_doc)
{
        struct hr_error err = {0};
        struct json *doc;
        static const struct json_limits config_limits = {
                .max_bytes = HR_CONFIG_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
        };

        if (json_parse(text, strlen(text), &config_limits, &doc, &err) < 0)
                return -EBADMSG;
        *ret_doc = doc;
        return harden_spec(p, SPEC_CONFIG, "config.json", doc, res, &err);
}

static void test_rule_keep_if_stricter(void)
{
        const char *strict = profile_builtin("strict", NULL);
        char policy_text[2048], *config;
        struct harden_result res = {{0}};
        struct hr_error err = {0};
        struct json *doc = NULL, *sc, *want;
        struct policy *p;
        size_t n, o;

        /* Only the seccomp rule runs. */
        o = (size_t)snprintf(policy_text, sizeof(policy_text),
                             "{\"rules\":{\"seccomp\":{\"merge\":\"keep_if_stricter\"}");
        for (int i = 0; i < _RULE_MAX; i++)
                if (i != RULE_SECCOMP)
                        o += (size_t)snprintf(policy_text + o, sizeof(policy_text) - o,
                                              ",\"%s\":{\"mode\":\"off\"}",
                                              rule_id_to_string((enum rule_id)i));
        snprintf(policy_text + o, sizeof(policy_text) - o, "}}");
        p = policy_of(policy_text, &err);
        if (!p) {
                ok(false, "keep_if_stricter policy: %s", err.msg);
                return;
        }
        n = strlen(strict) + 64;
        config = malloc(n);
        snprintf(config, n, "{\"linux\":{\"seccomp\":%s}}", strict);
        is_int(harden_text(p, config, &res, &doc), 0, "rule: a stricter profile");
        is_int(res.findings.n, 0, "rule: the stricter profile is kept, no finding");
        want = builtin("strict");
        sc = doc ? json_object_get(json_object_get(doc, "linux"), "seccomp") : NULL;
        ok(sc && json_equal(sc, want), "rule: config.json still holds the container's profile");
        json_free(want);
        json_free(doc);
        harden_result_done(&res);
        free(config);

        is_int(harden_text(p,
                           "{\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ERRNO\","
                           "\"defaultErrnoRet\":38,\"syscalls\":[{\"names\":[\"read\","
                           "\"ptrace\"],\"action\":\"SCMP_ACT_ALLOW\"}]}}}",
                           &res, &doc),
               0, "rule: a looser profile");
        ok(res.findings.n == 1 && res.findings.items[0].after &&
                   json_object_get(res.findings.items[0].after, "reason") &&
                   strstr(json_object_get(res.findings.items[0].after, "reason")->scalar.text,
                          "'ptrace'"),
           "rule: replaced, and the finding says why");
        json_free(doc);
        harden_result_done(&res);
        policy_free(p);
}

int main(void)
{
        test_builtins();
        test_validation();
        test_merge();
        test_diff_export();
        test_policy_keys();
        test_file_profile();
        test_rule_keep_if_stricter();
        return tap_done();
}
