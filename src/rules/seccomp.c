/* seccomp: the policy's profile replaces whatever the spec carries, or, with merge
 * keep_if_stricter, the spec's own profile stays when it allows nothing the policy's does not. */
#include <errno.h>
#include <stdio.h>

#include "rules/helpers.h"
#include "seccomp-load.h"
#include "seccomp-profile.h"
#include "util/cleanup.h"

int policy_seccomp_profile(struct policy *p, const struct json **ret, struct hr_error *err)
{
        struct json *doc;
        int r;

        if (p->seccomp.loaded) {
                *ret = p->seccomp.loaded;
                return 0;
        }
        if ((r = seccomp_profile_load(p->seccomp.profile, p->seccomp.unknown, &doc, err)) < 0)
                return r;
        p->seccomp.loaded = doc;
        *ret = doc;
        return 0;
}

struct json *policy_seccomp_profile_take(struct policy *p)
{
        return TAKE_PTR(p->seccomp.loaded);
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
        if (current && ctx->policy->seccomp.merge == SECCOMP_MERGE_KEEP_IF_STRICTER) {
                char label[RULE_PATH_MAX];
                const struct seccomp_source theirs = {ctx->file, "/linux/seccomp",
                                                      ctx->policy->seccomp.unknown};
                const struct seccomp_source ours = {label, "", ctx->policy->seccomp.unknown};

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
                snprintf(label, sizeof(label), "profile '%s'", ctx->policy->seccomp.profile);
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

        after = summarise(profile, ctx->policy->seccomp.profile);
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

const struct rule rule_seccomp = {
        .id = RULE_SECCOMP,
        .name = "seccomp",
        .owns = owns,
        .for_process = false,
        .apply = apply_seccomp,
};
