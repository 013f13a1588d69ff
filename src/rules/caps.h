/* The capabilities rule's settings: the rule reads them, and so does the check of runc's inline
 * exec flags (--cap). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct caps_settings {
        uint64_t allow; /* bit n = capability n */
        bool inheritable;
        uint64_t allow_remapped; /* also allowed where a user namespace remaps root */
};
