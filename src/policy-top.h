/* The policy's top level besides "rules": the document's version and global mode, and the
 * sections runtime, audit, exemptions, command_line and messages. Each is a settings table (or a
 * type) over struct policy itself, offsets from it, with its checks and its defaults; the loader
 * (policy.c) puts them in the document's order around "rules". */
#pragma once

#include "policy.h"
#include "settings.h"

/* "version": 1, the only one this hardrun reads; no field. */
extern const struct setting_type setting_policy_version;
/* A mode (enum hr_mode): "enforce", "audit", "deny" or "off". */
extern const struct setting_type setting_policy_mode;
/* "exemptions": the policy's list (at offset 0: the type reads the policy itself). */
extern const struct setting_type setting_policy_exemptions;

/* The sections' tables; their sizes are part of the declarations, so that the loader's table
 * can name them (a definition of another size does not compile). */
#define POLICY_RUNTIME_SETTINGS 2
#define POLICY_AUDIT_SETTINGS 4
#define POLICY_COMMAND_LINE_SETTINGS 2
#define POLICY_MESSAGES_SETTINGS 1
extern const struct setting policy_runtime_settings[POLICY_RUNTIME_SETTINGS];
extern const struct setting policy_audit_settings[POLICY_AUDIT_SETTINGS];
extern const struct setting policy_command_line_settings[POLICY_COMMAND_LINE_SETTINGS];
extern const struct setting policy_messages_settings[POLICY_MESSAGES_SETTINGS];

/* The top level's defaults (the built-in default's): global mode enforce, the audit file, a
 * failed audit write fails the call. */
extern const struct policy policy_top_defaults;
