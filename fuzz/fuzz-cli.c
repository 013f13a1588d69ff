/* The argv parser: the input split on NUL is argv[1..], parsed in both dialects. Every string
 * the result names lies inside one of the argv words. */
#include <string.h>

#include "cli.h"
#include "fuzz.h"

#define FUZZ_ARGV_MAX 256

static bool points_into(const char *p, char *const *argv, int argc)
{
        for (int i = 0; i < argc; i++)
                if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
                        return true;
        return false;
}

static void check_ptr(const char *name, const char *p, char *const *argv, int argc)
{
        fuzz_assert(!p || points_into(p, argv, argc), "%s does not point into argv", name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *argv[FUZZ_ARGV_MAX + 2];
        int argc = 0;
        size_t start = 0;

        if (size > 64 * 1024)
                return 0;
        argv[argc++] = strdup("hardrun");
        /* One allocation per word: ASan sees a read past any word's end. */
        for (size_t i = 0; i <= size && argc <= FUZZ_ARGV_MAX; i++) {
                if (i == size || data[i] == '\0') {
                        if (i == size && i == start && size > 0)
                                break; /* a trailing NUL ends the last word */
                        argv[argc] = malloc(i - start + 1);
                        fuzz_assert(argv[argc], "out of memory");
                        memcpy(argv[argc], data + start, i - start);
                        argv[argc][i - start] = '\0';
                        argc++;
                        start = i + 1;
                }
        }
        argv[argc] = NULL;

        for (int d = 0; d < _CLI_DIALECT_MAX; d++) {
                struct cli_args a;
                struct hr_error err = {0};
                int r;

                memset(&a, 0xa5, sizeof(a)); /* garbage in: every field must be written */
                r = cli_parse(argc, argv, (enum cli_dialect)d, &a, &err);
                fuzz_assert(r <= 0, "positive return %d", r);
                fuzz_assert(r == 0 || err.msg[0], "failure without a message");
                fuzz_assert(a.command >= CLI_COMMAND_NONE && a.command < _CLI_COMMAND_MAX,
                            "command %d out of range", (int)a.command);
                if (r < 0)
                        continue;
                fuzz_assert((a.command == CLI_COMMAND_NONE) == (a.command_name == NULL),
                            "command_name and command disagree");
                check_ptr("command_name", a.command_name, argv, argc);
                check_ptr("bundle", a.bundle, argv, argc);
                check_ptr("process", a.process, argv, argc);
                check_ptr("config", a.config, argv, argc);
                check_ptr("container_id", a.container_id, argv, argc);
                check_ptr("log_path", a.log_path, argv, argc);
                check_ptr("log_format", a.log_format, argv, argc);
                check_ptr("exec.user", a.exec.user, argv, argc);
                fuzz_assert(a.exec.n_caps <= CLI_EXEC_LIST_MAX, "n_caps %zu", a.exec.n_caps);
                fuzz_assert(a.exec.n_gids <= CLI_EXEC_LIST_MAX, "n_gids %zu", a.exec.n_gids);
                for (size_t i = 0; i < a.exec.n_caps; i++)
                        check_ptr("exec.caps[]", a.exec.caps[i], argv, argc);
                for (size_t i = 0; i < a.exec.n_gids; i++)
                        check_ptr("exec.gids[]", a.exec.gids[i], argv, argc);
                /* The words a reading command opens must be known with certainty. */
                if (a.command_name)
                        fuzz_assert(cli_command_to_string(a.command) != NULL, "no name");
        }
        for (int i = 0; i < argc; i++)
                free(argv[i]);
        return 0;
}
