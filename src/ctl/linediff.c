/* Line diffs: common prefix and suffix stripped, Myers' greedy O(ND) search with one saved
 * V array per edit step (memory O(D^2), bounded) for the middle, then GNU-style hunks. */
#include "linediff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/hash.h"

/* Edit steps kept before falling back to "remove all, add all": the saved V arrays take about
 * 2 * D^2 bytes, 18 MiB at this bound. */
#define MYERS_MAX_D 3000
/* Line comparisons before the same fallback: bounds the time on hostile inputs. */
#define MYERS_MAX_WORK 200000000ull

struct line {
        const char *text;
        size_t len; /* including the '\n', when the line has one */
        uint64_t hash;
};

enum edit_op {
        EDIT_EQUAL,
        EDIT_DELETE,
        EDIT_INSERT,
};

struct edit {
        enum edit_op op;
        size_t line; /* index into a (equal, delete) or b (insert) */
};

struct script {
        struct edit *items;
        size_t n, cap;
};

static int split_lines(const char *data, size_t len, struct line **ret, size_t *ret_n,
                       struct hr_error *err)
{
        struct line *lines;
        size_t n = 0, count = 0;

        for (size_t i = 0; i < len; i++)
                if (data[i] == '\n')
                        count++;
        if (len > 0 && data[len - 1] != '\n')
                count++;
        if (count > LINEDIFF_MAX_LINES)
                return error_set(err, -EFBIG, "more than %u lines", LINEDIFF_MAX_LINES);
        lines = calloc(count ? count : 1, sizeof(*lines));
        if (!lines)
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t start = 0; start < len; n++) {
                const char *nl = memchr(data + start, '\n', len - start);
                size_t end = nl ? (size_t)(nl - data) + 1 : len;
                lines[n] = (struct line){data + start, end - start,
                                         hash_fnv1a(data + start, end - start)};
                start = end;
        }
        *ret = lines;
        *ret_n = n;
        return 0;
}

/* The last line without a newline differs from the same text with one, as in diff -u. */
static bool line_equal(const struct line *x, const struct line *y)
{
        return x->hash == y->hash && x->len == y->len && memcmp(x->text, y->text, x->len) == 0;
}

static int script_add(struct script *s, enum edit_op op, size_t line)
{
        if (s->n == s->cap) {
                size_t cap = s->cap ? s->cap * 2 : 64;
                struct edit *p = realloc(s->items, cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                s->items = p;
                s->cap = cap;
        }
        s->items[s->n++] = (struct edit){op, line};
        return 0;
}

/* Myers' forward search over a[0..n) and b[0..m), then a walk back through the saved V arrays.
 * Appends the middle's edits (a and b indices offset by off_a and off_b) in order. Returns
 * -E2BIG when the bounds are hit, so the caller falls back. */
static int myers(const struct line *a, size_t n, const struct line *b, size_t m, size_t off_a,
                 size_t off_b, struct script *out)
{
        size_t max_d = n + m < MYERS_MAX_D ? n + m : MYERS_MAX_D;
        size_t width = 2 * max_d + 3, trace_len = 0, trace_cap = 0, found = SIZE_MAX;
        _cleanup_free_ int32_t *v = calloc(width, sizeof(*v));
        _cleanup_free_ int32_t *trace = NULL;
        _cleanup_free_ struct edit *rev = NULL;
        unsigned long long work = 0;
        size_t n_rev = 0, x, y;
        long off = (long)max_d + 1;

        if (!v)
                return -ENOMEM;
        for (size_t d = 0; d <= max_d && found == SIZE_MAX; d++) {
                long dd = (long)d;
                /* Step d leaves V[k] for k = -d, -d+2, ..., d: d+1 values to keep. */
                if (trace_len + d + 1 > trace_cap) {
                        size_t cap = (trace_cap + d + 1) * 2;
                        int32_t *p = realloc(trace, cap * sizeof(*p));
                        if (!p)
                                return -ENOMEM;
                        trace = p;
                        trace_cap = cap;
                }
                for (long k = -dd; k <= dd; k += 2) {
                        long xk, yk, x0;
                        if (k == -dd || (k != dd && v[off + k - 1] < v[off + k + 1]))
                                xk = v[off + k + 1];
                        else
                                xk = v[off + k - 1] + 1;
                        yk = xk - k;
                        x0 = xk;
                        while ((size_t)xk < n && (size_t)yk < m && line_equal(&a[xk], &b[yk])) {
                                xk++;
                                yk++;
                        }
                        work += (unsigned long long)(xk - x0) + 1;
                        v[off + k] = (int32_t)xk;
                        trace[trace_len + (size_t)((k + dd) / 2)] = (int32_t)xk;
                        if ((size_t)xk >= n && (size_t)yk >= m)
                                found = d;
                }
                trace_len += d + 1;
                if (work > MYERS_MAX_WORK)
                        return -E2BIG;
        }
        if (found == SIZE_MAX)
                return -E2BIG;

        rev = calloc(n + m + 1, sizeof(*rev));
        if (!rev)
                return -ENOMEM;
        x = n;
        y = m;
        for (size_t d = found; d > 0; d--) {
                long dd = (long)d, k = (long)x - (long)y, prev_k;
                /* Step d-1's values start right before step d's. */
                const int32_t *prev = trace + (d - 1) * d / 2;
                size_t px, py, mx;
#define PREV(kk) prev[((kk) + dd - 1) / 2]
                if (k == -dd || (k != dd && PREV(k - 1) < PREV(k + 1)))
                        prev_k = k + 1; /* came down: b[py] inserted */
                else
                        prev_k = k - 1; /* came right: a[px] deleted */
                px = (size_t)PREV(prev_k);
#undef PREV
                py = (size_t)((long)px - prev_k);
                mx = prev_k == k + 1 ? px : px + 1;
                while (x > mx) {
                        x--;
                        y--;
                        rev[n_rev++] = (struct edit){EDIT_EQUAL, off_a + x};
                }
                if (prev_k == k + 1)
                        rev[n_rev++] = (struct edit){EDIT_INSERT, off_b + py};
                else
                        rev[n_rev++] = (struct edit){EDIT_DELETE, off_a + px};
                x = px;
                y = py;
        }
        while (x > 0) {
                x--;
                rev[n_rev++] = (struct edit){EDIT_EQUAL, off_a + x};
        }
        while (n_rev > 0) {
                n_rev--;
                if (script_add(out, rev[n_rev].op, rev[n_rev].line) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int build_script(const struct line *a, size_t n, const struct line *b, size_t m,
                        struct script *s)
{
        size_t pre = 0, suf = 0, mark;
        int r;

        while (pre < n && pre < m && line_equal(&a[pre], &b[pre]))
                pre++;
        while (suf < n - pre && suf < m - pre && line_equal(&a[n - 1 - suf], &b[m - 1 - suf]))
                suf++;
        for (size_t i = 0; i < pre; i++)
                if (script_add(s, EDIT_EQUAL, i) < 0)
                        return -ENOMEM;
        mark = s->n;
        r = myers(a + pre, n - pre - suf, b + pre, m - pre - suf, pre, pre, s);
        if (r == -E2BIG) {
                s->n = mark;
                for (size_t i = pre; i < n - suf; i++)
                        if (script_add(s, EDIT_DELETE, i) < 0)
                                return -ENOMEM;
                for (size_t i = pre; i < m - suf; i++)
                        if (script_add(s, EDIT_INSERT, i) < 0)
                                return -ENOMEM;
        } else if (r < 0) {
                return r;
        }
        for (size_t i = n - suf; i < n; i++)
                if (script_add(s, EDIT_EQUAL, i) < 0)
                        return -ENOMEM;
        return 0;
}

static void print_line(FILE *out, char mark, const struct line *l)
{
        bool has_nl = l->len > 0 && l->text[l->len - 1] == '\n';

        fputc(mark, out);
        fwrite(l->text, 1, has_nl ? l->len - 1 : l->len, out);
        fputc('\n', out);
        if (!has_nl)
                fputs("\\ No newline at end of file\n", out);
}

/* "-3,2": the first line and the count, the count left out when 1; an empty range names the
 * line before it, as diff -u does. */
static void print_range(FILE *out, char sign, size_t before, size_t count)
{
        if (count == 1)
                fprintf(out, "%c%zu", sign, before + 1);
        else
                fprintf(out, "%c%zu,%zu", sign, count ? before + 1 : before, count);
}

static void print_hunks(FILE *out, const struct script *s, const struct line *a,
                        const struct line *b, size_t context)
{
        size_t i = 0, a_seen = 0, b_seen = 0;

        while (i < s->n) {
                size_t start, end, j, a_count = 0, b_count = 0;

                if (s->items[i].op == EDIT_EQUAL) {
                        i++;
                        a_seen++;
                        b_seen++;
                        continue;
                }
                /* i is a change: take up to context equal lines before it (all were skipped). */
                start = i;
                while (start > 0 && i - start < context && s->items[start - 1].op == EDIT_EQUAL) {
                        start--;
                        a_seen--;
                        b_seen--;
                }
                /* Extend over changes separated by at most 2 * context equal lines. */
                j = i;
                for (;;) {
                        size_t k;
                        while (j < s->n && s->items[j].op != EDIT_EQUAL)
                                j++;
                        k = j;
                        while (k < s->n && s->items[k].op == EDIT_EQUAL)
                                k++;
                        if (k < s->n && k - j <= 2 * context) {
                                j = k;
                                continue;
                        }
                        end = j + context < s->n ? j + context : s->n;
                        if (end > k)
                                end = k;
                        break;
                }
                for (size_t e = start; e < end; e++) {
                        a_count += s->items[e].op != EDIT_INSERT;
                        b_count += s->items[e].op != EDIT_DELETE;
                }
                fputs("@@ ", out);
                print_range(out, '-', a_seen, a_count);
                fputc(' ', out);
                print_range(out, '+', b_seen, b_count);
                fputs(" @@\n", out);
                for (size_t e = start; e < end; e++) {
                        const struct edit *x = &s->items[e];
                        if (x->op == EDIT_EQUAL)
                                print_line(out, ' ', &a[x->line]);
                        else if (x->op == EDIT_DELETE)
                                print_line(out, '-', &a[x->line]);
                        else
                                print_line(out, '+', &b[x->line]);
                }
                a_seen += a_count;
                b_seen += b_count;
                i = end;
        }
}

int linediff_unified(const struct linediff_text *a, const struct linediff_text *b, unsigned context,
                     FILE *out, struct hr_error *err)
{
        _cleanup_free_ struct line *la = NULL;
        _cleanup_free_ struct line *lb = NULL;
        struct script s = {0};
        size_t na, nb;
        int r;

        if ((r = split_lines(a->data, a->len, &la, &na, err)) < 0)
                return error_prefix(err, "%s: ", a->label);
        if ((r = split_lines(b->data, b->len, &lb, &nb, err)) < 0)
                return error_prefix(err, "%s: ", b->label);
        if (a->len == b->len && memcmp(a->data, b->data, a->len) == 0)
                return 0;
        r = build_script(la, na, lb, nb, &s);
        if (r < 0) {
                free(s.items);
                return error_set(err, r, "out of memory");
        }
        fprintf(out, "--- %s\n+++ %s\n", a->label, b->label);
        print_hunks(out, &s, la, lb, context);
        free(s.items);
        return 1;
}
