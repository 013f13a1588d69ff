/* cgroups_path: the container's cgroup is a new one of its own. runc and crun kill the processes
 * of the container's cgroup on delete (crun with cgroup.kill, the whole subtree) and remove the
 * directories below it; a linux.cgroupsPath that names "/" , a path with "..", the parent that
 * holds other containers (/docker, kubepods.slice, machine.slice, ...) or an existing cgroup with
 * processes in it or below it would hand the container's owner the host's or other workloads'
 * processes. The path is judged as cgroupfs reads it and, when it has the systemd driver's
 * "slice:prefix:name" form, as that driver expands it, in every cgroup hierarchy of the host. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules/helpers.h"
#include "rules/names.h"
#include "rules/paths.h"
#include "util/cleanup.h"

static const struct setting settings[] = {
        NAMES_SETTING("parents", "allowed cgroup prefixes ('*' one component, trailing '/' below); "
                                 "[]: any new cgroup"),
};

#define CGROUP_SCAN_MAX 4096 /* directories looked at below an existing cgroup */

/* The engines' parents (and the host's own slices): a container there would own them. */
static const char *const reserved[] = {
        "/docker",         "/kubepods",
        "/kubepods.slice", "/system.slice",
        "/user.slice",     "/machine.slice",
        "/init.scope",     "/libpod_parent",
        "/k8s.io",         "/default",
        "/moby",           "/buildkit",
        "/podman.service", NULL,
};

/* "a-b.slice" → "/a.slice/a-b.slice", as systemd nests slices; "-.slice" is the root. */
static bool expand_slice(const char *slice, size_t len, char *out, size_t size)
{
        size_t o = 0;

        if (len == 0) {
                slice = "system.slice";
                len = strlen(slice);
        }
        if (len < 6 || strncmp(slice + len - 6, ".slice", 6) != 0)
                return false;
        if (len == 7 && slice[0] == '-')
                return snprintf(out, size, "/") < (int)size;
        for (size_t i = 0; i < len - 6; i++) {
                if (slice[i] != '-' && i + 1 != len - 6)
                        continue;
                size_t end = slice[i] == '-' ? i : i + 1;
                int n = snprintf(out + o, size - o, "/%.*s.slice", (int)end, slice);
                if (n < 0 || (size_t)n >= size - o)
                        return false;
                o += (size_t)n;
        }
        return true;
}

/* "slice:prefix:name" → "/slice path/prefix-name.scope". False when not of that form. */
static bool systemd_path(const char *p, char *out, size_t size)
{
        const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        size_t o;

        if (!c1 || !c2 || strchr(c2 + 1, ':') || !expand_slice(p, (size_t)(c1 - p), out, size))
                return false;
        o = strlen(out);
        if (c2 == c1 + 1) /* no prefix: the name is the unit */
                return snprintf(out + o, size - o, "%s%s", o > 1 ? "/" : "", c2 + 1) <
                       (int)(size - o);
        return snprintf(out + o, size - o, "%s%.*s-%s.scope", o > 1 ? "/" : "", (int)(c2 - c1 - 1),
                        c1 + 1, c2 + 1) < (int)(size - o);
}

/* Whether dir or a cgroup below it holds a process; bounded. */
static bool is_populated(const char *dir, int *budget)
{
        char file[PATH_MAX];
        struct dirent *e;
        struct stat st;
        bool found = false;
        FILE *f;
        DIR *d;

        if (--*budget < 0)
                return true; /* too big to tell: assume the worst */
        snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
        if ((f = fopen(file, "re"))) {
                found = fgetc(f) != EOF;
                fclose(f);
        }
        if (found || !(d = opendir(dir)))
                return found;
        while (!found && (e = readdir(d))) {
                if (e->d_name[0] == '.' ||
                    snprintf(file, sizeof(file), "%s/%s", dir, e->d_name) >= (int)sizeof(file))
                        continue;
                if (lstat(file, &st) == 0 && S_ISDIR(st.st_mode))
                        found = is_populated(file, budget);
        }
        closedir(d);
        return found;
}

/* The mount points of the host's cgroup hierarchies (v1 controllers and v2). */
static int for_each_hierarchy(const char *cgroup, bool *ret_populated)
{
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096];

        *ret_populated = false;
        if (!f)
                return -errno;
        while (!*ret_populated && fgets(line, sizeof(line), f)) {
                char mnt[PATH_MAX], fstype[64], dir[2 * PATH_MAX];
                const char *dash = strstr(line, " - ");
                int budget = CGROUP_SCAN_MAX;
                struct stat st;
                if (!dash || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
                    sscanf(dash + 3, "%63s", fstype) != 1 ||
                    (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0))
                        continue;
                snprintf(dir, sizeof(dir), "%s%s", mnt, strcmp(cgroup, "/") == 0 ? "" : cgroup);
                if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
                        *ret_populated = is_populated(dir, &budget);
        }
        return 0;
}

/* One reading of the path; NULL when it passes, else what the policy wants. */
static const char *judge_cgroup(const char *const *parents, const char *cgroup, char *buf,
                                size_t size)
{
        bool populated;

        if (strcmp(cgroup, "/") == 0)
                return "a cgroup of the container's own, not the root cgroup";
        for (const char *const *r = reserved; *r; r++)
                if (is_path_at_or_below(*r, cgroup)) {
                        snprintf(buf, size, "a cgroup below '%s', not at or above it", *r);
                        return buf;
                }
        if (parents && *parents && !host_path_matches_any(parents, cgroup)) {
                snprintf(buf, size, "a cgroup under one of the policy's parents");
                return buf;
        }
        if (for_each_hierarchy(cgroup, &populated) == 0 && populated) {
                snprintf(buf, size, "a new cgroup, not '%s', which holds processes", cgroup);
                return buf;
        }
        return NULL;
}

static bool has_dot_component(const char *p)
{
        for (const char *c = p; *c;) {
                size_t n = strcspn(c, "/:");
                if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return true;
                c += n;
                if (*c)
                        c++;
        }
        return false;
}

static int apply_cgroups_path(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *value;
        const char *const *parents = names_of(ctx->settings);
        char clean[PATH_MAX], expanded[PATH_MAX], joined[PATH_MAX + 1], buf[PATH_MAX + 128];
        const char *bad = NULL;
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err);
        if (r <= 0)
                return r;
        r = rule_field(ctx, linux_obj, "/linux", "cgroupsPath", JSON_STRING, false, &value, err);
        if (r <= 0 || value->scalar.len == 0)
                return r < 0 ? r : 0; /* absent or empty: the runtime names one */
        if (!json_is_clean_string(value) || has_dot_component(value->scalar.text))
                bad = "a cgroup path without '.' or '..' components or NUL bytes";
        if (!bad) {
                /* cgroupfs: relative paths start below the runtime's cgroup, judged from / */
                snprintf(joined, sizeof(joined), "/%s", value->scalar.text);
                (void)rule_clean_path(joined, clean, sizeof(clean));
                bad = judge_cgroup(parents, clean, buf, sizeof(buf));
        }
        if (!bad && systemd_path(value->scalar.text, expanded, sizeof(expanded))) {
                (void)rule_clean_path(expanded, clean, sizeof(clean));
                bad = judge_cgroup(parents, clean, buf, sizeof(buf));
        }
        if (!bad)
                return 0;
        return rule_refuse(ctx, "/linux/cgroupsPath", value, bad, err);
}

static const char *const owns[] = {"/linux/cgroupsPath", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "cgroups_path",
        .summary = "the container gets a new cgroup of its own",
        .enforce = "nothing can be rewritten: a linux.cgroupsPath that is the root, "
                   "has '.' or '..' components, lies at or above an engine's parent "
                   "(/docker, kubepods.slice, machine.slice, ...), is outside the "
                   "policy's parents, or names an existing cgroup with processes in it "
                   "or below it (runc and crun kill and remove what they find there on "
                   "delete) is refused; the systemd form slice:prefix:name is judged "
                   "as that driver expands it.",
        .deny = "such a path",
        .spec = "linux.cgroupsPath",
        .cis = "5.25 (the container is restricted from acquiring additional "
               "privileges: cgroup usage is confirmed)",
        .pss = "none",
};

const struct rule rule_cgroups_path = {
        .id = RULE_CGROUPS_PATH,
        .name = "cgroups_path",
        .for_process = false,
        .owns = owns,
        NAMES_RULE_SETTINGS(settings),
        .apply = apply_cgroups_path,
        .doc = &doc,
};
