/* Policy checks on runc's inline exec flags. */
#include "execflags.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capability.h"
#include "json.h"
#include "rules/caps.h"
#include "rules/lsm.h"
#include "rules/user.h"

#define LSM(p) ((const struct lsm_settings *)(p)->rule_settings[RULE_LSM])

/* runc and crun take only numbers here ("UID[:GID]"); anything else is refused, as they do. */
static int parse_id(const char *s, size_t len, uint32_t *ret)
{
        unsigned long long v = 0;

        if (len == 0 || len > 10 || (len > 1 && s[0] == '0'))
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                if (s[i] < '0' || s[i] > '9')
                        return -EINVAL;
                v = v * 10 + (unsigned)(s[i] - '0');
        }
        if (v > UINT32_MAX)
                return -ERANGE;
        *ret = (uint32_t)v;
        return 0;
}

static int record(const struct policy *p, enum rule_id rule, const char *flag, const char *value,
                  const char *wanted, struct findings *out, bool *denied, struct hr_error *err)
{
        enum hr_mode mode = p->rule_mode[rule];
        struct json *before, *after;
        struct finding *f;
        char path[64];
        int r;

        if (mode == HR_MODE_OFF)
                return 0;
        snprintf(path, sizeof(path), "/argv/%s", flag);
        before = json_new_string(value);
        after = wanted ? json_new_string(wanted) : NULL;
        r = before && (after || !wanted) ? findings_add(out, rule, path, before, after) : -ENOMEM;
        json_free(before);
        json_free(after);
        if (r < 0)
                return error_set(err, r, "out of memory");
        f = &out->items[out->n - 1];
        f->mode = mode;
        /* argv is passed on unchanged, so enforce cannot fix a flag: it refuses like deny,
         * and audit predicts that. */
        f->action = mode == HR_MODE_AUDIT ? FINDING_WOULD_DENY : FINDING_DENIED;
        if (f->action == FINDING_DENIED)
                *denied = true;
        return 0;
}

/* Root, or stays root: crun hands 4294967295, (uid_t)-1, to setresuid() as "unchanged". */
static bool is_root_id(uint32_t id)
{
        return id == 0 || id == UINT32_MAX;
}

static int check_user(const struct policy *p, const char *user, struct findings *out, bool *denied,
                      struct hr_error *err)
{
        const char *colon = strchr(user, ':');
        size_t uid_len = colon ? (size_t)(colon - user) : strlen(user);
        uint32_t uid, gid = 0;
        bool bad;
        const struct user_settings *s = p->rule_settings[RULE_USER];
        char want[32];

        snprintf(want, sizeof(want), "%u:%u", s->uid, s->gid);
        /* Without ":GID" crun runs the process as gid 0 (runc keeps the container's gid). */
        if (parse_id(user, uid_len, &uid) < 0 ||
            (colon && parse_id(colon + 1, strlen(colon + 1), &gid) < 0))
                return record(p, RULE_USER, "--user", user, want, out, denied, err);
        bad = is_root_id(uid) || is_root_id(gid) ||
              (!s->keep_non_root && (uid != s->uid || gid != s->gid));
        return bad ? record(p, RULE_USER, "--user", user, want, out, denied, err) : 0;
}

int execflags_check(const struct policy *p, const struct cli_exec_flags *flags,
                    struct findings *out, bool *ret_denied, struct hr_error *err)
{
        bool denied = false;
        int r;

        if (flags->user && (r = check_user(p, flags->user, out, &denied, err)) < 0)
                return r;
        for (size_t i = 0; i < flags->n_gids; i++) {
                uint32_t gid;
                if (parse_id(flags->gids[i], strlen(flags->gids[i]), &gid) == 0 && gid != 0)
                        continue;
                if ((r = record(p, RULE_USER, "--additional-gids", flags->gids[i], NULL, out,
                                &denied, err)) < 0)
                        return r;
        }
        for (size_t i = 0; i < flags->n_caps; i++) {
                unsigned cap;
                if (capability_from_name(flags->caps[i], &cap) == 0 &&
                    (((const struct caps_settings *)p->rule_settings[RULE_CAPABILITIES])->allow &
                     (UINT64_C(1) << cap)))
                        continue;
                if ((r = record(p, RULE_CAPABILITIES, "--cap", flags->caps[i], NULL, out, &denied,
                                err)) < 0)
                        return r;
        }
        /* An empty value means "none": the container's own profile or label applies. */
        if (flags->apparmor && lsm_apparmor_is_unconfined(flags->apparmor) &&
            (r = record(p, RULE_LSM, "--apparmor", flags->apparmor, LSM(p)->apparmor_profile, out,
                        &denied, err)) < 0)
                return r;
        if (flags->process_label && flags->process_label[0] &&
            !lsm_selinux_label_allowed(p, flags->process_label) &&
            (r = record(p, RULE_LSM, "--process-label", flags->process_label, LSM(p)->selinux_label,
                        out, &denied, err)) < 0)
                return r;
        *ret_denied = denied;
        return 0;
}
