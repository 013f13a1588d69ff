/* Unit tests for policy.c: the default policy and its text twin, strict validation with the
 * file and JSON path in every message, modes, capabilities, tmpfs options, trust checks. JSON in
 * single quotes (rule-harness.h). */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capability.h"
#include "policy-show.h"
#include "policy.h"
#include "rules/registry.h"
#include "rules/caps.h"
#include "rules/rootfs.h"
#include "rules/rule.h"
#include "rules/seccomp.h"
#include "rules/user.h"
#include "rule-harness.h"
#include "tap.h"

#define CAPS(p) ((const struct caps_settings *)(p)->rule_settings[RULE_CAPABILITIES])
#define TMPFS(p) (&((const struct rootfs_settings *)(p)->rule_settings[RULE_ROOTFS])->tmpfs)
#define SECCOMP(p) ((const struct seccomp_settings *)(p)->rule_settings[RULE_SECCOMP])
#define USER(p) ((const struct user_settings *)(p)->rule_settings[RULE_USER])

#define SOURCE "/etc/hardrun/test-policy.json"
#define FORCED ",nosuid,nodev,noexec"

static char tmpdir[] = "/tmp/hardrun-test-policy-XXXXXX";

static char *read_text(const char *path, size_t *ret_len)
{
        FILE *f = fopen(path, "rb");
        char *buf = NULL;
        long size;

        if (!f)
                return NULL;
        if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
            (buf = malloc((size_t)size + 1))) {
                *ret_len = fread(buf, 1, (size_t)size, f);
                buf[*ret_len] = '\0';
        }
        fclose(f);
        return buf;
}

/* quoted, JSON in single quotes, written as JSON text. */
static int write_text(const char *path, const char *quoted, mode_t mode)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        char *text = qjson(quoted);
        size_t len = strlen(text);
        int r = 0;

        if (fd < 0) {
                r = -errno;
                qjson_free(text);
                return r;
        }
        if (write(fd, text, len) != (ssize_t)len)
                r = -EIO;
        if (fchmod(fd, mode) < 0)
                r = -errno;
        close(fd);
        qjson_free(text);
        return r;
}

/* The policy text in single quotes parsed, named SOURCE. */
static struct policy *parse(const char *quoted, struct hr_error *err)
{
        char *text = qjson(quoted);
        struct policy *p = NULL;

        if (policy_parse(text, strlen(text), SOURCE, &p, err) < 0)
                p = NULL;
        qjson_free(text);
        return p;
}

/* Every refusal: -EINVAL, and a message naming the source file and the JSON path. The test
 * names show label, or the policy text. */
static void check_error_named(const char *label, const char *text, const char *json_path,
                              const char *part)
{
        struct hr_error err = {0};
        struct policy *p = (struct policy *)&err; /* sentinel */
        char quoted[160];
        int r = policy_parse(text, strlen(text), SOURCE, &p, &err);

        if (label)
                text = label;

        snprintf(quoted, sizeof(quoted), "'%s'", json_path);
        is_int(r, -EINVAL, "%s: refused", text);
        ok(strncmp(err.msg, SOURCE ": ", strlen(SOURCE) + 2) == 0,
           "%s: message starts with the source (%s)", text, err.msg);
        ok(strstr(err.msg, quoted) != NULL, "%s: message names %s", text, quoted);
        if (part)
                ok(strstr(err.msg, part) != NULL, "%s: message says '%s'", text, part);
        ok(p == (struct policy *)&err, "%s: *ret untouched", text);
        if (r == 0 && p != (struct policy *)&err)
                policy_free(p);
}

/* A refused policy: its text in single quotes, the JSON path and part of the message the error
 * names (NULL: not checked); the test names show name, or the policy text as parsed. */
struct error_case {
        const char *policy;
        const char *path;
        const char *part;
        const char *name;
};

static void run_error_cases(const struct error_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char *text = qjson(cases[i].policy);

                check_error_named(cases[i].name, text, cases[i].path, cases[i].part);
                qjson_free(text);
        }
}
#define error_cases(cases) run_error_cases(cases, N_CASES(cases))

/* The option list joined with commas ("(null)" for none), in a rotating static buffer. */
static const char *opts_text(char *const *v)
{
        static char bufs[4][512];
        static unsigned next;
        char *buf = bufs[next++ % 4];
        size_t o = 0;

        if (!v)
                return "(null)";
        buf[0] = '\0';
        for (size_t i = 0; v[i] && o < sizeof(bufs[0]); i++)
                o += (size_t)snprintf(buf + o, sizeof(bufs[0]) - o, "%s%s", i ? "," : "", v[i]);
        return buf;
}

static void check_tmpfs_equal(const struct policy *a, const struct policy *b, const char *what)
{
        is_int(TMPFS(a)->n, TMPFS(b)->n, "%s: tmpfs count", what);
        for (size_t i = 0; i < TMPFS(a)->n && i < TMPFS(b)->n; i++) {
                is_str(TMPFS(a)->items[i].path, TMPFS(b)->items[i].path, "%s: tmpfs %zu path", what,
                       i);
                is_str(opts_text(TMPFS(a)->items[i].options), opts_text(TMPFS(b)->items[i].options),
                       "%s: tmpfs %zu options", what, i);
        }
}

/* Every rule's settings, modes aside, through policy show: a field added later is compared too. */
static void check_same_settings(const struct policy *a, const struct policy *b, const char *what)
{
        struct json *ja = NULL, *jb = NULL;
        struct hr_error err = {0};

        ok(policy_to_json(a, &ja, &err) == 0 && policy_to_json(b, &jb, &err) == 0,
           "%s: policy show works (%s)", what, err.msg);
        if (ja && jb) {
                struct json *ra = json_object_get(ja, "rules");
                struct json *rb = json_object_get(jb, "rules");
                bool removed = true;
                for (size_t i = 0; ra && i < ra->object.n; i++)
                        removed &= json_object_remove(ra->object.members[i].value, "mode") >= 0;
                for (size_t i = 0; rb && i < rb->object.n; i++)
                        removed &= json_object_remove(rb->object.members[i].value, "mode") >= 0;
                ok(removed && json_equal(ra, rb), "%s: every rule's fields", what);
                ok(json_equal(json_object_get(ja, "exemptions"), json_object_get(jb, "exemptions")),
                   "%s: exemptions", what);
        }
        json_free(ja);
        json_free(jb);
}

static void check_same_policy(const struct policy *a, const struct policy *b, const char *what)
{
        check_same_settings(a, b, what);
        is_int(a->mode, b->mode, "%s: mode", what);
        for (int i = 0; i < _RULE_MAX; i++)
                is_int(a->rule_mode[i], b->rule_mode[i], "%s: rule_mode[%s]", what,
                       rule_id_to_string((enum rule_id)i));
        is_int(USER(a)->uid, USER(b)->uid, "%s: user.uid", what);
        is_int(USER(a)->gid, USER(b)->gid, "%s: user.gid", what);
        is_int(USER(a)->keep_non_root, USER(b)->keep_non_root, "%s: keep_non_root", what);
        ok(CAPS(a)->allow == CAPS(b)->allow, "%s: caps.allow", what);
        is_int(CAPS(a)->inheritable, CAPS(b)->inheritable, "%s: caps.inheritable", what);
        is_str(SECCOMP(a)->profile, SECCOMP(b)->profile, "%s: seccomp.profile", what);
        check_tmpfs_equal(a, b, what);
        is_str(a->audit.file, b->audit.file, "%s: audit.file", what);
        is_int(a->audit.fail_on_error, b->audit.fail_on_error, "%s: audit.fail_on_error", what);
        is_int(a->audit.syslog, b->audit.syslog, "%s: audit.syslog", what);
        is_int(a->audit.records, b->audit.records, "%s: audit.records", what);
        is_str(a->runtime.path, b->runtime.path, "%s: runtime.path", what);
        is_str(a->runtime.argv0, b->runtime.argv0, "%s: runtime.argv0", what);
}

static void test_default(void)
{
        struct policy *def = policy_new_default();
        static const char *const paths[] = {"/tmp", "/var/tmp", "/run"};

        ok(def != NULL, "policy_new_default");
        if (!def)
                return;
        is_str(def->source, "built-in default", "default: source");
        is_int(def->mode, HR_MODE_ENFORCE, "default: enforce");
        for (int i = 0; i < _RULE_MAX; i++)
                is_int(def->rule_mode[i], i == RULE_USER_NAMESPACE ? HR_MODE_OFF : HR_MODE_ENFORCE,
                       "default: %s %s", rule_id_to_string((enum rule_id)i),
                       i == RULE_USER_NAMESPACE ? "is off (opt-in)" : "enforces");
        is_int(USER(def)->uid, 65534, "default: uid 65534");
        is_int(USER(def)->gid, 65534, "default: gid 65534");
        ok(USER(def)->keep_non_root, "default: keep_non_root");
        ok(CAPS(def)->allow == 0, "default: no capability allowed");
        ok(!CAPS(def)->inheritable, "default: no inheritable");
        is_str(SECCOMP(def)->profile, "default", "default: seccomp profile 'default'");
        ok(SECCOMP(def)->loaded == NULL, "default: profile not loaded yet");
        is_int(TMPFS(def)->n, 3, "default: 3 tmpfs");
        for (size_t i = 0; i < 3 && i < TMPFS(def)->n; i++) {
                is_str(TMPFS(def)->items[i].path, paths[i], "default: tmpfs %zu path", i);
                is_str(opts_text(TMPFS(def)->items[i].options),
                       i == 2 ? "mode=1777,size=64m,tmpcopyup" FORCED : "mode=1777,size=64m" FORCED,
                       "default: tmpfs %zu options", i);
        }
        is_str(def->audit.file, "/var/log/hardrun/audit.log", "default: audit file");
        ok(def->audit.fail_on_error, "default: on_error fail");
        ok(!def->audit.syslog, "default: no syslog");
        is_int(def->audit.records, AUDIT_RECORDS_ALL, "default: a record per finding");
        ok(def->runtime.path == NULL && def->runtime.argv0 == NULL, "default: no runtime");
        policy_free(def);
}

static void check_sha256(const char *data, size_t len, const char *want, const char *what)
{
        char text[SHA256_TEXT_SIZE];
        unsigned char digest[SHA256_DIGEST_SIZE];
        struct sha256 s;
        char pieces[SHA256_TEXT_SIZE] = "sha256:";

        sha256_text(data, len, text);
        is_str(text, want, "sha256 %s", what);
        /* The same fed in uneven pieces, across block boundaries. */
        sha256_init(&s);
        for (size_t at = 0, step = 1; at < len; at += step, step = step * 3 + 1)
                sha256_update(&s, data + at, step < len - at ? step : len - at);
        sha256_final(&s, digest);
        for (int i = 0; i < SHA256_DIGEST_SIZE; i++)
                snprintf(pieces + 7 + 2 * i, 3, "%02x", digest[i]);
        is_str(pieces, want, "sha256 %s, in pieces", what);
}

/* FIPS 180-4 examples, and lengths around the padding boundary. */
static void test_sha256(void)
{
        char *million = malloc(1000000);

        check_sha256("", 0,
                     "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                     "of nothing");
        check_sha256("abc", 3,
                     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                     "of abc");
        check_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
                     "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
                     "of 56 bytes (padding takes a second block)");
        if (million) {
                memset(million, 'a', 1000000);
                check_sha256(
                        million, 1000000,
                        "sha256:cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
                        "of a million a");
                free(million);
        }
}

static void test_profile_files(void)
{
        const char *srcdir = getenv("HARDRUN_SRCDIR");
        struct policy *def = policy_new_default();
        char path[4096];
        struct hr_error err = {0};
        struct policy *p = NULL;
        size_t len = 0;
        char *text;

        if (!srcdir) {
                diag("HARDRUN_SRCDIR unset, using the current directory");
                srcdir = ".";
        }
        snprintf(path, sizeof(path), "%s/profiles/policy/restricted.json", srcdir);
        text = read_text(path, &len);
        ok(text != NULL, "read %s", path);
        if (text && def) {
                is_int(policy_parse(text, len, path, &p, &err), 0, "restricted.json parses (%s)",
                       err.msg);
                if (p) {
                        is_str(p->source, path, "restricted.json: source is the file name");
                        check_same_policy(p, def, "restricted.json == built-in");
                        /* The build hashed the file with Python's hashlib: this checks the
                         * C SHA-256 too. */
                        is_str(p->digest, def->digest,
                               "restricted.json's digest is the built-in default's");
                }
        }
        policy_free(p);
        p = NULL;
        free(text);

        snprintf(path, sizeof(path), "%s/profiles/policy/audit-all.json", srcdir);
        text = read_text(path, &len);
        ok(text != NULL, "read %s", path);
        if (text) {
                is_int(policy_parse(text, len, path, &p, &err), 0, "audit-all.json parses (%s)",
                       err.msg);
                /* restricted.json rule by rule, auditing what it enforces and nothing it
                 * leaves off: audit-all's would_change and would_deny are what it will do. */
                if (p && def) {
                        is_int(p->mode, HR_MODE_AUDIT, "audit-all.json: global audit");
                        for (int i = 0; i < _RULE_MAX; i++)
                                is_int(p->rule_mode[i],
                                       def->rule_mode[i] == HR_MODE_OFF ? HR_MODE_OFF
                                                                        : HR_MODE_AUDIT,
                                       "audit-all.json: %s %s as restricted.json does",
                                       rule_id_to_string((enum rule_id)i),
                                       def->rule_mode[i] == HR_MODE_OFF ? "is off" : "audits");
                        ok(!p->audit.fail_on_error, "audit-all.json: on_error continue");
                        check_same_settings(p, def, "audit-all.json settings == built-in");
                }
        }
        policy_free(p);
        p = NULL;
        free(text);

        /* PSS baseline: what a root workload keeps (no user, rootfs or nnp rewrite, Docker's
         * capabilities minus NET_RAW), everything else as restricted. */
        snprintf(path, sizeof(path), "%s/profiles/policy/baseline.json", srcdir);
        text = read_text(path, &len);
        ok(text != NULL, "read %s", path);
        if (text) {
                unsigned cap;
                is_int(policy_parse(text, len, path, &p, &err), 0, "baseline.json parses (%s)",
                       err.msg);
                if (p) {
                        static const enum rule_id off[] = {
                                RULE_USER,    RULE_ROOTFS, RULE_NO_NEW_PRIVILEGES, RULE_RESOURCES,
                                RULE_RLIMITS, RULE_IMAGE,  RULE_USER_NAMESPACE};
                        for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++)
                                is_int(p->rule_mode[off[i]], HR_MODE_OFF, "baseline.json: %s off",
                                       rule_id_to_string(off[i]));
                        is_int(p->rule_mode[RULE_ENV_SECRETS], HR_MODE_AUDIT,
                               "baseline.json: env_secrets audits");
                        for (int i = 0; i < _RULE_MAX; i++)
                                if (p->rule_mode[i] != HR_MODE_OFF && i != RULE_ENV_SECRETS)
                                        is_int(p->rule_mode[i], HR_MODE_ENFORCE,
                                               "baseline.json: %s enforces",
                                               rule_id_to_string((enum rule_id)i));
                        ok(capability_from_name("NET_RAW", &cap) == 0 &&
                                   !(CAPS(p)->allow & (UINT64_C(1) << cap)),
                           "baseline.json: NET_RAW is not allowed");
                        ok(capability_from_name("SYS_CHROOT", &cap) == 0 &&
                                   (CAPS(p)->allow & (UINT64_C(1) << cap)),
                           "baseline.json: SYS_CHROOT is allowed");
                        ok(capability_from_name("SYS_ADMIN", &cap) == 0 &&
                                   !(CAPS(p)->allow & (UINT64_C(1) << cap)),
                           "baseline.json: SYS_ADMIN is not allowed");
                }
        }
        policy_free(p);
        free(text);
        policy_free(def);
}

static const struct error_case unknown_names[] = {
        {"{'bogus':1}", "", "unknown key 'bogus'"},
        {"{'Mode':'audit'}", "", "unknown key 'Mode'"},
        {"[]", "", "expected object, got array"},
        {"{'rules':{'bogus':{}}}", "/rules", "unknown rule 'bogus'"},
        {"{'rules':{'User':{}}}", "/rules", "unknown rule 'User'"},
        {"{'rules':{'user':{'bogus':1}}}", "/rules/user", "unknown key 'bogus'"},
        {"{'rules':{'capabilities':{'alow':[]}}}", "/rules/capabilities", "unknown key 'alow'"},
        {"{'rules':{'seccomp':{'file':'/x'}}}", "/rules/seccomp", "unknown key 'file'"},
        {"{'rules':{'rootfs':{'readonly':true}}}", "/rules/rootfs", "unknown key 'readonly'"},
        {"{'rules':{'no_new_privileges':{'enabled':true}}}", "/rules/no_new_privileges",
         "unknown key 'enabled'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp','size':1}]}}}", "/rules/rootfs/tmpfs/0",
         "unknown key 'size'"},
        {"{'runtime':{'name':'runc'}}", "/runtime", "unknown key 'name'"},
        /* A key with an embedded NUL must not pass as the known key before the NUL:
         * "mode\0x" would be ignored, "user\0" would configure the user rule. */
        {"{'mode\\u0000x':'audit'}", "", "NUL byte", "key \"mode\\u0000x\""},
        {"{'rules':{'user\\u0000':{'mode':'off'}}}", "/rules", "unknown rule",
         "rule \"user\\u0000\""},
        {"{'audit':{'path':'/x'}}", "/audit", "unknown key 'path'"},
        /* A typo gets the nearest known name; an unrelated word gets none. */
        {"{'rules':{'capabilites':{}}}", "/rules",
         "unknown rule 'capabilites' (did you mean 'capabilities'?)"},
        {"{'rules':{'User':{}}}", "/rules", "(did you mean 'user'?)"},
        {"{'Mode':'audit'}", "", "unknown key 'Mode' (did you mean 'mode'?)"},
        {"{'rules':{'capabilities':{'alow':[]}}}", "/rules/capabilities",
         "unknown key 'alow' (did you mean 'allow'?)"},
        {"{'exemptions':[{'rules':['seccmop'],'ids':['x']}]}", "/exemptions/0/rules",
         "unknown rule 'seccmop' (did you mean 'seccomp'?)"},
};

/* user_namespace pools, ID-mapped mounts and root kept inside. */
static const struct error_case user_namespace_errors[] = {
        {"{'rules':{'user_namespace':{'allocation':'each'}}}", "/rules/user_namespace/allocation",
         "not one of shared, per_container"},
        {"{'rules':{'user_namespace':{'ranges':0}}}", "/rules/user_namespace/ranges", "at least 1"},
        {"{'rules':{'user_namespace':{'allocation':'per_container',"
         "'ranges':70000}}}",
         "/rules/user_namespace/ranges", "end below 4294967294"},
        {"{'rules':{'user_namespace':{'host_uid':4294901759}}}", "/rules/user_namespace/size",
         "end below 4294967294"},
        {"{'rules':{'user_namespace':{'idmap':'yes'}}}", "/rules/user_namespace/idmap",
         "expected boolean"},
        {"{'rules':{'user_namespace':{'idmap_sources':['var/lib']}}}",
         "/rules/user_namespace/idmap_sources/0", "not an absolute path"},
        {"{'rules':{'user_namespace':{'subid_user':'a:b'}}}", "/rules/user_namespace/subid_user",
         "not a user name"},
        {"{'rules':{'user':{'keep_root_in_user_namespace':1}}}",
         "/rules/user/keep_root_in_user_namespace", "expected boolean"},
        {"{'rules':{'capabilities':{'allow_in_user_namespace':['BOGUS']}}}",
         "/rules/capabilities/allow_in_user_namespace/0", "unknown capability 'BOGUS'"},
};

/* Wrong types. */
static const struct error_case wrong_types[] = {
        {"{'rules':{'user':{'uid':'1000'}}}", "/rules/user/uid", NULL},
        {"{'rules':{'user':{'gid':true}}}", "/rules/user/gid", NULL},
        {"{'mode':1}", "/mode", "expected string, got number"},
        {"{'rules':{'capabilities':{'allow':{}}}}", "/rules/capabilities/allow",
         "expected array, got object"},
        {"{'rules':{'capabilities':{'allow':['CHOWN',1]}}}", "/rules/capabilities/allow/1",
         "expected string, got number"},
        {"{'rules':{'capabilities':{'inheritable':'yes'}}}", "/rules/capabilities/inheritable",
         "expected boolean, got string"},
        {"{'rules':{'user':{'keep_non_root':1}}}", "/rules/user/keep_non_root", NULL},
        {"{'rules':[]}", "/rules", "expected object, got array"},
        {"{'rules':{'user':[]}}", "/rules/user", "expected object, got array"},
        {"{'rules':{'seccomp':{'profile':7}}}", "/rules/seccomp/profile", NULL},
        {"{'rules':{'rootfs':{'tmpfs':{}}}}", "/rules/rootfs/tmpfs", NULL},
        {"{'rules':{'rootfs':{'tmpfs':['/tmp']}}}", "/rules/rootfs/tmpfs/0",
         "expected object, got string"},
        {"{'runtime':'runc'}", "/runtime", "expected object, got string"},
        {"{'audit':[]}", "/audit", NULL},
        {"{'audit':{'syslog':'yes'}}", "/audit/syslog", NULL},
        {"{'audit':{'on_error':false}}", "/audit/on_error", NULL},
        {"{'audit':{'file':7}}", "/audit/file", NULL},
};

/* Bad values. */
static const struct error_case bad_values[] = {
        {"{'mode':'strict'}", "/mode", "'strict'"},
        {"{'mode':'Enforce'}", "/mode", NULL},
        {"{'mode':'of'}", "/mode", "enforce, audit, deny, off"},
        {"{'messages':{'contact':''}}", "/messages/contact", "1 to 512 bytes"},
        {"{'messages':{'contact':'a\\nb'}}", "/messages/contact", "one line"},
        {"{'messages':{'contact':'a\\u001b[31m'}}", "/messages/contact", "control characters"},
        {"{'messages':{'contact':7}}", "/messages/contact", NULL},
        {"{'messages':{'url':'x'}}", "/messages", "'url'"},
        {"{'messages':[]}", "/messages", NULL},
        {"{'rules':{'seccomp':{'mode':'bogus'}}}", "/rules/seccomp/mode", "'bogus'"},
        {"{'rules':{'seccomp':{'mode':0}}}", "/rules/seccomp/mode", NULL},
        {"{'rules':{'capabilities':{'allow':['CAP_FOO']}}}", "/rules/capabilities/allow/0",
         "unknown capability 'CAP_FOO'"},
        {"{'rules':{'capabilities':{'allow':['12']}}}", "/rules/capabilities/allow/0",
         "unknown capability '12'"},
        {"{'rules':{'capabilities':{'allow':['']}}}", "/rules/capabilities/allow/0", NULL},
        {"{'rules':{'capabilities':{'allow':['CAP_CHOWN\\u0000x']}}}",
         "/rules/capabilities/allow/0", NULL},
        /* Regression (was a bug): libcap's cap_from_name() matches the longest [A-Za-z_] prefix and
         * ignores what follows, so a misspelt name silently grants the capability it starts with.
         */
        {"{'rules':{'capabilities':{'allow':['NET_RAW1']}}}", "/rules/capabilities/allow/0",
         "unknown capability", "regression: allow [\"NET_RAW1\"]"},
        {"{'rules':{'capabilities':{'allow':['CAP_SYS_ADMIN-typo']}}}",
         "/rules/capabilities/allow/0", "unknown capability",
         "regression: allow [\"CAP_SYS_ADMIN-typo\"]"},
        {"{'rules':{'user':{'uid':0}}}", "/rules/user/uid", "must not be 0"},
        {"{'rules':{'user':{'gid':0}}}", "/rules/user/gid", "must not be 0"},
        {"{'rules':{'user':{'uid':-1}}}", "/rules/user/uid", NULL},
        {"{'rules':{'user':{'uid':1000.0}}}", "/rules/user/uid", NULL},
        {"{'rules':{'user':{'uid':1e3}}}", "/rules/user/uid", NULL},
        {"{'rules':{'user':{'uid':4294967295}}}", "/rules/user/uid", NULL},
        {"{'version':2}", "/version", "version 1"},
        {"{'version':0}", "/version", NULL},
        {"{'version':'1'}", "/version", NULL},
        {"{'version':1.0}", "/version", NULL},
        {"{'runtime':{'path':'bin/runc'}}", "/runtime/path", "'bin/runc'"},
        {"{'runtime':{'path':''}}", "/runtime/path", NULL},
        {"{'runtime':{'path':'ru\\u0000nc'}}", "/runtime/path", "contains a NUL byte"},
        {"{'runtime':{'argv0':''}}", "/runtime/argv0", "must not be empty"},
        {"{'rules':{'seccomp':{'profile':'no-such-profile'}}}", "/rules/seccomp/profile",
         "'no-such-profile'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'tmp'}]}}}", "/rules/rootfs/tmpfs/0/path", "'tmp'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp/'}]}}}", "/rules/rootfs/tmpfs/0/path", NULL},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/'}]}}}", "/rules/rootfs/tmpfs/0/path", NULL},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/var/../tmp'}]}}}", "/rules/rootfs/tmpfs/0/path",
         NULL},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'//tmp'}]}}}", "/rules/rootfs/tmpfs/0/path", NULL},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/./tmp'}]}}}", "/rules/rootfs/tmpfs/0/path", NULL},
        {"{'rules':{'rootfs':{'tmpfs':[{'options':'size=1m'}]}}}", "/rules/rootfs/tmpfs/0/path",
         "missing"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/a'},{'path':'/tmp',"
         "'options':'size=1m,exec'}]}}}",
         "/rules/rootfs/tmpfs/1/options", "'exec'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp','options':'suid'}]}}}",
         "/rules/rootfs/tmpfs/0/options", "'suid'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp',"
         "'options':'dev,size=1m'}]}}}",
         "/rules/rootfs/tmpfs/0/options", "'dev'"},
        {"{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp','options':'bind'}]}}}",
         "/rules/rootfs/tmpfs/0/options", "'bind'"},
        {"{'audit':{'file':'audit.log'}}", "/audit/file", "'audit.log'"},
        {"{'audit':{'file':'/var/log/'}}", "/audit/file", NULL},
        {"{'audit':{'on_error':'ignore'}}", "/audit/on_error", "'ignore'"},
        {"{'audit':{'records':'some'}}", "/audit/records",
         "'some' is not one of all, summary, refusals"},
        {"{'audit':{'records':1}}", "/audit/records", NULL},
};

static void test_errors(void)
{
        error_cases(unknown_names);
        /* No suggestion for an unrelated word, nor for a key cut short by a NUL byte. */
        static const char *const no_hint[] = {"{'rules':{'bogus':{}}}",
                                              "{'rules':{'user\\u0000':{}}}"};
        for (size_t i = 0; i < N_CASES(no_hint); i++) {
                struct hr_error err = {0};
                struct policy *p = NULL;
                char *text = qjson(no_hint[i]);
                size_t len;

                policy_parse(text, strlen(text), SOURCE, &p, &err);
                len = strlen(err.msg);
                ok(len > 0 && err.msg[len - 1] == '\'' && !strstr(err.msg, "did you mean"),
                   "%s: no suggestion (%s)", text, err.msg);
                policy_free(p);
                qjson_free(text);
        }

        error_cases(user_namespace_errors);
        error_cases(wrong_types);
        error_cases(bad_values);
}

static void test_invalid_json(void)
{
        char *dup = qjson("{'mode':'audit','Mode':'enforce'}");
        char *cut = qjson("{'mode':'audit'");
        struct hr_error err = {0};
        struct policy *p = NULL;

        is_int(policy_parse(dup, strlen(dup), SOURCE, &p, &err), -EILSEQ,
               "fold-duplicate key refused");
        ok(strncmp(err.msg, SOURCE ": ", strlen(SOURCE) + 2) == 0,
           "JSON error names the source (%s)", err.msg);
        is_int(policy_parse(cut, strlen(cut), SOURCE, &p, &err), -EINVAL,
               "truncated policy refused");
        ok(strncmp(err.msg, SOURCE ": ", strlen(SOURCE) + 2) == 0,
           "truncated JSON error names the source");
        is_int(policy_parse("", 0, SOURCE, &p, &err), -EINVAL, "empty policy refused");
        ok(p == NULL, "no policy returned on errors");
        qjson_free(cut);
        qjson_free(dup);
}

static void test_values(void)
{
        struct hr_error err = {0};
        struct policy *p, *builtin;
        uint64_t bit = UINT64_C(1) << 10; /* CAP_NET_BIND_SERVICE */
        static const char *const spellings[] = {"NET_BIND_SERVICE", "cap_net_bind_service",
                                                "CAP_NET_BIND_SERVICE", "Net_Bind_Service"};

        p = parse("{}", &err);
        ok(p != NULL, "empty policy is valid");
        if (p) {
                struct policy *def = policy_new_default();
                if (def)
                        check_same_policy(p, def, "{} == built-in");
                is_str(p->source, SOURCE, "{}: source is the name given");
                policy_free(def);
        }
        policy_free(p);

        for (size_t i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
                char text[160];
                snprintf(text, sizeof(text), "{'rules':{'capabilities':{'allow':['%s']}}}",
                         spellings[i]);
                p = parse(text, &err);
                ok(p != NULL, "capability spelled '%s' accepted", spellings[i]);
                ok(p && CAPS(p)->allow == bit, "'%s' sets bit 10 only", spellings[i]);
                policy_free(p);
        }
        p = parse("{'rules':{'capabilities':{'allow':['CHOWN','KILL','CHOWN'],"
                  "'inheritable':true}}}",
                  &err);
        ok(p && CAPS(p)->allow == ((UINT64_C(1) << 0) | (UINT64_C(1) << 5)),
           "allow CHOWN, KILL: bits 0 and 5");
        ok(p && CAPS(p)->inheritable, "inheritable true");
        policy_free(p);
        p = parse("{'rules':{'capabilities':{'allow':[]}}}", &err);
        ok(p && CAPS(p)->allow == 0, "empty allow list");
        policy_free(p);

        p = parse("{'runtime':{'path':'runc','argv0':'runc'}}", &err);
        ok(p != NULL, "runtime.path 'runc' accepted (%s)", err.msg);
        is_str(p ? p->runtime.path : NULL, "runc", "runtime.path kept");
        is_str(p ? p->runtime.argv0 : NULL, "runc", "runtime.argv0 kept");
        policy_free(p);
        p = parse("{'runtime':{'path':'/usr/bin/crun'}}", &err);
        ok(p != NULL, "runtime.path '/usr/bin/crun' accepted");
        is_str(p ? p->runtime.path : NULL, "/usr/bin/crun", "absolute runtime.path kept");
        policy_free(p);

        p = parse("{'rules':{'user':{'uid':1000,'gid':4294967294,"
                  "'keep_non_root':false}}}",
                  &err);
        ok(p != NULL, "user ids accepted");
        ok(p && USER(p)->uid == 1000 && USER(p)->gid == 4294967294u, "user ids kept");
        ok(p && !USER(p)->keep_non_root, "keep_non_root false");
        policy_free(p);

        /* The built-in scratch list is what libmount makes of its text form. */
        p = parse("{'rules':{'rootfs':{'tmpfs':["
                  "{'path':'/tmp','options':'mode=1777,size=64m'},"
                  "{'path':'/var/tmp','options':'mode=1777,size=64m'},"
                  "{'path':'/run','options':'mode=1777,size=64m,tmpcopyup'}]}}}",
                  &err);
        builtin = policy_new_default();
        ok(p && builtin, "default tmpfs list as text accepted (%s)", err.msg);
        for (size_t i = 0; p && builtin && i < 3; i++)
                is_str(opts_text(TMPFS(p)->items[i].options),
                       opts_text(TMPFS(builtin)->items[i].options),
                       "default tmpfs %zu: built-in options equal libmount's split of the text", i);
        policy_free(p);
        policy_free(builtin);

        p = parse("{'rules':{'rootfs':{'tmpfs':[{'path':'/tmp','options':'size=1m'},"
                  "{'path':'/run','options':'nosuid,size=2m'},{'path':'/var/tmp'},"
                  "{'path':'/scratch','options':''},"
                  "{'path':'/x','options':'noexec,nodev,nosuid'}]}}}",
                  &err);
        ok(p != NULL, "tmpfs list accepted (%s)", err.msg);
        if (p && TMPFS(p)->n == 5) {
                is_str(opts_text(TMPFS(p)->items[0].options), "size=1m" FORCED,
                       "forced options appended");
                is_str(opts_text(TMPFS(p)->items[1].options), "nosuid,size=2m,nodev,noexec",
                       "present option not repeated");
                is_str(opts_text(TMPFS(p)->items[2].options), "nosuid,nodev,noexec",
                       "no options: only the forced ones");
                is_str(opts_text(TMPFS(p)->items[3].options), "nosuid,nodev,noexec",
                       "empty options: only the forced ones");
                is_str(opts_text(TMPFS(p)->items[4].options), "noexec,nodev,nosuid",
                       "all forced options present: unchanged");
                is_str(TMPFS(p)->items[3].path, "/scratch", "tmpfs path kept");
        } else {
                ok(0, "5 tmpfs entries replace the default 3 (got %zu)", p ? TMPFS(p)->n : 0);
        }
        policy_free(p);
        p = parse("{'rules':{'rootfs':{'tmpfs':[]}}}", &err);
        ok(p && TMPFS(p)->n == 0, "empty tmpfs list: no tmpfs");
        policy_free(p);

        p = parse("{'audit':{'file':null,'on_error':'continue','syslog':true}}", &err);
        ok(p != NULL, "audit settings accepted");
        ok(p && p->audit.file == NULL, "audit.file null: no file");
        ok(p && !p->audit.fail_on_error, "on_error continue");
        ok(p && p->audit.syslog, "syslog true");
        policy_free(p);
        p = parse("{'audit':{'file':'/var/log/other.log','on_error':'fail'}}", &err);
        is_str(p ? p->audit.file : NULL, "/var/log/other.log", "audit.file set");
        ok(p && p->audit.fail_on_error, "on_error fail");
        policy_free(p);
        for (int i = 0; i < _AUDIT_RECORDS_MAX; i++) {
                char text[80];
                snprintf(text, sizeof(text), "{'audit':{'records':'%s'}}",
                         audit_records_to_string((enum audit_records)i));
                p = parse(text, &err);
                is_int(p ? (int)p->audit.records : -1, i, "audit.records %s",
                       audit_records_to_string((enum audit_records)i));
                policy_free(p);
        }
        p = parse("{'version':1,'rules':{'seccomp':{'profile':'/etc/x.json'}}}", &err);
        is_str(p ? SECCOMP(p)->profile : NULL, "/etc/x.json", "absolute seccomp profile kept");
        policy_free(p);
}

static void test_modes(void)
{
        struct hr_error err = {0};
        struct policy *p;

        /* The kill switch: a global "off" is valid and reaches the whole policy; only the policy
         * file can say it. */
        p = parse("{'mode':'off','rules':{'user':{'mode':'enforce'}},"
                  "'messages':{'contact':'#platform-security'}}",
                  &err);
        ok(p != NULL, "global mode off accepted (%s)", err.msg);
        if (p) {
                is_int(p->mode, HR_MODE_OFF, "global off");
                is_int(p->rule_mode[RULE_SECCOMP], HR_MODE_OFF, "rules without a mode are off");
                is_int(p->command_line.mode, HR_MODE_OFF, "command_line follows the global mode");
                is_str(p->messages.contact, "#platform-security", "messages.contact kept");
        }
        policy_free(p);

        p = parse("{'mode':'audit','rules':{'seccomp':{'mode':'enforce'},"
                  "'user':{'mode':'off'},'rootfs':{'mode':'deny'},"
                  "'capabilities':{}}}",
                  &err);
        ok(p != NULL, "per-rule modes accepted (%s)", err.msg);
        if (p) {
                is_int(p->mode, HR_MODE_AUDIT, "global audit");
                is_int(p->rule_mode[RULE_SECCOMP], HR_MODE_ENFORCE, "seccomp override");
                is_int(p->rule_mode[RULE_USER], HR_MODE_OFF, "user off");
                is_int(p->rule_mode[RULE_ROOTFS], HR_MODE_DENY, "rootfs deny");
                is_int(p->rule_mode[RULE_CAPABILITIES], HR_MODE_AUDIT,
                       "rule without mode inherits (present)");
                is_int(p->rule_mode[RULE_NO_NEW_PRIVILEGES], HR_MODE_AUDIT,
                       "rule without mode inherits (absent)");
        }
        policy_free(p);

        p = parse("{'rules':{'user':{'mode':'enforce'}},'mode':'deny'}", &err);
        ok(p != NULL, "global mode after the rules");
        if (p) {
                is_int(p->rule_mode[RULE_USER], HR_MODE_ENFORCE, "rule mode kept");
                is_int(p->rule_mode[RULE_SECCOMP], HR_MODE_DENY,
                       "others inherit a global mode written after them");
        }
        policy_free(p);

        p = parse("{'mode':'enforce'}", &err);
        for (int i = 0; p && i < _RULE_MAX; i++)
                is_int(p->rule_mode[i], i == RULE_USER_NAMESPACE ? HR_MODE_OFF : HR_MODE_ENFORCE,
                       "enforce %s by %s", i == RULE_USER_NAMESPACE ? "not inherited" : "inherited",
                       rule_id_to_string((enum rule_id)i));
        policy_free(p);
        /* The opt-in rule follows only its own mode. */
        p = parse("{'mode':'deny','rules':{'user_namespace':{'mode':'enforce'}}}", &err);
        is_int(p ? p->rule_mode[RULE_USER_NAMESPACE] : -1, HR_MODE_ENFORCE,
               "user_namespace: its own mode turns it on");
        policy_free(p);
}

static void test_names(void)
{
        char buf[64];
        unsigned cap = 999;
        int named = 0;

        is_str(hr_mode_to_string(HR_MODE_OFF), "off", "mode off");
        is_str(hr_mode_to_string(HR_MODE_DENY), "deny", "mode deny");
        is_str(hr_mode_to_string(_HR_MODE_INVALID), "invalid", "mode invalid");
        is_int(hr_mode_from_string("audit"), HR_MODE_AUDIT, "mode from 'audit'");
        is_int(hr_mode_from_string("AUDIT"), _HR_MODE_INVALID, "mode names are exact");
        is_str(rule_id_to_string(RULE_NO_NEW_PRIVILEGES), "no_new_privileges", "rule name");
        is_int(rule_id_from_string("rootfs"), RULE_ROOTFS, "rule from name");
        is_int(rule_id_from_string("bogus"), _RULE_INVALID, "unknown rule name");

        for (unsigned c = 0; c < 64; c++) {
                char *name = capability_to_name(c, buf, sizeof(buf));
                unsigned back = 999;
                if (!name)
                        continue;
                named++;
                ok(strncmp(name, "CAP_", 4) == 0, "cap %u named %s", c, name);
                is_int(capability_from_name(name, &back), 0, "%s parses back", name);
                is_int(back, c, "%s round-trips", name);
                back = 999;
                is_int(capability_from_name(name + 4, &back), 0, "%s without CAP_ parses",
                       name + 4);
                is_int(back, c, "%s without CAP_ round-trips", name + 4);
        }
        ok(named >= 41, "libcap names at least caps 0..40 (%d)", named);
        is_str(capability_to_name(0, buf, sizeof(buf)), "CAP_CHOWN", "cap 0");
        is_str(capability_to_name(21, buf, sizeof(buf)), "CAP_SYS_ADMIN", "cap 21");
        is_str(capability_to_name(40, buf, sizeof(buf)), "CAP_CHECKPOINT_RESTORE", "cap 40");
        ok(capability_to_name(63, buf, sizeof(buf)) == NULL, "cap 63 has no name");
        ok(capability_to_name(0, buf, 5) == NULL, "buffer too small: NULL");
        is_int(capability_from_name("12", &cap), -EINVAL, "numbers refused");
        is_int(capability_from_name("", &cap), -EINVAL, "empty refused");
        is_int(capability_from_name("CAP_", &cap), -EINVAL, "bare prefix refused");
        is_int(capability_from_name("CAP_FOO", &cap), -EINVAL, "unknown refused");
        is_int(capability_from_name("cap_12", &cap), -EINVAL, "cap_NUMBER refused");
        is_int(cap, 999, "failed lookups leave *ret");
        /* Regression: see test_errors: trailing garbage after a known name is accepted. */
        is_int(capability_from_name("CAP_NET_RAW1", &cap), -EINVAL,
               "regression: trailing digit after a known name refused");
        is_int(capability_from_name("NET_RAW ", &cap), -EINVAL,
               "regression: trailing space after a known name refused");
        /* Names found are remembered as given: again, and in another spelling. */
        cap = 999;
        ok(capability_from_name("CAP_SYS_ADMIN", &cap) == 0 && cap == 21, "a name found again");
        cap = 999;
        ok(capability_from_name("cap_Sys_Admin", &cap) == 0 && cap == 21, "another spelling");
        is_int(capability_from_name("CAP_SYS_ADMI", &cap), -EINVAL, "a prefix of a found name");
}

static void check_load_fails(const char *path, int code, const char *part, const char *what)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        int r = policy_load(path, &p, &err);

        is_int(r, code, "%s: refused", what);
        ok(part && strstr(err.msg, part) != NULL, "%s: message says '%s' (%s)", what, part,
           err.msg);
        ok(strstr(err.msg, path) != NULL, "%s: message names the file", what);
        policy_free(p);
}

/* path becomes tmpdir/sub/policy.json, holding text; sub is made with mode (chmod: mkdir's
 * mode passes through the umask). */
static void write_policy_in(char *path, size_t size, const char *sub, mode_t mode, const char *text)
{
        char dir[512];

        snprintf(dir, sizeof(dir), "%s/%s", tmpdir, sub);
        mkdir(dir, 0700);
        chmod(dir, mode);
        snprintf(path, size, "%s/policy.json", dir);
        write_text(path, text, 0644);
}

static void test_load(void)
{
        static const char good[] = "{'version':1,'mode':'audit'}\n";
        struct hr_error err = {0};
        struct policy *p = NULL;
        char path[512];

        snprintf(path, sizeof(path), "%s/missing.json", tmpdir);
        is_int(policy_load(path, &p, &err), 0, "missing file: built-in default (%s)", err.msg);
        is_str(p ? p->source : NULL, "built-in default", "missing file: default source");
        is_int(err.code, 0, "missing file: no error left behind");
        policy_free(p);
        p = NULL;

        snprintf(path, sizeof(path), "%s/good.json", tmpdir);
        is_int(write_text(path, good, 0644), 0, "wrote %s", path);
        is_int(policy_load(path, &p, &err), 0, "trusted 0644 file loads (%s)", err.msg);
        is_str(p ? p->source : NULL, path, "loaded policy names its file");
        is_int(p ? (long long)p->mode : -1, HR_MODE_AUDIT, "loaded policy content");
        policy_free(p);
        p = NULL;

        chmod(path, 0664);
        check_load_fails(path, -EPERM, "writable by group or others", "group-writable file");
        chmod(path, 0646);
        check_load_fails(path, -EPERM, "writable by group or others", "other-writable file");
        chmod(path, 0600);
        if (geteuid() == 0) {
                if (chown(path, 4242, 4242) == 0)
                        check_load_fails(path, -EPERM, "owned by uid 4242",
                                         "file owned by another user");
                (void)chown(path, 0, 0);
        }

        snprintf(path, sizeof(path), "%s/bad.json", tmpdir);
        write_text(path, "{'mode':'loud'}", 0644);
        check_load_fails(path, -EINVAL, "'/mode'", "invalid content");
        snprintf(path, sizeof(path), "%s/broken.json", tmpdir);
        write_text(path, "{'mode':", 0644);
        check_load_fails(path, -EINVAL, "invalid JSON", "broken JSON");

        check_load_fails(tmpdir, -EINVAL, "not a regular file", "a directory");

        write_policy_in(path, sizeof(path), "open", 0777, good);
        check_load_fails(path, -EPERM, "directory", "file in a 0777 directory");

        write_policy_in(path, sizeof(path), "group", 0770, good);
        check_load_fails(path, -EPERM, "directory", "file in a group-writable directory");

        write_policy_in(path, sizeof(path), "sticky", 01777, good);
        p = NULL;
        is_int(policy_load(path, &p, &err), 0, "file in a 01777 directory loads (%s)", err.msg);
        policy_free(p);

        /* Pass-through calls read only the runtime: a broken rules section does not stop
         * them, but the file is still checked and a broken runtime section refused. */
        snprintf(path, sizeof(path), "%s/runtime.json", tmpdir);
        write_text(path, "{'runtime':{'path':'crun'},'rules':{'bogus':{}}}", 0644);
        p = NULL;
        is_int(policy_load(path, &p, &err), -EINVAL, "full load refuses the broken rules");
        is_int(policy_load_runtime(path, &p, &err), 0, "runtime load ignores the rules (%s)",
               err.msg);
        is_str(p ? p->runtime.path : NULL, "crun", "runtime load reads runtime.path");
        ok(p && !p->rule_settings[RULE_ROOTFS], "runtime load builds no tmpfs list");
        policy_free(p);
        p = NULL;
        write_text(path, "{'runtime':{'path':'bin/crun'}}", 0644);
        check_load_fails(path, -EINVAL, "'/runtime/path'", "runtime load, bad runtime.path");
        write_text(path, "{'runtime':", 0644);
        check_load_fails(path, -EINVAL, "invalid JSON", "runtime load, broken JSON");
        chmod(path, 0666);
        p = NULL;
        is_int(policy_load_runtime(path, &p, &err), -EPERM, "runtime load, untrusted file");
        policy_free(p);
        p = NULL;
        snprintf(path, sizeof(path), "%s/missing.json", tmpdir);
        is_int(policy_load_runtime(path, &p, &err), 0, "runtime load, missing file");
        ok(p && p->runtime.path == NULL && p->mode == HR_MODE_ENFORCE,
           "runtime load, missing file: the default");
        policy_free(p);

        /* The check applies to the directories above, too. */
        write_policy_in(path, sizeof(path), "open/sub", 0755, good);
        check_load_fails(path, -EPERM, "directory", "file below a 0777 directory");
}

/* Runs in a child: the refusal path reads freed memory and may crash (the use-after-free fixed
 * below). */
static void check_allow_all_profile(const char *policy_text)
{
        char msg[HR_ERROR_MSG_MAX + 32] = {0};
        int pfd[2], status = 0, r = 0;
        ssize_t n, got = 0;
        pid_t pid;

        if (pipe(pfd) < 0) {
                ok(0, "pipe: %s", strerror(errno));
                return;
        }
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                struct hr_error err = {0};
                const struct json *prof = NULL;
                struct policy *p = parse(policy_text, &err);
                int rc = p ? policy_seccomp_profile(p, &prof, &err) : 1;

                close(pfd[0]);
                if (write(pfd[1], &rc, sizeof(rc)) == (ssize_t)sizeof(rc))
                        (void)!write(pfd[1], err.msg, strlen(err.msg));
                policy_free(p);
                _exit(0);
        }
        close(pfd[1]);
        while ((n = read(pfd[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0)
                got += n;
        close(pfd[0]);
        waitpid(pid, &status, 0);
        if (got >= (ssize_t)sizeof(r)) {
                memcpy(&r, msg, sizeof(r));
                memmove(msg, msg + sizeof(r), (size_t)got - sizeof(r));
                msg[got - (ssize_t)sizeof(r)] = '\0';
        } else {
                msg[0] = '\0';
        }
        /* Regression (was a bug): use after free in policy_seccomp_profile(): it frees the profile
         * document and then formats v->scalar.text, which lived in it. main() poisons freed memory,
         * so this crashes or prints garbage instead of the action. */
        ok(WIFEXITED(status), "regression: allow-all profile check does not crash (status %d)",
           status);
        is_int(r, -EINVAL, "regression: allow-all profile refused");
        ok(strstr(msg, "allows every syscall") != NULL, "regression: allow-all: says why");
        ok(strstr(msg, "'/defaultAction' SCMP_ACT_ALLOW allows") != NULL,
           "regression: allow-all message names the action read from the freed document");
}

static void test_seccomp_profile(void)
{
        struct policy *p = policy_new_default();
        struct hr_error err = {0};
        const struct json *prof = NULL, *again = NULL, *v;
        char path[512], text[512];

        if (!p)
                return;
        is_int(policy_seccomp_profile(p, &prof, &err), 0, "built-in default profile loads");
        v = json_object_get(prof, "defaultAction");
        ok(v && v->type == JSON_STRING && strcmp(v->scalar.text, "SCMP_ACT_ERRNO") == 0,
           "default profile denies by default");
        is_int(policy_seccomp_profile(p, &again, &err), 0, "second call");
        ok(prof == again, "profile cached");
        policy_free(p);

        snprintf(path, sizeof(path), "%s/allow.json", tmpdir);
        write_text(path, "{'defaultAction':'SCMP_ACT_ALLOW'}", 0644);
        snprintf(text, sizeof(text), "{'rules':{'seccomp':{'profile':'%s'}}}", path);
        check_allow_all_profile(text);

        snprintf(path, sizeof(path), "%s/errno.json", tmpdir);
        write_text(path, "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[]}", 0644);
        snprintf(text, sizeof(text), "{'rules':{'seccomp':{'profile':'%s'}}}", path);
        p = parse(text, &err);
        if (p) {
                is_int(policy_seccomp_profile(p, &prof, &err), 0, "profile file loads (%s)",
                       err.msg);
                ok(prof && json_object_get(prof, "syscalls") != NULL, "profile file content");
        }
        policy_free(p);

        snprintf(path, sizeof(path), "%s/missing-profile.json", tmpdir);
        snprintf(text, sizeof(text), "{'rules':{'seccomp':{'profile':'%s'}}}", path);
        p = parse(text, &err);
        if (p) {
                ok(policy_seccomp_profile(p, &prof, &err) < 0, "missing profile file refused");
                ok(strstr(err.msg, path) != NULL, "message names the profile (%s)", err.msg);
        }
        policy_free(p);
}

/* policy_to_json's output parses back into the same settings and shows the same again. */
static void check_roundtrip(const struct policy *p, const char *what)
{
        struct json *doc = NULL, *again = NULL;
        struct policy *back = NULL;
        struct hr_error err = {0};
        char *text = NULL;
        size_t len;

        ok(policy_to_json(p, &doc, &err) == 0, "%s: policy_to_json (%s)", what, err.msg);
        if (!doc)
                return;
        ok(json_write_pretty(doc, &text, &len, &err) == 0, "%s: written", what);
        ok(text && policy_parse(text, len, SOURCE, &back, &err) == 0,
           "%s: shown policy parses (%s)", what, err.msg);
        if (back) {
                check_same_policy(p, back, what);
                ok(policy_to_json(back, &again, &err) == 0 && json_equal(doc, again),
                   "%s: shown again, the same document", what);
        }
        json_free(again);
        json_free(doc);
        free(text);
        policy_free(back);
}

/* The rules' fields in policy show and in explain (a settings table, or the doc's fields) are
 * the same keys: a rule added without both fails here. */
static void check_rule_docs(const struct json *shown)
{
        const struct json *rules = json_object_get(shown, "rules");

        for (int id = 0; id < _RULE_MAX; id++) {
                const char *name = rule_id_to_string((enum rule_id)id);
                const struct ruledoc *d = rule_get((enum rule_id)id)->doc;
                const struct json *fields = rules ? json_object_get(rules, name) : NULL;
                size_t n_doc = 0, n_shown = 0, missing = 0;

                ok(d != NULL, "rule '%s' has documentation in its descriptor", name);
                ok(fields && fields->type == JSON_OBJECT && json_object_get(fields, "mode"),
                   "policy show writes rules.%s with its mode", name);
                if (!d || !fields || fields->type != JSON_OBJECT)
                        continue;
                ok(d->summary && d->enforce && d->deny && d->spec && d->cis && d->pss,
                   "rule '%s': every text of the explain entry is there", name);
                for (size_t i = 0; i < rule_get((enum rule_id)id)->n_settings; i++) {
                        const struct setting *s = &rule_get((enum rule_id)id)->settings[i];
                        if (s->flags & SETTING_STATE)
                                continue;
                        n_doc++;
                        if (!json_object_get(fields, s->key)) {
                                missing++;
                                diag("rules.%s.%s is in its settings table but not shown", name,
                                     s->key);
                        }
                }
                n_shown = fields->object.n - 1;
                ok(missing == 0 && n_doc == n_shown,
                   "rule '%s': policy show writes exactly the documented fields (%zu, %zu)", name,
                   n_doc, n_shown);
        }
}

static void test_show(void)
{
        static const char custom[] =
                "{'version': 1, 'mode': 'audit',"
                " 'runtime': {'path': 'crun', 'argv0': 'krun'},"
                " 'audit': {'file': null, 'syslog': true, 'on_error': 'continue'},"
                " 'rules': {'user': {'mode': 'deny', 'uid': 1000, 'gid': 1001,"
                " 'keep_non_root': false},"
                " 'capabilities': {'mode': 'off', 'allow': ['net_bind_service',"
                " 'CAP_CHOWN', 'KILL'], 'inheritable': true},"
                " 'seccomp': {'profile': 'strict', 'merge': 'keep_if_stricter',"
                " 'unknown_syscalls': 'ignore'},"
                " 'rootfs': {'mode': 'enforce', 'tmpfs': [{'path': '/scratch',"
                " 'options': 'size=1m,nodev'}, {'path': '/t2'}]},"
                " 'mounts': {'deny': ['/srv', '/etc'], 'allow': []}}}";
        struct policy *def = policy_new_default();
        struct policy *p;
        struct json *doc = NULL;
        struct hr_error err = {0};

        ok(def != NULL, "show: default policy");
        if (!def)
                return;
        check_roundtrip(def, "show default");
        if (policy_to_json(def, &doc, &err) == 0) {
                const struct json *rules = json_object_get(doc, "rules");
                const struct json *runtime = json_object_get(doc, "runtime");
                is_int(rules ? rules->object.n : 0, _RULE_MAX, "show default: every rule");
                ok(runtime && runtime->type == JSON_OBJECT && runtime->object.n == 0,
                   "show default: no runtime path (runc, else crun)");
                check_rule_docs(doc);
        }
        json_free(doc);
        policy_free(def);

        p = parse(custom, &err);
        ok(p != NULL, "show: custom policy parses (%s)", err.msg);
        if (p)
                check_roundtrip(p, "show custom");
        policy_free(p);

        p = parse("{'version': 1, 'rules': {'rootfs': {'tmpfs': []}}}", &err);
        ok(p != NULL, "show: empty tmpfs list parses");
        if (p)
                check_roundtrip(p, "show no tmpfs");
        policy_free(p);
}

static void cleanup(void)
{
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
                diag("could not remove %s", tmpdir);
}

int main(void)
{
        /* Freed memory gets a fixed pattern: a use after free shows in the results. */
        mallopt(M_PERTURB, 0x5a);
        umask(022);
        if (!mkdtemp(tmpdir)) {
                ok(0, "mkdtemp");
                return tap_done();
        }
        test_default();
        test_sha256();
        test_profile_files();
        test_errors();
        test_invalid_json();
        test_values();
        test_modes();
        test_names();
        test_load();
        test_seccomp_profile();
        test_show();
        cleanup();
        return tap_done();
}
