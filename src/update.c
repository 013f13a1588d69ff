/* update: what runc 1.1 and crun 1.8 apply. runc decodes the file (Go: keys match case-folded,
 * the first JSON value only) into LinuxResources and applies memory, cpu, blkio weight, pids and
 * unified, never devices (SkipDevices); from flags it parses each value itself. crun applies
 * every cgroup section of the file, devices included, and from flags builds that JSON by pasting
 * each numeric value in as written. A limit is unchanged at 0 and lifted when negative. */
#include "update.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounds.h"
#include "cliflags.h"
#include "fileio.h"
#include "harden.h"
#include "json.h"
#include "rules/helpers.h"
#include "rules/resources.h"
#include "util/cleanup.h"

struct judge {
        const struct policy *p;
        const struct cli_args *a;
        struct findings *out;
        bool denied;
        struct hr_error *err;
};

/* A JSON integer as written: what crun may paste into its document and what we can read the
 * same way. */
static bool parse_int(const char *s, long long *ret)
{
        const char *d = s[0] == '-' ? s + 1 : s;
        unsigned long long v = 0;

        if (!*d || strlen(d) > 18 || (d[0] == '0' && d[1]))
                return false;
        for (const char *c = d; *c; c++) {
                if (*c < '0' || *c > '9')
                        return false;
                v = v * 10 + (unsigned long long)(*c - '0');
        }
        *ret = s[0] == '-' ? -(long long)v : (long long)v;
        return true;
}

static bool is_numeric_flag(enum cli_flag f)
{
        return f != CLI_FLAG_CPUSET_CPUS && f != CLI_FLAG_CPUSET_MEMS &&
               f != CLI_FLAG_L3_CACHE_SCHEMA && f != CLI_FLAG_MEM_BW_SCHEMA &&
               f != CLI_FLAG_RESOURCES && f != CLI_FLAG_HELP && f != CLI_FLAG_USAGE &&
               f != CLI_FLAG_PROGRAM_NAME && f != CLI_FLAG_HANG && f != CLI_FLAG_UNKNOWN;
}

static int flag_finding(struct judge *j, const struct cli_seen *s, const char *wanted)
{
        const struct cli_flag_verdict *v = cliflags_flag_verdict(s->flag);
        char path[96];

        snprintf(path, sizeof(path), "/argv/%s", v ? v->name : s->word);
        return cliflags_record(j->p, RULE_RESOURCES, path, s->value ? s->value : s->word, wanted,
                               j->out, &j->denied, j->err);
}

/* The value flags, used only when no --resources is given. */
static int check_flags(struct judge *j)
{
        const struct resources_settings *own = j->p->rule_settings[RULE_RESOURCES];
        int r;

        for (size_t i = 0; i < j->a->n_seen; i++) {
                const struct cli_seen *s = &j->a->seen[i];
                long long v;
                bool plain;

                if (s->global || !s->value || !is_numeric_flag(s->flag))
                        continue;
                plain = parse_int(s->value, &v);
                r = 0;
                if (!plain && (j->a->dialect == CLI_DIALECT_CRUN || s->flag == CLI_FLAG_PIDS_LIMIT))
                        /* crun pastes it into JSON; runc's Go parse accepts forms we would
                         * read otherwise (-0x1) */
                        r = flag_finding(j, s, "a plain decimal number");
                else if (!plain && s->flag == CLI_FLAG_MEMORY && s->value[0] == '-')
                        r = flag_finding(j, s, "a positive size, or 0 to keep the limit");
                else if (plain && v < 0 && s->flag == CLI_FLAG_PIDS_LIMIT && own->pids_limit > 0)
                        r = flag_finding(j, s, "a positive limit, or 0 to keep it");
                else if (plain && v < 0 && s->flag == CLI_FLAG_MEMORY && own->memory_limit > 0)
                        r = flag_finding(j, s, "a positive size, or 0 to keep the limit");
                if (r < 0)
                        return r;
        }
        return 0;
}

static int json_finding(struct judge *j, int owner, const char *path, const struct json *value,
                        const char *wanted)
{
        char text[96];

        json_render(value, "(absent)", 80, text, sizeof(text));
        return cliflags_record(j->p, owner, path, text, wanted, j->out, &j->denied, j->err);
}

/* obj[key] as both runtimes read it: a key runc would match only case-folded is refused. */
static int member(struct judge *j, const struct json *obj, const char *path, const char *key,
                  struct json **ret)
{
        char where[96];
        int r;

        *ret = NULL;
        if (!obj || obj->type != JSON_OBJECT)
                return 0;
        r = json_object_field(obj, key, ret);
        if (r == -EILSEQ) {
                snprintf(where, sizeof(where), "%s/%s", path, key);
                return json_finding(j, RULE_RESOURCES, where, NULL, "the key spelt exactly");
        }
        return r < 0 ? 0 : r;
}

/* section.limit: negative lifts the limit. */
static int check_limit(struct judge *j, const struct json *doc, const char *section, bool bounded)
{
        struct json *obj, *limit;
        char path[64];
        long long v;
        int r;

        snprintf(path, sizeof(path), "/%s", section);
        if ((r = member(j, doc, "", section, &obj)) <= 0 ||
            (r = member(j, obj, path, "limit", &limit)) <= 0)
                return r;
        snprintf(path, sizeof(path), "/%s/limit", section);
        if (limit->type == JSON_NULL)
                return 0;
        if (limit->type != JSON_NUMBER || !parse_int(limit->scalar.text, &v))
                return json_finding(j, RULE_RESOURCES, path, limit, "an integer");
        if (v < 0 && bounded)
                return json_finding(j, RULE_RESOURCES, path, limit,
                                    "a positive limit, or 0 to keep it");
        return 0;
}

/* unified "pids.max" or "memory.max" set to "max" (cgroup v2, both runtimes). */
static int check_unified(struct judge *j, const struct json *doc)
{
        static const char *const keys[] = {"pids.max", "memory.max"};
        const struct resources_settings *own = j->p->rule_settings[RULE_RESOURCES];
        struct json *unified;
        int r;

        if ((r = member(j, doc, "", "unified", &unified)) <= 0 || unified->type != JSON_OBJECT)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                bool bounded = i == 0 ? own->pids_limit > 0 : own->memory_limit > 0;
                /* A Go map: keys match exactly. */
                const struct json *v = json_object_get(unified, keys[i]);
                char path[64], trimmed[16];

                if (!bounded || !v || v->type != JSON_STRING)
                        continue;
                if (sscanf(v->scalar.text, " %15s", trimmed) != 1 || strcmp(trimmed, "max") != 0)
                        continue;
                snprintf(path, sizeof(path), "/unified/%s", keys[i]);
                if ((r = json_finding(j, RULE_RESOURCES, path, v, "a number")) < 0)
                        return r;
        }
        return 0;
}

/* crun writes the device rules of an update; runc never does. */
static int check_devices(struct judge *j, const struct json *doc)
{
        struct json *devices;
        char path[64];
        int r;

        if (j->a->dialect != CLI_DIALECT_CRUN)
                return 0;
        if ((r = member(j, doc, "", "devices", &devices)) <= 0 || devices->type != JSON_ARRAY)
                return r;
        for (size_t i = 0; i < devices->array.n; i++) {
                if (!devices_allow_is_broad(devices->array.items[i]))
                        continue;
                snprintf(path, sizeof(path), "/devices/%zu", i);
                if ((r = json_finding(j, RULE_DEVICES, path, devices->array.items[i],
                                      "named character devices only")) < 0)
                        return r;
        }
        return 0;
}

/* Reads stdin to its end and puts a memory file with the same bytes on fd 0. */
static int read_stdin(char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        _cleanup_close_ int mfd = -1;
        int r;

        if ((r = fileio_read_all(0, HR_PROCESS_MAX_BYTES, ret_buf, ret_len, err)) < 0)
                return error_prefix(err, "update --resources -: stdin: ");
        mfd = memfd_create("hardrun-update-resources", MFD_CLOEXEC);
        if (mfd < 0)
                return error_set(err, -errno, "update: memfd_create: %s", strerror(errno));
        if ((r = fileio_write_all(mfd, *ret_buf, *ret_len)) < 0)
                return error_set(err, r, "update: memfd write: %s", strerror(-r));
        /* dup2 clears close-on-exec: the runtime reads the same bytes from fd 0. */
        if (lseek(mfd, 0, SEEK_SET) < 0 || dup2(mfd, 0) < 0)
                return error_set(err, -errno, "update: cannot hand stdin on: %s", strerror(errno));
        return 0;
}

/* The file as the runtime opens it (relative to the cwd, symlinks followed); one that cannot be
 * read twice is stdin (handed on) or refused. */
static int read_resources(const char *path, char **ret_buf, size_t *ret_len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st, in;
        int r;

        if (strcmp(path, "-") == 0)
                return read_stdin(ret_buf, ret_len, err);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return error_set(err, -errno, "update: '%s': %s", path, strerror(errno));
        if (fstat(fd, &st) < 0)
                return error_set(err, -errno, "update: '%s': %s", path, strerror(errno));
        if (!S_ISREG(st.st_mode)) {
                if (fstat(0, &in) == 0 && in.st_dev == st.st_dev && in.st_ino == st.st_ino)
                        return read_stdin(ret_buf, ret_len, err);
                return error_set(err, -EINVAL,
                                 "update: '%s' is not a regular file: the runtime would read it "
                                 "once, so hardrun cannot judge it and hand it on; give a file or "
                                 "'-'",
                                 path);
        }
        if ((r = fileio_read_all(fd, HR_PROCESS_MAX_BYTES, ret_buf, ret_len, err)) < 0)
                return error_prefix(err, "update: '%s': ", path);
        return 0;
}

int update_check(const struct policy *p, const struct cli_args *a, struct findings *out,
                 bool *ret_denied, const char **ret_file, struct hr_error *err)
{
        static const char *const maps[] = {"unified", NULL};
        static const struct json_limits limits = {
                .max_bytes = HR_PROCESS_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = HR_JSON_MAX_MEMBERS,
                .map_members = maps,
        };
        const struct resources_settings *own = p->rule_settings[RULE_RESOURCES];
        struct judge j = {.p = p, .a = a, .out = out, .err = err};
        _cleanup_(json_freep) struct json *doc = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        *ret_file = "argv";
        if (p->rule_mode[RULE_RESOURCES] == HR_MODE_OFF &&
            p->rule_mode[RULE_DEVICES] == HR_MODE_OFF)
                return 0;
        if (!a->resources) {
                r = check_flags(&j);
                *ret_denied = j.denied;
                return r;
        }
        *ret_file = a->resources;
        if ((r = read_resources(a->resources, &buf, &len, err)) < 0)
                return r;
        if ((r = json_parse(buf, len, &limits, &doc, err)) < 0)
                return error_prefix(err, "update: '%s': ", a->resources);
        if (doc->type != JSON_OBJECT)
                return error_set(err, -EINVAL, "update: '%s': expected a JSON object, got %s",
                                 a->resources, json_type_name(doc->type));
        if (harden_nul_key(doc))
                return error_set(err, -EINVAL,
                                 "update: '%s': key '%s\\u0000...' contains a NUL byte (crun "
                                 "would read it as '%s'), refusing",
                                 a->resources, harden_nul_key(doc), harden_nul_key(doc));
        if ((r = check_limit(&j, doc, "pids", own->pids_limit > 0)) < 0 ||
            (r = check_limit(&j, doc, "memory", own->memory_limit > 0)) < 0 ||
            (r = check_unified(&j, doc)) < 0 || (r = check_devices(&j, doc)) < 0)
                return r;
        *ret_denied = j.denied;
        return 0;
}
