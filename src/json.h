/* A mutable JSON document on yajl: keeps member order, unknown fields and each number's text. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum json_type {
        JSON_NULL,
        JSON_FALSE,
        JSON_TRUE,
        JSON_NUMBER,
        JSON_STRING,
        JSON_ARRAY,
        JSON_OBJECT,
        _JSON_TYPE_MAX,
};

struct json;

struct json_member {
        char *key; /* NUL-terminated; key_len counts embedded NULs too */
        size_t key_len;
        struct json *value;
};

struct json {
        enum json_type type;
        union {
                struct {
                        char *text; /* number text exactly as read, or string bytes */
                        size_t len;
                } scalar;
                struct {
                        struct json **items;
                        size_t n, cap;
                } array;
                struct {
                        struct json_member *members;
                        size_t n, cap;
                } object;
        };
};

struct json_limits {
        size_t max_bytes;
        unsigned max_depth;
        size_t max_members; /* per array or object */
        /* Members whose object Go decodes into a map (annotations, sysctl): its keys compare
         * exactly, so "Foo" and "foo" may both appear there. NULL-terminated, may be NULL. */
        const char *const *map_members;
};

/* Strict parse: no comments, valid UTF-8, one value and nothing after it, no duplicate keys
 * (also none equal under Go's case folding, which runc applies), within limits. */
int json_parse(const char *buf, size_t len, const struct json_limits *limits, struct json **ret_doc,
               struct hr_error *err);

/* Compact serialisation; number text written as stored. *ret_buf is malloc'd. */
int json_write(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err);

/* One-line text of v for messages, cut to max characters with "..." (absent: v is NULL). */
void json_render(const struct json *v, const char *absent, size_t max, char *buf, size_t size);

struct json *json_free(struct json *node);
/* _cleanup_(json_freep): frees a document its scope owns. */
static inline void json_freep(struct json **node)
{
        json_free(*node);
}
struct json *json_clone(const struct json *node);
/* Structural equality; object member order does not matter, number text must match. */
bool json_equal(const struct json *a, const struct json *b);

struct json *json_new_null(void);
struct json *json_new_bool(bool value);
struct json *json_new_string(const char *s);
struct json *json_new_number(const char *text);
struct json *json_new_uint(unsigned long long value);
struct json *json_new_int(long long value);
struct json *json_new_array(void);
struct json *json_new_object(void);

static inline bool json_is_null(const struct json *n)
{
        return !n || n->type == JSON_NULL;
}

static inline bool json_is_bool(const struct json *n)
{
        return n && (n->type == JSON_TRUE || n->type == JSON_FALSE);
}

/* A string with no embedded NUL byte: C-string code (crun, fnmatch, libcap) sees all of it. */
bool json_is_clean_string(const struct json *n);

const char *json_type_name(enum json_type type);

/* Looks up an object member as the runtimes do. Returns 1 and the value when the key is present
 * exactly, 0 when absent, -EILSEQ when a key equals it only under Go's case folding (runc would
 * read that member, crun would not). ret_value may be NULL. */
int json_object_field(const struct json *obj, const char *key, struct json **ret_value);

/* Exact-key lookup, NULL when absent. */
struct json *json_object_get(const struct json *obj, const char *key);

/* Replaces the member's value in place (keeping its position) or appends it. Takes ownership of
 * value, also on failure; a NULL value (a failed json_new_*() or json_clone()) is -ENOMEM. */
int json_object_set(struct json *obj, const char *key, struct json *value);

/* Takes ownership of value, also on failure; a NULL value is -ENOMEM, as for json_object_set(). */
int json_array_append(struct json *array, struct json *value);

/* Removes and frees item i. */
void json_array_remove(struct json *array, size_t i);
/* Frees member i (or the member named key: true when there was one) and closes the gap. */
void json_object_remove_at(struct json *obj, size_t i);
bool json_object_remove(struct json *obj, const char *key);

/* Parses an unsigned integer the way Go decodes one into uint32/uint64: digits only, no sign,
 * fraction or exponent, no leading zeros, within max. */
int json_get_uint(const struct json *node, unsigned long long max, unsigned long long *ret);

/* json_write's output indented by two spaces per level, one member or item per line ("[]" and
 * "{}" when empty), ending in a newline: for people and line diffs. */
int json_write_pretty(const struct json *doc, char **ret_buf, size_t *ret_len,
                      struct hr_error *err);
