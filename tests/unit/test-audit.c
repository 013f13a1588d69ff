/* Unit tests for audit.c (records, appending to the audit file) and log.c's line format. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <seccomp.h>

#include "audit.h"
#include "bounds.h"
#include "config.h"
#include "findings.h"
#include "json.h"
#include "log.h"
#include "policy.h"
#include "tap.h"
#include "util/cleanup.h"
#include "timefmt.h"

/* A string literal and its length. */
#define LIT(s) (s), (sizeof(s) - 1)

static char tmpdir[] = "/tmp/hardrun-test-audit-XXXXXX";

static const struct json_limits limits = {
        .max_bytes = HR_CONFIG_MAX_BYTES,
        .max_depth = HR_JSON_MAX_DEPTH,
        .max_members = HR_JSON_MAX_MEMBERS,
};

static struct json *parse_n(const char *s, size_t len, struct hr_error *err)
{
        struct json *doc = NULL;

        if (json_parse(s, len, &limits, &doc, err) < 0)
                return NULL;
        return doc;
}

static char *text_of(const struct json *v)
{
        char *buf = NULL;
        size_t len = 0;

        if (!v)
                return NULL;
        if (json_write(v, &buf, &len, NULL) < 0)
                return NULL;
        if (len > 0 && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}

static const char *str_member(const struct json *obj, const char *key)
{
        const struct json *v = json_object_get(obj, key);

        return v && v->type == JSON_STRING ? v->scalar.text : NULL;
}

/* "2026-11-27T04:30:00.123456789Z" */
static bool is_timestamp(const char *s)
{
        static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddddddddZ";

        if (!s || strlen(s) != sizeof(shape) - 1)
                return false;
        for (size_t i = 0; shape[i]; i++)
                if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
                        return false;
        return true;
}

static void add(struct findings *f, enum rule_id rule, const char *path, const char *before,
                const char *after, enum hr_mode mode, enum finding_action action)
{
        struct hr_error err = {0};
        struct json *b = before ? parse_n(before, strlen(before), &err) : NULL;
        struct json *a = after ? parse_n(after, strlen(after), &err) : NULL;

        if (findings_add(f, rule, path, b, a) == 0) {
                f->items[f->n - 1].mode = mode;
                f->items[f->n - 1].action = action;
        } else {
                diag("findings_add failed");
        }
        json_free(b);
        json_free(a);
}

static void sample_findings(struct findings *f)
{
        add(f, RULE_USER, "/process/user/uid", "0", "65534", HR_MODE_ENFORCE, FINDING_CHANGED);
        add(f, RULE_SECCOMP, "/linux/seccomp", NULL,
            "{\"profile\":\"default\",\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscallRules\":31}",
            HR_MODE_AUDIT, FINDING_WOULD_CHANGE);
        add(f, RULE_CAPABILITIES, "/process/capabilities/bounding", "[\"CAP_SYS_ADMIN\"]", "[]",
            HR_MODE_DENY, FINDING_DENIED);
}

/* The members of a finding's record without a workload, in order. */
static const char *const record_keys[] = {
        "time",       "node", "version", "policy", "container", "bundle", "file",
        "subcommand", "mode", "rule",    "path",   "before",    "after",  "action",
};
#define N_RECORD_KEYS ELEMENTSOF(record_keys)

static void check_record(const char *line, size_t len, const struct audit_context *ctx,
                         const struct finding *x, size_t i)
{
        struct hr_error err = {0};
        struct json *rec = parse_n(line, len, &err);
        const char *stamp;
        char *got, *want;

        ok(rec && rec->type == JSON_OBJECT, "record %zu parses (%s)", i, err.msg);
        if (!rec || rec->type != JSON_OBJECT) {
                json_free(rec);
                return;
        }
        is_int(rec->object.n, N_RECORD_KEYS, "record %zu: %zu members", i, N_RECORD_KEYS);
        for (size_t k = 0; k < N_RECORD_KEYS && k < rec->object.n; k++)
                is_str(rec->object.members[k].key, record_keys[k], "record %zu: key %zu", i, k);
        stamp = str_member(rec, "time");
        ok(is_timestamp(stamp), "record %zu: RFC 3339 time (%s)", i, stamp ? stamp : "(null)");
        is_str(str_member(rec, "node"), ctx->node, "record %zu: node", i);
        is_str(str_member(rec, "version"), ctx->version, "record %zu: version", i);
        is_str(str_member(rec, "policy"), ctx->policy, "record %zu: policy", i);
        is_str(str_member(rec, "container"), ctx->container_id, "record %zu: container", i);
        is_str(str_member(rec, "bundle"), ctx->bundle, "record %zu: bundle", i);
        is_str(str_member(rec, "file"), ctx->file, "record %zu: file", i);
        is_str(str_member(rec, "subcommand"), ctx->subcommand, "record %zu: subcommand", i);
        is_str(str_member(rec, "mode"), hr_mode_to_string(x->mode), "record %zu: mode", i);
        is_str(str_member(rec, "rule"), rule_id_to_string(x->rule), "record %zu: rule", i);
        is_str(str_member(rec, "path"), x->path, "record %zu: path", i);
        is_str(str_member(rec, "action"), finding_action_to_string(x->action), "record %zu: action",
               i);
        ok(x->before ? json_equal(json_object_get(rec, "before"), x->before)
                     : json_is_null(json_object_get(rec, "before")),
           "record %zu: before", i);
        ok(x->after ? json_equal(json_object_get(rec, "after"), x->after)
                    : json_is_null(json_object_get(rec, "after")),
           "record %zu: after", i);
        if (!ctx->container_id) {
                const struct json *v = json_object_get(rec, "container");
                ok(v && v->type == JSON_NULL, "record %zu: absent container is null", i);
        }
        got = text_of(json_object_get(rec, "after"));
        want = text_of(x->after);
        if (want)
                is_str(got, want, "record %zu: after text kept exactly", i);
        free(got);
        free(want);
        json_free(rec);
}

/* Splits buf into lines and checks one record per finding. */
static void check_records(const char *buf, size_t len, const struct audit_context *ctx,
                          const struct findings *f, const char *what)
{
        size_t start = 0, line = 0;

        ok(len > 0 && buf[len - 1] == '\n', "%s: ends with a newline", what);
        is_int(strlen(buf), len, "%s: no NUL inside", what);
        for (size_t i = 0; i < len; i++) {
                if (buf[i] != '\n')
                        continue;
                ok(i > start, "%s: line %zu not empty", what, line);
                if (line < f->n)
                        check_record(buf + start, i - start, ctx, &f->items[line], line);
                line++;
                start = i + 1;
        }
        is_int(line, f->n, "%s: one line per finding", what);
}

static void test_format(void)
{
        const struct audit_context ctx = {
                "id1",    "/run/b", "/run/b/config.json", "create", NULL,
                "node-1", "0.1.0",  "sha256:00",
        };
        const struct audit_context odd = {NULL, "/b\"x\n\\y", "c\tf", "exec"};
        struct findings f = {0}, none = {0};
        struct hr_error err = {0};
        char *buf = NULL;
        size_t len = 0;

        sample_findings(&f);
        is_int(f.n, 3, "three sample findings");
        is_int(audit_format(&ctx, AUDIT_RECORDS_ALL, &f, &buf, &len, &err), 0, "audit_format");
        if (buf)
                check_records(buf, len, &ctx, &f, "audit_format");
        free(buf);
        buf = NULL;

        is_int(audit_format(&odd, AUDIT_RECORDS_ALL, &f, &buf, &len, &err), 0,
               "audit_format, odd context");
        if (buf)
                check_records(buf, len, &odd, &f, "odd context");
        free(buf);
        buf = NULL;

        is_int(audit_format(&ctx, AUDIT_RECORDS_ALL, &none, &buf, &len, &err), 0,
               "audit_format, no findings");
        ok(buf && len == 0 && buf[0] == '\0', "no findings: empty output");
        free(buf);
        findings_clear(&f);
        ok(f.n == 0 && f.items == NULL, "findings_clear resets");
}

/* Batches of every length up to a few hundred bytes: the buffer is grown exactly where a batch
 * fills it (ASan and valgrind see an overflow of the closing NUL). */
static void test_format_lengths(void)
{
        const struct audit_context ctx = {"id1", "/b", "/b/config.json", "create"};
        struct hr_error err = {0};
        char path[300];
        bool all_ok = true;

        for (size_t n = 1; n < sizeof(path); n++) {
                struct findings f = {0};
                char *buf = NULL;
                size_t len = 0;
                memset(path, 'p', n);
                path[0] = '/';
                path[n] = '\0';
                for (int i = 0; i < 1 + (int)(n % 3); i++)
                        add(&f, RULE_USER, path, "0", "1", HR_MODE_ENFORCE, FINDING_CHANGED);
                all_ok = all_ok &&
                         audit_format(&ctx, AUDIT_RECORDS_ALL, &f, &buf, &len, &err) == 0 &&
                         strlen(buf) == len && buf[len - 1] == '\n';
                free(buf);
                findings_clear(&f);
        }
        ok(all_ok, "batches with paths of 1 to %zu bytes: each a NUL-terminated set of lines",
           sizeof(path) - 1);
}

/* Engines name the workload in annotations; records carry it between path and before. */
static void test_workload(void)
{
        struct hr_error err = {0};
        struct json *spec =
                parse_n(LIT("{\"hostname\":\"web-1\",\"annotations\":{\"io.kubernetes.pod.name\":"
                            "\"web\",\"io.kubernetes.pod.namespace\":\"prod\",\"other\":\"x\","
                            "\"io.kubernetes.container.name\":7}}"),
                        &err);
        struct json *bare = parse_n(LIT("{\"annotations\":{\"other\":\"x\"}}"), &err);
        struct json *w = spec ? audit_workload_from_spec(spec) : NULL;
        struct findings f = {0};
        struct audit_context ctx = {"id1", "/b", "/b/config.json", "create", NULL};
        char *text = text_of(w), *buf = NULL;
        size_t len = 0;

        is_str(text,
               "{\"hostname\":\"web-1\",\"io.kubernetes.pod.namespace\":\"prod\","
               "\"io.kubernetes.pod.name\":\"web\"}",
               "workload: hostname and known string annotations only");
        free(text);
        ok(bare && audit_workload_from_spec(bare) == NULL, "workload: nothing known, NULL");

        add(&f, RULE_USER, "/process/user/uid", "0", "65534", HR_MODE_ENFORCE, FINDING_CHANGED);
        ctx.workload = w;
        is_int(audit_format(&ctx, AUDIT_RECORDS_ALL, &f, &buf, &len, &err), 0,
               "workload: formatted");
        if (buf && len > 0) {
                static const char *const keys[] = {
                        "time",     "node",   "version",    "policy", "container", "pod",
                        "bundle",   "file",   "subcommand", "mode",   "rule",      "path",
                        "workload", "before", "after",      "action",
                };
                struct json *rec = parse_n(buf, len - 1, &err);
                ok(rec && rec->object.n == ELEMENTSOF(keys), "workload: %zu members",
                   ELEMENTSOF(keys));
                for (size_t k = 0; rec && k < ELEMENTSOF(keys) && k < rec->object.n; k++)
                        is_str(rec->object.members[k].key, keys[k], "workload: key %zu", k);
                is_str(str_member(rec, "pod"), "prod/web", "workload: pod is NAMESPACE/NAME");
                ok(json_equal(json_object_get(rec, "workload"), w), "workload: value");
                json_free(rec);
        }
        free(buf);
        findings_clear(&f);
        json_free(w);
        json_free(spec);
        json_free(bare);
}

static int count_lines(const char *path)
{
        FILE *fp = fopen(path, "r");
        int n = 0, c;

        if (!fp)
                return -1;
        while ((c = fgetc(fp)) != EOF)
                if (c == '\n')
                        n++;
        fclose(fp);
        return n;
}

static struct policy *audit_policy(const char *file, bool syslog)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        char text[700];

        if (file)
                snprintf(text, sizeof(text), "{\"audit\":{\"file\":\"%s\",\"syslog\":%s}}", file,
                         syslog ? "true" : "false");
        else
                snprintf(text, sizeof(text), "{\"audit\":{\"file\":null,\"syslog\":%s}}",
                         syslog ? "true" : "false");
        if (policy_parse(text, strlen(text), "policy.json", &p, &err) < 0)
                diag("policy: %s", err.msg);
        return p;
}

static void test_write(void)
{
        const struct audit_context ctx = {"id1", "/run/b", "/run/b/config.json", "create"};
        struct findings f = {0}, none = {0};
        struct hr_error err = {0};
        char dir[512], path[512];
        struct policy *p;
        struct stat st;

        sample_findings(&f);
        snprintf(dir, sizeof(dir), "%s/log", tmpdir);
        snprintf(path, sizeof(path), "%s/audit.log", dir);
        p = audit_policy(path, false);
        ok(p != NULL, "audit policy");
        if (!p)
                return;

        is_int(audit_write(p, &ctx, &none, &err), 0, "no findings: nothing to do");
        ok(stat(dir, &st) < 0 && errno == ENOENT, "no findings: nothing created");

        is_int(audit_write(p, &ctx, &f, &err), 0, "first write creates the directory (%s)",
               err.msg);
        ok(stat(dir, &st) == 0 && S_ISDIR(st.st_mode), "log directory created");
        is_int(st.st_mode & 0777, 0750, "log directory mode 0750");
        ok(stat(path, &st) == 0 && S_ISREG(st.st_mode), "audit file created");
        is_int(st.st_mode & 0777, 0640, "audit file mode 0640");
        is_int(count_lines(path), 3, "first write: 3 lines");
        is_int(audit_write(p, &ctx, &f, &err), 0, "second write");
        is_int(count_lines(path), 6, "second write appends: 6 lines");
        {
                FILE *fp = fopen(path, "r");
                char line[2048];
                int good = 0;
                struct utsname host;
                bool same_origin = uname(&host) == 0;
                while (fp && fgets(line, sizeof(line), fp)) {
                        struct json *rec = parse_n(line, strlen(line), &err);
                        if (rec && rec->type == JSON_OBJECT && rec->object.n == N_RECORD_KEYS)
                                good++;
                        /* audit_write names the host, this hardrun and the policy's digest. */
                        same_origin =
                                same_origin && rec &&
                                strcmp(str_member(rec, "node") ?: "", host.nodename) == 0 &&
                                strcmp(str_member(rec, "version") ?: "", HARDRUN_VERSION) == 0 &&
                                strcmp(str_member(rec, "policy") ?: "", p->digest) == 0;
                        json_free(rec);
                }
                ok(same_origin, "every record names node, version and policy digest (%s)",
                   p->digest);
                if (fp)
                        fclose(fp);
                is_int(good, 6, "every appended line is a record");
        }
        policy_free(p);

        /* Only one missing level is created. */
        snprintf(path, sizeof(path), "%s/a/b/audit.log", tmpdir);
        p = audit_policy(path, false);
        ok(p && audit_write(p, &ctx, &f, &err) < 0, "two missing levels: error");
        ok(strstr(err.msg, "audit log") && strstr(err.msg, path), "error names the file (%s)",
           err.msg);
        policy_free(p);

        /* Not a regular file, or a symlink: refused. */
        snprintf(path, sizeof(path), "%s/log", tmpdir);
        p = audit_policy(path, false);
        ok(p && audit_write(p, &ctx, &f, &err) < 0, "directory as audit file: error");
        policy_free(p);
        snprintf(path, sizeof(path), "%s/link.log", tmpdir);
        if (symlink("log/audit.log", path) == 0) {
                p = audit_policy(path, false);
                ok(p && audit_write(p, &ctx, &f, &err) < 0, "symlink as audit file: error");
                ok(strstr(err.msg, "cannot open") != NULL, "symlink: message (%s)", err.msg);
                policy_free(p);
        }

        p = audit_policy(NULL, false);
        is_int(p ? audit_write(p, &ctx, &f, &err) : -1, 0, "no file, no syslog: nothing");
        policy_free(p);
        findings_clear(&f);
}

static struct json *parse_line(const char *line, struct hr_error *err)
{
        size_t len = strlen(line);

        return parse_n(line, len, err);
}

/* expect: the msg member the line must carry (msg itself when NULL). */
static void check_json_line_as(const char *msg, const char *expect, size_t size, const char *what)
{
        char *buf = malloc(size);
        struct hr_error err = {0};
        struct json *doc;
        size_t len;

        if (!buf)
                return;
        is_int(log_format_line("json", msg, buf, size), 0, "%s: formatted", what);
        len = strlen(buf);
        ok(len > 0 && buf[len - 1] == '\n', "%s: ends with a newline", what);
        ok(strchr(buf, '\n') == buf + len - 1, "%s: exactly one line", what);
        doc = parse_line(buf, &err);
        ok(doc != NULL, "%s: the line is valid JSON (%s)", what, err.msg);
        if (doc) {
                const struct json *m = json_object_get(doc, "msg");
                is_int(doc->object.n, 3, "%s: three members", what);
                is_str(str_member(doc, "level"), "error", "%s: level error", what);
                if (!expect)
                        expect = msg;
                ok(m && m->type == JSON_STRING && m->scalar.len == strlen(expect) &&
                           memcmp(m->scalar.text, expect, m->scalar.len) == 0,
                   "%s: msg round-trips", what);
                ok(is_timestamp(str_member(doc, "time")), "%s: time", what);
        }
        json_free(doc);
        free(buf);
}

static void check_json_line(const char *msg, size_t size, const char *what)
{
        check_json_line_as(msg, NULL, size, what);
}

static void test_log_line(void)
{
        static const char hostile[] = "config.json: key \"a\\b\" at\nline 2\ttab \x01 end";
        static const char invalid_utf8[] = "bad \xff\xfe bytes and \xc3 cut";
        char buf[2 * HR_ERROR_MSG_MAX + 128];
        char longmsg[HR_ERROR_MSG_MAX + 16];
        char small[64];
        size_t len;

        check_json_line("plain message", sizeof(buf), "json plain");
        check_json_line(hostile, sizeof(buf), "json quotes, backslashes, newline, control");
        check_json_line("caf\xc3\xa9 \xe2\x84\xaa", sizeof(buf), "json valid UTF-8");
        /* Invalid bytes from hostile input become U+FFFD: the line stays valid JSON. */
        check_json_line_as(invalid_utf8, "bad \xef\xbf\xbd\xef\xbf\xbd bytes and \xef\xbf\xbd cut",
                           sizeof(buf), "json invalid UTF-8 replaced");
        /* Each control character becomes \u00XX (6 bytes): the caller's buffer must hold six
         * times the message (log.c's does), and a smaller one is refused, never cut. */
        memset(longmsg, '\x01', sizeof(longmsg) - 1);
        longmsg[sizeof(longmsg) - 1] = '\0';
        check_json_line(longmsg, 6 * sizeof(longmsg) + 256,
                        "json long message of control characters");
        is_int(log_format_line("json", longmsg, buf, sizeof(buf)), -ENOBUFS,
               "json: a line that does not fit is refused, not cut");
        memset(longmsg, '"', sizeof(longmsg) - 1);
        check_json_line(longmsg, sizeof(buf), "json long message of quotes fits");

        is_int(log_format_line("text", "a\"b\\c\nd", buf, sizeof(buf)), 0, "text formatted");
        ok(strncmp(buf, "time=\"", 6) == 0, "text: starts with time=\"");
        len = strlen(buf);
        ok(strstr(buf, "\" level=error msg=\"a\\\"b\\\\c d\"\n") != NULL,
           "text: quotes and backslashes escaped, newline replaced (%.*s)",
           (int)(len ? len - 1 : 0), buf);
        ok(len > 0 && buf[len - 1] == '\n' && strchr(buf, '\n') == buf + len - 1,
           "text: exactly one line");
        {
                char stamp[64] = {0};
                const char *end = strchr(buf + 6, '"');
                if (end && (size_t)(end - buf - 6) < sizeof(stamp))
                        memcpy(stamp, buf + 6, (size_t)(end - buf - 6));
                ok(is_timestamp(stamp), "text: time stamp (%s)", stamp);
        }
        is_int(log_format_line(NULL, "x", buf, sizeof(buf)), 0, "no format: text");
        ok(strstr(buf, "level=error msg=\"x\"\n") != NULL, "no format: text line");
        is_int(log_format_line("JSON", "x", buf, sizeof(buf)), 0, "JSON (upper case): text");
        ok(strncmp(buf, "time=", 5) == 0, "format names are exact");

        is_int(log_format_line_level("json", "warning", "w", buf, sizeof(buf)), 0,
               "json warning formatted");
        {
                struct hr_error err = {0};
                struct json *doc = parse_line(buf, &err);
                is_str(str_member(doc, "level"), "warning", "json warning: level warning");
                is_str(str_member(doc, "msg"), "w", "json warning: msg");
                json_free(doc);
        }
        is_int(log_format_line_level("text", "warning", "w", buf, sizeof(buf)), 0,
               "text warning formatted");
        ok(strstr(buf, "\" level=warning msg=\"w\"\n") != NULL, "text warning: level=warning");

        memset(longmsg, 'x', sizeof(longmsg) - 1);
        longmsg[sizeof(longmsg) - 1] = '\0';
        is_int(log_format_line("text", longmsg, small, sizeof(small)), 0, "text: small buffer");
        len = strlen(small);
        ok(len < sizeof(small) && len >= 2 && small[len - 1] == '\n' && small[len - 2] == '"',
           "text: cut line still closes its quote and newline (%.*s)", (int)(len ? len - 1 : 0),
           small);
}

/* audit.records: every finding, one summary per decision, or only refusals. */
static void test_selection(void)
{
        const struct audit_context ctx = {"id1", "/b", "/b/config.json", "create"};
        struct findings f = {0};
        struct hr_error err = {0};
        struct json *rec;
        char *buf = NULL;
        size_t len = 0;

        sample_findings(&f);
        add(&f, RULE_MOUNTS, "/mounts/0/source", "\"/etc\"", NULL, HR_MODE_AUDIT,
            FINDING_WOULD_DENY);
        add(&f, RULE_USER, "/process/user/gid", "0", "65534", HR_MODE_ENFORCE, FINDING_CHANGED);
        add(&f, RULE_SECCOMP, "", NULL, "{\"exemption\":0}", HR_MODE_AUDIT, FINDING_EXEMPTED);

        is_int(audit_format(&ctx, AUDIT_RECORDS_SUMMARY, &f, &buf, &len, &err), 0, "summary");
        ok(buf && len > 0 && strchr(buf, '\n') == buf + len - 1, "summary: one line");
        rec = buf && len ? parse_n(buf, len - 1, &err) : NULL;
        if (rec) {
                char *summary = text_of(json_object_get(rec, "summary"));
                is_str(summary,
                       "{\"changed\":[\"user\"],\"would_change\":[\"seccomp\"],\"would_deny\":"
                       "[\"mounts\"],\"denied\":[\"capabilities\"],\"exempted\":[\"seccomp\"]}",
                       "summary: the rules per action, in action and rule order, each once");
                free(summary);
                is_str(str_member(rec, "action"), "denied", "summary: its most severe action");
                ok(!json_object_get(rec, "rule") && !json_object_get(rec, "before"),
                   "summary: no rule, path, before or after");
                summary = text_of(json_object_get(rec, "findings"));
                is_str(summary, "6", "summary: 6 findings");
                free(summary);
        }
        json_free(rec);
        free(buf);
        buf = NULL;

        is_int(audit_format(&ctx, AUDIT_RECORDS_REFUSALS, &f, &buf, &len, &err), 0, "refusals");
        {
                int lines = 0;
                for (size_t i = 0; buf && i < len; i++)
                        lines += buf[i] == '\n';
                is_int(lines, 2, "refusals: the denied and the would_deny record");
                ok(buf && strstr(buf, "\"action\":\"denied\"") &&
                           strstr(buf, "\"action\":\"would_deny\"") &&
                           !strstr(buf, "\"action\":\"changed\""),
                   "refusals: nothing else");
        }
        free(buf);
        buf = NULL;
        findings_clear(&f);

        add(&f, RULE_USER, "/process/user/uid", "0", "65534", HR_MODE_ENFORCE, FINDING_CHANGED);
        is_int(audit_format(&ctx, AUDIT_RECORDS_REFUSALS, &f, &buf, &len, &err), 0,
               "refusals, nothing refused");
        is_int(len, 0, "refusals, nothing refused: no record");
        free(buf);
        findings_clear(&f);
}

/* A finding of the policy's command_line section (it has no rule of its own): its records
 * name the section, in the finding's record and in a summary, never the rule it is stored as. */
static void test_command_line(void)
{
        const struct audit_context ctx = {"id1", NULL, "argv", "restore"};
        struct findings f = {0};
        struct hr_error err = {0};
        struct json *rec;
        char *buf = NULL;
        size_t len = 0;

        add(&f, RULE_PRIVILEGED, "/argv/restore", "\"restore\"", NULL, HR_MODE_AUDIT,
            FINDING_WOULD_DENY);
        if (f.n == 1)
                f.items[0].command_line = true;
        add(&f, RULE_PRIVILEGED, "/process/capabilities", NULL, NULL, HR_MODE_AUDIT,
            FINDING_DETECTED);

        is_int(audit_format(&ctx, AUDIT_RECORDS_REFUSALS, &f, &buf, &len, &err), 0,
               "command_line: refusals");
        rec = buf && len ? parse_n(buf, len - 1, &err) : NULL;
        is_str(rec ? str_member(rec, "rule") : NULL, "command_line",
               "command_line: the record names the section");
        is_str(rec ? str_member(rec, "action") : NULL, "would_deny",
               "command_line: the record's action");
        json_free(rec);
        free(buf);
        buf = NULL;

        is_int(audit_format(&ctx, AUDIT_RECORDS_SUMMARY, &f, &buf, &len, &err), 0,
               "command_line: summary");
        rec = buf && len ? parse_n(buf, len - 1, &err) : NULL;
        if (rec) {
                char *summary = text_of(json_object_get(rec, "summary"));
                is_str(summary, "{\"would_deny\":[\"command_line\"],\"detected\":[\"privileged\"]}",
                       "command_line: the summary names the section apart from the rule");
                free(summary);
        } else {
                ok(false, "command_line: the summary parses (%s)", err.msg);
        }
        json_free(rec);
        free(buf);
        findings_clear(&f);
}

struct sent {
        int n;
        int priority[8];
        char *msg[8];
};

static void collect(int priority, const char *msg, size_t len, void *data)
{
        struct sent *s = data;

        if (s->n < 8) {
                s->priority[s->n] = priority;
                s->msg[s->n] = strndup(msg, len);
        }
        s->n++;
}

static void sent_done(struct sent *s)
{
        for (int i = 0; i < s->n && i < 8; i++)
                free(s->msg[i]);
        *s = (struct sent){0};
}

/* One message per record at its action's priority; a long record loses its values, never its
 * JSON. */
static void test_syslog(void)
{
        const struct audit_context ctx = {"id1", "/b", "/b/config.json", "create"};
        struct findings f = {0};
        struct hr_error err = {0};
        struct sent s = {0};
        struct json *rec;
        char *big = malloc(2 * AUDIT_SYSLOG_RECORD_MAX + 3);

        sample_findings(&f);
        add(&f, RULE_MOUNTS, "/mounts/0", NULL, NULL, HR_MODE_AUDIT, FINDING_WOULD_DENY);
        is_int(audit_syslog_messages(&ctx, AUDIT_RECORDS_ALL, &f, collect, &s, &err), 0,
               "syslog messages");
        is_int(s.n, 4, "syslog: one message per record");
        is_int(s.priority[0], LOG_INFO, "syslog: changed is info");
        is_int(s.priority[1], LOG_INFO, "syslog: would_change is info");
        is_int(s.priority[2], LOG_WARNING, "syslog: denied is warning");
        is_int(s.priority[3], LOG_NOTICE, "syslog: would_deny is notice");
        for (int i = 0; i < s.n && i < 8; i++) {
                rec = parse_n(s.msg[i], strlen(s.msg[i]), &err);
                ok(rec && !strchr(s.msg[i], '\n'), "syslog: message %d is one JSON record", i);
                json_free(rec);
        }
        sent_done(&s);
        is_int(audit_syslog_messages(&ctx, AUDIT_RECORDS_SUMMARY, &f, collect, &s, &err), 0,
               "syslog summary");
        is_int(s.n, 1, "syslog summary: one message");
        is_int(s.priority[0], LOG_WARNING, "syslog summary: the priority of its denied");
        sent_done(&s);
        findings_clear(&f);

        if (!big)
                return;
        big[0] = '"';
        memset(big + 1, 'x', 2 * AUDIT_SYSLOG_RECORD_MAX);
        strcpy(big + 1 + 2 * AUDIT_SYSLOG_RECORD_MAX, "\"");
        add(&f, RULE_ENV_SECRETS, "/process/env/0", big, NULL, HR_MODE_ENFORCE, FINDING_DETECTED);
        is_int(audit_syslog_messages(&ctx, AUDIT_RECORDS_ALL, &f, collect, &s, &err), 0,
               "syslog, a long record");
        rec = s.n == 1 ? parse_n(s.msg[0], strlen(s.msg[0]), &err) : NULL;
        ok(rec && strlen(s.msg[0]) <= AUDIT_SYSLOG_RECORD_MAX,
           "syslog: a long record is one short JSON message (%zu bytes)",
           s.n == 1 ? strlen(s.msg[0]) : 0);
        ok(rec && json_is_null(json_object_get(rec, "before")) && json_object_get(rec, "elided") &&
                   json_object_get(rec, "elided")->type == JSON_TRUE,
           "syslog: its before is left out, and it says so");
        is_str(str_member(rec, "path"), "/process/env/0", "syslog: the rest stays");
        is_int(s.priority[0], LOG_NOTICE, "syslog: detected is notice");
        json_free(rec);
        sent_done(&s);
        findings_clear(&f);
        free(big);
}

static char *slurp(const char *path)
{
        FILE *fp = fopen(path, "r");
        char *buf = NULL;
        size_t len = 0;

        if (!fp)
                return NULL;
        if (getdelim(&buf, &len, '\0', fp) < 0) {
                free(buf);
                buf = strdup("");
        }
        fclose(fp);
        return buf;
}

static void put(const char *path, const char *text)
{
        FILE *fp = fopen(path, "w");

        if (fp) {
                fputs(text, fp);
                fclose(fp);
        }
}

/* A writer killed mid-append leaves its last line open: the next one closes it first. */
static void test_append_torn(void)
{
        struct hr_error err = {0};
        char path[512];
        char *text;

        snprintf(path, sizeof(path), "%s/torn.log", tmpdir);
        put(path, "{\"a\":1}\n{\"torn\":");
        is_int(audit_append(path, LIT("{\"b\":2}\n"), &err), 0, "append after a torn tail");
        text = slurp(path);
        is_str(text, "{\"a\":1}\n{\"torn\":\n{\"b\":2}\n", "the torn tail is closed first");
        free(text);
        is_int(audit_append(path, LIT("{\"c\":3}\n"), &err), 0, "append after a whole line");
        text = slurp(path);
        is_str(text, "{\"a\":1}\n{\"torn\":\n{\"b\":2}\n{\"c\":3}\n", "no empty line");
        free(text);
        put(path, "");
        is_int(audit_append(path, LIT("{\"d\":4}\n"), &err), 0, "append to an empty file");
        text = slurp(path);
        is_str(text, "{\"d\":4}\n", "an empty file gets no leading newline");
        free(text);
}

/* Megabytes of records go out in chunks of whole lines under one lock: every record, in order,
 * after the torn tail is closed once. */
static void test_write_chunked(void)
{
        const struct audit_context ctx = {"id1", "/run/b", "/run/b/config.json", "create"};
        const size_t n = 4000;
        struct findings f = {0};
        struct hr_error err = {0};
        struct policy *p;
        char path[512], want[64], line[4096];
        size_t lines = 0, in_order = 0;
        FILE *fp;

        for (size_t i = 0; i < n; i++) {
                char dest[64];
                snprintf(dest, sizeof(dest), "/mounts/%zu/options", i);
                add(&f, RULE_MOUNT_OPTIONS, dest, "[\"rbind\",\"rprivate\"]",
                    "[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\",\"noexec\"]", HR_MODE_ENFORCE,
                    FINDING_CHANGED);
        }
        snprintf(path, sizeof(path), "%s/chunked.log", tmpdir);
        put(path, "{\"torn\":");
        p = audit_policy(path, false);
        is_int(p ? audit_write(p, &ctx, &f, &err) : -1, 0, "%zu records written (%s)", n, err.msg);
        fp = fopen(path, "r");
        ok(fp && fgets(line, sizeof(line), fp) && strcmp(line, "{\"torn\":\n") == 0,
           "the torn tail is closed once, first");
        while (fp && fgets(line, sizeof(line), fp)) {
                struct json *rec = parse_n(line, strlen(line), &err);
                snprintf(want, sizeof(want), "/mounts/%zu/options", lines);
                if (rec && strcmp(str_member(rec, "path") ?: "", want) == 0)
                        in_order++;
                json_free(rec);
                lines++;
        }
        if (fp)
                fclose(fp);
        is_int(lines, n, "one line per record");
        is_int(in_order, n, "each a whole record, in the findings' order");

        /* The last record cannot be written (a string yajl_gen refuses): nothing is, not even
         * the megabyte before it. */
        {
                struct json *bad = json_new_string("\xff");
                struct stat before, after;
                ok(bad && findings_add(&f, RULE_MOUNT_OPTIONS, "/mounts/0/options", bad, NULL) == 0,
                   "a finding whose value is not UTF-8");
                json_free(bad);
                ok(stat(path, &before) == 0, "the log before");
                ok(p && audit_write(p, &ctx, &f, &err) < 0 &&
                           strstr(err.msg, "cannot format an audit record"),
                   "refused (%s)", err.msg);
                ok(stat(path, &after) == 0 && after.st_size == before.st_size,
                   "the log untouched: %jd bytes", (intmax_t)after.st_size);
        }
        policy_free(p);
        findings_clear(&f);
}

static double now_s(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs fn in a child (a hang or crash must not take the test with it); its exit status. */
static int in_child(int (*fn)(const char *path), const char *path, unsigned timeout)
{
        int status;
        pid_t pid;

        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                alarm(timeout);
                _exit(fn(path));
        }
        if (pid < 0 || waitpid(pid, &status, 0) != pid)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* 0: refused at once. */
static int append_refused(const char *path)
{
        struct hr_error err = {0};

        return audit_append(path, LIT("{}\n"), &err) < 0 && strstr(err.msg, path) ? 0 : 1;
}

/* 0: appended; 3: appended, but in less than 0.9 s. */
static int append_slowly(const char *path)
{
        struct hr_error err = {0};
        double start = now_s();

        if (audit_append(path, LIT("{\"late\":true}\n"), &err) < 0)
                return 1;
        return now_s() - start >= 0.9 ? 0 : 3;
}

static int append_once(const char *path)
{
        struct hr_error err = {0};

        return audit_append(path, LIT("{\"new\":true}\n"), &err) < 0;
}

/* flock() fails as on a filesystem without locks. */
static int append_without_locks(const char *path)
{
        scmp_filter_ctx sc = seccomp_init(SCMP_ACT_ALLOW);

        /* 77: no seccomp here (valgrind does not emulate it). */
        if (!sc || seccomp_rule_add(sc, SCMP_ACT_ERRNO(ENOLCK), SCMP_SYS(flock), 0) < 0 ||
            seccomp_load(sc) < 0)
                return 77;
        seccomp_release(sc);
        return append_once(path);
}

static void test_append_hostile(void)
{
        char path[512], rotated[512];
        char *text;
        pid_t pid;
        int fd, status;

        /* A FIFO must neither block the append (no reader) nor be written to. */
        snprintf(path, sizeof(path), "%s/fifo.log", tmpdir);
        if (mkfifo(path, 0600) == 0)
                is_int(in_child(append_refused, path, 5), 0,
                       "a FIFO as audit log: refused at once");

        /* A lock holder that never lets go (stopped) costs a second, not the start. */
        snprintf(path, sizeof(path), "%s/held.log", tmpdir);
        put(path, "");
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ok(fd >= 0 && flock(fd, LOCK_EX) == 0, "the test holds the log's lock");
        is_int(in_child(append_slowly, path, 10), 0,
               "a lock held for good: the append waits about a second, then goes ahead");
        if (fd >= 0)
                close(fd);
        text = slurp(path);
        is_str(text, "{\"late\":true}\n", "the record is there");
        free(text);

        /* Rotated while the writer waited: it writes to the new file. */
        snprintf(path, sizeof(path), "%s/rotate.log", tmpdir);
        snprintf(rotated, sizeof(rotated), "%s/rotate.log.1", tmpdir);
        put(path, "{\"old\":true}\n");
        fd = open(path, O_RDONLY | O_CLOEXEC);
        ok(fd >= 0 && flock(fd, LOCK_EX) == 0, "the test holds the lock of the log to rotate");
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                alarm(10);
                _exit(append_once(path));
        }
        /* The writer has opened the log by now, and polls for its lock. */
        (void)nanosleep(&(struct timespec){0, 300 * 1000 * 1000}, NULL);
        ok(rename(path, rotated) == 0, "logrotate renames the log");
        put(path, "");
        if (fd >= 0)
                close(fd);
        is_int(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status)
                                                                               : -1,
               0, "the waiting writer succeeds");
        text = slurp(path);
        is_str(text, "{\"new\":true}\n", "its record is in the new log");
        free(text);
        text = slurp(rotated);
        is_str(text, "{\"old\":true}\n", "the rotated log is as it was");
        free(text);

        /* No locks on this filesystem: appended unlocked. */
        snprintf(path, sizeof(path), "%s/nolock.log", tmpdir);
        put(path, "{\"x\":1}");
        status = in_child(append_without_locks, path, 10);
        if (status == 77) {
                ok(1, "flock() failing (ENOLCK) # SKIP seccomp cannot be loaded here");
                return;
        }
        is_int(status, 0, "flock() failing (ENOLCK): the append goes ahead");
        text = slurp(path);
        is_str(text, "{\"x\":1}\n{\"new\":true}\n", "unlocked, the torn tail is still closed");
        free(text);
}

static void cleanup(void)
{
        char cmd[600];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
                diag("could not remove %s", tmpdir);
}

/* The audit timestamp computes the civil date itself (no /etc/localtime): it must be what
 * gmtime_r() gives, leap years, centuries and times before 1970 included. */
static bool same_as_gmtime(long long t)
{
        struct timespec ts = {(time_t)t, 123456789};
        char got[64], want[64];
        struct tm tm;

        time_format_at(&ts, got, sizeof(got));
        gmtime_r(&ts.tv_sec, &tm);
        /* RFC 3339 years have four digits, which strftime's %Y does not give before 1000. */
        snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
        if (strcmp(got, want) == 0)
                return true;
        diag("at %lld: got %s, want %s", t, got, want);
        return false;
}

static void test_timestamps(void)
{
        /* 1970, a second before, a day, 2000-02-29 and the day after, 2100 (no leap day),
         * 9999-12-31T23:59:59, 0001-01-01, 2027-01-01, 2024-02-28T23:59:59. */
        static const long long fixed[] = {
                0,          -1,           86399,        86400,      951782400, 951868800,
                4102444800, 253402300799, -62135596800, 1798761600, 1709164799};
        bool same = true;

        for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
                same = same_as_gmtime(fixed[i]) && same;
        for (long long k = -62; k <= 253; k++)
                same = same_as_gmtime(k * 1000000000LL + 12345) && same;
        ok(same, "timestamps are gmtime_r's, from year 1 to year 9999");
}

int main(void)
{
        umask(022);
        if (!mkdtemp(tmpdir)) {
                ok(0, "mkdtemp");
                return tap_done();
        }
        test_format();
        test_format_lengths();
        test_workload();
        test_write();
        test_selection();
        test_command_line();
        test_syslog();
        test_append_torn();
        test_write_chunked();
        test_append_hostile();
        test_log_line();
        test_timestamps();
        cleanup();
        return tap_done();
}
