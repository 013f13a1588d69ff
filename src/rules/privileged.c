/* privileged: reports a spec that looks like `docker run --privileged` (the OCI spec has no such
 * flag, so it is told by its marks), before the other rules take those marks away. One finding
 * lists every mark found; nothing is rewritten here. CIS 5.5, 5.23; PSS Privileged Containers. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>

#include "capability.h"
#include "rules/lsm.h"
#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

/* Engine defaults show at most one mark: `runc spec` and `ctr run` set no seccomp filter,
 * Docker with userns-remap mounts cgroup read-write. --privileged shows five or more. */
#define PRIVILEGED_MIN_MARKS 2

#define CAP_BIT(c) (UINT64_C(1) << (c))

struct marks {
        struct json *list; /* array of strings, the finding's before */
        bool caps;         /* the capability mark, alone enough for an exec process */
};

static int mark(struct marks *m, const char *what, struct hr_error *err)
{
        if (json_array_append(m->list, json_new_string(what)) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        return 0;
}

/* Whether mask holds every capability a container could get here: the kernel's (not only those
 * libcap was built with) that hardrun's own bounding set holds, as on a host where some are
 * dropped for all; all of them when that set is empty. A bounded capability missing from mask
 * ends the question: one prctl() for most specs, not one per capability. */
static bool holds_host_caps(uint64_t mask)
{
        int n = cap_max_bits();

        if (n <= 0 || n > 64)
                n = CAP_LAST_CAP + 1;
        for (int c = 0; c < n; c++)
                if (!(mask & CAP_BIT(c)) && cap_get_bound((cap_value_t)c) > 0)
                        return false;
        /* Every bounded capability is in mask. Unless mask holds them all anyway, that means
         * something only when one is bounded. */
        for (int c = 0; c < n; c++)
                if (!(mask & CAP_BIT(c)))
                        break;
                else if (c == n - 1)
                        return true;
        for (int c = 0; c < n; c++)
                if ((mask & CAP_BIT(c)) && cap_get_bound((cap_value_t)c) > 0)
                        return true;
        return false;
}

static int check_caps(struct rule_ctx *ctx, struct json *process, const char *prefix,
                      struct marks *m, struct hr_error *err)
{
        char caps_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
        struct json *caps, *bounding;
        uint64_t mask = 0;
        int r;

        r = rule_field(ctx, process, prefix, "capabilities", JSON_OBJECT, false, &caps, err);
        if (r < 0)
                return r;
        if (r == 0) {
                /* runc's create keeps every capability it has; an exec process without the
                 * object gets the container's. */
                if (ctx->kind == SPEC_PROCESS)
                        return 0;
                m->caps = true;
                return mark(m, "no capabilities object (all capabilities)", err);
        }
        snprintf(caps_path, sizeof(caps_path), "%s/capabilities", prefix);
        /* A root process gains its bounding set at the next execve. */
        r = rule_field(ctx, caps, caps_path, "bounding", JSON_ARRAY, false, &bounding, err);
        if (r <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/bounding", caps_path);
        if ((r = rule_check_items(ctx, bounding, path, JSON_STRING, err)) < 0)
                return r;
        for (size_t i = 0; i < bounding->array.n; i++) {
                const struct json *item = bounding->array.items[i];
                unsigned cap;
                /* Unknown names are the capabilities rule's business. */
                if (capability_from_name(item->scalar.text, &cap) == 0 && cap < 64)
                        mask |= CAP_BIT(cap);
        }
        if (holds_host_caps(mask)) {
                m->caps = true;
                return mark(m, "all capabilities", err);
        }
        if (mask & CAP_BIT(CAP_SYS_ADMIN)) {
                m->caps = true;
                return mark(m, "CAP_SYS_ADMIN in the bounding set", err);
        }
        return 0;
}

static int check_apparmor(struct rule_ctx *ctx, struct json *process, const char *prefix,
                          struct marks *m, struct hr_error *err)
{
        struct json *profile;
        int r = rule_field(ctx, process, prefix, "apparmorProfile", JSON_STRING, false, &profile,
                           err);

        if (r <= 0)
                return r;
        return lsm_apparmor_is_unconfined(profile->scalar.text)
                       ? mark(m, "AppArmor profile unconfined", err)
                       : 0;
}

static bool is_allow_all_action(const char *action)
{
        return strcmp(action, "SCMP_ACT_ALLOW") == 0 || strcmp(action, "SCMP_ACT_LOG") == 0;
}

static int check_seccomp(struct rule_ctx *ctx, struct json *linux_obj, struct marks *m,
                         struct hr_error *err)
{
        struct json *seccomp = NULL, *action, *syscalls;
        int r = 0;

        if (linux_obj)
                r = rule_field(ctx, linux_obj, "/linux", "seccomp", JSON_OBJECT, false, &seccomp,
                               err);
        if (r < 0)
                return r;
        if (r == 0)
                return mark(m, "no seccomp filter", err);
        r = rule_field(ctx, seccomp, "/linux/seccomp", "defaultAction", JSON_STRING, false, &action,
                       err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, seccomp, "/linux/seccomp", "syscalls", JSON_ARRAY, false, &syscalls,
                       err);
        if (r < 0)
                return r;
        if (is_allow_all_action(action->scalar.text) && (r == 0 || syscalls->array.n == 0))
                return mark(m, "seccomp allows every syscall", err);
        return 0;
}

static int check_masked(struct rule_ctx *ctx, struct json *linux_obj, struct marks *m,
                        struct hr_error *err)
{
        static const char *const keys[] = {"maskedPaths", "readonlyPaths"};

        for (size_t k = 0; linux_obj && k < ELEMENTSOF(keys); k++) {
                struct json *list;
                int r = rule_field(ctx, linux_obj, "/linux", keys[k], JSON_ARRAY, false, &list,
                                   err);
                if (r < 0)
                        return r;
                if (r == 1 && list->array.n > 0)
                        return 0;
        }
        /* Docker clears both lists for --privileged (and for systempaths=unconfined). */
        return mark(m, "no masked or read-only paths", err);
}

static int mount_string(struct rule_ctx *ctx, struct json *mnt, const char *path, const char *key,
                        const char **ret, struct hr_error *err)
{
        struct json *v;
        int r = rule_field(ctx, mnt, path, key, JSON_STRING, false, &v, err);

        *ret = r == 1 ? v->scalar.text : "";
        return r < 0 ? r : 0;
}

/* Whether the mount's options end up read-only: the last of ro/rw wins, as in mount(8), unless
 * a recursive rro/rrw is given: runc and crun apply those with mount_setattr() after the mount,
 * so the last of them wins over either. */
static int mount_is_ro(struct rule_ctx *ctx, struct json *mnt, const char *path, bool *ret,
                       struct hr_error *err)
{
        char opath[RULE_PATH_MAX];
        struct json *options;
        bool ro = false, rec = false, rec_ro = false;
        int r = rule_field(ctx, mnt, path, "options", JSON_ARRAY, false, &options, err);

        if (r < 0)
                return r;
        rule_key_path(opath, path, "options");
        if (r == 1 && (r = rule_check_items(ctx, options, opath, JSON_STRING, err)) < 0)
                return r;
        for (size_t i = 0; options && i < options->array.n; i++) {
                const struct json *o = options->array.items[i];
                if (strcmp(o->scalar.text, "ro") == 0)
                        ro = true;
                else if (strcmp(o->scalar.text, "rw") == 0)
                        ro = false;
                else if (strcmp(o->scalar.text, "rro") == 0)
                        rec = rec_ro = true;
                else if (strcmp(o->scalar.text, "rrw") == 0)
                        rec = true, rec_ro = false;
        }
        *ret = rec ? rec_ro : ro;
        return 0;
}

static int check_mounts(struct rule_ctx *ctx, struct json *doc, struct marks *m,
                        struct hr_error *err)
{
        bool sys_rw = false, cgroup_rw = false;
        struct json *mounts;
        int r = rule_field(ctx, doc, "", "mounts", JSON_ARRAY, false, &mounts, err);

        if (r <= 0)
                return r;
        for (size_t i = 0; i < mounts->array.n; i++) {
                struct json *mnt = mounts->array.items[i];
                char path[RULE_PATH_MAX], dest[RULE_PATH_MAX];
                const char *destination, *type;
                bool ro = false;

                rule_index_path(path, "/mounts", i);
                if (mnt->type != JSON_OBJECT)
                        return rule_fail(ctx, path, err, "expected object, got %s",
                                         json_type_name(mnt->type));
                if ((r = mount_string(ctx, mnt, path, "destination", &destination, err)) < 0 ||
                    (r = mount_string(ctx, mnt, path, "type", &type, err)) < 0 ||
                    (r = mount_is_ro(ctx, mnt, path, &ro, err)) < 0)
                        return r;
                if (ro)
                        continue;
                /* A destination too long to clean is neither /sys nor /sys/fs/cgroup. */
                if (!rule_clean_path(destination, dest, sizeof(dest)))
                        dest[0] = '\0';
                if (strcmp(dest, "/sys") == 0)
                        sys_rw = true;
                else if (strcmp(dest, "/sys/fs/cgroup") == 0 || strcmp(type, "cgroup") == 0 ||
                         strcmp(type, "cgroup2") == 0)
                        cgroup_rw = true;
        }
        if (sys_rw && (r = mark(m, "/sys mounted read-write", err)) < 0)
                return r;
        if (cgroup_rw && (r = mark(m, "cgroup filesystem mounted read-write", err)) < 0)
                return r;
        return 0;
}

static bool is_any_number(const struct json *v)
{
        return !v || v->type == JSON_NULL ||
               (v->type == JSON_NUMBER && strcmp(v->scalar.text, "-1") == 0);
}

/* A rule for every device: no type (or "a", or "", which runc reads as "a") and no major or
 * minor. */
static bool is_all_devices(const struct json *rule)
{
        const struct json *type = json_object_get(rule, "type");

        return (json_is_null(type) ||
                (type->type == JSON_STRING &&
                 (strcmp(type->scalar.text, "a") == 0 || type->scalar.len == 0))) &&
               is_any_number(json_object_get(rule, "major")) &&
               is_any_number(json_object_get(rule, "minor"));
}

static int check_device_rules(struct rule_ctx *ctx, struct json *linux_obj, struct marks *m,
                              struct hr_error *err)
{
        struct json *resources, *rules;
        bool allow_all = false;
        int r;

        r = rule_field(ctx, linux_obj, "/linux", "resources", JSON_OBJECT, false, &resources, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, resources, "/linux/resources", "devices", JSON_ARRAY, false, &rules,
                       err);
        if (r <= 0)
                return r;
        if ((r = rule_check_items(ctx, rules, "/linux/resources/devices", JSON_OBJECT, err)) < 0)
                return r;
        /* Later rules override earlier ones: what counts is the last rule for all devices. */
        for (size_t i = 0; i < rules->array.n; i++) {
                const struct json *rule = rules->array.items[i], *allow, *access;
                const char *a;
                if (!is_all_devices(rule))
                        continue;
                allow = json_object_get(rule, "allow");
                access = json_object_get(rule, "access");
                /* No access string means all of "rwm". */
                a = access && access->type == JSON_STRING ? access->scalar.text : "rwm";
                if (allow && allow->type == JSON_TRUE && (strchr(a, 'r') || strchr(a, 'w')))
                        allow_all = true;
                else if (!(allow && allow->type == JSON_TRUE) && strchr(a, 'r') && strchr(a, 'w'))
                        allow_all = false;
        }
        return allow_all ? mark(m, "device cgroup allows every device", err) : 0;
}

static int check_devices(struct rule_ctx *ctx, struct json *linux_obj, struct marks *m,
                         struct hr_error *err)
{
        struct json *devices;
        size_t host = 0;
        char what[64];
        int r;

        r = rule_field(ctx, linux_obj, "/linux", "devices", JSON_ARRAY, false, &devices, err);
        if (r <= 0)
                return r;
        if ((r = rule_check_items(ctx, devices, "/linux/devices", JSON_OBJECT, err)) < 0)
                return r;
        /* A malformed major or minor counts as a host device: fail closed. */
        for (size_t i = 0; i < devices->array.n; i++)
                if (!is_standard_device(devices->array.items[i]))
                        host++;
        if (host == 0)
                return 0;
        snprintf(what, sizeof(what), "%zu host device%s in linux.devices", host,
                 host == 1 ? "" : "s");
        return mark(m, what, err);
}

/* The marks found, as the finding's before; the threshold decides whether to report them. */
static int find_marks(struct rule_ctx *ctx, struct json *doc, struct marks *m, struct hr_error *err)
{
        struct json *process, *linux_obj = NULL;
        const char *prefix;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r < 0)
                return r;
        if (r == 1 && ((r = check_caps(ctx, process, prefix, m, err)) < 0 ||
                       (r = check_apparmor(ctx, process, prefix, m, err)) < 0))
                return r;
        if (ctx->kind == SPEC_PROCESS)
                return 0;
        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err);
        if (r < 0 || (r = check_seccomp(ctx, linux_obj, m, err)) < 0 ||
            (r = check_masked(ctx, linux_obj, m, err)) < 0 ||
            (r = check_mounts(ctx, doc, m, err)) < 0)
                return r;
        if (linux_obj && ((r = check_device_rules(ctx, linux_obj, m, err)) < 0 ||
                          (r = check_devices(ctx, linux_obj, m, err)) < 0))
                return r;
        return 0;
}

static int apply_privileged(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct marks m = {.list = json_new_array()};
        bool privileged;
        int r;

        if (!m.list)
                return error_set(err, -ENOMEM, "out of memory");
        r = find_marks(ctx, doc, &m, err);
        /* An exec process file can only carry capabilities and an AppArmor profile; the
         * capabilities are what `docker exec --privileged` changes. */
        privileged = ctx->kind == SPEC_PROCESS ? m.caps : m.list->array.n >= PRIVILEGED_MIN_MARKS;
        if (r == 0 && privileged)
                r = rule_report(ctx, "/", m.list, "not privileged", err);
        json_free(m.list);
        return r;
}

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "privileged",
        .summary = "a spec that looks like --privileged is reported (report only)",
        .enforce = "nothing is rewritten here: one 'detected' record lists the marks "
                   "found (all capabilities or CAP_SYS_ADMIN in the bounding set, no "
                   "capabilities object, no seccomp filter or one that allows every "
                   "syscall, AppArmor unconfined, no masked or read-only paths, /sys "
                   "or a cgroup filesystem mounted read-write, an allow-all device "
                   "cgroup rule, host devices beyond the standard set) when there are "
                   "two or more; the other rules then remove them. It runs first, so "
                   "it sees the spec as the engine wrote it. An exec process file is "
                   "reported when it holds CAP_SYS_ADMIN or every capability (exec "
                   "--privileged).",
        .deny = "such a spec or exec process (audit mode: 'detected' records only)",
        .spec = "process.capabilities.bounding, process.apparmorProfile, "
                "linux.seccomp, linux.maskedPaths, linux.readonlyPaths, mounts[], "
                "linux.resources.devices[], linux.devices[]",
        .cis = "5.5 (privileged containers are not used), 5.23 (docker exec commands "
               "are not used with the privileged option)",
        .pss = "baseline: Privileged Containers",
};

/* docker run --privileged, or a pod's privileged container. */
static bool engine_term_privileged(const struct finding *f, const struct json *spec, bool cli,
                                   char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "--privileged", "securityContext.privileged: true", buf, size);
}

const struct rule rule_privileged = {
        .id = RULE_PRIVILEGED,
        .name = "privileged",
        .for_process = true,
        .report_only = true,
        .apply = apply_privileged,
        .engine_term = engine_term_privileged,
        .doc = &doc,
};
