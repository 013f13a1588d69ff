/* The helpers the rules share: reading a spec as the runtimes read it, recording findings, and
 * the facts several rules need (standard devices, bind mounts, paths, namespaces). */
#pragma once

#include <stdbool.h>

#include "findings.h"
#include "json.h"
#include "policy.h"
#include "rules/rule.h"
#include "util/error.h"

#define RULE_PATH_MAX 256

/* Looks up parent[key] as the runtimes read it: a JSON null counts as absent (Go decodes it to a
 * nil pointer), a key that differs only in case is an error (runc and crun disagree on it), a
 * value of another type is an error. Returns 1 found, 0 absent. With create, an absent object
 * or array is added (empty) and 1 returned. */
int rule_field(struct rule_ctx *ctx, struct json *parent, const char *parent_path, const char *key,
               enum json_type type, bool create, struct json **ret, struct hr_error *err);

/* Sets parent[key] = value (taking ownership) and records the finding. */
int rule_set(struct rule_ctx *ctx, struct json *parent, const char *parent_path, const char *key,
             struct json *value, struct hr_error *err);

/* parent + "/" + key and parent + "/" + index, cut at RULE_PATH_MAX as snprintf would: JSON
 * paths of fields and items at a fraction of snprintf's cost (rules make one per item, by the
 * thousand for mounts). key is a field name the rule knows, not a map key (see below). */
void rule_key_path(char buf[static RULE_PATH_MAX], const char *parent, const char *key);
void rule_index_path(char buf[static RULE_PATH_MAX], const char *parent, size_t index);

/* parent + "/" + key as a JSON pointer: '~' and '/' in the key (a map key: a sysctl, an
 * interface or hook kind name) written as ~0 and ~1, so a path names one member only. */
void rule_member_path(const char *parent, const char *key, char *buf, size_t size);

/* Records a finding; for changes made in place by the rule. */
int rule_record(struct rule_ctx *ctx, const char *path, const struct json *before,
                const struct json *after, struct hr_error *err);

/* Records something no rewrite can make safe (a host path mounted in, a host namespace the
 * workload needs): refused in enforce mode too, recorded in audit mode. after says what the
 * policy wants, as a string. */
int rule_refuse(struct rule_ctx *ctx, const char *path, const struct json *before,
                const char *wanted, struct hr_error *err);

/* Records a runtime flag the policy objects to (an inline exec's --user, --cap, ...), at
 * "/argv/FLAG" with the flag's value as before: argv is passed on as it is, so no rewrite can
 * make it safe (enforce refuses it, like rule_refuse()). wanted says what the policy wants, or
 * NULL. */
int rule_refuse_flag(struct rule_ctx *ctx, const char *flag, const char *value, const char *wanted,
                     struct hr_error *err);

/* Records a fact with nothing to rewrite (a privileged-looking spec, a secret in the
 * environment): logged as "detected" in enforce and audit mode, refused in deny mode. before
 * must never hold a secret: callers pass a redacted value. */
int rule_report(struct rule_ctx *ctx, const char *path, const struct json *before, const char *what,
                struct hr_error *err);

/* The process object of the spec: config.json's "process", or the whole exec process file.
 * Returns 1 with *ret and its path prefix ("" or "/process"), 0 when there is none. */
int rule_process(struct rule_ctx *ctx, struct json *doc, struct json **ret, const char **ret_prefix,
                 struct hr_error *err);

/* Reads an unsigned integer field as Go decodes uint32: error on anything else. */
int rule_uint32(struct rule_ctx *ctx, const struct json *value, const char *path, uint32_t *ret,
                struct hr_error *err);

/* Whether the namespace file at path is the host's namespace of that kind (proc_name as in
 * /proc/PID/ns/: "net", "user", ...). The host's namespace is PID 1's; where PID 1 cannot be
 * inspected (hardrun itself confined), the runtime's own, which is what runc compares with too. */
bool is_host_namespace(const char *proc_name, const char *path);

/* Item i of linux.namespaces, ns, must be an object with a type: *ret is the type, item_path
 * the item's path ("/linux/namespaces/I"). */
int rule_namespace_type(struct rule_ctx *ctx, struct json *ns, size_t i,
                        char item_path[static RULE_PATH_MAX], struct json **ret,
                        struct hr_error *err);

/* Appends {"type": type} to linux.namespaces (list) and records it. */
int rule_namespace_append(struct rule_ctx *ctx, struct json *list, const char *type,
                          struct hr_error *err);

/* Fails on the first item of list (at path) that is not of type: "expected X, got Y". */
int rule_check_items(struct rule_ctx *ctx, const struct json *list, const char *path,
                     enum json_type type, struct hr_error *err);

/* The device nodes runc and crun create in every container (null, zero, full, random, urandom,
 * tty, console, ptmx): naming them in linux.devices grants nothing. */
struct rule_device {
        char type;
        long long major, minor;
};
extern const struct rule_device rule_standard_devices[8];

/* Whether a device cgroup rule allows more than named character devices (the devices rule
 * removes such rules; `update` refuses them). */
bool devices_allow_is_broad(const struct json *rule);

/* Whether a linux.devices entry is one of rule_standard_devices; a malformed one is not. */
bool is_standard_device(const struct json *dev);

/* Whether runc and crun bind-mount it: type "bind", or a "bind" or "rbind" element in options.
 * type (a string) and options (an array) may be NULL. */
bool is_bind_mount(const struct json *type, const struct json *options);

/* "/a//b/./c/" → "/a/b/c", enough to compare paths; ".." stays a component. False when the
 * result does not fit in size: out then holds the components that did. */
/* The next component of a path at *cursor other than "" and ".": its start in *ret_start and
 * its length; 0 at the end. Advances *cursor past it. */
size_t rule_path_component(const char **cursor, const char **ret_start);
bool rule_clean_path(const char *in, char *out, size_t size);

/* "expected X, got Y" and friends, naming file and JSON path. */
int rule_fail(struct rule_ctx *ctx, const char *path, struct hr_error *err, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

/* Whether the config's process runs in a user namespace of its own whose uid and gid mappings
 * keep every container id off host id 0, or will once rule user_namespace (in enforce mode,
 * later in the table) has run; for an exec process file, whether the container runs in one
 * hardrun gave it. False when not certain: no namespace, one joined by path, odd types, an
 * exemption from user_namespace. */
bool user_namespace_remaps_root(const struct rule_ctx *ctx, const struct json *doc);

/* The annotations runc and crun read, with a verdict each (rules/annotations.c): the first entry
 * whose key equals the annotation, or whose key ends in '*' and prefixes it, applies. */
enum annotation_verdict {
        ANNOTATION_STRIPPED, /* removed by rule annotations unless the policy allows the key */
        ANNOTATION_HARMLESS, /* no runtime reads it, or reading it changes nothing that matters */
};
struct annotation_model {
        const char *key;
        enum annotation_verdict verdict;
        const char *why;
};
extern const struct annotation_model annotation_model[]; /* ends at a NULL key */
const struct annotation_model *annotation_model_find(const char *key);

/* Refuses (rule_refuse) every mapping of list, at list_path, whose host range holds id 0 (an
 * absent hostID is 0 to Go); fails on a malformed one. */
int id_mappings_check(struct rule_ctx *ctx, struct json *list, const char *list_path,
                      struct hr_error *err);
