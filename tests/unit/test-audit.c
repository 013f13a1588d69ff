/* Unit tests for audit.c (records, appending to the audit file) and log.c's line format. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "bounds.h"
#include "findings.h"
#include "json.h"
#include "log.h"
#include "policy.h"
#include "tap.h"
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

static void check_record(const char *line, size_t len, const struct audit_context *ctx,
                         const struct finding *x, size_t i)
{
        static const char *const keys[] = {"time",       "container", "bundle", "file",
                                           "subcommand", "mode",      "rule",   "path",
                                           "before",     "after",     "action"};
        struct hr_error err = {0};
        struct json *rec = parse_n(line, len, &err);
        const char *stamp;
        char *got, *want;

        ok(rec && rec->type == JSON_OBJECT, "record %zu parses (%s)", i, err.msg);
        if (!rec || rec->type != JSON_OBJECT) {
                json_free(rec);
                return;
        }
        is_int(rec->object.n, 11, "record %zu: 11 members", i);
        for (size_t k = 0; k < 11 && k < rec->object.n; k++)
                is_str(rec->object.members[k].key, keys[k], "record %zu: key %zu", i, k);
        stamp = str_member(rec, "time");
        ok(is_timestamp(stamp), "record %zu: RFC 3339 time (%s)", i, stamp ? stamp : "(null)");
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
        const struct audit_context ctx = {"id1", "/run/b", "/run/b/config.json", "create"};
        const struct audit_context odd = {NULL, "/b\"x\n\\y", "c\tf", "exec"};
        struct findings f = {0}, none = {0};
        struct hr_error err = {0};
        char *buf = NULL;
        size_t len = 0;

        sample_findings(&f);
        is_int(f.n, 3, "three sample findings");
        is_int(audit_format(&ctx, &f, &buf, &len, &err), 0, "audit_format");
        if (buf)
                check_records(buf, len, &ctx, &f, "audit_format");
        free(buf);
        buf = NULL;

        is_int(audit_format(&odd, &f, &buf, &len, &err), 0, "audit_format, odd context");
        if (buf)
                check_records(buf, len, &odd, &f, "odd context");
        free(buf);
        buf = NULL;

        is_int(audit_format(&ctx, &none, &buf, &len, &err), 0, "audit_format, no findings");
        ok(buf && len == 0 && buf[0] == '\0', "no findings: empty output");
        free(buf);
        findings_clear(&f);
        ok(f.n == 0 && f.items == NULL, "findings_clear resets");
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
        is_int(audit_format(&ctx, &f, &buf, &len, &err), 0, "workload: formatted");
        if (buf && len > 0) {
                struct json *rec = parse_n(buf, len - 1, &err);
                ok(rec && rec->object.n == 12, "workload: 12 members");
                if (rec && rec->object.n == 12) {
                        is_str(rec->object.members[8].key, "workload", "workload: after path");
                        ok(json_equal(rec->object.members[8].value, w), "workload: value");
                        is_str(rec->object.members[9].key, "before", "workload: before follows");
                }
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
                while (fp && fgets(line, sizeof(line), fp)) {
                        struct json *rec = parse_n(line, strlen(line), &err);
                        if (rec && rec->type == JSON_OBJECT && rec->object.n == 11)
                                good++;
                        json_free(rec);
                }
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
        test_workload();
        test_write();
        test_log_line();
        test_timestamps();
        cleanup();
        return tap_done();
}
