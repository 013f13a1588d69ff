/* The audit log: one JSON object per line per decision, appended so that no writer's death can
 * cost another writer's record. */
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

/* Appends data (whole lines) to the log at path, creating it (and one missing directory level)
 * when needed. Under an exclusive flock(), so appends never interleave; a last line left without
 * its newline by a writer that died is closed first; the data goes out in one write, and a short
 * write is finished while still holding the lock. A log that was rotated (renamed) after it was
 * opened is opened again. The lock is awaited for at most a second (a stopped holder must not
 * stop every container start), and a filesystem without locks is appended to unlocked. */
int audit_append(const char *path, const char *data, size_t len, struct hr_error *err);
