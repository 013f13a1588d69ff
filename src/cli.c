/* runc/crun argv grammar: option tables per subcommand, parsed the way the real runtime will. */
#include "cli.h"

#include <errno.h>
#include <string.h>

#include "bounds.h"
#include "util/cleanup.h"

enum option_effect {
        EFFECT_NONE,
        EFFECT_LOG,
        EFFECT_LOG_FORMAT,
        EFFECT_BUNDLE,
        EFFECT_CONFIG,
        EFFECT_PROCESS,
        EFFECT_HELP, /* --help, --version: the runtime prints and exits */
        EFFECT_EXEC_USER,
        EFFECT_EXEC_CAP,
        EFFECT_EXEC_GID,
        EFFECT_EXEC_APPARMOR,
        EFFECT_EXEC_LABEL,
};

struct option_spec {
        const char *name;
        char short_name; /* 0 = none */
        bool takes_value;
        enum option_effect effect;
};

#define END_OF_TABLE                        \
        {                                   \
                NULL, 0, false, EFFECT_NONE \
        }

/* runc main.go app.Flags and crun src/crun.c options[]. --rootless is a string flag in runc and
 * crun still takes its value; --criu exists in older runc. */
static const struct option_spec global_options[] = {
        {"debug", 0, false, EFFECT_NONE},
        {"log", 0, true, EFFECT_LOG},
        {"log-format", 0, true, EFFECT_LOG_FORMAT},
        {"log-level", 0, true, EFFECT_NONE},
        {"root", 0, true, EFFECT_NONE},
        {"criu", 0, true, EFFECT_NONE},
        {"systemd-cgroup", 0, false, EFFECT_NONE},
        {"cgroup-manager", 0, true, EFFECT_NONE},
        {"rootless", 0, true, EFFECT_NONE},
        {"help", 'h', false, EFFECT_HELP},
        {"version", 'v', false, EFFECT_HELP},
        {"version", 'V', false, EFFECT_HELP},
        END_OF_TABLE,
};

/* create and run (run adds --detach, --keep). crun adds --config/-f and --no-subreaper. */
static const struct option_spec create_options[] = {
        {"bundle", 'b', true, EFFECT_BUNDLE},
        {"config", 'f', true, EFFECT_CONFIG},
        {"console-socket", 0, true, EFFECT_NONE},
        {"pidfd-socket", 0, true, EFFECT_NONE},
        {"pid-file", 0, true, EFFECT_NONE},
        {"preserve-fds", 0, true, EFFECT_NONE},
        {"no-pivot", 0, false, EFFECT_NONE},
        {"no-new-keyring", 0, false, EFFECT_NONE},
        {"no-subreaper", 0, false, EFFECT_NONE},
        {"detach", 'd', false, EFFECT_NONE},
        {"keep", 0, false, EFFECT_NONE},
        {"help", 'h', false, EFFECT_HELP},
        END_OF_TABLE,
};

static const struct option_spec restore_options[] = {
        {"bundle", 'b', true, EFFECT_BUNDLE},
        {"image-path", 0, true, EFFECT_NONE},
        {"work-path", 0, true, EFFECT_NONE},
        {"parent-path", 0, true, EFFECT_NONE},
        {"console-socket", 0, true, EFFECT_NONE},
        {"pidfd-socket", 0, true, EFFECT_NONE},
        {"pid-file", 0, true, EFFECT_NONE},
        {"manage-cgroups-mode", 0, true, EFFECT_NONE},
        {"empty-ns", 0, true, EFFECT_NONE},
        {"lsm-profile", 0, true, EFFECT_NONE},
        {"lsm-mount-context", 0, true, EFFECT_NONE},
        {"detach", 'd', false, EFFECT_NONE},
        {"no-subreaper", 0, false, EFFECT_NONE},
        {"no-pivot", 0, false, EFFECT_NONE},
        {"no-new-keyring", 0, false, EFFECT_NONE},
        {"tcp-established", 0, false, EFFECT_NONE},
        {"tcp-close", 0, false, EFFECT_NONE},
        {"ext-unix-sk", 0, false, EFFECT_NONE},
        {"shell-job", 0, false, EFFECT_NONE},
        {"file-locks", 0, false, EFFECT_NONE},
        {"auto-dedup", 0, false, EFFECT_NONE},
        {"lazy-pages", 0, false, EFFECT_NONE},
        {"network-lock", 0, true, EFFECT_NONE},
        {"help", 'h', false, EFFECT_HELP},
        END_OF_TABLE,
};

/* --tty takes an optional value in crun (--tty=false); without '=' it never consumes a word. */
static const struct option_spec exec_options[] = {
        {"process", 'p', true, EFFECT_PROCESS},
        {"console-socket", 0, true, EFFECT_NONE},
        {"pidfd-socket", 0, true, EFFECT_NONE},
        {"cwd", 0, true, EFFECT_NONE},
        {"env", 'e', true, EFFECT_NONE},
        {"user", 'u', true, EFFECT_EXEC_USER},
        {"additional-gids", 'g', true, EFFECT_EXEC_GID},
        {"pid-file", 0, true, EFFECT_NONE},
        {"process-label", 0, true, EFFECT_EXEC_LABEL},
        {"apparmor", 0, true, EFFECT_EXEC_APPARMOR},
        {"cap", 'c', true, EFFECT_EXEC_CAP},
        {"preserve-fds", 0, true, EFFECT_NONE},
        {"cgroup", 0, true, EFFECT_NONE},
        {"tty", 't', false, EFFECT_NONE},
        {"detach", 'd', false, EFFECT_NONE},
        {"no-new-privs", 0, false, EFFECT_NONE},
        {"ignore-paused", 0, false, EFFECT_NONE},
        {"help", 'h', false, EFFECT_HELP},
        END_OF_TABLE,
};

static const struct {
        const char *name;
        enum cli_command command;
        const struct option_spec *options;
} commands[] = {
        {"create", CLI_COMMAND_CREATE, create_options},
        {"run", CLI_COMMAND_RUN, create_options},
        {"restore", CLI_COMMAND_RESTORE, restore_options},
        {"exec", CLI_COMMAND_EXEC, exec_options},
};

bool cli_command_reads_spec(enum cli_command command)
{
        return command == CLI_COMMAND_CREATE || command == CLI_COMMAND_RUN ||
               command == CLI_COMMAND_RESTORE || command == CLI_COMMAND_EXEC;
}

const char *cli_command_to_string(enum cli_command command)
{
        static const char *const names[_CLI_COMMAND_MAX] = {
                [CLI_COMMAND_NONE] = "none", [CLI_COMMAND_CREATE] = "create",
                [CLI_COMMAND_RUN] = "run",   [CLI_COMMAND_RESTORE] = "restore",
                [CLI_COMMAND_EXEC] = "exec", [CLI_COMMAND_OTHER] = "other",
        };

        return command < _CLI_COMMAND_MAX ? names[command] : "invalid";
}

/* The tables consulted for one word: the subcommand's own, then the globals (runc's main
 * branch accepts globals after the subcommand too). */
struct option_tables {
        const struct option_spec *tables[2];
};

static const struct option_spec *find_long(const struct option_tables *t, const char *name,
                                           size_t len, bool allow_prefix, bool *ret_ambiguous)
{
        const struct option_spec *prefix_match = NULL;

        *ret_ambiguous = false;
        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct option_spec *o = t->tables[k]; o->name; o++)
                        if (strlen(o->name) == len && memcmp(o->name, name, len) == 0)
                                return o;
        if (!allow_prefix || len == 0)
                return NULL;
        /* getopt_long: an unambiguous prefix of a long name selects it. Two entries with the
         * same name (version/-v/-V) are one option. */
        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct option_spec *o = t->tables[k]; o->name; o++)
                        if (strncmp(o->name, name, len) == 0) {
                                if (prefix_match && strcmp(prefix_match->name, o->name) != 0) {
                                        *ret_ambiguous = true;
                                        return NULL;
                                }
                                prefix_match = o;
                        }
        return prefix_match;
}

static const struct option_spec *find_short(const struct option_tables *t, char c)
{
        for (size_t k = 0; k < ELEMENTSOF(t->tables) && t->tables[k]; k++)
                for (const struct option_spec *o = t->tables[k]; o->name; o++)
                        if (o->short_name == c)
                                return o;
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

static void apply_effect(struct cli_args *a, const struct option_spec *o, const char *value)
{
        switch (o->effect) {
        case EFFECT_LOG:
                a->log_path = value;
                break;
        case EFFECT_LOG_FORMAT:
                a->log_format = value;
                break;
        case EFFECT_BUNDLE:
                a->bundle = value;
                break;
        case EFFECT_CONFIG:
                a->config = value;
                break;
        case EFFECT_PROCESS:
                a->process = value;
                break;
        case EFFECT_HELP:
                /* "--help=false" is Go's way to say no help; "--help=true" prints it. */
                if (!value || is_go_true(value))
                        a->runtime_refuses = true;
                break;
        case EFFECT_EXEC_USER:
                a->exec.user = value;
                break;
        case EFFECT_EXEC_APPARMOR:
                a->exec.apparmor = value;
                break;
        case EFFECT_EXEC_LABEL:
                a->exec.process_label = value;
                break;
        case EFFECT_EXEC_CAP:
                if (a->exec.n_caps == CLI_EXEC_LIST_MAX)
                        a->exec.overflow = true;
                else
                        a->exec.caps[a->exec.n_caps++] = value;
                break;
        case EFFECT_EXEC_GID:
                if (a->exec.n_gids == CLI_EXEC_LIST_MAX)
                        a->exec.overflow = true;
                else
                        a->exec.gids[a->exec.n_gids++] = value;
                break;
        case EFFECT_NONE:
                break;
        }
}

enum word_result {
        WORD_OPTION,  /* consumed *i (and maybe the next word) */
        WORD_UNKNOWN, /* an option we do not know */
};

/* Go's flag package: "-name", "--name", "-name=v", "--name v"; names match exactly and one-letter
 * names are just names. */
static enum word_result parse_word_runc(const struct option_tables *t, int argc, char *const *argv,
                                        int *i, struct cli_args *a)
{
        const char *word = argv[*i];
        const char *body = word[1] == '-' ? word + 2 : word + 1;
        const char *eq = strchr(body, '=');
        size_t len = eq ? (size_t)(eq - body) : strlen(body);
        const struct option_spec *o;
        bool ambiguous;

        o = find_long(t, body, len, false, &ambiguous);
        if (!o && len == 1)
                o = find_short(t, body[0]);
        if (!o)
                return WORD_UNKNOWN;
        if (!o->takes_value || eq) {
                apply_effect(a, o, eq ? eq + 1 : NULL);
                return WORD_OPTION;
        }
        if (*i + 1 >= argc) {
                a->runtime_refuses = true; /* "flag needs an argument" comes from the runtime */
                return WORD_OPTION;
        }
        apply_effect(a, o, argv[++*i]);
        return WORD_OPTION;
}

/* getopt_long: "--name[=v]" with unambiguous prefixes, "-abc" clusters, "-bDIR", "-b DIR". */
static enum word_result parse_word_crun(const struct option_tables *t, int argc, char *const *argv,
                                        int *i, struct cli_args *a)
{
        const char *word = argv[*i];
        const struct option_spec *o;

        if (word[1] == '-') {
                const char *body = word + 2;
                const char *eq = strchr(body, '=');
                size_t len = eq ? (size_t)(eq - body) : strlen(body);
                bool ambiguous;

                o = find_long(t, body, len, true, &ambiguous);
                if (!o)
                        return WORD_UNKNOWN;
                if (!o->takes_value || eq) {
                        apply_effect(a, o, eq ? eq + 1 : NULL);
                        return WORD_OPTION;
                }
                if (*i + 1 >= argc) {
                        a->runtime_refuses = true;
                        return WORD_OPTION;
                }
                apply_effect(a, o, argv[++*i]);
                return WORD_OPTION;
        }
        for (const char *c = word + 1; *c; c++) {
                o = find_short(t, *c);
                if (!o)
                        return WORD_UNKNOWN;
                if (!o->takes_value) {
                        apply_effect(a, o, NULL);
                        continue;
                }
                if (c[1]) {
                        apply_effect(a, o, c + 1);
                        return WORD_OPTION;
                }
                if (*i + 1 >= argc) {
                        a->runtime_refuses = true;
                        return WORD_OPTION;
                }
                apply_effect(a, o, argv[++*i]);
                return WORD_OPTION;
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

int cli_parse(int argc, char *const *argv, enum cli_dialect dialect, struct cli_args *ret,
              struct hr_error *err)
{
        const struct option_tables globals = {{global_options, NULL}};
        struct option_tables sub = {{NULL, global_options}};
        struct cli_args a = {.command = CLI_COMMAND_NONE};
        const char *unknown_global = NULL;
        int i;

        *ret = a;
        if (argc < 1 || argc > HR_ARGV_MAX)
                return error_set(err, -E2BIG, "argument count %d out of range (1..%d)", argc,
                                 HR_ARGV_MAX);

        /* Global options, up to the subcommand. */
        for (i = 1; i < argc; i++) {
                const char *w = argv[i];
                if (strcmp(w, "--") == 0) {
                        i++;
                        break;
                }
                if (!is_option_word(w))
                        break;
                if (parse_word(dialect, &globals, argc, argv, &i, &a) == WORD_UNKNOWN &&
                    !unknown_global)
                        unknown_global = w;
        }

        if (i >= argc) {
                *ret = a;
                return 0;
        }

        a.command_name = argv[i];
        a.command = CLI_COMMAND_OTHER;
        for (size_t k = 0; k < ELEMENTSOF(commands); k++)
                if (strcmp(argv[i], commands[k].name) == 0) {
                        a.command = commands[k].command;
                        sub.tables[0] = commands[k].options;
                }

        /* An option we do not know might take a value, so the subcommand may lie elsewhere.
         * That only matters if some later word could be a spec-reading subcommand. */
        if (unknown_global)
                for (int k = i; k < argc; k++)
                        for (size_t c = 0; c < ELEMENTSOF(commands); c++)
                                if (strcmp(argv[k], commands[c].name) == 0) {
                                        *ret = a;
                                        return error_set(err, -EINVAL,
                                                         "unknown global option '%s' before "
                                                         "'%s': cannot tell which subcommand runs",
                                                         unknown_global, argv[k]);
                                }

        if (!cli_command_reads_spec(a.command)) {
                *ret = a;
                return 0;
        }

        for (i++; i < argc; i++) {
                const char *w = argv[i];
                if (strcmp(w, "--") == 0) {
                        if (!a.container_id && i + 1 < argc)
                                a.container_id = argv[i + 1];
                        break;
                }
                if (!is_option_word(w)) {
                        if (!a.container_id)
                                a.container_id = w;
                        /* exec: words after the id are the command. crun stops at the first
                         * non-option for every subcommand; released runc reorders later flags
                         * for create/run/restore and reads them too. */
                        if (a.command == CLI_COMMAND_EXEC || dialect == CLI_DIALECT_CRUN)
                                break;
                        continue;
                }
                if (parse_word(dialect, &sub, argc, argv, &i, &a) == WORD_UNKNOWN) {
                        *ret = a;
                        return error_set(err, -EINVAL, "unknown option '%s' for '%s'", w,
                                         a.command_name);
                }
        }

        if (a.exec.overflow) {
                *ret = a;
                return error_set(err, -E2BIG, "more than %d '--cap' or '--additional-gids' values",
                                 CLI_EXEC_LIST_MAX);
        }
        *ret = a;
        return 0;
}
