/* The trust checks on the files that decide how containers are hardened. */
#pragma once

#include "util/error.h"

/* Checks that an open file (and the directories above path) can only be changed by root or
 * the caller: the policy and any profile it names decide how containers are hardened. */
int file_check_trusted(int fd, const char *path, struct hr_error *err);
