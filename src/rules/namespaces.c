/* namespaces: the container gets its own network, pid, ipc, uts and mount namespaces. An entry
 * that joins a namespace by path is kept when it is another container's (Kubernetes pods join
 * their pause container, `docker run --network container:X`) and refused when the path is the
 * host's own namespace (hostNetwork pods join /proc/<pid>/ns/net of a host process): compare
 * the namespace files' device and inode with PID 1's, never just "has a path".
 *
 * A missing entry means the host's namespace. Docker, podman and ctr leave one out when they
 * add none: a private one is added. The CRI engines leave one out only when the pod asked for
 * the node's (hostNetwork, hostPID, hostIPC): a private one would cut the pod off what it
 * asked for without a word, so that is refused, naming the request; an exemption from this
 * rule admits it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

/* OCI type → /proc/1/ns name, and the pod field that leaves it out of a CRI spec (the node's
 * hostname comes with hostNetwork). The user and cgroup namespaces are not required (rootful
 * engines run without a user namespace), but one that is the host's is still refused. */
static const struct {
        const char *type;
        const char *proc_name;
        bool required;
        const char *pod_field;
} kinds[] = {
        {"network", "net", true, "hostNetwork"},
        {"pid", "pid", true, "hostPID"},
        {"ipc", "ipc", true, "hostIPC"},
        {"uts", "uts", true, "hostNetwork"},
        {"mount", "mnt", true, NULL},
        {"user", "user", false, NULL},
        {"cgroup", "cgroup", false, NULL},
};

/* Whether a CRI engine wrote the spec for a pod: containerd's and CRI-O's container-type
 * annotation on the pause container and on every container of the pod. */
static bool is_pod_spec(const struct json *doc)
{
        static const char *const keys[] = {"io.kubernetes.cri.container-type",
                                           "io.kubernetes.cri-o.ContainerType"};
        const struct json *annotations = json_object_get(doc, "annotations");

        if (!annotations || annotations->type != JSON_OBJECT)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const struct json *v = json_object_get(annotations, keys[i]);
                if (json_is_clean_string(v) && (strcmp(v->scalar.text, "sandbox") == 0 ||
                                                strcmp(v->scalar.text, "container") == 0))
                        return true;
        }
        return false;
}

/* The pod asked for the node's namespace of kinds[k]: refused, saying which request. */
static int refuse_node_namespace(struct rule_ctx *ctx, size_t k, struct hr_error *err)
{
        char what[160], wanted[160];
        struct json *before;
        int r;

        snprintf(what, sizeof(what), "no '%s' entry: the node's %s namespace (%s)", kinds[k].type,
                 kinds[k].type,
                 kinds[k].pod_field ? kinds[k].pod_field : "no pod field asks for it");
        snprintf(wanted, sizeof(wanted),
                 "a %s namespace of the pod's own, or an exemption from rule 'namespaces'",
                 kinds[k].type);
        if (!(before = json_new_string(what)))
                return error_set(err, -ENOMEM, "out of memory");
        r = rule_refuse(ctx, "/linux/namespaces", before, wanted, err);
        json_free(before);
        return r;
}

bool is_host_namespace(const char *proc_name, const char *path)
{
        static const char *const owners[] = {"1", "self"};
        struct stat st;

        if (stat(path, &st) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(owners); i++) {
                char host_path[64];
                struct stat host;
                snprintf(host_path, sizeof(host_path), "/proc/%s/ns/%s", owners[i], proc_name);
                if (stat(host_path, &host) == 0 && host.st_dev == st.st_dev &&
                    host.st_ino == st.st_ino)
                        return true;
        }
        return false;
}

static int apply_namespaces(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *list;
        bool present[ELEMENTSOF(kinds)] = {false};
        bool pod;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "namespaces", JSON_ARRAY, true, &list, err);
        if (r < 0)
                return r;
        pod = is_pod_spec(doc);

        for (size_t i = 0; i < list->array.n; i++) {
                struct json *ns = list->array.items[i], *type, *path;
                char item_path[RULE_PATH_MAX];
                size_t k;

                if ((r = rule_namespace_type(ctx, ns, i, item_path, &type, err)) < 0)
                        return r;
                for (k = 0; k < ELEMENTSOF(kinds); k++)
                        if (strcmp(type->scalar.text, kinds[k].type) == 0)
                                break;
                if (k == ELEMENTSOF(kinds))
                        continue; /* time, or a type a newer spec adds: not ours to judge */
                present[k] = true;
                if ((r = rule_field(ctx, ns, item_path, "path", JSON_STRING, false, &path, err)) <
                    0)
                        return r;
                if (r == 1 && is_host_namespace(kinds[k].proc_name, path->scalar.text)) {
                        char wanted[160];
                        snprintf(item_path, sizeof(item_path), "/linux/namespaces/%zu/path", i);
                        /* A pod's containers join the pause container's: the node's when the
                         * pod asked for it. */
                        if (pod && kinds[k].pod_field)
                                snprintf(wanted, sizeof(wanted),
                                         "a %s namespace of the pod's own, not the node's (%s), "
                                         "or an exemption from rule 'namespaces'",
                                         kinds[k].type, kinds[k].pod_field);
                        else
                                snprintf(wanted, sizeof(wanted),
                                         "a %s namespace of the container's own", kinds[k].type);
                        /* Dropping the path would cut the workload off what it asked to join
                         * (a hostNetwork pod's network): refuse instead. */
                        if ((r = rule_refuse(ctx, item_path, path, wanted, err)) < 0)
                                return r;
                }
        }

        /* A missing entry means the host's namespace. */
        for (size_t k = 0; k < ELEMENTSOF(kinds); k++) {
                if (present[k] || !kinds[k].required)
                        continue;
                if ((r = pod ? refuse_node_namespace(ctx, k, err)
                             : rule_namespace_append(ctx, list, kinds[k].type, err)) < 0)
                        return r;
        }
        return 0;
}

int rule_namespace_type(struct rule_ctx *ctx, struct json *ns, size_t i,
                        char item_path[static RULE_PATH_MAX], struct json **ret,
                        struct hr_error *err)
{
        int r;

        snprintf(item_path, RULE_PATH_MAX, "/linux/namespaces/%zu", i);
        if (ns->type != JSON_OBJECT)
                return rule_fail(ctx, item_path, err, "expected object, got %s",
                                 json_type_name(ns->type));
        r = rule_field(ctx, ns, item_path, "type", JSON_STRING, false, ret, err);
        if (r < 0)
                return r;
        if (r == 0)
                return rule_fail(ctx, item_path, err, "namespace without a type");
        return 0;
}

int rule_namespace_append(struct rule_ctx *ctx, struct json *list, const char *type,
                          struct hr_error *err)
{
        struct json *ns = json_new_object();
        char path[RULE_PATH_MAX];
        int r;

        if (!ns || json_object_set(ns, "type", json_new_string(type)) < 0) {
                json_free(ns);
                return error_set(err, -ENOMEM, "out of memory");
        }
        snprintf(path, sizeof(path), "/linux/namespaces/%zu", list->array.n);
        if ((r = rule_record(ctx, path, NULL, ns, err)) < 0) {
                json_free(ns);
                return r;
        }
        if ((r = json_array_append(list, ns)) < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

static const char *const owns[] = {"/linux/namespaces", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "namespaces",
        .summary = "the container has its own network, pid, ipc, uts and mount "
                   "namespaces",
        .enforce = "a missing network, pid, ipc, uts or mount namespace is added (a "
                   "private one), except in a spec a CRI engine wrote for a pod "
                   "(container-type annotation): there it means the pod asked for the "
                   "node's (hostNetwork, hostPID, hostIPC) and is refused, naming the "
                   "request, in enforce mode too. An entry whose path is the host's "
                   "own namespace (the "
                   "device and inode of PID 1's namespace file) cannot be fixed by a "
                   "rewrite and is refused, in enforce mode too; joining another "
                   "container's namespace by path (pods, --network container:X) stays "
                   "allowed.",
        .deny = "a required namespace missing, or any namespace path that is the "
                "host's",
        .spec = "linux.namespaces[].type, linux.namespaces[].path",
        .cis = "5.10 (the host's network namespace is not shared), 5.16 (the host's "
               "process namespace is not shared), 5.17 (the host's IPC namespace is not "
               "shared), 5.21 (the host's UTS namespace is not shared), 5.31 (the "
               "Docker host user namespace is not shared)",
        .pss = "baseline: Host Namespaces (hostNetwork, hostPID, hostIPC)",
};

/* The run option or pod field that shares a host namespace, by type; a pod has none for the
 * cgroup namespace. */
static const struct {
        const char *type, *cli, *pod;
} ns_terms[] = {
        {"network", "--network=host", "hostNetwork: true"},
        {"pid", "--pid=host", "hostPID: true"},
        {"ipc", "--ipc=host", "hostIPC: true"},
        {"uts", "--uts=host", "hostNetwork: true"},
        {"user", "--userns=host", "hostUsers: true"},
        {"cgroup", "--cgroupns=host", NULL},
};

/* The namespace type a finding of this rule is about. */
static const char *namespace_type(const struct finding *f, const struct json *spec,
                                  char buf[static 16])
{
        const struct json *linux_obj = spec ? json_object_get(spec, "linux") : NULL;
        const struct json *ns;
        const char *rest = NULL;

        if (strcmp(f->path, "/linux/namespaces") == 0) {
                /* The node's namespace a pod asked for: "no 'network' entry: ..." */
                if (json_is_clean_string(f->before) &&
                    sscanf(f->before->scalar.text, "no '%15[a-z]' entry", buf) == 1)
                        return buf;
                return NULL;
        }
        if (f->after && (!f->before))
                return term_string_member(f->after, "type"); /* added: the host's was used */
        ns = term_array_item(linux_obj, "namespaces", f->path, "/linux/namespaces/", &rest);
        return ns ? term_string_member(ns, "type") : NULL;
}

static bool engine_term_namespaces(const struct finding *f, const struct json *spec, bool cli,
                                   char *buf, size_t size)
{
        char type[16];
        const char *ns = namespace_type(f, spec, type);

        for (size_t i = 0; ns && i < ELEMENTSOF(ns_terms); i++)
                if (strcmp(ns, ns_terms[i].type) == 0)
                        return term_words(cli, ns_terms[i].cli, ns_terms[i].pod, buf, size);
        return false;
}

const struct rule rule_namespaces = {
        .id = RULE_NAMESPACES,
        .name = "namespaces",
        .owns = owns,
        .for_process = false,
        .apply = apply_namespaces,
        .engine_term = engine_term_namespaces,
        .doc = &doc,
};
