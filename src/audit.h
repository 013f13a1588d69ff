/* The audit log: JSON lines, one per decision or finding, appended so that no writer's death
 * can cost another writer's record; and syslog, one message per record. */
#pragma once

#include <stddef.h>

#include "findings.h"
#include "policy.h"
#include "util/error.h"

/* Records longer than this go to syslog without their before, after and workload values (the
 * file keeps them whole): rsyslog's default message size is 8 KiB, header included. */
#define AUDIT_SYSLOG_RECORD_MAX 8000u

struct audit_context {
        const char *container_id;
        const char *bundle;
        const char *file; /* the spec file */
        const char *subcommand;
        const struct json *workload; /* engine-given identity (annotations), or NULL */
        /* Where and under what the decision was made; audit_write() fills them from the host
         * and the policy, audit_format() writes them as given (NULL: null). */
        const char *node;
        const char *version;
        const char *policy;       /* the policy's digest */
        enum hr_mode policy_mode; /* the policy's global mode, for summary records */
};

/* Picks from a config.json what tells an admin which workload it is: the hostname and the
 * annotations containerd/CRI, CRI-O, kubelet and podman set (pod, namespace, container name,
 * image). Returns NULL when there is nothing, or on a spec without them. */
struct json *audit_workload_from_spec(const struct json *spec);

/* What a workload object names, from the annotations the engines set: the container's name
 * (Kubernetes: the container within its pod), its image, and its pod as "NAMESPACE/NAME" (buf
 * needs room for both; false when there is no pod name). NULL when the engine gave none:
 * Docker, ctr and podman write neither name nor image into config.json. */
const char *audit_workload_name(const struct json *workload);
const char *audit_workload_image(const struct json *workload);
bool audit_workload_pod(const struct json *workload, char *buf, size_t size);

/* Builds the records that `which` selects for these findings as JSON lines into *ret_buf
 * (empty when it selects none). */
int audit_format(const struct audit_context *ctx, enum audit_records which,
                 const struct findings *f, char **ret_buf, size_t *ret_len, struct hr_error *err);

/* The syslog messages for the same records, each handed to send with its priority: warning for
 * denied, notice for would_deny, detected and exempted, info for changed and would_change (a
 * summary: its most severe action's). A record longer than AUDIT_SYSLOG_RECORD_MAX goes without
 * its before, after and workload values, and says so ("elided": true). */
typedef void (*audit_send_fn)(int priority, const char *msg, size_t len, void *data);
int audit_syslog_messages(const struct audit_context *ctx, enum audit_records which,
                          const struct findings *f, audit_send_fn send, void *data,
                          struct hr_error *err);

/* Writes the records the policy's audit.records selects to its audit file and syslog. Nothing
 * is written when there are no findings, or none is selected. The file gets them as
 * audit_append() appends, under one lock, in writes of whole lines (one, unless they pass
 * 64 KiB). */
int audit_write(const struct policy *p, const struct audit_context *ctx, const struct findings *f,
                struct hr_error *err);

/* Appends data (whole lines) to the log at path, creating it (and one missing directory level)
 * when needed. Under an exclusive flock(), so appends never interleave; a last line left without
 * its newline by a writer that died is closed first; the data goes out in one write, and a short
 * write is finished while still holding the lock. A log that was rotated (renamed) after it was
 * opened is opened again. The lock is awaited for at most a second (a stopped holder must not
 * stop every container start), and a filesystem without locks is appended to unlocked. */
int audit_append(const char *path, const char *data, size_t len, struct hr_error *err);

/* Records about the policy itself rather than a finding. */
enum audit_event {
        AUDIT_EVENT_POLICY_ERROR, /* the policy file is broken: a stand-in decided */
        AUDIT_EVENT_POLICY_OFF,   /* the kill switch passed the call through unjudged */
        _AUDIT_EVENT_MAX,
};

/* One record {"time", "container", "bundle", "subcommand", "event", "msg"} to the policy's
 * audit file and syslog (error for policy_error, warning for policy_off). Written whatever
 * audit.records selects: neither is routine. */
int audit_write_event(const struct policy *p, const struct audit_context *ctx,
                      enum audit_event event, const char *msg, struct hr_error *err);
