/* The audit log: one JSON object per line per decision, appended in a single write. */
#pragma once

#include "findings.h"
#include "policy.h"
#include "util/error.h"

struct audit_context {
        const char *container_id;
        const char *bundle;
        const char *file; /* the spec file */
        const char *subcommand;
        const struct json *workload; /* engine-given identity (annotations), or NULL */
};

/* Picks from a config.json what tells an admin which workload it is: the hostname and the
 * annotations containerd/CRI, CRI-O, kubelet and podman set (pod, namespace, container name,
 * image). Returns NULL when there is nothing, or on a spec without them. */
struct json *audit_workload_from_spec(const struct json *spec);

/* Builds every record for these findings as JSON lines into *ret_buf. */
int audit_format(const struct audit_context *ctx, const struct findings *f, char **ret_buf,
                 size_t *ret_len, struct hr_error *err);

/* Appends the records to the policy's audit file (and syslog). Nothing is written when there
 * are no findings. */
int audit_write(const struct policy *p, const struct audit_context *ctx, const struct findings *f,
                struct hr_error *err);

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
