/* Policy file → typed struct: strict validation, built-in default, trust checks on the file. */
#include "policy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "builtin-policy-digest.h"
#include "fileio.h"
#include "policy-top.h"
#include "trust.h"
#include "rules/registry.h"
#include "rules/rule.h"
#include "settings.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/suggest.h"

struct policy *policy_free(struct policy *p)
{
        if (!p)
                return NULL;
        free(p->source);
        for (int i = 0; i < _RULE_MAX; i++) {
                const struct rule *rule = rule_get((enum rule_id)i);
                if (p->rule_settings[i])
                        settings_free(rule->settings, rule->n_settings, p->rule_settings[i]);
                free(p->rule_settings[i]);
        }
        settings_free(policy_settings, policy_n_settings, p);
        free(p);
        return NULL;
}

/* The built-in default is the restricted profile a fresh install enforces. Its text twin is
 * profiles/policy/restricted.json, kept equal by a unit test. */
enum policy_scope {
        POLICY_SCOPE_FULL,
        POLICY_SCOPE_RUNTIME,
};

/* Each rule's settings, a copy of its defaults: only a full policy has them. */
static int policy_new_rules(struct policy *p)
{
        for (int i = 0; i < _RULE_MAX; i++) {
                const struct rule *rule = rule_get((enum rule_id)i);
                if (!rule->settings_size)
                        continue;
                p->rule_settings[i] = calloc(1, rule->settings_size);
                if (!p->rule_settings[i] || settings_copy(rule->settings, rule->n_settings,
                                                          p->rule_settings[i], rule->defaults) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static struct policy *policy_new(enum policy_scope scope)
{
        _cleanup_(policy_freep) struct policy *p = calloc(1, sizeof(*p));

        if (!p)
                return NULL;
        p->source = strdup("built-in default");
        snprintf(p->digest, sizeof(p->digest), "%s", HR_BUILTIN_POLICY_DIGEST);
        if (settings_copy(policy_settings, policy_n_settings, p, &policy_top_defaults) < 0)
                return NULL;
        /* An opt-in rule (user_namespace: remapping root breaks images whose files only root may
         * read) runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : HR_MODE_ENFORCE;
        if (!p->source)
                return NULL;
        if (scope == POLICY_SCOPE_FULL && policy_new_rules(p) < 0)
                return NULL;
        return TAKE_PTR(p);
}

struct policy *policy_new_default(void)
{
        return policy_new(POLICY_SCOPE_FULL);
}

struct policy *policy_new_default_runtime(void)
{
        return policy_new(POLICY_SCOPE_RUNTIME);
}

/* ---- "rules" ---- */

/* A rule's "mode", then its own keys through its descriptor's table, then its checks across
 * them. A rule without a table takes "mode" only. */
static int parse_rule(struct settings_parser *sp, struct policy *p, enum rule_id id,
                      const struct json *obj, const char *path)
{
        static const char *const mode[] = {"mode", NULL};
        const struct rule *rule = rule_get(id);
        const struct json *v = json_object_get(obj, "mode");
        char sub[128];
        int r;

        snprintf(sub, sizeof(sub), "%s/mode", path);
        if (v && (r = setting_policy_mode.parse(sp, NULL, v, sub, &p->rule_mode[id])) < 0)
                return r;
        r = settings_parse(sp, rule->settings, rule->n_settings, obj, path, p->rule_settings[id],
                           mode);
        if (r < 0 || !rule->validate)
                return r;
        return rule->validate(sp, path, p->rule_settings[id]);
}

static int parse_rules(struct settings_parser *sp, struct policy *p, const struct json *rules)
{
        int r;

        if ((r = settings_expect(sp, rules, JSON_OBJECT, "/rules")) < 0)
                return r;
        for (size_t i = 0; i < rules->object.n; i++) {
                const struct json_member *m = &rules->object.members[i];
                enum rule_id id =
                        strlen(m->key) == m->key_len ? rule_id_from_string(m->key) : _RULE_INVALID;
                char path[128], hint[96];

                if (id < 0)
                        return settings_fail(
                                sp, "/rules", "unknown rule '%s'%s", m->key,
                                suggest_hint(strlen(m->key) == m->key_len ? m->key : "",
                                             rule_id_names, _RULE_MAX, hint, sizeof(hint)));
                snprintf(path, sizeof(path), "/rules/%s", m->key);
                if ((r = settings_expect(sp, m->value, JSON_OBJECT, path)) < 0 ||
                    (r = parse_rule(sp, p, id, m->value, path)) < 0)
                        return r;
        }
        return 0;
}

/* "rules": each rule's "mode" and settings, read by parse_rules(); policy show fills the object
 * rule by rule (src/ctl/policy-show.c). */
static int rules_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                       const char *path, void *field)
{
        (void)s;
        (void)path;
        return parse_rules(sp, field, v);
}

static int rules_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        (void)field;
        *ret = json_new_object();
        return *ret ? 0 : -ENOMEM;
}

static const struct setting_type setting_rules = {
        .doc = "object",
        .parse = rules_parse,
        .show = rules_show,
};

/* The document's keys in the order they are read and shown; a pass-through reads only what it
 * needs to find the runtime. */
const struct setting policy_settings[] = {
        {"version", &setting_policy_version, 0, SETTING_PASS_THROUGH},
        {"mode", &setting_policy_mode, offsetof(struct policy, mode), SETTING_PASS_THROUGH,
         .description = "the global mode: every rule without its own, and command_line"},
        {"runtime", &setting_section, 0, SETTING_PASS_THROUGH, .table = policy_runtime_settings,
         .n_table = ELEMENTSOF(policy_runtime_settings)},
        {"audit", &setting_section, 0, .table = policy_audit_settings,
         .n_table = ELEMENTSOF(policy_audit_settings)},
        {"rules", &setting_rules, 0},
        {"exemptions", &setting_policy_exemptions, 0},
        {"command_line", &setting_section, 0, .table = policy_command_line_settings,
         .n_table = ELEMENTSOF(policy_command_line_settings)},
        {"messages", &setting_section, 0, .table = policy_messages_settings,
         .n_table = ELEMENTSOF(policy_messages_settings)},
};
const size_t policy_n_settings = ELEMENTSOF(policy_settings);

static int parse_scoped(const char *buf, size_t len, const char *source, enum policy_scope scope,
                        struct policy **ret, struct hr_error *err)
{
        static const struct json_limits limits = {
                .max_bytes = HR_POLICY_MAX_BYTES,
                .max_depth = 16,
                .max_members = 4096,
        };
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct settings_parser sp = {
                .source = source,
                .err = err,
                .pass_through = scope == POLICY_SCOPE_RUNTIME,
        };
        struct json *doc = NULL;
        int r;

        r = json_parse(buf, len, &limits, &doc, err);
        if (r < 0)
                return error_prefix(err, "%s: ", source);
        /* The defaults, which the file's settings replace. */
        p = policy_new(scope);
        if (!p) {
                json_free(doc);
                return error_set(err, -ENOMEM, "out of memory");
        }
        free(p->source);
        p->source = strdup(source);
        if (!p->source) {
                json_free(doc);
                return error_set(err, -ENOMEM, "out of memory");
        }
        /* Only decisions are recorded: a pass-through never needs the digest. */
        if (scope == POLICY_SCOPE_FULL)
                sha256_text(buf, len, p->digest);

        /* A rule without its own "mode", and command_line without one, follow the global one. */
        for (int i = 0; i < _RULE_MAX && scope == POLICY_SCOPE_FULL; i++)
                p->rule_mode[i] = _HR_MODE_INVALID;
        if (scope == POLICY_SCOPE_FULL)
                p->command_line.mode = _HR_MODE_INVALID;
        if ((r = settings_parse(&sp, policy_settings, policy_n_settings, doc, "", p, NULL)) < 0 ||
            scope == POLICY_SCOPE_RUNTIME)
                goto out;
        /* An opt-in rule runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                if (p->rule_mode[i] == _HR_MODE_INVALID)
                        p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : p->mode;
        if (p->command_line.mode == _HR_MODE_INVALID)
                p->command_line.mode = p->mode;
        r = 0;
out:
        json_free(doc);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(p);
        return 0;
}

int policy_parse(const char *buf, size_t len, const char *source, struct policy **ret,
                 struct hr_error *err)
{
        return parse_scoped(buf, len, source, POLICY_SCOPE_FULL, ret, err);
}

static int load_scoped(const char *path, enum policy_scope scope, struct policy **ret,
                       char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct policy *p;
        size_t len;
        int r;

        fd = fileio_open_regular(AT_FDCWD, path, false, NULL, err);
        if (fd == -ENOENT) {
                /* No file: a fresh install enforces the restricted default. */
                error_release(err);
                p = policy_new(scope);
                if (!p)
                        return error_set(err, -ENOMEM, "out of memory");
                *ret = p;
                if (ret_buf) {
                        *ret_buf = NULL;
                        *ret_len = 0;
                }
                return 0;
        }
        if (fd < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = file_check_trusted(fd, path, err)) < 0)
                return r;
        if ((r = fileio_read_all(fd, HR_POLICY_MAX_BYTES, &buf, &len, err)) < 0)
                return error_prefix(err, "%s: ", path);
        if ((r = parse_scoped(buf, len, path, scope, ret, err)) < 0)
                return r;
        if (ret_buf) {
                *ret_buf = TAKE_PTR(buf);
                *ret_len = len;
        }
        return 0;
}

int policy_load(const char *path, struct policy **ret, struct hr_error *err)
{
        return load_scoped(path, POLICY_SCOPE_FULL, ret, NULL, NULL, err);
}

int policy_load_runtime(const char *path, struct policy **ret, struct hr_error *err)
{
        return load_scoped(path, POLICY_SCOPE_RUNTIME, ret, NULL, NULL, err);
}

int policy_load_bytes(const char *path, bool full, struct policy **ret, char **ret_buf,
                      size_t *ret_len, struct hr_error *err)
{
        return load_scoped(path, full ? POLICY_SCOPE_FULL : POLICY_SCOPE_RUNTIME, ret, ret_buf,
                           ret_len, err);
}

int policy_parse_runtime(const char *buf, size_t len, const char *source, struct policy **ret,
                         struct hr_error *err)
{
        return parse_scoped(buf, len, source, POLICY_SCOPE_RUNTIME, ret, err);
}
