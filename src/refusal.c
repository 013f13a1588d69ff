/* Refusal messages: bounded, one refusal per line, with the engine user's words for the cause. */
#include "refusal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "util/cleanup.h"

/* ---- the engine ---- */

static const char *annotation(const struct json *spec, const char *key)
{
        const struct json *a = spec ? json_object_get(spec, "annotations") : NULL;
        const struct json *v = a && a->type == JSON_OBJECT ? json_object_get(a, key) : NULL;

        return json_is_clean_string(v) ? v->scalar.text : NULL;
}

static bool has_annotation_prefix(const struct json *spec, const char *prefix)
{
        const struct json *a = spec ? json_object_get(spec, "annotations") : NULL;

        if (!a || a->type != JSON_OBJECT)
                return false;
        for (size_t i = 0; i < a->object.n; i++)
                if (strncmp(a->object.members[i].key, prefix, strlen(prefix)) == 0)
                        return true;
        return false;
}

/* Docker bind-mounts the files it writes per container from <data-root>/containers/<id>/. */
static bool is_docker_file_mount(const struct json *m)
{
        static const char *const names[] = {"resolv.conf", "hostname", "hosts"};
        const struct json *src = json_object_get(m, "source");
        const struct json *dst = json_object_get(m, "destination");
        const char *base, *id;

        if (!json_is_clean_string(src) || !json_is_clean_string(dst) ||
            strncmp(dst->scalar.text, "/etc/", 5) != 0)
                return false;
        base = strrchr(src->scalar.text, '/');
        if (!base || strcmp(base + 1, dst->scalar.text + 5) != 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                if (strcmp(base + 1, names[i]) != 0)
                        continue;
                /* .../containers/<64 hex>/name */
                id = base - 64;
                if (id - src->scalar.text < (ptrdiff_t)strlen("/containers/") ||
                    strncmp(id - strlen("/containers/"), "/containers/", 12) != 0)
                        return false;
                for (int k = 0; k < 64; k++)
                        if (!isxdigit((unsigned char)id[k]))
                                return false;
                return true;
        }
        return false;
}

enum engine engine_from_spec(const struct json *spec, const char *bundle)
{
        const struct json *mounts = spec ? json_object_get(spec, "mounts") : NULL;
        const char *manager = annotation(spec, "io.container.manager");

        /* podman writes some io.kubernetes.cri-o.* keys too: its own mark comes first. */
        if (manager && strcmp(manager, "libpod") == 0)
                return ENGINE_PODMAN;
        if (annotation(spec, "io.kubernetes.cri.container-type") ||
            annotation(spec, "io.kubernetes.cri-o.ContainerType"))
                return ENGINE_KUBERNETES;
        if (has_annotation_prefix(spec, "nerdctl/"))
                return ENGINE_NERDCTL;
        if (bundle && strstr(bundle, "/io.containerd.runtime.v2.task/moby/"))
                return ENGINE_DOCKER;
        if (mounts && mounts->type == JSON_ARRAY)
                for (size_t i = 0; i < mounts->array.n; i++)
                        if (mounts->array.items[i]->type == JSON_OBJECT &&
                            is_docker_file_mount(mounts->array.items[i]))
                                return ENGINE_DOCKER;
        return ENGINE_UNKNOWN;
}

/* ---- bounded output ---- */

struct out {
        char *buf;
        size_t size, len;
};

/* Appends the text whole, or nothing when it would not fit below limit. */
static bool out_add(struct out *o, size_t limit, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static bool out_add(struct out *o, size_t limit, const char *fmt, ...)
{
        va_list ap;
        int n;

        if (limit > o->size)
                limit = o->size;
        if (o->len >= limit)
                return false;
        va_start(ap, fmt);
        n = vsnprintf(o->buf + o->len, limit - o->len, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= limit - o->len) {
                o->buf[o->len] = '\0';
                return false;
        }
        o->len += (size_t)n;
        return true;
}

/* ---- the engine's terms ---- */

enum terms {
        TERMS_CLI, /* docker, nerdctl and podman run share these flags */
        TERMS_POD,
};

static const char *const engine_label[_ENGINE_MAX] = {
        [ENGINE_DOCKER] = "docker run options",
        [ENGINE_NERDCTL] = "nerdctl run options",
        [ENGINE_PODMAN] = "podman run options",
        [ENGINE_KUBERNETES] = "pod spec settings",
};

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

static const struct json *array_item(const struct json *spec, const char *member, const char *path,
                                     const char *prefix, const char **rest)
{
        const struct json *list;
        char *end;
        unsigned long i;

        if (!spec || strncmp(path, prefix, strlen(prefix)) != 0)
                return NULL;
        list = json_object_get(spec, member);
        if (!list || list->type != JSON_ARRAY)
                return NULL;
        i = strtoul(path + strlen(prefix), &end, 10);
        if (end == path + strlen(prefix) || i >= list->array.n)
                return NULL;
        *rest = end;
        return list->array.items[i];
}

static const char *string_member(const struct json *obj, const char *key)
{
        const struct json *v = obj && obj->type == JSON_OBJECT ? json_object_get(obj, key) : NULL;

        return json_is_clean_string(v) ? v->scalar.text : NULL;
}

/* The namespace type a namespaces finding is about. */
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
                return string_member(f->after, "type"); /* added: the host's was used */
        ns = array_item(linux_obj, "namespaces", f->path, "/linux/namespaces/", &rest);
        return ns ? string_member(ns, "type") : NULL;
}

/* A mount of the engine's own making: no run option asked for it. */
static bool is_engine_mount(const char *destination)
{
        static const char *const own[] = {"/etc/resolv.conf",   "/etc/hostname",
                                          "/etc/hosts",         "/dev/shm",
                                          "/run/.containerenv", "/dev/termination-log"};

        for (size_t i = 0; i < ELEMENTSOF(own); i++)
                if (strcmp(destination, own[i]) == 0)
                        return true;
        return false;
}

/* A path as the user typed it: bare when it is plain printable text, else quoted JSON (the
 * spec is hostile input: no byte of it may break the line). */
static void shown_path(const struct json *v, char *buf, size_t size)
{
        bool plain = json_is_clean_string(v) && v->scalar.len < 120;

        for (size_t i = 0; plain && i < v->scalar.len; i++)
                plain = isgraph((unsigned char)v->scalar.text[i]) && v->scalar.text[i] != '"' &&
                        v->scalar.text[i] != ',';
        if (plain)
                snprintf(buf, size, "%s", v->scalar.text);
        else
                json_render(v, "", 120, buf, size);
}

/* The engine user's words for what caused one refusal; false when there are none. */
static bool term_for(enum terms t, const struct finding *f, const struct json *spec, char *buf,
                     size_t size)
{
        const char *rest = NULL;
        char type[16];
        bool cli = t == TERMS_CLI;

        switch (f->rule) {
        case RULE_PRIVILEGED:
                snprintf(buf, size, "%s",
                         cli ? "--privileged" : "securityContext.privileged: true");
                return true;
        case RULE_NAMESPACES: {
                const char *ns = namespace_type(f, spec, type);
                for (size_t i = 0; ns && i < ELEMENTSOF(ns_terms); i++)
                        if (strcmp(ns, ns_terms[i].type) == 0 && (cli || ns_terms[i].pod)) {
                                snprintf(buf, size, "%s", cli ? ns_terms[i].cli : ns_terms[i].pod);
                                return true;
                        }
                return false;
        }
        case RULE_MOUNTS: {
                const struct json *m = array_item(spec, "mounts", f->path, "/mounts/", &rest);
                const char *src = string_member(m, "source"),
                           *dst = string_member(m, "destination");
                char s[160], d[160];
                if (!m || strcmp(rest, "/source") != 0 || !src || !dst || is_engine_mount(dst))
                        return false;
                shown_path(json_object_get(m, "source"), s, sizeof(s));
                shown_path(json_object_get(m, "destination"), d, sizeof(d));
                if (cli)
                        snprintf(buf, size, "-v %s:%s", s, d);
                else
                        snprintf(buf, size, "%s %s at %s",
                                 strncmp(src, "/var/lib/kubelet/", 17) == 0 ? "volume from"
                                                                            : "hostPath volume",
                                 s, d);
                return true;
        }
        case RULE_USER:
                if (strcmp(f->path, "/process/user/uid") != 0)
                        return false;
                snprintf(buf, size, "%s",
                         cli ? "running as root (give --user UID:GID)"
                             : "running as root (set runAsNonRoot: true and runAsUser)");
                return true;
        case RULE_CAPABILITIES:
                snprintf(buf, size, "%s",
                         cli ? "capabilities (--cap-add, or the default set: --cap-drop ALL)"
                             : "securityContext.capabilities (drop: [ALL])");
                return true;
        case RULE_SECCOMP:
                if (f->before)
                        return false; /* the engine's own profile: nothing the user chose */
                snprintf(buf, size, "%s",
                         cli ? "--security-opt seccomp=unconfined" : "seccompProfile: Unconfined");
                return true;
        case RULE_LSM:
                snprintf(buf, size, "%s",
                         cli ? "--security-opt apparmor=/label="
                             : "appArmorProfile/seLinuxOptions");
                return true;
        case RULE_NO_NEW_PRIVILEGES:
                snprintf(buf, size, "%s",
                         cli ? "no --security-opt no-new-privileges"
                             : "allowPrivilegeEscalation not false");
                return true;
        case RULE_ROOTFS:
                if (strcmp(f->path, "/root/readonly") != 0)
                        return false;
                snprintf(buf, size, "%s",
                         cli ? "no --read-only" : "readOnlyRootFilesystem not true");
                return true;
        case RULE_DEVICES:
                if (!cli)
                        return false;
                snprintf(buf, size, "--device");
                return true;
        case RULE_SYSCTLS:
                snprintf(buf, size, "%s", cli ? "--sysctl" : "securityContext.sysctls");
                return true;
        case RULE_RESOURCES:
                if (strcmp(f->path, "/linux/resources/pids/limit") == 0 && cli)
                        snprintf(buf, size, "no --pids-limit");
                else if (strcmp(f->path, "/linux/resources/memory/limit") == 0)
                        snprintf(buf, size, "%s",
                                 cli ? "no --memory" : "no resources.limits.memory");
                else
                        return false;
                return true;
        case RULE_ENV_SECRETS:
                snprintf(buf, size, "%s", cli ? "a secret in -e/--env" : "a secret in env");
                return true;
        case RULE_IMAGE:
                snprintf(buf, size, "the image");
                return true;
        /* Nothing a run option or pod field asks for by that name. */
        case RULE_USER_NAMESPACE:
        case RULE_MOUNT_OPTIONS:
        case RULE_MASKED_PATHS:
        case RULE_HOOKS:
        case RULE_RLIMITS:
        case RULE_NET_DEVICES:
        case RULE_SPEC_MODEL:
        case RULE_ANNOTATIONS:
        case RULE_MOUNT_TYPES:
        case RULE_ID_MAPPINGS:
        case RULE_GROUPS:
        case RULE_CGROUPS_PATH:
        case _RULE_MAX:
        case _RULE_INVALID:
                break;
        }
        return false;
}

/* "pod spec settings behind this: hostNetwork: true, ..." — each term once. */
static void add_terms(struct out *o, enum engine e, const struct findings *found,
                      const struct json *spec, size_t limit)
{
        enum terms t = e == ENGINE_KUBERNETES ? TERMS_POD : TERMS_CLI;
        size_t start = o->len, listed = 0;
        char term[400];

        for (size_t i = 0; i < found->n; i++) {
                const struct finding *f = &found->items[i];
                bool seen = false;
                if (f->action != FINDING_DENIED || !term_for(t, f, spec, term, sizeof(term)))
                        continue;
                for (size_t j = 0; j < i && !seen; j++) {
                        char other[400];
                        seen = found->items[j].action == FINDING_DENIED &&
                               term_for(t, &found->items[j], spec, other, sizeof(other)) &&
                               strcmp(other, term) == 0;
                }
                if (seen)
                        continue;
                if (!out_add(o, limit, "%s%s", listed ? ", " : "", term)) {
                        (void)out_add(o, limit + 8, "%s", listed ? ", ..." : "");
                        break;
                }
                listed++;
        }
        if (listed == 0) {
                o->len = start;
                o->buf[o->len] = '\0';
        }
}

/* ---- the message ---- */

static const struct finding *first_refusal(const struct findings *found, size_t *ret_denied)
{
        const struct finding *first = NULL;

        *ret_denied = 0;
        /* A field to fix comes first: a report (privileged, secrets) only when there is
         * nothing else. */
        for (size_t i = 0; i < found->n; i++)
                if (found->items[i].action == FINDING_DENIED) {
                        if (!first || (first->report_only && !found->items[i].report_only))
                                first = &found->items[i];
                        (*ret_denied)++;
                }
        return first;
}

static void refusal_line(struct out *o, size_t limit, const struct refusal *r,
                         const struct finding *f, size_t max_value)
{
        char before[FINDING_VALUE_SHOWN_SIZE], after[FINDING_VALUE_SHOWN_SIZE];

        json_render(f->before, "(absent)",
                    f->before && f->before->type == JSON_STRING ? max_value : 60, before,
                    sizeof(before));
        if (f->after)
                json_render(f->after, "(absent)", f->after->type == JSON_STRING ? max_value : 60,
                            after, sizeof(after));
        else
                snprintf(after, sizeof(after), "it removed");
        (void)out_add(o, limit, "\n%s: '%s': %s is not allowed by rule '%s' (policy needs %s)",
                      r->file, f->path, before, rule_id_to_string(f->rule), after);
}

/* Room kept after the listed refusals for the count of the rest (a few hundred bytes), the
 * engine's terms and the contact line (HR_CONTACT_MAX). */
#define REFUSAL_TAIL_SIZE 2560u
#define REFUSAL_LINE_VALUE_MAX 200u

void refusal_format(const struct refusal *r, const struct findings *found, char *buf, size_t size)
{
        struct out o = {buf, size, 0};
        size_t denied, listed = 1;
        size_t body = size > 2 * REFUSAL_TAIL_SIZE ? size - REFUSAL_TAIL_SIZE : size / 2;
        size_t contact_room = r->contact && *r->contact ? strlen(r->contact) + 2 : 0;
        size_t tail = size > contact_room ? size - contact_room : 0;
        const struct finding *first = first_refusal(found, &denied);
        size_t left[_RULE_MAX] = {0};
        char before[FINDING_VALUE_SHOWN_SIZE], after[FINDING_VALUE_SHOWN_SIZE];
        int n;

        buf[0] = '\0';
        if (!first) {
                snprintf(buf, size, "%s: refusing the %s", r->file, r->what);
                refusal_append_contact(r->contact, buf, size);
                return;
        }
        /* The first line as it always was: whole paths, the cause in full (cut only where it
         * would crowd out the rest). */
        finding_render(first->before, "(absent)", before, sizeof(before));
        if (first->after)
                finding_render(first->after, "(absent)", after, sizeof(after));
        else
                snprintf(after, sizeof(after), "it removed");
        n = snprintf(buf, body,
                     "%s: '%s': %s is not allowed by rule '%s' (policy needs %s); "
                     "refusing the %s",
                     r->file, first->path, before, rule_id_to_string(first->rule), after, r->what);
        o.len = strlen(buf);
        if (n < 0 || (size_t)n >= body) {
                memcpy(buf + o.len - 3, "...", 3);
                body = o.len; /* no room for more lines */
        }
        if (denied > 1)
                (void)out_add(&o, tail, " (%zu refusals)", denied);

        for (size_t i = 0; i < found->n; i++) {
                const struct finding *f = &found->items[i];
                size_t mark = o.len;
                if (f->action != FINDING_DENIED || f == first)
                        continue;
                if (listed < REFUSAL_LINES_MAX) {
                        refusal_line(&o, body, r, f, REFUSAL_LINE_VALUE_MAX);
                        if (o.len != mark) {
                                listed++;
                                continue;
                        }
                }
                left[f->rule]++;
        }
        if (listed < denied) {
                size_t mark = o.len;
                bool complete = out_add(&o, tail, "\nand %zu more:", denied - listed);
                for (int i = 0; i < _RULE_MAX && complete; i++)
                        if (left[i])
                                complete = out_add(&o, tail, "%s %s (%zu)",
                                                   o.buf[o.len - 1] == ':' ? "" : ",",
                                                   rule_id_to_string((enum rule_id)i), left[i]);
                if (!complete || !out_add(&o, tail, "; the audit log has every one")) {
                        o.len = mark;
                        buf[mark] = '\0';
                        (void)out_add(&o, tail, "\nand %zu more in the audit log", denied - listed);
                }
        }
        if (r->engine != ENGINE_UNKNOWN && r->spec) {
                size_t mark = o.len;
                if (out_add(&o, tail, "\n%s behind this: ", engine_label[r->engine])) {
                        size_t terms = o.len;
                        add_terms(&o, r->engine, found, r->spec, tail > 8 ? tail - 8 : 0);
                        if (o.len == terms) {
                                o.len = mark;
                                buf[mark] = '\0';
                        }
                }
        }
        refusal_append_contact(r->contact, buf, size);
}

void refusal_append_contact(const char *contact, char *buf, size_t size)
{
        size_t len = strlen(buf);

        if (contact && *contact && len + strlen(contact) + 2 <= size)
                snprintf(buf + len, size - len, "\n%s", contact);
}
