/* The capabilities rule's settings: the rule reads them (also for runc's inline exec flag
 * --cap), and so do the policy's unit tests. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct caps_settings {
        uint64_t allow; /* bit n = capability n */
        bool inheritable;
        uint64_t allow_remapped; /* also allowed where a user namespace remaps root */
};
