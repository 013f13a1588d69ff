/* Unit tests for the env_secrets rule through harden_spec(): each token format and name rule,
 * positive and negative, the exceptions, allow_names, modes, odd entries, and that no finding,
 * audit line or error message ever holds a value. The fake tokens are split in the source so
 * that secret scanners do not flag this file. */
#include "audit.h"
#include "rule-harness.h"

/* A config whose process.env is the given entries (JSON string items in single quotes,
 * comma-separated). */
static struct run run_env(struct policy *p, const char *items)
{
        char *text = NULL;
        struct run x;

        if (asprintf(&text, "{'process':{'args':['sh'],'env':[%s]}}", items) < 0)
                abort();
        x = run_text_q(p, SPEC_CONFIG, text);
        free(text);
        return x;
}

/* Neither a finding nor its audit line holds secret, nor does the error message. */
static bool leaks(const struct run *x, const char *secret)
{
        struct audit_context ctx = {"id", "/run/b", SPEC_FILE, "create", NULL};
        struct hr_error err = {0};
        char *buf = NULL;
        size_t len = 0;
        bool leak = strstr(x->err.msg, secret) != NULL;

        for (size_t i = 0; i < x->res.findings.n; i++) {
                const struct finding *f = &x->res.findings.items[i];
                char *b = text_of(f->before), *a = text_of(f->after);
                leak = leak || strstr(b, secret) || strstr(a, secret) || strstr(f->path, secret);
                free(b);
                free(a);
        }
        if (x->res.findings.n > 0) {
                if (audit_format(&ctx, AUDIT_RECORDS_ALL, &x->res.findings, &buf, &len, &err) < 0)
                        return true;
                leak = leak || memmem(buf, len, secret, strlen(secret)) != NULL;
                free(buf);
        }
        return leak;
}

static const char *reason_of(const struct run *x, size_t i)
{
        const struct finding *f = i < x->res.findings.n ? &x->res.findings.items[i] : NULL;

        return f && f->after && f->after->type == JSON_STRING ? f->after->scalar.text : "";
}

/* NAME=value is reported with a reason containing want, and nothing leaks the value. */
static void flagged(struct policy *p, const char *name, const char *value, const char *want)
{
        char *item = NULL, *before = NULL;
        struct run x;

        if (asprintf(&item, "'%s=%s'", name, value) < 0 ||
            asprintf(&before, "'%s=<redacted>'", name) < 0)
                abort();
        x = run_env(p, item);
        is_int(x.r, 0, "%s: no error (%s)", name, x.err.msg);
        is_int(x.res.findings.n, 1, "%s: one finding", name);
        if (x.res.findings.n == 1) {
                const struct finding *f = &x.res.findings.items[0];
                char *b = text_of(f->before);
                is_str(f->path, "/process/env/0", "%s: path /process/env/0", name);
                is_json(b, before, "%s: before names the variable only", name);
                ok(strstr(reason_of(&x, 0), want) != NULL, "%s: reason '%s' says '%s'", name,
                   reason_of(&x, 0), want);
                is_int(f->action, FINDING_DETECTED, "%s: detected", name);
                is_int(f->rule, RULE_ENV_SECRETS, "%s: rule env_secrets", name);
                free(b);
        }
        ok(!leaks(&x, value), "%s: the value is in no finding or audit line", name);
        is_str(x.out, x.in, "%s: the spec is not rewritten", name);
        run_done(&x);
        free(item);
        free(before);
}

static void clean(struct policy *p, const char *name, const char *value, const char *what)
{
        char *item = NULL;
        struct run x;

        if (asprintf(&item, "'%s=%s'", name, value) < 0)
                abort();
        x = run_env(p, item);
        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        is_int(x.res.findings.n, 0, "%s: not flagged", what);
        run_done(&x);
        free(item);
}

/* NAME=value, a SECRET (flagged(): why is what the reason says) or CLEAN (clean(): why is the
 * case's name). */
struct env_case {
        enum { CLEAN, SECRET } kind;
        const char *name;
        const char *value;
        const char *why;
};

static void run_env_cases(struct policy *p, const struct env_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                if (cases[i].kind == SECRET)
                        flagged(p, cases[i].name, cases[i].value, cases[i].why);
                else
                        clean(p, cases[i].name, cases[i].value, cases[i].why);
        }
}

#define AWS_ID \
        "AKIA" \
        "Q3EGRJ4ZXBV7WNPL"
#define AWS_SECRET               \
        "wJalrXUtnFEMI/K7MDENG/" \
        "bPxRfiCYz9Tq3LmN8sKe"
#define GH_TOKEN \
        "ghp_"   \
        "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"

static const struct env_case formats[] = {
        {SECRET, "KEY", AWS_ID, "an AWS access key id"},
        {SECRET, "TEMP",
         "ASIA"
         "Q3EGRJ4ZXBV7WNPL",
         "an AWS access key id"},
        {SECRET, "URL", "https://x/?k=" AWS_ID "&y=1", "an AWS access key id"},
        {CLEAN, "KEY",
         "AKIA"
         "IOSFODNN7EXAMPLE",
         "AWS documentation key (EXAMPLE)"},
        {CLEAN, "KEY",
         "AKIA"
         "Q3EGRJ4ZXBV7WNP",
         "AKIA and 15 characters"},
        {CLEAN, "KEY",
         "XAKIA"
         "Q3EGRJ4ZXBV7WNPL",
         "AKIA inside a longer word"},
        {CLEAN, "KEY",
         "akia"
         "q3egrj4zxbv7wnpl",
         "lower-case akia"},

        {SECRET, "GH", GH_TOKEN, "a GitHub token"},
        {SECRET, "GH",
         "ghs_"
         "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
         "a GitHub token"},
        {SECRET, "GH",
         "github_pat_"
         "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
         "KLMNOPQRSTUVWXYZ0123456789abcd",
         "a GitHub fine-grained token"},
        {CLEAN, "GH",
         "ghp_"
         "short",
         "ghp_ with a short tail"},
        {CLEAN, "GH",
         "xghp_"
         "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
         "ghp_ inside a word"},

        {SECRET, "GL",
         "glpat-"
         "xY3z5A7bC9dE1fG3hJ5k",
         "a GitLab personal access token"},
        {CLEAN, "GL",
         "glpat-"
         "short",
         "glpat- with a short tail"},

        {SECRET, "SLACK",
         "xoxb-"
         "1234567890-abcdefghij",
         "a Slack token"},
        {SECRET, "HOOK",
         "https://hooks.slack.com/services/"
         "T0000/B0000/XXXXXXXXXXXXXXXX",
         "a Slack webhook URL"},
        {CLEAN, "SLACK",
         "xoxz-"
         "1234567890-abcdefghij",
         "xoxz- is no Slack prefix"},

        {SECRET, "STRIPE",
         "sk_live_"
         "4eC39HqLyjWDarjtT1zdp7dc",
         "a Stripe key"},
        {CLEAN, "STRIPE",
         "pk_live_"
         "4eC39HqLyjWDarjtT1zdp7dc",
         "Stripe publishable key"},

        {SECRET, "GOOGLE",
         "AIza"
         "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
         "a Google API key"},
        {CLEAN, "GOOGLE",
         "AIza"
         "Sy",
         "AIza with a short tail"},

        {SECRET, "KEYS", "-----BEGIN RSA PRIVATE KEY-----\\nMIIEow", "a private key"},
        {SECRET, "KEYS", "-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"},
        {SECRET, "KEYS", "-----BEGIN PGP PRIVATE KEY BLOCK-----", "a private key"},
        {CLEAN, "CERT", "-----BEGIN CERTIFICATE-----", "a certificate"},
        {CLEAN, "KEYS", "-----BEGIN PUBLIC KEY-----", "a public key"},

        {SECRET, "SESSION",
         "eyJ"
         "hbGciOiJIUzI1NiJ9.eyJ"
         "zdWIiOiIxMjM0NTY3ODkwIn0.sig",
         "a JSON web token"},
        {CLEAN, "SESSION",
         "eyJ"
         "hbGciOiJIUzI1NiJ9",
         "a lone JWT header"},

        {SECRET, "OPENAI",
         "sk-"
         "proj-abcdefghijklmnopqrstuvwxyz"
         "T3BlbkFJ"
         "xyz",
         "an OpenAI API key"},
        {SECRET, "CLAUDE",
         "sk-ant-"
         "api03-"
         "abcdefghijklmnopqrstuvwxyz",
         "an Anthropic"},
        {SECRET, "NPM",
         "npm_"
         "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A",
         "an npm token"},
        {SECRET, "VAULT",
         "hvs."
         "CAESIJ1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
         "0123456789abcdefghijklmnopq",
         "a Vault token"},
        {SECRET, "AGE",
         "AGE-SECRET-KEY-1"
         "QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ",
         "an age secret key"},

        {SECRET, "DATABASE_URL",
         "postgres://app:"
         "s3cr3tpw@db:5432/app",
         "a URL with a password"},
        {CLEAN, "DATABASE_URL", "postgres://app@db:5432/app", "URL without a password"},
        {CLEAN, "DATABASE_URL", "postgres://app:${DB_PASSWORD}@db/app", "URL password reference"},
        {CLEAN, "PROXY", "http://proxy:3128", "URL with a port"},
};

static void test_formats(struct policy *p)
{
        run_env_cases(p, formats, N_CASES(formats));
}

static const struct env_case names[] = {
        {SECRET, "AWS_SECRET_ACCESS_KEY", AWS_SECRET, "AWS secret access key"},
        {SECRET, "DB_PASSWORD", "hunter2", "contains 'PASSWORD'"},
        {SECRET, "POSTGRES_PASSWORD", "postgres", "contains 'PASSWORD'"},
        {SECRET, "mysqlPassword", "x1", "contains 'PASSWORD'"},
        {SECRET, "APP_SECRET", "abc", "contains 'SECRET'"},
        {SECRET, "GITHUB_TOKEN", "abc", "contains 'TOKEN'"},
        {SECRET, "STRIPE_API_KEY", "abc", "contains 'API_KEY'"},
        {SECRET, "SSH_PRIVATE_KEY", "abc", "contains 'PRIVATE_KEY'"},
        {SECRET, "GOOGLE_CREDENTIALS", "{}", "contains 'CREDENTIAL'"},
        {SECRET, "DB_PASS", "abc", "contains 'PASS'"},
        {SECRET, "MYSQL_PWD", "abc", "contains 'PWD'"},
        {SECRET, "REGISTRY_CREDS", "abc", "contains 'CREDS'"},
        {SECRET, "PASSWORD", "changeme", "contains 'PASSWORD'"},
        /* Names are matched in any letter case. */
        {SECRET, "db_pass", "abc", "contains 'PASS'"},
        {SECRET, "aws_secret_access_key", AWS_SECRET, "AWS secret access key"},
        {CLEAN, "oldpwd", "x", "oldpwd"},
        {CLEAN, "db_password_file", "abc", "*_file variable"},
        {CLEAN, "jwt_public_key", "abc", "a public key in lower case"},

        /* What engines and images set. */
        {CLEAN, "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PATH"},
        {CLEAN, "HOSTNAME", "c0ffee", "HOSTNAME"},
        {CLEAN, "TERM", "xterm", "TERM"},
        {CLEAN, "HOME", "/root", "HOME"},
        {CLEAN, "PWD", "/srv", "PWD"},
        {CLEAN, "OLDPWD", "x", "OLDPWD"},
        {CLEAN, "container", "podman", "container (podman)"},
        /* References, not secrets. */
        {CLEAN, "POSTGRES_PASSWORD_FILE", "/run/secrets/db", "*_FILE variable"},
        {CLEAN, "DB_PASSWORD", "/run/secrets/db", "a path value"},
        {CLEAN, "DB_PASSWORD", "", "an empty value"},
        {CLEAN, "DB_PASSWORD", "$DB_PASS", "a $VAR reference"},
        {CLEAN, "DB_PASSWORD", "${DB_PASS}", "a ${VAR} reference"},
        {CLEAN, "DB_PASSWORD", "{{ .Values.pw }}", "a template"},
        {CLEAN, "DB_PASSWORD", "%DB_PASS%", "a %VAR% reference"},
        {CLEAN, "DB_PASSWORD", "<your password>", "a placeholder"},
        {CLEAN, "DB_PASSWORD", "********", "a mask"},
        {CLEAN, "TOKENIZERS_PARALLELISM", "false", "a flag value"},
        {CLEAN, "TOKEN_TTL", "3600", "a *_TTL setting"},
        {CLEAN, "SESSION_TOKEN_LENGTH", "32", "a *_LENGTH setting"},
        {CLEAN, "VAULT_TOKEN_URL", "https://vault/v1/token", "a *_URL"},
        {CLEAN, "AWS_ACCESS_KEY_ID", "placeholder", "a *_ID without a key format"},
        {CLEAN, "SECRET_NAME", "db-creds", "a *_NAME"},
        {CLEAN, "JWT_PUBLIC_KEY", "abc", "a public key"},
        {CLEAN, "BYPASS_CACHE", "yes", "BYPASS is no PASS part"},
        {CLEAN, "COMPASS_MODE", "north", "COMPASS is no PASS part"},
        {CLEAN, "RETRIES", "5", "a plain setting"},
};

static void test_names(struct policy *p)
{
        run_env_cases(p, names, N_CASES(names));
}

static void test_allow_names(void)
{
        struct policy *p =
                only_rule_q(RULE_ENV_SECRETS, "enforce", "'allow_names':['DB_PASSWORD','KEY']");
        struct run x;

        clean(p, "DB_PASSWORD", "hunter2", "allow_names: DB_PASSWORD by name");
        clean(p, "KEY", AWS_ID, "allow_names: KEY with a token format");
        flagged(p, "db_password", "hunter2", "contains 'PASSWORD'");
        flagged(p, "DB_PASSWORD2", "hunter2", "contains 'PASSWORD'");
        x = run_env(p, "'DB_PASSWORD'");
        is_int(x.res.findings.n, 0, "allow_names: an entry without '=' is not a name to allow");
        run_done(&x);
        policy_free(p);
}

static void test_modes(void)
{
        const char *env = "'A=1','AWS_SECRET_ACCESS_KEY=" AWS_SECRET "','B=2'";
        struct policy *p;
        struct run x;

        p = only_rule(RULE_ENV_SECRETS, "deny", NULL);
        x = run_env(p, env);
        is_int(x.r, 0, "deny: no error");
        ok(x.res.denied, "deny: denied");
        is_int(x.res.findings.n, 1, "deny: one finding");
        if (x.res.findings.n == 1) {
                is_int(x.res.findings.items[0].action, FINDING_DENIED, "deny: action denied");
                is_str(x.res.findings.items[0].path, "/process/env/1", "deny: path");
        }
        ok(!leaks(&x, AWS_SECRET), "deny: the value is in no finding or audit line");
        is_str(x.out, x.in, "deny: spec unchanged");
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_ENV_SECRETS, "audit", NULL);
        x = run_env(p, env);
        ok(!x.res.denied && !x.res.changed, "audit: neither denied nor changed");
        is_int(x.res.findings.n, 1, "audit: one finding");
        if (x.res.findings.n == 1)
                is_int(x.res.findings.items[0].action, FINDING_DETECTED, "audit: detected");
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_ENV_SECRETS, "enforce", NULL);
        x = run_env(p, env);
        ok(!x.res.denied && !x.res.changed, "enforce: neither denied nor changed");
        is_int(x.res.findings.n, 1, "enforce: one finding");
        is_str(x.out, x.in, "enforce: the variable stays (removing it breaks the app)");
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_ENV_SECRETS, "off", NULL);
        x = run_env(p, env);
        is_int(x.res.findings.n, 0, "off: no finding");
        run_done(&x);
        policy_free(p);
}

static void test_shapes(struct policy *p)
{
        struct run x;

        x = run_text_q(p, SPEC_CONFIG, "{}");
        is_int(x.r, 0, "no process: no error");
        is_int(x.res.findings.n, 0, "no process: no finding");
        run_done(&x);
        x = run_text_q(p, SPEC_CONFIG, "{'process':{'env':null}}");
        is_int(x.r + (int)x.res.findings.n, 0, "env null: absent");
        run_done(&x);
        x = run_env(p, "");
        is_int(x.r + (int)x.res.findings.n, 0, "env []: nothing");
        run_done(&x);

        x = run_text_q(p, SPEC_CONFIG, "{'process':{'env':{'A':'" AWS_ID "'}}}");
        is_int(x.r, -EINVAL, "env object: refused");
        ok(strstr(x.err.msg, "'/process/env'") && strstr(x.err.msg, "expected array"),
           "env object: message names /process/env (%s)", x.err.msg);
        ok(!leaks(&x, AWS_ID), "env object: the message holds no value");
        run_done(&x);

        x = run_env(p, "'A=1',12345678901234567890,'B=2'");
        is_int(x.r, -EINVAL, "number entry: refused (fail closed)");
        ok(strstr(x.err.msg, "'/process/env/1'") && strstr(x.err.msg, "got number"),
           "number entry: message names the item and its type (%s)", x.err.msg);
        ok(!strstr(x.err.msg, "1234567890"), "number entry: the message holds no value");
        run_done(&x);
        x = run_env(p, "'A=1',null");
        is_int(x.r, -EINVAL, "null entry: refused");
        run_done(&x);
        x = run_env(p, "['A=1']");
        is_int(x.r, -EINVAL, "array entry: refused");
        run_done(&x);

        x = run_env(p, "'PASSWORD=a\\u0000" AWS_ID "'");
        is_int(x.r, -EINVAL, "NUL byte in an entry: refused");
        ok(strstr(x.err.msg, "NUL") && !strstr(x.err.msg, AWS_ID),
           "NUL byte: message says so without the value (%s)", x.err.msg);
        run_done(&x);

        x = run_env(p, "'JUSTANAME','=','=x','" GH_TOKEN "'");
        is_int(x.r, 0, "entries without '=': no error");
        is_int(x.res.findings.n, 1, "entries without '=': only the token is flagged");
        if (x.res.findings.n == 1) {
                char *b = text_of(x.res.findings.items[0].before);
                is_str(x.res.findings.items[0].path, "/process/env/3", "bare token: path");
                is_json(b, "'<redacted>'", "bare token: before is redacted entirely");
                ok(strstr(reason_of(&x, 0), "without '='") != NULL, "bare token: reason says so");
                free(b);
        }
        ok(!leaks(&x, GH_TOKEN), "bare token: the token is in no finding or audit line");
        run_done(&x);

        x = run_env(p, "'" GH_TOKEN "=x'");
        is_int(x.res.findings.n, 0, "token as a name, plain value: not flagged by value");
        run_done(&x);
        x = run_env(p, "'" GH_TOKEN "_PASSWORD=x1'");
        is_int(x.res.findings.n, 1, "token in a secret-like name: flagged");
        ok(!leaks(&x, GH_TOKEN), "token in a name: the name is redacted too");
        run_done(&x);

        x = run_text_q(p, SPEC_PROCESS,
                       "{'args':['sh'],'env':['PATH=/bin','GITHUB_TOKEN=" GH_TOKEN "']}");
        is_int(x.r, 0, "exec process: no error");
        is_int(x.res.findings.n, 1, "exec process: one finding");
        if (x.res.findings.n == 1)
                is_str(x.res.findings.items[0].path, "/env/1", "exec process: path /env/1");
        ok(!leaks(&x, GH_TOKEN), "exec process: no leak");
        run_done(&x);
}

/* The whole array is looked at, fast, and each secret gets its own finding. */
static void test_huge(struct policy *p)
{
        struct policy *deny;
        size_t n = 100000, size = n * 40 + 64, o = 0;
        char *items = malloc(size);
        struct run x;

        if (!items)
                abort();
        for (size_t i = 0; i < n; i++)
                o += (size_t)snprintf(items + o, size - o, "%s'%s_%zu=v%zu'", i ? "," : "",
                                      i % 10000 == 9999 ? "DB_PASSWORD" : "VAR", i, i);
        x = run_env(p, items);
        is_int(x.r, 0, "100000 entries: no error (%s)", x.err.msg);
        is_int(x.res.findings.n, 10, "100000 entries: the 10 secret-like ones flagged");
        if (x.res.findings.n == 10)
                is_str(x.res.findings.items[9].path, "/process/env/99999", "the last one is found");
        run_done(&x);
        free(items);

        /* A value of 1 MiB: the needle pass reads all of it; the patterns read at most 256 KiB
         * per spec, so a value that holds a needle past that is reported as not checked. */
        items = malloc(1u << 21);
        if (!items)
                abort();
        o = (size_t)sprintf(items, "'BLOB=");
        memset(items + o, 'a', (1u << 20));
        o += 1u << 20;
        o += (size_t)sprintf(items + o, "%s'", " " AWS_ID);
        x = run_env(p, items);
        is_int(x.res.findings.n, 1, "1 MiB value with a key id at its end: one finding");
        ok(strstr(reason_of(&x, 0), "may hold an AWS access key id: not checked in full") &&
                   strstr(reason_of(&x, 0), "256 KiB"),
           "1 MiB value: reported as not checked in full (%s)", reason_of(&x, 0));
        ok(x.res.findings.n == 1 && x.res.findings.items[0].action == FINDING_DETECTED,
           "1 MiB value: detected");
        ok(!leaks(&x, AWS_ID), "1 MiB value: nothing leaks");
        run_done(&x);

        /* The same without a needle: read in full, nothing to report. */
        o = (size_t)sprintf(items, "'BLOB=");
        memset(items + o, 'a', (1u << 20));
        o += 1u << 20;
        o += (size_t)sprintf(items + o, "'");
        x = run_env(p, items);
        is_int(x.res.findings.n, 0, "1 MiB value without a needle: nothing");
        run_done(&x);

        /* Within the budget, a key id at the end of a long value is found. */
        o = (size_t)sprintf(items, "'BLOB=");
        memset(items + o, 'a', 200000);
        o += 200000;
        o += (size_t)sprintf(items + o, "%s'", " " AWS_ID);
        x = run_env(p, items);
        is_int(x.res.findings.n, 1, "200 kB value: the key id at its end is found");
        ok(strstr(reason_of(&x, 0), "value looks like an AWS access key id") != NULL,
           "200 kB value: as what it is (%s)", reason_of(&x, 0));
        run_done(&x);

        /* The budget is per spec: once spent, each value that holds a needle says so. */
        o = 0;
        for (size_t i = 0; i < 30; i++) {
                o += (size_t)sprintf(items + o, "%s'V%zu=my_test_", i ? "," : "", i);
                memset(items + o, 'a', 10000);
                o += 10000;
                items[o++] = '\'';
        }
        items[o] = '\0';
        x = run_env(p, items);
        ok(x.res.findings.n == 4 && strstr(reason_of(&x, 0), "may hold a Stripe key"),
           "30 values of 10 kB with a needle: the 4 past 256 KiB reported as not checked (%zu)",
           x.res.findings.n);
        if (x.res.findings.n == 4)
                is_str(x.res.findings.items[0].path, "/process/env/26",
                       "the first value past the budget is the 27th");
        run_done(&x);
        free(items);

        deny = only_rule(RULE_ENV_SECRETS, "deny", NULL);
        x = run_env(deny, "'V=_test_'");
        ok(x.r == 0 && !x.res.denied, "deny: a needle alone is no secret");
        run_done(&x);
        policy_free(deny);
}

static void test_idempotent(struct policy *p)
{
        struct run x = run_env(p, "'GITHUB_TOKEN=" GH_TOKEN "'");
        struct run y = run_text(p, SPEC_CONFIG, x.out ? x.out : "{}");

        is_str(y.out, x.out, "idempotent: output unchanged on a second pass");
        is_int(y.res.findings.n, x.res.findings.n, "idempotent: same report on a second pass");
        run_done(&x);
        run_done(&y);
}

int main(void)
{
        struct policy *p = only_rule(RULE_ENV_SECRETS, "enforce", NULL);

        if (!p)
                return 1;
        test_formats(p);
        test_names(p);
        test_allow_names();
        test_modes();
        test_shapes(p);
        test_huge(p);
        test_idempotent(p);
        policy_free(p);
        return tap_done();
}
