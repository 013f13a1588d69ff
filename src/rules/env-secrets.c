/* env_secrets: reports process.env entries that hold a credential (CIS 4.10: secrets belong in
 * files or a secrets store, not in the image or the spec). A known token format in the value
 * is reported whatever the variable's name; a secret-like name is reported when its value is
 * set and is not a reference. The value never leaves this file: findings name the variable. */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"
#include "util/cleanup.h"

/* Token formats from gitleaks and detect-secrets (POSIX extended regex). Each is specific
 * enough to stand alone; a leading class keeps them from matching inside longer words. A value
 * without the needle (a fixed part of the format) skips the regex: glibc scans a leading
 * (^|[^...]) at some 60 MB/s, strstr at memory speed. No unbounded repetition follows a
 * repeated prefix, which glibc's matcher would make quadratic over a value of megabytes. */
static const struct {
        const char *needles[6]; /* fixed strings, one of which must occur */
        const char *regex;
        const char *reason;
} formats[] = {
        {{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
         "(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}([^A-Z0-9]|$)",
         "an AWS access key id"},
        {{"_"}, "(^|[^A-Za-z0-9_])(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}", "a GitHub token"},
        {{"github_pat_"},
         "(^|[^A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}",
         "a GitHub fine-grained token"},
        {{"glpat-"}, "(^|[^A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20}", "a GitLab personal access token"},
        {{"xox"}, "(^|[^A-Za-z0-9_])xox[abeoprs]-[A-Za-z0-9-]{10,}", "a Slack token"},
        {{"hooks.slack.com/"},
         "hooks\\.slack\\.com/(services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
         "a Slack webhook URL"},
        {{"k_"}, "(^|[^A-Za-z0-9_])(sk|rk)_(live|test|prod)_[A-Za-z0-9]{10,99}", "a Stripe key"},
        {{"AIza"}, "(^|[^A-Za-z0-9_])AIza[A-Za-z0-9_-]{35}", "a Google API key"},
        {{"sk-ant-"},
         "(^|[^A-Za-z0-9_])sk-ant-(api|admin)[0-9]{2}-[A-Za-z0-9_-]{20,}",
         "an Anthropic API key"},
        {{"T3BlbkFJ"}, "(^|[^A-Za-z0-9_])sk-[A-Za-z0-9_-]{20,80}T3BlbkFJ", "an OpenAI API key"},
        {{"npm_"}, "(^|[^A-Za-z0-9_])npm_[A-Za-z0-9]{36}", "an npm token"},
        {{"pypi-AgEIcHlwaS5vcmc"}, "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", "a PyPI token"},
        {{"hv"}, "(^|[^A-Za-z0-9_])hv[sb]\\.[A-Za-z0-9_-]{90,}", "a Vault token"},
        {{"_v1_"}, "(^|[^A-Za-z0-9_])do[opr]_v1_[a-f0-9]{64}", "a DigitalOcean token"},
        {{"SG."},
         "(^|[^A-Za-z0-9_])SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
         "a SendGrid API key"},
        {{"AGE-SECRET-KEY-1"}, "AGE-SECRET-KEY-1[0-9A-Z]{58}", "an age secret key"},
        {{"PRIVATE KEY"}, "-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY( BLOCK)?-----", "a private key"},
        {{"PuTTY-User-Key-File-"}, "PuTTY-User-Key-File-[0-9]", "a private key"},
        {{"eyJ"},
         "(^|[^A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.",
         "a JSON web token"},
};

/* Words that make a variable name secret-like, anywhere in the name and in any letter case. */
static const char *const name_words[] = {
        "PASSWORD",    "PASSWD",      "PASSPHRASE", "SECRET",      "TOKEN",
        "CREDENTIAL",  "APIKEY",      "API_KEY",    "ACCESS_KEY",  "ACCESSKEY",
        "PRIVATE_KEY", "PRIVATEKEY",  "PRIV_KEY",   "AUTH_KEY",    "CLIENT_KEY",
        "ACCOUNT_KEY", "SERVICE_KEY", "MASTER_KEY", "SIGNING_KEY", "ENCRYPTION_KEY",
};

/* Short words that count only as a whole '_'-separated part of the name (DB_PASS, MYSQL_PWD),
 * so BYPASS and COMPASS stay unflagged. */
static const char *const name_parts[] = {"PASS", "PWD", "CREDS"};

/* A last name part that says the variable holds something about the secret, not the secret:
 * POSTGRES_PASSWORD_FILE, TOKEN_URL, AWS_ACCESS_KEY_ID, SECRET_NAME. A URL with a password in
 * it is still caught by its format. */
static const char *const reference_suffixes[] = {
        "FILE", "PATH",   "DIR",     "URL",    "URI",     "ENDPOINT",  "ID",       "NAME",
        "TYPE", "LENGTH", "LEN",     "HOST",   "PORT",    "USER",      "USERNAME", "ENABLED",
        "TTL",  "EXPIRY", "TIMEOUT", "HEADER", "VERSION", "ALGORITHM", "REGION",   "MOUNT",
};

/* Names engines and shells set that a word above would match: the shell's working directory. */
static const char *const plain_names[] = {"PWD", "OLDPWD"};

static regex_t compiled[ELEMENTSOF(formats)];
static bool compiled_ok[ELEMENTSOF(formats)];

/* Each pattern is compiled the first time a value holds its needle, and kept for the life of
 * the process: compiling them all costs more than the rest of hardrun's work on a spec, and
 * most environments hold no needle at all. */
static int format_regex(size_t i, const regex_t **ret, struct hr_error *err)
{
        if (!compiled_ok[i]) {
                int r = regcomp(&compiled[i], formats[i].regex, REG_EXTENDED | REG_NOSUB);
                if (r != 0)
                        return error_set(err, r == REG_ESPACE ? -ENOMEM : -EINVAL,
                                         "env_secrets: pattern %zu does not compile", i);
                compiled_ok[i] = true;
        }
        *ret = &compiled[i];
        return 0;
}

static bool has_needle(const char *s, const char *const *needles)
{
        for (size_t i = 0; i < ELEMENTSOF(formats[0].needles) && needles[i]; i++)
                if (strstr(s, needles[i]))
                        return true;
        return false;
}

/* scheme://user:password@host, with a password that is not a ${reference}. A plain scan: the
 * regex for it is quadratic in glibc. Each scan stops at the next '/', so this is linear. */
static bool has_url_password(const char *s)
{
        for (const char *p = strstr(s, "://"); p; p = strstr(p + 3, "://")) {
                const char *auth = p + 3, *colon;
                size_t n = strcspn(auth, "/@ \t\r\n");

                if (p == s || !isalnum((unsigned char)p[-1]) || auth[n] != '@')
                        continue;
                colon = memchr(auth, ':', n);
                if (colon && colon + 1 < auth + n && colon[1] != '$' && colon[1] != '{')
                        return true;
        }
        return false;
}

/* *ret: the reason text of the first token format s holds, or NULL. The EXAMPLE key of AWS's
 * documentation (AKIAIOSFODNN7EXAMPLE) is what tutorials and test images carry. */
static int match_format(const char *s, const char **ret, struct hr_error *err)
{
        const regex_t *re = NULL;
        int r;

        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(formats); i++) {
                if (!has_needle(s, formats[i].needles))
                        continue;
                if ((r = format_regex(i, &re, err)) < 0)
                        return r;
                if (regexec(re, s, 0, NULL, 0) != 0)
                        continue;
                if (i == 0 && strstr(s, "EXAMPLE"))
                        continue;
                *ret = formats[i].reason;
                return 0;
        }
        if (has_url_password(s))
                *ret = "a URL with a password";
        return 0;
}

/* The entry of list that s (len bytes) is, ignoring case, or NULL. */
static const char *find_word(const char *s, size_t len, const char *const *list, size_t n)
{
        for (size_t i = 0; i < n; i++)
                if (strlen(list[i]) == len && strncasecmp(s, list[i], len) == 0)
                        return list[i];
        return NULL;
}

/* The secret-like word in name, whatever its letter case, or NULL. */
static const char *secret_word(const char *name)
{
        const char *last = name, *part, *word;

        if (find_word(name, strlen(name), plain_names, ELEMENTSOF(plain_names)))
                return NULL;
        for (const char *p = strchr(name, '_'); p; p = strchr(last, '_'))
                last = p + 1;
        if (last != name &&
            find_word(last, strlen(last), reference_suffixes, ELEMENTSOF(reference_suffixes)))
                return NULL;
        /* Public keys and tokens are published on purpose. */
        if (strcasestr(name, "PUBLIC"))
                return NULL;
        for (size_t i = 0; i < ELEMENTSOF(name_words); i++)
                if (strcasestr(name, name_words[i]))
                        return name_words[i];
        for (part = name; *part;) {
                size_t len = strcspn(part, "_");
                if ((word = find_word(part, len, name_parts, ELEMENTSOF(name_parts))))
                        return word;
                part += len;
                part += *part == '_';
        }
        return NULL;
}

/* Values that are not a secret although the name looks like one: empty, a file path (the
 * *_FILE convention, /run/secrets/...), a reference the image or engine resolves ($VAR,
 * ${VAR}, {{ x }}, %VAR%, @VAR@, <placeholder>), a flag or a number, one character repeated
 * (a mask like ******). The list follows gitleaks' and detect-secrets' allowlists. */
static bool is_reference(const char *v)
{
        static const char *const words[] = {"true", "false", "null", "none", "nil",
                                            "yes",  "no",    "on",   "off"};
        size_t len = strlen(v), digits = strspn(v, "0123456789");

        if (len == 0 || v[0] == '/' || v[0] == '$' || digits == len)
                return true;
        if ((v[0] == '{' && v[1] == '{') || (len >= 2 && v[0] == '%' && v[len - 1] == '%') ||
            (len >= 2 && v[0] == '@' && v[len - 1] == '@') ||
            (len >= 2 && v[0] == '<' && v[len - 1] == '>'))
                return true;
        if (strspn(v, (char[]){v[0], '\0'}) == len)
                return true;
        return find_word(v, len, words, ELEMENTSOF(words)) != NULL;
}

static bool is_allowed(const struct policy *p, const char *name)
{
        for (char **a = p->env_secrets.allow_names; a && *a; a++)
                if (strcmp(*a, name) == 0)
                        return true;
        return false;
}

static int report(struct rule_ctx *ctx, const char *path, const char *shown, const char *reason,
                  struct hr_error *err)
{
        struct json *before = json_new_string(shown);
        int r;

        if (!before)
                return error_set(err, -ENOMEM, "out of memory");
        r = rule_report(ctx, path, before, reason, err);
        json_free(before);
        return r;
}

/* One env entry: reported when it holds a secret, under its name alone. */
static int check_entry(struct rule_ctx *ctx, const char *entry, size_t len, const char *path,
                       struct hr_error *err)
{
        _cleanup_free_ char *name = NULL, *shown = NULL;
        const char *eq = memchr(entry, '=', len), *value, *format, *word;
        char reason[128];
        int r;

        /* No '=': no variable (runc refuses it), but perhaps a pasted token. */
        if (!eq) {
                if ((r = match_format(entry, &format, err)) < 0)
                        return r;
                if (!format)
                        return 0;
                snprintf(reason, sizeof(reason), "entry without '=' looks like %s", format);
                return report(ctx, path, "<redacted>", reason, err);
        }
        value = eq + 1;
        name = strndup(entry, (size_t)(eq - entry));
        if (!name)
                return error_set(err, -ENOMEM, "out of memory");
        if (is_allowed(ctx->policy, name))
                return 0;
        if ((r = match_format(value, &format, err)) < 0)
                return r;
        if (format)
                snprintf(reason, sizeof(reason), "value looks like %s", format);
        else if (!(word = secret_word(name)) || is_reference(value))
                return 0;
        else if (strcasestr(name, "AWS_SECRET_ACCESS_KEY"))
                snprintf(reason, sizeof(reason), "variable holds an AWS secret access key");
        else
                snprintf(reason, sizeof(reason), "variable name contains '%s' and the value is set",
                         word);
        /* A name that is itself a token (a pasted "ghp_...=x") is hidden too. */
        if ((r = match_format(name, &format, err)) < 0)
                return r;
        if (asprintf(&shown, "%s=<redacted>", format ? "<redacted>" : name) < 0) {
                shown = NULL;
                return error_set(err, -ENOMEM, "out of memory");
        }
        return report(ctx, path, shown, reason, err);
}

static int apply_env_secrets(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        char env_path[RULE_PATH_MAX];
        struct json *process, *env;
        const char *prefix;
        int r;

        r = rule_process(ctx, doc, &process, &prefix, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, process, prefix, "env", JSON_ARRAY, false, &env, err);
        if (r <= 0)
                return r;
        snprintf(env_path, sizeof(env_path), "%s/env", prefix);
        for (size_t i = 0; i < env->array.n; i++) {
                const struct json *item = env->array.items[i];
                char path[RULE_PATH_MAX];

                snprintf(path, sizeof(path), "%s/%zu", env_path, i);
                /* The message names the type only: the item could be a secret in a number. */
                if (item->type != JSON_STRING)
                        return rule_fail(ctx, path, err, "expected string, got %s",
                                         json_type_name(item->type));
                /* A NUL byte would hide the rest from regexec; runc refuses such an entry. */
                if (!json_is_clean_string(item))
                        return rule_fail(ctx, path, err,
                                         "contains a NUL byte (runc refuses it), refusing");
                if ((r = check_entry(ctx, item->scalar.text, item->scalar.len, path, err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/env", NULL};

const struct rule rule_env_secrets = {
        .id = RULE_ENV_SECRETS,
        .owns = owns,
        .for_process = true,
        .report_only = true,
        .apply = apply_env_secrets,
};
