/* The exec-only reference: what any wrapper costs on a subcommand it passes through (state,
 * kill, delete), with no policy and no spec. Execs the runtime with the arguments it was given.
 *   exec-ref RUNTIME [ARGS...] */
#include <unistd.h>

int main(int argc, char **argv)
{
        if (argc < 2)
                return 2;
        execv(argv[1], &argv[1]);
        return 127;
}
