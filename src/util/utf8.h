/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

bool utf8_is_valid(const char *s, size_t len);

/* A malloc'd copy with every invalid sequence replaced by U+FFFD; NULL on OOM. */
char *utf8_sanitize(const char *s);
