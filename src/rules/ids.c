/* The rules' names as the policy file, the log and the CLI write them; below everything that
 * prints or parses one (the registry's descriptors carry the same names, checked by a unit
 * test). */
#include "rules/ids.h"

#include <string.h>

const char *const rule_id_names[_RULE_MAX] = {
        [RULE_PRIVILEGED] = "privileged",
        [RULE_USER] = "user",
        [RULE_CAPABILITIES] = "capabilities",
        [RULE_SECCOMP] = "seccomp",
        [RULE_ROOTFS] = "rootfs",
        [RULE_NO_NEW_PRIVILEGES] = "no_new_privileges",
        [RULE_NAMESPACES] = "namespaces",
        [RULE_USER_NAMESPACE] = "user_namespace",
        [RULE_MOUNTS] = "mounts",
        [RULE_MOUNT_OPTIONS] = "mount_options",
        [RULE_MASKED_PATHS] = "masked_paths",
        [RULE_DEVICES] = "devices",
        [RULE_HOOKS] = "hooks",
        [RULE_SYSCTLS] = "sysctls",
        [RULE_RESOURCES] = "resources",
        [RULE_RLIMITS] = "rlimits",
        [RULE_LSM] = "lsm",
        [RULE_NET_DEVICES] = "net_devices",
        [RULE_ENV_SECRETS] = "env_secrets",
        [RULE_IMAGE] = "image",
        [RULE_SPEC_MODEL] = "spec_model",
        [RULE_ANNOTATIONS] = "annotations",
        [RULE_MOUNT_TYPES] = "mount_types",
        [RULE_ID_MAPPINGS] = "id_mappings",
        [RULE_GROUPS] = "groups",
        [RULE_CGROUPS_PATH] = "cgroups_path",
};

const char *rule_id_to_string(enum rule_id id)
{
        return id >= 0 && id < _RULE_MAX ? rule_id_names[id] : "invalid";
}

enum rule_id rule_id_from_string(const char *s)
{
        for (int i = 0; i < _RULE_MAX; i++)
                if (strcmp(rule_id_names[i], s) == 0)
                        return (enum rule_id)i;
        return _RULE_INVALID;
}
