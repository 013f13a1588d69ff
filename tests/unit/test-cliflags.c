/* The command-line model against the grammar: every option and subcommand of runc's and crun's
 * tables has a verdict, every verdict belongs to a parsed entry; and the verdicts applied. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cliflags.h"
#include "policy.h"
#include "tap.h"
#include "update.h"

static const char *const dialect_names[] = {"runc", "crun"};

static void test_table_matches_grammar(void)
{
        bool used[_CLI_FLAG_MAX] = {false};
        bool command_used[_CLI_COMMAND_MAX] = {false};
        const struct cli_flag_verdict *flags;
        const struct cli_command_verdict *commands;
        size_t n_flags, n_commands;

        flags = cliflags_flag_table(&n_flags);
        commands = cliflags_command_table(&n_commands);
        for (int d = 0; d < _CLI_DIALECT_MAX; d++) {
                const struct cli_grammar *g = cli_grammar((enum cli_dialect)d);
                size_t counts[3] = {0}, n_globals = 0, n_commands_d = 0, n_options = 0;
                size_t unterminated = 0; /* a name as long as its array has lost its NUL */

                for (const struct cli_option *o = g->globals; o->name[0]; o++) {
                        const struct cli_flag_verdict *v = cliflags_flag_verdict(o->flag);
                        if (!memchr(o->name, '\0', sizeof(o->name))) {
                                unterminated++; /* never read as a string */
                                continue;
                        }
                        ok(v != NULL, "%s global --%s has a verdict", dialect_names[d], o->name);
                        used[o->flag] = true;
                        n_globals++;
                        if (v)
                                counts[v->verdict]++;
                }
                for (const struct cli_subcommand *s = g->subcommands; s->name; s++) {
                        ok(cliflags_command_verdict(s->command) != NULL,
                           "%s subcommand %s has a verdict", dialect_names[d], s->name);
                        command_used[s->command] = true;
                        n_commands_d++;
                        for (const struct cli_option *o = s->options; o && o->name[0]; o++) {
                                const struct cli_flag_verdict *v = cliflags_flag_verdict(o->flag);
                                if (!memchr(o->name, '\0', sizeof(o->name))) {
                                        unterminated++;
                                        continue;
                                }
                                ok(v != NULL, "%s %s --%s has a verdict", dialect_names[d], s->name,
                                   o->name);
                                ok(o->flag != CLI_FLAG_UNKNOWN, "%s %s --%s is a known flag",
                                   dialect_names[d], s->name, o->name);
                                used[o->flag] = true;
                                n_options++;
                                if (v)
                                        counts[v->verdict]++;
                                /* one meaning per name in one table (an alias shares it) */
                                bool clash = false;
                                for (const struct cli_option *q = o + 1; q->name[0]; q++)
                                        clash |= strncmp(q->name, o->name, sizeof(q->name)) == 0 &&
                                                 q->flag != o->flag;
                                ok(!clash, "%s %s --%s named once", dialect_names[d], s->name,
                                   o->name);
                        }
                }
                is_int((int)unterminated, 0, "%s: every option name fits its table entry",
                       dialect_names[d]);
                diag("%s: %zu global options, %zu subcommands, %zu subcommand options; "
                     "verdicts over all options: %zu harmless, %zu judged, %zu refused",
                     dialect_names[d], n_globals, n_commands_d, n_options, counts[0], counts[1],
                     counts[2]);
        }
        for (size_t i = 0; i < n_flags; i++) {
                bool fits = memchr(flags[i].name, '\0', sizeof(flags[i].name)) &&
                            memchr(flags[i].reason, '\0', sizeof(flags[i].reason));
                ok(fits, "verdict %.*s: its name and reason fit their arrays",
                   (int)sizeof(flags[i].name), flags[i].name);
                if (!fits)
                        continue; /* neither is read as a string */
                ok(used[flags[i].flag], "verdict %s belongs to a parsed option", flags[i].name);
                ok(flags[i].reason[0], "verdict %s says why", flags[i].name);
                size_t same = 0;
                for (size_t k = 0; k < n_flags; k++)
                        same += flags[k].flag == flags[i].flag;
                is_int((int)same, 1, "one verdict for %s", flags[i].name);
        }
        for (size_t i = 0; i < n_commands; i++) {
                ok(memchr(commands[i].reason, '\0', sizeof(commands[i].reason)) &&
                           commands[i].reason[0],
                   "command verdict %s says why, and it fits its array",
                   cli_command_to_string(commands[i].command));
                ok(command_used[commands[i].command] || commands[i].command == CLI_COMMAND_NONE ||
                           commands[i].command == CLI_COMMAND_UNKNOWN,
                   "command verdict %s belongs to a subcommand",
                   cli_command_to_string(commands[i].command));
        }
}

static struct policy *load(const char *json)
{
        struct hr_error err = {0};
        struct policy *p = NULL;

        if (policy_parse(json, strlen(json), "test", &p, &err) < 0)
                diag("policy: %s", err.msg);
        return p;
}

struct verdict_case {
        const char *name;
        unsigned dialects; /* bit per dialect */
        const char *policy;
        const char *words[16];
        int findings; /* -1: refused (some finding DENIED); n: that many findings, none denied */
        const char *path; /* the first finding's path, or NULL */
};

#define R (1u << CLI_DIALECT_RUNC)
#define C (1u << CLI_DIALECT_CRUN)
#define ENFORCE "{\"mode\":\"enforce\"}"
#define AUDIT "{\"mode\":\"audit\"}"
#define DENY "{\"mode\":\"deny\"}"

/* clang-format off */
static const struct verdict_case verdict_cases[] = {
        {"engine create", R | C, ENFORCE, {"--root", "/r", "--log", "/l", "--log-format", "json", "create", "--bundle", "/b", "--pid-file", "/p", "--console-socket", "/s", "id"}, 0, NULL},
        {"--no-pivot refused", R | C, ENFORCE, {"create", "--no-pivot", "--bundle", "/b", "id"}, -1, "/argv/--no-pivot"},
        {"--no-pivot refused in deny", R | C, DENY, {"run", "--no-pivot", "id"}, -1, "/argv/--no-pivot"},
        {"--no-pivot recorded in audit", R | C, AUDIT, {"create", "--no-pivot", "id"}, 1, "/argv/--no-pivot"},
        {"--no-pivot allowed by the policy", R | C, "{\"command_line\":{\"allow\":[\"--no-pivot\"]}}", {"create", "--no-pivot", "id"}, 0, NULL},
        {"--no-pivot with the rootfs rule off", R | C, "{\"rules\":{\"rootfs\":{\"mode\":\"off\"}}}", {"create", "--no-pivot", "id"}, 0, NULL},
        {"--no-new-keyring refused", R | C, ENFORCE, {"create", "--no-new-keyring", "id"}, -1, "/argv/--no-new-keyring"},
        {"--criu refused", R, ENFORCE, {"--criu", "/tmp/x", "checkpoint", "id"}, -1, "/argv/--criu"},
        {"--rootless=true refused", R, ENFORCE, {"--rootless=true", "create", "id"}, -1, "/argv/--rootless"},
        {"--rootless false fine", R, ENFORCE, {"--rootless", "false", "create", "id"}, 0, NULL},
        {"crun --rootless is --root", C, ENFORCE, {"--rootless", "true", "create", "id"}, 0, NULL},
        {"--cgroup-manager disabled refused", C, ENFORCE, {"--cgroup-manager", "disabled", "create", "id"}, -1, "/argv/--cgroup-manager"},
        {"--cgroup-manager disabled without limits", C, "{\"rules\":{\"resources\":{\"pids_limit\":0}}}", {"--cgroup-manager", "disabled", "create", "id"}, 0, NULL},
        {"--cgroup-manager systemd fine", C, ENFORCE, {"--cgroup-manager=systemd", "create", "id"}, 0, NULL},
        {"runc --no-new-privs=false refused", R, ENFORCE, {"exec", "--no-new-privs=false", "-p", "/p", "id"}, -1, "/argv/--no-new-privs"},
        {"runc --no-new-privs fine", R, ENFORCE, {"exec", "--no-new-privs", "-p", "/p", "id"}, 0, NULL},
        {"exec --cgroup .. refused", R | C, ENFORCE, {"exec", "--cgroup", "../../..", "-p", "/p", "id"}, -1, "/argv/--cgroup"},
        {"exec --cgroup sub fine", R | C, ENFORCE, {"exec", "--cgroup", "sub", "-p", "/p", "id"}, 0, NULL},
        {"restore refused", R, ENFORCE, {"restore", "--bundle", "/b", "id"}, -1, "/argv/restore"},
        {"restore recorded in audit", R, AUDIT, {"restore", "id"}, 1, "/argv/restore"},
        {"restore allowed", R, "{\"command_line\":{\"allow\":[\"restore\"]}}", {"restore", "-no-subreaper", "--image-path", "/i", "id"}, 0, NULL},
        {"restore --manage-cgroups-mode full", R, "{\"command_line\":{\"allow\":[\"restore\"]}}", {"restore", "--manage-cgroups-mode", "full", "id"}, -1, "/argv/--manage-cgroups-mode"},
        {"restore --lsm-profile apparmor:unconfined", R, "{\"command_line\":{\"allow\":[\"restore\"]}}", {"restore", "--lsm-profile=apparmor:unconfined", "id"}, -1, "/argv/--lsm-profile"},
        {"unknown create option", R | C, ENFORCE, {"create", "--bogus", "id"}, -1, "/argv/--bogus"},
        {"unknown option in audit", R | C, AUDIT, {"create", "--bogus", "id"}, 1, "/argv/--bogus"},
        {"unknown option, command_line off", R | C, "{\"command_line\":{\"mode\":\"off\"}}", {"create", "--bogus", "id"}, 0, NULL},
        {"unknown subcommand", R | C, ENFORCE, {"mounts", "add", "id"}, -1, "/argv/mounts"},
        {"runc init refused", R, ENFORCE, {"init"}, -1, "/argv/init"},
        {"checkpoint fine", R, ENFORCE, {"checkpoint", "--image-path", "/i", "--leave-running", "id"}, 0, NULL},
};
/* clang-format on */

static void run_verdict_case(const struct verdict_case *c, enum cli_dialect d)
{
        const char *argv[20] = {"hardrun"};
        struct findings found = {0};
        struct hr_error err = {0};
        struct cli_args a;
        struct policy *p = load(c->policy);
        bool denied = false;
        int argc = 1, r;

        while (c->words[argc - 1])
                argv[argc] = c->words[argc - 1], argc++;
        ok(p != NULL, "%s [%s]: policy", c->name, dialect_names[d]);
        if (!p)
                return;
        r = cli_parse(argc, (char *const *)argv, d, &a, &err);
        if (r == 0)
                r = cliflags_check(p, &a, &found, &denied, &err);
        is_int(r, 0, "%s [%s]: checked (%s)", c->name, dialect_names[d], err.msg);
        if (c->findings < 0) {
                ok(denied, "%s [%s]: refused", c->name, dialect_names[d]);
        } else {
                ok(!denied, "%s [%s]: not refused", c->name, dialect_names[d]);
                is_int((int)found.n, c->findings, "%s [%s]: %d findings", c->name, dialect_names[d],
                       c->findings);
        }
        if (c->path && found.n > 0)
                is_str(found.items[0].path, c->path, "%s [%s]: finding path", c->name,
                       dialect_names[d]);
        if (denied) {
                struct hr_error msg = {0};
                cliflags_refuse(&a, &found, NULL, &msg);
                ok(strstr(msg.msg, c->path + strlen("/argv/")) != NULL &&
                           (strstr(msg.msg, "rule '") || strstr(msg.msg, "command_line")),
                   "%s [%s]: message names the flag and the rule (%s)", c->name, dialect_names[d],
                   msg.msg);
        }
        findings_clear(&found);
        policy_free(p);
}

struct update_case {
        const char *name;
        unsigned dialects;
        const char *policy;
        const char *words[8];
        bool refused;
};

/* clang-format off */
static const struct update_case update_cases[] = {
        {"--pids-limit -1", R | C, ENFORCE, {"update", "--pids-limit", "-1", "id"}, true},
        {"--pids-limit=-1 after the id (runc reorders)", R, ENFORCE, {"update", "id", "--pids-limit=-1"}, true},
        {"--pids-limit 100", R | C, ENFORCE, {"update", "--pids-limit", "100", "id"}, false},
        {"--pids-limit 0 keeps the limit", R | C, ENFORCE, {"update", "--pids-limit", "0", "id"}, false},
        {"runc --pids-limit -0x1", R, ENFORCE, {"update", "--pids-limit", "-0x1", "id"}, true},
        {"crun pastes values into JSON", C, ENFORCE, {"update", "--cpu-share", "1},\"pids\":{\"limit\":-1", "id"}, true},
        {"--memory -1 without a memory policy", R | C, ENFORCE, {"update", "--memory", "-1", "id"}, false},
        {"--memory -1 with a memory policy", R | C, "{\"rules\":{\"resources\":{\"memory_limit\":67108864}}}", {"update", "--memory", "-1", "id"}, true},
        {"--pids-limit -1, resources rule audit", R | C, "{\"rules\":{\"resources\":{\"mode\":\"audit\"}}}", {"update", "--pids-limit", "-1", "id"}, false},
        {"--pids-limit -1, no pids policy", R | C, "{\"rules\":{\"resources\":{\"pids_limit\":0}}}", {"update", "--pids-limit", "-1", "id"}, false},
};
/* clang-format on */

static void run_update_case(const struct update_case *c, enum cli_dialect d)
{
        const char *argv[12] = {"hardrun"};
        struct findings found = {0};
        struct hr_error err = {0};
        struct cli_args a;
        struct policy *p = load(c->policy);
        const char *file = NULL;
        bool denied = false;
        int argc = 1, r;

        while (c->words[argc - 1])
                argv[argc] = c->words[argc - 1], argc++;
        if (!p)
                return;
        r = cli_parse(argc, (char *const *)argv, d, &a, &err);
        if (r == 0)
                r = update_check(p, &a, &found, &denied, &file, &err);
        is_int(r, 0, "update %s [%s]: checked (%s)", c->name, dialect_names[d], err.msg);
        is_int(denied, c->refused, "update %s [%s]: %s", c->name, dialect_names[d],
               c->refused ? "refused" : "let through");
        findings_clear(&found);
        policy_free(p);
}

int main(void)
{
        test_table_matches_grammar();
        for (size_t i = 0; i < sizeof(verdict_cases) / sizeof(verdict_cases[0]); i++)
                for (int d = 0; d < _CLI_DIALECT_MAX; d++)
                        if (verdict_cases[i].dialects & (1u << d))
                                run_verdict_case(&verdict_cases[i], (enum cli_dialect)d);
        for (size_t i = 0; i < sizeof(update_cases) / sizeof(update_cases[0]); i++)
                for (int d = 0; d < _CLI_DIALECT_MAX; d++)
                        if (update_cases[i].dialects & (1u << d))
                                run_update_case(&update_cases[i], (enum cli_dialect)d);
        return tap_done();
}
