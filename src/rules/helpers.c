/* The lookup helpers every rule uses to read a spec as the runtime will. */
#include "rules/helpers.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/names.h"
#include "util/cleanup.h"

int rule_fail(struct rule_ctx *ctx, const char *path, struct hr_error *err, const char *fmt, ...)
{
        char reason[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        /* The rule that could not read it: admins look it up, and it is the one to exempt. */
        return error_set_at(err, -EINVAL, ctx->file, path[0] ? path : "/", "%s (rule '%s')", reason,
                            rule_id_to_string(ctx->rule));
}

int rule_field(struct rule_ctx *ctx, struct json *parent, const char *parent_path, const char *key,
               enum json_type type, bool create, struct json **ret, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        struct json *value;
        int r;

        r = json_object_field(parent, key, &value);
        if (r == -EILSEQ) {
                /* The path is built only for a message: this runs for every field read. */
                snprintf(path, sizeof(path), "%s/%s", parent_path, key);
                return rule_fail(ctx, path, err,
                                 "a key differs from '%s' only in letter case; runc would read "
                                 "it and crun would not, refusing",
                                 key);
        }
        if (r == 1 && value->type == JSON_NULL)
                r = 0;
        if (r == 1) {
                bool ok = value->type == type || (type == JSON_TRUE && json_is_bool(value));
                if (!ok) {
                        snprintf(path, sizeof(path), "%s/%s", parent_path, key);
                        return rule_fail(ctx, path, err, "expected %s, got %s",
                                         json_type_name(type), json_type_name(value->type));
                }
                *ret = value;
                return 1;
        }
        *ret = NULL;
        if (!create)
                return 0;
        value = type == JSON_OBJECT ? json_new_object() : json_new_array();
        r = json_object_set(parent, key, value);
        if (r < 0)
                return error_set(err, r, "out of memory");
        *ret = value;
        return 1;
}

int rule_record(struct rule_ctx *ctx, const char *path, const struct json *before,
                const struct json *after, struct hr_error *err)
{
        int r = findings_add(ctx->findings, ctx->rule, path, before, after);

        if (r < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

int rule_refuse(struct rule_ctx *ctx, const char *path, const struct json *before,
                const char *wanted, struct hr_error *err)
{
        struct json *after = json_new_string(wanted);
        int r;

        if (!after)
                return error_set(err, -ENOMEM, "out of memory");
        r = rule_record(ctx, path, before, after, err);
        json_free(after);
        if (r < 0)
                return r;
        ctx->findings->items[ctx->findings->n - 1].unfixable = true;
        return 0;
}

int rule_refuse_flag(struct rule_ctx *ctx, const char *flag, const char *value, const char *wanted,
                     struct hr_error *err)
{
        struct json *before = json_new_string(value);
        struct json *after = wanted ? json_new_string(wanted) : NULL;
        char path[RULE_PATH_MAX];
        int r;

        snprintf(path, sizeof(path), "/argv/%s", flag);
        r = before && (after || !wanted) ? rule_record(ctx, path, before, after, err)
                                         : error_set(err, -ENOMEM, "out of memory");
        json_free(before);
        json_free(after);
        if (r < 0)
                return r;
        ctx->findings->items[ctx->findings->n - 1].unfixable = true;
        return 0;
}

int rule_report(struct rule_ctx *ctx, const char *path, const struct json *before, const char *what,
                struct hr_error *err)
{
        int r = rule_refuse(ctx, path, before, what, err);

        if (r < 0)
                return r;
        ctx->findings->items[ctx->findings->n - 1].unfixable = false;
        ctx->findings->items[ctx->findings->n - 1].report_only = true;
        return 0;
}

int rule_set(struct rule_ctx *ctx, struct json *parent, const char *parent_path, const char *key,
             struct json *value, struct hr_error *err)
{
        char path[RULE_PATH_MAX];
        struct json *before = NULL;
        int r;

        if (!value)
                return error_set(err, -ENOMEM, "out of memory");
        rule_key_path(path, parent_path, key);
        (void)json_object_field(parent, key, &before);
        r = rule_record(ctx, path, json_is_null(before) ? NULL : before, value, err);
        if (r < 0) {
                json_free(value);
                return r;
        }
        r = json_object_set(parent, key, value);
        if (r < 0)
                return error_set(err, r, "out of memory");
        return 0;
}

int rule_process(struct rule_ctx *ctx, struct json *doc, struct json **ret, const char **ret_prefix,
                 struct hr_error *err)
{
        if (ctx->kind == SPEC_PROCESS) {
                if (doc->type != JSON_OBJECT)
                        return rule_fail(ctx, "", err, "expected object, got %s",
                                         json_type_name(doc->type));
                *ret = doc;
                *ret_prefix = "";
                return 1;
        }
        *ret_prefix = "/process";
        return rule_field(ctx, doc, "", "process", JSON_OBJECT, false, ret, err);
}

int rule_uint32(struct rule_ctx *ctx, const struct json *value, const char *path, uint32_t *ret,
                struct hr_error *err)
{
        unsigned long long v;

        if (value->type != JSON_NUMBER || json_get_uint(value, UINT32_MAX, &v) < 0)
                return rule_fail(ctx, path, err, "expected an unsigned 32-bit integer, got %s%s%s",
                                 value->type == JSON_NUMBER ? "'" : "",
                                 value->type == JSON_NUMBER ? value->scalar.text
                                                            : json_type_name(value->type),
                                 value->type == JSON_NUMBER ? "'" : "");
        *ret = (uint32_t)v;
        return 0;
}

int rule_check_items(struct rule_ctx *ctx, const struct json *list, const char *path,
                     enum json_type type, struct hr_error *err)
{
        for (size_t i = 0; i < list->array.n; i++) {
                const struct json *item = list->array.items[i];
                char item_path[RULE_PATH_MAX];

                if (item->type == type)
                        continue;
                snprintf(item_path, sizeof(item_path), "%s/%zu", path, i);
                return rule_fail(ctx, item_path, err, "expected %s, got %s", json_type_name(type),
                                 json_type_name(item->type));
        }
        return 0;
}

const struct rule_device rule_standard_devices[8] = {
        {'c', 1, 3}, {'c', 1, 5}, {'c', 1, 7}, {'c', 1, 8},
        {'c', 1, 9}, {'c', 5, 0}, {'c', 5, 1}, {'c', 5, 2},
};

bool is_standard_device(const struct json *dev)
{
        const struct json *type = json_object_get(dev, "type");
        unsigned long long major, minor;

        if (!type || type->type != JSON_STRING || type->scalar.len != 1 ||
            json_get_uint(json_object_get(dev, "major"), UINT32_MAX, &major) < 0 ||
            json_get_uint(json_object_get(dev, "minor"), UINT32_MAX, &minor) < 0)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(rule_standard_devices); i++)
                if (rule_standard_devices[i].type == type->scalar.text[0] &&
                    (unsigned long long)rule_standard_devices[i].major == major &&
                    (unsigned long long)rule_standard_devices[i].minor == minor)
                        return true;
        return false;
}

bool is_bind_mount(const struct json *type, const struct json *options)
{
        if (type && strcmp(type->scalar.text, "bind") == 0)
                return true;
        for (size_t i = 0; options && i < options->array.n; i++) {
                const struct json *o = options->array.items[i];
                if (o->type == JSON_STRING &&
                    (strcmp(o->scalar.text, "bind") == 0 || strcmp(o->scalar.text, "rbind") == 0))
                        return true;
        }
        return false;
}

size_t rule_path_component(const char **cursor, const char **ret_start)
{
        const char *c = *cursor;
        size_t len = 0;

        while (*c && len == 0) {
                while (*c == '/')
                        c++;
                *ret_start = c;
                while (*c && *c != '/')
                        c++;
                len = (size_t)(c - *ret_start);
                if (len == 1 && (*ret_start)[0] == '.')
                        len = 0;
        }
        *cursor = c;
        return len;
}

bool rule_clean_path(const char *in, char *out, size_t size)
{
        const char *c = in, *start;
        bool fits = true;
        size_t o = 0, len;

        while ((len = rule_path_component(&c, &start)) > 0) {
                if (o + len + 2 >= size) {
                        fits = false;
                        break;
                }
                out[o++] = '/';
                memcpy(out + o, start, len);
                o += len;
        }
        if (o == 0)
                out[o++] = '/';
        out[o] = '\0';
        return fits;
}

/* Appends s to buf (o bytes used), keeping room for the NUL; returns the new length. */
static size_t path_append(char *buf, size_t o, const char *s, size_t len)
{
        if (len > RULE_PATH_MAX - 1 - o)
                len = RULE_PATH_MAX - 1 - o;
        memcpy(buf + o, s, len);
        return o + len;
}

void rule_key_path(char buf[static RULE_PATH_MAX], const char *parent, const char *key)
{
        size_t o = path_append(buf, 0, parent, strlen(parent));

        o = path_append(buf, o, "/", 1);
        buf[path_append(buf, o, key, strlen(key))] = '\0';
}

void rule_index_path(char buf[static RULE_PATH_MAX], const char *parent, size_t index)
{
        char digits[24];
        size_t n = sizeof(digits), o;

        do
                digits[--n] = (char)('0' + index % 10);
        while ((index /= 10) > 0);
        o = path_append(buf, 0, parent, strlen(parent));
        o = path_append(buf, o, "/", 1);
        buf[path_append(buf, o, digits + n, sizeof(digits) - n)] = '\0';
}

void rule_member_path(const char *parent, const char *key, char *buf, size_t size)
{
        size_t o = strlen(parent);

        if (o + 1 >= size) { /* cut as snprintf cuts */
                snprintf(buf, size, "%s/", parent);
                return;
        }
        memcpy(buf, parent, o);
        buf[o++] = '/';
        for (; *key && o + 3 < size; key++) {
                if (*key == '~' || *key == '/') {
                        buf[o++] = '~';
                        buf[o++] = *key == '~' ? '0' : '1';
                } else
                        buf[o++] = *key;
        }
        buf[o] = '\0';
}

const struct names_settings names_settings_none = {.names = NULL};
