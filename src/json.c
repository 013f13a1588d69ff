/* JSON document built from yajl's event parser and written back with yajl_gen. */
#include "json.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include "bounds.h"
#include "util/cleanup.h"
#include "util/utf8.h"

/* Fixed parser stack; json_parse clamps max_depth to it. */
#define HR_JSON_STACK_MAX 256

static void *xzalloc(size_t size)
{
        return calloc(1, size);
}

static struct json *node_new(enum json_type type)
{
        struct json *n = xzalloc(sizeof(*n));

        if (n)
                n->type = type;
        return n;
}

/* One allocation per scalar: the text lives right behind the node. */
static struct json *scalar_new(enum json_type type, const char *text, size_t len)
{
        struct json *n;

        if (len > SIZE_MAX - sizeof(*n) - 1)
                return NULL;
        n = malloc(sizeof(*n) + len + 1);
        if (!n)
                return NULL;
        n->type = type;
        n->scalar.text = (char *)(n + 1);
        memcpy(n->scalar.text, text, len);
        n->scalar.text[len] = '\0';
        n->scalar.len = len;
        return n;
}

struct json *json_new_null(void)
{
        return node_new(JSON_NULL);
}

struct json *json_new_bool(bool value)
{
        return node_new(value ? JSON_TRUE : JSON_FALSE);
}

struct json *json_new_string(const char *s)
{
        return scalar_new(JSON_STRING, s, strlen(s));
}

struct json *json_new_number(const char *text)
{
        return scalar_new(JSON_NUMBER, text, strlen(text));
}

struct json *json_new_uint(unsigned long long value)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%llu", value);
        return json_new_number(buf);
}

struct json *json_new_int(long long value)
{
        char buf[32];

        snprintf(buf, sizeof(buf), "%lld", value);
        return json_new_number(buf);
}

struct json *json_new_array(void)
{
        return node_new(JSON_ARRAY);
}

struct json *json_new_object(void)
{
        return node_new(JSON_OBJECT);
}

struct json *json_free(struct json *node)
{
        if (!node)
                return NULL;
        switch (node->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                break; /* the text shares the node's allocation */
        case JSON_ARRAY:
                for (size_t i = 0; i < node->array.n; i++)
                        json_free(node->array.items[i]);
                free(node->array.items);
                break;
        case JSON_OBJECT:
                for (size_t i = 0; i < node->object.n; i++) {
                        free(node->object.members[i].key);
                        json_free(node->object.members[i].value);
                }
                free(node->object.members);
                break;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        free(node);
        return NULL;
}

const char *json_type_name(enum json_type type)
{
        static const char *const names[_JSON_TYPE_MAX] = {
                [JSON_NULL] = "null",     [JSON_FALSE] = "boolean", [JSON_TRUE] = "boolean",
                [JSON_NUMBER] = "number", [JSON_STRING] = "string", [JSON_ARRAY] = "array",
                [JSON_OBJECT] = "object",
        };

        return type < _JSON_TYPE_MAX ? names[type] : "invalid";
}

static int grow(void **items, size_t *cap, size_t need, size_t item_size)
{
        size_t new_cap;
        void *p;

        if (need <= *cap)
                return 0;
        new_cap = *cap ? *cap * 2 : 4;
        while (new_cap < need)
                new_cap *= 2;
        if (new_cap > SIZE_MAX / item_size)
                return -ENOMEM;
        p = realloc(*items, new_cap * item_size);
        if (!p)
                return -ENOMEM;
        *items = p;
        *cap = new_cap;
        return 0;
}

int json_array_append(struct json *array, struct json *value)
{
        int r;

        if (!value)
                return -ENOMEM;
        r = grow((void **)&array->array.items, &array->array.cap, array->array.n + 1,
                 sizeof(*array->array.items));
        if (r < 0) {
                json_free(value);
                return r;
        }
        array->array.items[array->array.n++] = value;
        return 0;
}

void json_array_remove(struct json *array, size_t i)
{
        if (i >= array->array.n)
                return;
        json_free(array->array.items[i]);
        memmove(&array->array.items[i], &array->array.items[i + 1],
                (array->array.n - i - 1) * sizeof(*array->array.items));
        array->array.n--;
}

void json_object_remove_at(struct json *obj, size_t i)
{
        if (i >= obj->object.n)
                return;
        free(obj->object.members[i].key);
        json_free(obj->object.members[i].value);
        memmove(&obj->object.members[i], &obj->object.members[i + 1],
                (obj->object.n - i - 1) * sizeof(*obj->object.members));
        obj->object.n--;
}

/* The member whose key is exactly key (no folding), or NULL. */
static struct json_member *object_find(const struct json *obj, const char *key)
{
        size_t len = strlen(key);

        if (!obj || obj->type != JSON_OBJECT)
                return NULL;
        for (size_t i = 0; i < obj->object.n; i++) {
                struct json_member *m = &obj->object.members[i];
                if (m->key_len == len && memcmp(m->key, key, len) == 0)
                        return m;
        }
        return NULL;
}

bool json_object_remove(struct json *obj, const char *key)
{
        const struct json_member *m = object_find(obj, key);

        if (!m)
                return false;
        json_object_remove_at(obj, (size_t)(m - obj->object.members));
        return true;
}

static int object_append(struct json *obj, const char *key, size_t key_len, struct json *value)
{
        char *k;
        int r;

        r = grow((void **)&obj->object.members, &obj->object.cap, obj->object.n + 1,
                 sizeof(*obj->object.members));
        if (r < 0)
                return r;
        k = malloc(key_len + 1);
        if (!k)
                return -ENOMEM;
        memcpy(k, key, key_len);
        k[key_len] = '\0';
        obj->object.members[obj->object.n++] = (struct json_member){k, key_len, value};
        return 0;
}

bool json_is_clean_string(const struct json *n)
{
        return n && n->type == JSON_STRING && strlen(n->scalar.text) == n->scalar.len;
}

struct json *json_object_get(const struct json *obj, const char *key)
{
        const struct json_member *m = object_find(obj, key);

        return m ? m->value : NULL;
}

int json_object_set(struct json *obj, const char *key, struct json *value)
{
        struct json_member *m = object_find(obj, key);
        int r;

        if (!value)
                return -ENOMEM;
        if (m) {
                json_free(m->value);
                m->value = value;
                return 0;
        }
        r = object_append(obj, key, strlen(key), value);
        if (r < 0)
                json_free(value);
        return r;
}

/* Go's encoding/json matches keys to struct fields with a case-insensitive compare that also
 * folds KELVIN SIGN (U+212A) to 'k' and LATIN SMALL LETTER LONG S (U+017F) to 's'. next_folded
 * yields that canonical form one byte at a time; two keys runc could confuse read the same. */
static int next_folded(const char *key, size_t len, size_t *i)
{
        unsigned char c;

        if (*i >= len)
                return -1;
        c = (unsigned char)key[*i];
        if (c == 0xE2 && *i + 2 < len && (unsigned char)key[*i + 1] == 0x84 &&
            (unsigned char)key[*i + 2] == 0xAA) {
                *i += 3;
                return 'k';
        }
        if (c == 0xC5 && *i + 1 < len && (unsigned char)key[*i + 1] == 0xBF) {
                *i += 2;
                return 's';
        }
        *i += 1;
        return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t fold_key(const char *key, size_t len, char *out)
{
        size_t i = 0, o = 0;
        int c;

        while ((c = next_folded(key, len, &i)) >= 0)
                out[o++] = (char)c;
        return o;
}

static bool keys_fold_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
        size_t i = 0, j = 0;

        for (;;) {
                int ca = next_folded(a, a_len, &i);
                int cb = next_folded(b, b_len, &j);
                if (ca != cb)
                        return false;
                if (ca < 0)
                        return true;
        }
}

int json_object_field(const struct json *obj, const char *key, struct json **ret_value)
{
        size_t len = strlen(key);
        bool folded = false;

        if (ret_value)
                *ret_value = NULL;
        if (!obj || obj->type != JSON_OBJECT)
                return 0;
        for (size_t i = 0; i < obj->object.n; i++) {
                const struct json_member *m = &obj->object.members[i];
                if (m->key_len == len && memcmp(m->key, key, len) == 0) {
                        if (ret_value)
                                *ret_value = m->value;
                        return 1;
                }
                if (keys_fold_equal(m->key, m->key_len, key, len))
                        folded = true;
        }
        return folded ? -EILSEQ : 0;
}

struct json *json_clone(const struct json *node)
{
        struct json *c;

        if (!node)
                return NULL;
        switch (node->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                return scalar_new(node->type, node->scalar.text, node->scalar.len);
        case JSON_ARRAY:
                c = json_new_array();
                if (!c)
                        return NULL;
                for (size_t i = 0; i < node->array.n; i++)
                        if (json_array_append(c, json_clone(node->array.items[i])) < 0)
                                return json_free(c);
                return c;
        case JSON_OBJECT:
                c = json_new_object();
                if (!c)
                        return NULL;
                for (size_t i = 0; i < node->object.n; i++) {
                        const struct json_member *m = &node->object.members[i];
                        struct json *v = json_clone(m->value);
                        if (!v || object_append(c, m->key, m->key_len, v) < 0) {
                                json_free(v);
                                return json_free(c);
                        }
                }
                return c;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        return node_new(node->type);
}

bool json_equal(const struct json *a, const struct json *b)
{
        if (!a || !b)
                return a == b;
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                return a->scalar.len == b->scalar.len &&
                       memcmp(a->scalar.text, b->scalar.text, a->scalar.len) == 0;
        case JSON_ARRAY:
                if (a->array.n != b->array.n)
                        return false;
                for (size_t i = 0; i < a->array.n; i++)
                        if (!json_equal(a->array.items[i], b->array.items[i]))
                                return false;
                return true;
        case JSON_OBJECT:
                if (a->object.n != b->object.n)
                        return false;
                for (size_t i = 0; i < a->object.n; i++) {
                        const struct json_member *m = &a->object.members[i];
                        const struct json *other = NULL;
                        /* Members usually keep their order: try the same slot first. */
                        if (i < b->object.n && b->object.members[i].key_len == m->key_len &&
                            memcmp(b->object.members[i].key, m->key, m->key_len) == 0)
                                other = b->object.members[i].value;
                        else
                                for (size_t j = 0; j < b->object.n; j++)
                                        if (b->object.members[j].key_len == m->key_len &&
                                            memcmp(b->object.members[j].key, m->key, m->key_len) ==
                                                    0) {
                                                other = b->object.members[j].value;
                                                break;
                                        }
                        if (!other || !json_equal(m->value, other))
                                return false;
                }
                return true;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        return true;
}

int json_get_uint(const struct json *node, unsigned long long max, unsigned long long *ret)
{
        unsigned long long v = 0;

        if (!node || node->type != JSON_NUMBER || node->scalar.len == 0)
                return -EINVAL;
        if (node->scalar.len > 1 && node->scalar.text[0] == '0')
                return -EINVAL;
        for (size_t i = 0; i < node->scalar.len; i++) {
                char c = node->scalar.text[i];
                if (c < '0' || c > '9')
                        return -EINVAL;
                if (v > (ULLONG_MAX - (unsigned)(c - '0')) / 10)
                        return -ERANGE;
                v = v * 10 + (unsigned)(c - '0');
        }
        if (v > max)
                return -ERANGE;
        *ret = v;
        return 0;
}

/* ---- parsing ---- */

struct parse_ctx {
        const struct json_limits *limits;
        struct json *root;
        struct json *stack[HR_JSON_STACK_MAX];
        bool exact_keys[HR_JSON_STACK_MAX]; /* this object is a Go map (see map_members) */
        unsigned depth;
        char *key; /* pending key of the innermost object */
        size_t key_len;
        struct hr_error *err;
};

static int attach(struct parse_ctx *ctx, struct json *value)
{
        struct json *top;
        int r;

        if (!value) {
                error_set(ctx->err, -ENOMEM, "out of memory");
                return 0;
        }
        if (ctx->depth == 0) {
                ctx->root = value;
                return 1;
        }
        top = ctx->stack[ctx->depth - 1];
        if (top->type == JSON_ARRAY) {
                if (top->array.n >= ctx->limits->max_members) {
                        json_free(value);
                        error_set(ctx->err, -E2BIG, "array with more than %zu items",
                                  ctx->limits->max_members);
                        return 0;
                }
                r = json_array_append(top, value);
        } else {
                if (top->object.n >= ctx->limits->max_members) {
                        json_free(value);
                        error_set(ctx->err, -E2BIG, "object with more than %zu members",
                                  ctx->limits->max_members);
                        return 0;
                }
                r = object_append(top, ctx->key, ctx->key_len, value);
                if (r < 0)
                        json_free(value);
                free(ctx->key);
                ctx->key = NULL;
        }
        if (r < 0) {
                error_set(ctx->err, r, "out of memory");
                return 0;
        }
        return 1;
}

static int push(struct parse_ctx *ctx, enum json_type type)
{
        struct json *n;

        if (ctx->depth >= ctx->limits->max_depth) {
                error_set(ctx->err, -ELOOP, "nesting deeper than %u levels",
                          ctx->limits->max_depth);
                return 0;
        }
        n = node_new(type);
        ctx->exact_keys[ctx->depth] = false;
        if (type == JSON_OBJECT && ctx->depth > 0 && ctx->key && ctx->limits->map_members)
                for (const char *const *m = ctx->limits->map_members; *m; m++)
                        if (strlen(*m) == ctx->key_len && memcmp(*m, ctx->key, ctx->key_len) == 0)
                                ctx->exact_keys[ctx->depth] = true;
        if (!attach(ctx, n))
                return 0;
        ctx->stack[ctx->depth++] = n;
        return 1;
}

static int on_null(void *c)
{
        return attach(c, json_new_null());
}

static int on_boolean(void *c, int value)
{
        return attach(c, json_new_bool(value));
}

static int on_number(void *c, const char *text, size_t len)
{
        return attach(c, scalar_new(JSON_NUMBER, text, len));
}

/* yajl checks only the shape of UTF-8 sequences; overlong forms, surrogates (also from
 * "\udc00" escapes) and code points past U+10FFFF are refused here. Go would turn them into
 * U+FFFD, so hardrun and runc would read different strings. */
static int check_utf8(struct parse_ctx *ctx, const unsigned char *s, size_t len)
{
        if (utf8_is_valid((const char *)s, len))
                return 1;
        error_set(ctx->err, -EILSEQ, "invalid UTF-8 in a string");
        return 0;
}

static int on_string(void *c, const unsigned char *s, size_t len)
{
        if (!check_utf8(c, s, len))
                return 0;
        return attach(c, scalar_new(JSON_STRING, (const char *)s, len));
}

static int on_start_map(void *c)
{
        return push(c, JSON_OBJECT);
}

static int on_map_key(void *c, const unsigned char *key, size_t len)
{
        struct parse_ctx *ctx = c;

        if (!check_utf8(ctx, key, len))
                return 0;
        free(ctx->key);
        ctx->key = malloc(len + 1);
        if (!ctx->key) {
                error_set(ctx->err, -ENOMEM, "out of memory");
                return 0;
        }
        memcpy(ctx->key, key, len);
        ctx->key[len] = '\0';
        ctx->key_len = len;
        return 1;
}

struct folded {
        char *text;
        size_t len;
        size_t index;
};

static int folded_cmp(const void *a, const void *b)
{
        const struct folded *x = a, *y = b;
        size_t n = x->len < y->len ? x->len : y->len;
        int r = memcmp(x->text, y->text, n);

        if (r)
                return r;
        return (x->len > y->len) - (x->len < y->len);
}

/* Refuses keys that repeat, exactly or under Go's folding: runc keeps the last, crun (yajl) the
 * first, and a checker could approve a value the runtime never reads. Sorting keeps this
 * O(n log n) for hostile objects with many members. */
static int duplicate_found(struct parse_ctx *ctx, const struct json_member *m)
{
        error_set(ctx->err, -EILSEQ, "duplicate key '%s' (keys must be unique, also ignoring case)",
                  m->key);
        return 0;
}

static int check_duplicates(struct parse_ctx *ctx, const struct json *obj, bool exact)
{
        size_t n = obj->object.n;
        struct folded *keys;
        int ok = 1;

        if (n < 2)
                return 1;
        /* Most spec objects have a handful of members: compare pairwise, allocating nothing. */
        if (n <= 16) {
                for (size_t i = 1; i < n; i++)
                        for (size_t j = 0; j < i; j++) {
                                const struct json_member *a = &obj->object.members[i];
                                const struct json_member *b = &obj->object.members[j];
                                bool same = exact ? a->key_len == b->key_len &&
                                                            memcmp(a->key, b->key, a->key_len) == 0
                                                  : keys_fold_equal(a->key, a->key_len, b->key,
                                                                    b->key_len);
                                if (same)
                                        return duplicate_found(ctx, a);
                        }
                return 1;
        }
        keys = calloc(n, sizeof(*keys));
        if (!keys) {
                error_set(ctx->err, -ENOMEM, "out of memory");
                return 0;
        }
        for (size_t i = 0; i < n && ok; i++) {
                const struct json_member *m = &obj->object.members[i];
                keys[i].text = malloc(m->key_len + 1);
                if (!keys[i].text) {
                        error_set(ctx->err, -ENOMEM, "out of memory");
                        ok = 0;
                        break;
                }
                if (exact) {
                        memcpy(keys[i].text, m->key, m->key_len);
                        keys[i].len = m->key_len;
                } else {
                        keys[i].len = fold_key(m->key, m->key_len, keys[i].text);
                }
                keys[i].index = i;
        }
        if (ok) {
                qsort(keys, n, sizeof(*keys), folded_cmp);
                for (size_t i = 1; i < n; i++)
                        if (folded_cmp(&keys[i - 1], &keys[i]) == 0) {
                                ok = duplicate_found(ctx, &obj->object.members[keys[i].index]);
                                break;
                        }
        }
        for (size_t i = 0; i < n; i++)
                free(keys[i].text);
        free(keys);
        return ok;
}

static int on_end_map(void *c)
{
        struct parse_ctx *ctx = c;

        ctx->depth--;
        return check_duplicates(ctx, ctx->stack[ctx->depth], ctx->exact_keys[ctx->depth]);
}

static int on_start_array(void *c)
{
        return push(c, JSON_ARRAY);
}

static int on_end_array(void *c)
{
        struct parse_ctx *ctx = c;

        ctx->depth--;
        return 1;
}

static const yajl_callbacks parse_callbacks = {
        .yajl_null = on_null,
        .yajl_boolean = on_boolean,
        .yajl_number = on_number,
        .yajl_string = on_string,
        .yajl_start_map = on_start_map,
        .yajl_map_key = on_map_key,
        .yajl_end_map = on_end_map,
        .yajl_start_array = on_start_array,
        .yajl_end_array = on_end_array,
};

static void yajl_freep(yajl_handle *h)
{
        if (*h)
                yajl_free(*h);
}

int json_parse(const char *buf, size_t len, const struct json_limits *limits, struct json **ret_doc,
               struct hr_error *err)
{
        _cleanup_(yajl_freep) yajl_handle h = NULL;
        struct json_limits bounded = *limits;
        struct parse_ctx ctx = {.limits = &bounded, .err = err};
        yajl_status st;
        size_t at;

        if (bounded.max_depth > HR_JSON_STACK_MAX)
                bounded.max_depth = HR_JSON_STACK_MAX;
        if (len > limits->max_bytes)
                return error_set(err, -EFBIG, "larger than %zu bytes", limits->max_bytes);
        if (len == 0)
                return error_set(err, -EINVAL, "empty document");
        if (err)
                error_release(err);

        h = yajl_alloc(&parse_callbacks, NULL, &ctx);
        if (!h)
                return error_set(err, -ENOMEM, "out of memory");
        /* Defaults are what we want (comments off, UTF-8 checked, no trailing data); say so. */
        yajl_config(h, yajl_allow_comments, 0);
        yajl_config(h, yajl_dont_validate_strings, 0);
        yajl_config(h, yajl_allow_trailing_garbage, 0);
        yajl_config(h, yajl_allow_multiple_values, 0);

        st = yajl_parse(h, (const unsigned char *)buf, len);
        /* After yajl_complete_parse the consumed count restarts: an error there is at the end. */
        at = yajl_get_bytes_consumed(h);
        if (st == yajl_status_ok) {
                st = yajl_complete_parse(h);
                at = len;
        }
        if (st != yajl_status_ok) {
                int r = -EINVAL;
                if (st == yajl_status_client_canceled && err && err->code) {
                        r = err->code;
                } else {
                        unsigned char *msg = yajl_get_error(h, 0, NULL, 0);
                        char *nl;
                        error_set(err, r, "%s", msg ? (const char *)msg : "invalid JSON");
                        if (err && (nl = strchr(err->msg, '\n')))
                                *nl = '\0';
                        if (msg)
                                yajl_free_error(h, msg);
                }
                /* Nodes still on the stack are owned by root; free the tree once. */
                json_free(ctx.root);
                free(ctx.key);
                return error_prefix(err, "invalid JSON near byte %zu: ", at);
        }
        free(ctx.key);
        *ret_doc = ctx.root;
        return 0;
}

/* ---- writing ---- */

static int gen_node(yajl_gen g, const struct json *node)
{
        yajl_gen_status s = yajl_gen_status_ok;

        switch (node->type) {
        case JSON_NULL:
                s = yajl_gen_null(g);
                break;
        case JSON_FALSE:
        case JSON_TRUE:
                s = yajl_gen_bool(g, node->type == JSON_TRUE);
                break;
        case JSON_NUMBER:
                s = yajl_gen_number(g, node->scalar.text, node->scalar.len);
                break;
        case JSON_STRING:
                s = yajl_gen_string(g, (const unsigned char *)node->scalar.text, node->scalar.len);
                break;
        case JSON_ARRAY:
                s = yajl_gen_array_open(g);
                for (size_t i = 0; s == yajl_gen_status_ok && i < node->array.n; i++)
                        s = gen_node(g, node->array.items[i]);
                if (s == yajl_gen_status_ok)
                        s = yajl_gen_array_close(g);
                break;
        case JSON_OBJECT:
                s = yajl_gen_map_open(g);
                for (size_t i = 0; s == yajl_gen_status_ok && i < node->object.n; i++) {
                        const struct json_member *m = &node->object.members[i];
                        s = yajl_gen_string(g, (const unsigned char *)m->key, m->key_len);
                        if (s == yajl_gen_status_ok)
                                s = gen_node(g, m->value);
                }
                if (s == yajl_gen_status_ok)
                        s = yajl_gen_map_close(g);
                break;
        case _JSON_TYPE_MAX:
                s = yajl_gen_invalid_string;
                break;
        }
        return (int)s;
}

static void yajl_gen_freep(yajl_gen *g)
{
        if (*g)
                yajl_gen_free(*g);
}

/* Serialises doc; pretty: two-space indentation, "[]"/"{}" for empty containers. The text
 * always ends with one newline. */
static int write_doc(const struct json *doc, bool pretty, char **ret_buf, size_t *ret_len,
                     struct hr_error *err);

int json_write(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        return write_doc(doc, false, ret_buf, ret_len, err);
}

/* Removes the blank line yajl's beautifier leaves inside an empty array or object ("[\n\n  ]"),
 * giving "[]". Strings cannot hold a raw newline (the generator escapes it), so the pattern
 * only matches structure. */
static size_t squeeze_empty(char *buf, size_t len)
{
        size_t o = 0;

        for (size_t i = 0; i < len;) {
                char c = buf[i];
                if ((c == '[' || c == '{') && i + 1 < len && buf[i + 1] == '\n') {
                        size_t j = i + 2;
                        while (j < len && buf[j] == ' ')
                                j++;
                        if (j < len && buf[j] == '\n') {
                                j++;
                                while (j < len && buf[j] == ' ')
                                        j++;
                                if (j < len && buf[j] == (c == '[' ? ']' : '}')) {
                                        buf[o++] = c;
                                        buf[o++] = buf[j];
                                        i = j + 1;
                                        continue;
                                }
                        }
                }
                buf[o++] = buf[i++];
        }
        return o;
}

int json_write_pretty(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        return write_doc(doc, true, ret_buf, ret_len, err);
}

static int write_doc(const struct json *doc, bool pretty, char **ret_buf, size_t *ret_len,
                     struct hr_error *err)
{
        _cleanup_(yajl_gen_freep) yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t out_len;
        char *copy;
        int s;

        if (!g)
                return error_set(err, -ENOMEM, "out of memory");
        /* Every string came through json_parse (UTF-8 checked) or is one of our constants. */
        yajl_gen_config(g, yajl_gen_validate_utf8, 0);
        if (pretty) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
        }
        s = gen_node(g, doc);
        if (s != yajl_gen_status_ok)
                return error_set(err, -EINVAL, "cannot serialise JSON (yajl_gen status %d)", s);
        yajl_gen_get_buf(g, &out, &out_len);
        copy = malloc(out_len + 2);
        if (!copy)
                return error_set(err, -ENOMEM, "out of memory");
        memcpy(copy, out, out_len);
        if (pretty)
                out_len = squeeze_empty(copy, out_len);
        /* The beautifier ends a top-level container with a newline, a scalar without. */
        if (out_len == 0 || copy[out_len - 1] != '\n')
                copy[out_len++] = '\n';
        copy[out_len] = '\0';
        *ret_buf = copy;
        *ret_len = out_len;
        return 0;
}

void json_render(const struct json *v, const char *absent, size_t max, char *buf, size_t size)
{
        _cleanup_free_ char *text = NULL;
        size_t len;

        if (!v) {
                snprintf(buf, size, "%s", absent);
                return;
        }
        if (json_write(v, &text, &len, NULL) < 0) {
                snprintf(buf, size, "(unprintable)");
                return;
        }
        if (len && text[len - 1] == '\n')
                text[--len] = '\0';
        if (max > 3 && len > max)
                snprintf(buf, size, "%.*s...", (int)(max - 3), text);
        else
                snprintf(buf, size, "%s", text);
}
