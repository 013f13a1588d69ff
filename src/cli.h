/* The runc/crun command-line grammar: which subcommand runs, and which files it will read. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

enum cli_command {
        CLI_COMMAND_NONE, /* no subcommand: the runtime prints help or an error */
        CLI_COMMAND_CREATE,
        CLI_COMMAND_RUN,
        CLI_COMMAND_RESTORE,
        CLI_COMMAND_EXEC,
        CLI_COMMAND_OTHER, /* passed through untouched */
        _CLI_COMMAND_MAX,
};

/* runc parses with Go's flag package (-name and --name alike, exact names only); crun with
 * getopt_long (long-name prefixes, clustered short options, -bDIR). */
enum cli_dialect {
        CLI_DIALECT_RUNC,
        CLI_DIALECT_CRUN,
        _CLI_DIALECT_MAX,
};

/* runc/crun `exec` flags that change who the new process is, when no --process file is
 * given (or besides it). Repeatable flags keep every value. */
#define CLI_EXEC_LIST_MAX 64

struct cli_exec_flags {
        const char *user;                    /* --user/-u UID[:GID], last occurrence */
        const char *apparmor;                /* --apparmor PROFILE, last occurrence */
        const char *process_label;           /* --process-label LABEL, last occurrence */
        const char *caps[CLI_EXEC_LIST_MAX]; /* --cap/-c */
        size_t n_caps;
        const char *gids[CLI_EXEC_LIST_MAX]; /* --additional-gids/-g */
        size_t n_gids;
        bool overflow; /* more repeated values than we keep: refused */
};

struct cli_args {
        enum cli_command command;
        const char *command_name; /* as written in argv, NULL for CLI_COMMAND_NONE */
        const char *log_path;     /* --log, last occurrence */
        const char *log_format;   /* --log-format, last occurrence */
        const char *bundle;       /* --bundle/-b, NULL = current directory */
        const char *config;       /* crun --config/-f, NULL = "config.json" in the bundle */
        const char *process;      /* exec --process/-p */
        const char *container_id;
        struct cli_exec_flags exec;
        /* The runtime will not run the command: --help/--version, or an option lacks its value
         * (the runtime prints its own error, which engines probe for). */
        bool runtime_refuses;
};

/* Splits argv (argv[0] is ours) without modifying it. Fails only when a spec-reading subcommand
 * cannot be understood with certainty; everything else is left to the runtime. *ret is filled
 * as far as parsing got, also on failure, so the error can still reach the engine's --log. */
int cli_parse(int argc, char *const *argv, enum cli_dialect dialect, struct cli_args *ret,
              struct hr_error *err);

/* create, run and restore read the bundle's config.json; exec reads --process. */
bool cli_command_reads_spec(enum cli_command command);

const char *cli_command_to_string(enum cli_command command);
