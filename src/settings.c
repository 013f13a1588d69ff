/* The settings engine: one table per object of the policy, read, shown, copied and freed by
 * the same loop over its entries. */
#include "settings.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strv.h"
#include "util/suggest.h"

#define SETTINGS_PATH_MAX 256
#define SETTINGS_KEYS_MAX 64 /* keys one object may have, for the hint */

int settings_fail(struct settings_parser *sp, const char *path, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = error_vset_at(sp->err, -EINVAL, sp->source, path, fmt, ap);
        va_end(ap);
        return r;
}

int settings_collect(struct settings_parser *sp, int r)
{
        if (r != -EINVAL || !sp->problems)
                return r;
        if (lines_add(sp->problems, SIZE_MAX, "%s", sp->err->msg) < 0)
                return error_set(sp->err, -ENOMEM, "out of memory");
        return 0;
}

int settings_expect(struct settings_parser *sp, const struct json *v, enum json_type type,
                    const char *path)
{
        bool ok = v->type == type || (type == JSON_TRUE && json_is_bool(v));

        if (!ok)
                return settings_fail(sp, path, "expected %s, got %s", json_type_name(type),
                                     json_type_name(v->type));
        return 0;
}

int settings_get_string(struct settings_parser *sp, const struct json *v, const char *path,
                        char **ret)
{
        char *copy;
        int r = settings_expect(sp, v, JSON_STRING, path);

        if (r < 0)
                return r;
        if (!json_is_clean_string(v))
                return settings_fail(sp, path, "contains a NUL byte");
        copy = strdup(v->scalar.text);
        if (!copy)
                return error_set(sp->err, -ENOMEM, "out of memory");
        free(*ret);
        *ret = copy;
        return 0;
}

static const struct setting *find(const struct setting *table, size_t n, const char *key)
{
        for (size_t i = 0; i < n; i++)
                if (!(table[i].flags & SETTING_STATE) && strcmp(table[i].key, key) == 0)
                        return &table[i];
        return NULL;
}

/* "unknown key 'KEY'", with the nearest known key (the caller's own first, then the table's in
 * order) as a hint. */
static int fail_unknown_key(struct settings_parser *sp, const char *path, const char *key,
                            const struct setting *table, size_t n, const char *const *also)
{
        const char *known[SETTINGS_KEYS_MAX];
        char hint[96];
        size_t k = 0;

        for (size_t i = 0; also && also[i] && k < SETTINGS_KEYS_MAX; i++)
                known[k++] = also[i];
        for (size_t i = 0; i < n && k < SETTINGS_KEYS_MAX; i++)
                if (!(table[i].flags & SETTING_STATE))
                        known[k++] = table[i].key;
        return settings_fail(sp, path, "unknown key '%s'%s", key,
                             suggest_hint(key, known, k, hint, sizeof(hint)));
}

int settings_parse(struct settings_parser *sp, const struct setting *table, size_t n,
                   const struct json *obj, const char *path, void *base, const char *const *also)
{
        int r;

        if ((r = settings_expect(sp, obj, JSON_OBJECT, path)) < 0)
                return r;
        /* Every key must be one the table knows: a typo must not silently weaken the policy. */
        for (size_t i = 0; i < obj->object.n; i++) {
                const struct json_member *m = &obj->object.members[i];
                /* "mode\u0000x" must not pass for "mode". */
                if (strlen(m->key) != m->key_len)
                        r = settings_fail(sp, path, "a key contains a NUL byte");
                else if (!find(table, n, m->key) && !(also && strv_contains(also, m->key)))
                        r = fail_unknown_key(sp, path, m->key, table, n, also);
                if ((r = settings_collect(sp, r)) < 0)
                        return r;
        }
        for (size_t i = 0; i < n; i++) {
                const struct setting *s = &table[i];
                char sub[SETTINGS_PATH_MAX];
                const struct json *v;

                if ((s->flags & SETTING_STATE) ||
                    (sp->pass_through && !(s->flags & SETTING_PASS_THROUGH)))
                        continue;
                v = json_object_get(obj, s->key);
                if (!v && !(s->flags & SETTING_REQUIRED))
                        continue;
                snprintf(sub, sizeof(sub), "%s/%s", path, s->key);
                r = v ? s->type->parse(sp, s, v, sub, SETTING_FIELD(base, s))
                      : settings_fail(sp, sub, "missing");
                if (r == 0 && s->check)
                        r = s->check(sp, sub, SETTING_FIELD(base, s));
                if ((r = settings_collect(sp, r)) < 0)
                        return r;
        }
        return 0;
}

int settings_show(const struct setting *table, size_t n, const void *base, struct json *obj)
{
        int r;

        for (size_t i = 0; i < n; i++) {
                const struct setting *s = &table[i];
                struct json *v = NULL;

                if (s->flags & SETTING_STATE)
                        continue;
                if ((r = s->type->show(s, SETTING_CFIELD(base, s), &v)) < 0)
                        return r;
                if (v && (r = json_object_set(obj, s->key, v)) < 0)
                        return r;
        }
        return 0;
}

int settings_copy(const struct setting *table, size_t n, void *dst, const void *src)
{
        int r;

        for (size_t i = 0; i < n; i++) {
                const struct setting *s = &table[i];

                if (s->flags & SETTING_STATE)
                        continue;
                if (!s->type->copy)
                        memcpy(SETTING_FIELD(dst, s), SETTING_CFIELD(src, s), s->type->size);
                else if ((r = s->type->copy(s, SETTING_FIELD(dst, s), SETTING_CFIELD(src, s))) < 0)
                        return r;
        }
        return 0;
}

void settings_free(const struct setting *table, size_t n, void *base)
{
        for (size_t i = 0; i < n; i++)
                if (table[i].type->free)
                        table[i].type->free(&table[i], SETTING_FIELD(base, &table[i]));
}

/* "a, b, c" for messages. */
static void join(const char *const *values, char *buf, size_t size)
{
        size_t o = 0;

        buf[0] = '\0';
        for (size_t i = 0; values[i] && o < size; i++)
                o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", values[i]);
}

static int fail_not_one_of(struct settings_parser *sp, const char *path, const char *value,
                           const char *const *values)
{
        char list[256];

        join(values, list, sizeof(list));
        return settings_fail(sp, path, "'%s' is not one of %s", value, list);
}

/* ---- bool ---- */

static int bool_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                      const char *path, void *field)
{
        int r = settings_expect(sp, v, JSON_TRUE, path);

        (void)s;
        if (r == 0)
                *(bool *)field = v->type == JSON_TRUE;
        return r;
}

static int bool_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        *ret = json_new_bool(*(const bool *)field);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_bool = {
        .doc = "boolean",
        .parse = bool_parse,
        .show = bool_show,
        .size = sizeof(bool),
};

/* ---- id ---- */

static int id_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                    const char *path, void *field)
{
        unsigned long long n;

        (void)s;
        if (v->type != JSON_NUMBER || json_get_uint(v, UINT32_MAX - 1, &n) < 0)
                return settings_fail(sp, path, "expected an id from 0 to 4294967294");
        *(uint32_t *)field = (uint32_t)n;
        return 0;
}

static int id_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        *ret = json_new_uint(*(const uint32_t *)field);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_id = {
        .doc = "integer",
        .parse = id_parse,
        .show = id_show,
        .size = sizeof(uint32_t),
};

/* ---- int64 ---- */

/* An integer in [min, max], as JSON writes it (no fraction, no exponent). */
static int int64_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                       const char *path, void *field)
{
        char *end;
        long long n;

        if (v->type != JSON_NUMBER)
                return settings_fail(sp, path, "expected number, got %s", json_type_name(v->type));
        errno = 0;
        n = strtoll(v->scalar.text, &end, 10);
        if (errno || *end || end == v->scalar.text || n < s->min || n > s->max)
                return settings_fail(sp, path, "expected an integer from %" PRId64 " to %" PRId64,
                                     s->min, s->max);
        *(int64_t *)field = n;
        return 0;
}

static int int64_show(const struct setting *s, const void *field, struct json **ret)
{
        (void)s;
        *ret = json_new_int(*(const int64_t *)field);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_int64 = {
        .doc = "integer",
        .parse = int64_parse,
        .show = int64_show,
        .size = sizeof(int64_t),
};

/* ---- string ---- */

static int string_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                        const char *path, void *field)
{
        char **str = field;
        int r;

        if (v->type == JSON_NULL && (s->flags & SETTING_NULLABLE)) {
                free(*str);
                *str = NULL;
                return 0;
        }
        if ((r = settings_get_string(sp, v, path, str)) < 0)
                return r;
        if (s->values && !strv_contains(s->values, *str))
                return fail_not_one_of(sp, path, *str, s->values);
        return 0;
}

static int string_show(const struct setting *s, const void *field, struct json **ret)
{
        const char *str = *(char *const *)field;

        *ret = NULL;
        if (!str && (s->flags & SETTING_SHOW_IF_SET))
                return 0;
        *ret = str ? json_new_string(str) : json_new_null();
        return *ret ? 0 : -ENOMEM;
}

static int string_copy(const struct setting *s, void *dst, const void *src)
{
        const char *str = *(char *const *)src;

        (void)s;
        if (str && !(*(char **)dst = strdup(str)))
                return -ENOMEM;
        return 0;
}

static void string_free(const struct setting *s, void *field)
{
        (void)s;
        free(*(char **)field);
        *(char **)field = NULL;
}

const struct setting_type setting_string = {
        .doc = "string",
        .parse = string_parse,
        .show = string_show,
        .copy = string_copy,
        .free = string_free,
        .size = sizeof(char *),
};

/* ---- string lists ---- */

static int strv_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                      const char *path, void *field)
{
        char **list;
        int r;

        if ((r = settings_expect(sp, v, JSON_ARRAY, path)) < 0)
                return r;
        list = calloc(v->array.n + 1, sizeof(*list));
        if (!list)
                return error_set(sp->err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < v->array.n && r == 0; i++) {
                char item_path[SETTINGS_PATH_MAX];
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                r = settings_get_string(sp, v->array.items[i], item_path, &list[i]);
                if (r == 0 && list[i][0] == '\0')
                        r = settings_fail(sp, item_path, "must not be empty");
                if (r == 0 && (s->flags & SETTING_ABSOLUTE) && list[i][0] != '/')
                        r = settings_fail(sp, item_path, "'%s' is not an absolute path", list[i]);
        }
        for (size_t i = 0; s->values && r == 0 && list[i]; i++)
                if (!strv_contains(s->values, list[i])) {
                        char item_path[SETTINGS_PATH_MAX];
                        snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                        r = fail_not_one_of(sp, item_path, list[i], s->values);
                }
        if (r < 0) {
                strv_free(list);
                return r;
        }
        strv_free(*(char ***)field);
        *(char ***)field = list;
        return 0;
}

/* The list as an array of strings (NULL: an empty one). */
int settings_show_strv(const char *const *list, struct json **ret)
{
        struct json *array = json_new_array();
        int r;

        if (!array)
                return -ENOMEM;
        for (size_t i = 0; list && list[i]; i++)
                if ((r = json_array_append(array, json_new_string(list[i]))) < 0) {
                        json_free(array);
                        return r;
                }
        *ret = array;
        return 0;
}

static int strv_show(const struct setting *s, const void *field, struct json **ret)
{
        const char *const *list = *(const char *const *const *)field;

        *ret = NULL;
        if (!list && !s->builtin && (s->flags & SETTING_SHOW_IF_SET))
                return 0;
        return settings_show_strv(list ? list : s->builtin, ret);
}

static int strv_copy(const struct setting *s, void *dst, const void *src)
{
        const char *const *list = *(const char *const *const *)src;

        (void)s;
        if (list && !(*(char ***)dst = strv_new(list)))
                return -ENOMEM;
        return 0;
}

static void strv_free_field(const struct setting *s, void *field)
{
        (void)s;
        strv_free(*(char ***)field);
        *(char ***)field = NULL;
}

const struct setting_type setting_strv = {
        .doc = "array of strings",
        .parse = strv_parse,
        .show = strv_show,
        .copy = strv_copy,
        .free = strv_free_field,
        .size = sizeof(char **),
};

/* ---- choices ---- */

static int choice_read(struct settings_parser *sp, const struct setting *s, const struct json *v,
                       const char *path, int *ret)
{
        int r = settings_expect(sp, v, JSON_STRING, path);

        if (r < 0)
                return r;
        for (int i = 0; json_is_clean_string(v) && s->values[i]; i++)
                if (strcmp(s->values[i], v->scalar.text) == 0) {
                        *ret = i;
                        return 0;
                }
        return fail_not_one_of(sp, path, v->scalar.text, s->values);
}

static int choice_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                        const char *path, void *field)
{
        return choice_read(sp, s, v, path, (int *)field);
}

static int choice_show(const struct setting *s, const void *field, struct json **ret)
{
        int i = *(const int *)field;

        /* The parser stored an index into values. */
        if (i < 0 || !s->values[i])
                return -EINVAL;
        *ret = json_new_string(s->values[i]);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_choice = {
        .doc = "string",
        .parse = choice_parse,
        .show = choice_show,
        .size = sizeof(int),
};

static int bool_choice_parse(struct settings_parser *sp, const struct setting *s,
                             const struct json *v, const char *path, void *field)
{
        int i, r = choice_read(sp, s, v, path, &i);

        if (r == 0)
                *(bool *)field = i == 0;
        return r;
}

static int bool_choice_show(const struct setting *s, const void *field, struct json **ret)
{
        *ret = json_new_string(s->values[*(const bool *)field ? 0 : 1]);
        return *ret ? 0 : -ENOMEM;
}

const struct setting_type setting_bool_choice = {
        .doc = "string",
        .parse = bool_choice_parse,
        .show = bool_choice_show,
        .size = sizeof(bool),
};

/* ---- sections ---- */

static int section_parse(struct settings_parser *sp, const struct setting *s, const struct json *v,
                         const char *path, void *field)
{
        bool pass_through = sp->pass_through;
        int r;

        /* A section marked for pass-through is read whole. */
        sp->pass_through = false;
        r = settings_parse(sp, s->table, s->n_table, v, path, field, NULL);
        sp->pass_through = pass_through;
        return r;
}

static int section_show(const struct setting *s, const void *field, struct json **ret)
{
        struct json *obj = json_new_object();
        int r;

        if (!obj)
                return -ENOMEM;
        if ((r = settings_show(s->table, s->n_table, field, obj)) < 0) {
                json_free(obj);
                return r;
        }
        *ret = obj;
        return 0;
}

static int section_copy(const struct setting *s, void *dst, const void *src)
{
        return settings_copy(s->table, s->n_table, dst, src);
}

static void section_free(const struct setting *s, void *field)
{
        settings_free(s->table, s->n_table, field);
}

const struct setting_type setting_section = {
        .doc = "object",
        .parse = section_parse,
        .show = section_show,
        .copy = section_copy,
        .free = section_free,
};
