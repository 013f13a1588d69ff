/* The findings list: an append-only array the rules fill and the audit log reads. */
#include "findings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int findings_add(struct findings *f, enum rule_id rule, const char *path, const struct json *before,
                 const struct json *after)
{
        struct finding item = {.rule = rule};
        struct json *path_copy;

        if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 8;
                struct finding *p = realloc(f->items, cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                f->items = p;
                f->cap = cap;
        }
        /* A spec with thousands of mounts makes thousands of findings: their paths and values
         * share one arena. */
        if (!f->store && !(f->store = json_new_null()))
                return -ENOMEM;
        path_copy = json_new_string_in(f->store, path);
        item.path = path_copy ? path_copy->scalar.text : NULL;
        item.before = before ? json_clone_in(f->store, before) : NULL;
        item.after = after ? json_clone_in(f->store, after) : NULL;
        /* What was copied stays in the store until findings_clear(). */
        if (!item.path || (before && !item.before) || (after && !item.after))
                return -ENOMEM;
        f->items[f->n++] = item;
        return 0;
}

void findings_clear(struct findings *f)
{
        free(f->items);
        json_free(f->store);
        *f = (struct findings){0};
}

const char *finding_action_to_string(enum finding_action action)
{
        static const char *const names[_FINDING_ACTION_MAX] = {
                [FINDING_CHANGED] = "changed",       [FINDING_WOULD_CHANGE] = "would_change",
                [FINDING_WOULD_DENY] = "would_deny", [FINDING_DENIED] = "denied",
                [FINDING_DETECTED] = "detected",     [FINDING_EXEMPTED] = "exempted",
        };

        return action < _FINDING_ACTION_MAX ? names[action] : "invalid";
}

void finding_render(const struct json *v, const char *absent, char *buf, size_t size)
{
        json_render(v, absent, v && v->type == JSON_STRING ? size - 1 : 60, buf, size);
}

enum finding_action finding_action_from_string(const char *name)
{
        for (int a = 0; a < _FINDING_ACTION_MAX; a++)
                if (strcmp(finding_action_to_string((enum finding_action)a), name) == 0)
                        return (enum finding_action)a;
        return _FINDING_ACTION_MAX;
}
