/* A mutable JSON document on yajl: keeps member order, unknown fields and each number's text.
 *
 * Memory: every node belongs to one document, an arena that json_parse(), json_clone(),
 * json_compiled_load() and each json_new_*() start. json_free() of a document's root frees the
 * whole document at once; of any other node it does nothing (its memory goes with its
 * document). json_object_set() and json_array_append() take the value they are given:
 *   - the root of another document: that document joins the container's (one free for both);
 *   - a node of the container's own document: linked where it is;
 *   - any other node of another document: copied (its document keeps and frees the original).
 * A replaced or removed value stays allocated until its document is freed: a document edited
 * without end grows, one parsed, used and freed (a record, a spec) does not. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
struct json_doc; /* the arena a node lives in: json.c's business */

struct json_member {
        char *key; /* NUL-terminated; key_len counts embedded NULs too */
        size_t key_len;
        struct json *value;
};

/* Read the fields freely; change a document only through the functions below (a checkpoint
 * sees changes there only). Texts are never written in place (a compiled document's live in
 * read-only memory). */
struct json {
        enum json_type type;
        uint32_t checkpoint; /* the last checkpoint that saved this node's members */
        struct json_doc *doc;
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

/* Compact serialisation, ending in a newline; number text written as stored. *ret_buf is
 * malloc'd. */
int json_write(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err);

/* JSON text written piece by piece into one growing buffer, the bytes yajl_gen writes (compact,
 * as json_write): for records assembled from members of several sources. Start it zeroed; set
 * check_utf8 to refuse, as yajl_gen_validate_utf8 does, a string that is not UTF-8 by yajl's
 * check (lead and continuation bytes only). After a failure nothing more is written and error
 * says why: -ENOMEM, -EILSEQ (a string failed that check), -ELOOP (nested too deep), -EINVAL.
 * json_text_free() frees buf, which is not NUL-terminated. pretty is json_write_pretty's
 * layout. */
struct json_text {
        char *buf;
        size_t len, cap;
        bool pretty;
        bool check_utf8;
        /* A text that outgrows BIGMEM_HUGE moves into huge pages (util/bigmem.h): mapped is
         * then its size, and json_text_free() frees buf. */
        bool huge;
        size_t mapped;
        int error;
};

/* Room for n more bytes (a text of a known size grows once). Only a hint: false when out of
 * memory, and the text stays usable. */
bool json_text_reserve(struct json_text *t, size_t n);

/* Frees t's buffer, malloc'd or mapped. */
void json_text_free(struct json_text *t);

/* json_write() into *t, whose flags it keeps ({.huge = true} for a spec of any size). */
int json_write_text(const struct json *doc, struct json_text *t, struct hr_error *err);

/* Appends len bytes as they are: punctuation, a key known to need no escape. */
void json_text_raw(struct json_text *t, const char *s, size_t len);
/* Appends s as a JSON string, or null when s is NULL. */
void json_text_string(struct json_text *t, const char *s);
/* Appends the text of v, or null when v is NULL. */
void json_text_value(struct json_text *t, const struct json *v);
/* Whether json_text_string() of s and json_text_value() of v (either may be NULL) succeed with
 * check_utf8 set, memory aside: a text known to be writable before any of it is written. */
bool json_text_writable(const char *s, const struct json *v);

/* The version of the yajl linked in, as yajl_version() gives it (major * 10000 + minor * 100 +
 * micro): the parser stays behind this header. */
int json_yajl_version(void);

/* One-line text of v for messages, cut to max characters with "..." (absent: v is NULL). */
void json_render(const struct json *v, const char *absent, size_t max, char *buf, size_t size);

/* Frees node's document when node is its root (see the top of this file); returns NULL. */
struct json *json_free(struct json *node);
/* _cleanup_(json_freep): frees a document its scope owns. */
static inline void json_freep(struct json **node)
{
        json_free(*node);
}
/* A deep copy, the root of a new document (sized in one allocation). */
struct json *json_clone(const struct json *node);
/* A deep copy inside the document of owner, linked nowhere: it lives as long as that document.
 * Many small copies kept together (a list of findings) cost one arena, not a malloc each. */
struct json *json_clone_in(struct json *owner, const struct json *node);
/* An empty array inside the document of owner, linked nowhere, with room for cap items. Filled
 * with nodes of that document (linked, not copied) and json_new_string_in() strings, it costs
 * no allocation of its own; it lives as long as the document. */
struct json *json_new_array_in(struct json *owner, size_t cap);
/* A string inside the document of owner, linked nowhere (as json_clone_in()). */
struct json *json_new_string_in(struct json *owner, const char *s);

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
/* The same, value at index i (at most array->array.n), the items from i on moving up one. Use
 * the pointer in the array afterwards: value may have been copied (see the top of this file). */
int json_array_insert(struct json *array, size_t i, struct json *value);

/* Removes item i: 0, -EINVAL when there is no item i, -ENOMEM when inside a checkpoint the
 * array could not be saved (nothing changed; json_rollback() fails too). A loop that removes
 * until nothing is left must stop on an error: the item is still there. Likewise below. */
__attribute__((warn_unused_result)) int json_array_remove(struct json *array, size_t i);
/* Removes member i and closes the gap. */
__attribute__((warn_unused_result)) int json_object_remove_at(struct json *obj, size_t i);
/* Removes the member named key: 1 when it was there, 0 when absent, or -ENOMEM as above. */
__attribute__((warn_unused_result)) int json_object_remove(struct json *obj, const char *key);

/* Parses an unsigned integer the way Go decodes one into uint32/uint64: digits only, no sign,
 * fraction or exponent, no leading zeros, within max. */
int json_get_uint(const struct json *node, unsigned long long max, unsigned long long *ret);

/* json_write's output indented by two spaces per level, one member or item per line ("[]" and
 * "{}" when empty), ending in a newline: for people and line diffs. */
int json_write_pretty(const struct json *doc, char **ret_buf, size_t *ret_len,
                      struct hr_error *err);

/* A checkpoint on node's document: what changes from now on can be undone by json_rollback().
 * Each array or object changed has its member list copied once; nothing else is. Rules in
 * audit and deny mode run on the spec itself this way, where a copy of a 1 MiB spec per rule
 * cost more than the rules. One checkpoint at a time per document. */
int json_checkpoint(struct json *node);
/* Undoes every change since json_checkpoint() and ends it. Nodes added meanwhile stay in the
 * arena, unreachable. -ENOMEM when a change could not be saved: it was not made, so the
 * document is as it was, but its changer saw a failure (or nothing happen). */
int json_rollback(struct json *node);

/* Whether a key of node's document may hold a NUL byte: false means none does. Such keys only
 * come from parsing (a C-string key cannot hold one), so the answer is kept, not searched. */
bool json_doc_has_nul_key(const struct json *node);

/* A document compiled at build time (profiles/embed.py), loaded without parsing. code is a
 * preorder walk: a json_type, then for a number or string the offset and length of its text in
 * pool (NUL-terminated there), for an array its item count and the items, for an object its
 * member count and per member the key's offset and length, then the value. The totals size the
 * document in one allocation. The texts stay in pool: it must live as long as the document. */
struct json_compiled {
        const uint32_t *code;
        size_t code_len;
        const char *pool;
        size_t pool_len;
        size_t nodes, items, members;
};

/* NULL when out of memory or when code is malformed (a bug in the generator; the unit test
 * loads every compiled document). */
struct json *json_compiled_load(const struct json_compiled *c);
