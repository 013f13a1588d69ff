/* Refusal messages: bounded, one refusal per line, with the engine user's words for the cause. */
#include "refusal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "rules/registry.h"
#include "rules/rule.h"
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

static const char *const engine_label[_ENGINE_MAX] = {
        [ENGINE_DOCKER] = "docker run options",
        [ENGINE_NERDCTL] = "nerdctl run options",
        [ENGINE_PODMAN] = "podman run options",
        [ENGINE_KUBERNETES] = "pod spec settings",
};

/* The engine user's words for what caused one refusal, from its rule; false when there are
 * none. cli: the run options docker, nerdctl and podman share, else a pod spec's fields. */
static bool term_for(bool cli, const struct finding *f, const struct json *spec, char *buf,
                     size_t size)
{
        const struct rule *rule = rule_get(f->rule);

        return rule && rule->engine_term && rule->engine_term(f, spec, cli, buf, size);
}

/* "pod spec settings behind this: hostNetwork: true, ..." — each term once. */
static void add_terms(struct out *o, enum engine e, const struct findings *found,
                      const struct json *spec, size_t limit)
{
        bool cli = e != ENGINE_KUBERNETES;
        size_t start = o->len, listed = 0;
        char term[400];

        for (size_t i = 0; i < found->n; i++) {
                const struct finding *f = &found->items[i];
                bool seen = false;
                if (f->action != FINDING_DENIED || !term_for(cli, f, spec, term, sizeof(term)))
                        continue;
                for (size_t j = 0; j < i && !seen; j++) {
                        char other[400];
                        seen = found->items[j].action == FINDING_DENIED &&
                               term_for(cli, &found->items[j], spec, other, sizeof(other)) &&
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
