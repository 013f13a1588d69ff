/* user: no process runs as uid or gid 0; root's place is taken by the policy's ids. */
#include <errno.h>
#include <stdio.h>

#include "rules/rules.h"

/* 4294967295 is (uid_t)-1: crun passes it to setresuid(), which reads -1 as "unchanged", so
 * the process would stay root. Id 0 is not host root where a user namespace maps it elsewhere;
 * deny mode lets that pass, enforce moves the process off 0 unless the policy keeps root
 * inside such a namespace (keep_root_in_user_namespace). */
static bool is_root_id(uint32_t id, bool remapped)
{
        return (id == 0 && !remapped) || id == UINT32_MAX;
}

static int apply_user(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct policy *p = ctx->policy;
        char user_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
        struct json *process, *user, *v, *gids;
        const char *prefix;
        uint32_t uid = 0, gid = 0;
        bool remapped;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r; /* no process, nothing runs */
        remapped = (p->rule_mode[ctx->rule] == HR_MODE_DENY || p->user.keep_remapped_root) &&
                   user_namespace_remaps_root(ctx, doc);
        snprintf(user_path, sizeof(user_path), "%s/user", prefix);
        /* An absent user, uid or gid means 0 to the runtime. */
        r = rule_field(ctx, process, prefix, "user", JSON_OBJECT, true, &user, err);
        if (r < 0)
                return r;

        snprintf(path, sizeof(path), "%s/uid", user_path);
        r = rule_field(ctx, user, user_path, "uid", JSON_NUMBER, false, &v, err);
        if (r < 0 || (r == 1 && (r = rule_uint32(ctx, v, path, &uid, err)) < 0))
                return r;
        if (is_root_id(uid, remapped) || (!p->user.keep_non_root && uid != p->user.uid)) {
                r = rule_set(ctx, user, user_path, "uid", json_new_uint(p->user.uid), err);
                if (r < 0)
                        return r;
        }

        snprintf(path, sizeof(path), "%s/gid", user_path);
        r = rule_field(ctx, user, user_path, "gid", JSON_NUMBER, false, &v, err);
        if (r < 0 || (r == 1 && (r = rule_uint32(ctx, v, path, &gid, err)) < 0))
                return r;
        if (is_root_id(gid, remapped) || (!p->user.keep_non_root && gid != p->user.gid)) {
                r = rule_set(ctx, user, user_path, "gid", json_new_uint(p->user.gid), err);
                if (r < 0)
                        return r;
        }

        /* Group 0 as a supplementary group still opens root-group files. */
        r = rule_field(ctx, user, user_path, "additionalGids", JSON_ARRAY, false, &gids, err);
        if (r <= 0)
                return r;
        snprintf(path, sizeof(path), "%s/additionalGids", user_path);
        {
                struct json *before = json_clone(gids);
                bool changed = false;

                if (!before)
                        return error_set(err, -ENOMEM, "out of memory");
                for (size_t i = gids->array.n; i-- > 0;) {
                        char item_path[RULE_PATH_MAX];
                        uint32_t g;
                        snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                        r = rule_uint32(ctx, gids->array.items[i], item_path, &g, err);
                        if (r < 0) {
                                json_free(before);
                                return r;
                        }
                        if (is_root_id(g, remapped)) {
                                json_array_remove(gids, i);
                                changed = true;
                        }
                }
                if (changed)
                        r = rule_record(ctx, path, before, gids, err);
                json_free(before);
        }
        return r;
}

static const char *const owns[] = {"/process/user/uid", "/process/user/gid", NULL};

const struct rule rule_user = {
        .id = RULE_USER,
        .owns = owns,
        .for_process = true,
        .apply = apply_user,
};
