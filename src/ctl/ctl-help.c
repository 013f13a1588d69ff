/* hardrunctl's help texts, one entry per command: the overview and each command's page are
 * written from them, so usage lines, options and the man page's list cannot drift apart
 * (tests/unit/test-man.sh compares them). */
#include "ctl-help.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "config.h"
#include "util/cleanup.h"
#include "util/suggest.h"

#define POLICY_OPT                                                 \
        {                                                          \
                "--policy", "FILE",                                \
                        "the policy (default " HARDRUN_POLICY_PATH \
                        "; the built-in default when it does not " \
                        "exist)"                                   \
        }
#define UNKNOWN_OPT                                                                         \
        {                                                                                   \
                "--unknown-syscalls", "error|ignore",                                       \
                        "a syscall name libseccomp does not know: a problem (default), or " \
                        "skipped as runc "                                                  \
                        "and crun skip it"                                                  \
        }
#define DOCKER_OPTS                                                                             \
        {"--arch", "ARCH",                                                                      \
         "resolve Docker's profile format for ARCH (amd64, arm64, ...; default: this host's)"}, \
                {"--caps", "LIST",                                                              \
                 "... for the capabilities in LIST (comma-separated; default: Docker's 14, "    \
                 "'default'; also 'all', 'none')"},                                             \
        {                                                                                       \
                "--kernel", "VERSION", "... for kernel VERSION (default: this host's)"          \
        }
#define CONFIG_OPT                                                                      \
        {                                                                               \
                "--config", "FILE",                                                     \
                        "the engine's file to edit (default: /etc/docker/daemon.json, " \
                        "/etc/containerd/config.toml, "                                 \
                        "/etc/containers/containers.conf.d/hardrun.conf)"               \
        }
#define DRY_RUN_OPT                                                                       \
        {                                                                                 \
                "--dry-run", NULL, "print the unified diff of the change, change nothing" \
        }

static const char engines[] = "docker|containerd|podman";

static const struct ctl_command_doc docs[] = {
        {"check",
         "BUNDLE|SPEC...",
         "lint a bundle, config.json or exec process file against the policy (nothing runs)",
         "One line per finding: FILE: SEVERITY: RULE: JSON-PATH: CURRENT -> ENFORCED.\n"
         "A directory is a bundle (its config.json); a file with \"args\" or \"user\" and no\n"
         "\"process\" at the top is an exec process file.",
         "0 compliant, 1 findings, 2 usage error or a file that cannot be read",
         {POLICY_OPT,
          {"--process", NULL, "read every file as an exec process file"},
          {"--json", NULL, "one JSON array of findings instead of lines"}}},
        {"diff",
         "BUNDLE|SPEC",
         "the unified diff enforce would apply to a spec",
         NULL,
         "0 no changes, 1 changes, 2 usage error or a file that cannot be read",
         {POLICY_OPT, {"--process", NULL, "read the file as an exec process file"}}},
        {"policy validate",
         "FILE",
         "check a policy file as hardrun would load it",
         "Prints 'FILE: ok' or the one-line error (file, JSON path, reason); warns about an\n"
         "owner or mode hardrun would refuse.",
         "0 valid, 1 invalid, 2 usage error",
         {{0}}},
        {"policy install",
         "FILE",
         "validate a policy file, then make it the policy atomically",
         "Checks FILE as 'policy validate' does; only a valid policy replaces the policy file\n"
         "(0644, written to a temp file, synced and renamed, so hardrun reads the old policy\n"
         "or the new one) and becomes the last good copy that stands in should the file ever\n"
         "break. Prints 'TARGET: installed (sha256:...)'.",
         "0 installed, 1 invalid (nothing changed), 2 usage error or a file that cannot be "
         "written",
         {{"--policy", "FILE", "the policy file to replace (default " HARDRUN_POLICY_PATH ")"},
          {"--state-dir", "DIR",
           "where the last good copy is kept (default " HARDRUN_STATE_DIR ")"}}},
        {"policy show",
         "",
         "the effective policy as JSON, every default written out",
         NULL,
         "0 shown, 2 a policy that cannot be read",
         {POLICY_OPT}},
        {"policy explain",
         "[RULE]",
         "what a rule does, its sources, fields and defaults (no RULE: list the rules)",
         NULL,
         "0 shown, 2 unknown rule",
         {{0}}},
        {"log",
         "",
         "summarise the audit log per rule and per workload",
         NULL,
         "0 shown, 2 usage error or a log that cannot be read",
         {POLICY_OPT,
          {"--file", "FILE|-", "read this log (- for standard input) instead of the policy's"},
          {"--since", "TIME", "records from TIME on: 2024-05-01, 2024-05-01T10:00Z, 12h, 7d"},
          {"--container", "ID", "records of one container"},
          {"--rule", "RULE", "records of one rule"},
          {"--action", "ACTION",
           "records with one action: changed, would_change, would_deny, denied, detected, "
           "exempted"},
          {"--records", NULL, "one row per record instead of the summary"},
          {"--follow", NULL,
           "the records as they are written, through log rotation (implies --records)"},
          {"--json", NULL, "the summary as JSON; with --records or --follow the records' lines"}}},
        {"version",
         "",
         "hardrun's version, the runtime it execs and its version, libraries",
         NULL,
         "0",
         {POLICY_OPT}},
        {"seccomp check",
         "PROFILE...",
         "validate seccomp profiles as runc and crun load them",
         "PROFILE is a file or a built-in name (default, strict; ./NAME for a file). A profile\n"
         "in Docker's format (archMap, includes/excludes) is first resolved as the engine\n"
         "resolves it for one container; the output says for what.",
         "0 valid, 1 problems, 2 usage error",
         {UNKNOWN_OPT, DOCKER_OPTS}},
        {"seccomp export",
         "PROFILE",
         "compile a profile to raw BPF or libseccomp's pseudo filter code, or write it as JSON",
         "--format json writes the profile as runc and crun read it: for Docker's format the\n"
         "resolved profile, which a policy's seccomp.profile can name.",
         "0 written, 1 an invalid profile, 2 usage error",
         {{"--format", "bpf|pfc|json",
           "raw BPF for a file or pipe (default), readable pseudo filter code, or the "
           "runtime-spec JSON"},
          UNKNOWN_OPT,
          DOCKER_OPTS}},
        {"seccomp diff",
         "PROFILE-A PROFILE-B",
         "the syscalls one profile allows and the other does not, per architecture",
         "'< ARCH NAME' only A allows, '> ARCH NAME' only B; a syscall allowed for some\n"
         "argument values says so. Docker's format is resolved as for seccomp check.",
         "0 no differences, 1 differences, 2 usage error or an invalid profile",
         {UNKNOWN_OPT, DOCKER_OPTS}},
        {"install",
         engines,
         "register hardrun with the engine in its own configuration file",
         "docker: runtimes.hardrun in daemon.json and, unless --no-default, default-runtime.\n"
         "containerd: the CRI handler 'hardrun' between '# BEGIN hardrun' and '# END hardrun'\n"
         "lines in config.toml. podman: the drop-in containers.conf.d/hardrun.conf, which\n"
         "hardrun owns. Every other setting is kept; the file is replaced atomically, with its\n"
         "mode and owner. Says what to reload or restart.",
         "0 done or nothing to do, 1 a file it cannot edit safely (what to paste is printed), "
         "2 usage error or a file that cannot be read or written",
         {CONFIG_OPT,
          {"--runtime", "PATH",
           "the hardrun binary to register (default " HARDRUN_RUNTIME_PATH ")"},
          {"--no-default", NULL, "register hardrun without making it the default runtime"},
          DRY_RUN_OPT}},
        {"uninstall",
         engines,
         "take hardrun's registration out of the engine's configuration",
         "Removes only what install added; a Docker default-runtime 'hardrun' goes too (Docker's\n"
         "default is runc again).",
         "0 done or nothing to do, 1 a file it cannot edit safely, 2 usage error or a file that "
         "cannot be read or written",
         {CONFIG_OPT, DRY_RUN_OPT}},
        {"help",
         "[COMMAND]",
         "this overview, or the page of one command",
         NULL,
         "0 shown, 2 an unknown command",
         {{0}}},
};

const struct ctl_command_doc *ctl_help_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                if (strcmp(docs[i].name, name) == 0)
                        return &docs[i];
        return NULL;
}

#define WIDTH 79

/* Line-wrapping state: the column, the indentation of continuation lines, and whether the
 * next word starts a line (no space before it). */
struct wrap {
        FILE *out;
        size_t col, indent;
        bool start;
};

static void put_word(struct wrap *w, const char *word, size_t len)
{
        if (!w->start && w->col + 1 + len > WIDTH) {
                fprintf(w->out, "\n%*s", (int)w->indent, "");
                w->col = w->indent;
        } else if (!w->start) {
                fputc(' ', w->out);
                w->col++;
        }
        fprintf(w->out, "%.*s", (int)len, word);
        w->col += len;
        w->start = false;
}

/* text's words, wrapped, then a newline. */
static void put_wrapped(struct wrap *w, const char *text)
{
        for (const char *p = text; *p;) {
                size_t len;

                p += strspn(p, " ");
                len = strcspn(p, " ");
                if (len)
                        put_word(w, p, len);
                p += len;
        }
        fputc('\n', w->out);
}

static void print_synopsis(FILE *out, const char *lead, const struct ctl_command_doc *d)
{
        struct wrap w = {out, 0, 0, false};

        w.col = (size_t)fprintf(out, "%shardrunctl %s", lead, d->name);
        w.indent = w.col + 1;
        for (const struct ctl_option_doc *o = d->options;
             o < d->options + CTL_HELP_OPTIONS_MAX && o->name; o++) {
                char opt[64];
                int n = snprintf(opt, sizeof(opt), "[%s%s%s]", o->name, o->arg ? " " : "",
                                 o->arg ? o->arg : "");
                put_word(&w, opt, (size_t)n);
        }
        if (d->operands[0])
                put_word(&w, d->operands, strlen(d->operands));
        fputc('\n', out);
}

void ctl_help_print_overview(FILE *out)
{
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                print_synopsis(out, i ? "       " : "Usage: ", &docs[i]);
        fprintf(out, "       hardrunctl --help | --version\n\n");
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                fprintf(out, "%-16s %s\n", docs[i].name, docs[i].summary);
        fprintf(out,
                "\n'hardrunctl help COMMAND' or 'hardrunctl COMMAND --help': a command's options.\n"
                "--policy defaults to " HARDRUN_POLICY_PATH " (the built-in default when it does "
                "not\nexist), as for hardrun.\n\n"
                "Exit status: 0 success (compliant, no changes, valid, no differences); 1 a "
                "negative\nanswer (findings, changes, invalid, differences, refused); 2 usage "
                "error, or a file,\nspec or policy that cannot be read.\n"
                "See hardrunctl(8) and hardrun-policy(5).\n");
}

static void print_page(FILE *out, const struct ctl_command_doc *d)
{
        print_synopsis(out, "Usage: ", d);
        fprintf(out, "\n%c%s.\n", d->summary[0] - 'a' + 'A', d->summary + 1);
        if (d->details)
                fprintf(out, "%s\n", d->details);
        fprintf(out, "\nOptions:\n");
        for (const struct ctl_option_doc *o = d->options;
             o < d->options + CTL_HELP_OPTIONS_MAX && o->name; o++) {
                char head[40];
                snprintf(head, sizeof(head), "%s%s%s", o->name, o->arg ? " " : "",
                         o->arg ? o->arg : "");
                struct wrap w = {out, 27, 27, true};

                /* A long option takes its own line, its text the next. */
                fprintf(out, strlen(head) > 24 ? "  %s\n%27s" : "  %-24s ", head, "");
                put_wrapped(&w, o->text);
        }
        fprintf(out, "  %-24s %s\n", "--help", "this page");
        fprintf(out, "\nExit status: %s.\n", d->exit);
}

int ctl_help_print(FILE *out, const char *name)
{
        const struct ctl_command_doc *d = ctl_help_find(name);
        size_t len = strlen(name);
        bool group = false;

        if (d) {
                print_page(out, d);
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(docs); i++) {
                if (strncmp(docs[i].name, name, len) != 0 || docs[i].name[len] != ' ')
                        continue;
                if (!group)
                        fprintf(out, "Usage: hardrunctl %s COMMAND ...\n\n", name);
                group = true;
                fprintf(out, "%-16s %s\n", docs[i].name, docs[i].summary);
        }
        if (!group)
                return -ENOENT;
        fprintf(out, "\n'hardrunctl help %s COMMAND': a command's options.\n", name);
        return 0;
}

const char *ctl_help_suggest_command(const char *group, const char *word)
{
        static char firsts[ELEMENTSOF(docs)][32];
        const char *words[ELEMENTSOF(docs)];
        size_t n = 0, glen = group ? strlen(group) : 0;

        for (size_t i = 0; i < ELEMENTSOF(docs); i++) {
                const char *name = docs[i].name;
                if (group) {
                        if (strncmp(name, group, glen) == 0 && name[glen] == ' ')
                                words[n++] = name + glen + 1;
                        continue;
                }
                /* The first word: a one-word command or a group, each once. */
                snprintf(firsts[n], sizeof(firsts[n]), "%.*s", (int)strcspn(name, " "), name);
                if (n == 0 || strcmp(firsts[n], words[n - 1]) != 0) {
                        words[n] = firsts[n];
                        n++;
                }
        }
        return suggest_closest(word, words, n);
}

const char *ctl_help_suggest_option(const char *command, const char *option)
{
        const struct ctl_command_doc *d = ctl_help_find(command);
        const char *names[CTL_HELP_OPTIONS_MAX + 1];
        size_t n = 0;

        if (!d)
                return NULL;
        for (size_t i = 0; i < CTL_HELP_OPTIONS_MAX && d->options[i].name; i++)
                names[n++] = d->options[i].name;
        names[n++] = "--help";
        return suggest_closest(option, names, n);
}
