/* Reading the audit log back: counts of changed / would_change / denied records per rule and per
 * workload, for `hardrunctl log` during an audit-mode rollout. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "findings.h"
#include "json.h"
#include "util/error.h"

/* Bounds: a longer file is read from its last AUDITLOG_MAX_BYTES; a longer line (a record is
 * a few KiB) is skipped and counted; workloads beyond the limit are counted as one "(other)". */
#define AUDITLOG_MAX_BYTES (1024ull * 1024 * 1024)
#define AUDITLOG_LINE_MAX (1024u * 1024u)
#define AUDITLOG_WORKLOADS_MAX 100000u
#define AUDITLOG_RULES_MAX 64u

struct auditlog_filter {
        const char *since;     /* "YYYY-MM-DDTHH:MM:SS" from auditlog_since_parse(), or NULL */
        const char *container; /* a container id or its prefix, or NULL */
        const char *rule;      /* a rule name, or NULL */
};

struct auditlog_counts {
        unsigned long long n[_FINDING_ACTION_MAX];
};

struct auditlog_rule {
        char *name;
        struct auditlog_counts counts;
};

struct auditlog_workload {
        char *container;       /* "(none)" for records without one, "(other)" past the limit */
        struct json *workload; /* the first record's workload object, or NULL */
        uint64_t rules;        /* bit i: summary.rules[i] seen for it */
        struct auditlog_counts counts;
        size_t order; /* first appearance, to break ties */
};

struct auditlog_summary {
        unsigned long long lines, matched, unparseable, too_long;
        bool truncated; /* the file was larger than AUDITLOG_MAX_BYTES: only its end was read */
        char first[48], last[48]; /* times of the first and last matching records */
        struct auditlog_rule rules[AUDITLOG_RULES_MAX];
        size_t n_rules;
        struct auditlog_workload *workloads; /* sorted by auditlog_summarise: most records first */
        size_t n_workloads;
        /* private: index of workloads by container */
        size_t *index;
        size_t index_size;
};

/* Turns a --since value into the "YYYY-MM-DDTHH:MM:SS" (UTC) the records' times are compared
 * with: "2024-05-01", "2024-05-01T10:00", "2024-05-01T10:00:00" (optionally with "Z", or a
 * space for "T"), or a time before now: "90s", "30m", "12h", "7d". buf needs 20 bytes. */
int auditlog_since_parse(const char *arg, time_t now, char *buf, size_t size, struct hr_error *err);

/* Reads the log from fd (a regular file or a pipe; name is for messages) and counts the records
 * that pass the filter. Lines that are not audit records are skipped and counted. */
int auditlog_summarise(int fd, const char *name, const struct auditlog_filter *filter,
                       struct auditlog_summary *ret, struct hr_error *err);

/* A human-readable line for a workload: "NAMESPACE/POD/CONTAINER", the image and, without
 * those, the hostname; "" when the record had no workload. */
void auditlog_workload_describe(const struct json *workload, char *buf, size_t size);

void auditlog_print_text(FILE *out, const char *name, const struct auditlog_summary *s);

int auditlog_to_json(const char *name, const struct auditlog_summary *s, struct json **ret,
                     struct hr_error *err);

void auditlog_summary_done(struct auditlog_summary *s);
