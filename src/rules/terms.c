/* What the rules' engine_term hooks share (rules/terms.h). */
#include "rules/terms.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct json *term_array_item(const struct json *spec, const char *member, const char *path,
                                   const char *prefix, const char **rest)
{
        const struct json *list;
        char *end;
        unsigned long i;

        if (!spec || strncmp(path, prefix, strlen(prefix)) != 0)
                return NULL;
        list = json_object_get(spec, member);
        if (!list || list->type != JSON_ARRAY)
                return NULL;
        i = strtoul(path + strlen(prefix), &end, 10);
        if (end == path + strlen(prefix) || i >= list->array.n)
                return NULL;
        *rest = end;
        return list->array.items[i];
}

const char *term_string_member(const struct json *obj, const char *key)
{
        const struct json *v = obj && obj->type == JSON_OBJECT ? json_object_get(obj, key) : NULL;

        return json_is_clean_string(v) ? v->scalar.text : NULL;
}

void term_shown_path(const struct json *v, char *buf, size_t size)
{
        bool plain = json_is_clean_string(v) && v->scalar.len < 120;

        for (size_t i = 0; plain && i < v->scalar.len; i++)
                plain = isgraph((unsigned char)v->scalar.text[i]) && v->scalar.text[i] != '"' &&
                        v->scalar.text[i] != ',';
        if (plain)
                snprintf(buf, size, "%s", v->scalar.text);
        else
                json_render(v, "", 120, buf, size);
}

bool term_words(bool cli, const char *run_option, const char *pod_field, char *buf, size_t size)
{
        const char *words = cli ? run_option : pod_field;

        if (!words)
                return false;
        snprintf(buf, size, "%s", words);
        return true;
}
