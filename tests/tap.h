/* A minimal TAP producer for C unit tests: keeps going after a failure, prints the plan at the
 * end, exits non-zero if anything failed. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count;
static int tap_failed;

#define ok(cond, ...)                                                                   \
        do {                                                                            \
                bool _ok = (cond);                                                      \
                tap_count++;                                                            \
                printf("%s %d - ", _ok ? "ok" : "not ok", tap_count);                   \
                printf(__VA_ARGS__);                                                    \
                printf("\n");                                                           \
                if (!_ok) {                                                             \
                        tap_failed++;                                                   \
                        printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
                }                                                                       \
        } while (0)

#define is_int(got, want, ...)                                           \
        do {                                                             \
                long long _g = (long long)(got), _w = (long long)(want); \
                ok(_g == _w, __VA_ARGS__);                               \
                if (_g != _w)                                            \
                        printf("#   got %lld, want %lld\n", _g, _w);     \
        } while (0)

#define is_str(got, want, ...)                                                                \
        do {                                                                                  \
                const char *_g = (got), *_w = (want);                                         \
                bool _same = (_g == NULL && _w == NULL) || (_g && _w && strcmp(_g, _w) == 0); \
                ok(_same, __VA_ARGS__);                                                       \
                if (!_same)                                                                   \
                        printf("#   got '%s', want '%s'\n", _g ? _g : "(null)",               \
                               _w ? _w : "(null)");                                           \
        } while (0)

#define diag(...)                    \
        do {                         \
                printf("# ");        \
                printf(__VA_ARGS__); \
                printf("\n");        \
        } while (0)

static inline int tap_done(void)
{
        printf("1..%d\n", tap_count);
        return tap_failed ? 1 : 0;
}
