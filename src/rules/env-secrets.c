/* env_secrets: reports process.env entries that hold a credential (CIS 4.10: secrets belong in
 * files or a secrets store, not in the image or the spec). A known token format in the value
 * is reported whatever the variable's name; a secret-like name is reported when its value is
 * set and is not a reference. The value never leaves this file: findings name the variable. */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

/* Token formats from gitleaks and detect-secrets (POSIX extended regex). Each is specific
 * enough to stand alone; a leading class keeps them from matching inside longer words. Every
 * match holds one of its needles (fixed strings): one pass over a value finds which needles
 * occur, and only their formats' patterns run. glibc scans a leading (^|[^...]) at some 30 MB/s
 * and a pattern with a bounded repetition slower still, so what the patterns read is bounded
 * per spec (REGEX_BUDGET). No unbounded repetition follows a repeated prefix, which glibc's
 * matcher would make quadratic over a value of megabytes. */
static const struct {
        char needles[6][24]; /* fixed strings, one of which must occur; "" ends them */
        char regex[80];
        char reason[40];
} formats[] = {
        {{"AKIA", "ASIA", "ABIA", "ACCA", "A3T"},
         "(^|[^A-Z0-9])(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}([^A-Z0-9]|$)",
         "an AWS access key id"},
        {{"ghp_", "gho_", "ghu_", "ghs_", "ghr_"},
         "(^|[^A-Za-z0-9_])(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}",
         "a GitHub token"},
        {{"github_pat_"},
         "(^|[^A-Za-z0-9_])github_pat_[A-Za-z0-9_]{82}",
         "a GitHub fine-grained token"},
        {{"glpat-"}, "(^|[^A-Za-z0-9_])glpat-[A-Za-z0-9_-]{20}", "a GitLab personal access token"},
        {{"xox"}, "(^|[^A-Za-z0-9_])xox[abeoprs]-[A-Za-z0-9-]{10,}", "a Slack token"},
        {{"hooks.slack.com/"},
         "hooks\\.slack\\.com/(services|workflows|triggers)/[A-Za-z0-9+/_-]{20,}",
         "a Slack webhook URL"},
        {{"_live_", "_test_", "_prod_"},
         "(^|[^A-Za-z0-9_])(sk|rk)_(live|test|prod)_[A-Za-z0-9]{10,99}",
         "a Stripe key"},
        {{"AIza"}, "(^|[^A-Za-z0-9_])AIza[A-Za-z0-9_-]{35}", "a Google API key"},
        {{"sk-ant-"},
         "(^|[^A-Za-z0-9_])sk-ant-(api|admin)[0-9]{2}-[A-Za-z0-9_-]{20,}",
         "an Anthropic API key"},
        {{"T3BlbkFJ"}, "(^|[^A-Za-z0-9_])sk-[A-Za-z0-9_-]{20,80}T3BlbkFJ", "an OpenAI API key"},
        {{"npm_"}, "(^|[^A-Za-z0-9_])npm_[A-Za-z0-9]{36}", "an npm token"},
        {{"pypi-AgEIcHlwaS5vcmc"}, "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}", "a PyPI token"},
        {{"hvs.", "hvb."}, "(^|[^A-Za-z0-9_])hv[sb]\\.[A-Za-z0-9_-]{90,}", "a Vault token"},
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

/* What the patterns read per spec, summed over values: past it, a value that holds a needle is
 * reported as not checked in full, never passed over in silence (see check_value). */
#define REGEX_BUDGET (256u * 1024u)

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

/* ---- fixed strings, found in one pass ---- */

/* Up to 64 fixed strings of two bytes or more: a bitmap of their first two bytes says where one
 * may start, and only there are they compared. A pass is linear in the text: at most the few
 * strings that share a first byte are compared at one place. */
struct needles {
        const char *list[64];
        size_t len[64];
        size_t n;
        bool fold; /* ASCII letters match in either case */
        uint64_t pairs[65536 / 64];
        uint8_t by_first[256][16]; /* indices + 1 of the strings starting with a byte */
};

static void needles_index(struct needles *set, unsigned char a, unsigned char b, size_t i)
{
        unsigned pair = (unsigned)a << 8 | b;
        size_t k = 0;

        set->pairs[pair / 64] |= UINT64_C(1) << (pair % 64);
        while (set->by_first[a][k] && set->by_first[a][k] != i + 1)
                k++;
        /* The lists are this file's constants: any run of the unit test would stop here. */
        if (k + 1 >= ELEMENTSOF(set->by_first[a]))
                abort();
        set->by_first[a][k] = (uint8_t)(i + 1);
}

/* Folding sets index every letter case of the first two bytes, so a pass folds nothing. */
static void needles_add(struct needles *set, const char *s)
{
        unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];

        if (set->n == ELEMENTSOF(set->list) || !a || !b)
                abort();
        set->len[set->n] = strlen(s);
        set->list[set->n] = s;
        needles_index(set, a, b, set->n);
        if (set->fold) {
                needles_index(set, (unsigned char)tolower(a), b, set->n);
                needles_index(set, a, (unsigned char)tolower(b), set->n);
                needles_index(set, (unsigned char)tolower(a), (unsigned char)tolower(b), set->n);
        }
        set->n++;
}

/* Bit k set: list[k] occurs in s. */
static uint64_t needles_find(const struct needles *set, const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;
        uint64_t found = 0;

        for (size_t i = 0; i + 1 < len; i++) {
                unsigned pair = (unsigned)p[i] << 8 | p[i + 1];
                if (!(set->pairs[pair / 64] & (UINT64_C(1) << (pair % 64))))
                        continue;
                for (const uint8_t *k = set->by_first[p[i]]; *k; k++) {
                        size_t n = set->len[*k - 1];
                        if (n <= len - i && !(found & (UINT64_C(1) << (*k - 1))) &&
                            (set->fold ? strncasecmp(s + i, set->list[*k - 1], n)
                                       : memcmp(s + i, set->list[*k - 1], n)) == 0)
                                found |= UINT64_C(1) << (*k - 1);
                }
        }
        return found;
}

/* Words that make a variable name secret-like, anywhere in the name and in any letter case. */
static const char *const name_words[] = {
        "PASSWORD",    "PASSWD",      "PASSPHRASE", "SECRET",      "TOKEN",
        "CREDENTIAL",  "APIKEY",      "API_KEY",    "ACCESS_KEY",  "ACCESSKEY",
        "PRIVATE_KEY", "PRIVATEKEY",  "PRIV_KEY",   "AUTH_KEY",    "CLIENT_KEY",
        "ACCOUNT_KEY", "SERVICE_KEY", "MASTER_KEY", "SIGNING_KEY", "ENCRYPTION_KEY",
};

/* The needles of every format (bit k of a format's mask: needle k is one of its own) and "://"
 * for URLs with a password; the name words, "PUBLIC" and AWS's secret key name. */
static struct needles value_needles, name_needles;
static uint64_t format_masks[ELEMENTSOF(formats)], url_mask, public_mask, aws_secret_mask;

static void needles_init(void)
{
        if (value_needles.n)
                return;
        for (size_t i = 0; i < ELEMENTSOF(formats); i++)
                for (size_t k = 0; k < ELEMENTSOF(formats[i].needles) && formats[i].needles[k][0];
                     k++) {
                        format_masks[i] |= UINT64_C(1) << value_needles.n;
                        needles_add(&value_needles, formats[i].needles[k]);
                }
        url_mask = UINT64_C(1) << value_needles.n;
        needles_add(&value_needles, "://");
        name_needles.fold = true;
        for (size_t i = 0; i < ELEMENTSOF(name_words); i++)
                needles_add(&name_needles, name_words[i]);
        public_mask = UINT64_C(1) << name_needles.n;
        needles_add(&name_needles, "PUBLIC");
        aws_secret_mask = UINT64_C(1) << name_needles.n;
        needles_add(&name_needles, "AWS_SECRET_ACCESS_KEY");
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

/* *ret: the reason text of the first token format s (len bytes, NUL-terminated) holds, or
 * NULL; *ret_unchecked: the first format whose pattern the budget no longer allowed to run. The
 * EXAMPLE key of AWS's documentation (AKIAIOSFODNN7EXAMPLE) is what tutorials and test images
 * carry. */
static int match_format(const char *s, size_t len, size_t *budget, const char **ret,
                        const char **ret_unchecked, struct hr_error *err)
{
        uint64_t found = needles_find(&value_needles, s, len);
        const regex_t *re = NULL;
        int r;

        *ret = *ret_unchecked = NULL;
        for (size_t i = 0; found && i < ELEMENTSOF(formats); i++) {
                if (!(found & format_masks[i]))
                        continue;
                if (len > *budget) {
                        *ret_unchecked = formats[i].reason;
                        return 0;
                }
                *budget -= len;
                if ((r = format_regex(i, &re, err)) < 0)
                        return r;
                if (regexec(re, s, 0, NULL, 0) != 0)
                        continue;
                if (i == 0 && strstr(s, "EXAMPLE"))
                        continue;
                *ret = formats[i].reason;
                return 0;
        }
        if ((found & url_mask) && has_url_password(s))
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

/* The secret-like word in name (len bytes), whatever its letter case, or NULL; found: the name
 * needles it holds. The exceptions are looked at only for a name that has such a word. */
static const char *secret_word(const char *name, size_t len, uint64_t found)
{
        const char *last, *word = NULL;

        for (size_t i = 0; i < ELEMENTSOF(name_words) && !word; i++)
                if (found & (UINT64_C(1) << i))
                        word = name_words[i];
        for (const char *part = name, *end = name + len; !word && part < end;) {
                const char *sep = memchr(part, '_', (size_t)(end - part));
                size_t n = sep ? (size_t)(sep - part) : (size_t)(end - part);
                word = find_word(part, n, name_parts, ELEMENTSOF(name_parts));
                part += n + 1;
        }
        /* Public keys and tokens are published on purpose. */
        if (!word || (found & public_mask) ||
            find_word(name, len, plain_names, ELEMENTSOF(plain_names)))
                return NULL;
        last = memrchr(name, '_', len);
        if (last && find_word(last + 1, len - (size_t)(last + 1 - name), reference_suffixes,
                              ELEMENTSOF(reference_suffixes)))
                return NULL;
        return word;
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

struct env_secrets_settings {
        char **allow_names; /* variable names never reported (exact); NULL: none */
};

static const struct setting settings[] = {
        {"allow_names", &setting_strv, offsetof(struct env_secrets_settings, allow_names),
         .description = "variable names (exact, case-sensitive) never reported"},
};

static const struct env_secrets_settings defaults = {.allow_names = NULL};

static bool is_allowed(const struct env_secrets_settings *s, const char *name, size_t len)
{
        for (char **a = s->allow_names; a && *a; a++)
                if (strlen(*a) == len && memcmp(*a, name, len) == 0)
                        return true;
        return false;
}

/* Entry i of the env array; the path is made only for a finding or an error. */
struct entry {
        const char *env_path;
        size_t index;
        const char *text;
        size_t len;
};

static void entry_path(const struct entry *e, char path[static RULE_PATH_MAX])
{
        rule_index_path(path, e->env_path, e->index);
}

static int report(struct rule_ctx *ctx, const struct entry *e, const char *shown,
                  const char *reason, struct hr_error *err)
{
        struct json *before = json_new_string(shown);
        char path[RULE_PATH_MAX];
        int r;

        if (!before)
                return error_set(err, -ENOMEM, "out of memory");
        entry_path(e, path);
        r = rule_report(ctx, path, before, reason, err);
        json_free(before);
        return r;
}

/* The reason for a value: a token format, else a pattern the budget stopped (said so). */
static void value_reason(char *buf, size_t size, const char *what, const char *format,
                         const char *unchecked)
{
        if (format)
                snprintf(buf, size, "%s looks like %s", what, format);
        else
                snprintf(buf, size,
                         "%s may hold %s: not checked in full (env_secrets reads at most %u KiB "
                         "per spec with its patterns)",
                         what, unchecked, REGEX_BUDGET / 1024);
}

/* One env entry: reported when it holds a secret, under its name alone. */
static int check_entry(struct rule_ctx *ctx, const struct entry *e, size_t *budget,
                       struct hr_error *err)
{
        _cleanup_free_ char *name = NULL, *shown = NULL;
        const char *eq = memchr(e->text, '=', e->len), *value, *format, *unchecked, *word;
        size_t name_len;
        uint64_t words;
        char reason[192];
        int r;

        /* No '=': no variable (runc refuses it), but perhaps a pasted token. */
        if (!eq) {
                if ((r = match_format(e->text, e->len, budget, &format, &unchecked, err)) < 0)
                        return r;
                if (!format && !unchecked)
                        return 0;
                value_reason(reason, sizeof(reason), "entry without '='", format, unchecked);
                return report(ctx, e, "<redacted>", reason, err);
        }
        value = eq + 1;
        name_len = (size_t)(eq - e->text);
        if (is_allowed(ctx->settings, e->text, name_len))
                return 0;
        if ((r = match_format(value, e->len - name_len - 1, budget, &format, &unchecked, err)) < 0)
                return r;
        words = needles_find(&name_needles, e->text, name_len);
        if (format || unchecked)
                value_reason(reason, sizeof(reason), "value", format, unchecked);
        else if (!(word = secret_word(e->text, name_len, words)) || is_reference(value))
                return 0;
        else if (words & aws_secret_mask)
                snprintf(reason, sizeof(reason), "variable holds an AWS secret access key");
        else
                snprintf(reason, sizeof(reason), "variable name contains '%s' and the value is set",
                         word);
        /* A name that is itself a token (a pasted "ghp_...=x") is hidden too, as is one the
         * budget stopped. */
        name = strndup(e->text, name_len);
        if (!name)
                return error_set(err, -ENOMEM, "out of memory");
        if ((r = match_format(name, name_len, budget, &format, &unchecked, err)) < 0)
                return r;
        if (asprintf(&shown, "%s=<redacted>", format || unchecked ? "<redacted>" : name) < 0) {
                shown = NULL;
                return error_set(err, -ENOMEM, "out of memory");
        }
        return report(ctx, e, shown, reason, err);
}

static int apply_env_secrets(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        char env_path[RULE_PATH_MAX], path[RULE_PATH_MAX];
        size_t budget = REGEX_BUDGET;
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
        needles_init();
        for (size_t i = 0; i < env->array.n; i++) {
                const struct json *item = env->array.items[i];
                struct entry e = {env_path, i, NULL, 0};

                /* The message names the type only: the item could be a secret in a number. */
                if (item->type != JSON_STRING) {
                        entry_path(&e, path);
                        return rule_fail(ctx, path, err, "expected string, got %s",
                                         json_type_name(item->type));
                }
                /* A NUL byte would hide the rest from regexec; runc refuses such an entry. */
                if (!json_is_clean_string(item)) {
                        entry_path(&e, path);
                        return rule_fail(ctx, path, err,
                                         "contains a NUL byte (runc refuses it), refusing");
                }
                e.text = item->scalar.text;
                e.len = item->scalar.len;
                if ((r = check_entry(ctx, &e, &budget, err)) < 0)
                        return r;
        }
        return 0;
}

static const char *const owns[] = {"/process/env", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "env_secrets",
        .summary = "credentials in the environment are reported (report only)",
        .enforce = "nothing is rewritten (removing a variable breaks the workload): "
                   "a 'detected' record per variable whose value holds a known token "
                   "format (AWS access key ids, GitHub, GitLab, Slack, Stripe, Google, "
                   "OpenAI, Anthropic, npm, PyPI, Vault, DigitalOcean, SendGrid and "
                   "age keys, private keys, JSON web tokens, URLs with a password) or "
                   "whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, "
                   "CREDENTIAL and the like with a value that is set and is no "
                   "reference (a path, $VAR, a template, a flag, a number). Names "
                   "ending in _FILE, _PATH, _URL, _ID, _NAME and similar are no "
                   "secrets. Records name the variable, never the value. Exec process "
                   "files too. The patterns read at most 256 KiB of values per spec: a "
                   "value with a token's fixed part past that is reported as not "
                   "checked in full.",
        .deny = "any such variable",
        .spec = "process.env[]",
        .cis = "4.10 (secrets are not stored in Dockerfiles)",
        .pss = "none (the standards do not look at environment variables; Kyverno's "
               "disallow-secrets-from-env-vars policy does)",
};

static bool engine_term_env_secrets(const struct finding *f, const struct json *spec, bool cli,
                                    char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "a secret in -e/--env", "a secret in env", buf, size);
}

const struct rule rule_env_secrets = {
        .id = RULE_ENV_SECRETS,
        .name = "env_secrets",
        .owns = owns,
        .for_process = true,
        .report_only = true,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct env_secrets_settings),
        .defaults = &defaults,
        .apply = apply_env_secrets,
        .engine_term = engine_term_env_secrets,
        .doc = &doc,
};
