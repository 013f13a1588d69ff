/* Docker's (and containers-common's) seccomp profile format: archMap, and per-rule includes and
 * excludes by architecture, capability and kernel version, resolved into the runtime-spec form
 * the way the engine resolves it for one container before it writes config.json. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "json.h"
#include "util/error.h"

/* What the engine resolves a profile for. */
struct seccomp_docker_target {
        const char *arch;       /* "SCMP_ARCH_X86_64" */
        const char *native;     /* the engine's name of it in includes/excludes: "amd64" */
        uint64_t caps;          /* the container's bounding set, bit n = capability n */
        unsigned kernel, major; /* "6.1" */
        bool caps_default;      /* caps is Docker's default set */
};

/* Whether the profile uses a key only Docker's format has (archMap; name, comment, includes or
 * excludes in a rule). */
bool seccomp_docker_is_profile(const struct json *profile);

/* The host's architecture and kernel, Docker's 14 default capabilities. */
int seccomp_docker_target_host(struct seccomp_docker_target *ret, struct hr_error *err);
/* --arch: "x86_64", "amd64" or "SCMP_ARCH_X86_64" (and the same for the others). */
int seccomp_docker_target_arch(struct seccomp_docker_target *t, const char *arch,
                               struct hr_error *err);
/* --caps: comma-separated capability names (CAP_ optional), "default" for Docker's 14, "all",
 * or "none". */
int seccomp_docker_target_caps(struct seccomp_docker_target *t, const char *list,
                               struct hr_error *err);
/* --kernel: "5.10" (more parts after the second are ignored, as Docker ignores them). */
int seccomp_docker_target_kernel(struct seccomp_docker_target *t, const char *release,
                                 struct hr_error *err);

/* One line saying what it was resolved for, for the output. */
void seccomp_docker_describe(const struct seccomp_docker_target *t, char *buf, size_t size);

/* The runtime-spec profile: architectures from archMap's entry for the target (with its
 * subArchitectures), the rules whose includes all hold and whose excludes none, "name" as
 * "names", the Docker-only keys gone. Keys it does not know stay, for the check to report. */
int seccomp_docker_resolve(const struct json *profile, const struct seccomp_docker_target *t,
                           struct json **ret, struct hr_error *err);
