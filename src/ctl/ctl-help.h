/* hardrunctl's help: the overview, one page per command and per command group, and the nearest
 * command or option name for a typo. */
#pragma once

#include <stdio.h>

#define CTL_HELP_OPTIONS_MAX 10

struct ctl_option_doc {
        const char *name; /* "--policy" */
        const char *arg;  /* "FILE"; NULL for a flag */
        const char *text;
};

struct ctl_command_doc {
        const char *name;     /* "check", "policy validate" */
        const char *operands; /* "BUNDLE|SPEC..." */
        const char *summary;  /* one line, lowercase */
        const char *details;  /* more lines for its page, or NULL */
        const char *exit;     /* its exit statuses */
        struct ctl_option_doc options[CTL_HELP_OPTIONS_MAX];
};

/* The command named name ("policy show"), or NULL. */
const struct ctl_command_doc *ctl_help_find(const char *name);

/* `hardrunctl --help`. */
void ctl_help_print_overview(FILE *out);

/* The page of a command ("seccomp diff"), or the list of a group's subcommands ("seccomp").
 * Returns 0, or -ENOENT when there is no such command (nothing printed). */
int ctl_help_print(FILE *out, const char *name);

/* The nearest command word to an unknown one: among one-word commands and groups when group
 * is NULL, else among the group's subcommands. NULL when none is near. */
const char *ctl_help_suggest_command(const char *group, const char *word);

/* The nearest option of the command to an unknown one ("--polcy" → "--policy"), or NULL. */
const char *ctl_help_suggest_option(const char *command, const char *option);
