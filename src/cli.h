/* The runc/crun command-line grammar: which subcommand runs, every flag it was given, and which
 * files it will read. The verdict on each flag lives in cliflags.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

enum cli_command {
        CLI_COMMAND_NONE, /* no subcommand: the runtime prints help or an error */
        CLI_COMMAND_CREATE,
        CLI_COMMAND_RUN,
        CLI_COMMAND_RESTORE,
        CLI_COMMAND_EXEC,
        CLI_COMMAND_UPDATE,     /* changes a running container's limits */
        CLI_COMMAND_CHECKPOINT, /* runs CRIU (the global --criu binary in runc) */
        CLI_COMMAND_INTERNAL,   /* runc init: the runtime's own re-exec, never an engine's */
        CLI_COMMAND_OTHER,      /* known, changes no container's hardening: passed through */
        CLI_COMMAND_UNKNOWN,    /* not a subcommand of the modelled runtime */
        _CLI_COMMAND_MAX,
};

/* runc parses with Go's flag package (-name and --name alike, exact names only); crun with
 * getopt_long (long-name prefixes, clustered short options, -bDIR). */
enum cli_dialect {
        CLI_DIALECT_RUNC,
        CLI_DIALECT_CRUN,
        _CLI_DIALECT_MAX,
};

/* Every distinct flag of runc 1.1 and crun 1.8 (and the later ones engines already send), by
 * meaning: the same id in both runtimes means the same effect. */
enum cli_flag {
        CLI_FLAG_UNKNOWN, /* a word that looks like an option the runtime's table lacks */
        /* global options */
        CLI_FLAG_DEBUG,
        CLI_FLAG_LOG,
        CLI_FLAG_LOG_FORMAT,
        CLI_FLAG_LOG_LEVEL,
        CLI_FLAG_ROOT,
        CLI_FLAG_CRIU,
        CLI_FLAG_SYSTEMD_CGROUP,
        CLI_FLAG_CGROUP_MANAGER,
        CLI_FLAG_ROOTLESS,
        CLI_FLAG_VERSION,
        CLI_FLAG_HELP,
        CLI_FLAG_USAGE,        /* argp */
        CLI_FLAG_PROGRAM_NAME, /* argp, hidden */
        CLI_FLAG_HANG,         /* argp, hidden */
        /* create, run, restore */
        CLI_FLAG_BUNDLE,
        CLI_FLAG_CONFIG,
        CLI_FLAG_CONSOLE_SOCKET,
        CLI_FLAG_PIDFD_SOCKET,
        CLI_FLAG_PID_FILE,
        CLI_FLAG_PRESERVE_FDS,
        CLI_FLAG_NO_PIVOT,
        CLI_FLAG_NO_NEW_KEYRING,
        CLI_FLAG_NO_SUBREAPER,
        CLI_FLAG_DETACH,
        CLI_FLAG_KEEP,
        /* exec */
        CLI_FLAG_PROCESS,
        CLI_FLAG_CWD,
        CLI_FLAG_ENV,
        CLI_FLAG_TTY,
        CLI_FLAG_USER,
        CLI_FLAG_ADDITIONAL_GIDS,
        CLI_FLAG_PROCESS_LABEL,
        CLI_FLAG_APPARMOR,
        CLI_FLAG_NO_NEW_PRIVS,
        CLI_FLAG_CAP,
        CLI_FLAG_CGROUP,
        CLI_FLAG_IGNORE_PAUSED,
        /* checkpoint, restore */
        CLI_FLAG_IMAGE_PATH,
        CLI_FLAG_WORK_PATH,
        CLI_FLAG_PARENT_PATH,
        CLI_FLAG_MANAGE_CGROUPS_MODE,
        CLI_FLAG_EMPTY_NS,
        CLI_FLAG_LSM_PROFILE,
        CLI_FLAG_LSM_MOUNT_CONTEXT,
        CLI_FLAG_TCP_ESTABLISHED,
        CLI_FLAG_TCP_CLOSE,
        CLI_FLAG_EXT_UNIX_SK,
        CLI_FLAG_SHELL_JOB,
        CLI_FLAG_FILE_LOCKS,
        CLI_FLAG_AUTO_DEDUP,
        CLI_FLAG_LAZY_PAGES,
        CLI_FLAG_LEAVE_RUNNING,
        CLI_FLAG_PRE_DUMP,
        CLI_FLAG_PAGE_SERVER,
        CLI_FLAG_STATUS_FD,
        /* update */
        CLI_FLAG_RESOURCES,
        CLI_FLAG_BLKIO_WEIGHT,
        CLI_FLAG_CPU_PERIOD,
        CLI_FLAG_CPU_QUOTA,
        CLI_FLAG_CPU_SHARE,
        CLI_FLAG_CPU_RT_PERIOD,
        CLI_FLAG_CPU_RT_RUNTIME,
        CLI_FLAG_CPUSET_CPUS,
        CLI_FLAG_CPUSET_MEMS,
        CLI_FLAG_KERNEL_MEMORY,
        CLI_FLAG_KERNEL_MEMORY_TCP,
        CLI_FLAG_MEMORY,
        CLI_FLAG_MEMORY_RESERVATION,
        CLI_FLAG_MEMORY_SWAP,
        CLI_FLAG_PIDS_LIMIT,
        CLI_FLAG_L3_CACHE_SCHEMA,
        CLI_FLAG_MEM_BW_SCHEMA,
        /* pass-through subcommands */
        CLI_FLAG_FORCE,
        CLI_FLAG_REGEX,
        CLI_FLAG_ALL,
        CLI_FLAG_FORMAT,
        CLI_FLAG_QUIET,
        CLI_FLAG_INTERVAL,
        CLI_FLAG_STATS,
        CLI_FLAG_SPEC_FILE,
        CLI_FLAG_SPEC_ROOTLESS,
        _CLI_FLAG_MAX,
};

enum cli_arg {
        CLI_ARG_NONE,     /* a switch (Go: "--x=false" still allowed) */
        CLI_ARG_REQUIRED, /* "--x v", "--x=v" */
        CLI_ARG_OPTIONAL, /* getopt's optional argument: only "--x=v" */
};

/* One entry of a runtime's option table. No pointers: the tables need no relocation when the
 * program is loaded, which costs a fresh page per 4 KiB of tables on every call. */
struct cli_option {
        char name[20];   /* long name, "" ends a table */
        char short_name; /* 0 = none */
        uint8_t arg;     /* enum cli_arg */
        uint8_t flag;    /* enum cli_flag */
};

/* One subcommand of a runtime: its options (NULL: none but the parser's own help). Judged
 * subcommands are parsed in full; the others pass through unparsed. */
struct cli_subcommand {
        const char *name;
        enum cli_command command;
        const struct cli_option *options;
};

/* The grammar of one runtime: global options and subcommands, NULL-terminated tables. */
struct cli_grammar {
        const struct cli_option *globals;
        const struct cli_subcommand *subcommands;
};

const struct cli_grammar *cli_grammar(enum cli_dialect dialect);

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

/* Every option word of a judged subcommand (and every global), in argv order. */
#define CLI_SEEN_MAX 256

struct cli_seen {
        enum cli_flag flag;
        const char *word;  /* the option as written: "--pids-limit=-1", "-bDIR" */
        const char *value; /* its value, NULL when none was given */
        bool global;
};

struct cli_args {
        enum cli_dialect dialect;
        enum cli_command command;
        const char *command_name; /* as written in argv, NULL for CLI_COMMAND_NONE */
        const char *log_path;     /* --log, last occurrence */
        const char *log_format;   /* --log-format, last occurrence */
        const char *root;         /* --root (crun: also --rootless), last; NULL = default */
        int command_index;        /* argv index of the subcommand, 0 for CLI_COMMAND_NONE */
        const char *bundle;       /* --bundle/-b, NULL = current directory */
        const char *config;       /* crun --config/-f, NULL = "config.json" in the bundle */
        const char *process;      /* exec --process/-p */
        const char *resources;    /* update --resources/-r FILE, "-" = stdin */
        const char *container_id;
        int id_index; /* argv index of the container id, 0 = none */
        struct cli_exec_flags exec;
        struct cli_seen seen[CLI_SEEN_MAX];
        size_t n_seen;
        /* An unknown option stopped the parse: what follows it is not known for sure. */
        bool incomplete;
        /* The runtime will not run the command: --help/--version, or an option lacks its value
         * (the runtime prints its own error, which engines probe for). */
        bool runtime_refuses;
};

/* Splits argv (argv[0] is ours) without modifying it. Fails only on argv beyond our bounds;
 * unknown options are recorded as CLI_FLAG_UNKNOWN for the policy to judge. *ret is filled as
 * far as parsing got, also on failure, so the error can still reach the engine's --log. */
int cli_parse(int argc, char *const *argv, enum cli_dialect dialect, struct cli_args *ret,
              struct hr_error *err);

/* create, run and restore read the bundle's config.json; exec reads --process. */
bool cli_command_reads_spec(enum cli_command command);

/* Subcommands hardrun judges before the runtime runs (full policy load); the others pass
 * through with no file read beyond the policy's runtime section. */
bool cli_command_is_judged(enum cli_command command);

const char *cli_command_to_string(enum cli_command command);

/* The last value of flag in a->seen, or NULL. */
const char *cli_last_value(const struct cli_args *a, enum cli_flag flag);
