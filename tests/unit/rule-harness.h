/* The harness the rule unit tests share: a policy with one rule on, a spec run through
 * harden_spec(), and the checks most rule tests make on the result. The checks are static
 * inline because tap.h keeps its counters per program. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "harden.h"
#include "rules/helpers.h"
#include "json.h"
#include "policy.h"
#include "tap.h"

/* The spec file every run names: messages start with it. */
#define SPEC_FILE "/run/b/config.json"

/* For check_finding(): any before or after, not checked. */
extern const char any_value[];

struct run {
        int r; /* harden_spec()'s return, -999 when the test input did not parse */
        struct hr_error err;
        struct harden_result res;
        char *in;  /* the document before the run, as written by json_write() */
        char *out; /* the document after the run */
};

/* v as compact JSON text without the newline, "(absent)" for NULL; malloc'd. */
char *text_of(const struct json *v);
/* text parsed with the config limits, NULL (and a diagnostic) when it does not parse. */
struct json *doc_of(const char *text);
/* The policy text parsed; NULL when it does not parse, with the error in err or, for a NULL
 * err, a diagnostic. */
struct policy *policy_of(const char *text, struct hr_error *err);
/* A policy in global mode where only rule id runs, with settings (NULL: none) inside its
 * object; every other rule is off. Mode "off", which only a rule takes, turns rule id off. */
struct policy *only_rule(enum rule_id id, const char *mode, const char *settings);
/* only_rule()'s policy text, malloc'd. */
char *only_rule_text(enum rule_id id, const char *mode, const char *settings);

/* input hardened by p (kept); the run holds the result and both texts. */
struct run run_text(struct policy *p, enum spec_kind kind, const char *input);
/* run_text() with only_rule(id, mode, settings), freed after. */
struct run run_rule(enum rule_id id, const char *mode, const char *settings, enum spec_kind kind,
                    const char *input);
void run_done(struct run *x);

/* The first finding at path, or NULL. */
const struct finding *find(const struct run *x, const char *path);
bool all_actions(const struct run *x, enum finding_action action);
/* Every finding is a removal: nothing after it. */
bool all_removals(const struct run *x);

/* The finding at path: its rule, before and after (JSON text; NULL: absent; any_value: not
 * checked) and its action. */
static inline void check_finding(const struct run *x, const char *path, enum rule_id rule,
                                 const char *before, const char *after, enum finding_action action)
{
        const struct finding *f = find(x, path);
        char *b, *a;

        ok(f != NULL, "finding at %s", path);
        if (!f)
                return;
        b = text_of(f->before);
        a = text_of(f->after);
        is_int(f->rule, rule, "%s: rule %s", path, rule_id_to_string(rule));
        if (before != any_value)
                is_str(b, before ? before : "(absent)", "%s: before", path);
        if (after != any_value)
                is_str(a, after ? after : "(absent)", "%s: after", path);
        is_int(f->action, action, "%s: action %s", path, finding_action_to_string(action));
        free(b);
        free(a);
}

/* One rule in enforce mode changed the value at path from before into after (JSON text). */
static inline void enforce_finding(enum rule_id id, const char *settings, const char *input,
                                   const char *path, const char *before, const char *after)
{
        struct run x = run_rule(id, "enforce", settings, SPEC_CONFIG, input);

        check_finding(&x, path, id, before, after, FINDING_CHANGED);
        run_done(&x);
}

/* One rule in enforce mode: no error, the exact output (want NULL: not checked), the number of
 * findings, the changed flag, not denied. The run is the caller's to check further and free. */
static inline struct run enforce_one(enum rule_id id, const char *settings, enum spec_kind kind,
                                     const char *input, const char *want, size_t n_findings,
                                     const char *what)
{
        struct run x = run_rule(id, "enforce", settings, kind, input);

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        if (want)
                is_str(x.out, want, "%s: output", what);
        is_int(x.res.findings.n, n_findings, "%s: %zu findings", what, n_findings);
        is_int(x.res.changed, n_findings > 0, "%s: changed flag", what);
        ok(!x.res.denied, "%s: not denied", what);
        return x;
}

/* x's output hardened again by the same rule: no error, no finding, the same text. */
static inline void check_idempotent(enum rule_id id, const char *settings, enum spec_kind kind,
                                    const struct run *x, const char *what)
{
        struct run y = run_rule(id, "enforce", settings, kind, x->out ? x->out : "{}");

        ok(y.r == 0 && y.res.findings.n == 0, "%s: idempotent (%s)", what, y.err.msg);
        is_str(y.out, x->out, "%s: output hardened again is the same", what);
        run_done(&y);
}

/* enforce_one(), every finding changed, and the output is a fixed point. */
static inline void enforce_rule(enum rule_id id, const char *settings, enum spec_kind kind,
                                const char *input, const char *want, size_t n, const char *what)
{
        struct run x = enforce_one(id, settings, kind, input, want, n, what);

        ok(all_actions(&x, FINDING_CHANGED), "%s: every finding changed", what);
        check_idempotent(id, settings, kind, &x, what);
        run_done(&x);
}

/* enforce_rule() for rules that only remove entries: every finding is a removal. */
static inline void enforce_removal(enum rule_id id, const char *settings, const char *input,
                                   const char *want, size_t n, const char *what)
{
        struct run x = enforce_one(id, settings, SPEC_CONFIG, input, want, n, what);

        ok(all_actions(&x, FINDING_CHANGED) && all_removals(&x),
           "%s: every finding is a removal by rule %s", what, rule_id_to_string(id));
        check_idempotent(id, settings, SPEC_CONFIG, &x, what);
        run_done(&x);
}

/* A malformed spec fails closed: -EINVAL, the message starts "file: 'path': " and says part
 * (NULL: not checked), and no finding is left. */
static inline void refuse_one(enum rule_id id, const char *settings, enum spec_kind kind,
                              const char *input, const char *path, const char *part,
                              const char *what)
{
        struct run x = run_rule(id, "enforce", settings, kind, input);
        char named[sizeof(SPEC_FILE) + RULE_PATH_MAX + 8];

        snprintf(named, sizeof(named), SPEC_FILE ": '%s': ", path);
        is_int(x.r, -EINVAL, "%s: refused", what);
        ok(strncmp(x.err.msg, SPEC_FILE ": ", strlen(SPEC_FILE) + 2) == 0,
           "%s: message names the file (%s)", what, x.err.msg);
        ok(strncmp(x.err.msg, named, strlen(named)) == 0, "%s: then '%s'", what, path);
        if (part)
                ok(strstr(x.err.msg, part) != NULL, "%s: message says '%s'", what, part);
        is_int(x.res.findings.n, 0, "%s: no findings left after an error", what);
        run_done(&x);
}

/* Audit leaves the spec alone and records n would_change findings; deny refuses it. */
static inline void check_modes(enum rule_id id, const char *settings, const char *input, size_t n,
                               const char *what)
{
        struct run x = run_rule(id, "audit", settings, SPEC_CONFIG, input);

        is_int(x.r, 0, "%s audit: no error (%s)", what, x.err.msg);
        is_str(x.out, input, "%s audit: spec unchanged", what);
        is_int(x.res.findings.n, n, "%s audit: %zu findings", what, n);
        ok(all_actions(&x, FINDING_WOULD_CHANGE), "%s audit: every finding would_change", what);
        ok(!x.res.changed && !x.res.denied, "%s audit: neither changed nor denied", what);
        run_done(&x);

        x = run_rule(id, "deny", settings, SPEC_CONFIG, input);
        is_int(x.r, 0, "%s deny: no error (%s)", what, x.err.msg);
        is_str(x.out, input, "%s deny: spec unchanged", what);
        ok(x.res.denied == (n > 0), "%s deny: denied is %s", what, n > 0 ? "set" : "clear");
        is_int(x.res.findings.n, n, "%s deny: %zu findings", what, n);
        ok(all_actions(&x, FINDING_DENIED), "%s deny: every finding denied", what);
        run_done(&x);
}

/* Test JSON is written with single quotes, so a case reads as the document it is. qjson() reads
 * the text as C delivers it: each ' becomes ", a backslash pair is kept as it is (a JSON
 * escape: \\ , \n, \" stay), and \' becomes a literal '. So {'a':'it\'s'} is {"a":"it's"},
 * written "{'a':'it\\'s'}" in C. A bare " is refused with a diagnostic and a text that neither
 * parses nor equals any output, so a case mixing the two conventions fails, never passes by
 * accident. NULL and any_value come back as they are; the rest is malloc'd, for qjson_free(). */
char *qjson(const char *text);
void qjson_free(char *text);

#define N_CASES(cases) (sizeof(cases) / sizeof((cases)[0]))

/* One run of a rule in enforce mode; JSON fields in single quotes. */
struct rule_case {
        const char *name;
        const char *policy;  /* the rule's settings inside its object; NULL: none */
        const char *spec;    /* the input */
        const char *want;    /* the output; NULL: the input unchanged; any_value: not checked */
        size_t changed;      /* findings, each a change */
        enum spec_kind kind; /* SPEC_CONFIG unless set */
};

/* Each case through enforce_rule(), or enforce_removal() (SPEC_CONFIG only) when removal is
 * set. */
static inline void run_rule_cases(enum rule_id id, const struct rule_case *cases, size_t n,
                                  bool removal)
{
        for (size_t i = 0; i < n; i++) {
                const struct rule_case *c = &cases[i];
                char *policy = qjson(c->policy), *spec = qjson(c->spec);
                char *want = c->want ? qjson(c->want) : spec;
                const char *checked = want == any_value ? NULL : want;

                if (removal)
                        enforce_removal(id, policy, spec, checked, c->changed, c->name);
                else
                        enforce_rule(id, policy, c->kind, spec, checked, c->changed, c->name);
                if (want != spec)
                        qjson_free(want);
                qjson_free(spec);
                qjson_free(policy);
        }
}
#define enforce_cases(id, cases) run_rule_cases(id, cases, N_CASES(cases), false)
#define removal_cases(id, cases) run_rule_cases(id, cases, N_CASES(cases), true)

/* A malformed spec refused: the message names path and says part (NULL: not checked). */
struct refuse_case {
        const char *name;
        const char *policy;
        const char *spec;
        const char *path;
        const char *part; /* plain text, not JSON */
        enum spec_kind kind;
};

static inline void run_refuse_cases(enum rule_id id, const struct refuse_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct refuse_case *c = &cases[i];
                char *policy = qjson(c->policy), *spec = qjson(c->spec);

                refuse_one(id, policy, c->kind, spec, c->path, c->part, c->name);
                qjson_free(spec);
                qjson_free(policy);
        }
}
#define refuse_cases(id, cases) run_refuse_cases(id, cases, N_CASES(cases))

/* Audit and deny on one spec: n findings (check_modes()). */
struct mode_case {
        const char *name;
        const char *policy;
        const char *spec;
        size_t findings;
};

static inline void run_mode_cases(enum rule_id id, const struct mode_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char *policy = qjson(cases[i].policy), *spec = qjson(cases[i].spec);

                check_modes(id, policy, spec, cases[i].findings, cases[i].name);
                qjson_free(spec);
                qjson_free(policy);
        }
}
#define mode_cases(id, cases) run_mode_cases(id, cases, N_CASES(cases))

/* The finding at path after one enforce run (enforce_finding()); before and after as in
 * check_finding(), in single quotes. */
struct finding_case {
        const char *policy;
        const char *spec;
        const char *path;
        const char *before;
        const char *after;
};

static inline void run_finding_cases(enum rule_id id, const struct finding_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct finding_case *c = &cases[i];
                char *policy = qjson(c->policy), *spec = qjson(c->spec);
                char *before = qjson(c->before), *after = qjson(c->after);

                enforce_finding(id, policy, spec, c->path, before, after);
                qjson_free(after);
                qjson_free(before);
                qjson_free(spec);
                qjson_free(policy);
        }
}
#define finding_cases(id, cases) run_finding_cases(id, cases, N_CASES(cases))

/* only_rule() with settings in single quotes. */
struct policy *only_rule_q(enum rule_id id, const char *mode, const char *settings);

/* run_text() on input in single quotes. */
struct run run_text_q(struct policy *p, enum spec_kind kind, const char *input);

/* run_rule() on settings and input in single quotes. */
struct run run_q(enum rule_id id, const char *mode, const char *settings, enum spec_kind kind,
                 const char *input);

/* got is the JSON text written in single quotes as quoted. */
bool json_equals(const char *got, const char *quoted);

/* is_str() against JSON in single quotes. */
#define is_json(got, want, ...)                  \
        do {                                     \
                char *_want = qjson(want);       \
                is_str(got, _want, __VA_ARGS__); \
                qjson_free(_want);               \
        } while (0)

/* One case whose texts are built at run time (a compound literal): the table runners on it. */
static inline void one_enforce(enum rule_id id, struct rule_case c)
{
        run_rule_cases(id, &c, 1, false);
}

static inline void one_removal(enum rule_id id, struct rule_case c)
{
        run_rule_cases(id, &c, 1, true);
}

static inline void one_refusal(enum rule_id id, struct refuse_case c)
{
        run_refuse_cases(id, &c, 1);
}

static inline void one_mode(enum rule_id id, struct mode_case c)
{
        run_mode_cases(id, &c, 1);
}

static inline void one_finding(enum rule_id id, struct finding_case c)
{
        run_finding_cases(id, &c, 1);
}

/* enforce_one() on settings, input and want in single quotes. */
static inline struct run enforce_one_q(enum rule_id id, const char *settings, enum spec_kind kind,
                                       const char *input, const char *want, size_t n_findings,
                                       const char *what)
{
        char *s = qjson(settings), *in = qjson(input), *w = qjson(want);
        struct run x = enforce_one(id, s, kind, in, w, n_findings, what);

        qjson_free(w);
        qjson_free(in);
        qjson_free(s);
        return x;
}

/* check_finding() with before and after in single quotes. */
static inline void check_finding_q(const struct run *x, const char *path, enum rule_id rule,
                                   const char *before, const char *after,
                                   enum finding_action action)
{
        char *b = qjson(before), *a = qjson(after);

        check_finding(x, path, rule, b, a, action);
        qjson_free(a);
        qjson_free(b);
}
