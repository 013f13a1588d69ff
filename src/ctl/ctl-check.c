/* Formatting of lint findings for hardrunctl check. */
#include "ctl-check.h"

#include <errno.h>
#include <string.h>

static const char *const colors[_LINT_SEVERITY_MAX] = {
        [LINT_WARNING] = "\033[33m",
        [LINT_ERROR] = "\033[31m",
        [LINT_DENY] = "\033[1;31m",
};

void ctl_check_print_text(FILE *out, const struct lint_spec *s, bool color)
{
        size_t count[_LINT_SEVERITY_MAX] = {0};

        for (size_t i = 0; i < s->found.n; i++) {
                const struct finding *f = &s->found.items[i];
                enum lint_severity sev = s->severity[i];
                char before[FINDING_VALUE_SHOWN_SIZE], after[FINDING_VALUE_SHOWN_SIZE];

                count[sev]++;
                finding_render(f->before, "(absent)", before, sizeof(before));
                finding_render(f->after, "(removed)", after, sizeof(after));
                fprintf(out, "%s: %s%s%s: %s: %s: %s -> %s\n", s->file, color ? colors[sev] : "",
                        lint_severity_to_string(sev), color ? "\033[0m" : "",
                        rule_id_to_string(f->rule), f->path, before, after);
        }
        if (s->found.n == 0)
                fprintf(out, "%s: compliant\n", s->file);
        else
                fprintf(out, "%s: %zu finding%s: %zu deny, %zu error, %zu warning\n", s->file,
                        s->found.n, s->found.n == 1 ? "" : "s", count[LINT_DENY], count[LINT_ERROR],
                        count[LINT_WARNING]);
}

static int set_string(struct json *obj, const char *key, const char *value)
{
        return json_object_set(obj, key, json_new_string(value));
}

static int finding_json(const struct policy *p, const struct lint_spec *s, size_t i,
                        struct json **ret)
{
        const struct finding *f = &s->found.items[i];
        struct json *obj = json_new_object();
        int r;

        if (!obj)
                return -ENOMEM;
        if ((r = set_string(obj, "file", s->file)) < 0 ||
            (r = set_string(obj, "kind", s->kind == SPEC_PROCESS ? "process" : "config")) < 0 ||
            (r = set_string(obj, "rule", rule_id_to_string(f->rule))) < 0 ||
            (r = set_string(obj, "mode", hr_mode_to_string(p->rule_mode[f->rule]))) < 0 ||
            (r = set_string(obj, "severity", lint_severity_to_string(s->severity[i]))) < 0 ||
            (r = set_string(obj, "path", f->path)) < 0 ||
            (r = json_object_set(obj, "before",
                                 f->before ? json_clone(f->before) : json_new_null())) < 0 ||
            (r = json_object_set(obj, "after", f->after ? json_clone(f->after) : json_new_null())) <
                    0) {
                json_free(obj);
                return r;
        }
        *ret = obj;
        return 0;
}

int ctl_check_append_json(struct json *array, const struct policy *p, const struct lint_spec *s,
                          struct hr_error *err)
{
        for (size_t i = 0; i < s->found.n; i++) {
                struct json *obj;
                int r = finding_json(p, s, i, &obj);
                if (r == 0)
                        r = json_array_append(array, obj);
                if (r < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}
