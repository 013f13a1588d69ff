/* Lint: the runtime's reading and rule loop, run on a copy with every rule enforcing. */
#include "lint.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bounds.h"
#include "fileio.h"
#include "harden.h"
#include "util/cleanup.h"

enum spec_kind lint_kind_of(const struct json *doc)
{
        if (doc->type != JSON_OBJECT || json_object_get(doc, "process"))
                return SPEC_CONFIG;
        if (json_object_get(doc, "args") || json_object_get(doc, "user"))
                return SPEC_PROCESS;
        return SPEC_CONFIG;
}

int lint_spec_read(const char *path, enum lint_kind kind, struct lint_spec *ret,
                   struct hr_error *err)
{
        const struct json_limits *limits = harden_spec_limits(SPEC_CONFIG);
        _cleanup_free_ char *file = NULL;
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -1;
        struct json *doc = NULL;
        struct stat st;
        size_t len;
        int r;

        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
                size_t n = strlen(path);
                if (asprintf(&file, "%s%sconfig.json", path, n && path[n - 1] == '/' ? "" : "/") <
                    0) {
                        file = NULL;
                        return error_set(err, -ENOMEM, "out of memory");
                }
        } else if (!(file = strdup(path))) {
                return error_set(err, -ENOMEM, "out of memory");
        }
        fd = fileio_open_regular(AT_FDCWD, file, false, NULL, err);
        if (fd < 0)
                return error_prefix(err, "%s: ", file);
        if ((r = fileio_read_all(fd, HR_CONFIG_MAX_BYTES, &buf, &len, err)) < 0)
                return error_prefix(err, "%s: ", file);
        if ((r = json_parse(buf, len, limits, &doc, err)) < 0)
                return error_prefix(err, "%s: ", file);
        if (doc->type != JSON_OBJECT) {
                r = error_set(err, -EINVAL, "%s: expected a JSON object, got %s", file,
                              json_type_name(doc->type));
                json_free(doc);
                return r;
        }
        ret->kind = kind == LINT_KIND_DETECT ? lint_kind_of(doc) : (enum spec_kind)kind;
        /* hardrun takes exec process files up to a smaller bound. */
        if (ret->kind == SPEC_PROCESS && len > HR_PROCESS_MAX_BYTES) {
                json_free(doc);
                return error_set(err, -EFBIG,
                                 "%s: larger than the limit of %u bytes for an "
                                 "exec process file",
                                 file, HR_PROCESS_MAX_BYTES);
        }
        ret->file = TAKE_PTR(file);
        ret->original = doc;
        return 0;
}

static enum lint_severity severity_of(enum hr_mode mode, const struct finding *f)
{
        /* An exemption used is worth a line, never a refusal. */
        if (f->action == FINDING_EXEMPTED)
                return LINT_WARNING;
        if (mode == HR_MODE_DENY || f->action == FINDING_DENIED)
                return LINT_DENY;
        if (f->action == FINDING_DETECTED)
                return LINT_WARNING;
        return mode == HR_MODE_AUDIT ? LINT_WARNING : LINT_ERROR;
}

int lint_spec_run(struct policy *p, struct lint_spec *s, struct hr_error *err)
{
        struct harden_result result = {{0}};
        _cleanup_free_ char *bundle = NULL;
        enum hr_mode saved[_RULE_MAX];
        const char *slash;
        int r;

        s->hardened = json_clone(s->original);
        if (!s->hardened)
                return error_set(err, -ENOMEM, "out of memory");
        /* A relative root.path or bind source is the bundle's: the config file's directory. */
        slash = strrchr(s->file, '/');
        if (slash && !(bundle = strndup(s->file, slash == s->file ? 1 : (size_t)(slash - s->file))))
                return error_set(err, -ENOMEM, "out of memory");
        memcpy(saved, p->rule_mode, sizeof(saved));
        for (int i = 0; i < _RULE_MAX; i++)
                if (p->rule_mode[i] != HR_MODE_OFF)
                        p->rule_mode[i] = HR_MODE_ENFORCE;
        r = harden_container(p, s->kind, s->file, NULL, bundle, s->hardened, &result, err);
        memcpy(p->rule_mode, saved, sizeof(saved));
        if (r < 0)
                return r;
        s->found = result.findings;
        s->refused = result.denied;
        s->severity = calloc(s->found.n ? s->found.n : 1, sizeof(*s->severity));
        if (!s->severity)
                return error_set(err, -ENOMEM, "out of memory");
        for (size_t i = 0; i < s->found.n; i++)
                s->severity[i] = severity_of(saved[s->found.items[i].rule], &s->found.items[i]);
        return 0;
}

void lint_spec_done(struct lint_spec *s)
{
        free(s->file);
        json_free(s->original);
        json_free(s->hardened);
        findings_clear(&s->found);
        free(s->severity);
        *s = (struct lint_spec){0};
}

const char *lint_severity_to_string(enum lint_severity s)
{
        static const char *const names[_LINT_SEVERITY_MAX] = {
                [LINT_WARNING] = "warning",
                [LINT_ERROR] = "error",
                [LINT_DENY] = "deny",
        };

        return s < _LINT_SEVERITY_MAX ? names[s] : "invalid";
}
