/* The command-line model: a verdict for every global option, subcommand and flag of runc 1.1 and
 * crun 1.8 (cli.c has their grammar), and the checks that apply it to one invocation. hardrun
 * never rewrites argv: what the policy would change is refused in enforce and deny, recorded
 * in audit. */
#pragma once

#include <stdbool.h>

#include "cli.h"
#include "findings.h"
#include "policy.h"
#include "util/error.h"

enum cli_verdict {
        CLI_VERDICT_HARMLESS, /* leaves the container as hardened as the policy made it */
        CLI_VERDICT_JUDGED,   /* its value (or what it points at) is judged by the owner */
        CLI_VERDICT_REFUSED,  /* weakens the container whatever its value: refused unless the
                               * policy's command_line.allow names it */
};

/* The owner of a verdict: a rule (enum rule_id), or the policy's command_line section. */
#define CLI_OWNER_COMMAND_LINE (-1)

/* Both tables hold their strings, not pointers to them: no relocation when the program loads
 * (a fresh page per 4 KiB of pointer tables, on every call). */
struct cli_flag_verdict {
        enum cli_flag flag;
        char name[24]; /* "--no-pivot": in messages, audit records and command_line.allow */
        enum cli_verdict verdict;
        int owner;
        char reason[112];
};

struct cli_command_verdict {
        enum cli_command command;
        enum cli_verdict verdict;
        int owner;
        char reason[112];
};

/* The tables, for tests and documentation: n entries each. */
const struct cli_flag_verdict *cliflags_flag_table(size_t *ret_n);
const struct cli_command_verdict *cliflags_command_table(size_t *ret_n);

const struct cli_flag_verdict *cliflags_flag_verdict(enum cli_flag flag);
const struct cli_command_verdict *cliflags_command_verdict(enum cli_command command);

/* A name command_line.allow may hold: a refused flag ("--no-pivot") or subcommand ("restore"). */
bool cliflags_is_allowable(const char *name);

/* Appends one finding per flag, subcommand or file descriptor the policy would not let through
 * (action DENIED, or WOULD_CHANGE in audit mode); *ret_denied is set when the call must be
 * refused. The inline exec identity flags are execflags.c's; spec files are the rules'. */
int cliflags_check(const struct policy *p, const struct cli_args *a, struct findings *out,
                   bool *ret_denied, struct hr_error *err);

/* One command-line finding at path ("/argv/--no-pivot"), owned by owner, with the value seen
 * and the value the policy wants (either may be NULL). Nothing when the owner is off. */
int cliflags_record(const struct policy *p, int owner, const char *path, const char *value,
                    const char *wanted, struct findings *out, bool *denied, struct hr_error *err);

/* The refusal message for the first denied finding of a command line: it names the flag (or
 * file) and the rule. */
int cliflags_refuse(const struct cli_args *a, const struct findings *found, const char *hint,
                    struct hr_error *err);
