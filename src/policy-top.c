/* The policy's top level besides "rules": version, mode, runtime, audit, exemptions,
 * command_line and messages, as tables of the settings engine over struct policy. */
#include "policy-top.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliflags.h"
#include "util/cleanup.h"
#include "util/pathpattern.h"
#include "util/strv.h"
#include "util/suggest.h"

/* ---- version ---- */

static int version_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                         const char *path, void *field)
{
        unsigned long long version;

        (void)s;
        (void)field;
        if (json_get_uint(v, 1000, &version) < 0 || version != 1)
                return settings_fail(sp, path,
                                     "unsupported policy version (this hardrun reads version 1)");
        return 0;
}

static int version_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        (void)field;
        *ret = json_new_uint(1);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_policy_version = {
        .doc = "integer",
        .parse = version_parse,
        .show = version_show,
};

/* ---- modes ---- */

static int mode_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                      const char *path, void *field)
{
        enum hr_mode m;
        int r = settings_expect(sp, v, JSON_STRING, path);

        (void)s;
        if (r < 0)
                return r;
        m = hr_mode_from_string(v->scalar.text);
        if (m < 0)
                return settings_fail(sp, path, "'%s' is not one of enforce, audit, deny, off",
                                     v->scalar.text);
        *(enum hr_mode *)field = m;
        return 0;
}

static int mode_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        *ret = json_new_string(hr_mode_to_string(*(const enum hr_mode *)field));
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_policy_mode = {
        .doc = "string",
        .parse = mode_parse,
        .show = mode_show,
        .size = sizeof(enum hr_mode),
};

/* ---- runtime ---- */

static int check_runtime_path(struct settings_parser *sp, const char *path, const void *field)
{
        const char *rt = *(char *const *)field;

        if (rt[0] == '\0' || (rt[0] != '/' && strchr(rt, '/')))
                return settings_fail(sp, path, "'%s' must be a bare name or an absolute path", rt);
        return 0;
}

static int check_not_empty(struct settings_parser *sp, const char *path, const void *field)
{
        if ((*(char *const *)field)[0] == '\0')
                return settings_fail(sp, path, "must not be empty");
        return 0;
}

/* No path means "runc, else crun", which no single value says: both are shown only when set. */
const struct setting policy_runtime_settings[] = {
        {"path", &setting_string, offsetof(struct policy, runtime.path), SETTING_SHOW_IF_SET,
         .check = check_runtime_path,
         .description = "the runtime hardrun executes: a bare name looked up in the system's "
                        "trusted directories, or an absolute path; absent: runc, else crun"},
        {"argv0", &setting_string, offsetof(struct policy, runtime.argv0), SETTING_SHOW_IF_SET,
         .check = check_not_empty,
         .description = "the runtime's argv[0]; absent: the path as given"},
};

/* ---- audit ---- */

static const char *const audit_records_names[_AUDIT_RECORDS_MAX + 1] = {
        [AUDIT_RECORDS_ALL] = "all",
        [AUDIT_RECORDS_SUMMARY] = "summary",
        [AUDIT_RECORDS_REFUSALS] = "refusals",
};

const char *audit_records_to_string(enum audit_records records)
{
        return records >= 0 && records < _AUDIT_RECORDS_MAX ? audit_records_names[records]
                                                            : "invalid";
}

static int check_audit_file(struct settings_parser *sp, const char *path, const void *field)
{
        const char *file = *(char *const *)field;

        if (file && !path_is_clean_absolute(file))
                return settings_fail(sp, path, "'%s' is not an absolute path", file);
        return 0;
}

const struct setting policy_audit_settings[] = {
        {"file", &setting_string, offsetof(struct policy, audit.file), SETTING_NULLABLE,
         .check = check_audit_file, .doc_type = "string or null",
         .description = "the audit log, JSON lines appended under a lock; null: none"},
        {"syslog", &setting_bool, offsetof(struct policy, audit.syslog),
         .description = "also send each record to syslog"},
        {"on_error", &setting_bool_choice, offsetof(struct policy, audit.fail_on_error),
         .values = (const char *const[]){"fail", "continue", NULL},
         .description = "a record that cannot be written fails the call, or is lost"},
        {"records", &setting_choice, offsetof(struct policy, audit.records),
         .values = audit_records_names,
         .description = "one record per finding, one per decision, or only refusals"},
};

/* ---- exemptions ---- */

/* "rules": the names of the rules an exemption takes the workload out of, as a mask. */
static int rule_set_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                          const char *path, void *field)
{
        _cleanup_(strv_freep) char **names = NULL;
        uint64_t rules = 0;
        int r = setting_strv.parse(sp, s, v, path, &names);

        if (r < 0)
                return r;
        if (!names[0])
                return settings_fail(sp, path, "must name at least one rule");
        for (size_t i = 0; names[i]; i++) {
                enum rule_id id = rule_id_from_string(names[i]);
                char hint[96];

                if (id < 0)
                        return settings_fail(sp, path, "unknown rule '%s'%s", names[i],
                                             suggest_hint(names[i], rule_id_names, _RULE_MAX, hint,
                                                          sizeof(hint)));
                rules |= UINT64_C(1) << id;
        }
        *(uint64_t *)field = rules;
        return 0;
}

static int rule_set_show(const struct setting *s, const void *field, struct json **ret)
{
        uint64_t rules = *(const uint64_t *)field;
        const char *names[_RULE_MAX + 1];
        size_t n = 0;

        (void)s;
        for (int id = 0; id < _RULE_MAX; id++)
                if (rules & (UINT64_C(1) << id))
                        names[n++] = rule_id_to_string((enum rule_id)id);
        names[n] = NULL;
        return settings_show_strv(names, ret);
}

static const struct setting_type setting_rule_set = {
        .doc = "array of strings",
        .parse = rule_set_parse,
        .show = rule_set_show,
        .size = sizeof(uint64_t),
};

/* "annotations": key, value pattern, key, value pattern, ..., NULL. */
static int string_map_parse(struct settings_parser *sp, const struct setting *s,
                            const struct json *v, const char *path, void *field)
{
        char ***map = field;
        int r;

        (void)s;
        if ((r = settings_expect(sp, v, JSON_OBJECT, path)) < 0)
                return r;
        strv_free(*map);
        *map = calloc(2 * v->object.n + 1, sizeof(char *));
        if (!*map)
                return error_set(sp->err, -ENOMEM, "out of memory");
        for (size_t k = 0; k < v->object.n; k++) {
                const struct json_member *m = &v->object.members[k];
                char vpath[192];

                snprintf(vpath, sizeof(vpath), "%s/%s", path, m->key);
                if (strlen(m->key) != m->key_len || !m->key[0])
                        return settings_fail(sp, path, "a key is empty or has a NUL byte");
                if (!((*map)[2 * k] = strdup(m->key)))
                        return error_set(sp->err, -ENOMEM, "out of memory");
                if ((r = settings_get_string(sp, m->value, vpath, &(*map)[2 * k + 1])) < 0)
                        return r;
        }
        return 0;
}

static int string_map_show(const struct setting *s, const void *field, struct json **ret)
{
        char *const *map = *(char *const *const *)field;
        struct json *obj;

        (void)s;
        *ret = NULL;
        if (!map)
                return 0;
        if (!(obj = json_new_object()))
                return -ENOMEM;
        for (size_t k = 0; map[k]; k += 2)
                if (json_object_set(obj, map[k], json_new_string(map[k + 1])) < 0) {
                        json_free(obj);
                        return -ENOMEM;
                }
        *ret = obj;
        return 0;
}

static void string_map_free(const struct setting *s, void *field)
{
        (void)s;
        strv_free(*(char ***)field);
        *(char ***)field = NULL;
}

static const struct setting_type setting_string_map = {
        .doc = "object",
        .parse = string_map_parse,
        .show = string_map_show,
        .free = string_map_free,
        .size = sizeof(char **),
};

static const struct setting exemption_settings[] = {
        {"rules", &setting_rule_set, offsetof(struct policy_exemption, rules), SETTING_REQUIRED,
         .description = "the rules the workload is taken out of"},
        {"ids", &setting_strv, offsetof(struct policy_exemption, ids), SETTING_SHOW_IF_SET,
         .description = "container id patterns (fnmatch), one of which must match"},
        {"annotations", &setting_string_map, offsetof(struct policy_exemption, annotations),
         SETTING_SHOW_IF_SET,
         .description = "annotation keys, each with a value pattern (fnmatch) that must match"},
        {"reason", &setting_string, offsetof(struct policy_exemption, reason), SETTING_SHOW_IF_SET,
         .description = "shown in the audit record"},
};

static void exemptions_free(const struct setting *s, void *field)
{
        struct policy *p = field;

        (void)s;
        for (size_t i = 0; i < p->n_exemptions; i++)
                settings_free(exemption_settings, ELEMENTSOF(exemption_settings),
                              &p->exemptions[i]);
        free(p->exemptions);
        p->exemptions = NULL;
        p->n_exemptions = 0;
}

/* An exemption must say whom it exempts: one without ids or annotations would take every
 * container out of its rules, which the rules' own modes say more plainly. */
static int check_exemption(struct settings_parser *sp, const char *path,
                           const struct policy_exemption *e)
{
        if ((!e->ids || !e->ids[0]) && (!e->annotations || !e->annotations[0]))
                return settings_fail(sp, path,
                                     "matches every container: give ids or annotations (or set "
                                     "the rule's mode instead)");
        return 0;
}

static int exemptions_parse(struct settings_parser *sp, const struct setting *s,
                            const struct json *v, const char *path, void *field)
{
        struct policy *p = field;
        int r;

        if ((r = settings_expect(sp, v, JSON_ARRAY, path)) < 0)
                return r;
        exemptions_free(s, p);
        p->exemptions = calloc(v->array.n + 1, sizeof(*p->exemptions));
        if (!p->exemptions)
                return error_set(sp->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n; i++) {
                struct policy_exemption *e = &p->exemptions[p->n_exemptions++];
                size_t problems = settings_problems(sp);
                char item_path[96];

                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                if ((r = settings_parse(sp, exemption_settings, ELEMENTSOF(exemption_settings),
                                        v->array.items[i], item_path, e, NULL)) < 0)
                        return r;
                /* In collect mode, an item with problems of its own is not judged further. */
                if (settings_problems(sp) == problems &&
                    (r = settings_collect(sp, check_exemption(sp, item_path, e))) < 0)
                        return r;
        }
        return 0;
}

static int exemptions_show(const struct setting *s, const void *field, struct json **ret)
{
        const struct policy *p = field;
        struct json *list = json_new_array();

        (void)s;
        if (!list)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_exemptions; i++) {
                struct json *item = json_new_object();
                int r = item ? settings_show(exemption_settings, ELEMENTSOF(exemption_settings),
                                             &p->exemptions[i], item)
                             : -ENOMEM;
                if (r == 0)
                        r = json_array_append(list, item);
                else
                        json_free(item);
                if (r < 0) {
                        json_free(list);
                        return r;
                }
        }
        *ret = list;
        return 0;
}

const struct setting_type setting_policy_exemptions = {
        .doc = "array of objects",
        .parse = exemptions_parse,
        .show = exemptions_show,
        .free = exemptions_free,
};

/* ---- command_line ---- */

static int check_command_line_allow(struct settings_parser *sp, const char *path, const void *field)
{
        char *const *allow = *(char *const *const *)field;

        for (size_t i = 0; allow[i]; i++)
                if (!cliflags_is_allowable(allow[i]))
                        return settings_fail(sp, path,
                                             "'%s' is not a refused flag or subcommand of runc or "
                                             "crun (hardrunctl explain command_line lists them)",
                                             allow[i]);
        return 0;
}

/* Command-line entries no rule owns: unknown options and subcommands, restore, the runtime's
 * internal entry points; its mode, when absent, is the global one (the loader resolves it). */
const struct setting policy_command_line_settings[] = {
        {"mode", &setting_policy_mode, offsetof(struct policy, command_line.mode),
         .description = "what happens to a command line entry no rule owns; absent: the "
                        "global mode"},
        {"allow", &setting_strv, offsetof(struct policy, command_line.allow),
         .check = check_command_line_allow,
         .description = "refused flags and subcommands the admins allow anyway "
                        "(\"--no-pivot\", \"restore\", ...)"},
};

/* ---- messages ---- */

/* One line the engine shows as it is: no control characters, a bounded length. */
static int check_contact(struct settings_parser *sp, const char *path, const void *field)
{
        const char *contact = *(char *const *)field;

        if (!contact)
                return 0;
        if (contact[0] == '\0' || strlen(contact) > HR_CONTACT_MAX)
                return settings_fail(sp, path, "must be 1 to %u bytes", HR_CONTACT_MAX);
        for (const char *c = contact; *c; c++)
                if ((unsigned char)*c < 0x20 || *c == 0x7f)
                        return settings_fail(sp, path,
                                             "must be one line without control characters");
        return 0;
}

const struct setting policy_messages_settings[] = {
        {"contact", &setting_string, offsetof(struct policy, messages.contact), SETTING_NULLABLE,
         .check = check_contact, .doc_type = "string or null",
         .description = "a line appended to every refusal (whom to ask); null: none"},
};

const struct policy policy_top_defaults = {
        .mode = HR_MODE_ENFORCE,
        .audit =
                {
                        .file = (char *)HR_DEFAULT_AUDIT_FILE,
                        .fail_on_error = true,
                },
        .command_line = {.mode = HR_MODE_ENFORCE},
};
