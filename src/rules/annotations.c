/* annotations: no annotation changes what the runtime does unless the policy allows it. crun reads
 * run.oci.* keys that replace the seccomp filter hardrun installed (seccomp_bpf_data), hand the
 * filter's listener to a socket (seccomp.receiver), load shared objects as host root
 * (seccomp.plugins, handler), write hook output to host files (hooks.stdout, hooks.stderr), keep
 * the runtime's own groups (keep_original_groups) or change the cgroup layout; runc's and crun's
 * systemd cgroup drivers turn org.systemd.property.* into unit properties (TasksMax=infinity lifts
 * the pids limit); runc's checkpoint and restore read a CRIU configuration file named by
 * org.criu.config. Podman, Docker 24+ and any containerd client can set them. Enforce removes
 * them; every other key (the engines' own) passes, as the runtimes ignore it. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/names.h"

/* What the runtimes read, from their sources (runc 1.1: libcontainer/specconv/spec_linux.go,
 * libcontainer/container_linux.go; crun 1.8: src/libcrun/). A trailing '*' matches any rest. */
const struct annotation_model annotation_model[] = {
        {"run.oci.seccomp_bpf_data", ANNOTATION_STRIPPED, "crun: installs this raw BPF filter"},
        {"run.oci.seccomp.receiver", ANNOTATION_STRIPPED,
         "crun: sends the seccomp listener fd to this host socket"},
        {"run.oci.seccomp.plugins", ANNOTATION_STRIPPED,
         "crun: loads these shared objects as host root"},
        {"run.oci.seccomp_fail_unknown_syscall", ANNOTATION_STRIPPED,
         "crun: fails on syscalls libseccomp does not know"},
        {"run.oci.hooks.stdout", ANNOTATION_STRIPPED, "crun: opens this host file for hooks"},
        {"run.oci.hooks.stderr", ANNOTATION_STRIPPED, "crun: opens this host file for hooks"},
        {"run.oci.keep_original_groups", ANNOTATION_STRIPPED,
         "crun: the process keeps the runtime's supplementary groups"},
        {"run.oci.systemd.force_cgroup_v1", ANNOTATION_STRIPPED,
         "crun: mounts a named cgroup v1 hierarchy"},
        {"run.oci.systemd.subgroup", ANNOTATION_STRIPPED, "crun: cgroup layout under systemd"},
        {"run.oci.delegate-cgroup", ANNOTATION_STRIPPED,
         "crun: delegates a cgroup subtree to the container"},
        {"run.oci.mount_context_type", ANNOTATION_STRIPPED, "crun: SELinux mount context type"},
        {"run.oci.timens_offset", ANNOTATION_STRIPPED, "crun: time namespace offsets"},
        {"run.oci.pidfd_receiver", ANNOTATION_STRIPPED,
         "crun: sends the container's pidfd to this host socket"},
        {"run.oci.handler", ANNOTATION_STRIPPED,
         "crun: runs the container with a handler (krun, "
         "wasm) loaded as host root"},
        {"run.oci.*", ANNOTATION_STRIPPED, "crun's namespace: later versions add keys"},
        {"module.wasm.image/variant", ANNOTATION_STRIPPED, "crun: picks the wasm handler"},
        {"org.systemd.property.*", ANNOTATION_STRIPPED,
         "runc and crun systemd cgroup drivers: unit properties (TasksMax, DeviceAllow, ...)"},
        {"org.criu.config", ANNOTATION_STRIPPED,
         "runc checkpoint/restore: a CRIU configuration file on the host"},
        {"io.kubernetes.cri.container-type", ANNOTATION_HARMLESS,
         "crun: no handler for a sandbox; written by containerd"},
        {"*", ANNOTATION_HARMLESS, "read by no runtime: the engines' own keys"},
        {NULL, 0, NULL},
};

const struct annotation_model *annotation_model_find(const char *key)
{
        for (const struct annotation_model *a = annotation_model; a->key; a++) {
                size_t n = strlen(a->key);
                if (a->key[n - 1] == '*' ? strncmp(key, a->key, n - 1) == 0
                                         : strcmp(key, a->key) == 0)
                        return a;
        }
        return NULL;
}

static const struct setting settings[] = {
        NAMES_SETTING("allow",
                      "annotation keys (shell patterns) kept although a runtime reads them"),
};

static bool is_allowed(const struct names_settings *s, const char *key)
{
        for (const char *const *a = names_of(s); a && *a; a++)
                if (fnmatch(*a, key, 0) == 0)
                        return true;
        return false;
}

static int apply_annotations(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *annotations;
        int r;

        r = rule_field(ctx, doc, "", "annotations", JSON_OBJECT, false, &annotations, err);
        if (r <= 0)
                return r;
        for (size_t i = 0; i < annotations->object.n;) {
                const struct json_member *m = &annotations->object.members[i];
                const struct annotation_model *a = annotation_model_find(m->key);
                char path[RULE_PATH_MAX];

                /* A key with a NUL byte is refused before any rule runs (harden.c). */
                if (a->verdict == ANNOTATION_HARMLESS || is_allowed(ctx->settings, m->key)) {
                        i++;
                        continue;
                }
                rule_member_path("/annotations", m->key, path, sizeof(path));
                if ((r = rule_record(ctx, path, m->value, NULL, err)) < 0)
                        return r;
                /* The member stays when its removal fails: the loop must not meet it again. */
                if ((r = json_object_remove_at(annotations, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/annotations/*", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "annotations",
        .summary = "no annotation changes what the runtime does",
        .enforce = "annotations runc or crun read are removed unless allowed: crun's "
                   "run.oci.* (a raw seccomp filter, the filter's listener sent to a "
                   "socket, plugins and handlers loaded as host root, hook output "
                   "files, the runtime's own groups kept, cgroup layout), the systemd "
                   "drivers' org.systemd.property.* (TasksMax=infinity lifts the pids "
                   "limit) and runc's org.criu.config. The engines' own keys pass.",
        .deny = "any such annotation",
        .spec = "annotations",
        .cis = "none",
        .pss = "none",
};

const struct rule rule_annotations = {
        .id = RULE_ANNOTATIONS,
        .name = "annotations",
        .for_process = false,
        .owns = owns,
        NAMES_RULE_SETTINGS(settings),
        .apply = apply_annotations,
        .doc = &doc,
};
