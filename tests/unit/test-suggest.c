/* suggest: nearest names for typos, nothing for unrelated words, bounded input. */
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "util/suggest.h"

static const char *const rules[] = {
        "privileged", "user",          "capabilities", "seccomp",     "rootfs",
        "mounts",     "mount_options", "devices",      "hooks",       "sysctls",
        "resources",  "rlimits",       "lsm",          "net_devices", "image",
};
static const char *const commands[] = {"check",   "diff",    "policy",    "log",  "version",
                                       "seccomp", "install", "uninstall", "help", NULL};

static void near(const char *word, const char *want)
{
        is_str(suggest_closest(word, rules, sizeof(rules) / sizeof(rules[0])), want, "'%s' -> %s",
               word, want ? want : "nothing");
}

int main(void)
{
        char buf[128], tiny[4];

        near("capabilites", "capabilities"); /* a dropped letter */
        near("capabilitiess", "capabilities");
        near("seccmop", "seccomp"); /* two neighbours swapped: one edit */
        near("usr", "user");
        near("Capabilities", "capabilities"); /* case alone */
        near("mount-options", "mount_options");
        near("rlimit", "rlimits");
        near("lsn", "lsm");
        near("foo", NULL);
        near("network", NULL);
        near("x", NULL);
        near("", NULL);
        near("capabilities_and_then_a_lot_more", NULL);

        /* Ties go to the first candidate in the list's order. */
        static const char *const tie[] = {"abcd", "abce"};
        is_str(suggest_closest("abcf", tie, 2), "abcd", "a tie goes to the first candidate");

        /* NULL-terminated lists and NULL holes are skipped. */
        is_str(suggest_closest("instal", commands, sizeof(commands) / sizeof(commands[0])),
               "install", "NULL entries are skipped");
        is_str(suggest_closest("versoin", commands, 6), "version", "n bounds the candidates");
        is_str(suggest_closest("uninstall", commands, 2), NULL, "outside n: no suggestion");

        /* Longer than SUGGEST_WORD_MAX: no work, no suggestion. */
        char lng[SUGGEST_WORD_MAX + 2];
        memset(lng, 'a', sizeof(lng) - 1);
        lng[sizeof(lng) - 1] = '\0';
        static const char *const one[] = {"aaaa"};
        is_str(suggest_closest(lng, one, 1), NULL, "an over-long word gets no suggestion");
        lng[SUGGEST_WORD_MAX] = '\0';
        const char *self[] = {lng};
        is_str(suggest_closest(lng, self, 1), lng,
               "a word of SUGGEST_WORD_MAX letters is compared");

        is_str(suggest_hint("capabilites", rules, 3, buf, sizeof(buf)),
               " (did you mean 'capabilities'?)", "hint text");
        is_str(suggest_hint("zzz", rules, 3, buf, sizeof(buf)), "", "no hint: empty string");
        suggest_hint("capabilites", rules, 3, tiny, sizeof(tiny));
        is_int(strlen(tiny), sizeof(tiny) - 1, "hint cut to the buffer, NUL-terminated");
        return tap_done();
}
