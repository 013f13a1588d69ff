/* The policy commands of hardrunctl: validation, the effective policy, and rule explanations from
 * each rule's descriptor (its documentation and settings table), with defaults taken from the
 * built-in policy itself. */
#include "ctl-policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "fileio.h"
#include "json.h"
#include "lastgood.h"
#include "policy.h"
#include "policy-show.h"
#include "trust.h"
#include "rules/registry.h"
#include "rules/rule.h"
#include "rules/seccomp.h"
#include "util/cleanup.h"
#include "util/sha256.h"

#define WRAP_COLUMNS 79

int ctl_policy_validate(FILE *out, FILE *errs, const char *path)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct hr_error err = {0};
        const struct json *profile;
        size_t len;

        /* Unlike policy_load(), a missing file is an error here: it is what was asked about. */
        fd = fileio_open_regular(AT_FDCWD, path, false, NULL, &err);
        if (fd < 0 || fileio_read_all(fd, HR_POLICY_MAX_BYTES, &buf, &len, &err) < 0) {
                fprintf(out, "%s: %s\n", path, err.msg);
                return 1;
        }
        if (policy_parse(buf, len, path, &p, &err) < 0 ||
            policy_seccomp_profile(p, &profile, &err) < 0) {
                fprintf(out, "%s\n", err.msg);
                return 1;
        }
        if (file_check_trusted(fd, path, &err) < 0)
                fprintf(errs,
                        "hardrunctl: warning: %s (hardrun reads only a policy that root "
                        "alone can change)\n",
                        err.msg);
        fprintf(out, "%s: ok\n", path);
        ctl_policy_note_off(errs, p);
        return 0;
}

void ctl_policy_note_off(FILE *errs, const struct policy *p)
{
        if (p->mode == HR_MODE_OFF)
                fprintf(errs,
                        "hardrunctl: note: %s: \"mode\" is \"off\", the kill switch: hardrun "
                        "passes "
                        "every container to the runtime unjudged and unchanged (one 'policy_off' "
                        "audit record each); set \"enforce\", \"audit\" or \"deny\" to harden "
                        "again\n",
                        p->source);
}

int ctl_policy_install(FILE *out, FILE *errs, const char *file, const char *target,
                       const char *lastgood_dir)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct hr_error err = {0};
        const struct json *profile;
        char digest[SHA256_TEXT_SIZE];
        size_t len;

        fd = fileio_open_regular(AT_FDCWD, file, false, NULL, &err);
        if (fd < 0 || fileio_read_all(fd, HR_POLICY_MAX_BYTES, &buf, &len, &err) < 0) {
                fprintf(out, "%s: %s\n", file, err.msg);
                return 1;
        }
        /* Exactly what hardrun will read: a policy it would refuse is never installed. */
        if (policy_parse(buf, len, file, &p, &err) < 0 ||
            policy_seccomp_profile(p, &profile, &err) < 0) {
                fprintf(out, "%s\n", err.msg);
                fprintf(errs, "hardrunctl: %s: not installed, %s is unchanged\n", file, target);
                return 1;
        }
        if (fileio_replace(target, buf, len, 0644, NULL, false, &err) < 0) {
                fprintf(errs, "hardrunctl: %s\n", err.msg);
                return 2;
        }
        close(fd);
        fd = fileio_open_regular(AT_FDCWD, target, false, NULL, &err);
        if (fd < 0 || file_check_trusted(fd, target, &err) < 0)
                fprintf(errs,
                        "hardrunctl: warning: %s (hardrun reads only a policy that root "
                        "alone can change)\n",
                        err.msg);
        /* The copy that stands in should the file ever break; hardrun would write it on its
         * next start too. */
        sha256_text(buf, len, digest);
        if (lastgood_dir && lastgood_save(lastgood_dir, digest, buf, len, &err) < 0)
                fprintf(errs, "hardrunctl: warning: the last good copy was not refreshed: %s\n",
                        err.msg);
        fprintf(out, "%s: installed (%s)\n", target, digest);
        ctl_policy_note_off(errs, p);
        return 0;
}

int ctl_policy_show(FILE *out, FILE *errs, const char *policy_path)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(json_freep) struct json *doc = NULL;
        _cleanup_free_ char *text = NULL;
        struct hr_error err = {0};
        size_t len;

        if (policy_load(policy_path, &p, &err) < 0 || policy_to_json(p, &doc, &err) < 0 ||
            json_write_pretty(doc, &text, &len, &err) < 0) {
                fprintf(errs, "hardrunctl: %s\n", err.msg);
                return 2;
        }
        fwrite(text, 1, len, out);
        return 0;
}

/* Prints text word-wrapped at WRAP_COLUMNS, the first line after label, the others indented to
 * the same column. */
static void print_wrapped(FILE *out, const char *label, int indent, const char *text)
{
        int col = fprintf(out, "%-*s", indent, label);

        while (*text) {
                size_t word = strcspn(text, " ");
                if (col > indent && col + 1 + (int)word > WRAP_COLUMNS) {
                        col = fprintf(out, "\n%*s", indent, "") - 1;
                } else if (col > indent) {
                        fputc(' ', out);
                        col++;
                }
                col += fprintf(out, "%.*s", (int)word, text);
                text += word;
                text += strspn(text, " ");
        }
        fputc('\n', out);
}

void ctl_policy_print_rules(FILE *out)
{
        for (int id = 0; id < _RULE_MAX; id++)
                fprintf(out, "%s%s", id ? ", " : "", rule_id_to_string((enum rule_id)id));
        fputc('\n', out);
}

static int explain_list(FILE *out)
{
        for (int id = 0; id < _RULE_MAX; id++) {
                const char *name = rule_id_to_string((enum rule_id)id);
                const struct ruledoc *d = rule_get((enum rule_id)id)->doc;
                fprintf(out, "%-20s %s\n", name, d ? d->summary : "(not documented yet)");
        }
        return 0;
}

/* "default: 65534", the compact JSON of the built-in policy's value for the field, an array's
 * items separated by ", " so that long lists wrap. */
static void print_default(FILE *out, const struct json *rule_defaults, const char *field)
{
        const struct json *v = json_object_get(rule_defaults, field);
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                return;
        fputs("default: ", f);
        if (!v) {
                fputs("none", f);
        } else if (v->type == JSON_ARRAY) {
                fputc('[', f);
                for (size_t i = 0; i < v->array.n; i++) {
                        _cleanup_free_ char *item = NULL;
                        size_t n;
                        if (json_write(v->array.items[i], &item, &n, NULL) == 0)
                                fprintf(f, "%s%.*s", i ? ", " : "", (int)(n - 1), item);
                }
                fputc(']', f);
        } else {
                _cleanup_free_ char *item = NULL;
                size_t n;
                if (json_write(v, &item, &n, NULL) == 0)
                        fprintf(f, "%.*s", (int)(n - 1), item);
        }
        if (fclose(f) == 0)
                print_wrapped(out, "", 6, text);
        free(text);
}

int ctl_policy_explain(FILE *out, FILE *errs, const char *rule)
{
        _cleanup_(policy_freep) struct policy *def = NULL;
        _cleanup_(json_freep) struct json *doc = NULL;
        const struct json *defaults, *rules;
        struct hr_error err = {0};
        const struct ruledoc *d;
        enum rule_id id;

        if (!rule)
                return explain_list(out);
        id = rule_id_from_string(rule);
        d = id >= 0 ? rule_get(id)->doc : NULL;
        if (id < 0) {
                fprintf(errs, "hardrunctl: unknown rule '%s'; known rules: ", rule);
                ctl_policy_print_rules(errs);
                return 2;
        }
        if (!d) {
                fprintf(errs, "hardrunctl: rule '%s' has no documentation\n", rule);
                return 2;
        }
        def = policy_new_default();
        if (!def || policy_to_json(def, &doc, &err) < 0) {
                fprintf(errs, "hardrunctl: %s\n", def ? err.msg : "out of memory");
                return 2;
        }
        rules = json_object_get(doc, "rules");
        defaults = rules ? json_object_get(rules, rule) : NULL;

        fprintf(out, "%s: %s\n\n", d->rule, d->summary);
        print_wrapped(out, "enforce:", 10, d->enforce);
        print_wrapped(out, "deny:", 10, d->deny);
        print_wrapped(out, "audit:", 10,
                      rule_get(id)->report_only
                              ? "records what it finds as 'detected', as enforce does"
                              : "logs what enforce would change; changes nothing");
        print_wrapped(out, "reads:", 10, d->spec);
        print_wrapped(out, "exec:", 10,
                      rule_get(id)->for_process ? "also applied to exec --process files"
                                                : "not applied to exec --process files");
        fputs("\nsources:\n", out);
        print_wrapped(out, "  CIS Docker Benchmark v1.6.0:", 4, d->cis);
        print_wrapped(out, "  Kubernetes Pod Security Standards:", 4, d->pss);
        fprintf(out, "\nfields (\"rules\": {\"%s\": {...}} in the policy):\n", d->rule);
        fputs("  mode (string)\n", out);
        print_wrapped(out, "", 6, "enforce, audit, deny or off");
        print_wrapped(out, "", 6,
                      rule_get(id)->opt_in
                              ? "default: \"off\" (opt-in: the global \"mode\" does not "
                                "apply)"
                              : "default: the policy's global \"mode\" (itself \"enforce\" by "
                                "default)");
        /* A rule documents its fields in its settings table. */
        for (size_t i = 0; i < rule_get(id)->n_settings; i++) {
                const struct setting *s = &rule_get(id)->settings[i];
                if (s->flags & SETTING_STATE)
                        continue;
                fprintf(out, "  %s (%s)\n", s->key, s->doc_type ? s->doc_type : s->type->doc);
                print_wrapped(out, "", 6, s->description);
                print_default(out, defaults, s->key);
        }
        return 0;
}
