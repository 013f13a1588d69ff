/* The findings list: an append-only array the rules fill and the audit log reads. */
#include "findings.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int findings_add(struct findings *f, enum rule_id rule, const char *path, const struct json *before,
                 const struct json *after)
{
        struct finding item = {.rule = rule};

        if (f->n == f->cap) {
                size_t cap = f->cap ? f->cap * 2 : 8;
                struct finding *p = realloc(f->items, cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                f->items = p;
                f->cap = cap;
        }
        item.path = strdup(path);
        item.before = before ? json_clone(before) : NULL;
        item.after = after ? json_clone(after) : NULL;
        if (!item.path || (before && !item.before) || (after && !item.after)) {
                free(item.path);
                json_free(item.before);
                json_free(item.after);
                return -ENOMEM;
        }
        f->items[f->n++] = item;
        return 0;
}

void findings_clear(struct findings *f)
{
        for (size_t i = 0; i < f->n; i++) {
                free(f->items[i].path);
                json_free(f->items[i].before);
                json_free(f->items[i].after);
        }
        free(f->items);
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
