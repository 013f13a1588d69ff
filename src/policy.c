/* Policy file → typed struct: strict validation, built-in default, trust checks on the file. */
#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "builtin-policy-digest.h"
#include "capability.h"
#include "cliflags.h"
#include "config.h"
#include "fileio.h"
#include "trust.h"
#include "rules/paths.h"
#include "rules/registry.h"
#include "rules/rule.h"
#include "settings.h"
#include "util/cleanup.h"
#include "util/hash.h"
#include "util/pathpattern.h"
#include "util/strv.h"
#include "util/suggest.h"

static const char *const audit_records_names[_AUDIT_RECORDS_MAX] = {
        [AUDIT_RECORDS_ALL] = "all",
        [AUDIT_RECORDS_SUMMARY] = "summary",
        [AUDIT_RECORDS_REFUSALS] = "refusals",
};

const char *audit_records_to_string(enum audit_records records)
{
        return records >= 0 && records < _AUDIT_RECORDS_MAX ? audit_records_names[records]
                                                            : "invalid";
}

static void policy_exemptions_clear(struct policy *p)
{
        for (size_t i = 0; i < p->n_exemptions; i++) {
                strv_free(p->exemptions[i].ids);
                strv_free(p->exemptions[i].annotations);
                free(p->exemptions[i].reason);
        }
        free(p->exemptions);
        p->exemptions = NULL;
        p->n_exemptions = 0;
}

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
        free(p->runtime.path);
        free(p->runtime.argv0);
        free(p->audit.file);
        policy_exemptions_clear(p);
        strv_free(p->command_line.allow);
        free(p->messages.contact);
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
        p->mode = HR_MODE_ENFORCE;
        /* An opt-in rule (user_namespace: remapping root breaks images whose files only root may
         * read) runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : HR_MODE_ENFORCE;
        p->audit.file = strdup(HR_DEFAULT_AUDIT_FILE);
        p->audit.fail_on_error = true;
        p->command_line.mode = HR_MODE_ENFORCE;
        if (!p->source || !p->audit.file)
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

/* ---- validation helpers: every message names the JSON path ---- */

struct parse_state {
        const char *source;
        struct hr_error *err;
};

static int fail(struct parse_state *s, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static int fail(struct parse_state *s, const char *path, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = error_vset_at(s->err, -EINVAL, s->source, path, fmt, ap);
        va_end(ap);
        return r;
}

/* Every key must be one the policy format knows: a typo must not silently weaken the policy. */
static int check_keys(struct parse_state *s, const struct json *obj, const char *path,
                      const char *const *allowed)
{
        for (size_t i = 0; i < obj->object.n; i++) {
                const char *key = obj->object.members[i].key;
                /* "mode\u0000x" must not pass for "mode". */
                if (strlen(key) != obj->object.members[i].key_len)
                        return fail(s, path, "a key contains a NUL byte");
                if (!strv_contains(allowed, key)) {
                        char hint[96];
                        size_t n = 0;

                        while (allowed[n])
                                n++;
                        return fail(s, path, "unknown key '%s'%s", key,
                                    suggest_hint(key, allowed, n, hint, sizeof(hint)));
                }
        }
        return 0;
}

static int expect(struct parse_state *s, const struct json *v, enum json_type type,
                  const char *path)
{
        bool ok = v->type == type || (type == JSON_TRUE && json_is_bool(v));

        if (!ok)
                return fail(s, path, "expected %s, got %s", json_type_name(type),
                            json_type_name(v->type));
        return 0;
}

static int get_string(struct parse_state *s, const struct json *v, const char *path, char **ret)
{
        char *copy;
        int r = expect(s, v, JSON_STRING, path);

        if (r < 0)
                return r;
        if (!json_is_clean_string(v))
                return fail(s, path, "contains a NUL byte");
        copy = strdup(v->scalar.text);
        if (!copy)
                return error_set(s->err, -ENOMEM, "out of memory");
        free(*ret);
        *ret = copy;
        return 0;
}

static int get_bool(struct parse_state *s, const struct json *v, const char *path, bool *ret)
{
        int r = expect(s, v, JSON_TRUE, path);

        if (r == 0)
                *ret = v->type == JSON_TRUE;
        return r;
}

static int get_mode(struct parse_state *s, const struct json *v, const char *path, bool allow_off,
                    enum hr_mode *ret)
{
        enum hr_mode m;
        int r = expect(s, v, JSON_STRING, path);

        if (r < 0)
                return r;
        m = hr_mode_from_string(v->scalar.text);
        if (m < 0 || (m == HR_MODE_OFF && !allow_off))
                return fail(s, path, "'%s' is not one of %s", v->scalar.text,
                            allow_off ? "enforce, audit, deny, off" : "enforce, audit, deny");
        *ret = m;
        return 0;
}

static int parse_rule_mode(struct parse_state *s, struct policy *p, enum rule_id id,
                           const struct json *obj, const char *path)
{
        char sub[128];
        struct json *v = json_object_get(obj, "mode");

        if (!v)
                return 0;
        snprintf(sub, sizeof(sub), "%s/mode", path);
        return get_mode(s, v, sub, true, &p->rule_mode[id]);
}

enum list_check {
        LIST_ANY,      /* non-empty strings */
        LIST_ABSOLUTE, /* absolute paths */
};

/* A list of strings, each non-empty (or absolute, for paths); replaces *ret. */
static int parse_list(struct parse_state *s, const struct json *v, const char *path,
                      enum list_check check, char ***ret)
{
        char **list;
        int r;

        if ((r = expect(s, v, JSON_ARRAY, path)) < 0)
                return r;
        list = calloc(v->array.n + 1, sizeof(*list));
        if (!list)
                return error_set(s->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                char item_path[128];
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                r = get_string(s, v->array.items[i], item_path, &list[i]);
                if (r == 0 && list[i][0] == '\0')
                        r = fail(s, item_path, "must not be empty");
                if (r == 0 && check == LIST_ABSOLUTE && list[i][0] != '/')
                        r = fail(s, item_path, "'%s' is not an absolute path", list[i]);
                if (r < 0) {
                        strv_free(list);
                        return r;
                }
        }
        strv_free(*ret);
        *ret = list;
        return 0;
}

/* exemptions: [{"rules": [...], "ids": [...], "annotations": {...}, "reason": "..."}] */
static int parse_exemptions(struct parse_state *s, struct policy *p, const struct json *v)
{
        static const char *const keys[] = {"rules", "ids", "annotations", "reason", NULL};
        int r;

        if ((r = expect(s, v, JSON_ARRAY, "/exemptions")) < 0)
                return r;
        policy_exemptions_clear(p);
        p->exemptions = calloc(v->array.n + 1, sizeof(*p->exemptions));
        if (!p->exemptions)
                return error_set(s->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                const struct json *item = v->array.items[i];
                struct policy_exemption *e = &p->exemptions[p->n_exemptions++];
                _cleanup_(strv_freep) char **names = NULL;
                char path[96];
                struct json *f;

                snprintf(path, sizeof(path), "/exemptions/%zu", i);
                if ((r = expect(s, item, JSON_OBJECT, path)) < 0 ||
                    (r = check_keys(s, item, path, keys)) < 0)
                        return r;
                snprintf(path, sizeof(path), "/exemptions/%zu/rules", i);
                if (!(f = json_object_get(item, "rules")))
                        return fail(s, path, "missing");
                if ((r = parse_list(s, f, path, LIST_ANY, &names)) < 0)
                        return r;
                if (!names[0])
                        return fail(s, path, "must name at least one rule");
                for (size_t k = 0; names[k]; k++) {
                        enum rule_id id = rule_id_from_string(names[k]);
                        char hint[96];

                        if (id < 0)
                                return fail(s, path, "unknown rule '%s'%s", names[k],
                                            suggest_hint(names[k], rule_id_names, _RULE_MAX, hint,
                                                         sizeof(hint)));
                        e->rules |= UINT64_C(1) << id;
                }
                snprintf(path, sizeof(path), "/exemptions/%zu/ids", i);
                if ((f = json_object_get(item, "ids")) &&
                    (r = parse_list(s, f, path, LIST_ANY, &e->ids)) < 0)
                        return r;
                snprintf(path, sizeof(path), "/exemptions/%zu/annotations", i);
                if ((f = json_object_get(item, "annotations"))) {
                        if ((r = expect(s, f, JSON_OBJECT, path)) < 0)
                                return r;
                        e->annotations = calloc(2 * f->object.n + 1, sizeof(char *));
                        if (!e->annotations)
                                return error_set(s->err, -ENOMEM, "out of memory");
                        for (size_t k = 0; k < f->object.n; k++) {
                                const struct json_member *m = &f->object.members[k];
                                char vpath[192];
                                snprintf(vpath, sizeof(vpath), "%s/%s", path, m->key);
                                if (strlen(m->key) != m->key_len || !m->key[0])
                                        return fail(s, path, "a key is empty or has a NUL byte");
                                if (!(e->annotations[2 * k] = strdup(m->key)))
                                        return error_set(s->err, -ENOMEM, "out of memory");
                                if ((r = get_string(s, m->value, vpath,
                                                    &e->annotations[2 * k + 1])) < 0)
                                        return r;
                        }
                }
                snprintf(path, sizeof(path), "/exemptions/%zu", i);
                if ((!e->ids || !e->ids[0]) && (!e->annotations || !e->annotations[0]))
                        return fail(s, path,
                                    "matches every container: give ids or annotations (or set "
                                    "the rule's mode instead)");
                snprintf(path, sizeof(path), "/exemptions/%zu/reason", i);
                if ((f = json_object_get(item, "reason")) &&
                    (r = get_string(s, f, path, &e->reason)) < 0)
                        return r;
        }
        return 0;
}

/* A rule's own keys through its descriptor's table ("mode" is read before), then its checks
 * across them. A rule without a table takes "mode" only. */
static int parse_rule_settings(struct parse_state *s, struct policy *p, enum rule_id id,
                               const struct json *obj, const char *path)
{
        static const char *const mode[] = {"mode", NULL};
        const struct rule *rule = rule_get(id);
        struct settings_parser sp = {.source = s->source, .err = s->err};
        int r = settings_parse(&sp, rule->settings, rule->n_settings, obj, path,
                               p->rule_settings[id], mode);

        if (r < 0 || !rule->validate)
                return r;
        return rule->validate(&sp, path, p->rule_settings[id]);
}

static int parse_rules(struct parse_state *s, struct policy *p, const struct json *rules)
{
        typedef int (*rule_parser)(struct parse_state *, struct policy *, const struct json *);
        /* A rule missing here is read through its descriptor's settings table. */
        static const rule_parser parsers[_RULE_MAX] = {
        };
        int r;

        if ((r = expect(s, rules, JSON_OBJECT, "/rules")) < 0)
                return r;
        for (size_t i = 0; i < rules->object.n; i++) {
                const struct json_member *m = &rules->object.members[i];
                enum rule_id id =
                        strlen(m->key) == m->key_len ? rule_id_from_string(m->key) : _RULE_INVALID;
                char path[128], hint[96];

                if (id < 0)
                        return fail(s, "/rules", "unknown rule '%s'%s", m->key,
                                    suggest_hint(strlen(m->key) == m->key_len ? m->key : "",
                                                 rule_id_names, _RULE_MAX, hint, sizeof(hint)));
                snprintf(path, sizeof(path), "/rules/%s", m->key);
                if ((r = expect(s, m->value, JSON_OBJECT, path)) < 0 ||
                    (r = parse_rule_mode(s, p, id, m->value, path)) < 0 ||
                    (r = parsers[id] ? parsers[id](s, p, m->value)
                                     : parse_rule_settings(s, p, id, m->value, path)) < 0)
                        return r;
        }
        return 0;
}

static int parse_runtime(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"path", "argv0", NULL};
        struct json *v;
        int r;

        if ((r = expect(s, obj, JSON_OBJECT, "/runtime")) < 0 ||
            (r = check_keys(s, obj, "/runtime", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "path"))) {
                if ((r = get_string(s, v, "/runtime/path", &p->runtime.path)) < 0)
                        return r;
                if (p->runtime.path[0] == '\0' ||
                    (p->runtime.path[0] != '/' && strchr(p->runtime.path, '/')))
                        return fail(s, "/runtime/path",
                                    "'%s' must be a bare name or an absolute path",
                                    p->runtime.path);
        }
        if ((v = json_object_get(obj, "argv0"))) {
                if ((r = get_string(s, v, "/runtime/argv0", &p->runtime.argv0)) < 0)
                        return r;
                if (p->runtime.argv0[0] == '\0')
                        return fail(s, "/runtime/argv0", "must not be empty");
        }
        return 0;
}

static int parse_audit(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"file", "syslog", "on_error", "records", NULL};
        struct json *v;
        int r;

        if ((r = expect(s, obj, JSON_OBJECT, "/audit")) < 0 ||
            (r = check_keys(s, obj, "/audit", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "file"))) {
                if (v->type == JSON_NULL) {
                        free(p->audit.file);
                        p->audit.file = NULL;
                } else {
                        if ((r = get_string(s, v, "/audit/file", &p->audit.file)) < 0)
                                return r;
                        if (!path_is_clean_absolute(p->audit.file))
                                return fail(s, "/audit/file", "'%s' is not an absolute path",
                                            p->audit.file);
                }
        }
        if ((v = json_object_get(obj, "syslog")) &&
            (r = get_bool(s, v, "/audit/syslog", &p->audit.syslog)) < 0)
                return r;
        if ((v = json_object_get(obj, "on_error"))) {
                if ((r = expect(s, v, JSON_STRING, "/audit/on_error")) < 0)
                        return r;
                if (strcmp(v->scalar.text, "fail") == 0)
                        p->audit.fail_on_error = true;
                else if (strcmp(v->scalar.text, "continue") == 0)
                        p->audit.fail_on_error = false;
                else
                        return fail(s, "/audit/on_error", "'%s' is not one of fail, continue",
                                    v->scalar.text);
        }
        if ((v = json_object_get(obj, "records"))) {
                int i;
                if ((r = expect(s, v, JSON_STRING, "/audit/records")) < 0)
                        return r;
                for (i = 0; i < _AUDIT_RECORDS_MAX; i++)
                        if (strcmp(v->scalar.text, audit_records_names[i]) == 0)
                                break;
                if (i == _AUDIT_RECORDS_MAX)
                        return fail(s, "/audit/records",
                                    "'%s' is not one of all, summary, refusals", v->scalar.text);
                p->audit.records = (enum audit_records)i;
        }
        return 0;
}

/* "command_line": its own mode (absent: the global one) and the refused flags or subcommands
 * the admins allow, each checked against the command-line model. */
static int parse_command_line(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"mode", "allow", NULL};
        struct json *v;
        int r;

        if ((r = expect(s, obj, JSON_OBJECT, "/command_line")) < 0 ||
            (r = check_keys(s, obj, "/command_line", keys)) < 0)
                return r;
        if ((v = json_object_get(obj, "mode")) &&
            (r = get_mode(s, v, "/command_line/mode", true, &p->command_line.mode)) < 0)
                return r;
        if ((v = json_object_get(obj, "allow"))) {
                if ((r = parse_list(s, v, "/command_line/allow", LIST_ANY,
                                    &p->command_line.allow)) < 0)
                        return r;
                for (size_t i = 0; p->command_line.allow[i]; i++)
                        if (!cliflags_is_allowable(p->command_line.allow[i]))
                                return fail(s, "/command_line/allow",
                                            "'%s' is not a refused flag or subcommand of runc or "
                                            "crun (hardrunctl explain command_line lists them)",
                                            p->command_line.allow[i]);
        }
        return 0;
}

/* "messages": what refusals tell the workload's owner besides the refusal itself. */
static int parse_messages(struct parse_state *s, struct policy *p, const struct json *obj)
{
        static const char *const keys[] = {"contact", NULL};
        struct json *v;
        int r;

        if ((r = expect(s, obj, JSON_OBJECT, "/messages")) < 0 ||
            (r = check_keys(s, obj, "/messages", keys)) < 0)
                return r;
        if (!(v = json_object_get(obj, "contact")) || v->type == JSON_NULL)
                return 0;
        if ((r = get_string(s, v, "/messages/contact", &p->messages.contact)) < 0)
                return r;
        /* One line the engine shows as it is: no control characters, a bounded length. */
        if (p->messages.contact[0] == '\0' || strlen(p->messages.contact) > HR_CONTACT_MAX)
                return fail(s, "/messages/contact", "must be 1 to %u bytes", HR_CONTACT_MAX);
        for (const char *c = p->messages.contact; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                        return fail(s, "/messages/contact",
                                    "must be one line without control characters");
        return 0;
}

static int parse_scoped(const char *buf, size_t len, const char *source, enum policy_scope scope,
                        struct policy **ret, struct hr_error *err)
{
        static const char *const keys[] = {"version",      "mode",     "runtime",
                                           "audit",        "rules",    "exemptions",
                                           "command_line", "messages", NULL};
        static const struct json_limits limits = {
                .max_bytes = HR_POLICY_MAX_BYTES,
                .max_depth = 16,
                .max_members = 4096,
        };
        _cleanup_(policy_freep) struct policy *p = NULL;
        struct parse_state s = {.source = source, .err = err};
        struct json *doc = NULL;
        struct json *v, *rules;
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

        if ((r = expect(&s, doc, JSON_OBJECT, "")) < 0 || (r = check_keys(&s, doc, "", keys)) < 0)
                goto out;
        if ((v = json_object_get(doc, "version"))) {
                unsigned long long version;
                if (json_get_uint(v, 1000, &version) < 0 || version != 1) {
                        r = fail(&s, "/version",
                                 "unsupported policy version (this hardrun "
                                 "reads version 1)");
                        goto out;
                }
        }
        if ((v = json_object_get(doc, "mode")) &&
            (r = get_mode(&s, v, "/mode", true, &p->mode)) < 0)
                goto out;
        if ((v = json_object_get(doc, "runtime")) && (r = parse_runtime(&s, p, v)) < 0)
                goto out;
        if (scope == POLICY_SCOPE_RUNTIME) {
                r = 0;
                goto out;
        }
        if ((v = json_object_get(doc, "audit")) && (r = parse_audit(&s, p, v)) < 0)
                goto out;

        /* A rule without its own "mode" follows the global one. */
        for (int i = 0; i < _RULE_MAX; i++)
                p->rule_mode[i] = _HR_MODE_INVALID;
        if ((rules = json_object_get(doc, "rules")) && (r = parse_rules(&s, p, rules)) < 0)
                goto out;
        /* An opt-in rule runs only when its own mode says so. */
        for (int i = 0; i < _RULE_MAX; i++)
                if (p->rule_mode[i] == _HR_MODE_INVALID)
                        p->rule_mode[i] = rule_get((enum rule_id)i)->opt_in ? HR_MODE_OFF : p->mode;
        if ((v = json_object_get(doc, "exemptions")) && (r = parse_exemptions(&s, p, v)) < 0)
                goto out;
        p->command_line.mode = _HR_MODE_INVALID;
        if ((v = json_object_get(doc, "command_line")) && (r = parse_command_line(&s, p, v)) < 0)
                goto out;
        if (p->command_line.mode == _HR_MODE_INVALID)
                p->command_line.mode = p->mode;
        if ((v = json_object_get(doc, "messages")) && (r = parse_messages(&s, p, v)) < 0)
                goto out;
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

/* ---- the policy as a document (hardrunctl policy show) ---- */

static int show_set(struct json *obj, const char *key, struct json *value)
{
        return value ? json_object_set(obj, key, value) : -ENOMEM;
}

static struct json *string_or_null(const char *s)
{
        return s ? json_new_string(s) : json_new_null();
}

static int show_path_list(struct json *obj, const char *key, const char *const *list)
{
        struct json *array = json_new_array();
        int r;

        if (!array)
                return -ENOMEM;
        for (size_t i = 0; list[i]; i++)
                if ((r = json_array_append(array, json_new_string(list[i]))) < 0) {
                        json_free(array);
                        return r;
                }
        return json_object_set(obj, key, array);
}

static int show_strv(struct json *obj, const char *key, char *const *list)
{
        return show_path_list(obj, key, (const char *const *)list);
}

static int show_exemptions(const struct policy *p, struct json *doc)
{
        struct json *list = json_new_array();
        int r;

        if (!list || (r = json_object_set(doc, "exemptions", list)) < 0) {
                json_free(list);
                return -ENOMEM;
        }
        for (size_t i = 0; i < p->n_exemptions; i++) {
                const struct policy_exemption *e = &p->exemptions[i];
                struct json *item = json_new_object();
                struct json *rules = json_new_array();
                if (!item || (r = json_array_append(list, item)) < 0) {
                        json_free(item);
                        json_free(rules);
                        return -ENOMEM;
                }
                if (!rules || (r = json_object_set(item, "rules", rules)) < 0) {
                        json_free(rules);
                        return -ENOMEM;
                }
                for (int id = 0; id < _RULE_MAX; id++)
                        if ((e->rules & (UINT64_C(1) << id)) &&
                            (r = json_array_append(rules, json_new_string(rule_id_to_string(
                                                                  (enum rule_id)id)))) < 0)
                                return r;
                if (e->ids && (r = show_strv(item, "ids", e->ids)) < 0)
                        return r;
                if (e->annotations) {
                        struct json *a = json_new_object();
                        if (!a || (r = json_object_set(item, "annotations", a)) < 0) {
                                json_free(a);
                                return -ENOMEM;
                        }
                        for (size_t k = 0; e->annotations[k]; k += 2)
                                if ((r = show_set(a, e->annotations[k],
                                                  json_new_string(e->annotations[k + 1]))) < 0)
                                        return r;
                }
                if (e->reason && (r = show_set(item, "reason", json_new_string(e->reason))) < 0)
                        return r;
        }
        return 0;
}

static int show_rules(const struct policy *p, struct json *rules)
{
        typedef int (*rule_show)(const struct policy *, struct json *);
        /* A rule missing here is shown through its descriptor's settings table (or with its mode
         * only); tests/unit/test-policy.c compares each rule's fields with its documented ones. */
        static const rule_show shows[_RULE_MAX] = {
        };
        int r;

        for (int id = 0; id < _RULE_MAX; id++) {
                struct json *obj = json_new_object();
                if (!obj)
                        return -ENOMEM;
                if ((r = json_object_set(rules, rule_id_to_string((enum rule_id)id), obj)) < 0)
                        return r;
                if ((r = show_set(obj, "mode",
                                  json_new_string(hr_mode_to_string(p->rule_mode[id])))) < 0)
                        return r;
                if (shows[id] && (r = shows[id](p, obj)) < 0)
                        return r;
                if (!shows[id] && p->rule_settings[id] &&
                    (r = settings_show(rule_get((enum rule_id)id)->settings,
                                       rule_get((enum rule_id)id)->n_settings, p->rule_settings[id],
                                       obj)) < 0)
                        return r;
        }
        return 0;
}

static int show_command_line(const struct policy *p, struct json *doc)
{
        static const char *const none[] = {NULL};
        struct json *obj = json_new_object();
        int r;

        if (!obj)
                return -ENOMEM;
        if ((r = json_object_set(doc, "command_line", obj)) < 0)
                return r;
        if ((r = show_set(obj, "mode", json_new_string(hr_mode_to_string(p->command_line.mode)))) <
            0)
                return r;
        return show_strv(obj, "allow",
                         p->command_line.allow ? p->command_line.allow : (char *const *)none);
}

static int show_messages(const struct policy *p, struct json *doc)
{
        struct json *obj = json_new_object();
        int r;

        if (!obj)
                return -ENOMEM;
        if ((r = json_object_set(doc, "messages", obj)) < 0)
                return r;
        return show_set(obj, "contact", string_or_null(p->messages.contact));
}

static int show_policy(const struct policy *p, struct json *doc)
{
        struct json *runtime = json_new_object();
        struct json *audit = json_new_object();
        struct json *rules = json_new_object();
        int r;

        if (!runtime || !audit || !rules) {
                json_free(runtime);
                json_free(audit);
                json_free(rules);
                return -ENOMEM;
        }
        if ((r = json_object_set(doc, "runtime", runtime)) < 0) {
                json_free(audit);
                json_free(rules);
                return r;
        }
        if ((r = json_object_set(doc, "audit", audit)) < 0) {
                json_free(rules);
                return r;
        }
        if ((r = json_object_set(doc, "rules", rules)) < 0)
                return r;
        /* No path means "runc, else crun", which no single value says. */
        if (p->runtime.path &&
            (r = show_set(runtime, "path", json_new_string(p->runtime.path))) < 0)
                return r;
        if (p->runtime.argv0 &&
            (r = show_set(runtime, "argv0", json_new_string(p->runtime.argv0))) < 0)
                return r;
        if ((r = show_set(audit, "file", string_or_null(p->audit.file))) < 0 ||
            (r = show_set(audit, "syslog", json_new_bool(p->audit.syslog))) < 0 ||
            (r = show_set(audit, "on_error",
                          json_new_string(p->audit.fail_on_error ? "fail" : "continue"))) < 0 ||
            (r = show_set(audit, "records",
                          json_new_string(audit_records_to_string(p->audit.records)))) < 0)
                return r;
        if ((r = show_rules(p, rules)) < 0)
                return r;
        if ((r = show_exemptions(p, doc)) < 0)
                return r;
        if ((r = show_command_line(p, doc)) < 0)
                return r;
        return show_messages(p, doc);
}

int policy_to_json(const struct policy *p, struct json **ret, struct hr_error *err)
{
        struct json *doc = json_new_object();
        int r;

        if (!doc)
                return error_set(err, -ENOMEM, "out of memory");
        if ((r = show_set(doc, "version", json_new_uint(1))) < 0 ||
            (r = show_set(doc, "mode", json_new_string(hr_mode_to_string(p->mode)))) < 0 ||
            (r = show_policy(p, doc)) < 0) {
                json_free(doc);
                if (r == -EINVAL)
                        return error_set(err, r, "%s: a capability has no name in this libcap",
                                         p->source);
                return error_set(err, r, "out of memory");
        }
        *ret = doc;
        return 0;
}
