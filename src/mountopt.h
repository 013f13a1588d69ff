/* Mount option strings through libmount, loaded on first use: libmount pulls in libblkid and
 * libselinux, whose start-up costs ~0.4 ms, and most hardrun calls (pass-through) never need it. */
#pragma once

#include <stddef.h>

#include "util/error.h"

struct mountopt_api {
        int (*next_option)(char **optstr, char **name, size_t *namesz, char **value,
                           size_t *valuesz);
        int (*get_option)(const char *optstr, const char *name, char **value, size_t *valsz);
        int (*append_option)(char **optstr, const char *name, const char *value);
};

/* libmount's mnt_optstr_* functions; loaded once per process. */
int mountopt_api(const struct mountopt_api **ret, struct hr_error *err);
