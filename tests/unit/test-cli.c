/* Unit tests for cli.c: the argv shapes engines really send, in runc's and crun's grammar. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "cli.h"
#include "tap.h"

#define RUNC (1u << CLI_DIALECT_RUNC)
#define CRUN (1u << CLI_DIALECT_CRUN)
#define BOTH (RUNC | CRUN)
#define MAX_WORDS 32
/* rc of a case whose argv holds an option the runtime lacks: parsed (rc 0), recorded as
 * CLI_FLAG_UNKNOWN for the policy to judge, the parse marked incomplete. */
#define UNKNOWN_OPT 1

struct cli_case {
        const char *name;
        unsigned dialects;
        const char *words[MAX_WORDS]; /* argv[1..], NULL-terminated */
        int rc;
        enum cli_command command;
        const char *command_name;
        const char *bundle;
        const char *config;
        const char *process;
        const char *container_id;
        const char *log_path;
        const char *log_format;
        bool refuses;
        const char *msg_part; /* with rc < 0: part of the message */
};

/* One case per row: clang-format would put every field on its own line. */
/* clang-format off */
static const struct cli_case cases[] = {
        /* ---- what the engines send ---- */
        {"containerd create", BOTH,
         {"--root", "/run/containerd/runc/default", "--log", "/b/log.json", "--log-format", "json",
          "create", "--bundle", "/b", "--pid-file", "/b/init.pid", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", "/b/log.json", "json", false,
         NULL},
        {"containerd create, systemd cgroup, console socket, no-pivot, no-new-keyring", BOTH,
         {"--root", "/run/containerd/runc/k8s.io", "--log", "/b/log.json", "--log-format",
          "json", "--systemd-cgroup", "create", "--bundle", "/b", "--console-socket",
          "/tmp/pty.sock", "--no-pivot", "--no-new-keyring", "--pid-file", "/b/init.pid",
          "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", "/b/log.json", "json", false,
         NULL},
        {"Docker exec", BOTH,
         {"--root", "/run/docker/runtime-runc/moby", "--log", "/b/log.json", "--log-format",
          "json", "exec", "--process", "/tmp/runc-process123", "--detach", "--pid-file",
          "/b/exec.pid", "id1"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, "/tmp/runc-process123", "id1", "/b/log.json",
         "json", false, NULL},
        {"exec: words after the id are the command", BOTH,
         {"exec", "id1", "sh", "-c", "--bundle", "x"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"exec: unknown options after the id are the command's", BOTH,
         {"exec", "--process", "/p.json", "id1", "ls", "--bogus", "--help"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, "/p.json", "id1", NULL, NULL, false, NULL},
        {"exec -p and --process=", BOTH,
         {"exec", "-p", "/a.json", "--process=/b.json", "--tty", "id1"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, "/b.json", "id1", NULL, NULL, false, NULL},
        {"containerd restore", RUNC,
         {"--root", "/run/containerd/runc/default", "--log", "/b/log.json", "--log-format", "json",
          "restore", "--image-path", "/ckpt", "--work-path", "/work", "--detach", "--pid-file",
          "/b/init.pid", "-no-subreaper", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_RESTORE, "restore", "/b", NULL, NULL, "id1", "/b/log.json", "json", false,
         NULL},
        {"restore: Go's single-dash long option is not getopt's", CRUN,
         {"restore", "--image-path", "/ckpt", "-no-subreaper", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_RESTORE, "restore", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "-no-subreaper"},
        {"podman/conmon create", BOTH,
         {"--systemd-cgroup", "--log-format=json", "--log", "/x/oci-log", "create", "--bundle", "/b", "--pid-file", "/p", "--preserve-fds", "2",
          "--console-socket", "/s", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", "/x/oci-log", "json", false,
         NULL},
        {"podman --cgroups=disabled with crun", CRUN,
         {"--cgroup-manager", "disabled", "create", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"runc has no --cgroup-manager: its value looks like the subcommand", RUNC,
         {"--cgroup-manager", "disabled", "create", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_UNKNOWN, "disabled", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--cgroup-manager"},
        {"CRI-O create", BOTH,
         {"--systemd-cgroup", "--root=/run/runc", "create", "--bundle", "/b", "--pid-file",
          "/b/pidfile", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"run with --detach and --keep", RUNC,
         {"run", "--bundle", "/b", "--detach", "--keep", "id1"},
         0, CLI_COMMAND_RUN, "run", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"crun 1.8 has no run --keep", CRUN,
         {"run", "--bundle", "/b", "--detach", "--keep", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_RUN, "run", "/b", NULL, NULL, NULL, NULL, NULL, false, "--keep"},

        /* ---- pass-through ---- */
        {"start", BOTH, {"start", "id1"},
         0, CLI_COMMAND_OTHER, "start", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"state", BOTH, {"--root", "/r", "state", "id1"},
         0, CLI_COMMAND_OTHER, "state", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"delete --force", BOTH, {"delete", "--force", "id1"},
         0, CLI_COMMAND_OTHER, "delete", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"kill id 9", BOTH, {"kill", "id1", "9"},
         0, CLI_COMMAND_OTHER, "kill", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"features", BOTH, {"features"},
         0, CLI_COMMAND_OTHER, "features", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"--version", BOTH, {"--version"},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"-v", BOTH, {"-v"},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"--help", BOTH, {"--help"},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"ps --format json", BOTH, {"ps", "--format", "json", "id1"},
         0, CLI_COMMAND_OTHER, "ps", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"list --format=json", BOTH, {"list", "--format=json"},
         0, CLI_COMMAND_OTHER, "list", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"update --resources=-", BOTH, {"update", "--resources=-", "id1"},
         0, CLI_COMMAND_UPDATE, "update", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"no arguments", BOTH, {NULL},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"only global options", BOTH, {"--log", "/l", "--debug"},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, "/l", NULL, false, NULL},

        /* ---- the bundle option's spellings ---- */
        {"-b DIR", BOTH, {"create", "-b", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"--bundle=DIR", BOTH, {"create", "--bundle=/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"-bundle DIR (Go flag)", RUNC, {"create", "-bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"-bundle DIR (getopt: -b with value 'undle')", CRUN, {"create", "-bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "undle", NULL, NULL, "/b", NULL, NULL, false, NULL},
        {"-bDIR", CRUN, {"create", "-b/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"-bDIR is no Go flag", RUNC, {"create", "-b/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "-b/b"},
        {"clustered -db DIR", CRUN, {"run", "-db", "/b", "id1"},
         0, CLI_COMMAND_RUN, "run", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"prefix --bund DIR", CRUN, {"create", "--bund", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"prefix --bund=DIR", CRUN, {"create", "--bund=/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"prefixes are no Go flags", RUNC, {"create", "--bund", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bund"},
        {"ambiguous prefix --p", CRUN, {"create", "--p", "/x", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--p"},
        {"crun -f cfg.json", CRUN, {"create", "-f", "cfg.json", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", "cfg.json", NULL, "id1", NULL, NULL, false,
         NULL},
        {"crun --config=cfg.json", CRUN, {"run", "--config=cfg.json", "id1"},
         0, CLI_COMMAND_RUN, "run", NULL, "cfg.json", NULL, "id1", NULL, NULL, false, NULL},
        {"repeated --bundle and --log: last wins", BOTH,
         {"--log", "/l1", "--log", "/l2", "--log-format", "text", "--log-format", "json",
          "create", "--bundle", "/b1", "-b", "/b2", "--bundle=/b3", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b3", NULL, NULL, "id1", "/l2", "json", false, NULL},
        {"no --bundle: the current directory", BOTH, {"create", "id1"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},

        /* ---- order of options and operands ---- */
        {"runc reorders flags after the id", RUNC, {"create", "id1", "--bundle", "/b"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"crun stops at the id", CRUN, {"create", "id1", "--bundle", "/b"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"runc reads an unknown flag after the id", RUNC, {"create", "id1", "--bogus"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, "id1", NULL, NULL, false,
         "--bogus"},
        {"crun ignores words after the id", CRUN, {"create", "id1", "--bogus"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"-- ends the options", BOTH, {"create", "--bundle", "/b", "--", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"-- makes an option-looking id", BOTH, {"create", "--", "--bundle", "/x"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, "--bundle", NULL, NULL, false, NULL},
        {"-- before the subcommand", BOTH, {"--log", "/l", "--", "create", "-b", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", "/l", NULL, false, NULL},

        /* ---- errors ---- */
        {"unknown create option", BOTH, {"create", "--bogus", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bogus"},
        {"unknown exec option", BOTH, {"exec", "--bogus", "--process", "/p", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_EXEC, "exec", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bogus"},
        {"unknown global before create", BOTH, {"--bogus", "create", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bogus"},
        {"unknown global with a value before create", BOTH,
         {"--bogus", "/x", "create", "--bundle", "/b", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_UNKNOWN, "/x", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bogus"},
        {"unknown global, create much later", BOTH,
         {"--bogus", "state", "x", "y", "exec"},
         UNKNOWN_OPT, CLI_COMMAND_UNKNOWN, "state", NULL, NULL, NULL, NULL, NULL, NULL, false,
         "--bogus"},
        {"unknown global followed only by state", BOTH, {"--bogus", "state", "id1"},
         0, CLI_COMMAND_OTHER, "state", NULL, NULL, NULL, NULL, NULL, NULL, false, NULL},
        {"--log kept when parsing fails", BOTH,
         {"--log", "/l.json", "--log-format", "json", "create", "--bogus", "id1"},
         UNKNOWN_OPT, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, "/l.json", "json", false,
         "--bogus"},

        /* ---- the runtime will not run it ---- */
        {"create --bundle without its value", BOTH, {"create", "--bundle"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"create -b without its value", BOTH, {"create", "-b"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"exec --process without its value", BOTH, {"exec", "id1", "--process"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"global --log without its value", BOTH, {"--log"},
         0, CLI_COMMAND_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"create --help", BOTH, {"create", "--help", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, true, NULL},
        {"create -?", CRUN, {"create", "-?"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"create -h", RUNC, {"create", "-h"},
         0, CLI_COMMAND_CREATE, "create", NULL, NULL, NULL, NULL, NULL, NULL, true, NULL},
        {"exec --help", BOTH, {"exec", "--help", "id1"},
         0, CLI_COMMAND_EXEC, "exec", NULL, NULL, NULL, "id1", NULL, NULL, true, NULL},
        {"create --help=false", RUNC, {"create", "--help=false", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        {"--help=false before the subcommand", RUNC,
         {"--help=false", "create", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, false, NULL},
        /* Regression (was a bug): Go's bool flags take "=true"/"=1" too, and runc then
         * prints help without creating anything; apply_effect only treats the bare flag as
         * help, so hardrun still reads and rewrites the spec. */
        {"regression: create --help=true", RUNC, {"create", "--help=true", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, true, NULL},
        {"regression: create -h=1", RUNC, {"create", "-h=1", "--bundle", "/b", "id1"},
         0, CLI_COMMAND_CREATE, "create", "/b", NULL, NULL, "id1", NULL, NULL, true, NULL},
};
/* clang-format on */

static const char *dialect_name(enum cli_dialect d)
{
        return d == CLI_DIALECT_CRUN ? "crun" : "runc";
}

static void run_case(const struct cli_case *c, enum cli_dialect d)
{
        const char *argv[MAX_WORDS + 2];
        struct cli_args a;
        struct hr_error err = {0};
        int argc = 0, r;

        argv[argc++] = "hardrun";
        for (size_t i = 0; i < MAX_WORDS && c->words[i]; i++)
                argv[argc++] = c->words[i];
        argv[argc] = NULL;
        memset(&a, 0x5a, sizeof(a)); /* garbage: cli_parse must fill every field */
        r = cli_parse(argc, (char *const *)argv, d, &a, &err);

        is_int(r, c->rc == UNKNOWN_OPT ? 0 : c->rc, "%s [%s]: return code", c->name,
               dialect_name(d));
        if (c->rc == UNKNOWN_OPT) {
                bool seen = false;
                for (size_t k = 0; k < a.n_seen && r == 0; k++)
                        seen |= a.seen[k].flag == CLI_FLAG_UNKNOWN &&
                                strstr(a.seen[k].word, c->msg_part) != NULL;
                ok(seen && a.incomplete, "%s [%s]: unknown option '%s' recorded", c->name,
                   dialect_name(d), c->msg_part);
        } else if (c->rc < 0) {
                is_int(err.code, c->rc, "%s [%s]: error code recorded", c->name, dialect_name(d));
                ok(c->msg_part && strstr(err.msg, c->msg_part) != NULL,
                   "%s [%s]: message names '%s' (%s)", c->name, dialect_name(d), c->msg_part,
                   err.msg);
        } else {
                is_int(err.code, 0, "%s [%s]: no error recorded", c->name, dialect_name(d));
        }
        is_int(a.command, c->command, "%s [%s]: command", c->name, dialect_name(d));
        is_str(a.command_name, c->command_name, "%s [%s]: command_name", c->name, dialect_name(d));
        is_str(a.log_path, c->log_path, "%s [%s]: log_path", c->name, dialect_name(d));
        is_str(a.log_format, c->log_format, "%s [%s]: log_format", c->name, dialect_name(d));
        if (c->rc == 0 || (c->rc == UNKNOWN_OPT && c->bundle)) {
                is_str(a.bundle, c->bundle, "%s [%s]: bundle", c->name, dialect_name(d));
                is_str(a.config, c->config, "%s [%s]: config", c->name, dialect_name(d));
                is_str(a.process, c->process, "%s [%s]: process", c->name, dialect_name(d));
                is_str(a.container_id, c->container_id, "%s [%s]: container_id", c->name,
                       dialect_name(d));
                is_int(a.runtime_refuses, c->refuses, "%s [%s]: runtime_refuses", c->name,
                       dialect_name(d));
        }
}

static void test_table(void)
{
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
                for (int d = 0; d < _CLI_DIALECT_MAX; d++)
                        if (cases[i].dialects & (1u << d))
                                run_case(&cases[i], (enum cli_dialect)d);
}

/* The values point into argv, which cli_parse must not modify. */
static void test_argv_untouched(void)
{
        char w0[] = "hardrun", w1[] = "create", w2[] = "--bundle=/b", w3[] = "id1";
        char *argv[] = {w0, w1, w2, w3, NULL};
        struct cli_args a;
        struct hr_error err = {0};

        is_int(cli_parse(4, argv, CLI_DIALECT_RUNC, &a, &err), 0, "argv: parses");
        ok(a.bundle == w2 + 9, "bundle points into the argv word");
        ok(a.container_id == w3, "container id is the argv word");
        is_str(w2, "--bundle=/b", "argv word unchanged");
}

static void test_argc_bounds(void)
{
        char **argv = calloc(HR_ARGV_MAX + 2, sizeof(*argv));
        struct cli_args a;
        struct hr_error err = {0};
        int r;

        ok(argv != NULL, "allocated a big argv");
        if (!argv)
                return;
        argv[0] = (char *)"hardrun";
        argv[1] = (char *)"state";
        for (int i = 2; i <= HR_ARGV_MAX; i++)
                argv[i] = (char *)"x";
        r = cli_parse(HR_ARGV_MAX, argv, CLI_DIALECT_RUNC, &a, &err);
        is_int(r, 0, "argc == HR_ARGV_MAX is accepted");
        is_int(a.command, CLI_COMMAND_OTHER, "argc == HR_ARGV_MAX: command parsed");

        r = cli_parse(HR_ARGV_MAX + 1, argv, CLI_DIALECT_RUNC, &a, &err);
        is_int(r, -E2BIG, "argc == HR_ARGV_MAX + 1 is refused");
        ok(err.msg[0] != '\0', "argc over the bound has a message (%s)", err.msg);
        is_int(a.command, CLI_COMMAND_NONE, "argc over the bound: nothing parsed");
        ok(a.log_path == NULL && a.bundle == NULL, "argc over the bound: no values");

        err = (struct hr_error){0};
        r = cli_parse(0, argv, CLI_DIALECT_CRUN, &a, &err);
        is_int(r, -E2BIG, "argc == 0 is refused");
        free(argv);
}

static int parse_words(enum cli_dialect d, const char *const *words, struct cli_args *a,
                       struct hr_error *err)
{
        const char *argv[MAX_WORDS + 2];
        int argc = 0;

        argv[argc++] = "hardrun";
        for (size_t i = 0; i < MAX_WORDS && words[i]; i++)
                argv[argc++] = words[i];
        argv[argc] = NULL;
        return cli_parse(argc, (char *const *)argv, d, a, err);
}

/* exec's inline identity flags: --user (last wins), --cap and --additional-gids (all kept). */
static void test_exec_flags(void)
{
        static const char *const all[] = {"exec",
                                          "--user",
                                          "0:0",
                                          "-c",
                                          "CAP_SYS_ADMIN",
                                          "--cap=CAP_NET_RAW",
                                          "-g",
                                          "0",
                                          "--additional-gids",
                                          "10",
                                          "-u",
                                          "1000",
                                          "id1",
                                          "sh",
                                          "-u",
                                          "0",
                                          "--cap",
                                          "CAP_X",
                                          NULL};
        static const char *const all_crun[] = {"exec",
                                               "--user",
                                               "0:0",
                                               "-c",
                                               "CAP_SYS_ADMIN",
                                               "--cap=CAP_NET_RAW",
                                               "-u",
                                               "1000",
                                               "id1",
                                               "sh",
                                               "-u",
                                               "0",
                                               NULL};
        static const char *const crun_short[] = {"exec", "-u0", "-cCAP_CHOWN", "-tg5", "id1", NULL};
        static const char *const none[] = {"exec", "--process", "/p.json", "id1", NULL};
        static const char *const on_create[] = {"create", "--user", "0", "id1", NULL};
        struct hr_error err = {0};
        struct cli_args a;
        char **argv;

        for (int d = 0; d < _CLI_DIALECT_MAX; d++) {
                const char *dn = dialect_name((enum cli_dialect)d);
                /* crun 1.8's exec has no --additional-gids */
                is_int(parse_words((enum cli_dialect)d, d == CLI_DIALECT_CRUN ? all_crun : all, &a,
                                   &err),
                       0, "exec flags [%s]", dn);
                is_str(a.exec.user, "1000", "exec flags [%s]: last --user before the id", dn);
                is_int(a.exec.n_caps, 2, "exec flags [%s]: two caps", dn);
                if (a.exec.n_caps == 2) {
                        is_str(a.exec.caps[0], "CAP_SYS_ADMIN", "exec flags [%s]: -c", dn);
                        is_str(a.exec.caps[1], "CAP_NET_RAW", "exec flags [%s]: --cap=", dn);
                }
                is_int(a.exec.n_gids, d == CLI_DIALECT_CRUN ? 0 : 2, "exec flags [%s]: gids", dn);
                if (a.exec.n_gids == 2) {
                        is_str(a.exec.gids[0], "0", "exec flags [%s]: -g", dn);
                        is_str(a.exec.gids[1], "10", "exec flags [%s]: --additional-gids", dn);
                }
                ok(!a.exec.overflow, "exec flags [%s]: no overflow", dn);
                is_str(a.container_id, "id1", "exec flags [%s]: id", dn);

                is_int(parse_words((enum cli_dialect)d, none, &a, &err), 0, "no flags [%s]", dn);
                ok(a.exec.user == NULL && a.exec.n_caps == 0 && a.exec.n_gids == 0 &&
                           !a.exec.overflow,
                   "no exec flags [%s]: all empty", dn);
                is_int(parse_words((enum cli_dialect)d, on_create, &a, &err), 0,
                       "--user on create parses [%s]", dn);
                ok(a.incomplete && a.n_seen == 1 && a.seen[0].flag == CLI_FLAG_UNKNOWN,
                   "--user is no create option [%s]", dn);
        }
        is_int(parse_words(CLI_DIALECT_CRUN, crun_short, &a, &err), 0, "crun short forms");
        is_str(a.exec.user, "0", "crun -u0");
        ok(a.exec.n_caps == 1 && strcmp(a.exec.caps[0], "CAP_CHOWN") == 0, "crun -cCAP_CHOWN");
        /* --tty takes an optional argument: "-tg5" is --tty=g5 */
        ok(a.exec.n_gids == 0 && a.n_seen == 3 && a.seen[2].flag == CLI_FLAG_TTY &&
                   strcmp(a.seen[2].value, "g5") == 0,
           "crun -tg5 is --tty=g5");

        /* More repeated values than kept: refused, not silently cut. */
        argv = calloc(2 * CLI_EXEC_LIST_MAX + 8, sizeof(*argv));
        if (!argv)
                return;
        for (int n = CLI_EXEC_LIST_MAX; n <= CLI_EXEC_LIST_MAX + 1; n++) {
                int argc = 0, r;
                argv[argc++] = (char *)"hardrun";
                argv[argc++] = (char *)"exec";
                for (int i = 0; i < n; i++) {
                        argv[argc++] = (char *)"--cap";
                        argv[argc++] = (char *)"CAP_KILL";
                }
                argv[argc++] = (char *)"id1";
                argv[argc] = NULL;
                err = (struct hr_error){0};
                r = cli_parse(argc, argv, CLI_DIALECT_RUNC, &a, &err);
                if (n == CLI_EXEC_LIST_MAX) {
                        is_int(r, 0, "%d --cap values accepted", n);
                        is_int(a.exec.n_caps, n, "%d --cap values kept", n);
                } else {
                        is_int(r, -E2BIG, "%d --cap values refused", n);
                        ok(a.exec.overflow, "%d --cap values: overflow flagged", n);
                        ok(strstr(err.msg, "--cap") != NULL, "overflow message (%s)", err.msg);
                }
        }
        free(argv);
}

static void test_helpers(void)
{
        ok(cli_command_reads_spec(CLI_COMMAND_CREATE), "create reads a spec");
        ok(cli_command_reads_spec(CLI_COMMAND_RUN), "run reads a spec");
        ok(cli_command_reads_spec(CLI_COMMAND_RESTORE), "restore reads a spec");
        ok(cli_command_reads_spec(CLI_COMMAND_EXEC), "exec reads a spec");
        ok(!cli_command_reads_spec(CLI_COMMAND_OTHER), "other commands read none");
        ok(!cli_command_reads_spec(CLI_COMMAND_NONE), "no command reads none");
        is_str(cli_command_to_string(CLI_COMMAND_CREATE), "create", "create name");
        is_str(cli_command_to_string(CLI_COMMAND_NONE), "none", "none name");
        is_str(cli_command_to_string(CLI_COMMAND_OTHER), "other", "other name");
        is_str(cli_command_to_string(_CLI_COMMAND_MAX), "invalid", "out-of-range name");
}

int main(void)
{
        test_table();
        test_argv_untouched();
        test_argc_bounds();
        test_exec_flags();
        test_helpers();
        return tap_done();
}
