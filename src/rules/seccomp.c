/* seccomp: the policy's profile replaces whatever the spec carries, or, with merge
 * keep_if_stricter, the spec's own profile stays when it allows nothing the policy's does not. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>

#include "profiles.h"
#include "rules/helpers.h"
#include "rules/seccomp.h"
#include "rules/terms.h"
#include "seccomp-load.h"
#include "seccomp-profile.h"
#include "util/cleanup.h"

/* setting_choice stores an int index into its values, which list the names in enum order. */
_Static_assert(sizeof(enum seccomp_merge_strategy) == sizeof(int), "merge is read as an int");
_Static_assert(sizeof(enum seccomp_unknown_names) == sizeof(int), "unknown is read as an int");

static int check_profile(struct settings_parser *sp, const char *path, const void *field)
{
        const char *profile = *(char *const *)field;

        if (profile[0] != '/' && !profile_builtin(profile, NULL))
                return settings_fail(sp, path,
                                     "'%s' is neither an absolute path nor a built-in profile",
                                     profile);
        return 0;
}

/* The loaded profile: a cache the settings own, never read from or shown in the policy. */
static void loaded_free(const struct setting *s, void *field)
{
        (void)s;
        *(struct json **)field = json_free(*(struct json **)field);
}

static const struct setting_type setting_loaded = {
        .free = loaded_free,
        .size = sizeof(struct json *),
};

static const struct setting settings[] = {
        {"profile", &setting_string, offsetof(struct seccomp_settings, profile),
         .check = check_profile,
         .description = "built-in \"default\" or \"strict\", or the absolute path of a "
                        "root-owned profile file (an OCI linux.seccomp object)"},
        {"merge", &setting_choice, offsetof(struct seccomp_settings, merge),
         .values = (const char *const[]){"replace", "keep_if_stricter", NULL},
         .description = "\"replace\": always install the policy's profile; "
                        "\"keep_if_stricter\": keep the spec's profile when it allows no "
                        "syscall (or argument value) the policy's does not"},
        {"unknown_syscalls", &setting_choice, offsetof(struct seccomp_settings, unknown),
         .values = (const char *const[]){"error", "ignore", NULL},
         .description = "\"error\": a syscall name libseccomp does not know (except newer "
                        "syscalls) makes a profile invalid; \"ignore\": skip it as runc and "
                        "crun do"},
        {"loaded", &setting_loaded, offsetof(struct seccomp_settings, loaded),
         .flags = SETTING_STATE},
};

static const struct seccomp_settings defaults = {
        .profile = (char *)"default",
        .merge = SECCOMP_MERGE_REPLACE,
        .unknown = SECCOMP_UNKNOWN_ERROR,
};

int policy_seccomp_profile(struct policy *p, const struct json **ret, struct hr_error *err)
{
        struct seccomp_settings *own = p->rule_settings[RULE_SECCOMP];
        struct json *doc;
        int r;

        /* Only a full policy has rule settings; a pass-through never installs a profile. */
        if (!own)
                return error_set(err, -EINVAL, "%s: the policy's rules were not read", p->source);
        if (own->loaded) {
                *ret = own->loaded;
                return 0;
        }
        if ((r = seccomp_profile_load(own->profile, own->unknown, &doc, err)) < 0)
                return r;
        own->loaded = doc;
        *ret = doc;
        return 0;
}

struct json *policy_seccomp_profile_take(struct policy *p)
{
        struct seccomp_settings *own = p->rule_settings[RULE_SECCOMP];

        return own ? TAKE_PTR(own->loaded) : NULL;
}

/* The audit log gets a summary, not a 30 KiB profile per container. */
static struct json *summarise(const struct json *profile, const char *name)
{
        struct json *s = json_new_object();
        const struct json *v;

        if (!s)
                return NULL;
        if (name && json_object_set(s, "profile", json_new_string(name)) < 0)
                return json_free(s);
        v = json_object_get(profile, "defaultAction");
        if (v && json_object_set(s, "defaultAction", json_clone(v)) < 0)
                return json_free(s);
        v = json_object_get(profile, "syscalls");
        if (v && v->type == JSON_ARRAY &&
            json_object_set(s, "syscallRules", json_new_uint(v->array.n)) < 0)
                return json_free(s);
        return s;
}

static int apply_seccomp(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct json *profile;
        struct json *linux_obj, *current, *before = NULL, *after = NULL, *copy;
        struct seccomp_merge_decision decision = {0};
        const struct seccomp_settings *own = ctx->settings;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, true, &linux_obj, err);
        if (r < 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "seccomp", JSON_OBJECT, false, &current, err);
        if (r < 0)
                return r;
        r = policy_seccomp_profile(ctx->policy, &profile, err);
        if (r < 0)
                return r;
        if (current && json_equal(current, profile))
                return 0;
        if (current && own->merge == SECCOMP_MERGE_KEEP_IF_STRICTER) {
                char label[RULE_PATH_MAX];
                const struct seccomp_source theirs = {ctx->file, "/linux/seccomp", own->unknown};
                const struct seccomp_source ours = {label, "", own->unknown};

                /* Ours is installed for the host's architectures only; theirs is compared on
                 * the same ones, since no other can make a syscall here. */
                struct json *host_theirs = json_clone(current);

                if (!host_theirs)
                        return error_set(err, -ENOMEM, "out of memory");
                /* A fresh copy outside any checkpoint: removals cannot fail; checked anyway. */
                if ((r = seccomp_profile_keep_host_arches(host_theirs)) < 0) {
                        json_free(host_theirs);
                        return error_set(err, r, "out of memory");
                }
                snprintf(label, sizeof(label), "profile '%s'", own->profile);
                r = seccomp_profile_merge(SECCOMP_MERGE_KEEP_IF_STRICTER, host_theirs, &theirs,
                                          profile, &ours, &decision, err);
                json_free(host_theirs);
                if (r < 0)
                        return r;
                /* Kept: nothing changes, so there is nothing to record (and enforcing twice
                 * stays a no-op). */
                if (decision.keep)
                        return 0;
        }

        after = summarise(profile, own->profile);
        before = current ? summarise(current, NULL) : NULL;
        /* The spec takes the loaded profile itself: a copy of ~500 nodes per start for nothing. */
        copy = policy_seccomp_profile_take(ctx->policy);
        profile = NULL;
        /* Why the spec's own profile went: the audit log says it. */
        if (after && decision.reason[0] &&
            (json_object_set(after, "merge", json_new_string("keep_if_stricter")) < 0 ||
             json_object_set(after, "reason", json_new_string(decision.reason)) < 0))
                after = json_free(after);
        if (!copy || !after || (current && !before)) {
                json_free(copy);
                r = error_set(err, -ENOMEM, "out of memory");
                goto out;
        }
        r = rule_record(ctx, "/linux/seccomp", before, after, err);
        if (r < 0) {
                json_free(copy);
                goto out;
        }
        r = json_object_set(linux_obj, "seccomp", copy);
        if (r < 0)
                r = error_set(err, r, "out of memory");
out:
        json_free(before);
        json_free(after);
        return r;
}

static const char *const owns[] = {"/linux/seccomp", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "seccomp",
        .summary = "the policy's seccomp profile is installed",
        .enforce = "linux.seccomp is replaced by the policy's profile (for the host's "
                   "architectures), or with merge keep_if_stricter the spec's own "
                   "profile stays when it allows nothing more.",
        .deny = "no profile, or one that differs from the policy's (and, with "
                "keep_if_stricter, allows more)",
        .spec = "linux.seccomp",
        .cis = "5.22 (the default seccomp profile is not disabled)",
        .pss = "baseline: Seccomp (not Unconfined); restricted: Seccomp (RuntimeDefault "
               "or Localhost)",
};

/* Only a filter turned off: a changed profile is the engine's own, nothing the user chose. */
static bool engine_term_seccomp(const struct finding *f, const struct json *spec, bool cli,
                                char *buf, size_t size)
{
        (void)spec;
        if (f->before)
                return false;
        return term_words(cli, "--security-opt seccomp=unconfined", "seccompProfile: Unconfined",
                          buf, size);
}

const struct rule rule_seccomp = {
        .id = RULE_SECCOMP,
        .name = "seccomp",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct seccomp_settings),
        .defaults = &defaults,
        .apply = apply_seccomp,
        .engine_term = engine_term_seccomp,
        .doc = &doc,
};
