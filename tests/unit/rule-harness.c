/* The rule tests' harness: policies, runs and lookups; the checks are in rule-harness.h. */
#include "rule-harness.h"

const char any_value[] = "(any)";

char *text_of(const struct json *v)
{
        char *buf = NULL;
        size_t len = 0;

        if (!v)
                return strdup("(absent)");
        if (json_write(v, &buf, &len, NULL) < 0)
                return strdup("(unprintable)");
        if (len > 0 && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}

struct json *doc_of(const char *text)
{
        static const struct json_limits limits = {
                .max_bytes = HR_CONFIG_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
        };
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (json_parse(text, strlen(text), &limits, &doc, &err) < 0) {
                diag("test input does not parse: %s", err.msg);
                return NULL;
        }
        return doc;
}

struct policy *policy_of(const char *text, struct hr_error *err)
{
        struct hr_error own = {0};
        struct policy *p = NULL;

        if (policy_parse(text, strlen(text), "policy.json", &p, err ? err : &own) < 0) {
                if (!err)
                        diag("test policy does not parse: %s", own.msg);
                return NULL;
        }
        return p;
}

char *only_rule_text(enum rule_id id, const char *mode, const char *settings)
{
        bool off = strcmp(mode, "off") == 0;
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);

        if (!f)
                abort();
        /* Settings may be large (long lists): the text grows as needed. "off" is no global
         * mode: the rule's object takes it. */
        fprintf(f, "{\"mode\":\"%s\",\"rules\":{", off ? "enforce" : mode);
        for (int i = 0; i < _RULE_MAX; i++) {
                const char *name = rule_id_to_string((enum rule_id)i);
                if (i != (int)id)
                        fprintf(f, "%s\"%s\":{\"mode\":\"off\"}", i ? "," : "", name);
                else
                        fprintf(f, "%s\"%s\":{%s%s%s}", i ? "," : "", name,
                                off ? "\"mode\":\"off\"" : "", off && settings ? "," : "",
                                settings ? settings : "");
        }
        fprintf(f, "}}");
        if (fclose(f) != 0)
                abort();
        return text;
}

struct policy *only_rule(enum rule_id id, const char *mode, const char *settings)
{
        char *text = only_rule_text(id, mode, settings);
        struct policy *p = policy_of(text, NULL);

        free(text);
        return p;
}

struct run run_text(struct policy *p, enum spec_kind kind, const char *input)
{
        struct run x = {0};
        struct json *doc = NULL;

        /* The limits hardrun parses specs with, Go maps' exact keys included. */
        if (!p || json_parse(input, strlen(input), harden_spec_limits(kind), &doc, &x.err) < 0) {
                diag("test input does not parse: %s", x.err.msg);
                x.r = -999;
                return x;
        }
        x.in = text_of(doc);
        x.r = harden_spec(p, kind, SPEC_FILE, doc, &x.res, &x.err);
        x.out = text_of(doc);
        json_free(doc);
        return x;
}

struct run run_rule(enum rule_id id, const char *mode, const char *settings, enum spec_kind kind,
                    const char *input)
{
        struct policy *p = only_rule(id, mode, settings);
        struct run x = run_text(p, kind, input);

        policy_free(p);
        return x;
}

void run_done(struct run *x)
{
        harden_result_done(&x->res);
        free(x->in);
        free(x->out);
        *x = (struct run){0};
}

const struct finding *find(const struct run *x, const char *path)
{
        for (size_t i = 0; i < x->res.findings.n; i++)
                if (strcmp(x->res.findings.items[i].path, path) == 0)
                        return &x->res.findings.items[i];
        return NULL;
}

bool all_actions(const struct run *x, enum finding_action action)
{
        for (size_t i = 0; i < x->res.findings.n; i++)
                if (x->res.findings.items[i].action != action)
                        return false;
        return true;
}

bool all_removals(const struct run *x)
{
        for (size_t i = 0; i < x->res.findings.n; i++)
                if (x->res.findings.items[i].after != NULL)
                        return false;
        return true;
}

char *qjson(const char *text)
{
        size_t len, o = 0;
        char *out;

        if (!text || text == any_value)
                return (char *)text;
        len = strlen(text);
        out = malloc(len + 1);
        if (!out)
                abort();
        for (size_t i = 0; i < len; i++) {
                if (text[i] == '"') {
                        /* No JSON parses this and no output equals it: the case fails. */
                        diag("test JSON with a bare '\"' (a JSON quote is written '): %s", text);
                        free(out);
                        return strdup("(test JSON with a bare double quote)");
                }
                if (text[i] == '\'') {
                        out[o++] = '"';
                } else if (text[i] == '\\' && text[i + 1] == '\'') {
                        out[o++] = '\'';
                        i++;
                } else if (text[i] == '\\' && text[i + 1] != '\0') {
                        out[o++] = text[i++];
                        out[o++] = text[i];
                } else {
                        out[o++] = text[i];
                }
        }
        out[o] = '\0';
        return out;
}

void qjson_free(char *text)
{
        if (text != any_value)
                free(text);
}

struct run run_q(enum rule_id id, const char *mode, const char *settings, enum spec_kind kind,
                 const char *input)
{
        char *s = qjson(settings), *in = qjson(input);
        struct run x = run_rule(id, mode, s, kind, in);

        qjson_free(in);
        qjson_free(s);
        return x;
}

bool json_equals(const char *got, const char *quoted)
{
        char *want = qjson(quoted);
        bool same = got && want && strcmp(got, want) == 0;

        qjson_free(want);
        return same;
}

struct policy *only_rule_q(enum rule_id id, const char *mode, const char *settings)
{
        char *s = qjson(settings);
        struct policy *p = only_rule(id, mode, s);

        qjson_free(s);
        return p;
}

struct run run_text_q(struct policy *p, enum spec_kind kind, const char *input)
{
        char *in = qjson(input);
        struct run x = run_text(p, kind, in);

        qjson_free(in);
        return x;
}
