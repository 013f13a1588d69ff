/* hardrunctl: the admins' tool, a command table over the modules the runtime uses: lint a spec
 * (check, diff), inspect the policy, read the audit log, report versions, check, export and
 * compare seccomp profiles, and register hardrun with an engine (install). Exit status: 0 success,
 * 1 a negative answer (findings, changes, an invalid policy or profile, profiles that differ), 2
 * usage error or a failure to answer. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auditlog-records.h"
#include "auditlog.h"
#include "bounds.h"
#include "config.h"
#include "ctl-check.h"
#include "ctl-diff.h"
#include "ctl-help.h"
#include "ctl-install.h"
#include "ctl-policy.h"
#include "ctl-version.h"
#include "fileio.h"
#include "json.h"
#include "lint.h"
#include "policy.h"
#include "seccomp-diff.h"
#include "seccomp-docker.h"
#include "seccomp-profile.h"
#include "util/cleanup.h"

enum {
        CTL_EXIT_OK = 0,
        CTL_EXIT_FAIL = 1,
        CTL_EXIT_USAGE = 2,
        CTL_EXIT_ERROR = 2,
};

/* Options, as bits of struct command.options. */
enum {
        OPT_FORMAT = 1 << 0,
        OPT_UNKNOWN = 1 << 1,
        OPT_POLICY = 1 << 2,
        OPT_JSON = 1 << 3,
        OPT_PROCESS = 1 << 4,
        OPT_FILE = 1 << 5,
        OPT_SINCE = 1 << 6,
        OPT_CONTAINER = 1 << 7,
        OPT_RULE = 1 << 8,
        OPT_INSTALL = 1 << 9,  /* --config, --dry-run */
        OPT_RUNTIME = 1 << 10, /* --runtime, --no-default */
        OPT_DOCKER = 1 << 11,  /* --arch, --caps, --kernel */
        OPT_ACTION = 1 << 12,  /* log --action */
        OPT_RECORDS = 1 << 13, /* log --records */
        OPT_FOLLOW = 1 << 14,  /* log --follow */
        OPT_STATE = 1 << 15,   /* policy install --state-dir */
};

struct command;

/* The parsed command line; tests can build one without argv. */
struct ctl_args {
        const struct command *command;
        enum seccomp_export_format format;
        enum seccomp_unknown_names unknown;
        const char *policy; /* --policy, else the runtime's policy path */
        bool json;
        bool process;
        const char *file;      /* log --file */
        char since[32];        /* log --since, normalised; "" when not given */
        const char *container; /* log --container */
        const char *rule;      /* log --rule */
        const char *action;    /* log --action */
        bool records, follow;  /* log --records, --follow */
        const char *config;    /* install --config */
        const char *runtime;   /* install --runtime */
        const char *state_dir; /* policy install --state-dir */
        bool dry_run, no_default;
        struct seccomp_docker_target target; /* seccomp: what Docker's format resolves for */
        char **operands;
        int n_operands;
};

struct command {
        const char *group; /* NULL for a one-word command */
        const char *verb;
        int min_operands, max_operands;
        unsigned options;
        int (*run)(const struct ctl_args *a);
};

static void ctl_error(const char *msg)
{
        fprintf(stderr, "hardrunctl: %s\n", msg);
}

/* A profile in Docker's format becomes what the engine would write into config.json for one
 * container: for this host (or --arch, --kernel) and Docker's default capabilities (or --caps).
 * The output says so, on stderr where stdout is a BPF program. */
static int resolve_docker(const struct ctl_args *a, struct json **doc, const char *source)
{
        struct hr_error err = {0};
        struct json *resolved = NULL;
        char what[1024];

        if (seccomp_docker_resolve(*doc, &a->target, &resolved, &err) < 0) {
                fprintf(stderr, "hardrunctl: %s: %s\n", source, err.msg);
                return -1;
        }
        json_free(*doc);
        *doc = resolved;
        seccomp_docker_describe(&a->target, what, sizeof(what));
        fprintf((a->command->options & OPT_FORMAT) ? stderr : stdout,
                "# %s: Docker's profile format, resolved as the engine would for %s\n", source,
                what);
        return 0;
}

static int load(const char *name, const struct ctl_args *a, struct json **ret_doc,
                char **ret_source, struct seccomp_source *ret_src)
{
        struct hr_error err = {0};

        if (seccomp_profile_read(name, false, ret_doc, ret_source, &err) < 0) {
                ctl_error(err.msg);
                return -1;
        }
        *ret_src = (struct seccomp_source){*ret_source, "", a->unknown};
        if (seccomp_docker_is_profile(*ret_doc) && resolve_docker(a, ret_doc, *ret_source) < 0) {
                *ret_doc = json_free(*ret_doc);
                return -1;
        }
        return 0;
}

static void print_lines(FILE *f, const struct lines *l)
{
        for (size_t i = 0; i < l->n; i++)
                fprintf(f, "%s\n", l->lines[i]);
        if (l->total > l->n)
                fprintf(f, "... and %zu more\n", l->total - l->n);
}

static int run_seccomp_check(const struct ctl_args *a)
{
        int status = CTL_EXIT_OK;

        for (int i = 0; i < a->n_operands; i++) {
                _cleanup_free_ char *source = NULL;
                struct lines problems = {0};
                struct seccomp_source src;
                struct hr_error err = {0};
                struct json *doc = NULL;
                int r;

                if (load(a->operands[i], a, &doc, &source, &src) < 0) {
                        status = CTL_EXIT_FAIL;
                        continue;
                }
                r = seccomp_profile_check(doc, &src, &problems, &err);
                if (r == 0)
                        printf("%s: ok\n", source);
                else if (r == -EINVAL)
                        print_lines(stdout, &problems);
                else
                        ctl_error(err.msg);
                if (r < 0)
                        status = CTL_EXIT_FAIL;
                lines_done(&problems);
                json_free(doc);
        }
        return status;
}

static int run_seccomp_export(const struct ctl_args *a)
{
        _cleanup_free_ char *source = NULL;
        struct seccomp_source src;
        struct hr_error err = {0};
        struct json *doc = NULL;
        int r;

        if (a->format == SECCOMP_EXPORT_BPF && isatty(STDOUT_FILENO)) {
                ctl_error("refusing to write a binary BPF program to a terminal; redirect "
                          "standard output or use --format pfc or json");
                return CTL_EXIT_USAGE;
        }
        if (load(a->operands[0], a, &doc, &source, &src) < 0)
                return CTL_EXIT_FAIL;
        fflush(stdout);
        r = seccomp_profile_export(doc, &src, a->format, STDOUT_FILENO, &err);
        json_free(doc);
        if (r < 0) {
                ctl_error(err.msg);
                return CTL_EXIT_FAIL;
        }
        return CTL_EXIT_OK;
}

static int run_seccomp_diff(const struct ctl_args *a)
{
        _cleanup_free_ char *source_a = NULL;
        _cleanup_free_ char *source_b = NULL;
        struct lines out = {0};
        struct seccomp_source src_a, src_b;
        struct json *doc_a = NULL, *doc_b = NULL;
        struct hr_error err = {0};
        int status = CTL_EXIT_USAGE;

        if (load(a->operands[0], a, &doc_a, &source_a, &src_a) < 0 ||
            load(a->operands[1], a, &doc_b, &source_b, &src_b) < 0)
                goto out;
        if (seccomp_profile_diff(doc_a, &src_a, doc_b, &src_b, &out, &err) < 0) {
                ctl_error(err.msg);
                goto out;
        }
        print_lines(stdout, &out);
        status = out.total ? CTL_EXIT_FAIL : CTL_EXIT_OK;
out:
        lines_done(&out);
        json_free(doc_a);
        json_free(doc_b);
        return status;
}

static void lint_spec_donep(struct lint_spec *s)
{
        lint_spec_done(s);
}

/* Colour for people at a terminal only (and never with NO_COLOR, https://no-color.org). */
static bool is_color_wanted(void)
{
        const char *term = getenv("TERM");

        return isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
}

static int load_policy(const struct ctl_args *a, struct policy **ret)
{
        struct hr_error err = {0};

        if (policy_load(a->policy, ret, &err) < 0) {
                ctl_error(err.msg);
                return -1;
        }
        ctl_policy_note_off(stderr, *ret);
        return 0;
}

static int lint(const struct ctl_args *a, struct policy *p, const char *path, struct lint_spec *s)
{
        struct hr_error err = {0};

        if (lint_spec_read(path, a->process ? LINT_KIND_PROCESS : LINT_KIND_DETECT, s, &err) < 0 ||
            lint_spec_run(p, s, &err) < 0) {
                ctl_error(err.msg);
                return -1;
        }
        return 0;
}

static int run_check(const struct ctl_args *a)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(json_freep) struct json *array = NULL;
        _cleanup_free_ char *text = NULL;
        struct hr_error err = {0};
        bool color = is_color_wanted(), findings = false, failed = false;
        size_t len;

        if (load_policy(a, &p) < 0)
                return CTL_EXIT_ERROR;
        if (a->json && !(array = json_new_array())) {
                ctl_error("out of memory");
                return CTL_EXIT_ERROR;
        }
        for (int i = 0; i < a->n_operands; i++) {
                _cleanup_(lint_spec_donep) struct lint_spec s = {0};
                if (lint(a, p, a->operands[i], &s) < 0) {
                        failed = true;
                        continue;
                }
                findings = findings || s.found.n > 0;
                if (!a->json) {
                        ctl_check_print_text(stdout, &s, color);
                } else if (ctl_check_append_json(array, p, &s, &err) < 0) {
                        ctl_error(err.msg);
                        return CTL_EXIT_ERROR;
                }
        }
        if (a->json) {
                if (json_write_pretty(array, &text, &len, &err) < 0) {
                        ctl_error(err.msg);
                        return CTL_EXIT_ERROR;
                }
                fwrite(text, 1, len, stdout);
        }
        return failed ? CTL_EXIT_ERROR : findings ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int run_diff(const struct ctl_args *a)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(lint_spec_donep) struct lint_spec s = {0};
        struct hr_error err = {0};
        int r;

        if (load_policy(a, &p) < 0 || lint(a, p, a->operands[0], &s) < 0)
                return CTL_EXIT_ERROR;
        fflush(stdout);
        r = ctl_diff_print(stdout, stderr, &s, &err);
        if (r < 0) {
                ctl_error(err.msg);
                return CTL_EXIT_ERROR;
        }
        return r ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int run_policy_validate(const struct ctl_args *a)
{
        return ctl_policy_validate(stdout, stderr, a->operands[0]);
}

static int run_policy_install(const struct ctl_args *a)
{
        return ctl_policy_install(stdout, stderr, a->operands[0], a->policy, a->state_dir);
}

static int run_policy_show(const struct ctl_args *a)
{
        return ctl_policy_show(stdout, stderr, a->policy);
}

static int run_policy_explain(const struct ctl_args *a)
{
        return ctl_policy_explain(stdout, stderr, a->n_operands ? a->operands[0] : NULL);
}

static int run_version(const struct ctl_args *a)
{
        return ctl_version_print(stdout, a->policy);
}

/* --records and --follow: the records themselves. */
static int run_log_records(const struct ctl_args *a, int fd, const char *file,
                           const struct auditlog_filter *filter)
{
        struct auditlog_view v = {filter, a->json, stdout, a->follow ? stderr : NULL};
        struct hr_error err = {0};
        int r;

        r = a->follow ? auditlog_follow(&v, file, a->since[0] != '\0', &err)
                      : auditlog_show_records(&v, fd, file, &err);
        if (r < 0) {
                ctl_error(err.msg);
                return CTL_EXIT_ERROR;
        }
        /* On standard error: standard output may be JSON lines. */
        if (v.unparseable)
                fprintf(stderr, "hardrunctl: %s: skipped %llu unparseable line%s\n", file,
                        v.unparseable, v.unparseable == 1 ? "" : "s");
        if (v.too_long)
                fprintf(stderr, "hardrunctl: %s: skipped %llu line%s over %u bytes\n", file,
                        v.too_long, v.too_long == 1 ? "" : "s", AUDITLOG_LINE_MAX);
        if (!a->json && v.shown == 0)
                printf("audit log %s: no record matched\n", file);
        return CTL_EXIT_OK;
}

static int run_log(const struct ctl_args *a)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(json_freep) struct json *doc = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -1;
        const struct auditlog_filter filter = {a->since[0] ? a->since : NULL, a->container, a->rule,
                                               a->action};
        struct auditlog_summary sum;
        struct hr_error err = {0};
        const char *file = a->file;
        size_t len;

        if (!file) {
                if (load_policy(a, &p) < 0)
                        return CTL_EXIT_ERROR;
                if (!p->audit.file) {
                        ctl_error("the policy writes no audit file (audit.file is null): name "
                                  "one with --file");
                        return CTL_EXIT_ERROR;
                }
                file = p->audit.file;
        }
        if (a->follow && strcmp(file, "-") == 0) {
                ctl_error("--follow needs a file: standard input cannot be followed");
                return CTL_EXIT_USAGE;
        }
        if (a->follow)
                return run_log_records(a, -1, file, &filter);
        if (strcmp(file, "-") == 0) {
                file = "(standard input)";
                fd = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3);
                if (fd < 0) {
                        ctl_error("cannot read standard input");
                        return CTL_EXIT_ERROR;
                }
        } else {
                fd = fileio_open_regular(AT_FDCWD, file, false, NULL, &err);
        }
        /* The policy's log appears with hardrun's first decision: nothing to read is no error,
         * just an empty summary. */
        if (fd == -ENOENT && !a->file) {
                error_release(&err);
                sum = (struct auditlog_summary){0};
                if (!a->json)
                        printf("audit log %s: does not exist yet (hardrun has recorded nothing)\n",
                               file);
                if (a->records)
                        return CTL_EXIT_OK;
        } else if (fd < 0) {
                error_prefix(&err, "%s: ", file);
                ctl_error(err.msg);
                return CTL_EXIT_ERROR;
        } else if (a->records) {
                return run_log_records(a, fd, file, &filter);
        } else if (auditlog_summarise(fd, file, &filter, &sum, &err) < 0) {
                ctl_error(err.msg);
                return CTL_EXIT_ERROR;
        } else if (!a->json) {
                auditlog_print_text(stdout, file, &sum);
        }
        if (a->json && (auditlog_to_json(file, &sum, &doc, &err) < 0 ||
                        json_write_pretty(doc, &text, &len, &err) < 0)) {
                auditlog_summary_done(&sum);
                ctl_error(err.msg);
                return CTL_EXIT_ERROR;
        }
        if (a->json)
                fwrite(text, 1, len, stdout);
        auditlog_summary_done(&sum);
        return CTL_EXIT_OK;
}

static int run_install(const struct ctl_args *a)
{
        const struct ctl_install_args ia = {
                .engine = a->operands[0],
                .config = a->config,
                .runtime = a->runtime,
                .uninstall = strcmp(a->command->verb, "uninstall") == 0,
                .dry_run = a->dry_run,
                .no_default = a->no_default,
        };

        return ctl_install(stdout, stderr, &ia);
}

static int run_help(const struct ctl_args *a);

static const struct command commands[] = {
        {NULL, "check", 1, HR_ARGV_MAX, OPT_POLICY | OPT_PROCESS | OPT_JSON, run_check},
        {NULL, "diff", 1, 1, OPT_POLICY | OPT_PROCESS, run_diff},
        {"policy", "validate", 1, 1, 0, run_policy_validate},
        {"policy", "install", 1, 1, OPT_POLICY | OPT_STATE, run_policy_install},
        {"policy", "show", 0, 0, OPT_POLICY, run_policy_show},
        {"policy", "explain", 0, 1, 0, run_policy_explain},
        {NULL, "log", 0, 0,
         OPT_POLICY | OPT_FILE | OPT_SINCE | OPT_CONTAINER | OPT_RULE | OPT_ACTION | OPT_RECORDS |
                 OPT_FOLLOW | OPT_JSON,
         run_log},
        {NULL, "version", 0, 0, OPT_POLICY, run_version},
        {"seccomp", "check", 1, HR_ARGV_MAX, OPT_UNKNOWN | OPT_DOCKER, run_seccomp_check},
        {"seccomp", "export", 1, 1, OPT_FORMAT | OPT_UNKNOWN | OPT_DOCKER, run_seccomp_export},
        {"seccomp", "diff", 2, 2, OPT_UNKNOWN | OPT_DOCKER, run_seccomp_diff},
        {NULL, "install", 1, 1, OPT_INSTALL | OPT_RUNTIME, run_install},
        {NULL, "uninstall", 1, 1, OPT_INSTALL, run_install},
        {NULL, "help", 0, 2, 0, run_help},
};

/* "policy show" for a command, into buf. */
static const char *command_name(const struct command *c, char *buf, size_t size)
{
        snprintf(buf, size, "%s%s%s", c->group ? c->group : "", c->group ? " " : "", c->verb);
        return buf;
}

static int run_help(const struct ctl_args *a)
{
        char name[64];

        if (a->n_operands == 0) {
                ctl_help_print_overview(stdout);
                return CTL_EXIT_OK;
        }
        snprintf(name, sizeof(name), "%s%s%s", a->operands[0], a->n_operands > 1 ? " " : "",
                 a->n_operands > 1 ? a->operands[1] : "");
        if (ctl_help_print(stdout, name) < 0) {
                const char *near = ctl_help_suggest_command(
                        a->n_operands > 1 ? a->operands[0] : NULL, a->operands[a->n_operands - 1]);
                fprintf(stderr, "hardrunctl: no command '%s'%s%s%s; try 'hardrunctl --help'\n",
                        name, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
                return CTL_EXIT_USAGE;
        }
        return CTL_EXIT_OK;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
        va_list ap;

        fprintf(stderr, "hardrunctl: ");
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
        fprintf(stderr, "\nTry 'hardrunctl --help'.\n");
        return -1;
}

/* "--name value" or "--name=value"; advances *i past a separate value. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
        size_t len = strlen(name);

        if (strncmp(argv[*i], name, len) != 0)
                return NULL;
        if (argv[*i][len] == '=')
                return argv[*i] + len + 1;
        if (argv[*i][len] == '\0' && *i + 1 < argc)
                return argv[++*i];
        return NULL;
}

static const struct command *command_find(int argc, char **argv, int *ret_first)
{
        for (size_t c = 0; c < ELEMENTSOF(commands); c++) {
                const struct command *cmd = &commands[c];
                if (!cmd->group && strcmp(cmd->verb, argv[1]) == 0) {
                        *ret_first = 2;
                        return cmd;
                }
                if (cmd->group && argc > 2 && strcmp(cmd->group, argv[1]) == 0 &&
                    strcmp(cmd->verb, argv[2]) == 0) {
                        *ret_first = 3;
                        return cmd;
                }
        }
        return NULL;
}

static bool is_group(const char *word)
{
        for (size_t c = 0; c < ELEMENTSOF(commands); c++)
                if (commands[c].group && strcmp(commands[c].group, word) == 0)
                        return true;
        return false;
}

/* One option of the command at argv[*i]: 0 taken, -1 a usage error (reported). */
static int parse_option(int argc, char **argv, int *i, struct ctl_args *a)
{
        unsigned allowed = a->command->options;
        struct hr_error err = {0};
        const char *v;

        if ((allowed & OPT_JSON) && strcmp(argv[*i], "--json") == 0) {
                a->json = true;
        } else if ((allowed & OPT_PROCESS) && strcmp(argv[*i], "--process") == 0) {
                a->process = true;
        } else if ((allowed & OPT_RECORDS) && strcmp(argv[*i], "--records") == 0) {
                a->records = true;
        } else if ((allowed & OPT_FOLLOW) && strcmp(argv[*i], "--follow") == 0) {
                a->records = a->follow = true;
        } else if ((allowed & OPT_POLICY) && (v = option_value(argc, argv, i, "--policy"))) {
                a->policy = v;
        } else if ((allowed & OPT_STATE) && (v = option_value(argc, argv, i, "--state-dir"))) {
                a->state_dir = v;
        } else if ((allowed & OPT_FILE) && (v = option_value(argc, argv, i, "--file"))) {
                a->file = v;
        } else if ((allowed & OPT_CONTAINER) && (v = option_value(argc, argv, i, "--container"))) {
                a->container = v;
        } else if ((allowed & OPT_SINCE) && (v = option_value(argc, argv, i, "--since"))) {
                if (auditlog_since_parse(v, time(NULL), a->since, sizeof(a->since), &err) < 0)
                        return usage_error("--since: %s", err.msg);
        } else if ((allowed & OPT_RULE) && (v = option_value(argc, argv, i, "--rule"))) {
                /* command_line: what the policy's section of that name judged. */
                if (rule_id_from_string(v) < 0 && strcmp(v, "command_line") != 0) {
                        fprintf(stderr, "hardrunctl: --rule: unknown rule '%s'; known rules: ", v);
                        ctl_policy_print_rules(stderr);
                        return -1;
                }
                a->rule = v;
        } else if ((allowed & OPT_ACTION) && (v = option_value(argc, argv, i, "--action"))) {
                if (finding_action_from_string(v) == _FINDING_ACTION_MAX) {
                        fprintf(stderr,
                                "hardrunctl: --action: unknown action '%s'; known actions: ", v);
                        for (int x = 0; x < _FINDING_ACTION_MAX; x++)
                                fprintf(stderr, "%s%s", x ? ", " : "",
                                        finding_action_to_string((enum finding_action)x));
                        fputc('\n', stderr);
                        return -1;
                }
                a->action = v;
        } else if ((allowed & OPT_FORMAT) && (v = option_value(argc, argv, i, "--format"))) {
                if ((a->format = seccomp_export_format_from_string(v)) < 0)
                        return usage_error("invalid value '%s'", v);
        } else if ((allowed & OPT_UNKNOWN) &&
                   (v = option_value(argc, argv, i, "--unknown-syscalls"))) {
                if ((a->unknown = seccomp_unknown_names_from_string(v)) < 0)
                        return usage_error("invalid value '%s'", v);
        } else if ((allowed & OPT_INSTALL) && (v = option_value(argc, argv, i, "--config"))) {
                a->config = v;
        } else if ((allowed & OPT_INSTALL) && strcmp(argv[*i], "--dry-run") == 0) {
                a->dry_run = true;
        } else if ((allowed & OPT_RUNTIME) && (v = option_value(argc, argv, i, "--runtime"))) {
                a->runtime = v;
        } else if ((allowed & OPT_RUNTIME) && strcmp(argv[*i], "--no-default") == 0) {
                a->no_default = true;
        } else if ((allowed & OPT_DOCKER) && (v = option_value(argc, argv, i, "--arch"))) {
                if (seccomp_docker_target_arch(&a->target, v, &err) < 0)
                        return usage_error("%s", err.msg);
        } else if ((allowed & OPT_DOCKER) && (v = option_value(argc, argv, i, "--caps"))) {
                if (seccomp_docker_target_caps(&a->target, v, &err) < 0)
                        return usage_error("%s", err.msg);
        } else if ((allowed & OPT_DOCKER) && (v = option_value(argc, argv, i, "--kernel"))) {
                if (seccomp_docker_target_kernel(&a->target, v, &err) < 0)
                        return usage_error("%s", err.msg);
        } else {
                char name[64], opt[64];
                const char *near;

                command_name(a->command, name, sizeof(name));
                snprintf(opt, sizeof(opt), "%.*s", (int)strcspn(argv[*i], "="), argv[*i]);
                near = ctl_help_suggest_option(name, opt);
                return usage_error("unknown or incomplete option '%s' for '%s'%s%s%s", argv[*i],
                                   name, near ? " (did you mean '" : "", near ? near : "",
                                   near ? "'?)" : "");
        }
        return 0;
}

static int parse_args(int argc, char **argv, struct ctl_args *ret)
{
        struct ctl_args a = {
                .format = SECCOMP_EXPORT_BPF,
                .unknown = SECCOMP_UNKNOWN_ERROR,
                .policy = HARDRUN_POLICY_PATH,
                .state_dir = HARDRUN_STATE_DIR,
        };
        bool options_done = false;
        int first;

        if (argc > HR_ARGV_MAX)
                return usage_error("%s", "too many arguments");
        if (argc < 2)
                return usage_error("%s", "no command");
        a.command = command_find(argc, argv, &first);
        if (!a.command) {
                const char *near;

                if (is_group(argv[1]) && argc > 2 &&
                    (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
                        return ctl_help_print(stdout, argv[1]) < 0 ? -1 : 1;
                if (is_group(argv[1]) && argc < 3)
                        return usage_error("no subcommand for '%s' (see 'hardrunctl help %s')",
                                           argv[1], argv[1]);
                near = ctl_help_suggest_command(is_group(argv[1]) ? argv[1] : NULL,
                                                argv[is_group(argv[1]) ? 2 : 1]);
                if (is_group(argv[1]))
                        return usage_error("unknown command '%s %s'%s%s%s%s%s", argv[1], argv[2],
                                           near ? " (did you mean '" : "", near ? argv[1] : "",
                                           near ? " " : "", near ? near : "", near ? "'?)" : "");
                return usage_error("unknown command '%s'%s%s%s", argv[1],
                                   near ? " (did you mean '" : "", near ? near : "",
                                   near ? "'?)" : "");
        }
        /* Docker's seccomp format resolves for this host unless --arch names another. */
        if ((a.command->options & OPT_DOCKER) &&
            seccomp_docker_target_host(&a.target, &(struct hr_error){0}) < 0)
                a.target.arch = NULL;
        for (int i = first; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
                        char name[64];
                        return ctl_help_print(stdout, command_name(a.command, name, sizeof(name))) <
                                               0
                                       ? -1
                                       : 1;
                }
        a.operands = calloc((size_t)argc, sizeof(*a.operands));
        if (!a.operands)
                return usage_error("%s", "out of memory");
        for (int i = first; i < argc; i++) {
                if (options_done || argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
                        a.operands[a.n_operands++] = argv[i];
                } else if (strcmp(argv[i], "--") == 0) {
                        options_done = true;
                } else if (parse_option(argc, argv, &i, &a) < 0) {
                        free(a.operands);
                        return -1;
                }
        }
        if (a.n_operands < a.command->min_operands || a.n_operands > a.command->max_operands) {
                char name[64];
                free(a.operands);
                command_name(a.command, name, sizeof(name));
                return usage_error("wrong number of arguments for '%s' (see 'hardrunctl help "
                                   "%s')",
                                   name, name);
        }
        if ((a.command->options & OPT_DOCKER) && !a.target.arch) {
                free(a.operands);
                return usage_error("%s", "this host's architecture has no name in Docker's "
                                         "profile format: name one with --arch");
        }
        *ret = a;
        return 0;
}

int main(int argc, char **argv)
{
        struct ctl_args a;
        int status;

        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                ctl_help_print_overview(stdout);
                return CTL_EXIT_OK;
        }
        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("hardrunctl %s\n", HARDRUN_VERSION);
                return CTL_EXIT_OK;
        }
        status = parse_args(argc, argv, &a);
        if (status != 0)
                return status < 0 ? CTL_EXIT_USAGE : CTL_EXIT_OK;
        status = a.command->run(&a);
        free(a.operands);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                ctl_error("cannot write to standard output");
                return status == CTL_EXIT_OK ? CTL_EXIT_FAIL : status;
        }
        return status;
}
