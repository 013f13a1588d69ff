/* Shared by the fuzz targets: the libFuzzer entry point and the checks that abort on a broken
 * invariant (libFuzzer and the replay main both report an abort as a failure). */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bounds.h"
#include "harden.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond, ...)                                                               \
        do {                                                                                 \
                if (!(cond)) {                                                               \
                        fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, \
                                #cond);                                                      \
                        fprintf(stderr, __VA_ARGS__);                                        \
                        fprintf(stderr, "\n");                                               \
                        abort();                                                             \
                }                                                                            \
        } while (0)

/* The limits hardrun reads a config.json with. */
#define fuzz_config_limits (*harden_spec_limits(SPEC_CONFIG))
