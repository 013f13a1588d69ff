/* Lines of output collected before they are printed (the problems found in a file, the
 * differences between two): kept up to a limit, all of them counted. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

struct lines {
        char **lines;
        size_t n, cap;
        size_t total; /* added, also past the limit */
};

void lines_done(struct lines *l);

/* Appends one line, unless limit lines are kept already. -ENOMEM on OOM. */
int lines_add(struct lines *l, size_t limit, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Appends a problem at a place in a JSON document, in error_format_at()'s shape. */
int lines_add_at(struct lines *l, size_t limit, const char *file, const char *path, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
int lines_vadd_at(struct lines *l, size_t limit, const char *file, const char *path,
                  const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
