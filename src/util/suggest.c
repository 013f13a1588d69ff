/* Nearest-name suggestions: optimal string alignment distance over short ASCII names. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static char fold(char c)
{
        return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

static size_t min3(size_t a, size_t b, size_t c)
{
        size_t m = a < b ? a : b;

        return m < c ? m : c;
}

/* Distance of a and b (both at most SUGGEST_WORD_MAX long), with three rolling rows. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
        size_t rows[3][SUGGEST_WORD_MAX + 1];
        size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;
        for (size_t i = 1; i <= la; i++) {
                size_t *t;

                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;

                        cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
                        if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                            fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < cur[j])
                                cur[j] = prev2[j - 2] + 1;
                }
                t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        return prev[lb];
}

const char *suggest_closest(const char *word, const char *const *candidates, size_t n)
{
        size_t lw = strlen(word), best_d = (size_t)-1;
        const char *best = NULL;

        if (lw == 0 || lw > SUGGEST_WORD_MAX)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                const char *c = candidates[i];
                size_t lc, d, longer;

                if (!c || (lc = strlen(c)) > SUGGEST_WORD_MAX)
                        continue;
                d = distance(word, lw, c, lc);
                longer = lw > lc ? lw : lc;
                /* "usr" → "user" (1 of 4) is a typo; "log" → "foo" (2 of 3) is another word. */
                if (d * 3 > longer || d >= best_d)
                        continue;
                best = c;
                best_d = d;
        }
        return best;
}

const char *suggest_hint(const char *word, const char *const *candidates, size_t n, char *buf,
                         size_t size)
{
        const char *s = suggest_closest(word, candidates, n);

        if (size == 0)
                return buf;
        if (s)
                snprintf(buf, size, " (did you mean '%s'?)", s);
        else
                buf[0] = '\0';
        return buf;
}
