/* lsm: the container runs under an AppArmor profile and SELinux type the policy accepts,
 * never "unconfined" or the super-privileged spc_t. CIS 5.2, 5.3; PSS baseline AppArmor,
 * SELinux. */
#include "rules/lsm.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/helpers.h"
#include "util/cleanup.h"

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
        const char *profile = ctx->policy->lsm.apparmor_profile;
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

const char *const *policy_selinux_types(const struct policy *p)
{
        return p->lsm.selinux_types ? (const char *const *)p->lsm.selinux_types
                                    : default_selinux_types;
}

static bool is_allowed_type(const struct policy *p, const char *type)
{
        for (const char *const *t = policy_selinux_types(p); *t; t++)
                if (strcmp(*t, type) == 0)
                        return true;
        return false;
}

bool lsm_selinux_label_allowed(const struct policy *p, const char *label)
{
        char type[RULE_PATH_MAX];

        selinux_type(label, type, sizeof(type));
        return strcmp(type, "spc_t") != 0 && is_allowed_type(p, type);
}

static int check_selinux(struct rule_ctx *ctx, struct json *process, const char *prefix,
                         struct hr_error *err)
{
        const char *label = ctx->policy->lsm.selinux_label;
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
        if (is_allowed_type(ctx->policy, type))
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

static const char *const owns[] = {"/process/apparmorProfile", "/process/selinuxLabel", NULL};

const struct rule rule_lsm = {
        .id = RULE_LSM,
        .name = "lsm",
        .owns = owns,
        .for_process = true,
        .apply = apply_lsm,
};
