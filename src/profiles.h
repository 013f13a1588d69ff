/* Profiles compiled into the binary, so the built-in default policy needs no file at run time. */
#pragma once

#include <stddef.h>

/* The text of a built-in seccomp profile ("default"), NULL when there is none by that name. */
const char *profile_builtin(const char *name, size_t *ret_len);
