/* hardrunctl: the admins' tool. It checks, exports and compares seccomp profiles with the same
 * code the runtime uses. Exit status: 0 success, 1 failure (invalid profile, profiles differ),
 * 2 usage error (and, for diff, a profile that cannot be compared). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bounds.h"
#include "config.h"
#include "json.h"
#include "seccomp-profile.h"
#include "util/cleanup.h"

enum {
        CTL_EXIT_OK = 0,
        CTL_EXIT_FAIL = 1,
        CTL_EXIT_USAGE = 2,
};

struct command;

/* The parsed command line; tests can build one without argv. */
struct ctl_args {
        const struct command *command;
        enum seccomp_export_format format;
        enum seccomp_unknown_names unknown;
        char **operands;
        int n_operands;
};

struct command {
        const char *group, *verb;
        int min_operands, max_operands;
        bool takes_format;
        int (*run)(const struct ctl_args *a);
};

static const char usage_text[] =
        "Usage: hardrunctl seccomp check [--unknown-syscalls error|ignore] PROFILE...\n"
        "       hardrunctl seccomp export [--format bpf|pfc] [--unknown-syscalls ...] PROFILE\n"
        "       hardrunctl seccomp diff [--unknown-syscalls ...] PROFILE-A PROFILE-B\n"
        "       hardrunctl --help | --version\n"
        "\n"
        "PROFILE is a file or the name of a built-in profile (default, strict); write ./NAME for\n"
        "a file named like a built-in profile. Unknown syscall names are errors unless\n"
        "--unknown-syscalls ignore (the policy's rules.seccomp.unknown_syscalls).\n"
        "\n"
        "check   validate as runc and crun load it, compile with libseccomp; one line per problem\n"
        "export  the compiled filter: raw BPF (default; not to a terminal) or libseccomp's PFC\n"
        "diff    syscalls allowed by A and not by B ('<') and by B and not by A ('>'), per\n"
        "        architecture\n"
        "\n"
        "Exit status: 0 valid / no differences, 1 invalid / differences, 2 usage error (diff: or\n"
        "a profile that cannot be compared). See hardrunctl(8).\n";

static void ctl_error(const char *msg)
{
        fprintf(stderr, "hardrunctl: %s\n", msg);
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
        return 0;
}

static void print_lines(FILE *f, const struct seccomp_lines *l)
{
        for (size_t i = 0; i < l->n; i++)
                fprintf(f, "%s\n", l->lines[i]);
        if (l->total > l->n)
                fprintf(f, "... and %zu more\n", l->total - l->n);
}

static int run_check(const struct ctl_args *a)
{
        int status = CTL_EXIT_OK;

        for (int i = 0; i < a->n_operands; i++) {
                _cleanup_free_ char *source = NULL;
                struct seccomp_lines problems = {0};
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
                seccomp_lines_done(&problems);
                json_free(doc);
        }
        return status;
}

static int run_export(const struct ctl_args *a)
{
        _cleanup_free_ char *source = NULL;
        struct seccomp_source src;
        struct hr_error err = {0};
        struct json *doc = NULL;
        int r;

        if (a->format == SECCOMP_EXPORT_BPF && isatty(STDOUT_FILENO)) {
                ctl_error("refusing to write a binary BPF program to a terminal; redirect "
                          "standard output or use --format pfc");
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

static int run_diff(const struct ctl_args *a)
{
        _cleanup_free_ char *source_a = NULL;
        _cleanup_free_ char *source_b = NULL;
        struct seccomp_lines out = {0};
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
        seccomp_lines_done(&out);
        json_free(doc_a);
        json_free(doc_b);
        return status;
}

static const struct command commands[] = {
        {"seccomp", "check", 1, HR_ARGV_MAX, false, run_check},
        {"seccomp", "export", 1, 1, true, run_export},
        {"seccomp", "diff", 2, 2, false, run_diff},
};

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

static int parse_args(int argc, char **argv, struct ctl_args *ret)
{
        struct ctl_args a = {.format = SECCOMP_EXPORT_BPF, .unknown = SECCOMP_UNKNOWN_ERROR};
        bool options_done = false;
        const char *v;

        if (argc > HR_ARGV_MAX)
                return usage_error("%s", "too many arguments");
        if (argc < 3)
                return usage_error("%s", argc < 2 ? "no command" : "no subcommand");
        for (size_t c = 0; c < ELEMENTSOF(commands); c++)
                if (strcmp(commands[c].group, argv[1]) == 0 &&
                    strcmp(commands[c].verb, argv[2]) == 0)
                        a.command = &commands[c];
        if (!a.command)
                return usage_error("unknown command '%s %s'", argv[1], argv[2]);
        a.operands = calloc((size_t)argc, sizeof(*a.operands));
        if (!a.operands)
                return usage_error("%s", "out of memory");
        for (int i = 3; i < argc; i++) {
                if (options_done || argv[i][0] != '-' || strcmp(argv[i], "-") == 0) {
                        a.operands[a.n_operands++] = argv[i];
                } else if (strcmp(argv[i], "--") == 0) {
                        options_done = true;
                } else if (a.command->takes_format &&
                           (v = option_value(argc, argv, &i, "--format"))) {
                        if ((a.format = seccomp_export_format_from_string(v)) < 0)
                                goto fail_value;
                } else if ((v = option_value(argc, argv, &i, "--unknown-syscalls"))) {
                        if ((a.unknown = seccomp_unknown_names_from_string(v)) < 0)
                                goto fail_value;
                } else {
                        free(a.operands);
                        return usage_error("unknown or incomplete option '%s'", argv[i]);
                }
                continue;
fail_value:
                free(a.operands);
                return usage_error("invalid value '%s'", v);
        }
        if (a.n_operands < a.command->min_operands || a.n_operands > a.command->max_operands) {
                free(a.operands);
                return usage_error("wrong number of profiles for '%s'", a.command->verb);
        }
        *ret = a;
        return 0;
}

int main(int argc, char **argv)
{
        struct ctl_args a;
        int status;

        if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
                fputs(usage_text, stdout);
                return CTL_EXIT_OK;
        }
        if (argc == 2 && strcmp(argv[1], "--version") == 0) {
                printf("hardrunctl %s\n", HARDRUN_VERSION);
                return CTL_EXIT_OK;
        }
        if (parse_args(argc, argv, &a) < 0)
                return CTL_EXIT_USAGE;
        status = a.command->run(&a);
        free(a.operands);
        if (fflush(stdout) != 0 || ferror(stdout)) {
                ctl_error("cannot write to standard output");
                return CTL_EXIT_FAIL;
        }
        return status;
}
