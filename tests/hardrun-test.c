/* hardrun for tests: identical to the installed binary but reads the policy named by
 * HARDRUN_POLICY and keeps its last good copy in HARDRUN_STATE_DIR (none when a test names a
 * policy but no directory: tests must not write the host's). Never installed: the real binary's
 * locations do not depend on the environment. */
#include <stdlib.h>

#include "config.h"
#include "shim.h"

int main(int argc, char **argv)
{
        const char *policy = getenv("HARDRUN_POLICY");
        const char *state = getenv("HARDRUN_STATE_DIR");

        if (state && *state)
                return shim_main(argc, argv, policy && *policy ? policy : HARDRUN_POLICY_PATH,
                                 state);
        if (policy && *policy)
                return shim_main(argc, argv, policy, NULL);
        return shim_main(argc, argv, HARDRUN_POLICY_PATH, HARDRUN_STATE_DIR);
}
