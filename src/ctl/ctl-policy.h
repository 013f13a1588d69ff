/* hardrunctl policy validate|install|show|explain. Each returns hardrunctl's exit status: 0
 * success, 1 invalid (validate), 2 error or unknown rule. */
#pragma once

#include <stdio.h>

#include "policy.h"

/* Parses the file as hardrun would (strictly, loading libmount for tmpfs options and the
 * seccomp profile file it names, which is checked and compiled), printing "FILE: ok" or the
 * one-line error to out. Ownership problems hardrun would refuse are warned about on errs. */
int ctl_policy_validate(FILE *out, FILE *errs, const char *path);

/* Validates FILE as policy validate does, then replaces target with it atomically (0644, temp
 * file, fsync, rename) and makes it the last good copy in lastgood_dir (NULL: none). Prints
 * "TARGET: installed (sha256:...)" to out; 1 invalid (target unchanged), 2 cannot write. */
int ctl_policy_install(FILE *out, FILE *errs, const char *file, const char *target,
                       const char *lastgood_dir);

/* The effective policy (the file, or the built-in default when it does not exist) as indented
 * JSON, every default written out. */
int ctl_policy_show(FILE *out, FILE *errs, const char *policy_path);

/* What a rule does, where it comes from, and its fields with types and defaults. NULL lists
 * the rules. An unknown name is reported on errs with the known ones. */
int ctl_policy_explain(FILE *out, FILE *errs, const char *rule);

/* "privileged, user, ...": every rule's name in rule order, then a newline. */
void ctl_policy_print_rules(FILE *out);

/* A note on errs when the policy's global mode is off (the kill switch): what hardrun does then
 * differs from what check and diff show for each rule. */
void ctl_policy_note_off(FILE *errs, const struct policy *p);
