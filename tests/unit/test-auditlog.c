/* auditlog: --since values, the bounded line reader (long lines, no final newline, records
 * that are not audit records), filters, the per-rule and per-workload counts and their order. */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "auditlog.h"
#include "tap.h"

static void check_since(const char *arg, const char *want)
{
        /* 2024-05-01T12:00:00Z */
        const time_t now = 1714564800;
        struct hr_error err = {0};
        char buf[32] = "";
        int r = auditlog_since_parse(arg, now, buf, sizeof(buf), &err);

        if (want) {
                ok(r == 0, "--since %s accepted (%s)", arg, err.msg);
                is_str(buf, want, "--since %s", arg);
        } else {
                ok(r < 0 && err.msg[0], "--since %s refused (%s)", arg, err.msg);
        }
}

static void test_since(void)
{
        check_since("2024-04-30", "2024-04-30T00:00:00");
        check_since("2024-04-30T10:20", "2024-04-30T10:20:00");
        check_since("2024-04-30T10:20:30Z", "2024-04-30T10:20:30");
        check_since("2024-04-30 10:20:30", "2024-04-30T10:20:30");
        check_since("2024-02-29", "2024-02-29T00:00:00");
        check_since("90s", "2024-05-01T11:58:30");
        check_since("30m", "2024-05-01T11:30:00");
        check_since("12h", "2024-05-01T00:00:00");
        check_since("7d", "2024-04-24T12:00:00");
        check_since("2023-02-29", NULL);
        check_since("2024-13-01", NULL);
        check_since("2024-04-30T25:00", NULL);
        check_since("2024-04-30+02:00", NULL);
        check_since("yesterday", NULL);
        check_since("5w", NULL);
        check_since("h", NULL);
        check_since("", NULL);
        check_since("99999d", NULL);
        check_since("9999999999s", NULL);
}

static int memfd_with(const char *text, size_t len)
{
        int fd = memfd_create("audit", MFD_CLOEXEC);

        if (fd < 0 || write(fd, text, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0)
                return -1;
        return fd;
}

/* One record per line reads better than the formatter's layout. */
/* clang-format off */
#define REC(time, ctr, rule, action, workload)                                                     \
        "{\"time\":\"" time "\",\"container\":" ctr ",\"bundle\":\"/b\","                          \
        "\"file\":\"/b/config.json\",\"subcommand\":\"create\",\"mode\":\"audit\","                \
        "\"rule\":\"" rule "\",\"path\":\"/x\"" workload ",\"before\":0,\"after\":1,"              \
        "\"action\":\"" action "\"}\n"

static const char log_text[] =
        REC("2024-05-01T10:00:00.1Z", "\"aaa\"", "user", "would_change", "")
        REC("2024-05-01T10:00:00.2Z", "\"aaa\"", "capabilities", "would_change", "")
        "not json at all\n"
        "\n"
        "{\"time\":\"2024-05-01T10:00:01Z\",\"rule\":\"user\",\"action\":\"exploded\"}\n"
        "[1, 2]\n"
        REC("2024-05-01T11:00:00Z", "\"bbb\"", "user", "denied",
            ",\"workload\":{\"io.kubernetes.pod.namespace\":\"prod\","
            "\"io.kubernetes.pod.name\":\"web\",\"io.kubernetes.container.name\":\"app\","
            "\"io.kubernetes.cri-o.ImageName\":\"nginx:1\"}")
        REC("2024-05-01T11:00:01Z", "\"bbb\"", "user", "denied", "")
        REC("2024-05-01T11:00:02Z", "\"bbb\"", "seccomp", "denied", "")
        REC("2024-05-01T12:00:00Z", "null", "user", "changed",
            ",\"workload\":{\"hostname\":\"h1\"}")
        /* the last line has no newline */
        "{\"time\":\"2024-05-01T13:00:00Z\",\"container\":\"aaa\",\"rule\":\"future_rule\","
        "\"action\":\"changed\"}";
/* clang-format on */

static void test_summary(void)
{
        const struct auditlog_filter none = {0};
        struct auditlog_summary s;
        struct hr_error err = {0};
        int fd = memfd_with(log_text, strlen(log_text));

        ok(auditlog_summarise(fd, "test", &none, &s, &err) == 0, "summarise (%s)", err.msg);
        close(fd);
        is_int(s.lines, 10, "10 lines read (the empty one not counted)");
        is_int(s.matched, 7, "7 records");
        is_int(s.unparseable, 3, "3 unparseable lines: text, unknown action, an array");
        is_int(s.too_long, 0, "no long line");
        is_str(s.first, "2024-05-01T10:00:00.1Z", "first record's time");
        is_str(s.last, "2024-05-01T13:00:00Z", "last record's time");
        is_int(s.n_rules, 4, "4 rules: known ones in rule order, then others");
        if (s.n_rules == 4) {
                is_str(s.rules[0].name, "user", "rule 0");
                is_int(s.rules[0].counts.n[FINDING_WOULD_CHANGE], 1, "user would_change");
                is_int(s.rules[0].counts.n[FINDING_DENIED], 2, "user denied");
                is_int(s.rules[0].counts.n[FINDING_CHANGED], 1, "user changed");
                is_str(s.rules[3].name, "future_rule", "a rule this hardrun does not know counts");
        }
        is_int(s.n_workloads, 3, "3 workloads");
        if (s.n_workloads == 3) {
                char desc[256];
                is_str(s.workloads[0].container, "aaa", "aaa first: 3 records, seen first");
                is_str(s.workloads[1].container, "bbb", "bbb: 3 records");
                is_str(s.workloads[2].container, "(none)", "a record without container");
                auditlog_workload_describe(s.workloads[1].workload, desc, sizeof(desc));
                is_str(desc, "prod/web/app image nginx:1", "bbb's workload described");
                auditlog_workload_describe(s.workloads[2].workload, desc, sizeof(desc));
                is_str(desc, "hostname h1", "a workload with a hostname only");
                auditlog_workload_describe(s.workloads[0].workload, desc, sizeof(desc));
                is_str(desc, "", "no workload");
        }
        auditlog_summary_done(&s);

        const struct auditlog_filter filter = {"2024-05-01T11:00:01", "bb", "user"};
        fd = memfd_with(log_text, strlen(log_text));
        ok(auditlog_summarise(fd, "test", &filter, &s, &err) == 0, "summarise with filters");
        close(fd);
        is_int(s.matched, 1, "since, container prefix and rule: 1 record");
        is_int(s.n_workloads, 1, "one workload");
        auditlog_summary_done(&s);
}

static void test_long_lines(void)
{
        size_t n = AUDITLOG_LINE_MAX + 100;
        char *text = malloc(n + 600);
        struct auditlog_summary s;
        struct hr_error err = {0};
        const struct auditlog_filter none = {0};
        size_t o;
        int fd;

        memset(text, 'x', n);
        text[n] = '\n';
        o = n + 1;
        o += (size_t)sprintf(text + o, "%s",
                             REC("2024-05-01T10:00:00Z", "\"aaa\"", "user", "changed", ""));
        fd = memfd_with(text, o);
        ok(auditlog_summarise(fd, "test", &none, &s, &err) == 0, "summarise with a long line");
        close(fd);
        is_int(s.too_long, 1, "the line over %u bytes is skipped and counted", AUDITLOG_LINE_MAX);
        is_int(s.matched, 1, "the record after it still counts");
        auditlog_summary_done(&s);
        free(text);
}

/* A writer killed mid-append leaves an unfinished line, which the next writer ends: one
 * unparseable line, the records around it intact. Summary records (audit.records "summary")
 * count once per rule and action; the filters look inside them. */
static void test_torn_and_summary(void)
{
        /* clang-format off */
        static const char text[] =
                REC("2024-05-01T10:00:00Z", "\"aaa\"", "user", "would_change", "")
                "{\"time\":\"2024-05-01T10:00:01Z\",\"container\":\"aa\n"
                REC("2024-05-01T10:00:02Z", "\"bbb\"", "mounts", "would_deny", "")
                "{\"time\":\"2024-05-01T10:00:03Z\",\"node\":\"n1\",\"container\":\"ccc\","
                "\"mode\":\"enforce\",\"summary\":{\"changed\":[\"user\",\"seccomp\"],"
                "\"denied\":[\"mounts\"]},\"findings\":5,\"action\":\"denied\"}\n"
                "{\"time\":\"2024-05-01T10:00:04Z\",\"container\":\"ddd\",\"summary\":"
                "{\"changed\":[\"user\"],\"bogus\":[\"x\"]},\"action\":\"changed\"}\n"
                "{\"time\":\"2024-05-01T10:00:05Z\",\"container\":\"ddd\",\"rule\":\"user\","
                "\"summary\":{},\"action\":\"changed\"}\n";
        /* clang-format on */
        const struct auditlog_filter none = {0};
        const struct auditlog_filter denied = {NULL, NULL, NULL, "denied"};
        const struct auditlog_filter user = {NULL, NULL, "user", NULL};
        struct auditlog_summary s;
        struct hr_error err = {0};
        int fd = memfd_with(text, strlen(text));

        ok(auditlog_summarise(fd, "test", &none, &s, &err) == 0, "summarise (%s)", err.msg);
        close(fd);
        is_int(s.unparseable, 3,
               "the torn line, a summary with an unknown action, a finding with a summary");
        is_int(s.matched, 3, "two finding records and one summary");
        for (size_t i = 0; i < s.n_rules; i++) {
                const struct auditlog_counts *c = &s.rules[i].counts;
                if (strcmp(s.rules[i].name, "user") == 0)
                        ok(c->n[FINDING_WOULD_CHANGE] == 1 && c->n[FINDING_CHANGED] == 1,
                           "user: a would_change record and a summary's changed");
                if (strcmp(s.rules[i].name, "mounts") == 0)
                        ok(c->n[FINDING_WOULD_DENY] == 1 && c->n[FINDING_DENIED] == 1,
                           "mounts: would_deny counted in its own column, the summary's denied");
        }
        is_int(s.n_rules, 3, "user, seccomp, mounts");
        auditlog_summary_done(&s);

        fd = memfd_with(text, strlen(text));
        ok(auditlog_summarise(fd, "test", &denied, &s, &err) == 0, "--action denied");
        close(fd);
        ok(s.matched == 1 && s.n_rules == 1 && strcmp(s.rules[0].name, "mounts") == 0 &&
                   s.rules[0].counts.n[FINDING_DENIED] == 1,
           "--action denied: the summary's denied rule only");
        auditlog_summary_done(&s);

        fd = memfd_with(text, strlen(text));
        ok(auditlog_summarise(fd, "test", &user, &s, &err) == 0, "--rule user");
        close(fd);
        ok(s.matched == 2 && s.n_rules == 1 && s.rules[0].counts.n[FINDING_CHANGED] == 1 &&
                   s.rules[0].counts.n[FINDING_WOULD_CHANGE] == 1,
           "--rule user: its record and the summary that lists it");
        auditlog_summary_done(&s);
}

/* Following: a line without its newline waits for the rest. */
static void test_reader_follow(void)
{
        int fd = memfd_create("follow", MFD_CLOEXEC);
        struct auditlog_reader *r = auditlog_reader_new(fd, ULLONG_MAX);
        const char *line;
        size_t len;
        bool too_long;

        ok(fd >= 0 && r, "reader");
        if (fd < 0 || !r)
                return;
        is_int(write(fd, "one\ntw", 6), 6, "one line and a half written");
        (void)lseek(fd, 0, SEEK_SET);
        is_int(auditlog_reader_next(r, true, &line, &len, &too_long), 1, "follow: a line");
        ok(len == 3 && memcmp(line, "one", 3) == 0, "follow: 'one'");
        is_int(auditlog_reader_next(r, true, &line, &len, &too_long), 0,
               "follow: the half line is held back");
        is_int(auditlog_reader_pending(r), 2, "follow: 2 bytes pending");
        is_int(pwrite(fd, "o\n", 2, 6), 2, "the rest written");
        is_int(auditlog_reader_next(r, true, &line, &len, &too_long), 1, "follow: the line ends");
        ok(len == 3 && memcmp(line, "two", 3) == 0, "follow: 'two', whole");
        is_int(pwrite(fd, "three", 5, 8), 5, "a last line without newline");
        is_int(auditlog_reader_next(r, false, &line, &len, &too_long), 1,
               "not following: a last line without newline is a line");
        ok(len == 5 && memcmp(line, "three", 5) == 0, "not following: 'three'");
        is_int(auditlog_reader_next(r, false, &line, &len, &too_long), 0, "then the end");
        auditlog_reader_free(r);
        close(fd);
}

int main(void)
{
        test_since();
        test_summary();
        test_long_lines();
        test_torn_and_summary();
        test_reader_follow();
        return tap_done();
}
