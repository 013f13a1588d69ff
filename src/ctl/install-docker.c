/* /etc/docker/daemon.json: runtimes.hardrun.path and default-runtime, edited in the parsed
 * document so that every other setting, its order and its number text stay as they were. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "install.h"
#include "json.h"
#include "util/cleanup.h"

static bool is_blank(const char *s, size_t len)
{
        for (size_t i = 0; i < len; i++)
                if (!strchr(" \t\r\n", s[i]))
                        return false;
        return true;
}

/* The indentation of the first indented line ("  ", "    ", "\t"), so that a rewrite looks
 * like the admin's file; NULL for a file with none (a one-line document). */
static size_t indent_unit(const char *text, const char **ret)
{
        for (const char *line = text; line; line = strchr(line, '\n')) {
                size_t n;

                line += *line == '\n';
                n = strspn(line, " \t");
                if (n > 0 && line[n] && line[n] != '\n') {
                        *ret = line;
                        return n;
                }
        }
        return 0;
}

/* json_write_pretty() indents by two spaces a level; strings hold no raw newline, so every
 * leading run of spaces is indentation and can be swapped for the admin's unit. */
static int reindent(const char *pretty, size_t len, const char *unit, size_t unit_len, char **ret,
                    size_t *ret_len)
{
        size_t cap = len * (unit_len > 2 ? unit_len : 2) + 1, o = 0;
        char *buf = malloc(cap);

        if (!buf)
                return -ENOMEM;
        for (size_t i = 0; i < len;) {
                size_t spaces = 0;

                while (i + spaces < len && pretty[i + spaces] == ' ')
                        spaces++;
                for (size_t level = 0; level < spaces / 2; level++) {
                        memcpy(buf + o, unit, unit_len);
                        o += unit_len;
                }
                i += spaces;
                while (i < len && pretty[i] != '\n')
                        buf[o++] = pretty[i++];
                if (i < len)
                        buf[o++] = pretty[i++];
        }
        buf[o] = '\0';
        *ret = buf;
        *ret_len = o;
        return 0;
}

static int serialise(struct install_edit *e, const struct json *doc, struct hr_error *err)
{
        _cleanup_free_ char *pretty = NULL;
        const char *unit = "  ";
        size_t len, unit_len = 2;
        int r;

        if ((r = json_write_pretty(doc, &pretty, &len, err)) < 0)
                return r;
        if (e->text) {
                const char *found;
                size_t n = indent_unit(e->text, &found);
                if (n > 0) {
                        unit = found;
                        unit_len = n;
                }
        }
        if (reindent(pretty, len, unit, unit_len, &e->out, &e->out_len) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        /* A file that did not end in a newline still does not. */
        if (e->text && e->len && e->text[e->len - 1] != '\n' && e->out_len &&
            e->out[e->out_len - 1] == '\n')
                e->out[--e->out_len] = '\0';
        return 0;
}

static int refuse(struct install_edit *e, struct hr_error *err, const char *field, const char *why)
{
        return error_set(err, -EINVAL, "%s: '%s' %s; not changed", e->path, field, why);
}

static int install(struct install_edit *e, struct json *doc, struct hr_error *err)
{
        struct json *runtimes = json_object_get(doc, "runtimes"), *entry, *path, *def;
        bool changed = false;

        if (runtimes && runtimes->type != JSON_OBJECT)
                return refuse(e, err, "/runtimes", "is not an object");
        if (!runtimes) {
                if (json_object_set(doc, "runtimes", json_new_object()) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                runtimes = json_object_get(doc, "runtimes");
        }
        entry = json_object_get(runtimes, INSTALL_RUNTIME_NAME);
        if (entry && entry->type != JSON_OBJECT)
                return refuse(e, err, "/runtimes/" INSTALL_RUNTIME_NAME, "is not an object");
        if (!entry) {
                if (json_object_set(runtimes, INSTALL_RUNTIME_NAME, json_new_object()) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                entry = json_object_get(runtimes, INSTALL_RUNTIME_NAME);
        }
        path = json_object_get(entry, "path");
        if (!path || path->type != JSON_STRING || strcmp(path->scalar.text, e->runtime) != 0) {
                if (path && path->type == JSON_STRING)
                        fprintf(e->notes, "runtime '%s': path %s replaced by %s\n",
                                INSTALL_RUNTIME_NAME, path->scalar.text, e->runtime);
                else
                        fprintf(e->notes, "runtime '%s' registered: %s\n", INSTALL_RUNTIME_NAME,
                                e->runtime);
                if (json_object_set(entry, "path", json_new_string(e->runtime)) < 0)
                        return error_set(err, -ENOMEM, "out of memory");
                changed = true;
        }

        def = json_object_get(doc, "default-runtime");
        if (def && def->type != JSON_STRING)
                return refuse(e, err, "/default-runtime", "is not a string");
        if (def && strcmp(def->scalar.text, INSTALL_RUNTIME_NAME) == 0)
                return changed;
        if (!e->make_default) {
                fprintf(e->notes,
                        "default-runtime left as it is (--no-default): containers use hardrun "
                        "only with --runtime %s\n",
                        INSTALL_RUNTIME_NAME);
                return changed;
        }
        if (def)
                fprintf(e->notes,
                        "default-runtime: '%s' replaced by '%s' (uninstall removes the key, and "
                        "Docker's default is runc again: set '%s' back yourself if you want it)\n",
                        def->scalar.text, INSTALL_RUNTIME_NAME, def->scalar.text);
        else
                fprintf(e->notes, "default-runtime set to '%s' (was unset: runc)\n",
                        INSTALL_RUNTIME_NAME);
        if (json_object_set(doc, "default-runtime", json_new_string(INSTALL_RUNTIME_NAME)) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        return true;
}

static int uninstall(struct install_edit *e, struct json *doc, struct hr_error *err)
{
        struct json *runtimes = json_object_get(doc, "runtimes");
        struct json *def = json_object_get(doc, "default-runtime");
        bool changed = false;
        int r;

        if (runtimes && runtimes->type != JSON_OBJECT)
                return refuse(e, err, "/runtimes", "is not an object");
        if (runtimes && (r = json_object_remove(runtimes, INSTALL_RUNTIME_NAME)) != 0) {
                if (r < 0)
                        return error_set(err, r, "out of memory");
                fprintf(e->notes, "runtime '%s' removed\n", INSTALL_RUNTIME_NAME);
                changed = true;
                /* install created it when there was none; an empty map means the same as none. */
                if (runtimes->object.n == 0 && (r = json_object_remove(doc, "runtimes")) < 0)
                        return error_set(err, r, "out of memory");
        }
        /* A default naming a runtime that is gone would stop dockerd from starting. */
        if (def && def->type == JSON_STRING &&
            strcmp(def->scalar.text, INSTALL_RUNTIME_NAME) == 0) {
                if ((r = json_object_remove(doc, "default-runtime")) < 0)
                        return error_set(err, r, "out of memory");
                fprintf(e->notes, "default-runtime removed: Docker's default is runc again\n");
                changed = true;
        }
        return changed;
}

int install_edit_docker(struct install_edit *e, struct hr_error *err)
{
        static const struct json_limits limits = {
                .max_bytes = INSTALL_CONFIG_MAX_BYTES,
                .max_depth = HR_JSON_MAX_DEPTH,
                .max_members = 65536,
        };
        _cleanup_(json_freep) struct json *doc = NULL;
        int r;

        /* dockerd reads a missing or blank daemon.json as no settings at all. */
        if (!e->text || is_blank(e->text, e->len)) {
                if (e->uninstall) {
                        e->unchanged = true;
                        return 0;
                }
                doc = json_new_object();
                if (!doc)
                        return error_set(err, -ENOMEM, "out of memory");
        } else if ((r = json_parse(e->text, e->len, &limits, &doc, err)) < 0) {
                char reason[HR_ERROR_MSG_MAX];

                snprintf(reason, sizeof(reason), "%s", err->msg);
                return error_set(err, -EINVAL, "%s: does not parse as JSON (%s); not changed",
                                 e->path, reason);
        }
        if (doc->type != JSON_OBJECT)
                return refuse(e, err, "/", "is not a JSON object");
        r = e->uninstall ? uninstall(e, doc, err) : install(e, doc, err);
        if (r < 0)
                return r;
        if (r == 0) {
                e->unchanged = true;
                return 0;
        }
        if (e->uninstall && doc->object.n == 0) {
                e->remove = true;
                return 0;
        }
        return serialise(e, doc, err);
}
