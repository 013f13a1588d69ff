/* Settings tables: the keys of one object of the policy file, each mapped onto a field of a C
 * struct (offsetof) with a type that knows how to read, show, copy and free it. From the one
 * table come the strict parser (unknown keys, wrong types and NUL bytes are errors), the
 * effective values with every default written out (`hardrunctl policy show`), the copy of the
 * defaults, the free, and the field list of `hardrunctl policy explain`.
 *
 * Two error modes: stop at the first problem (the start path), or collect every problem and go
 * on (a policy checker that lists them all). Problems read "FILE: 'PATH': reason". */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "util/error.h"
#include "util/lines.h"

struct setting;

struct settings_parser {
        const char *source;     /* the file, as messages name it */
        struct hr_error *err;   /* the first problem (stop mode: the only one) */
        struct lines *problems; /* NULL: stop at the first problem; else collect them all */
        bool pass_through;      /* read only the entries marked SETTING_PASS_THROUGH */
};

/* What a setting's value is, and how each job is done for it. */
struct setting_type {
        const char *doc; /* as the policy documentation names it: "integer", ... */
        /* Reads v (never NULL) into field, replacing what was there; problems through
         * settings_fail(). On failure the field stays freeable. */
        int (*parse)(struct settings_parser *sp, const struct setting *s, const struct json *v,
                     const char *path, void *field);
        /* The value as the policy file writes it; *ret NULL leaves the key out. -ENOMEM, or
         * -EINVAL for a value with no spelling. */
        int (*show)(const struct setting *s, const void *field, struct json **ret);
        /* Copies a default (from a const struct) into a zeroed field; NULL: memcpy of size. */
        int (*copy)(const struct setting *s, void *dst, const void *src);
        void (*free)(const struct setting *s, void *field); /* NULL: nothing owned */
        size_t size;                                        /* of the field */
};

enum {
        SETTING_NULLABLE = 1 << 0,     /* strings: JSON null sets NULL ("string or null") */
        SETTING_ABSOLUTE = 1 << 1,     /* string lists: each item an absolute path */
        SETTING_SHOW_IF_SET = 1 << 2,  /* left out of show while NULL */
        SETTING_PASS_THROUGH = 1 << 3, /* also read when only pass-through parts are */
        SETTING_STATE = 1 << 4,        /* no key: state kept with the settings (a cache), freed
                                          with them, never parsed, copied or shown */
        SETTING_REQUIRED = 1 << 5,     /* the key must be there ("missing") */
};

struct setting {
        const char *key;
        const struct setting_type *type;
        size_t offset; /* of the field in the struct the table describes */
        unsigned flags;
        /* Parameters, by type. */
        int64_t min, max;            /* integers */
        const char *const *values;   /* strings, string lists: the allowed values; choices: the
                                        names in value order */
        const char *const *builtin;  /* string lists: used and shown while the field is NULL */
        const struct setting *table; /* sections: the object's own table */
        size_t n_table;
        /* Checks a parsed value further (the path names it). */
        int (*check)(struct settings_parser *sp, const char *path, const void *field);
        const char *doc_type; /* overrides type->doc */
        const char *description;
};

#define SETTING_FIELD(base, s) ((void *)((char *)(base) + (s)->offset))
#define SETTING_CFIELD(base, s) ((const void *)((const char *)(base) + (s)->offset))

/* How many problems collect mode has recorded so far (0 in stop mode): a caller reading an item
 * of its own compares it before and after, to skip what failed. */
static inline size_t settings_problems(const struct settings_parser *sp)
{
        return sp->problems ? sp->problems->total : 0;
}

/* Records a problem at path; returns -EINVAL. */
int settings_fail(struct settings_parser *sp, const char *path, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* r as the caller should go on with it: in collect mode a problem (-EINVAL, its message in
 * sp->err) is recorded and 0 returned; anything else is returned as it is. */
int settings_collect(struct settings_parser *sp, int r);

/* "expected TYPE, got TYPE" unless v has the type (JSON_TRUE: any boolean). */
int settings_expect(struct settings_parser *sp, const struct json *v, enum json_type type,
                    const char *path);

/* A string without NUL bytes, copied (malloc'd) into *ret, replacing what was there. */
int settings_get_string(struct settings_parser *sp, const struct json *v, const char *path,
                        char **ret);

/* Reads the object obj (at path) into base: every key must be in the table or in also (keys
 * the caller reads itself); the entries are read in table order, each checked; a required one
 * that is absent is a problem. */
int settings_parse(struct settings_parser *sp, const struct setting *table, size_t n,
                   const struct json *obj, const char *path, void *base, const char *const *also);

/* Adds every entry of the table with its value to the object obj, in table order. */
int settings_show(const struct setting *table, size_t n, const void *base, struct json *obj);

/* Copies the table's fields from src (a defaults struct) into dst (zeroed). On failure dst
 * is freeable with settings_free(). */
int settings_copy(const struct setting *table, size_t n, void *dst, const void *src);

void settings_free(const struct setting *table, size_t n, void *base);

/* A string list setting as the rule uses it: the list, or its built-in while it is NULL. */
static inline const char *const *settings_strv_or(char *const *list, const char *const *builtin)
{
        return list ? (const char *const *)list : builtin;
}

/* A list as an array of strings (NULL: an empty one), for types that show lists. */
int settings_show_strv(const char *const *list, struct json **ret);

/* The types. */
extern const struct setting_type setting_bool;   /* bool */
extern const struct setting_type setting_id;     /* uint32_t, 0 to 4294967294 */
extern const struct setting_type setting_int64;  /* int64_t, min to max */
extern const struct setting_type setting_string; /* char *; values: one of them */
extern const struct setting_type setting_strv;   /* char **, non-empty items; values, builtin */
extern const struct setting_type setting_choice; /* int (an enum): one of values, in order */
extern const struct setting_type setting_bool_choice; /* bool: values[0] true, values[1] false */
extern const struct setting_type setting_section;     /* an object with its own table, same base */
