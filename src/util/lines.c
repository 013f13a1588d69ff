/* Lines of output collected before they are printed. */
#include "util/lines.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/error.h"

void lines_done(struct lines *l)
{
        for (size_t i = 0; i < l->n; i++)
                free(l->lines[i]);
        free(l->lines);
        *l = (struct lines){0};
}

static int lines_vadd(struct lines *l, size_t limit, const char *fmt, va_list ap)
        __attribute__((format(printf, 3, 0)));

static int lines_vadd(struct lines *l, size_t limit, const char *fmt, va_list ap)
{
        char *line;

        l->total++;
        if (l->n >= limit)
                return 0;
        if (l->n == l->cap) {
                size_t cap = l->cap ? l->cap * 2 : 16;
                char **p = realloc(l->lines, cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                l->lines = p;
                l->cap = cap;
        }
        if (vasprintf(&line, fmt, ap) < 0)
                return -ENOMEM;
        l->lines[l->n++] = line;
        return 0;
}

int lines_add(struct lines *l, size_t limit, const char *fmt, ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = lines_vadd(l, limit, fmt, ap);
        va_end(ap);
        return r;
}

int lines_vadd_at(struct lines *l, size_t limit, const char *file, const char *path,
                  const char *fmt, va_list ap)
{
        /* A file name, a JSON path and a reason: room for two paths and the reason. */
        char line[2 * PATH_MAX + HR_ERROR_REASON_MAX];

        error_format_at(line, sizeof(line), file, path, fmt, ap);
        return lines_add(l, limit, "%s", line);
}

int lines_add_at(struct lines *l, size_t limit, const char *file, const char *path, const char *fmt,
                 ...)
{
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = lines_vadd_at(l, limit, file, path, fmt, ap);
        va_end(ap);
        return r;
}
