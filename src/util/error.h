/* The error object every fallible function fills: a negative errno and one message line. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* Room for a refusal that quotes two whole paths next to the spec file's. */
#define HR_ERROR_MSG_MAX 8192

struct hr_error {
        int code; /* negative errno, 0 = no error */
        char msg[HR_ERROR_MSG_MAX];
};

/* Records a message and returns code (a negative errno) so callers can `return error_set(...)`. */
int error_set(struct hr_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* The one shape of a message about a place in a JSON document (a policy key, a spec field, a
 * rule of a seccomp profile): "FILE: 'PATH': reason", PATH a JSON pointer, the reason cut at
 * HR_ERROR_REASON_MAX - 1 bytes. Returns what snprintf() returns. */
#define HR_ERROR_REASON_MAX 512
int error_format_at(char *buf, size_t size, const char *file, const char *path, const char *fmt,
                    va_list ap) __attribute__((format(printf, 5, 0)));

/* error_set() with a message of that shape. */
int error_set_at(struct hr_error *err, int code, const char *file, const char *path,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int error_vset_at(struct hr_error *err, int code, const char *file, const char *path,
                  const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Puts context in front of an existing message ("config.json: " + msg). Returns err->code. */
int error_prefix(struct hr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Drops an error on purpose (the caller decided it does not matter). */
void error_release(struct hr_error *err);
