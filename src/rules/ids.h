/* The rules' ids: one per rule, in the order the rule loop runs them. The ids index the
 * registry (rules/registry.c), the policy's per-rule modes and settings, and exemption masks. */
#pragma once

/* Every rule, in the order they run (rules/registry.c has the table). privileged comes first: it
 * reports what the spec looked like before any other rule changed it. */
enum rule_id {
        RULE_PRIVILEGED,
        RULE_USER,
        RULE_CAPABILITIES,
        RULE_SECCOMP,
        RULE_ROOTFS,
        RULE_NO_NEW_PRIVILEGES,
        RULE_NAMESPACES,
        RULE_USER_NAMESPACE,
        RULE_MOUNTS,
        RULE_MOUNT_OPTIONS,
        RULE_MASKED_PATHS,
        RULE_DEVICES,
        RULE_HOOKS,
        RULE_SYSCTLS,
        RULE_RESOURCES,
        RULE_RLIMITS,
        RULE_LSM,
        RULE_NET_DEVICES,
        RULE_ENV_SECRETS,
        RULE_IMAGE,
        RULE_SPEC_MODEL,
        RULE_ANNOTATIONS,
        RULE_MOUNT_TYPES,
        RULE_ID_MAPPINGS,
        RULE_GROUPS,
        RULE_CGROUPS_PATH,
        _RULE_MAX,
        _RULE_INVALID = -22,
};

const char *rule_id_to_string(enum rule_id id);
enum rule_id rule_id_from_string(const char *s);
/* Indexed by enum rule_id. */
extern const char *const rule_id_names[_RULE_MAX];
