/* hardrun: a drop-in OCI runtime that hardens the spec, then execs runc or crun. */
#include "config.h"
#include "shim.h"

int main(int argc, char **argv)
{
        return shim_main(argc, argv, HARDRUN_POLICY_PATH, HARDRUN_STATE_DIR);
}
