/* The user rule's settings: the rule reads them (also for the inline exec flags --user and
 * --additional-gids), and so do the policy's unit tests. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct user_settings {
        uint32_t uid, gid;       /* replace 0; never 0 themselves */
        bool keep_non_root;      /* an image's own non-root ids stay */
        bool low_ports;          /* net.ipv4.ip_unprivileged_port_start=0 for a process moved
                                    off root in a network namespace of its own */
        bool keep_remapped_root; /* uid/gid 0 stay where a user namespace remaps them */
};
