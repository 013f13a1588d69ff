/* spec_model: every member of the spec has a verdict. The tree below is what runc 1.1 and crun
 * 1.8 read from runtime-spec 1.0.2 / 1.1 (runc: libcontainer/specconv/spec_linux.go; crun:
 * src/libcrun/ and libocispec's schema), each member judged by a rule (which claims it in its
 * owns list), known harmless, or refused. A member the tree does not know - a field added by a
 * later spec, a typo - is refused too: hardrun cannot vouch for what it does not read. So is a
 * key that equals a known one only in letter case: Go's encoding/json matches struct fields
 * case-insensitively, so "User" IS "user" to runc, while crun ignores it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/spec-model.h"

#define J(k, rule_id, kids)                          \
        {                                            \
                k, MODEL_JUDGED, rule_id, kids, NULL \
        }
#define H(k, kids)                               \
        {                                        \
                k, MODEL_HARMLESS, 0, kids, NULL \
        }
#define X(k, why)                              \
        {                                      \
                k, MODEL_REFUSED, 0, NULL, why \
        }
#define END                            \
        {                              \
                NULL, 0, 0, NULL, NULL \
        }

/* clang-format off */
/* Members of a judged value: the rule that owns the value reads them. */
static const struct model_node capabilities_nodes[] = {
        H("bounding", NULL), H("effective", NULL), H("inheritable", NULL),
        H("permitted", NULL), H("ambient", NULL), END,
};

static const struct model_node rlimit_nodes[] = {
        H("type", NULL), H("hard", NULL), H("soft", NULL), END,
};

static const struct model_node rlimits_nodes[] = {
        H("*", rlimit_nodes), END,
};

static const struct model_node console_nodes[] = {
        H("height", NULL), H("width", NULL), END,
};

static const struct model_node idmap_nodes[] = {
        H("containerID", NULL), H("hostID", NULL), H("size", NULL), END,
};

static const struct model_node idmaps_nodes[] = {
        H("*", idmap_nodes), END,
};

static const struct model_node namespace_nodes[] = {
        H("type", NULL), H("path", NULL), END,
};

static const struct model_node namespaces_nodes[] = {
        H("*", namespace_nodes), END,
};

static const struct model_node device_nodes[] = {
        H("type", NULL), H("path", NULL), H("major", NULL), H("minor", NULL),
        H("fileMode", NULL), H("uid", NULL), H("gid", NULL), END,
};

static const struct model_node devices_nodes[] = {
        H("*", device_nodes), END,
};

static const struct model_node device_rule_nodes[] = {
        H("allow", NULL), H("type", NULL), H("major", NULL), H("minor", NULL),
        H("access", NULL), END,
};

static const struct model_node device_rules_nodes[] = {
        H("*", device_rule_nodes), END,
};

static const struct model_node hook_nodes[] = {
        H("path", NULL), H("args", NULL), H("env", NULL), H("timeout", NULL), END,
};

static const struct model_node hook_list_nodes[] = {
        H("*", hook_nodes), END,
};

static const struct model_node hooks_nodes[] = {
        H("prestart", hook_list_nodes), H("createRuntime", hook_list_nodes),
        H("createContainer", hook_list_nodes), H("startContainer", hook_list_nodes),
        H("poststart", hook_list_nodes), H("poststop", hook_list_nodes), END,
};

static const struct model_node user_nodes[] = {
        J("uid", RULE_USER, NULL),
        J("gid", RULE_USER, NULL),
        H("umask", NULL),
        J("additionalGids", RULE_GROUPS, NULL),
        H("username", NULL), /* Windows */
        END,
};

static const struct model_node process_nodes[] = {
        H("terminal", NULL),
        H("consoleSize", console_nodes),
        H("user", user_nodes),
        H("args", NULL),
        H("commandLine", NULL), /* Windows */
        J("env", RULE_ENV_SECRETS, NULL),
        H("cwd", NULL),
        J("capabilities", RULE_CAPABILITIES, capabilities_nodes),
        J("rlimits", RULE_RLIMITS, rlimits_nodes),
        J("noNewPrivileges", RULE_NO_NEW_PRIVILEGES, NULL),
        J("apparmorProfile", RULE_LSM, NULL),
        J("oomScoreAdj", RULE_RESOURCES, NULL),
        J("selinuxLabel", RULE_LSM, NULL),
        /* runtime-spec 1.1: read by neither runtime yet; the next crun and runc do, and a
         * real-time policy or I/O class starves the host. */
        X("scheduler", "a real-time scheduling policy starves the host's CPUs (crun 1.9, runc 1.2)"),
        X("ioPriority", "the real-time I/O class starves the host's disks (crun 1.9, runc 1.2)"),
        END,
};

static const struct model_node root_nodes[] = {
        J("path", RULE_MOUNTS, NULL),
        J("readonly", RULE_ROOTFS, NULL),
        END,
};

static const struct model_node mount_nodes[] = {
        H("destination", NULL), /* kept inside the rootfs: runc securejoin, crun openat2 */
        J("type", RULE_MOUNT_TYPES, NULL),
        J("source", RULE_MOUNTS, NULL),
        J("options", RULE_MOUNT_OPTIONS, NULL),
        J("uidMappings", RULE_ID_MAPPINGS, idmaps_nodes),
        J("gidMappings", RULE_ID_MAPPINGS, idmaps_nodes),
        END,
};

static const struct model_node mounts_nodes[] = {
        H("*", mount_nodes),
        END,
};

static const struct model_node annotations_nodes[] = {
        J("*", RULE_ANNOTATIONS, NULL),
        END,
};

static const struct model_node memory_nodes[] = {
        J("limit", RULE_RESOURCES, NULL),
        H("reservation", NULL),
        H("swap", NULL),
        H("kernel", NULL),
        H("kernelTCP", NULL),
        H("swappiness", NULL),
        H("disableOOMKiller", NULL),
        H("useHierarchy", NULL),
        H("checkBeforeUpdate", NULL),
        END,
};

static const struct model_node pids_nodes[] = {
        J("limit", RULE_RESOURCES, NULL),
        END,
};

/* Limits only ever constrain the container's own cgroup. */
static const struct model_node resources_nodes[] = {
        J("devices", RULE_DEVICES, device_rules_nodes),
        H("memory", memory_nodes),
        H("cpu", NULL),
        H("pids", pids_nodes),
        H("blockIO", NULL),
        H("hugepageLimits", NULL),
        H("network", NULL),
        H("rdma", NULL),
        J("unified", RULE_RESOURCES, NULL),
        END,
};

static const struct model_node linux_nodes[] = {
        J("devices", RULE_DEVICES, devices_nodes),
        J("uidMappings", RULE_ID_MAPPINGS, idmaps_nodes),
        J("gidMappings", RULE_ID_MAPPINGS, idmaps_nodes),
        J("namespaces", RULE_NAMESPACES, namespaces_nodes),
        H("resources", resources_nodes),
        J("cgroupsPath", RULE_CGROUPS_PATH, NULL),
        J("rootfsPropagation", RULE_MOUNT_OPTIONS, NULL),
        J("seccomp", RULE_SECCOMP, NULL),
        J("sysctl", RULE_SYSCTLS, NULL),
        J("maskedPaths", RULE_MASKED_PATHS, NULL),
        J("readonlyPaths", RULE_MASKED_PATHS, NULL),
        H("mountLabel", NULL), /* SELinux labels of the container's mounts only */
        X("intelRdt", "runc writes the host's resctrl groups (closID names one of the host's)"),
        H("personality", NULL), /* crun: execution domain LINUX or LINUX32 */
        J("netDevices", RULE_NET_DEVICES, NULL),
        H("timeOffsets", NULL), /* the container's own time namespace; read by neither yet */
        END,
};

static const struct model_node config_nodes[] = {
        H("ociVersion", NULL),
        H("process", process_nodes),
        H("root", root_nodes),
        H("hostname", NULL),
        H("domainname", NULL),
        H("mounts", mounts_nodes),
        J("hooks", RULE_HOOKS, hooks_nodes),
        H("annotations", annotations_nodes),
        H("linux", linux_nodes),
        /* Other platforms' sections: neither Linux runtime reads them. */
        H("solaris", NULL),
        H("windows", NULL),
        H("vm", NULL),
        H("zos", NULL),
        END,
};
/* clang-format on */

const struct model_node spec_model_config = H("", config_nodes);
const struct model_node spec_model_process = H("", process_nodes);

/* key equals name under Go's case folding; name is ASCII. Besides ASCII case, U+212A KELVIN SIGN
 * folds to 'k' and U+017F LATIN SMALL LETTER LONG S to 's' (encoding/json's equalFoldRight). */
bool is_go_fold_equal(const char *key, size_t key_len, const char *name)
{
        size_t k = 0;

        for (const char *n = name; *n; n++) {
                char c = (char)(*n | 0x20);
                if (k < key_len && (char)(key[k] | 0x20) == c && (key[k] & 0x80) == 0 &&
                    ((c >= 'a' && c <= 'z') || key[k] == *n)) {
                        k++;
                        continue;
                }
                if (c == 'k' && k + 3 <= key_len && memcmp(key + k, "\xe2\x84\xaa", 3) == 0) {
                        k += 3;
                        continue;
                }
                if (c == 's' && k + 2 <= key_len && memcmp(key + k, "\xc5\xbf", 2) == 0) {
                        k += 2;
                        continue;
                }
                return false;
        }
        return k == key_len;
}

static const struct model_node *find_child(const struct model_node *node, const char *key,
                                           size_t key_len, bool *ret_folded)
{
        *ret_folded = false;
        for (const struct model_node *c = node->children; c && c->key; c++)
                if ((c->key[0] == '*' && !c->key[1]) ||
                    (c->key[0] == key[0] && strlen(c->key) == key_len && strcmp(c->key, key) == 0))
                        return c;
        for (const struct model_node *c = node->children; c && c->key; c++)
                if (is_go_fold_equal(key, key_len, c->key)) {
                        *ret_folded = true;
                        return c;
                }
        return NULL;
}

static int walk(struct rule_ctx *ctx, const struct model_node *node, const struct json *value,
                const char *path, struct hr_error *err);

/* The member key (or, key NULL, the item index) of value under parent. Its JSON path is built
 * only when a refusal or a walk below needs it: a leaf the model takes whole needs none. */
static int judge_member(struct rule_ctx *ctx, const struct model_node *node, const char *parent,
                        const char *key, size_t key_len, size_t index, const struct json *value,
                        struct hr_error *err)
{
        const struct model_node *child;
        char path[RULE_PATH_MAX], wanted[256];
        bool folded;

        if (json_is_null(value))
                return 0; /* absent to Go and to crun */
        child = find_child(node, key ? key : "*", key ? key_len : 1, &folded);
        if (child && !folded && child->verdict != MODEL_REFUSED && !child->children)
                return 0;
        if (key)
                rule_member_path(parent, key, path, sizeof(path));
        else
                rule_index_path(path, parent, index);
        if (folded) {
                snprintf(wanted, sizeof(wanted),
                         "'%s' as the spec spells it (runc reads this key as '%s', crun ignores "
                         "it)",
                         child->key, child->key);
                return rule_refuse(ctx, path, value, wanted, err);
        }
        if (!child)
                return rule_refuse(ctx, path, value,
                                   "only members of runtime-spec 1.0.2/1.1 that hardrun's model "
                                   "of runc and crun knows",
                                   err);
        if (child->verdict == MODEL_REFUSED) {
                snprintf(wanted, sizeof(wanted), "it absent: %s", child->why);
                return rule_refuse(ctx, path, value, wanted, err);
        }
        return walk(ctx, child, value, path, err);
}

static int walk(struct rule_ctx *ctx, const struct model_node *node, const struct json *value,
                const char *path, struct hr_error *err)
{
        int r;

        /* A node without children is taken as a whole (its rule reads it, or it is harmless);
         * a value of another type is the runtime's error to report. */
        if (!node->children)
                return 0;
        if (value->type == JSON_OBJECT) {
                for (size_t i = 0; i < value->object.n; i++) {
                        const struct json_member *m = &value->object.members[i];
                        r = judge_member(ctx, node, path, m->key, m->key_len, 0, m->value, err);
                        if (r < 0)
                                return r;
                }
        } else if (value->type == JSON_ARRAY) {
                for (size_t i = 0; i < value->array.n; i++)
                        if ((r = judge_member(ctx, node, path, NULL, 0, i, value->array.items[i],
                                              err)) < 0)
                                return r;
        }
        return 0;
}

static int apply_spec_model(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        return walk(ctx, ctx->kind == SPEC_PROCESS ? &spec_model_process : &spec_model_config, doc,
                    "", err);
}

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "spec_model",
        .summary = "every member of the spec has a verdict",
        .enforce = "nothing can be rewritten: a member hardrun's model of runc 1.1 and "
                   "crun 1.8 does not know (a later spec's field, a typo), a key that "
                   "equals a known one only in letter case (runc reads it, crun does "
                   "not), and a member the runtimes act on that no rule judges "
                   "(process.scheduler, process.ioPriority, linux.intelRdt) are "
                   "refused, in enforce mode too; audit records them.",
        .deny = "any such member",
        .spec = "every member of config.json and of exec process files",
        .cis = "none (complete mediation)",
        .pss = "none",
};

const struct rule rule_spec_model = {
        .id = RULE_SPEC_MODEL,
        .name = "spec_model",
        .for_process = true,
        .apply = apply_spec_model,
        .doc = &doc,
};
