/* Unit tests for src/seccomp-profile.c: the built-in profiles validate, each kind of invalid
 * profile is named by its JSON path, merge decisions, diff and export, the policy keys, and the
 * seccomp rule with keep_if_stricter. JSON in single quotes (rule-harness.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "profiles.h"
#include "rule-harness.h"
#include "rules/seccomp.h"
#include "seccomp-diff.h"
#include "seccomp-profile.h"

#define SECCOMP(p) ((const struct seccomp_settings *)(p)->rule_settings[RULE_SECCOMP])

#define ARCHES "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86']"
#define HEAD "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38," ARCHES ","
#define ALLOW_RW "{'names':['read','write','exit_group'],'action':'SCMP_ACT_ALLOW'}"

static const struct json_limits limits = {
        .max_bytes = HR_PROFILE_MAX_BYTES,
        .max_depth = 16,
        .max_members = 65536,
};

/* A profile's text parsed with the profile limits. */
static struct json *profile_of(const char *text)
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
        struct json *doc = profile_of(text);
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
        struct json *doc = profile_of(text);
        int r = doc ? seccomp_profile_check(doc, &src, &problems, &err) : -EBADMSG;

        is_int(r, 0, "valid: %s", what);
        for (size_t i = 0; i < problems.n; i++)
                diag("  %s", problems.lines[i]);
        lines_done(&problems);
        json_free(doc);
}

#define E SECCOMP_UNKNOWN_ERROR
#define I SECCOMP_UNKNOWN_IGNORE

/* One profile through the check: valid, or its first problem at path says part. */
struct profile_case {
        const char *name;
        const char *profile; /* in single quotes */
        enum seccomp_unknown_names unknown;
        const char *path; /* NULL: valid */
        const char *part; /* plain text */
};

static const struct profile_case profile_cases_table[] = {
        {"a small allowlist", HEAD "'syscalls':[" ALLOW_RW "]}", E},
        {"bad syscall name",
         HEAD "'syscalls':[{'names':['read','fooo'],'action':'SCMP_ACT_ALLOW'}]}", E,
         "/syscalls/0/names/1", "unknown syscall 'fooo'"},
        {"unknown name with unknown_syscalls ignore",
         HEAD "'syscalls':[{'names':['read','fooo'],'action':'SCMP_ACT_ALLOW'}]}", I},
        {"syscalls newer than libseccomp's table are not typos",
         HEAD "'syscalls':[{'names':['mseal','listns'],'action':'SCMP_ACT_ALLOW'}]}", E},
        {"names missing on some listed architectures",
         HEAD "'syscalls':[{'names':['socketcall','arm_fadvise64_64'],"
              "'action':'SCMP_ACT_ALLOW'}]}",
         E},
        {"bad architecture",
         "{'defaultAction':'SCMP_ACT_ERRNO',"
         "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_FOO']}",
         E, "/architectures/1", "unknown architecture 'SCMP_ARCH_FOO'"},
        {"architecture without SCMP_ARCH_",
         "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['x86_64']}", E, "/architectures/0",
         "unknown architecture"},
        {"architecture listed twice",
         "{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86',"
         "'SCMP_ARCH_X86']}",
         E, "/architectures/1", "listed twice"},
        {"bad action", HEAD "'syscalls':[{'names':['read'],'action':'SCMP_ACT_BLOCK'}]}", E,
         "/syscalls/0/action", "unknown action 'SCMP_ACT_BLOCK'"},
        {"bad default action", "{'defaultAction':'ALLOW'}", E, "/defaultAction", "unknown action"},
        {"no default action", "{'architectures':[]}", E, "/defaultAction", "missing"},
        {"SCMP_ACT_NOTIFY as default",
         "{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/run/l'}", E, "/defaultAction",
         "cannot be the default"},
        {"bad operator",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':1,'value':1,'op':'SCMP_CMP_SAME'}]}]}",
         E, "/syscalls/0/args/0/op", "unknown operator 'SCMP_CMP_SAME'"},
        {"bad index",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/0/args/0/index", "not an argument index from 0 to 5"},
        {"index as string",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':'1','value':1,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/0/args/0/index", "expected an unsigned integer"},
        {"condition without value",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':1,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/0/args/0/value", "missing"},
        {"two conditions on one argument",
         HEAD "'syscalls':[{'names':['socket'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':38,'op':'SCMP_CMP_NE'},{'index':0,"
              "'value':40,'op':'SCMP_CMP_NE'}]}]}",
         E, "/syscalls/0/args/1/index", "does not mean AND"},
        {"conditions on two arguments (AND)",
         HEAD "'syscalls':[{'names':['socket'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':16,'op':'SCMP_CMP_EQ'},{'index':2,"
              "'value':0,'op':'SCMP_CMP_EQ'}]}]}",
         E},
        {"errnoRet on a non-errno action",
         HEAD "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW',"
              "'errnoRet':1}]}",
         E, "/syscalls/0/errnoRet", "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE"},
        {"errnoRet 0",
         HEAD "'syscalls':[{'names':['mount'],'action':'SCMP_ACT_ERRNO',"
              "'errnoRet':0}]}",
         E, "/syscalls/0/errnoRet", "return success"},
        {"errnoRet 5000",
         HEAD "'syscalls':[{'names':['mount'],'action':'SCMP_ACT_ERRNO',"
              "'errnoRet':5000}]}",
         E, "/syscalls/0/errnoRet", "not an errno from 1 to 4095"},
        {"defaultErrnoRet with KILL", "{'defaultAction':'SCMP_ACT_KILL','defaultErrnoRet':1}", E,
         "/defaultErrnoRet", "only SCMP_ACT_ERRNO"},
        {"rule equal to the default action",
         HEAD "'syscalls':[{'names':['mount'],'action':'SCMP_ACT_ERRNO',"
              "'errnoRet':38}]}",
         E, "/syscalls/0/action", "same action as defaultAction (SCMP_ACT_ERRNO(38))"},
        {"rule equal to the default action, both EPERM by default",
         "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['mount'],"
         "'action':'SCMP_ACT_ERRNO'}]}",
         E, "/syscalls/0/action", "runc drops the rule"},
        {"an EPERM rule under an ENOSYS default",
         HEAD "'syscalls':[" ALLOW_RW
              ",{'names':['mount'],'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
         E},
        {"empty names", HEAD "'syscalls':[{'names':[],'action':'SCMP_ACT_ALLOW'}]}", E,
         "/syscalls/0/names", "empty"},
        {"empty name", HEAD "'syscalls':[{'names':[''],'action':'SCMP_ACT_ALLOW'}]}", E,
         "/syscalls/0/names/0", "not a syscall name"},
        {"no names", HEAD "'syscalls':[{'action':'SCMP_ACT_ALLOW'}]}", E, "/syscalls/0/names",
         "missing"},
        {"valueTwo outside the mask",
         HEAD "'syscalls':[{'names':['clone'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':255,'valueTwo':256,"
              "'op':'SCMP_CMP_MASKED_EQ'}]}]}",
         E, "/syscalls/0/args/0/valueTwo", "never matches"},
        {"mask 0",
         HEAD "'syscalls':[{'names':['clone'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':0,'op':'SCMP_CMP_MASKED_EQ'}]}]}",
         E, "/syscalls/0/args/0/value", "mask 0"},
        {"valueTwo with SCMP_CMP_EQ",
         HEAD "'syscalls':[{'names':['dup'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':5,'valueTwo':3,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/0/args/0/valueTwo", "used only by SCMP_CMP_MASKED_EQ"},
        {"a 64-bit value with a 32-bit architecture",
         HEAD "'syscalls':[{'names':['dup'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':4294967296,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/0/args/0/value", "on SCMP_ARCH_X86 libseccomp compares only"},
        {"a 64-bit value on 64-bit architectures only",
         "{'defaultAction':'SCMP_ACT_ERRNO',"
         "'architectures':['SCMP_ARCH_X86_64'],'syscalls':[{'names':['dup'],"
         "'action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':4294967296,"
         "'op':'SCMP_CMP_EQ'}]}]}",
         E},
        {"Docker's archMap", "{'defaultAction':'SCMP_ACT_ERRNO','archMap':[]}", E, "/archMap",
         "Docker's profile format"},
        {"Docker's includes",
         HEAD "'syscalls':[{'names':['read'],'action':'SCMP_ACT_ALLOW',"
              "'includes':{}}]}",
         E, "/syscalls/0/includes", "Docker's profile format"},
        {"a key in another letter case", "{'defaultAction':'SCMP_ACT_ERRNO','DefaultErrnoRet':38}",
         E, "/DefaultErrnoRet", "unknown key"},
        {"bad flag", "{'defaultAction':'SCMP_ACT_ERRNO','flags':['SECCOMP_FILTER_FLAG_X']}", E,
         "/flags/0", "unknown or unsupported flag"},
        {"relative listenerPath", "{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'run/l'}", E,
         "/listenerPath", "not an absolute path"},
        {"notify without listener",
         HEAD "'syscalls':[{'names':['read'],'action':'SCMP_ACT_NOTIFY'}]}", E, "/listenerPath",
         "SCMP_ACT_NOTIFY needs a listener"},
        {"clone3 would get EPERM",
         "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['clone'],"
         "'action':'SCMP_ACT_ALLOW'}]}",
         E, "/defaultErrnoRet", "clone3 gets SCMP_ACT_ERRNO(1)"},
        {"clone3 would kill",
         "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['clone'],"
         "'action':'SCMP_ACT_ALLOW'},{'names':['clone3'],"
         "'action':'SCMP_ACT_KILL_PROCESS'}]}",
         E, "/syscalls/1/names/0", "clone3 gets SCMP_ACT_KILL_PROCESS"},
        {"clone3 with an explicit ENOSYS",
         "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[{'names':['clone'],"
         "'action':'SCMP_ACT_ALLOW'},{'names':['clone3'],"
         "'action':'SCMP_ACT_ERRNO','errnoRet':38}]}",
         E},
        {"a conditional deny next to an unconditional allow",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW'},"
              "{'names':['ioctl'],'action':'SCMP_ACT_ERRNO','errnoRet':1,"
              "'args':[{'index':1,'value':21522,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/1/names/0", "has no effect"},
        {"libseccomp refuses the same condition with two actions",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':1,'value':5,'op':'SCMP_CMP_EQ'}]},"
              "{'names':['ioctl'],'action':'SCMP_ACT_ERRNO','errnoRet':1,"
              "'args':[{'index':1,'value':5,'op':'SCMP_CMP_EQ'}]}]}",
         E, "/syscalls/1/names/0", "libseccomp cannot add the rule"},
        {"syscalls as an object", HEAD "'syscalls':{}}", E, "/syscalls",
         "expected array, got object"},
};

static void run_profile_cases(const struct profile_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct profile_case *c = &cases[i];
                char *text = qjson(c->profile);

                if (c->path)
                        invalid(text, c->unknown, c->path, c->part, c->name);
                else
                        valid(text, c->unknown, c->name);
                qjson_free(text);
        }
}
#define profile_cases(cases) run_profile_cases(cases, N_CASES(cases))

static void test_validation(void)
{
        profile_cases(profile_cases_table);

        /* A container's profile is read on every start: its size is bounded. */
        {
                size_t n = 16385, size = strlen(HEAD) + n * 7 + 64, len;
                char *big = malloc(size);

                if (big) {
                        len = (size_t)snprintf(big, size, HEAD "'syscalls':[{'names':[");
                        for (size_t i = 0; i < n; i++)
                                len += (size_t)snprintf(big + len, size - len, "%s'read'",
                                                        i ? "," : "");
                        snprintf(big + len, size - len, "],'action':'SCMP_ACT_ALLOW'}]}");
                        const struct profile_case c = {"more than 16384 syscall names", big, E,
                                                       "/syscalls", "at most 16384 are read"};
                        run_profile_cases(&c, 1);
                        free(big);
                }
        }

        /* Inside a config.json the paths carry the prefix; the runtime gets one line. */
        {
                struct seccomp_source src = {"config.json", "/linux/seccomp", E};
                struct hr_error err = {0};
                char *text = qjson(HEAD "'syscalls':[{'names':['fooo'],'action':'SCMP_ACT_ALLOW'},"
                                        "{'names':['read'],'action':'SCMP_ACT_HOLD'}]}");
                struct json *doc = profile_of(text);

                qjson_free(text);
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
        struct json *theirs = profile_of(theirs_text), *ours = builtin(ours_name);

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

#define CLONE_MASKED                                                       \
        "{'names':['clone'],'action':'SCMP_ACT_ALLOW','args':[{'index':0," \
        "'value':2114060288,'valueTwo':0,'op':'SCMP_CMP_MASKED_EQ'}]}"
#define SOCKET_IF(op, v)                                                    \
        "{'names':['socket'],'action':'SCMP_ACT_ALLOW','args':[{'index':0," \
        "'value':" #v ",'op':'" op "'}]}"

/* A container's profile against one of ours under keep_if_stricter: kept, or replaced with a
 * reason that says part. */
struct merge_case {
        const char *name;
        const char *theirs; /* in single quotes */
        const char *ours;   /* a built-in profile's name */
        enum seccomp_unknown_names unknown;
        const char *part; /* NULL: kept */
};

static const struct merge_case merge_table[] = {
        {"a small allowlist", HEAD "'syscalls':[" ALLOW_RW "]}", "default", E},
        {"one architecture, killing default",
         "{'defaultAction':'SCMP_ACT_KILL_PROCESS',"
         "'architectures':['SCMP_ARCH_X86_64'],'syscalls':[" ALLOW_RW "]}",
         "default", E},
        {"socket for AF_INET and AF_INET6 only",
         HEAD "'syscalls':[" SOCKET_IF("SCMP_CMP_EQ", 2) "," SOCKET_IF("SCMP_CMP_EQ", 10) "]}",
         "default", E},
        {"the same clone mask, an allowed personality",
         HEAD "'syscalls':[" CLONE_MASKED ",{'names':['personality'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':8,'op':'SCMP_CMP_EQ'}]}]}",
         "default", E},
        {"denials with another action",
         HEAD "'syscalls':[" ALLOW_RW
              ",{'names':['ptrace','mount'],'action':'SCMP_ACT_KILL_PROCESS'}]}",
         "default", E},
        {"allows ptrace",
         HEAD "'syscalls':[{'names':['read','ptrace'],'action':'SCMP_ACT_ALLOW'}]}", "default", E,
         "allows 'ptrace' on SCMP_ARCH_X86_64"},
        {"default action ALLOW",
         "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mount'],"
         "'action':'SCMP_ACT_ERRNO'}]}",
         "default", E, "defaultAction"},
        {"default action LOG", "{'defaultAction':'SCMP_ACT_LOG'}", "default", E, "defaultAction"},
        {"socket for AF_VSOCK", HEAD "'syscalls':[" SOCKET_IF("SCMP_CMP_EQ", 40) "]}", "default", E,
         "allows 'socket' (for some argument values)"},
        {"Docker's socket rule '> 40'", HEAD "'syscalls':[" SOCKET_IF("SCMP_CMP_GT", 40) "]}",
         "default", E, "'socket'"},
        {"clone without the namespace mask",
         HEAD "'syscalls':[{'names':['clone'],'action':'SCMP_ACT_ALLOW'}]}", "default", E,
         "allows 'clone' on"},
        {"any ioctl under strict",
         HEAD "'syscalls':[{'names':['ioctl'],'action':'SCMP_ACT_ALLOW'}]}", "strict", E,
         "allows only in part"},
        {"an architecture ours lacks",
         "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
         "'architectures':['SCMP_ARCH_S390X'],'syscalls':[" ALLOW_RW "]}",
         "default", E, "covers SCMP_ARCH_S390X"},
        {"the SSB mitigation off",
         HEAD "'flags':['SECCOMP_FILTER_FLAG_SPEC_ALLOW'],'syscalls':[" ALLOW_RW "]}", "default", E,
         "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
        {"a notify listener", HEAD "'listenerPath':'/run/agent.sock','syscalls':[" ALLOW_RW "]}",
         "default", E, "listener"},
        {"an invalid profile",
         HEAD "'syscalls':[{'names':['read','fooo'],'action':'SCMP_ACT_ALLOW'}]}", "default", E,
         "it is invalid: config.json: '/linux/seccomp/syscalls/0/names/1'"},
        {"an unknown name, ignored, is still compared",
         HEAD "'syscalls':[{'names':['read','fooo'],'action':'SCMP_ACT_ALLOW'}]}", "default", I,
         "allows 'fooo'"},
        {"two conditions on one argument",
         HEAD "'syscalls':[{'names':['socket'],'action':'SCMP_ACT_ALLOW',"
              "'args':[{'index':0,'value':38,'op':'SCMP_CMP_NE'},{'index':0,"
              "'value':40,'op':'SCMP_CMP_NE'}]}]}",
         "default", E, "does not mean AND"},
};

static void run_merge_cases(const struct merge_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct merge_case *c = &cases[i];
                char *theirs = qjson(c->theirs);

                if (c->part)
                        replaces(theirs, c->ours, c->unknown, c->part, c->name);
                else
                        keeps(theirs, c->ours, c->name);
                qjson_free(theirs);
        }
}
#define merge_cases(cases) run_merge_cases(cases, N_CASES(cases))

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
        merge_cases(merge_table);
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

/* The policy text in single quotes parsed. */
static struct policy *policy_q(const char *quoted, struct hr_error *err)
{
        char *text = qjson(quoted);
        struct policy *p = policy_of(text, err);

        qjson_free(text);
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
        p = policy_q(
                "{'rules':{'seccomp':{'merge':'keep_if_stricter','unknown_syscalls':'ignore'}}}",
                &err);
        ok(p && SECCOMP(p)->merge == SECCOMP_MERGE_KEEP_IF_STRICTER &&
                   SECCOMP(p)->unknown == SECCOMP_UNKNOWN_IGNORE,
           "policy: merge and unknown_syscalls read");
        policy_free(p);
        p = policy_q("{'rules':{'seccomp':{'merge':'union'}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/merge': 'union' is not one of replace, "
                                 "keep_if_stricter"),
           "policy: unknown merge value names its path (%s)", err.msg);
        p = policy_q("{'rules':{'seccomp':{'unknown_syscalls':'warn'}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/unknown_syscalls'"),
           "policy: unknown unknown_syscalls value names its path (%s)", err.msg);
        p = policy_q("{'rules':{'seccomp':{'merge':true}}}", &err);
        ok(!p && strstr(err.msg, "'/rules/seccomp/merge': expected string"),
           "policy: merge of the wrong type");
}

/* A profile file is validated when the policy loads it. */
static void test_file_profile(void)
{
        char *bad = qjson(HEAD "'syscalls':[{'names':['fooo'],'action':'SCMP_ACT_ALLOW'}]}");
        char dir[] = "/tmp/hardrun-test-seccomp-XXXXXX", file[128], text[512];
        struct hr_error err = {0};
        const struct json *prof = NULL;
        struct policy *p;
        int fd;

        if (!mkdtemp(dir)) {
                ok(false, "mkdtemp");
                qjson_free(bad);
                return;
        }
        snprintf(file, sizeof(file), "%s/p.json", dir);
        fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, bad, strlen(bad)) != (ssize_t)strlen(bad))
                diag("cannot write %s", file);
        if (fd >= 0)
                close(fd);
        qjson_free(bad);
        snprintf(text, sizeof(text), "{'rules':{'seccomp':{'profile':'%s'}}}", file);
        p = policy_q(text, &err);
        is_int(p ? policy_seccomp_profile(p, &prof, &err) : -1, -EINVAL,
               "a file profile with an unknown name is refused on load");
        ok(strstr(err.msg, "seccomp profile ") && strstr(err.msg, "p.json: '/syscalls/0/names/0'"
                                                                  ": unknown syscall 'fooo'"),
           "the message names the file, the JSON path and the reason (%s)", err.msg);
        policy_free(p);
        snprintf(text, sizeof(text),
                 "{'rules':{'seccomp':{'profile':'%s','unknown_syscalls':'ignore'}}}", file);
        p = policy_q(text, &err);
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
        /* Only the seccomp rule runs. */
        struct policy *p = only_rule_q(RULE_SECCOMP, "enforce", "'merge':'keep_if_stricter'");
        struct harden_result res = {{0}};
        struct json *doc = NULL, *sc, *want;
        char *config, *looser;
        size_t n;

        if (!p) {
                ok(false, "keep_if_stricter policy");
                return;
        }
        /* The built-in profile's own text, inside a config. */
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

        looser = qjson("{'linux':{'seccomp':{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
                       "'syscalls':[{'names':['read','ptrace'],'action':'SCMP_ACT_ALLOW'}]}}}");
        is_int(harden_text(p, looser, &res, &doc), 0, "rule: a looser profile");
        qjson_free(looser);
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
