/* The error object every fallible function fills: a negative errno and one message line. */
#pragma once

#include <stdarg.h>

/* Room for a refusal that quotes two whole paths next to the spec file's. */
#define HR_ERROR_MSG_MAX 8192

struct hr_error {
        int code; /* negative errno, 0 = no error */
        char msg[HR_ERROR_MSG_MAX];
};

/* Records a message and returns code (a negative errno) so callers can `return error_set(...)`. */
int error_set(struct hr_error *err, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* Puts context in front of an existing message ("config.json: " + msg). Returns err->code. */
int error_prefix(struct hr_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Drops an error on purpose (the caller decided it does not matter). */
void error_release(struct hr_error *err);
