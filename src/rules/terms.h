/* What the rules' engine_term hooks share: reading the spec a refusal points into, and showing a
 * path from it as the engine's user typed it. The spec has been judged already: anything
 * unexpected in it means "no term", never an error. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "json.h"

/* The item of the array spec[member] that path names: path is prefix, an index, then *rest.
 * NULL when spec, the array or the index is not there. */
const struct json *term_array_item(const struct json *spec, const char *member, const char *path,
                                   const char *prefix, const char **rest);

/* obj[key] when obj is an object and the value a clean string, else NULL. */
const char *term_string_member(const struct json *obj, const char *key);

/* A path as the user typed it: bare when it is plain printable text, else quoted JSON (the spec
 * is hostile input: no byte of it may break the line). */
void term_shown_path(const struct json *v, char *buf, size_t size);

/* Writes the run option (cli) or the pod spec field (else) that asks for what a rule refused;
 * false when the engine has none (NULL). */
bool term_words(bool cli, const char *run_option, const char *pod_field, char *buf, size_t size);
