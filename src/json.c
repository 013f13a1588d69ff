/* JSON documents: yajl's event parser builds them, each in an arena of its own; a writer of our
 * own streams them into one buffer, byte for byte what yajl_gen wrote. */
#include "json.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>
#include <yajl/yajl_version.h>

#include "bounds.h"
#include "util/cleanup.h"
#include "util/bigmem.h"
#include "util/prefault.h"
#include "util/utf8.h"

/* Fixed parser stack; json_parse clamps max_depth to it. The writer and the loader of compiled
 * documents stop at the same depth. */
#define HR_JSON_STACK_MAX 256

/* ---- documents: arenas ---- */

/* Nodes, texts and member arrays come from big blocks; a document is freed block by block. */
#define ARENA_ALIGN 8u
#define BLOCK_MIN 128u /* a standalone node's next block: thousands of them join a spec */
#define BLOCK_MAX (1024u * 1024u)
/* A mapped block's pages are put in place as the arena reaches them, this much at a time: one
 * call for eight pages instead of a fault each, and never far beyond what the document uses. */
#define READY_STEP (32u * 1024u)

struct json_block {
        struct json_block *next;
        size_t mapped; /* a bigmem mapping of this size; 0: malloc'd */
};

struct json_doc {
        struct json_doc *joined;          /* the document this one became part of, or NULL */
        struct json_block *blocks, *last; /* its memory, and that of the documents it joined */
        char *free, *end;                 /* the unused part of the newest block */
        char *ready;                      /* its pages are in place up to here (free..end) */
        struct checkpoint *checkpoint;    /* the open one, or NULL */
        uint32_t next_block;              /* size of the next block */
        bool nul_keys;                    /* a key may hold a NUL byte */
        /* The root, whose json_free() frees the document, is the node right after this header:
         * every way of making a document allocates it first. */
};

/* An array's or object's members as they were when the checkpoint opened. */
struct saved {
        struct json *node;
        void *members;
        size_t n, cap;
};

/* What json_rollback() puts back. */
struct checkpoint {
        uint32_t id;
        bool failed; /* a change could not be saved (and was not made) */
        struct saved *saved;
        size_t n_saved, cap_saved;
};

static size_t round_up(size_t n)
{
        return (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

#define BLOCK_HEAD round_up(sizeof(struct json_block))
#define DOC_HEAD round_up(sizeof(struct json_doc))
#define NODE_SIZE round_up(sizeof(struct json))

static const struct json *doc_root(const struct json_doc *d)
{
        return (const struct json *)((const char *)d + DOC_HEAD);
}

/* The arena size of a scalar node with its text, which lives right behind it. */
static size_t scalar_size(size_t len)
{
        return round_up(sizeof(struct json) + len + 1);
}

/* A block of at least *size bytes (*size: what it holds), its header filled in; *ret_ready: how
 * much of it from its start has its pages in place. A big one is a mapping of its own
 * (util/bigmem.h): a fault per 4 KiB page is most of what building a document costs, and its
 * pages are put in place READY_STEP at a time instead; a huge one's need no help. */
static struct json_block *block_alloc(size_t *size, size_t *ret_ready)
{
        struct json_block *b = NULL;
        size_t mapped = 0;
        bool lazy = false; /* pages to be put in place as they are reached */

        if (*size >= BIGMEM_MIN)
                b = bigmem_alloc(*size, &mapped);
        if (!b)
                b = malloc(*size);
        if (!b)
                return NULL;
        lazy = mapped && !bigmem_is_huge(*size);
        if (mapped)
                *size = mapped;
        *ret_ready = *size;
        if (lazy) {
                *ret_ready = mapped < READY_STEP ? mapped : READY_STEP;
                (void)prefault_range(b, *ret_ready);
        }
        *b = (struct json_block){.mapped = mapped};
        return b;
}

/* A document whose first block holds size bytes besides its header (one allocation). */
static struct json_doc *doc_new(size_t size)
{
        struct json_block *b;
        struct json_doc *d;
        size_t total, ready;

        if (size > SIZE_MAX / 2)
                return NULL;
        if (size < NODE_SIZE)
                size = NODE_SIZE; /* the root comes first, right after the header */
        total = BLOCK_HEAD + DOC_HEAD + round_up(size);
        b = block_alloc(&total, &ready);
        if (!b)
                return NULL;
        d = (struct json_doc *)((char *)b + BLOCK_HEAD);
        *d = (struct json_doc){
                .blocks = b,
                .last = b,
                .free = (char *)d + DOC_HEAD,
                .end = (char *)b + total,
                .ready = (char *)b + ready,
                .next_block = BLOCK_MIN,
        };
        return d;
}

static void checkpoint_end(struct json_doc *d)
{
        if (d->checkpoint)
                free(d->checkpoint->saved);
        free(d->checkpoint);
        d->checkpoint = NULL;
}

static void doc_free(struct json_doc *d)
{
        checkpoint_end(d);
        /* d itself lives in the first of its blocks. */
        for (struct json_block *b = d->blocks, *next; b; b = next) {
                next = b->next;
                if (b->mapped)
                        bigmem_free(b, b->mapped);
                else
                        free(b);
        }
}

/* The document d now is part of (itself when it joined none). */
static struct json_doc *doc_resolve(struct json_doc *d)
{
        struct json_doc *top = d;

        while (top->joined)
                top = top->joined;
        while (d != top) {
                struct json_doc *next = d->joined;
                d->joined = top;
                d = next;
        }
        return top;
}

/* The document of n, where anything added to n must be allocated. */
static struct json_doc *doc_of(const struct json *n)
{
        return doc_resolve(n->doc);
}

/* The newest block's pages in place up to at least want, and READY_STEP beyond it. */
static void doc_make_ready(struct json_doc *d, const char *want)
{
        char *to = (size_t)(d->end - want) > READY_STEP ? (char *)want + READY_STEP : d->end;

        (void)prefault_range(d->ready, (size_t)(to - d->ready));
        d->ready = to;
}

/* doc_alloc() past the newest block's pages in place: more of them, or a new block. */
static void *doc_alloc_slow(struct json_doc *d, size_t size)
{
        struct json_block *b;
        size_t want = size > d->next_block ? size : d->next_block, total, ready;
        char *p;

        if ((size_t)(d->end - d->free) >= size) {
                doc_make_ready(d, d->free + size);
                p = d->free;
                d->free += size;
                return p;
        }
        if (want > SIZE_MAX / 2)
                return NULL;
        total = BLOCK_HEAD + want;
        b = block_alloc(&total, &ready);
        if (!b)
                return NULL;
        want = total - BLOCK_HEAD;
        /* New blocks go first: last stays the tail another document's blocks are linked to. */
        b->next = d->blocks;
        d->blocks = b;
        /* Fourfold: an arena of megabytes (the findings of thousands of mounts) passes few
         * small blocks before its blocks are huge pages. A block's untouched tail costs no
         * memory. */
        if (d->next_block < BLOCK_MAX)
                d->next_block = d->next_block < BLOCK_MAX / 4 ? d->next_block * 4 : BLOCK_MAX;
        p = (char *)b + BLOCK_HEAD;
        /* An outsized request keeps the current block's room for later ones; it is written
         * whole. */
        if (want - size < (size_t)(d->end - d->free)) {
                if (ready < BLOCK_HEAD + size)
                        (void)prefault_range(p, size);
                return p;
        }
        d->end = p + want;
        d->ready = (char *)b + ready;
        if (d->ready < p + size)
                doc_make_ready(d, p + size);
        d->free = p + size;
        return p;
}

static inline void *doc_alloc(struct json_doc *d, size_t size)
{
        char *p;

        if (size > SIZE_MAX / 2)
                return NULL;
        size = round_up(size);
        if ((size_t)(d->ready - d->free) < size)
                return doc_alloc_slow(d, size);
        p = d->free;
        d->free += size;
        return p;
}

/* d (a document's root joins another document) becomes part of into, freed with it. */
static void doc_join(struct json_doc *into, struct json_doc *d)
{
        checkpoint_end(d); /* its changes are into's now */
        d->joined = into;
        into->last->next = d->blocks;
        into->last = d->last;
        into->nul_keys |= d->nul_keys;
}

static inline struct json *node_alloc(struct json_doc *d, enum json_type type, size_t extra)
{
        struct json *n = doc_alloc(d, sizeof(*n) + extra);

        if (n)
                *n = (struct json){.type = type, .doc = d};
        return n;
}

static struct json *scalar_in(struct json_doc *d, enum json_type type, const char *text, size_t len)
{
        struct json *n;

        if (len > SIZE_MAX / 2)
                return NULL;
        n = node_alloc(d, type, len + 1);
        if (!n)
                return NULL;
        n->scalar.text = (char *)(n + 1);
        memcpy(n->scalar.text, text, len);
        n->scalar.text[len] = '\0';
        n->scalar.len = len;
        return n;
}

static char *key_in(struct json_doc *d, const char *key, size_t len)
{
        char *k = doc_alloc(d, len + 1);

        if (!k)
                return NULL;
        memcpy(k, key, len);
        k[len] = '\0';
        if (memchr(k, '\0', len))
                d->nul_keys = true;
        return k;
}

/* A node that is the root of a document of its own, sized for it alone. */
static struct json *standalone(enum json_type type, const char *text, size_t len)
{
        struct json_doc *d;

        if (text && len > SIZE_MAX / 4)
                return NULL;
        d = doc_new(text ? scalar_size(len) : NODE_SIZE);
        if (!d)
                return NULL;
        /* Sized for it: cannot fail, and the node is the root. */
        return text ? scalar_in(d, type, text, len) : node_alloc(d, type, 0);
}

struct json *json_new_null(void)
{
        return standalone(JSON_NULL, NULL, 0);
}

struct json *json_new_bool(bool value)
{
        return standalone(value ? JSON_TRUE : JSON_FALSE, NULL, 0);
}

struct json *json_new_string(const char *s)
{
        return standalone(JSON_STRING, s, strlen(s));
}

struct json *json_new_number(const char *text)
{
        return standalone(JSON_NUMBER, text, strlen(text));
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
        return standalone(JSON_ARRAY, NULL, 0);
}

struct json *json_new_object(void)
{
        return standalone(JSON_OBJECT, NULL, 0);
}

struct json *json_free(struct json *node)
{
        struct json_doc *d;

        if (!node)
                return NULL;
        d = doc_of(node);
        if (doc_root(d) == node)
                doc_free(d);
        return NULL;
}

bool json_doc_has_nul_key(const struct json *node)
{
        return node && doc_of(node)->nul_keys;
}

/* The arena size of a deep copy of n, as copy_into() allocates it. */
static size_t copy_size(const struct json *n)
{
        size_t size;

        switch (n->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                return scalar_size(n->scalar.len);
        case JSON_ARRAY:
                size = NODE_SIZE + round_up(n->array.n * sizeof(*n->array.items));
                for (size_t i = 0; i < n->array.n; i++)
                        size += copy_size(n->array.items[i]);
                return size;
        case JSON_OBJECT:
                size = NODE_SIZE + round_up(n->object.n * sizeof(*n->object.members));
                for (size_t i = 0; i < n->object.n; i++)
                        size += round_up(n->object.members[i].key_len + 1) +
                                copy_size(n->object.members[i].value);
                return size;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        return NODE_SIZE;
}

/* A deep copy of n allocated in d; NULL when out of memory (what was copied stays in d). */
static struct json *copy_into(struct json_doc *d, const struct json *n)
{
        struct json *c;

        switch (n->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                return scalar_in(d, n->type, n->scalar.text, n->scalar.len);
        case JSON_ARRAY:
                if (!(c = node_alloc(d, JSON_ARRAY, 0)))
                        return NULL;
                if (n->array.n == 0)
                        return c;
                c->array.items = doc_alloc(d, n->array.n * sizeof(*c->array.items));
                if (!c->array.items)
                        return NULL;
                c->array.cap = n->array.n;
                for (size_t i = 0; i < n->array.n; i++)
                        if (!(c->array.items[c->array.n++] = copy_into(d, n->array.items[i])))
                                return NULL;
                return c;
        case JSON_OBJECT:
                if (!(c = node_alloc(d, JSON_OBJECT, 0)))
                        return NULL;
                if (n->object.n == 0)
                        return c;
                c->object.members = doc_alloc(d, n->object.n * sizeof(*c->object.members));
                if (!c->object.members)
                        return NULL;
                c->object.cap = n->object.n;
                for (size_t i = 0; i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        struct json_member *to = &c->object.members[c->object.n++];
                        *to = (struct json_member){key_in(d, m->key, m->key_len), m->key_len,
                                                   copy_into(d, m->value)};
                        if (!to->key || !to->value)
                                return NULL;
                }
                return c;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        return node_alloc(d, n->type, 0);
}

struct json *json_clone(const struct json *node)
{
        struct json_doc *d;
        struct json *c;

        if (!node)
                return NULL;
        d = doc_new(copy_size(node));
        if (!d)
                return NULL;
        c = copy_into(d, node); /* the root: allocated first */
        if (!c)
                doc_free(d);
        return c;
}

struct json *json_clone_in(struct json *owner, const struct json *node)
{
        return node ? copy_into(doc_of(owner), node) : NULL;
}

struct json *json_new_array_in(struct json *owner, size_t cap)
{
        struct json_doc *d = doc_of(owner);
        struct json *a;

        if (cap > SIZE_MAX / 4 / sizeof(*a->array.items))
                return NULL;
        if (!(a = node_alloc(d, JSON_ARRAY, 0)))
                return NULL;
        /* Made inside an open checkpoint, it is no member to save: a rollback leaves it
         * unlinked. */
        if (d->checkpoint)
                a->checkpoint = d->checkpoint->id;
        if (cap && !(a->array.items = doc_alloc(d, cap * sizeof(*a->array.items))))
                return NULL;
        a->array.cap = cap;
        return a;
}

struct json *json_new_string_in(struct json *owner, const char *s)
{
        return scalar_in(doc_of(owner), JSON_STRING, s, strlen(s));
}

/* value, given to a container of document d, as a node of d (see json.h); NULL when out of
 * memory. */
static struct json *adopt(struct json_doc *d, struct json *value)
{
        struct json_doc *vd = doc_of(value);

        if (vd == d)
                return value;
        if (doc_root(vd) == value) {
                doc_join(d, vd);
                return value;
        }
        return copy_into(d, value);
}

/* ---- checkpoints ---- */

int json_checkpoint(struct json *node)
{
        /* Unique across documents: a node that moves to another document never looks saved. */
        static uint32_t last;
        struct json_doc *d = doc_of(node);

        if (d->checkpoint)
                return -EBUSY;
        if (!(d->checkpoint = calloc(1, sizeof(*d->checkpoint))))
                return -ENOMEM;
        if (++last == 0)
                last = 1;
        d->checkpoint->id = last;
        return 0;
}

int json_rollback(struct json *node)
{
        struct json_doc *d = doc_of(node);
        struct checkpoint *c = d->checkpoint;
        int r;

        if (!c)
                return 0;
        for (size_t i = c->n_saved; i-- > 0;) {
                const struct saved *s = &c->saved[i];
                if (s->node->type == JSON_ARRAY) {
                        s->node->array.items = s->members;
                        s->node->array.n = s->n;
                        s->node->array.cap = s->cap;
                } else {
                        s->node->object.members = s->members;
                        s->node->object.n = s->n;
                        s->node->object.cap = s->cap;
                }
        }
        r = c->failed ? -ENOMEM : 0;
        checkpoint_end(d);
        return r;
}

/* Before n (of document d) changes: inside a checkpoint, its members list is saved and n gets
 * a copy to change. False when that failed: n must stay as it is. */
static bool save_members(struct json_doc *d, struct json *n)
{
        struct checkpoint *c = d->checkpoint;
        size_t size = n->type == JSON_ARRAY ? sizeof(*n->array.items) : sizeof(*n->object.members);
        void **members =
                n->type == JSON_ARRAY ? (void **)&n->array.items : (void **)&n->object.members;
        size_t count = n->type == JSON_ARRAY ? n->array.n : n->object.n;
        size_t cap = n->type == JSON_ARRAY ? n->array.cap : n->object.cap;
        void *copy = NULL;

        if (!c || n->checkpoint == c->id)
                return true;
        if (c->failed)
                return false;
        if (c->n_saved == c->cap_saved) {
                size_t more = c->cap_saved ? c->cap_saved * 2 : 16;
                struct saved *p = realloc(c->saved, more * sizeof(*p));
                if (!p)
                        goto fail;
                c->saved = p;
                c->cap_saved = more;
        }
        if (cap && !(copy = doc_alloc(d, cap * size)))
                goto fail;
        if (cap)
                memcpy(copy, *members, count * size);
        c->saved[c->n_saved++] = (struct saved){n, *members, count, cap};
        *members = copy;
        n->checkpoint = c->id;
        return true;
fail:
        c->failed = true;
        return false;
}

/* Room for need elements of size bytes in *items (*cap of them allocated), in d. Growth
 * doubles, so n appends copy O(n) elements in all; the old array stays in the arena. */
static int grow(struct json_doc *d, void **items, size_t *cap, size_t need, size_t size)
{
        size_t new_cap;
        void *p;

        if (need <= *cap)
                return 0;
        new_cap = *cap ? *cap * 2 : 4;
        while (new_cap < need)
                new_cap *= 2;
        if (new_cap > SIZE_MAX / 2 / size)
                return -ENOMEM;
        p = doc_alloc(d, new_cap * size);
        if (!p)
                return -ENOMEM;
        if (*cap)
                memcpy(p, *items, *cap * size);
        *items = p;
        *cap = new_cap;
        return 0;
}

int json_array_append(struct json *array, struct json *value)
{
        struct json_doc *d;
        int r;

        if (!value)
                return -ENOMEM;
        d = doc_of(array);
        if (!(value = adopt(d, value)) || !save_members(d, array))
                return -ENOMEM;
        r = grow(d, (void **)&array->array.items, &array->array.cap, array->array.n + 1,
                 sizeof(*array->array.items));
        if (r < 0)
                return r;
        array->array.items[array->array.n++] = value;
        return 0;
}

int json_array_insert(struct json *array, size_t i, struct json *value)
{
        int r;

        if (i > array->array.n) {
                json_free(value);
                return -EINVAL;
        }
        if ((r = json_array_append(array, value)) < 0)
                return r;
        value = array->array.items[array->array.n - 1];
        memmove(&array->array.items[i + 1], &array->array.items[i],
                (array->array.n - 1 - i) * sizeof(*array->array.items));
        array->array.items[i] = value;
        return 0;
}

int json_array_remove(struct json *array, size_t i)
{
        if (i >= array->array.n)
                return -EINVAL;
        if (!save_members(doc_of(array), array))
                return -ENOMEM;
        memmove(&array->array.items[i], &array->array.items[i + 1],
                (array->array.n - i - 1) * sizeof(*array->array.items));
        array->array.n--;
        return 0;
}

int json_object_remove_at(struct json *obj, size_t i)
{
        if (i >= obj->object.n)
                return -EINVAL;
        if (!save_members(doc_of(obj), obj))
                return -ENOMEM;
        memmove(&obj->object.members[i], &obj->object.members[i + 1],
                (obj->object.n - i - 1) * sizeof(*obj->object.members));
        obj->object.n--;
        return 0;
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

int json_object_remove(struct json *obj, const char *key)
{
        const struct json_member *m = object_find(obj, key);
        int r;

        if (!m)
                return 0;
        r = json_object_remove_at(obj, (size_t)(m - obj->object.members));
        return r < 0 ? r : 1;
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
        size_t len = strlen(key);
        struct json_member *m;
        struct json_doc *d;
        char *k;
        int r;

        if (!value)
                return -ENOMEM;
        d = doc_of(obj);
        if (!(value = adopt(d, value)) || !save_members(d, obj))
                return -ENOMEM;
        if ((m = object_find(obj, key))) {
                m->value = value;
                return 0;
        }
        r = grow(d, (void **)&obj->object.members, &obj->object.cap, obj->object.n + 1,
                 sizeof(*obj->object.members));
        if (r < 0)
                return r;
        if (!(k = key_in(d, key, len)))
                return -ENOMEM;
        obj->object.members[obj->object.n++] = (struct json_member){k, len, value};
        return 0;
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
        /* The exact key wins: folding is compared only when it is absent. */
        for (size_t i = 0; i < obj->object.n; i++) {
                const struct json_member *m = &obj->object.members[i];
                if (m->key_len == len && memcmp(m->key, key, len) == 0) {
                        if (ret_value)
                                *ret_value = m->value;
                        return 1;
                }
        }
        for (size_t i = 0; i < obj->object.n && !folded; i++)
                folded = keys_fold_equal(obj->object.members[i].key, obj->object.members[i].key_len,
                                         key, len);
        return folded ? -EILSEQ : 0;
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

/* ---- compiled documents ---- */

struct loader {
        const struct json_compiled *c;
        size_t at;
        struct json_doc *d;
};

static bool next_word(struct loader *l, size_t *ret)
{
        if (l->at >= l->c->code_len)
                return false;
        *ret = l->c->code[l->at++];
        return true;
}

/* An offset and a length into the pool, naming a NUL-terminated text there. */
static bool next_text(struct loader *l, char **ret, size_t *ret_len)
{
        size_t off, len;

        if (!next_word(l, &off) || !next_word(l, &len) || off >= l->c->pool_len ||
            len >= l->c->pool_len - off || l->c->pool[off + len] != '\0')
                return false;
        *ret = (char *)l->c->pool + off; /* never written: see struct json */
        *ret_len = len;
        return true;
}

static struct json *load_node(struct loader *l, unsigned depth)
{
        struct json *n;
        size_t type, count;

        if (depth >= HR_JSON_STACK_MAX || !next_word(l, &type) || type >= _JSON_TYPE_MAX ||
            !(n = node_alloc(l->d, (enum json_type)type, 0)))
                return NULL;
        switch (n->type) {
        case JSON_NUMBER:
        case JSON_STRING:
                return next_text(l, &n->scalar.text, &n->scalar.len) ? n : NULL;
        case JSON_ARRAY:
                if (!next_word(l, &count) || count > l->c->code_len)
                        return NULL;
                if (count && !(n->array.items = doc_alloc(l->d, count * sizeof(*n->array.items))))
                        return NULL;
                n->array.cap = count;
                for (size_t i = 0; i < count; i++)
                        if (!(n->array.items[n->array.n++] = load_node(l, depth + 1)))
                                return NULL;
                return n;
        case JSON_OBJECT:
                if (!next_word(l, &count) || count > l->c->code_len)
                        return NULL;
                if (count &&
                    !(n->object.members = doc_alloc(l->d, count * sizeof(*n->object.members))))
                        return NULL;
                n->object.cap = count;
                for (size_t i = 0; i < count; i++) {
                        struct json_member *m = &n->object.members[n->object.n++];
                        if (!next_text(l, &m->key, &m->key_len) ||
                            !(m->value = load_node(l, depth + 1)))
                                return NULL;
                        if (strlen(m->key) != m->key_len)
                                l->d->nul_keys = true;
                }
                return n;
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case _JSON_TYPE_MAX:
                break;
        }
        return n;
}

struct json *json_compiled_load(const struct json_compiled *c)
{
        struct loader l = {.c = c};
        struct json *root;

        /* Texts stay in the pool: only nodes and member arrays are allocated. */
        l.d = doc_new(c->nodes * (NODE_SIZE + ARENA_ALIGN) + c->items * sizeof(struct json *) +
                      c->members * sizeof(struct json_member));
        if (!l.d)
                return NULL;
        root = load_node(&l, 0); /* the root: allocated first */
        if (!root || l.at != c->code_len) {
                doc_free(l.d);
                return NULL;
        }
        return root;
}

/* ---- parsing ---- */

/* An open array or object: its children wait in the pending list from index first on, and get
 * an array of their exact size when it closes. */
struct frame {
        struct json *node;
        size_t first;
        bool exact_keys; /* this object is a Go map (see map_members) */
};

struct parse_ctx {
        const struct json_limits *limits;
        struct json_doc *doc;
        struct json *root;
        struct frame stack[HR_JSON_STACK_MAX];
        unsigned depth;
        struct json_member *pending; /* children of the open containers */
        size_t n_pending, cap_pending;
        size_t pending_mapped; /* pending is a bigmem mapping of this size; 0: malloc'd */
        size_t pending_first;  /* its first capacity, by the text's size: a policy is tiny */
        char *key;             /* the innermost object's next key, in the document */
        size_t key_len;
        struct hr_error *err;
};

static int out_of_memory(struct parse_ctx *ctx)
{
        error_set(ctx->err, -ENOMEM, "out of memory");
        return 0;
}

static int attach(struct parse_ctx *ctx, struct json *value)
{
        const struct frame *top;

        if (!value)
                return out_of_memory(ctx);
        if (ctx->depth == 0) {
                ctx->root = value;
                return 1;
        }
        top = &ctx->stack[ctx->depth - 1];
        if (ctx->n_pending - top->first >= ctx->limits->max_members) {
                if (top->node->type == JSON_ARRAY)
                        error_set(ctx->err, -E2BIG, "array with more than %zu items",
                                  ctx->limits->max_members);
                else
                        error_set(ctx->err, -E2BIG, "object with more than %zu members",
                                  ctx->limits->max_members);
                return 0;
        }
        if (ctx->n_pending == ctx->cap_pending) {
                size_t cap = ctx->cap_pending ? ctx->cap_pending * 2 : ctx->pending_first;
                struct json_member *p = NULL;
                if (cap < SIZE_MAX / 2 / sizeof(*p))
                        p = ctx->pending_mapped ? malloc(cap * sizeof(*p))
                                                : realloc(ctx->pending, cap * sizeof(*p));
                if (!p)
                        return out_of_memory(ctx);
                if (ctx->pending_mapped) {
                        memcpy(p, ctx->pending, ctx->n_pending * sizeof(*p));
                        bigmem_free(ctx->pending, ctx->pending_mapped);
                        ctx->pending_mapped = 0;
                }
                ctx->pending = p;
                ctx->cap_pending = cap;
        }
        ctx->pending[ctx->n_pending++] = (struct json_member){ctx->key, ctx->key_len, value};
        ctx->key = NULL;
        return 1;
}

static int push(struct parse_ctx *ctx, enum json_type type)
{
        bool exact = false;
        struct json *n;

        if (ctx->depth >= ctx->limits->max_depth) {
                error_set(ctx->err, -ELOOP, "nesting deeper than %u levels",
                          ctx->limits->max_depth);
                return 0;
        }
        if (type == JSON_OBJECT && ctx->depth > 0 && ctx->key && ctx->limits->map_members)
                for (const char *const *m = ctx->limits->map_members; *m; m++)
                        if (strlen(*m) == ctx->key_len && memcmp(*m, ctx->key, ctx->key_len) == 0)
                                exact = true;
        n = node_alloc(ctx->doc, type, 0);
        if (!attach(ctx, n))
                return 0;
        ctx->stack[ctx->depth++] = (struct frame){n, ctx->n_pending, exact};
        return 1;
}

static int on_null(void *c)
{
        struct parse_ctx *ctx = c;

        return attach(ctx, node_alloc(ctx->doc, JSON_NULL, 0));
}

static int on_boolean(void *c, int value)
{
        struct parse_ctx *ctx = c;

        return attach(ctx, node_alloc(ctx->doc, value ? JSON_TRUE : JSON_FALSE, 0));
}

static int on_number(void *c, const char *text, size_t len)
{
        struct parse_ctx *ctx = c;

        return attach(ctx, scalar_in(ctx->doc, JSON_NUMBER, text, len));
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
        struct parse_ctx *ctx = c;

        if (!check_utf8(ctx, s, len))
                return 0;
        return attach(ctx, scalar_in(ctx->doc, JSON_STRING, (const char *)s, len));
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
        if (!(ctx->key = key_in(ctx->doc, (const char *)key, len)))
                return out_of_memory(ctx);
        ctx->key_len = len;
        return 1;
}

struct folded {
        const char *text;
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
        _cleanup_free_ struct folded *keys = NULL;
        _cleanup_free_ char *texts = NULL;
        size_t n = obj->object.n, total = 0;

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
        /* Folding never makes a key longer: one buffer holds them all. */
        for (size_t i = 0; i < n; i++)
                total += obj->object.members[i].key_len;
        keys = calloc(n, sizeof(*keys));
        texts = exact ? NULL : malloc(total + 1);
        if (!keys || (!exact && !texts))
                return out_of_memory(ctx);
        total = 0;
        for (size_t i = 0; i < n; i++) {
                const struct json_member *m = &obj->object.members[i];
                if (exact) {
                        keys[i] = (struct folded){m->key, m->key_len, i};
                } else {
                        keys[i] = (struct folded){texts + total,
                                                  fold_key(m->key, m->key_len, texts + total), i};
                        total += keys[i].len;
                }
        }
        qsort(keys, n, sizeof(*keys), folded_cmp);
        for (size_t i = 1; i < n; i++)
                if (folded_cmp(&keys[i - 1], &keys[i]) == 0)
                        return duplicate_found(ctx, &obj->object.members[keys[i].index]);
        return 1;
}

/* Closes the innermost array or object: its children move from the pending list into an array
 * of their exact size in the document. */
static int pop(struct parse_ctx *ctx)
{
        const struct frame *f = &ctx->stack[--ctx->depth];
        const struct json_member *kids;
        size_t n = ctx->n_pending - f->first;
        struct json *node = f->node;

        ctx->n_pending = f->first;
        if (n == 0)
                return 1; /* pending may still be NULL: no offset from it */
        kids = &ctx->pending[f->first];
        if (node->type == JSON_ARRAY) {
                node->array.items = doc_alloc(ctx->doc, n * sizeof(*node->array.items));
                if (!node->array.items)
                        return out_of_memory(ctx);
                for (size_t i = 0; i < n; i++)
                        node->array.items[i] = kids[i].value;
                node->array.n = node->array.cap = n;
                return 1;
        }
        node->object.members = doc_alloc(ctx->doc, n * sizeof(*node->object.members));
        if (!node->object.members)
                return out_of_memory(ctx);
        memcpy(node->object.members, kids, n * sizeof(*kids));
        node->object.n = node->object.cap = n;
        return check_duplicates(ctx, node, f->exact_keys);
}

static int on_end_map(void *c)
{
        return pop(c);
}

static int on_start_array(void *c)
{
        return push(c, JSON_ARRAY);
}

static int on_end_array(void *c)
{
        return pop(c);
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
        struct parse_ctx ctx = {
                .limits = &bounded,
                .err = err,
                .pending_first = len / 64 < 32    ? 32
                                 : len / 64 > 512 ? 512
                                                  : len / 64,
        };
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

        /* A spec's document takes about three times its text; a bigger one grows by blocks.
         * Memory never touched costs nothing. */
        ctx.doc = doc_new(len < SIZE_MAX / 8 ? len * 3 + scalar_size(0) : len);
        h = ctx.doc ? yajl_alloc(&parse_callbacks, NULL, &ctx) : NULL;
        if (!h) {
                if (ctx.doc)
                        doc_free(ctx.doc);
                return error_set(err, -ENOMEM, "out of memory");
        }
        ctx.doc->next_block = len > BLOCK_MAX   ? BLOCK_MAX
                              : len > BLOCK_MIN ? (uint32_t)len
                                                : BLOCK_MIN;
        /* A big document's thousands of pending children: a huge page, not a realloc'd
         * array (see util/bigmem.h). */
        if (len >= BIGMEM_HUGE && (ctx.pending = bigmem_alloc(BIGMEM_HUGE, &ctx.pending_mapped)))
                ctx.cap_pending = ctx.pending_mapped / sizeof(*ctx.pending);
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
        if (ctx.pending_mapped)
                bigmem_free(ctx.pending, ctx.pending_mapped);
        else
                free(ctx.pending);
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
                doc_free(ctx.doc);
                return error_prefix(err, "invalid JSON near byte %zu: ", at);
        }
        *ret_doc = ctx.root; /* the first node the callbacks made */
        return 0;
}

/* ---- writing ---- */

/* The buffer moved into a huge-page mapping of at least cap bytes (see struct json_text). */
static bool grow_huge(struct json_text *w, size_t cap)
{
        size_t mapped, len = w->len;
        char *p = bigmem_alloc(cap, &mapped);

        if (!p)
                return false;
        if (len)
                memcpy(p, w->buf, len);
        json_text_free(w);
        w->buf = p;
        w->len = len;
        w->cap = w->mapped = mapped;
        return true;
}

static bool grow_buffer(struct json_text *w, size_t n)
{
        size_t cap;
        char *p;

        if (w->error)
                return false;
        for (cap = w->cap ? w->cap : 4096; cap - w->len < n; cap *= 2)
                if (cap > SIZE_MAX / 4) {
                        w->error = -ENOMEM;
                        return false;
                }
        if (w->huge && cap >= BIGMEM_HUGE && grow_huge(w, cap))
                return true;
        if (w->mapped) { /* no huge pages to be had: back to malloc */
                p = malloc(cap);
                if (p)
                        memcpy(p, w->buf, w->len);
        } else {
                p = realloc(w->buf, cap);
        }
        if (!p) {
                w->error = -ENOMEM;
                return false;
        }
        if (w->mapped)
                bigmem_free(w->buf, w->mapped);
        w->mapped = 0;
        w->buf = p;
        w->cap = cap;
        return true;
}

void json_text_free(struct json_text *t)
{
        if (t->mapped)
                bigmem_free(t->buf, t->mapped);
        else
                free(t->buf);
        t->buf = NULL;
        t->len = t->cap = t->mapped = 0;
}

static inline bool reserve(struct json_text *w, size_t n)
{
        return w->cap - w->len >= n || grow_buffer(w, n);
}

bool json_text_reserve(struct json_text *t, size_t n)
{
        if (t->error)
                return false;
        if (reserve(t, n))
                return true;
        t->error = 0; /* only a hint: the text may still grow as it goes */
        return false;
}

static inline void put(struct json_text *w, const char *s, size_t n)
{
        if (reserve(w, n)) {
                memcpy(w->buf + w->len, s, n);
                w->len += n;
        }
}

static inline void put_char(struct json_text *w, char c)
{
        if (reserve(w, 1))
                w->buf[w->len++] = c;
}

/* A newline and the indentation of depth, two spaces per level (pretty output only). */
static void put_newline(struct json_text *w, unsigned depth)
{
        static const char spaces[] =
                "                                                                ";
        size_t n = 2 * (size_t)depth;

        if (!w->pretty)
                return;
        put_char(w, '\n');
        for (size_t k; n > 0; n -= k) {
                k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
                put(w, spaces, k);
        }
}

/* How yajl_gen writes each byte of a string: 0 as itself, else the letter after a backslash
 * ('u': \u00XX with upper-case hex). '/' and bytes from 0x7F up go as they are. */
static const char escapes[256] = {
        ['\0'] = 'u', [0x01] = 'u', [0x02] = 'u', [0x03] = 'u',  [0x04] = 'u', [0x05] = 'u',
        [0x06] = 'u', [0x07] = 'u', ['\b'] = 'b', ['\t'] = 't',  ['\n'] = 'n', [0x0B] = 'u',
        ['\f'] = 'f', ['\r'] = 'r', [0x0E] = 'u', [0x0F] = 'u',  [0x10] = 'u', [0x11] = 'u',
        [0x12] = 'u', [0x13] = 'u', [0x14] = 'u', [0x15] = 'u',  [0x16] = 'u', [0x17] = 'u',
        [0x18] = 'u', [0x19] = 'u', [0x1A] = 'u', [0x1B] = 'u',  [0x1C] = 'u', [0x1D] = 'u',
        [0x1E] = 'u', [0x1F] = 'u', ['"'] = '"',  ['\\'] = '\\',
};

/* Whether one of the eight bytes of x needs an escape: below 0x20, '"' or '\\' (the exact
 * "has a byte less than n" and "has a zero byte" tests on a word). */
static inline bool word_needs_escape(uint64_t x)
{
        const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones << 7;
        uint64_t quote = x ^ (ones * '"'), backslash = x ^ (ones * '\\');

        return (((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) |
                ((backslash - ones) & ~backslash)) &
               highs;
}

/* yajl_gen's UTF-8 check (yajl_gen_validate_utf8), exactly: a lead byte and as many bytes of
 * the form 10xxxxxx as it announces; overlong forms and surrogates pass. */
static bool is_yajl_utf8(const char *str, size_t len)
{
        const unsigned char *s = (const unsigned char *)str;

        for (size_t i = 0; i < len;) {
                size_t more;
                uint64_t w;

                /* Mostly ASCII: eight bytes at a time, then byte by byte. */
                if (len - i >= 8) {
                        memcpy(&w, s + i, 8);
                        if (!(w & UINT64_C(0x8080808080808080))) {
                                i += 8;
                                continue;
                        }
                }
                if (s[i] <= 0x7F) {
                        i++;
                        continue;
                }
                more = (s[i] >> 5) == 0x06   ? 1
                       : (s[i] >> 4) == 0x0E ? 2
                       : (s[i] >> 3) == 0x1E ? 3
                                             : SIZE_MAX;
                if (more == SIZE_MAX || more >= len - i)
                        return false;
                for (i++; more > 0; more--, i++)
                        if ((s[i] >> 6) != 0x02)
                                return false;
        }
        return true;
}

static void put_string(struct json_text *w, const char *s, size_t len)
{
        static const char hex[] = "0123456789ABCDEF";
        size_t i = 0;

        if (w->check_utf8 && !w->error && !is_yajl_utf8(s, len)) {
                w->error = -EILSEQ;
                return;
        }

        /* Room for the string as it is; an escape makes more when it comes. */
        if (!reserve(w, len + 2))
                return;
        w->buf[w->len++] = '"';
        while (i < len) {
                size_t start = i;
                for (uint64_t x; len - i >= 8; i += 8) {
                        memcpy(&x, s + i, 8);
                        if (word_needs_escape(x))
                                break;
                }
                /* Fewer than eight left: the string's last eight bytes as one word. */
                if (len - i < 8 && len >= 8 && i < len) {
                        uint64_t x;
                        memcpy(&x, s + len - 8, 8);
                        if (!word_needs_escape(x))
                                i = len;
                }
                while (i < len && !escapes[(unsigned char)s[i]])
                        i++;
                put(w, s + start, i - start);
                if (i < len) {
                        unsigned char c = (unsigned char)s[i++];
                        char e[6] = {'\\', escapes[c], '0', '0', hex[c >> 4], hex[c & 0xF]};
                        if (!reserve(w, 6 + (len - i) + 1))
                                return;
                        put(w, e, e[1] == 'u' ? 6 : 2);
                }
        }
        put_char(w, '"');
}

static void put_node(struct json_text *w, const struct json *n, unsigned depth)
{
        if (depth >= HR_JSON_STACK_MAX) {
                w->error = -ELOOP;
                return;
        }
        switch (n->type) {
        case JSON_NULL:
                put(w, "null", 4);
                return;
        case JSON_FALSE:
                put(w, "false", 5);
                return;
        case JSON_TRUE:
                put(w, "true", 4);
                return;
        case JSON_NUMBER:
                put(w, n->scalar.text, n->scalar.len);
                return;
        case JSON_STRING:
                put_string(w, n->scalar.text, n->scalar.len);
                return;
        case JSON_ARRAY:
                if (n->array.n == 0) {
                        put(w, "[]", 2);
                        return;
                }
                put_char(w, '[');
                for (size_t i = 0; i < n->array.n; i++) {
                        if (i)
                                put_char(w, ',');
                        put_newline(w, depth + 1);
                        put_node(w, n->array.items[i], depth + 1);
                }
                put_newline(w, depth);
                put_char(w, ']');
                return;
        case JSON_OBJECT:
                if (n->object.n == 0) {
                        put(w, "{}", 2);
                        return;
                }
                put_char(w, '{');
                for (size_t i = 0; i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        if (i)
                                put_char(w, ',');
                        put_newline(w, depth + 1);
                        put_string(w, m->key, m->key_len);
                        put(w, ": ", w->pretty ? 2 : 1);
                        put_node(w, m->value, depth + 1);
                }
                put_newline(w, depth);
                put_char(w, '}');
                return;
        case _JSON_TYPE_MAX:
                break;
        }
        w->error = -EINVAL;
}

/* The text of doc and a newline, NUL-terminated (not counted); pretty: two-space indentation,
 * one member or item per line, "[]"/"{}" when empty. */
int json_write_text(const struct json *doc, struct json_text *t, struct hr_error *err)
{
        put_node(t, doc, 0);
        put(t, "\n", 2);
        if (t->error) {
                json_text_free(t);
                if (t->error == -ENOMEM)
                        return error_set(err, -ENOMEM, "out of memory");
                return error_set(err, -EINVAL, "cannot serialise JSON (%s)",
                                 t->error == -ELOOP ? "nested too deep" : "invalid node");
        }
        t->len--; /* the NUL stays behind the text */
        return 0;
}

static int write_doc(const struct json *doc, bool pretty, char **ret_buf, size_t *ret_len,
                     struct hr_error *err)
{
        struct json_text w = {.pretty = pretty};
        int r = json_write_text(doc, &w, err);

        if (r < 0)
                return r;
        *ret_buf = w.buf;
        *ret_len = w.len;
        return 0;
}

void json_text_raw(struct json_text *t, const char *s, size_t len)
{
        put(t, s, len);
}

void json_text_string(struct json_text *t, const char *s)
{
        if (s)
                put_string(t, s, strlen(s));
        else
                put(t, "null", 4);
}

void json_text_value(struct json_text *t, const struct json *v)
{
        if (v)
                put_node(t, v, 0);
        else
                put(t, "null", 4);
}

/* put_node()'s refusals, without writing. */
static bool node_writable(const struct json *n, unsigned depth)
{
        if (depth >= HR_JSON_STACK_MAX)
                return false;
        switch (n->type) {
        case JSON_NULL:
        case JSON_FALSE:
        case JSON_TRUE:
        case JSON_NUMBER:
                return true;
        case JSON_STRING:
                return is_yajl_utf8(n->scalar.text, n->scalar.len);
        case JSON_ARRAY:
                for (size_t i = 0; i < n->array.n; i++)
                        if (!node_writable(n->array.items[i], depth + 1))
                                return false;
                return true;
        case JSON_OBJECT:
                for (size_t i = 0; i < n->object.n; i++)
                        if (!is_yajl_utf8(n->object.members[i].key, n->object.members[i].key_len) ||
                            !node_writable(n->object.members[i].value, depth + 1))
                                return false;
                return true;
        case _JSON_TYPE_MAX:
                break;
        }
        return false;
}

bool json_text_writable(const char *s, const struct json *v)
{
        return (!s || is_yajl_utf8(s, strlen(s))) && (!v || node_writable(v, 0));
}

int json_write(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        return write_doc(doc, false, ret_buf, ret_len, err);
}

int json_write_pretty(const struct json *doc, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        return write_doc(doc, true, ret_buf, ret_len, err);
}

int json_yajl_version(void)
{
        return yajl_version();
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
