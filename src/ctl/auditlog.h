/* Reading the audit log back: counts of changed / would_change / would_deny / denied records per
 * rule and per workload for `hardrunctl log` during an audit-mode rollout, and the records one by
 * one (auditlog-records.c). Torn lines (a writer killed mid-append) are skipped and counted. */
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
        const char *action;    /* an action name (finding_action_to_string), or NULL */
};

/* One line of the log read as a record: a finding's, or a decision's summary (audit.records
 * "summary": no rule, the rules per action instead). The strings point into doc. */
struct auditlog_record {
        struct json *doc;
        const char *time;
        const char *container; /* NULL: none */
        const char *rule;      /* NULL for a summary */
        enum finding_action action;
        const struct json *summary;  /* {"ACTION": ["RULE", ...], ...}, or NULL */
        const struct json *workload; /* an object, or NULL */
};

/* 0 and the record, -EINVAL for a line that is not an audit record (any hardrun's: fields a
 * newer one adds are ignored), -ENOMEM. */
int auditlog_record_parse(const char *line, size_t len, struct auditlog_record *ret);
void auditlog_record_done(struct auditlog_record *rec);
bool auditlog_record_matches(const struct auditlog_filter *f, const struct auditlog_record *rec);

/* A bounded line reader over a log file or pipe. Lines longer than AUDITLOG_LINE_MAX are
 * consumed whole and flagged. */
struct auditlog_reader;
/* Reads at most max_bytes from fd (the summary's bound), or without a bound (ULLONG_MAX). */
struct auditlog_reader *auditlog_reader_new(int fd, unsigned long long max_bytes);
struct auditlog_reader *auditlog_reader_free(struct auditlog_reader *r);
/* 1 and the next line (without its newline), 0 at the end of the input, or a negative errno.
 * Unless follow is set, a last line without a newline is returned too; with follow it is held
 * back (auditlog_reader_pending) and the next call reads on from where the input ended: a log
 * being followed grows. The line stays valid until the next call. */
int auditlog_reader_next(struct auditlog_reader *r, bool follow, const char **ret_line,
                         size_t *ret_len, bool *ret_too_long);
/* Bytes of an incomplete last line held back (follow mode). */
size_t auditlog_reader_pending(const struct auditlog_reader *r);
/* Reads from fd next (a rotated log's new file, or the same one seeked back after a truncation),
 * dropping any pending part. */
void auditlog_reader_reset(struct auditlog_reader *r, int fd);

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

/* A container id as Docker, containerd and CRI-O make them (64 hex digits): 12 of them name it,
 * as docker ps shows it. */
bool auditlog_is_engine_id(const char *id);

void auditlog_print_text(FILE *out, const char *name, const struct auditlog_summary *s);

int auditlog_to_json(const char *name, const struct auditlog_summary *s, struct json **ret,
                     struct hr_error *err);

void auditlog_summary_done(struct auditlog_summary *s);
