/* runc/crun argv grammar: every option table of both runtimes, parsed the way each will parse. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "bounds.h"
#include "util/cleanup.h"

_Static_assert(_CLI_FLAG_MAX <= UINT8_MAX + 1, "cli_option.flag is a uint8_t");

#define N CLI_ARG_NONE
#define R CLI_ARG_REQUIRED
#define O CLI_ARG_OPTIONAL
#define END                                \
        {                                  \
                "", 0, N, CLI_FLAG_UNKNOWN \
        }

/* ---- runc 1.1.5: main.go app.Flags and each command's Flags (urfave/cli v1 adds help/-h
 * everywhere and version/-v at the top). Entries marked "1.2" come from later runc that engines
 * already send. */

static const struct cli_option runc_globals[] = {
        {"debug", 0, N, CLI_FLAG_DEBUG},
        {"log", 0, R, CLI_FLAG_LOG},
        {"log-format", 0, R, CLI_FLAG_LOG_FORMAT},
        {"root", 0, R, CLI_FLAG_ROOT},
        {"criu", 0, R, CLI_FLAG_CRIU},
        {"systemd-cgroup", 0, N, CLI_FLAG_SYSTEMD_CGROUP},
        {"rootless", 0, R, CLI_FLAG_ROOTLESS}, /* a string flag: true, false, auto */
        {"help", 'h', N, CLI_FLAG_HELP},
        {"version", 'v', N, CLI_FLAG_VERSION},
        END,
};

static const struct cli_option runc_checkpoint[] = {
        {"image-path", 0, R, CLI_FLAG_IMAGE_PATH},
        {"work-path", 0, R, CLI_FLAG_WORK_PATH},
        {"parent-path", 0, R, CLI_FLAG_PARENT_PATH},
        {"leave-running", 0, N, CLI_FLAG_LEAVE_RUNNING},
        {"tcp-established", 0, N, CLI_FLAG_TCP_ESTABLISHED},
        {"ext-unix-sk", 0, N, CLI_FLAG_EXT_UNIX_SK},
        {"shell-job", 0, N, CLI_FLAG_SHELL_JOB},
        {"lazy-pages", 0, N, CLI_FLAG_LAZY_PAGES},
        {"status-fd", 0, R, CLI_FLAG_STATUS_FD},
        {"page-server", 0, R, CLI_FLAG_PAGE_SERVER},
        {"file-locks", 0, N, CLI_FLAG_FILE_LOCKS},
        {"pre-dump", 0, N, CLI_FLAG_PRE_DUMP},
        {"manage-cgroups-mode", 0, R, CLI_FLAG_MANAGE_CGROUPS_MODE},
        {"empty-ns", 0, R, CLI_FLAG_EMPTY_NS},
        {"auto-dedup", 0, N, CLI_FLAG_AUTO_DEDUP},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_create[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"pidfd-socket", 0, R, CLI_FLAG_PIDFD_SOCKET}, /* 1.2 */
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"no-pivot", 0, N, CLI_FLAG_NO_PIVOT},
        {"no-new-keyring", 0, N, CLI_FLAG_NO_NEW_KEYRING},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_run[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"pidfd-socket", 0, R, CLI_FLAG_PIDFD_SOCKET}, /* 1.2 */
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"keep", 0, N, CLI_FLAG_KEEP},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"no-subreaper", 0, N, CLI_FLAG_NO_SUBREAPER},
        {"no-pivot", 0, N, CLI_FLAG_NO_PIVOT},
        {"no-new-keyring", 0, N, CLI_FLAG_NO_NEW_KEYRING},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_exec[] = {
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"pidfd-socket", 0, R, CLI_FLAG_PIDFD_SOCKET}, /* 1.2 */
        {"cwd", 0, R, CLI_FLAG_CWD},
        {"env", 'e', R, CLI_FLAG_ENV},
        {"tty", 't', N, CLI_FLAG_TTY},
        {"user", 'u', R, CLI_FLAG_USER},
        {"additional-gids", 'g', R, CLI_FLAG_ADDITIONAL_GIDS},
        {"process", 'p', R, CLI_FLAG_PROCESS},
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"process-label", 0, R, CLI_FLAG_PROCESS_LABEL},
        {"apparmor", 0, R, CLI_FLAG_APPARMOR},
        {"no-new-privs", 0, N, CLI_FLAG_NO_NEW_PRIVS},
        {"cap", 'c', R, CLI_FLAG_CAP},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"cgroup", 0, R, CLI_FLAG_CGROUP},
        {"ignore-paused", 0, N, CLI_FLAG_IGNORE_PAUSED},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_restore[] = {
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"pidfd-socket", 0, R, CLI_FLAG_PIDFD_SOCKET}, /* 1.2 */
        {"image-path", 0, R, CLI_FLAG_IMAGE_PATH},
        {"work-path", 0, R, CLI_FLAG_WORK_PATH},
        {"tcp-established", 0, N, CLI_FLAG_TCP_ESTABLISHED},
        {"ext-unix-sk", 0, N, CLI_FLAG_EXT_UNIX_SK},
        {"shell-job", 0, N, CLI_FLAG_SHELL_JOB},
        {"file-locks", 0, N, CLI_FLAG_FILE_LOCKS},
        {"manage-cgroups-mode", 0, R, CLI_FLAG_MANAGE_CGROUPS_MODE},
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"no-subreaper", 0, N, CLI_FLAG_NO_SUBREAPER},
        {"no-pivot", 0, N, CLI_FLAG_NO_PIVOT},
        {"empty-ns", 0, R, CLI_FLAG_EMPTY_NS},
        {"auto-dedup", 0, N, CLI_FLAG_AUTO_DEDUP},
        {"lazy-pages", 0, N, CLI_FLAG_LAZY_PAGES},
        {"lsm-profile", 0, R, CLI_FLAG_LSM_PROFILE},
        {"lsm-mount-context", 0, R, CLI_FLAG_LSM_MOUNT_CONTEXT},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_update[] = {
        {"resources", 'r', R, CLI_FLAG_RESOURCES},
        {"blkio-weight", 0, R, CLI_FLAG_BLKIO_WEIGHT},
        {"cpu-period", 0, R, CLI_FLAG_CPU_PERIOD},
        {"cpu-quota", 0, R, CLI_FLAG_CPU_QUOTA},
        {"cpu-share", 0, R, CLI_FLAG_CPU_SHARE},
        {"cpu-rt-period", 0, R, CLI_FLAG_CPU_RT_PERIOD},
        {"cpu-rt-runtime", 0, R, CLI_FLAG_CPU_RT_RUNTIME},
        {"cpuset-cpus", 0, R, CLI_FLAG_CPUSET_CPUS},
        {"cpuset-mems", 0, R, CLI_FLAG_CPUSET_MEMS},
        {"kernel-memory", 0, R, CLI_FLAG_KERNEL_MEMORY},         /* hidden */
        {"kernel-memory-tcp", 0, R, CLI_FLAG_KERNEL_MEMORY_TCP}, /* hidden */
        {"memory", 0, R, CLI_FLAG_MEMORY},
        {"memory-reservation", 0, R, CLI_FLAG_MEMORY_RESERVATION},
        {"memory-swap", 0, R, CLI_FLAG_MEMORY_SWAP},
        {"pids-limit", 0, R, CLI_FLAG_PIDS_LIMIT},
        {"l3-cache-schema", 0, R, CLI_FLAG_L3_CACHE_SCHEMA},
        {"mem-bw-schema", 0, R, CLI_FLAG_MEM_BW_SCHEMA},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_delete[] = {
        {"force", 'f', N, CLI_FLAG_FORCE},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_events[] = {
        {"interval", 0, R, CLI_FLAG_INTERVAL},
        {"stats", 0, N, CLI_FLAG_STATS},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_kill[] = {
        {"all", 'a', N, CLI_FLAG_ALL},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_list[] = {
        {"format", 'f', R, CLI_FLAG_FORMAT},
        {"quiet", 'q', N, CLI_FLAG_QUIET},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_ps[] = {
        {"format", 'f', R, CLI_FLAG_FORMAT},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_spec[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"rootless", 0, N, CLI_FLAG_SPEC_ROOTLESS},
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_option runc_help_only[] = {
        {"help", 'h', N, CLI_FLAG_HELP},
        END,
};

static const struct cli_subcommand runc_subcommands[] = {
        {"checkpoint", CLI_COMMAND_CHECKPOINT, runc_checkpoint},
        {"create", CLI_COMMAND_CREATE, runc_create},
        {"delete", CLI_COMMAND_OTHER, runc_delete},
        {"events", CLI_COMMAND_OTHER, runc_events},
        {"exec", CLI_COMMAND_EXEC, runc_exec},
        {"kill", CLI_COMMAND_OTHER, runc_kill},
        {"list", CLI_COMMAND_OTHER, runc_list},
        {"pause", CLI_COMMAND_OTHER, runc_help_only},
        {"ps", CLI_COMMAND_OTHER, runc_ps},
        {"restore", CLI_COMMAND_RESTORE, runc_restore},
        {"resume", CLI_COMMAND_OTHER, runc_help_only},
        {"run", CLI_COMMAND_RUN, runc_run},
        {"spec", CLI_COMMAND_OTHER, runc_spec},
        {"start", CLI_COMMAND_OTHER, runc_help_only},
        {"state", CLI_COMMAND_OTHER, runc_help_only},
        {"update", CLI_COMMAND_UPDATE, runc_update},
        {"features", CLI_COMMAND_OTHER, runc_help_only},
        {"help", CLI_COMMAND_OTHER, runc_help_only}, /* urfave/cli's own, also "h" */
        {"h", CLI_COMMAND_OTHER, runc_help_only},
        {"init", CLI_COMMAND_INTERNAL, NULL}, /* init.go, before main() */
        {NULL, CLI_COMMAND_UNKNOWN, NULL},
};

/* ---- crun 1.8.1: src/crun.c options[] and each src/<command>.c options[]; glibc's argp adds
 * --help/-?, --usage and the hidden --program-name, --HANG to every table. */

#define ARGP_DEFAULTS                                                     \
        {"help", '?', N, CLI_FLAG_HELP}, {"usage", 0, N, CLI_FLAG_USAGE}, \
                {"program-name", 0, R, CLI_FLAG_PROGRAM_NAME}, {"HANG", 0, O, CLI_FLAG_HANG}, END

static const struct cli_option crun_globals[] = {
        {"debug", 0, N, CLI_FLAG_DEBUG},
        {"cgroup-manager", 0, R, CLI_FLAG_CGROUP_MANAGER},
        {"systemd-cgroup", 0, N, CLI_FLAG_SYSTEMD_CGROUP},
        {"log", 0, R, CLI_FLAG_LOG},
        {"log-format", 0, R, CLI_FLAG_LOG_FORMAT},
        {"log-level", 0, R, CLI_FLAG_LOG_LEVEL}, /* crun 1.9 */
        {"root", 0, R, CLI_FLAG_ROOT},
        {"rootless", 0, R, CLI_FLAG_ROOT}, /* crun.c: the same key as --root */
        {"version", 'v', N, CLI_FLAG_VERSION},
        {"version", 'V', N, CLI_FLAG_VERSION}, /* OPTION_ALIAS */
        ARGP_DEFAULTS,
};

static const struct cli_option crun_create[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"config", 'f', R, CLI_FLAG_CONFIG},
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"no-pivot", 0, N, CLI_FLAG_NO_PIVOT},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"no-subreaper", 0, N, CLI_FLAG_NO_SUBREAPER},
        {"no-new-keyring", 0, N, CLI_FLAG_NO_NEW_KEYRING},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_run[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"config", 'f', R, CLI_FLAG_CONFIG},
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"no-subreaper", 0, N, CLI_FLAG_NO_SUBREAPER},
        {"no-new-keyring", 0, N, CLI_FLAG_NO_NEW_KEYRING},
        {"no-pivot", 0, N, CLI_FLAG_NO_PIVOT},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_exec[] = {
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"tty", 't', O, CLI_FLAG_TTY},
        {"process", 'p', R, CLI_FLAG_PROCESS},
        {"cwd", 0, R, CLI_FLAG_CWD},
        {"cgroup", 0, R, CLI_FLAG_CGROUP},
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"user", 'u', R, CLI_FLAG_USER},
        {"env", 'e', R, CLI_FLAG_ENV},
        {"cap", 'c', R, CLI_FLAG_CAP},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"preserve-fds", 0, R, CLI_FLAG_PRESERVE_FDS},
        {"no-new-privs", 0, N, CLI_FLAG_NO_NEW_PRIVS},
        {"process-label", 0, R, CLI_FLAG_PROCESS_LABEL},
        {"apparmor", 0, R, CLI_FLAG_APPARMOR},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_update[] = {
        {"resources", 'r', R, CLI_FLAG_RESOURCES},
        {"blkio-weight", 0, R, CLI_FLAG_BLKIO_WEIGHT},
        {"cpu-period", 0, R, CLI_FLAG_CPU_PERIOD},
        {"cpu-quota", 0, R, CLI_FLAG_CPU_QUOTA},
        {"cpu-share", 0, R, CLI_FLAG_CPU_SHARE},
        {"cpu-rt-period", 0, R, CLI_FLAG_CPU_RT_PERIOD},
        {"cpu-rt-runtime", 0, R, CLI_FLAG_CPU_RT_RUNTIME},
        {"cpuset-cpus", 0, R, CLI_FLAG_CPUSET_CPUS},
        {"cpuset-mems", 0, R, CLI_FLAG_CPUSET_MEMS},
        {"kernel-memory", 0, R, CLI_FLAG_KERNEL_MEMORY},
        {"kernel-memory-tcp", 0, R, CLI_FLAG_KERNEL_MEMORY_TCP},
        {"memory", 0, R, CLI_FLAG_MEMORY},
        {"memory-reservation", 0, R, CLI_FLAG_MEMORY_RESERVATION},
        {"memory-swap", 0, R, CLI_FLAG_MEMORY_SWAP},
        {"pids-limit", 0, R, CLI_FLAG_PIDS_LIMIT},
        ARGP_DEFAULTS,
};

/* checkpoint and restore exist only when crun is built with CRIU (Debian 12's is not). */
static const struct cli_option crun_checkpoint[] = {
        {"image-path", 0, R, CLI_FLAG_IMAGE_PATH},
        {"work-path", 0, R, CLI_FLAG_WORK_PATH},
        {"leave-running", 0, N, CLI_FLAG_LEAVE_RUNNING},
        {"tcp-established", 0, N, CLI_FLAG_TCP_ESTABLISHED},
        {"ext-unix-sk", 0, N, CLI_FLAG_EXT_UNIX_SK},
        {"shell-job", 0, N, CLI_FLAG_SHELL_JOB},
        {"file-locks", 0, N, CLI_FLAG_FILE_LOCKS},
        {"parent-path", 0, R, CLI_FLAG_PARENT_PATH},
        {"pre-dump", 0, N, CLI_FLAG_PRE_DUMP},
        {"manage-cgroups-mode", 0, R, CLI_FLAG_MANAGE_CGROUPS_MODE},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_restore[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"image-path", 0, R, CLI_FLAG_IMAGE_PATH},
        {"work-path", 0, R, CLI_FLAG_WORK_PATH},
        {"tcp-established", 0, N, CLI_FLAG_TCP_ESTABLISHED},
        {"tcp-close", 0, N, CLI_FLAG_TCP_CLOSE}, /* 1.9, podman sends it */
        {"ext-unix-sk", 0, N, CLI_FLAG_EXT_UNIX_SK},
        {"shell-job", 0, N, CLI_FLAG_SHELL_JOB},
        {"detach", 'd', N, CLI_FLAG_DETACH},
        {"pid-file", 0, R, CLI_FLAG_PID_FILE},
        {"console-socket", 0, R, CLI_FLAG_CONSOLE_SOCKET},
        {"file-locks", 0, N, CLI_FLAG_FILE_LOCKS},
        {"manage-cgroups-mode", 0, R, CLI_FLAG_MANAGE_CGROUPS_MODE},
        {"lsm-profile", 0, R, CLI_FLAG_LSM_PROFILE},             /* 1.9 */
        {"lsm-mount-context", 0, R, CLI_FLAG_LSM_MOUNT_CONTEXT}, /* 1.9 */
        ARGP_DEFAULTS,
};

static const struct cli_option crun_delete[] = {
        {"force", 'f', N, CLI_FLAG_FORCE},
        {"regex", 'r', N, CLI_FLAG_REGEX},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_kill[] = {
        {"all", 'a', N, CLI_FLAG_ALL},
        {"regex", 'r', N, CLI_FLAG_REGEX},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_list[] = {
        {"quiet", 'q', N, CLI_FLAG_QUIET},
        {"format", 'f', R, CLI_FLAG_FORMAT},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_ps[] = {
        {"format", 'f', R, CLI_FLAG_FORMAT},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_spec[] = {
        {"bundle", 'b', R, CLI_FLAG_BUNDLE},
        {"file", 'f', R, CLI_FLAG_SPEC_FILE},
        {"rootless", 0, N, CLI_FLAG_SPEC_ROOTLESS},
        ARGP_DEFAULTS,
};

static const struct cli_option crun_argp_only[] = {
        ARGP_DEFAULTS,
};

static const struct cli_subcommand crun_subcommands[] = {
        {"create", CLI_COMMAND_CREATE, crun_create},
        {"delete", CLI_COMMAND_OTHER, crun_delete},
        {"exec", CLI_COMMAND_EXEC, crun_exec},
        {"list", CLI_COMMAND_OTHER, crun_list},
        {"kill", CLI_COMMAND_OTHER, crun_kill},
        {"ps", CLI_COMMAND_OTHER, crun_ps},
        {"run", CLI_COMMAND_RUN, crun_run},
        {"spec", CLI_COMMAND_OTHER, crun_spec},
        {"start", CLI_COMMAND_OTHER, crun_argp_only},
        {"state", CLI_COMMAND_OTHER, crun_argp_only},
        {"update", CLI_COMMAND_UPDATE, crun_update},
        {"pause", CLI_COMMAND_OTHER, crun_argp_only},
        {"resume", CLI_COMMAND_OTHER, crun_argp_only},
        {"checkpoint", CLI_COMMAND_CHECKPOINT, crun_checkpoint},
        {"restore", CLI_COMMAND_RESTORE, crun_restore},
        {"features", CLI_COMMAND_OTHER, crun_argp_only}, /* 1.9 */
        {NULL, CLI_COMMAND_UNKNOWN, NULL},
};

#undef N
#undef R
#undef O
#undef END
#undef ARGP_DEFAULTS

const struct cli_grammar *cli_grammar(enum cli_dialect dialect)
{
        static const struct cli_grammar grammars[_CLI_DIALECT_MAX] = {
                [CLI_DIALECT_RUNC] = {runc_globals, runc_subcommands},
                [CLI_DIALECT_CRUN] = {crun_globals, crun_subcommands},
        };

        return dialect < _CLI_DIALECT_MAX ? &grammars[dialect] : NULL;
}

bool cli_command_reads_spec(enum cli_command command)
{
        return command == CLI_COMMAND_CREATE || command == CLI_COMMAND_RUN ||
               command == CLI_COMMAND_RESTORE || command == CLI_COMMAND_EXEC;
}

bool cli_command_is_judged(enum cli_command command)
{
        return command != CLI_COMMAND_NONE && command != CLI_COMMAND_OTHER;
}

const char *cli_command_to_string(enum cli_command command)
{
        static const char *const names[_CLI_COMMAND_MAX] = {
                [CLI_COMMAND_NONE] = "none",
                [CLI_COMMAND_CREATE] = "create",
                [CLI_COMMAND_RUN] = "run",
                [CLI_COMMAND_RESTORE] = "restore",
                [CLI_COMMAND_EXEC] = "exec",
                [CLI_COMMAND_UPDATE] = "update",
                [CLI_COMMAND_CHECKPOINT] = "checkpoint",
                [CLI_COMMAND_INTERNAL] = "internal",
                [CLI_COMMAND_OTHER] = "other",
                [CLI_COMMAND_UNKNOWN] = "unknown",
        };

        return command < _CLI_COMMAND_MAX ? names[command] : "invalid";
}

const char *cli_last_value(const struct cli_args *a, enum cli_flag flag)
{
        for (size_t i = a->n_seen; i-- > 0;)
                if (a->seen[i].flag == flag)
                        return a->seen[i].value;
        return NULL;
}

/* The tables consulted for one word: the subcommand's own, then (runc) the globals: runc's main
 * branch accepts globals after the subcommand too. */
struct option_tables {
        const struct cli_option *tables[2];
        bool global[2];
};

static const struct cli_option *find_long(const struct option_tables *t, const char *name,
                                          size_t len, bool allow_prefix, bool *ret_global)
{
        const struct cli_option *prefix_match = NULL;
        bool prefix_global = false;

        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct cli_option *o = t->tables[k]; o->name[0]; o++)
                        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0) {
                                *ret_global = t->global[k];
                                return o;
                        }
        if (!allow_prefix || len == 0)
                return NULL;
        /* getopt_long: an unambiguous prefix of a long name selects it. Two entries with the
         * same name (version/-v/-V) are one option. */
        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct cli_option *o = t->tables[k]; o->name[0]; o++)
                        if (strncmp(o->name, name, len) == 0) {
                                if (prefix_match && strcmp(prefix_match->name, o->name) != 0)
                                        return NULL; /* ambiguous: getopt refuses it */
                                prefix_match = o;
                                prefix_global = t->global[k];
                        }
        *ret_global = prefix_global;
        return prefix_match;
}

static const struct cli_option *find_short(const struct option_tables *t, char c, bool *ret_global)
{
        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct cli_option *o = t->tables[k]; o->name[0]; o++)
                        if (o->short_name == c) {
                                *ret_global = t->global[k];
                                return o;
                        }
        return NULL;
}

/* Go's strconv.ParseBool spellings of true. */
static bool is_go_true(const char *v)
{
        static const char *const yes[] = {"1", "t", "T", "true", "TRUE", "True"};

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcmp(v, yes[i]) == 0)
                        return true;
        return false;
}

static void list_append(const char **list, size_t *n, bool *overflow, const char *value)
{
        if (*n == CLI_EXEC_LIST_MAX)
                *overflow = true;
        else
                list[(*n)++] = value;
}

static int record(struct cli_args *a, const struct cli_option *o, bool global, const char *word,
                  const char *value)
{
        enum cli_flag flag = o ? o->flag : CLI_FLAG_UNKNOWN;

        if (a->n_seen == CLI_SEEN_MAX)
                return -E2BIG;
        a->seen[a->n_seen++] = (struct cli_seen){flag, word, value, global};
        /* The values later steps need; every occurrence stays in a->seen. */
        if (flag == CLI_FLAG_LOG)
                a->log_path = value;
        else if (flag == CLI_FLAG_LOG_FORMAT)
                a->log_format = value;
        else if (flag == CLI_FLAG_ROOT)
                a->root = value;
        else if (flag == CLI_FLAG_BUNDLE)
                a->bundle = value;
        else if (flag == CLI_FLAG_CONFIG)
                a->config = value;
        else if (flag == CLI_FLAG_PROCESS)
                a->process = value;
        else if (flag == CLI_FLAG_RESOURCES)
                a->resources = value;
        else if (flag == CLI_FLAG_HELP || flag == CLI_FLAG_VERSION || flag == CLI_FLAG_USAGE)
                /* "--help=false" is Go's way to say no help; "--help=true" prints it. */
                a->runtime_refuses |= !value || is_go_true(value);
        else if (flag == CLI_FLAG_USER)
                a->exec.user = value;
        else if (flag == CLI_FLAG_APPARMOR)
                a->exec.apparmor = value;
        else if (flag == CLI_FLAG_PROCESS_LABEL)
                a->exec.process_label = value;
        else if (flag == CLI_FLAG_CAP)
                list_append(a->exec.caps, &a->exec.n_caps, &a->exec.overflow, value);
        else if (flag == CLI_FLAG_ADDITIONAL_GIDS)
                list_append(a->exec.gids, &a->exec.n_gids, &a->exec.overflow, value);
        return 0;
}

enum word_result {
        WORD_OPTION,  /* consumed *i (and maybe the next word) */
        WORD_UNKNOWN, /* an option the tables lack: recorded, parsing stops */
        WORD_FULL,    /* more options than we keep */
};

/* An option that takes a value, which is the next word: the runtime itself fails when there is
 * none ("flag needs an argument", which engines probe for). */
static enum word_result take_next(struct cli_args *a, const struct cli_option *o, bool global,
                                  int argc, char *const *argv, int *i)
{
        const char *word = argv[*i];

        if (*i + 1 >= argc) {
                a->runtime_refuses = true;
                return record(a, o, global, word, NULL) < 0 ? WORD_FULL : WORD_OPTION;
        }
        *i += 1;
        return record(a, o, global, word, argv[*i]) < 0 ? WORD_FULL : WORD_OPTION;
}

static enum word_result unknown(struct cli_args *a, const char *word)
{
        a->incomplete = true;
        return record(a, NULL, false, word, NULL) < 0 ? WORD_FULL : WORD_UNKNOWN;
}

/* Go's flag package: "-name", "--name", "-name=v", "--name v"; names match exactly and one-letter
 * names are just names. */
static enum word_result parse_word_runc(const struct option_tables *t, int argc, char *const *argv,
                                        int *i, struct cli_args *a)
{
        const char *word = argv[*i];
        const char *body = word[1] == '-' ? word + 2 : word + 1;
        const char *eq = strchr(body, '=');
        size_t len = eq ? (size_t)(eq - body) : strlen(body);
        const struct cli_option *o;
        bool global = false;

        o = find_long(t, body, len, false, &global);
        if (!o && len == 1)
                o = find_short(t, body[0], &global);
        if (!o)
                return unknown(a, word);
        if (o->arg == CLI_ARG_NONE || eq)
                return record(a, o, global, word, eq ? eq + 1 : NULL) < 0 ? WORD_FULL : WORD_OPTION;
        return take_next(a, o, global, argc, argv, i);
}

/* getopt_long: "--name[=v]" with unambiguous prefixes, "-abc" clusters, "-bDIR", "-b DIR". */
static enum word_result parse_word_crun(const struct option_tables *t, int argc, char *const *argv,
                                        int *i, struct cli_args *a)
{
        const char *word = argv[*i];
        const struct cli_option *o;
        bool global = false;

        if (word[1] == '-') {
                const char *body = word + 2;
                const char *eq = strchr(body, '=');
                size_t len = eq ? (size_t)(eq - body) : strlen(body);

                o = find_long(t, body, len, true, &global);
                /* getopt refuses "--switch=value": the runtime fails on its own */
                if (!o || (eq && o->arg == CLI_ARG_NONE))
                        return unknown(a, word);
                if (o->arg != CLI_ARG_REQUIRED || eq)
                        return record(a, o, global, word, eq ? eq + 1 : NULL) < 0 ? WORD_FULL
                                                                                  : WORD_OPTION;
                return take_next(a, o, global, argc, argv, i);
        }
        for (const char *c = word + 1; *c; c++) {
                o = find_short(t, *c, &global);
                if (!o)
                        return unknown(a, word);
                if (o->arg == CLI_ARG_NONE || (o->arg == CLI_ARG_OPTIONAL && !c[1])) {
                        if (record(a, o, global, word, NULL) < 0)
                                return WORD_FULL;
                        continue;
                }
                if (c[1])
                        return record(a, o, global, word, c + 1) < 0 ? WORD_FULL : WORD_OPTION;
                return take_next(a, o, global, argc, argv, i);
        }
        return WORD_OPTION;
}

static enum word_result parse_word(enum cli_dialect dialect, const struct option_tables *t,
                                   int argc, char *const *argv, int *i, struct cli_args *a)
{
        if (dialect == CLI_DIALECT_CRUN)
                return parse_word_crun(t, argc, argv, i, a);
        return parse_word_runc(t, argc, argv, i, a);
}

static bool is_option_word(const char *w)
{
        return w[0] == '-' && w[1] != '\0';
}

static int too_many(struct hr_error *err)
{
        return error_set(err, -E2BIG, "more than %d options or repeated values", CLI_SEEN_MAX);
}

int cli_parse(int argc, char *const *argv, enum cli_dialect dialect, struct cli_args *ret,
              struct hr_error *err)
{
        const struct cli_grammar *g = cli_grammar(dialect);
        struct option_tables globals = {{NULL, NULL}, {true, false}};
        struct option_tables sub = {{NULL, NULL}, {false, true}};
        /* Parsed straight into ret (a big struct: no copy of it), every field set here. */
        struct cli_args *a = ret;
        const struct cli_subcommand *s;
        enum word_result w;
        int i;

        *a = (struct cli_args){.dialect = dialect, .command = CLI_COMMAND_NONE};
        if (!g)
                return error_set(err, -EINVAL, "unknown runtime dialect %d", (int)dialect);
        if (argc < 1 || argc > HR_ARGV_MAX)
                return error_set(err, -E2BIG, "argument count %d out of range (1..%d)", argc,
                                 HR_ARGV_MAX);
        globals.tables[0] = g->globals;

        /* Global options, up to the subcommand. An unknown one may take a value, so the word
         * taken for the subcommand after it is a guess: a->incomplete says so. */
        for (i = 1; i < argc; i++) {
                const char *word = argv[i];
                if (strcmp(word, "--") == 0) {
                        i++;
                        break;
                }
                if (!is_option_word(word))
                        break;
                if (parse_word(dialect, &globals, argc, argv, &i, a) == WORD_FULL)
                        return too_many(err);
        }
        for (size_t k = 0; k < a->n_seen; k++)
                a->seen[k].global = true;

        if (i >= argc)
                return 0;

        a->command_name = argv[i];
        a->command_index = i;
        for (s = g->subcommands; s->name && strcmp(s->name, argv[i]) != 0; s++)
                ;
        a->command = s->command; /* the terminator says CLI_COMMAND_UNKNOWN */
        /* An unknown global may have eaten the real subcommand: one that is judged later on
         * makes the whole call unknown rather than a pass-through. */
        for (int k = i + 1; a->incomplete && !cli_command_is_judged(a->command) && k < argc; k++)
                for (const struct cli_subcommand *t = g->subcommands; t->name; t++)
                        if (cli_command_is_judged(t->command) && strcmp(argv[k], t->name) == 0)
                                a->command = CLI_COMMAND_UNKNOWN;
        if (!cli_command_is_judged(a->command) || !s->options)
                return 0;
        sub.tables[0] = s->options;
        if (dialect == CLI_DIALECT_RUNC)
                sub.tables[1] = g->globals;

        for (i++; i < argc; i++) {
                const char *word = argv[i];
                if (strcmp(word, "--") == 0) {
                        if (!a->container_id && i + 1 < argc) {
                                a->container_id = argv[i + 1];
                                a->id_index = i + 1;
                        }
                        break;
                }
                if (!is_option_word(word)) {
                        if (!a->container_id) {
                                a->container_id = word;
                                a->id_index = i;
                        }
                        /* exec: words after the id are the command. crun stops at the first
                         * non-option for every subcommand; released runc reorders later flags
                         * for the others and reads them too. */
                        if (a->command == CLI_COMMAND_EXEC || dialect == CLI_DIALECT_CRUN)
                                break;
                        continue;
                }
                w = parse_word(dialect, &sub, argc, argv, &i, a);
                if (w == WORD_FULL)
                        return too_many(err);
                if (w == WORD_UNKNOWN)
                        break;
        }

        if (a->exec.overflow)
                return error_set(err, -E2BIG, "more than %d '--cap' or '--additional-gids' values",
                                 CLI_EXEC_LIST_MAX);
        return 0;
}
