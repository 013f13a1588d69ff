/* linediff: fixed cases against diff -u's output, and random texts whose diff, applied to the
 * first, gives the second with as few changed lines as a brute-force LCS says is possible. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "linediff.h"
#include "tap.h"

static char *diff_text(const char *a, const char *b, unsigned context, int *ret)
{
        const struct linediff_text ta = {"a", a, strlen(a)};
        const struct linediff_text tb = {"b", b, strlen(b)};
        struct hr_error err = {0};
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);

        *ret = linediff_unified(&ta, &tb, context, f, &err);
        fclose(f);
        return buf;
}

static void check_case(const char *a, const char *b, unsigned context, const char *want,
                       const char *what)
{
        int r;
        char *got = diff_text(a, b, context, &r);

        is_int(r, want[0] != '\0', "%s: return value", what);
        is_str(got, want, "%s: output", what);
        free(got);
}

static void test_cases(void)
{
        /* Expected outputs are GNU diff -u's (labels aside) for the same inputs. */
        check_case("a\nb\nc\n", "a\nb\nc\n", 3, "", "equal texts");
        check_case("", "", 3, "", "two empty texts");
        check_case("", "x\n", 3, "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n", "from empty");
        check_case("x\ny\n", "", 3, "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n", "to empty");
        check_case("a\nb\nc\n", "a\nB\nc\n", 3, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
                   "one line changed");
        check_case("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
                   "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\nY\n16\n", 3,
                   "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+X\n 3\n 4\n 5\n"
                   "@@ -12,5 +12,5 @@\n 12\n 13\n 14\n-15\n+Y\n 16\n",
                   "two hunks");
        check_case("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n", 3,
                   "--- a\n+++ b\n@@ -1,10 +1,10 @@\n 1\n-2\n+X\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n"
                   "+Y\n 10\n",
                   "changes 6 lines apart share a hunk");
        check_case("a\nb\n", "a\nb\nc\n", 3, "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+c\n",
                   "line appended");
        check_case("a\nb", "a\nb\n", 3,
                   "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
                   "missing final newline");
        check_case("a\nb\nc\nd\n", "a\nd\n", 0, "--- a\n+++ b\n@@ -2,2 +1,0 @@\n-b\n-c\n",
                   "no context");
        check_case("x\na\n", "a\n", 3, "--- a\n+++ b\n@@ -1,2 +1 @@\n-x\n a\n",
                   "first line removed");
}

/* Applies a unified diff to a; NULL when it does not apply. */
static char *apply(const char *a, const char *patch)
{
        size_t cap = strlen(a) + strlen(patch) + 1, o = 0;
        char *out = malloc(cap);
        const char *pa = a, *p = patch;
        size_t a_line = 1;

        /* Skip the two label lines. */
        for (int i = 0; i < 2 && *p; i++)
                p = strchr(p, '\n') + 1;
        while (*p) {
                unsigned long as, ac = 1, bs, bc = 1;
                const char *nl;
                if (sscanf(p, "@@ -%lu,%lu", &as, &ac) < 2 && sscanf(p, "@@ -%lu", &as) < 1)
                        goto fail;
                (void)bs;
                (void)bc;
                if (ac == 0)
                        as++;
                /* Copy a's lines before the hunk. */
                while (a_line < as) {
                        nl = strchr(pa, '\n');
                        if (!nl)
                                goto fail;
                        memcpy(out + o, pa, (size_t)(nl - pa) + 1);
                        o += (size_t)(nl - pa) + 1;
                        pa = nl + 1;
                        a_line++;
                }
                p = strchr(p, '\n') + 1;
                while (*p && *p != '@') {
                        char mark = *p;
                        size_t len;
                        nl = strchr(p, '\n');
                        len = (size_t)(nl - p);
                        if (mark == ' ' || mark == '-') {
                                if (strncmp(pa, p + 1, len - 1) != 0 || pa[len - 1] != '\n')
                                        goto fail;
                                pa += len;
                                a_line++;
                        }
                        if (mark == ' ' || mark == '+') {
                                memcpy(out + o, p + 1, len - 1);
                                o += len - 1;
                                out[o++] = '\n';
                        }
                        p = nl + 1;
                }
        }
        strcpy(out + o, pa);
        return out;
fail:
        free(out);
        return NULL;
}

static size_t lcs(char **a, size_t n, char **b, size_t m)
{
        size_t *t = calloc((n + 1) * (m + 1), sizeof(*t)), r;

        for (size_t i = n; i-- > 0;)
                for (size_t j = m; j-- > 0;)
                        t[i * (m + 1) + j] = strcmp(a[i], b[j]) == 0
                                                     ? t[(i + 1) * (m + 1) + j + 1] + 1
                                             : t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1]
                                                     ? t[(i + 1) * (m + 1) + j]
                                                     : t[i * (m + 1) + j + 1];
        r = t[0];
        free(t);
        return r;
}

static void random_text(unsigned *seed, char **lines, size_t n, char *buf)
{
        static char pool[6][4] = {"a", "b", "c", "d", "e", "f"};
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                lines[i] = pool[rand_r(seed) % 6];
                o += (size_t)sprintf(buf + o, "%s\n", lines[i]);
        }
        buf[o] = '\0';
}

static void test_random(void)
{
        unsigned seed = 42;
        int bad_apply = 0, not_minimal = 0;

        for (int round = 0; round < 400; round++) {
                char *la[40], *lb[40];
                char a[200], b[200];
                size_t n = (size_t)(rand_r(&seed) % 40), m = (size_t)(rand_r(&seed) % 40);
                size_t changed = 0;
                unsigned context = (unsigned)(rand_r(&seed) % 4);
                char *patch, *applied;
                int r;

                random_text(&seed, la, n, a);
                random_text(&seed, lb, m, b);
                patch = diff_text(a, b, context, &r);
                applied = r ? apply(a, patch) : strdup(a);
                if (!applied || strcmp(applied, b) != 0) {
                        if (bad_apply++ == 0)
                                diag("round %d: a=%s b=%s patch=%s", round, a, b, patch);
                }
                for (const char *l = strchr(patch, '@'); l && *l; l = strchr(l, '\n') + 1)
                        changed += *l == '-' || *l == '+';
                if (changed != n + m - 2 * lcs(la, n, lb, m))
                        not_minimal++;
                free(applied);
                free(patch);
        }
        is_int(bad_apply, 0, "400 random diffs apply and give the second text");
        is_int(not_minimal, 0, "400 random diffs change as few lines as possible");
}

static void test_large(void)
{
        /* 40000 lines with every tenth changed: beyond the step bound, still a correct diff. */
        size_t n = 40000, o = 0, p = 0;
        char *a = malloc(n * 12), *b = malloc(n * 12), *patch, *applied;
        int r;

        for (size_t i = 0; i < n; i++) {
                o += (size_t)sprintf(a + o, "%zu\n", i);
                p += (size_t)sprintf(b + p, i % 10 ? "%zu\n" : "x%zu\n", i);
        }
        patch = diff_text(a, b, 3, &r);
        is_int(r, 1, "large texts differ");
        applied = apply(a, patch);
        ok(applied && strcmp(applied, b) == 0, "large diff (fallback or not) applies");
        free(applied);
        free(patch);
        free(a);
        free(b);
}

int main(void)
{
        test_cases();
        test_random();
        test_large();
        return tap_done();
}
