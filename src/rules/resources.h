/* The resources rule's settings: the rule reads them, and so do the checks of the runtime's
 * command-line limits (cliflags.c) and of `update` (update.c). */
#pragma once

#include <stdint.h>

struct resources_settings {
        int64_t pids_limit;        /* added when absent, 0 or negative; 0: no default */
        int64_t memory_limit;      /* bytes, added when absent; 0: no default */
        int64_t oom_score_adj_min; /* a lower process.oomScoreAdj is raised to it */
};
