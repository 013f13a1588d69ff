/* auditlog: --since values, the bounded line reader (long lines, no final newline, records
 * that are not audit records), filters, the per-rule and per-workload counts and their order. */
#include <fcntl.h>
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

int main(void)
{
        test_since();
        test_summary();
        test_long_lines();
        return tap_done();
}
