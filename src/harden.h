/* Runs every rule over a spec in its policy mode: enforce edits the document, audit and deny
 * only record what enforce would change. */
#pragma once

#include <stdbool.h>

#include "findings.h"
#include "json.h"
#include "policy.h"
#include "rules/registry.h"
#include "rules/rule.h"

struct harden_result {
        struct findings findings;
        bool changed; /* the document was edited (some rule enforces) */
        bool denied;  /* some rule in deny mode found something */
};

/* How strictly a spec of this kind is parsed: size bound (config.json or exec process file),
 * depth and member limits, and the objects runc decodes into Go maps (exact keys). */
const struct json_limits *harden_spec_limits(enum spec_kind kind);

/* file names the spec in messages. On success the caller owns result->findings. */
int harden_spec(struct policy *p, enum spec_kind kind, const char *file, struct json *doc,
                struct harden_result *result, struct hr_error *err);

/* The same for a known container: the policy's exemptions are matched against its id and the
 * spec's annotations; each rule an exemption takes out is skipped and recorded as "exempted".
 * container_id may be NULL (then only annotations can match). bundle is the directory the
 * runtime resolves relative paths from (root.path, bind sources); NULL: the current one. */
int harden_container(struct policy *p, enum spec_kind kind, const char *file,
                     const char *container_id, const char *bundle, struct json *doc,
                     struct harden_result *result, struct hr_error *err);

/* harden_container() for an exec process file of a container that runs in a user namespace
 * hardrun gave it (idpool knows it): root and capabilities are judged as inside that namespace
 * (rules user and capabilities with their *_in_user_namespace settings). */
int harden_exec_remapped(struct policy *p, const char *file, const char *container_id,
                         struct json *doc, struct harden_result *result, struct hr_error *err);

/* The audit record of an exemption used (action "exempted", path ""): which one, and why the
 * admins granted it. */
int harden_record_exemption(struct findings *out, const struct policy *p, enum rule_id rule,
                            enum hr_mode mode, int index);

/* What a finding comes to in its rule's mode (never off): changed or refused, detected, or in
 * audit mode what the next mode would do. */
enum finding_action harden_finding_action(const struct policy *p, enum hr_mode mode,
                                          const struct finding *f);

void harden_result_done(struct harden_result *result);

/* The first key with an embedded NUL byte (crun reads "user\u0000x" as "user"), or NULL. */
const char *harden_nul_key(const struct json *doc);
