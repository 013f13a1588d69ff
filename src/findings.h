/* What each rule saw and did: rule, JSON path, value before and after, and the outcome. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "json.h"
#include "policy.h"

enum finding_action {
        FINDING_CHANGED,      /* enforce: written to the spec */
        FINDING_WOULD_CHANGE, /* audit: logged only */
        FINDING_WOULD_DENY,   /* audit: logged only; the spec would be refused (see harden.c) */
        FINDING_DENIED,       /* deny: the spec is refused */
        FINDING_DETECTED,     /* enforce or audit: reported, nothing to rewrite */
        FINDING_EXEMPTED,     /* the rule did not run: a policy exemption matched */
        _FINDING_ACTION_MAX,
};

struct finding {
        enum rule_id rule;
        enum hr_mode mode;
        enum finding_action action;
        const char *path;    /* JSON pointer into the spec, "/process/user/uid" (in store) */
        struct json *before; /* NULL: absent */
        struct json *after;  /* NULL: removed */
        bool unfixable;      /* no rewrite can make it safe: enforce refuses, like deny */
        bool report_only;    /* a fact to report (privileged, secrets): only deny refuses */
        bool command_line;   /* judged by the policy's command_line section, not by rule */
};

struct findings {
        struct finding *items;
        size_t n, cap;
        struct json *store; /* the document the copies of path, before and after live in */
};

/* Copies path, before and after. */
int findings_add(struct findings *f, enum rule_id rule, const char *path, const struct json *before,
                 const struct json *after);
void findings_clear(struct findings *f);

const char *finding_action_to_string(enum finding_action action);

/* Room for a value shown by finding_render(): a path of PATH_MAX, quoted. */
#define FINDING_VALUE_SHOWN_SIZE 4160

/* A before or after value as people read it in messages and reports: a string whole (paths
 * must not be cut), an object, array or number cut at 60 characters ("..."), absent for
 * NULL. */
void finding_render(const struct json *v, const char *absent, char *buf, size_t size);

/* _FINDING_ACTION_MAX for a name that is none of them. */
enum finding_action finding_action_from_string(const char *name);
