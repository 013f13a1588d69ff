/* The rule registry: every rule in the order they run. Adding a rule: its file under src/rules/,
 * its value in enum rule_id (policy.h) and its line here. */
#include "rules/registry.h"

#include "rules/rule.h"

/* Each defined in its own file. */
extern const struct rule rule_privileged, rule_user, rule_capabilities, rule_seccomp, rule_rootfs,
        rule_no_new_privileges, rule_namespaces, rule_user_namespace, rule_mounts,
        rule_mount_options, rule_masked_paths, rule_devices, rule_hooks, rule_sysctls,
        rule_resources, rule_rlimits, rule_lsm, rule_net_devices, rule_env_secrets, rule_image,
        rule_spec_model, rule_annotations, rule_mount_types, rule_id_mappings, rule_groups,
        rule_cgroups_path;

static const struct rule *const table[_RULE_MAX] = {
        [RULE_PRIVILEGED] = &rule_privileged,
        [RULE_USER] = &rule_user,
        [RULE_CAPABILITIES] = &rule_capabilities,
        [RULE_SECCOMP] = &rule_seccomp,
        [RULE_ROOTFS] = &rule_rootfs,
        [RULE_NO_NEW_PRIVILEGES] = &rule_no_new_privileges,
        [RULE_NAMESPACES] = &rule_namespaces,
        [RULE_USER_NAMESPACE] = &rule_user_namespace,
        [RULE_MOUNTS] = &rule_mounts,
        [RULE_MOUNT_OPTIONS] = &rule_mount_options,
        [RULE_MASKED_PATHS] = &rule_masked_paths,
        [RULE_DEVICES] = &rule_devices,
        [RULE_HOOKS] = &rule_hooks,
        [RULE_SYSCTLS] = &rule_sysctls,
        [RULE_RESOURCES] = &rule_resources,
        [RULE_RLIMITS] = &rule_rlimits,
        [RULE_LSM] = &rule_lsm,
        [RULE_NET_DEVICES] = &rule_net_devices,
        [RULE_ENV_SECRETS] = &rule_env_secrets,
        [RULE_IMAGE] = &rule_image,
        [RULE_SPEC_MODEL] = &rule_spec_model,
        [RULE_ANNOTATIONS] = &rule_annotations,
        [RULE_MOUNT_TYPES] = &rule_mount_types,
        [RULE_ID_MAPPINGS] = &rule_id_mappings,
        [RULE_GROUPS] = &rule_groups,
        [RULE_CGROUPS_PATH] = &rule_cgroups_path,
};

const struct rule *rule_get(enum rule_id id)
{
        return id >= 0 && id < _RULE_MAX ? table[id] : NULL;
}
