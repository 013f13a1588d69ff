/* Unit tests for the hooks rule through harden_spec(): matching by path, args, env and exe,
 * every hook kind, unknown kinds, malformed hooks, the modes, idempotence and large lists. JSON in
 * single quotes (rule-harness.h). */
#include <signal.h>
#include <sys/wait.h>
#include <limits.h>
#include <unistd.h>

#include "rule-harness.h"
#include "rules/registry.h"
#include "settings.h"
#include "util/cleanup.h"

#define EVIL "{'path':'/bin/sh','args':['sh','-c','touch /tmp/x']}"

static const char *finding_path(const struct run *x, size_t i)
{
        return i < x->res.findings.n ? x->res.findings.items[i].path : "(none)";
}

static const struct rule_case absent_and_empty_cases[] = {
        {"no hooks", NULL, "{}"},
        {"hooks null", NULL, "{'hooks':null}"},
        {"hooks {}", NULL, "{'hooks':{}}"},
        {"empty and null lists", NULL, "{'hooks':{'prestart':[],'poststop':null}}"},
};

static void test_absent_and_empty(void)
{
        removal_cases(RULE_HOOKS, absent_and_empty_cases);
}

static void test_hostile(void)
{
        static const char *const kinds[] = {"prestart",       "createRuntime", "createContainer",
                                            "startContainer", "poststart",     "poststop"};
        struct run x;
        char in[2048], want[1024];
        size_t o = 0, w = 0;

        x = run_q(RULE_HOOKS, "enforce", NULL, SPEC_CONFIG, "{'hooks':{'prestart':[" EVIL "]}}");
        is_int(x.r, 0, "host command: no error");
        is_json(x.out, "{'hooks':{'prestart':[]}}", "host command: removed, list left empty");
        is_str(finding_path(&x, 0), "/hooks/prestart/0", "host command: finding path");
        if (x.res.findings.n == 1) {
                char *b = text_of(x.res.findings.items[0].before);
                is_json(b, EVIL, "host command: finding holds the hook");
                free(b);
        }
        run_done(&x);

        o += (size_t)snprintf(in + o, sizeof(in) - o, "{'hooks':{");
        w += (size_t)snprintf(want + w, sizeof(want) - w, "{'hooks':{");
        for (size_t k = 0; k < 6; k++) {
                o += (size_t)snprintf(in + o, sizeof(in) - o, "%s'%s':[" EVIL "]", k ? "," : "",
                                      kinds[k]);
                w += (size_t)snprintf(want + w, sizeof(want) - w, "%s'%s':[]", k ? "," : "",
                                      kinds[k]);
        }
        snprintf(in + o, sizeof(in) - o, "}}");
        snprintf(want + w, sizeof(want) - w, "}}");
        one_removal(RULE_HOOKS, (struct rule_case){"every kind is checked", NULL, in, want, 6});
        one_removal(RULE_HOOKS,
                    (struct rule_case){"allow [] allows nothing", "'allow':[]",
                                       "{'hooks':{'prestart':[{'path':'/usr/bin/"
                                       "nvidia-container-runtime-hook','args':['nvidia-container-"
                                       "runtime-hook','prestart']}]}}",
                                       "{'hooks':{'prestart':[]}}", 1});
}

#define ALLOW "'allow':[{'path':'/usr/bin/ok-*','args':['ok','x*']},{'path':'/opt/any'}]"

static const struct rule_case allowlist_cases[] = {
        {"built-in list: NVIDIA hook kept", NULL,
         "{'hooks':{'prestart':[{'path':'/usr/bin/nvidia-container-runtime-hook',"
         "'args':['nvidia-container-runtime-hook','prestart']}]}}"},
        {"built-in list: an extra argument is removed", NULL,
         "{'hooks':{'prestart':[{'path':'/usr/bin/nvidia-container-runtime-hook',"
         "'args':['nvidia-container-runtime-hook','prestart','--debug']}]}}",
         "{'hooks':{'prestart':[]}}", 1},
        {"path and args patterns match: kept with its timeout", ALLOW,
         "{'hooks':{'prestart':[{'path':'/usr/bin/ok-hook','args':['ok',"
         "'xyz'],'timeout':5}]}}"},
        {"wrong arg, fewer, more, none, '*' across '/': removed; the match kept", ALLOW,
         "{'hooks':{'poststop':[{'path':'/usr/bin/ok-hook','args':['ok','y']},"
         "{'path':'/usr/bin/ok-hook','args':['ok']},"
         "{'path':'/usr/bin/ok-hook','args':['ok','x','x']},"
         "{'path':'/usr/bin/ok-hook'},"
         "{'path':'/usr/bin/ok-dir/hook','args':['ok','x']},"
         "{'path':'/usr/bin/ok-hook','args':['ok','x']}]}}",
         "{'hooks':{'poststop':[{'path':'/usr/bin/ok-hook','args':['ok',"
         "'x']}]}}",
         5},
        {"an entry without args allows any arguments", ALLOW,
         "{'hooks':{'createRuntime':[{'path':'/opt/any','args':['a','b']},"
         "{'path':'/opt/any'}]}}"},
        {"a hook with an environment is removed; empty or null env kept", ALLOW,
         "{'hooks':{'prestart':[{'path':'/opt/any','env':['LD_PRELOAD=/x.so']},"
         "{'path':'/opt/any','env':[]},{'path':'/opt/any','env':null}]}}",
         "{'hooks':{'prestart':[{'path':'/opt/any','env':[]},"
         "{'path':'/opt/any','env':null}]}}",
         1},
        {"a relative path is removed", ALLOW, "{'hooks':{'prestart':[{'path':'opt/any'}]}}",
         "{'hooks':{'prestart':[]}}", 1},
};

static const struct rule_case dot_components[] = {
        {"a path with a '.' or '..' component is removed",
         "'allow':[{'path':'/opt/hooks/*/bin/hook'},{'path':'/usr/bin/*'}]",
         "{'hooks':{'prestart':[{'path':'/opt/hooks/../bin/hook'},"
         "{'path':'/opt/hooks/a/bin/hook'},{'path':'/usr/bin/..'},"
         "{'path':'/usr/bin/.'},{'path':'/usr/bin/..x'}]}}",
         "{'hooks':{'prestart':[{'path':'/opt/hooks/a/bin/hook'},"
         "{'path':'/usr/bin/..x'}]}}",
         3},
};

static void test_allowlist(void)
{
        removal_cases(RULE_HOOKS, allowlist_cases);
        /* '*' matches "..": /opt/hooks/../bin/hook is /opt/bin/hook, outside the pattern. */
        removal_cases(RULE_HOOKS, dot_components);
}

/* A child running `sleep` stands in for dockerd: /proc/<child>/exe is the sleep binary. Not
 * this program's own pid: under valgrind that link names the valgrind tool, while readlink of
 * /proc/self/exe is answered with the test binary. */
static pid_t start_sleeper(char *exe, size_t size)
{
        char *resolved = realpath("/bin/sleep", NULL);
        pid_t pid;

        if (!resolved)
                return -1;
        snprintf(exe, size, "%s", resolved);
        free(resolved);
        pid = fork();
        if (pid == 0) {
                execl("/bin/sleep", "sleep", "60", (char *)NULL);
                _exit(127);
        }
        /* The link names sleep once the child has exec'ed. */
        for (int i = 0; pid > 0 && i < 200; i++) {
                char link[64], target[PATH_MAX];
                ssize_t n;
                snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
                n = readlink(link, target, sizeof(target) - 1);
                if (n > 0 && (target[n] = '\0', strcmp(target, exe) == 0))
                        break;
                usleep(10000);
        }
        return pid;
}

/* exe: the hook's path must be the same file as an allowed executable. */
static void test_exe(void)
{
        char self[PATH_MAX], settings[PATH_MAX + 512], in[PATH_MAX + 512], hook[256];
        pid_t pid = start_sleeper(self, sizeof(self));

        if (pid <= 0) {
                ok(false, "start a sleep process");
                return;
        }
        snprintf(hook, sizeof(hook),
                 "{'path':'/proc/%d/exe','args':['libnetwork-setkey',"
                 "'-exec-root=/var/run/docker','0123abcd','4567ef']}",
                 (int)pid);

        snprintf(in, sizeof(in), "{'hooks':{'prestart':[%s]}}", hook);
        one_removal(
                RULE_HOOKS,
                (struct rule_case){
                        "built-in list: Docker's hook pointing at a process that is not dockerd",
                        NULL, in, "{'hooks':{'prestart':[]}}", 1});

        snprintf(settings, sizeof(settings),
                 "'allow':[{'path':'/proc/[0-9]*/exe','args':['libnetwork-setkey',"
                 "'-exec-root=/*','*','*'],'exe':['/usr/sbin/dockerd','%s']}]",
                 self);
        one_removal(RULE_HOOKS,
                    (struct rule_case){"exe: /proc/<pid>/exe of an allowed executable is kept",
                                       settings, in});

        snprintf(in, sizeof(in), "{'hooks':{'startContainer':[%s]}}", hook);
        one_removal(RULE_HOOKS,
                    (struct rule_case){
                            "exe: never matches a startContainer hook (resolved in the container)",
                            settings, in, "{'hooks':{'startContainer':[]}}", 1});

        snprintf(in, sizeof(in),
                 "{'hooks':{'prestart':[{'path':'/proc/1/exe','args':"
                 "['libnetwork-setkey','-exec-root=/x','a','b']},"
                 "{'path':'/proc/999999999/exe','args':"
                 "['libnetwork-setkey','-exec-root=/x','a','b']},"
                 "{'path':'/proc/self/exe','args':"
                 "['libnetwork-setkey','-exec-root=/x','a','b']}]}}");
        one_removal(
                RULE_HOOKS,
                (struct rule_case){"exe: pid 1, a pid that does not exist, /proc/self/exe: removed",
                                   settings, in, "{'hooks':{'prestart':[]}}", 3});

        snprintf(settings, sizeof(settings),
                 "'allow':[{'path':'/proc/[0-9]*/exe','exe':['/does/not/exist']}]");
        snprintf(in, sizeof(in), "{'hooks':{'prestart':[%s]}}", hook);
        one_removal(
                RULE_HOOKS,
                (struct rule_case){"exe: an allowed executable that does not exist matches nothing",
                                   settings, in, "{'hooks':{'prestart':[]}}", 1});
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
}

static void test_unknown_kinds(void)
{
        struct run x;

        x = run_q(RULE_HOOKS, "enforce", NULL, SPEC_CONFIG,
                  "{'hooks':{'prestart':[],'preStop':[" EVIL "],'x':7}}");
        is_int(x.r, 0, "unknown kinds: no error");
        is_json(x.out, "{'hooks':{'prestart':[]}}", "unknown kinds: removed whole");
        is_int(x.res.findings.n, 2, "unknown kinds: two findings");
        is_str(finding_path(&x, 0), "/hooks/x", "unknown kinds: /hooks/x");
        is_str(finding_path(&x, 1), "/hooks/preStop", "unknown kinds: /hooks/preStop");
        run_done(&x);
}

static const struct refuse_case malformed_refusals[] = {
        {"hooks array", NULL, "{'hooks':[]}", "/hooks", "expected object, got array"},
        {"prestart object", NULL, "{'hooks':{'prestart':{}}}", "/hooks/prestart",
         "expected array, got object"},
        {"hook as a string", NULL, "{'hooks':{'poststart':['/bin/sh']}}", "/hooks/poststart/0",
         "expected object, got string"},
        {"hook null", NULL, "{'hooks':{'poststop':[null]}}", "/hooks/poststop/0",
         "expected object, got null"},
        {"path absent", NULL, "{'hooks':{'prestart':[{'args':['x']}]}}", "/hooks/prestart/0/path",
         "needs a path"},
        {"path empty", NULL, "{'hooks':{'prestart':[{'path':''}]}}", "/hooks/prestart/0/path",
         "needs a path"},
        {"path a number", NULL, "{'hooks':{'prestart':[{'path':7}]}}", "/hooks/prestart/0/path",
         "expected string, got number"},
        {"path with a NUL byte", NULL, "{'hooks':{'prestart':[{'path':'/bin/sh\\u0000x'}]}}",
         "/hooks/prestart/0/path", "NUL"},
        {"args a string", NULL, "{'hooks':{'prestart':[{'path':'/x','args':'sh'}]}}",
         "/hooks/prestart/0/args", "expected array, got string"},
        {"args item a number", NULL, "{'hooks':{'prestart':[{'path':'/x','args':['a',1]}]}}",
         "/hooks/prestart/0/args/1", "expected string, got number"},
        {"env item null", NULL, "{'hooks':{'prestart':[{'path':'/x','env':[null]}]}}",
         "/hooks/prestart/0/env/0", "expected string, got null"},
        {"kind differing in case (runc reads it)", NULL, "{'hooks':{'PreStart':[]}}",
         "/hooks/prestart", "letter case"},
        {"path key differing in case", NULL, "{'hooks':{'prestart':[{'Path':'/x'}]}}",
         "/hooks/prestart/0/path", "letter case"},
        {"hooks key differing in case", NULL, "{'Hooks':{}}", "/hooks", "letter case"},
};

static void test_malformed(void)
{
        refuse_cases(RULE_HOOKS, malformed_refusals);
}

#define ONE_HOOK "{'hooks':{'prestart':[" EVIL "]}}"

static const struct mode_case mode_runs[] = {
        {"one hook", NULL, ONE_HOOK, 1},
};

static void test_modes(void)
{
        const char *in = ONE_HOOK;
        struct run x;

        mode_cases(RULE_HOOKS, mode_runs);

        x = run_q(RULE_HOOKS, "deny", NULL, SPEC_CONFIG,
                  "{'hooks':{'prestart':[{'path':'/usr/bin/nvidia-container-runtime-hook',"
                  "'args':['nvidia-container-runtime-hook','prestart']}]}}");
        ok(x.r == 0 && x.res.findings.n == 0 && !x.res.denied, "deny: an allowed hook passes");
        run_done(&x);

        x = run_q(RULE_HOOKS, "enforce", "'mode':'off'", SPEC_CONFIG, in);
        ok(x.r == 0 && x.res.findings.n == 0 && json_equals(x.out, in), "off: nothing done");
        run_done(&x);

        /* Exec process files have no hooks: the rule does not run on them. */
        x = run_q(RULE_HOOKS, "enforce", NULL, SPEC_PROCESS,
                  "{'args':['sh'],'hooks':{'prestart':[1]}}");
        ok(x.r == 0 && x.res.findings.n == 0, "exec process file: not checked");
        run_done(&x);
}

static void test_huge(void)
{
        const size_t n = 4000;
        size_t cap = n * 128 + 64, o = 0;
        char *in = malloc(cap), *want = malloc(cap);
        size_t w = 0;
        const char *keep = "{'path':'/usr/bin/nvidia-container-runtime-hook','args':"
                           "['nvidia-container-runtime-hook','prestart']}";

        if (!in || !want) {
                ok(false, "huge: malloc");
                free(in);
                free(want);
                return;
        }
        o += (size_t)snprintf(in + o, cap - o, "{'hooks':{'prestart':[");
        w += (size_t)snprintf(want + w, cap - w, "{'hooks':{'prestart':[");
        for (size_t i = 0; i < n; i++) {
                o += (size_t)snprintf(in + o, cap - o, "%s%s", i ? "," : "", i % 2 ? keep : EVIL);
                if (i % 2)
                        w += (size_t)snprintf(want + w, cap - w, "%s%s", i > 1 ? "," : "", keep);
        }
        snprintf(in + o, cap - o, "]}}");
        snprintf(want + w, cap - w, "]}}");
        one_removal(RULE_HOOKS, (struct rule_case){"4000 hooks: every other one removed", NULL, in,
                                                   want, n / 2});
        free(in);
        free(want);
}

/* The allow list read in collect mode (a checker listing every problem): each bad entry is named
 * and left out, the good ones stay in their order; the list replaces the built-in one. */
static void test_allow_collect(void)
{
        static const struct json_limits limits = {
                .max_bytes = 65536, .max_depth = 8, .max_members = 64};
        static const char *const want[] = {
                "/etc/p.json: '/rules/hooks/allow/1/path': 'rel' is not an absolute path",
                "/etc/p.json: '/rules/hooks/allow/2': unknown key 'arg' (did you mean 'args'?)",
                "/etc/p.json: '/rules/hooks/allow/3': expected object, got number",
                "/etc/p.json: '/rules/hooks/allow/5/exe/0': 'dockerd' is not an absolute path",
        };
        const char *text = "{\"allow\":[{\"path\":\"/a\"},{\"path\":\"rel\"},"
                           "{\"path\":\"/b\",\"arg\":[]},7,{\"path\":\"/c\",\"args\":[\"c\"]},"
                           "{\"path\":\"/d\",\"exe\":[\"dockerd\"]}]}";
        const struct rule *rule = rule_get(RULE_HOOKS);
        struct hr_error err = {0};
        struct lines problems = {0};
        struct settings_parser sp = {.source = "/etc/p.json", .err = &err, .problems = &problems};
        struct json *doc = NULL, *out = json_new_object();
        void *own = calloc(1, rule->settings_size);
        char *shown = NULL;
        size_t len;

        if (!out || !own || json_parse(text, strlen(text), &limits, &doc, &err) < 0 ||
            settings_copy(rule->settings, rule->n_settings, own, rule->defaults) < 0) {
                ok(0, "collect: setup (%s)", err.msg);
        } else {
                is_int(settings_parse(&sp, rule->settings, rule->n_settings, doc, "/rules/hooks",
                                      own, NULL),
                       0, "collect: reading goes on");
                is_int(problems.total, ELEMENTSOF(want), "collect: every bad entry named");
                for (size_t i = 0; i < ELEMENTSOF(want) && i < problems.n; i++)
                        is_str(problems.lines[i], want[i], "collect: problem %zu", i);
                ok(settings_show(rule->settings, rule->n_settings, own, out) == 0 &&
                           json_write(out, &shown, &len, NULL) == 0,
                   "collect: the list is shown");
                is_str(shown,
                       "{\"allow\":[{\"path\":\"/a\"},{\"path\":\"/c\",\"args\":[\"c\"]}]}\n",
                       "collect: the good entries stay, in order");
        }
        free(shown);
        if (own)
                settings_free(rule->settings, rule->n_settings, own);
        free(own);
        lines_done(&problems);
        json_free(doc);
        json_free(out);
}

int main(void)
{
        test_absent_and_empty();
        test_hostile();
        test_allowlist();
        test_exe();
        test_unknown_kinds();
        test_malformed();
        test_modes();
        test_huge();
        test_allow_collect();
        return tap_done();
}
