/* hardrun for tests: identical to the installed binary but reads the policy named by
 * HARDRUN_POLICY. Never installed: the real binary's policy location does not depend on the
 * environment. */
#include <stdlib.h>

#include "config.h"
#include "shim.h"

int main(int argc, char **argv)
{
        const char *policy = getenv("HARDRUN_POLICY");

        return shim_main(argc, argv, policy && *policy ? policy : HARDRUN_POLICY_PATH);
}
