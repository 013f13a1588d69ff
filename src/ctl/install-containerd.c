/* containerd's config.toml: the CRI runtime handler "hardrun" as one block between "# BEGIN
 * hardrun" and "# END hardrun" lines. No TOML library is at hand, so the file is read line by
 * line only as far as needed to know the edit is safe: the config version, every table header
 * (another handler named hardrun, a declared runc handler and its cgroup driver), and anything
 * that could define runtimes in a way a block appended at the end would clash with (dotted keys,
 * inline tables, multi-line strings). What cannot be read that way is refused, with the block to
 * paste by hand. */
#include <stdlib.h>
#include <string.h>

#include "install.h"
#include "util/cleanup.h"

#define PARTS_MAX 16
#define PART_MAX 128
#define BEGIN_MARKER "# BEGIN " INSTALL_RUNTIME_NAME
#define END_MARKER "# END " INSTALL_RUNTIME_NAME

struct kpath {
        char part[PARTS_MAX][PART_MAX];
        size_t n;
};

/* The CRI runtime plugin of each config version: "version = 2" (containerd 1.x, and 2.x which
 * migrates it) and "version = 3" (containerd 2.x). */
static const struct layout {
        int version;
        const char *plugin;
        char quote;
} layouts[] = {
        {2, "io.containerd.grpc.v1.cri", '"'},
        {3, "io.containerd.cri.v1.runtime", '\''},
};

static const char *skip_ws(const char *p, const char *end)
{
        while (p < end && (*p == ' ' || *p == '\t'))
                p++;
        return p;
}

static bool is_bare(char c)
{
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
}

/* A dotted key from *pp up to (not including) stop: bare, "basic" or 'literal' parts. Escapes
 * other than \" and \\ are refused: no key hardrunctl looks for needs them. */
static int parse_key(const char **pp, const char *end, char stop, struct kpath *k)
{
        const char *p = *pp;

        k->n = 0;
        for (;;) {
                size_t len = 0;
                char *out;

                if (k->n == PARTS_MAX)
                        return -EINVAL;
                out = k->part[k->n];
                p = skip_ws(p, end);
                if (p < end && (*p == '"' || *p == '\'')) {
                        char q = *p++;
                        while (p < end && *p != q) {
                                if (q == '"' && *p == '\\') {
                                        if (p + 1 >= end || (p[1] != '"' && p[1] != '\\'))
                                                return -EINVAL;
                                        p++;
                                }
                                if (*p == '\n' || len + 1 >= PART_MAX)
                                        return -EINVAL;
                                out[len++] = *p++;
                        }
                        if (p >= end)
                                return -EINVAL;
                        p++;
                } else {
                        while (p < end && is_bare(*p) && len + 1 < PART_MAX)
                                out[len++] = *p++;
                        if (len == 0)
                                return -EINVAL;
                }
                out[len] = '\0';
                k->n++;
                p = skip_ws(p, end);
                if (p < end && *p == '.') {
                        p++;
                        continue;
                }
                if (p < end && *p == stop) {
                        *pp = p + 1;
                        return 0;
                }
                return -EINVAL;
        }
}

/* Scans a value (or the rest of a multi-line array) to the end of its line: strings are
 * skipped, [ and { counted in *depth, a comment ends it. Multi-line strings are refused: a
 * line inside one could look like a table header. */
static int scan_value(const char *p, const char *end, int *depth)
{
        while (p < end && *p != '\n') {
                char c = *p;
                if (c == '#')
                        return 0;
                if (c == '"' || c == '\'') {
                        if (end - p >= 3 && p[1] == c && p[2] == c)
                                return -EINVAL;
                        for (p++; p < end && *p != c && *p != '\n'; p++)
                                if (c == '"' && *p == '\\' && p + 1 < end)
                                        p++;
                        if (p >= end || *p != c)
                                return -EINVAL;
                } else if (c == '[' || c == '{') {
                        ++*depth;
                } else if (c == ']' || c == '}') {
                        if (--*depth < 0)
                                return -EINVAL;
                }
                p++;
        }
        return 0;
}

/* Whether a (n parts) starts with b (m parts, some of which may be NULL for "any"). */
static bool has_prefix(const struct kpath *a, const char *const *b, size_t m)
{
        if (a->n < m)
                return false;
        for (size_t i = 0; i < m; i++)
                if (b[i] && strcmp(a->part[i], b[i]) != 0)
                        return false;
        return true;
}

static void path_join(struct kpath *out, const struct kpath *a, const struct kpath *b)
{
        *out = *a;
        for (size_t i = 0; i < b->n && out->n < PARTS_MAX; i++)
                memcpy(out->part[out->n++], b->part[i], PART_MAX);
}

/* What the scan learns about the file. */
struct scan {
        int version;                   /* 0: no version line */
        bool has_content;              /* a key or a table outside the block */
        bool runc_declared;            /* a runc handler outside the block */
        bool systemd_cgroup;           /* its options.SystemdCgroup */
        size_t block_begin, block_end; /* byte offsets of the block's lines; begin == end: none */
        size_t line_begin;             /* line number of the block's BEGIN marker, for messages */
};

static bool line_is(const char *p, const char *end, const char *marker)
{
        size_t n = strlen(marker);

        return (size_t)(end - p) >= n && strncmp(p, marker, n) == 0 &&
               (p + n == end || p[n] == ' ' || p[n] == '\n' || p[n] == '\r');
}

static int scan_file(struct install_edit *e, const struct layout *want, struct scan *s,
                     struct hr_error *err)
{
        const char *text = e->text, *end = e->text + e->len;
        const char *runtimes[] = {"plugins", NULL, "containerd", "runtimes"};
        struct kpath table = {.n = 0};
        bool in_block = false, in_runc_options = false;
        int depth = 0;
        size_t lineno = 0;

        *s = (struct scan){0};
        for (const char *line = text; line < end;) {
                const char *eol = memchr(line, '\n', (size_t)(end - line));
                const char *next = eol ? eol + 1 : end, *p;
                struct kpath key, full;

                eol = eol ? eol : end;
                lineno++;
                p = skip_ws(line, eol);
                if (depth > 0) {
                        if (scan_value(p, eol, &depth) < 0)
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: a value "
                                                 "hardrunctl cannot read",
                                                 e->path, lineno);
                } else if (line_is(p, eol, BEGIN_MARKER)) {
                        if (in_block || s->block_end > s->block_begin || s->line_begin)
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: a second '%s' "
                                                 "line",
                                                 e->path, lineno, BEGIN_MARKER);
                        in_block = true;
                        s->block_begin = (size_t)(line - text);
                        s->line_begin = lineno;
                } else if (line_is(p, eol, END_MARKER)) {
                        if (!in_block)
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: '%s' without "
                                                 "'%s'",
                                                 e->path, lineno, END_MARKER, BEGIN_MARKER);
                        in_block = false;
                        s->block_end = (size_t)(next - text);
                } else if (p == eol || *p == '#' || *p == '\r') {
                        /* blank or comment */
                } else if (*p == '[') {
                        bool array = p + 1 < eol && p[1] == '[';
                        const char *q = p + 1 + array;

                        if (parse_key(&q, eol, ']', &table) < 0 ||
                            (array && (q >= eol || *q++ != ']')))
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: a table header "
                                                 "hardrunctl cannot read",
                                                 e->path, lineno);
                        q = skip_ws(q, eol);
                        if (q < eol && *q != '#' && *q != '\r')
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: text after a table "
                                                 "header",
                                                 e->path, lineno);
                        in_runc_options = false;
                        if (in_block)
                                goto next;
                        s->has_content = true;
                        runtimes[1] = want ? want->plugin : NULL;
                        if (want && has_prefix(&table, runtimes, 4) && table.n >= 5) {
                                if (strcmp(table.part[4], INSTALL_RUNTIME_NAME) == 0)
                                        return error_set(err, -EEXIST,
                                                         "%s: line %zu declares a "
                                                         "runtime handler '%s' that hardrunctl "
                                                         "did not add: edit or remove it by hand",
                                                         e->path, lineno, INSTALL_RUNTIME_NAME);
                                if (strcmp(table.part[4], "runc") == 0) {
                                        s->runc_declared = true;
                                        in_runc_options = table.n == 6 &&
                                                          strcmp(table.part[5], "options") == 0;
                                }
                        }
                } else {
                        bool inline_table;

                        if (parse_key(&p, eol, '=', &key) < 0)
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: a key hardrunctl "
                                                 "cannot read",
                                                 e->path, lineno);
                        p = skip_ws(p, eol);
                        inline_table = p < eol && *p == '{';
                        /* The block's own version line (a file install created) is ours. */
                        if (!in_block && table.n == 0 && key.n == 1 &&
                            strcmp(key.part[0], "version") == 0) {
                                char *stop;
                                long v = strtol(p, &stop, 10);
                                if (s->version || stop == p || v < 1 || v > 99)
                                        return error_set(err, -EINVAL,
                                                         "%s: line %zu: a 'version' "
                                                         "hardrunctl cannot read",
                                                         e->path, lineno);
                                s->version = (int)v;
                        }
                        if (in_runc_options && key.n == 1 &&
                            strcmp(key.part[0], "SystemdCgroup") == 0)
                                s->systemd_cgroup = strncmp(p, "true", 4) == 0;
                        if (scan_value(p, eol, &depth) < 0)
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu: a value hardrunctl "
                                                 "cannot read (a multi-line string?)",
                                                 e->path, lineno);
                        if (in_block)
                                goto next;
                        s->has_content = true;
                        /* A runtime declared through dotted keys or an inline table: a header
                         * appended below could redefine its table. */
                        path_join(&full, &table, &key);
                        runtimes[1] = NULL;
                        if (table.n < 5 && (has_prefix(&full, runtimes, full.n < 4 ? full.n : 4) &&
                                            (full.n > 4 || inline_table)))
                                return error_set(err, -EINVAL,
                                                 "%s: line %zu sets runtimes "
                                                 "through a dotted key or an inline table, "
                                                 "which hardrunctl cannot edit safely",
                                                 e->path, lineno);
                }
next:
                line = next;
        }
        if (in_block)
                return error_set(err, -EINVAL, "%s: line %zu: '%s' without '%s'", e->path,
                                 s->line_begin, BEGIN_MARKER, END_MARKER);
        if (depth > 0)
                return error_set(err, -EINVAL, "%s: an unclosed array or table at the end",
                                 e->path);
        return 0;
}

static void write_block(FILE *f, const struct layout *l, const char *runtime, bool version,
                        bool runc, bool systemd_cgroup)
{
        const char *cg = systemd_cgroup ? "true" : "false";
        char q = l->quote;

        fprintf(f,
                "%s (added by hardrunctl install containerd; hardrunctl uninstall "
                "containerd removes it)\n",
                BEGIN_MARKER);
        if (version)
                fprintf(f, "version = %d\n", l->version);
        fprintf(f, "[plugins.%c%s%c.containerd.runtimes.%s]\n", q, l->plugin, q,
                INSTALL_RUNTIME_NAME);
        fprintf(f, "  runtime_type = %cio.containerd.runc.v2%c\n", q, q);
        fprintf(f, "[plugins.%c%s%c.containerd.runtimes.%s.options]\n", q, l->plugin, q,
                INSTALL_RUNTIME_NAME);
        fprintf(f, "  BinaryName = %c%s%c\n", q, runtime, q);
        fprintf(f, "  SystemdCgroup = %s\n", cg);
        if (runc) {
                fprintf(f,
                        "# Declaring a handler replaces containerd's built-in list: keep runc.\n");
                fprintf(f, "[plugins.%c%s%c.containerd.runtimes.runc]\n", q, l->plugin, q);
                fprintf(f, "  runtime_type = %cio.containerd.runc.v2%c\n", q, q);
                fprintf(f, "[plugins.%c%s%c.containerd.runtimes.runc.options]\n", q, l->plugin, q);
                fprintf(f, "  SystemdCgroup = %s\n", cg);
        }
        fprintf(f, "%s\n", END_MARKER);
}

static const struct layout *layout_of(int version)
{
        for (size_t i = 0; i < ELEMENTSOF(layouts); i++)
                if (layouts[i].version == version)
                        return &layouts[i];
        return NULL;
}

/* out = text with [from, to) replaced by repl. */
static int splice(struct install_edit *e, size_t from, size_t to, const char *repl, size_t repl_len)
{
        size_t len = e->len - (to - from) + repl_len;
        char *out = malloc(len + 1);

        if (!out)
                return -ENOMEM;
        memcpy(out, e->text, from);
        memcpy(out + from, repl, repl_len);
        memcpy(out + from + repl_len, e->text + to, e->len - to);
        out[len] = '\0';
        e->out = out;
        e->out_len = len;
        return 0;
}

/* The block's start, with the blank line install puts before it. */
static size_t block_start(const struct install_edit *e, const struct scan *s)
{
        size_t b = s->block_begin;

        if (b >= 2 && e->text[b - 1] == '\n' && e->text[b - 2] == '\n')
                return b - 1;
        return b;
}

static void paste_hint(struct install_edit *e, const struct layout *l)
{
        fprintf(e->notes,
                "paste this into %s (the layout of config version %d) and restart "
                "containerd:\n",
                e->path, l->version);
        write_block(e->notes, l, e->runtime, false, true, false);
}

int install_edit_containerd(struct install_edit *e, struct hr_error *err)
{
        _cleanup_free_ char *block = NULL;
        const struct layout *l;
        struct scan s = {0};
        size_t block_len = 0, from, to;
        FILE *f;
        int r;

        if (!e->text) {
                if (e->uninstall) {
                        e->unchanged = true;
                        return 0;
                }
                e->text = "";
                e->len = 0;
        }
        /* First pass without a layout: the version decides which plugin to look at. */
        if ((r = scan_file(e, NULL, &s, err)) < 0) {
                paste_hint(e, &layouts[0]);
                return r;
        }
        if (s.version == 0 && s.has_content) {
                paste_hint(e, &layouts[0]);
                return error_set(err, -EINVAL,
                                 "%s: no 'version' line: containerd reads it in the "
                                 "deprecated version 1 layout, which hardrunctl does not edit; "
                                 "not changed",
                                 e->path);
        }
        l = layout_of(s.version ? s.version : 2);
        if (!l) {
                paste_hint(e, &layouts[0]);
                return error_set(err, -EINVAL,
                                 "%s: config version %d: hardrunctl edits "
                                 "versions 2 and 3; not changed",
                                 e->path, s.version);
        }
        if ((r = scan_file(e, l, &s, err)) < 0) {
                if (r != -EEXIST)
                        paste_hint(e, l);
                return r;
        }
        from = s.block_end > s.block_begin ? block_start(e, &s) : e->len;
        to = s.block_end > s.block_begin ? s.block_end : e->len;
        if (e->uninstall) {
                if (from == to) {
                        e->unchanged = true;
                        return 0;
                }
                fprintf(e->notes, "runtime handler '%s' removed\n", INSTALL_RUNTIME_NAME);
                if (from == 0 && to == e->len) {
                        e->remove = true;
                        return 0;
                }
                return splice(e, from, to, "", 0) < 0 ? error_set(err, -ENOMEM, "out of memory")
                                                      : 0;
        }
        f = open_memstream(&block, &block_len);
        if (!f)
                return error_set(err, -ENOMEM, "out of memory");
        /* Separated from what comes before by a blank line, which uninstall takes away again. */
        if (e->len > 0 && from == e->len && e->text[e->len - 1] != '\n')
                fputc('\n', f);
        if (from > 0)
                fputc('\n', f);
        write_block(f, l, e->runtime, s.version == 0, !s.runc_declared, s.systemd_cgroup);
        if (fclose(f) != 0)
                return error_set(err, -ENOMEM, "out of memory");
        if (to - from == block_len && memcmp(e->text + from, block, block_len) == 0) {
                e->unchanged = true;
                return 0;
        }
        if (splice(e, from, to, block, block_len) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        fprintf(e->notes, "runtime handler '%s' %s: BinaryName %s, SystemdCgroup %s%s\n",
                INSTALL_RUNTIME_NAME, from == to ? "added" : "updated", e->runtime,
                s.systemd_cgroup ? "true (as runc's)" : "false",
                s.runc_declared ? "" : "; runc declared beside it, as containerd's default has it");
        return 0;
}
