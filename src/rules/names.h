/* The settings of a rule whose one setting is a list of names (mount_types' filesystem types,
 * annotations' keys, cgroups_path's parents): one settings struct, one table entry and one
 * default for all of them. The list is read as the policy's other string lists are (an array of
 * non-empty strings) and shown as written; until the policy names one it is NULL, which the
 * rules read as no names at all (shown as []). */
#pragma once

#include <stddef.h>

#include "settings.h"
#include "util/cleanup.h"

struct names_settings {
        char **names; /* NULL: none */
};

/* The table entry of the list, under key. */
#define NAMES_SETTING(key, text)                                              \
        {                                                                     \
                (key), &setting_strv, offsetof(struct names_settings, names), \
                        .description = (text)                                 \
        }

/* No names: the default of every such rule. */
extern const struct names_settings names_settings_none;

/* The descriptor's settings fields for a rule whose table is table (of NAMES_SETTING). */
#define NAMES_RULE_SETTINGS(table)                            \
        .settings = (table), .n_settings = ELEMENTSOF(table), \
        .settings_size = sizeof(struct names_settings), .defaults = &names_settings_none

/* The list of the running rule (its context's settings). */
static inline const char *const *names_of(const void *settings)
{
        return (const char *const *)((const struct names_settings *)settings)->names;
}
