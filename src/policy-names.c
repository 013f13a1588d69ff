/* The names of the policy's modes as the policy file, the log and the CLI write them; below
 * everything that prints or parses one. */
#include <string.h>

#include "policy.h"

static const char *const mode_names[_HR_MODE_MAX] = {
        [HR_MODE_OFF] = "off",
        [HR_MODE_AUDIT] = "audit",
        [HR_MODE_DENY] = "deny",
        [HR_MODE_ENFORCE] = "enforce",
};

const char *hr_mode_to_string(enum hr_mode mode)
{
        return mode >= 0 && mode < _HR_MODE_MAX ? mode_names[mode] : "invalid";
}

enum hr_mode hr_mode_from_string(const char *s)
{
        for (int i = 0; i < _HR_MODE_MAX; i++)
                if (strcmp(mode_names[i], s) == 0)
                        return (enum hr_mode)i;
        return _HR_MODE_INVALID;
}
