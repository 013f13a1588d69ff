/* lsm: the container runs under an AppArmor profile and SELinux type the policy accepts,
 * never "unconfined" or the super-privileged spc_t. CIS 5.2, 5.3; PSS baseline AppArmor,
 * SELinux. */
#include "rules/lsm.h"

#include <ctype.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

struct lsm_settings {
        char *apparmor_profile; /* set where none is (on AppArmor hosts); NULL: none */
        char *selinux_label;    /* set where none is (on SELinux hosts); NULL: none */
        char **selinux_types;   /* allowed types; NULL: the PSS list */
};

const char *lsm_sysfs_prefix = "";

static bool path_exists(const char *path)
{
        char full[RULE_PATH_MAX];
        struct stat st;

        snprintf(full, sizeof(full), "%s%s", lsm_sysfs_prefix, path);
        return stat(full, &st) == 0;
}

/* runc's apparmor.IsEnabled(): the securityfs directory exists and the module parameter
 * reads "Y...". Without both, runc fails to apply any profile. */
static bool is_apparmor_enabled(void)
{
        _cleanup_close_ int fd = -1;
        char full[RULE_PATH_MAX], buf[2];

        if (!path_exists("/sys/kernel/security/apparmor"))
                return false;
        snprintf(full, sizeof(full), "%s/sys/module/apparmor/parameters/enabled", lsm_sysfs_prefix);
        fd = open(full, O_RDONLY | O_CLOEXEC);
        return fd >= 0 && read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf) && buf[0] == 'Y';
}

/* Without selinuxfs runc refuses any label ("selinux is disabled or not supported"). */
static bool is_selinux_enabled(void)
{
        return path_exists("/sys/fs/selinux/enforce");
}

/* One profile of a label as aa_fqlookupn_profile() finds it: a namespace with no profile name
 * (":ns", ":ns:", "::") means that namespace's unconfined, and aa_lookupn_profile() takes any
 * prefix of "unconfined" no loaded profile has ("u", "unconf") for unconfined. */
static bool is_unconfined_component(const char *s, size_t n)
{
        while (n > 0 && isspace((unsigned char)*s))
                s++, n--;
        if (n > 0 && *s == ':') {
                const char *split = memchr(s + 1, ':', n - 1);
                if (!split)
                        return true;
                n -= (size_t)(split + 1 - s);
                s = split + 1;
                if (n >= 2 && s[0] == '/' && s[1] == '/')
                        s += 2, n -= 2;
                while (n > 0 && isspace((unsigned char)*s))
                        s++, n--;
        }
        return n <= strlen("unconfined") && strncmp(s, "unconfined", n) == 0;
}

/* The profile as the kernel reads "exec NAME" from /proc/self/attr/exec: up to a NUL, blanks
 * trimmed, a leading '&' (stack onto the current profile) changing nothing about the name. A
 * stack ("a//&b") is unconfined only when every profile in it is. */
bool lsm_apparmor_is_unconfined(const char *name)
{
        const char *end, *split;

        while (isspace((unsigned char)*name) || *name == '&')
                name++;
        end = name + strlen(name);
        while (end > name && isspace((unsigned char)end[-1]))
                end--;
        /* Nothing: runc and crun apply no profile (the kernel refuses "exec &"). */
        if (end == name)
                return false;
        for (;; name = split + strlen("//&")) {
                split = strstr(name, "//&");
                if (!split || split > end)
                        return is_unconfined_component(name, (size_t)(end - name));
                if (!is_unconfined_component(name, (size_t)(split - name)))
                        return false;
        }
}

static int check_apparmor(struct rule_ctx *ctx, struct json *process, const char *prefix,
                          struct hr_error *err)
{
        const struct lsm_settings *own = ctx->settings;
        const char *profile = own->apparmor_profile;
        char path[RULE_PATH_MAX];
        struct json *v;
        int r;

        snprintf(path, sizeof(path), "%s/apparmorProfile", prefix);
        r = rule_field(ctx, process, prefix, "apparmorProfile", JSON_STRING, false, &v, err);
        if (r < 0)
                return r;
        if (r == 1 && lsm_apparmor_is_unconfined(v->scalar.text)) {
                if (profile)
                        return rule_set(ctx, process, prefix, "apparmorProfile",
                                        json_new_string(profile), err);
                return rule_refuse(ctx, path, v, "an AppArmor profile, not 'unconfined'", err);
        }
        /* An exec process without a profile gets the container's (runc, crun): filling in the
         * default there would replace a profile the container was allowed to have. */
        if ((r == 0 || v->scalar.text[0] == '\0') && profile && ctx->kind == SPEC_CONFIG &&
            is_apparmor_enabled())
                return rule_set(ctx, process, prefix, "apparmorProfile", json_new_string(profile),
                                err);
        return 0;
}

/* The type of "user:role:type[:level]" (the level may hold more colons), copied into buf;
 * "" when the label has fewer than three fields. Read up to a NUL, as the kernel does. */
static void selinux_type(const char *label, char *buf, size_t size)
{
        const char *role = strchr(label, ':');
        const char *type = role ? strchr(role + 1, ':') : NULL;
        size_t n;

        buf[0] = '\0';
        if (!type)
                return;
        type++;
        n = strcspn(type, ":");
        if (n < size)
                snprintf(buf, size, "%.*s", (int)n, type);
}

/* PSS baseline "SELinux": container types only. */
static const char *const default_selinux_types[] = {
        "container_t", "container_init_t", "container_kvm_t", "container_engine_t", NULL,
};

static bool is_allowed_type(const struct lsm_settings *own, const char *type)
{
        for (const char *const *t = settings_strv_or(own->selinux_types, default_selinux_types); *t;
             t++)
                if (strcmp(*t, type) == 0)
                        return true;
        return false;
}

static bool label_allowed(const struct lsm_settings *own, const char *label)
{
        char type[RULE_PATH_MAX];

        selinux_type(label, type, sizeof(type));
        return strcmp(type, "spc_t") != 0 && is_allowed_type(own, type);
}

bool lsm_selinux_label_allowed(const struct policy *p, const char *label)
{
        return label_allowed(p->rule_settings[RULE_LSM], label);
}

/* The kernel trims blanks and reads '&' as "stack": " &unconfined" is unconfined too. */
static int check_profile_name(struct settings_parser *sp, const char *path, const void *field)
{
        const char *name = *(char *const *)field;
        size_t n = name ? strlen(name) : 0;

        if (name && (n == 0 || name[0] == '&' || isspace((unsigned char)name[0]) ||
                     isspace((unsigned char)name[n - 1]) || lsm_apparmor_is_unconfined(name)))
                return settings_fail(sp, path,
                                     "must name a profile (not empty, not unconfined, no "
                                     "blanks, no leading '&')");
        return 0;
}

static int check_label_form(struct settings_parser *sp, const char *path, const void *field)
{
        const char *label = *(char *const *)field;

        if (label && strchr(label, ':') == NULL)
                return settings_fail(sp, path, "'%s' is not a user:role:type:level label", label);
        return 0;
}

static const struct setting settings[] = {
        {"apparmor_profile", &setting_string, offsetof(struct lsm_settings, apparmor_profile),
         SETTING_NULLABLE, .check = check_profile_name, .doc_type = "string or null",
         .description = "profile that replaces unconfined and is set where none is (on "
                        "AppArmor hosts); null: unconfined is refused, nothing is set"},
        {"selinux_label", &setting_string, offsetof(struct lsm_settings, selinux_label),
         SETTING_NULLABLE, .check = check_label_form, .doc_type = "string or null",
         .description = "user:role:type:level label that replaces a disallowed one and is set "
                        "where none is (on SELinux hosts); its type must be allowed; null: "
                        "disallowed labels are refused"},
        {"selinux_types", &setting_strv, offsetof(struct lsm_settings, selinux_types),
         .builtin = default_selinux_types,
         .description = "the allowed SELinux types; spc_t is refused even when listed"},
};

static const struct lsm_settings defaults = {0};

/* The rule writes the policy's label where a type is refused: it must pass the rule itself. */
static int validate_lsm(struct settings_parser *sp, const char *path, const void *own)
{
        const struct lsm_settings *s = own;
        char sub[64];

        if (!s->selinux_label || label_allowed(s, s->selinux_label))
                return 0;
        snprintf(sub, sizeof(sub), "%s/selinux_label", path);
        return settings_fail(sp, sub, "the type of '%s' is not one of selinux_types (or is spc_t)",
                             s->selinux_label);
}

static int check_selinux(struct rule_ctx *ctx, struct json *process, const char *prefix,
                         struct hr_error *err)
{
        const struct lsm_settings *own = ctx->settings;
        const char *label = own->selinux_label;
        char path[RULE_PATH_MAX], type[RULE_PATH_MAX];
        struct json *v;
        int r;

        snprintf(path, sizeof(path), "%s/selinuxLabel", prefix);
        r = rule_field(ctx, process, prefix, "selinuxLabel", JSON_STRING, false, &v, err);
        if (r < 0)
                return r;
        if (r == 0 || v->scalar.text[0] == '\0') {
                if (label && ctx->kind == SPEC_CONFIG && is_selinux_enabled())
                        return rule_set(ctx, process, prefix, "selinuxLabel",
                                        json_new_string(label), err);
                return 0;
        }
        selinux_type(v->scalar.text, type, sizeof(type));
        /* spc_t is what engines give a container they do not label at all (podman
         * --privileged, label=disable): its volumes were never relabelled, so no other type
         * would run it. Refused even when the policy lists it. */
        if (strcmp(type, "spc_t") == 0)
                return rule_refuse(ctx, path, v, "a confined SELinux type, not 'spc_t'", err);
        if (is_allowed_type(own, type))
                return 0;
        if (label)
                return rule_set(ctx, process, prefix, "selinuxLabel", json_new_string(label), err);
        return rule_refuse(ctx, path, v, "an SELinux label whose type the policy allows", err);
}

static int apply_lsm(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *process;
        const char *prefix;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        if ((r = check_apparmor(ctx, process, prefix, err)) < 0)
                return r;
        return check_selinux(ctx, process, prefix, err);
}

/* runc's --apparmor and --process-label: an empty value means "none", the container's own
 * profile or label applies. */
static int check_exec_flags_lsm(struct rule_ctx *ctx, const struct cli_exec_flags *flags,
                                struct hr_error *err)
{
        const struct lsm_settings *own = ctx->settings;
        int r;

        if (flags->apparmor && lsm_apparmor_is_unconfined(flags->apparmor) &&
            (r = rule_refuse_flag(ctx, "--apparmor", flags->apparmor, own->apparmor_profile, err)) <
                    0)
                return r;
        if (flags->process_label && flags->process_label[0] &&
            !label_allowed(own, flags->process_label) &&
            (r = rule_refuse_flag(ctx, "--process-label", flags->process_label, own->selinux_label,
                                  err)) < 0)
                return r;
        return 0;
}

static const char *const owns[] = {"/process/apparmorProfile", "/process/selinuxLabel", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "lsm",
        .summary = "the process runs under an AppArmor profile and an SELinux type, "
                   "never unconfined",
        .enforce = "apparmorProfile \"unconfined\" becomes the policy's profile, and "
                   "a selinuxLabel whose type is not in selinux_types the policy's "
                   "label; without a policy profile or label, and for the type spc_t "
                   "always, the spec is refused, in enforce mode too. An absent "
                   "profile or label is set only on hosts that run AppArmor or SELinux "
                   "(elsewhere runc would fail to apply it), and never in exec process "
                   "files, which inherit the container's. linux.mountLabel is left to "
                   "the engine.",
        .deny = "apparmorProfile \"unconfined\", a selinuxLabel type outside "
                "selinux_types or spc_t, or (on a host with the LSM) no profile or "
                "label where the policy names one",
        .spec = "process.apparmorProfile, process.selinuxLabel",
        .cis = "5.2 (an AppArmor profile is enabled, if applicable), 5.3 (SELinux "
               "security options are set, if applicable)",
        .pss = "baseline: AppArmor (not Unconfined), SELinux (type container_t, "
               "container_init_t, container_kvm_t or container_engine_t)",
};

static bool engine_term_lsm(const struct finding *f, const struct json *spec, bool cli, char *buf,
                            size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "--security-opt apparmor=/label=", "appArmorProfile/seLinuxOptions",
                          buf, size);
}

const struct rule rule_lsm = {
        .id = RULE_LSM,
        .name = "lsm",
        .owns = owns,
        .for_process = true,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct lsm_settings),
        .defaults = &defaults,
        .validate = validate_lsm,
        .apply = apply_lsm,
        .check_exec_flags = check_exec_flags_lsm,
        .engine_term = engine_term_lsm,
        .doc = &doc,
};
