/* The audit log record by record (`hardrunctl log --records`, `--follow`): a table for people,
 * or the matching JSON lines themselves for jq and SIEM shippers. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "auditlog.h"
#include "util/error.h"

struct auditlog_view {
        const struct auditlog_filter *filter;
        bool json;   /* the records' own lines, else a table */
        FILE *out;   /* the records */
        FILE *notes; /* skipped lines, rotation (follow) */
        unsigned long long shown, unparseable, too_long;
        bool header_done;
};

/* Shows the records of fd (a file or a pipe; name for messages) that pass the filter. Lines
 * that are not records (a writer killed mid-append leaves one) are skipped and counted. 0, or a
 * negative errno when fd cannot be read or out cannot be written. */
int auditlog_show_records(struct auditlog_view *v, int fd, const char *name, struct hr_error *err);

/* tail -F for the log at path: shows each record as it is appended, from the end of the file
 * (from its start with from_start), and goes on through rotation (the log renamed and created
 * anew: the old file is read to its end first), truncation (copytruncate: read from the start
 * again) and a log that does not exist yet. Returns only on failure (out closed, a read
 * error). */
int auditlog_follow(struct auditlog_view *v, const char *path, bool from_start,
                    struct hr_error *err);
