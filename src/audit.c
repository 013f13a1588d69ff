/* Audit records: built with yajl_gen, appended with one O_APPEND write so concurrent hardrun
 * processes never interleave inside a line. */
#include "audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#include "timefmt.h"
#include "util/cleanup.h"

static int gen_string(yajl_gen g, const char *s)
{
        if (!s)
                return yajl_gen_null(g);
        return yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

static int gen_json(yajl_gen g, const struct json *n)
{
        int s = yajl_gen_status_ok;

        if (!n)
                return yajl_gen_null(g);
        switch (n->type) {
        case JSON_NULL:
                return yajl_gen_null(g);
        case JSON_FALSE:
        case JSON_TRUE:
                return yajl_gen_bool(g, n->type == JSON_TRUE);
        case JSON_NUMBER:
                return yajl_gen_number(g, n->scalar.text, n->scalar.len);
        case JSON_STRING:
                return yajl_gen_string(g, (const unsigned char *)n->scalar.text, n->scalar.len);
        case JSON_ARRAY:
                s = yajl_gen_array_open(g);
                for (size_t i = 0; !s && i < n->array.n; i++)
                        s = gen_json(g, n->array.items[i]);
                return s ? s : (int)yajl_gen_array_close(g);
        case JSON_OBJECT:
                s = yajl_gen_map_open(g);
                for (size_t i = 0; !s && i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        s = yajl_gen_string(g, (const unsigned char *)m->key, m->key_len);
                        if (!s)
                                s = gen_json(g, m->value);
                }
                return s ? s : (int)yajl_gen_map_close(g);
        case _JSON_TYPE_MAX:
                break;
        }
        return yajl_gen_invalid_string;
}

static void yajl_gen_freep(yajl_gen *g)
{
        if (*g)
                yajl_gen_free(*g);
}

/* Annotations engines put into every spec that name the workload. */
static const char *const workload_annotations[] = {
        "io.kubernetes.pod.namespace",       "io.kubernetes.pod.name",
        "io.kubernetes.container.name",      "io.kubernetes.cri.sandbox-namespace",
        "io.kubernetes.cri.sandbox-name",    "io.kubernetes.cri.container-name",
        "io.kubernetes.cri.container-type",  "io.kubernetes.cri.image-name",
        "io.kubernetes.cri-o.ContainerName", "io.kubernetes.cri-o.ImageName",
        "io.kubernetes.cri-o.ContainerType", "io.container.manager",
        "org.opencontainers.image.ref.name", "org.opencontainers.image.title",
};

struct json *audit_workload_from_spec(const struct json *spec)
{
        const struct json *annotations = json_object_get(spec, "annotations");
        const struct json *hostname = json_object_get(spec, "hostname");
        struct json *w = json_new_object();

        if (!w)
                return NULL;
        if (hostname && hostname->type == JSON_STRING &&
            json_object_set(w, "hostname", json_clone(hostname)) < 0)
                return json_free(w);
        for (size_t i = 0; annotations && annotations->type == JSON_OBJECT &&
                           i < ELEMENTSOF(workload_annotations);
             i++) {
                const struct json *v = json_object_get(annotations, workload_annotations[i]);
                if (v && v->type == JSON_STRING &&
                    json_object_set(w, workload_annotations[i], json_clone(v)) < 0)
                        return json_free(w);
        }
        if (w->object.n == 0)
                return json_free(w);
        return w;
}

static int gen_record(yajl_gen g, const struct audit_context *ctx, const struct finding *x,
                      const char *now)
{
        const struct {
                const char *key;
                const char *value;
        } strings[] = {
                {"time", now},
                {"container", ctx->container_id},
                {"bundle", ctx->bundle},
                {"file", ctx->file},
                {"subcommand", ctx->subcommand},
                {"mode", hr_mode_to_string(x->mode)},
                {"rule", x->command_line ? "command_line" : rule_id_to_string(x->rule)},
                {"path", x->path},
        };
        int s = yajl_gen_map_open(g);

        for (size_t i = 0; !s && i < ELEMENTSOF(strings); i++) {
                s = gen_string(g, strings[i].key);
                if (!s)
                        s = gen_string(g, strings[i].value);
        }
        if (!s && ctx->workload) {
                s = gen_string(g, "workload");
                if (!s)
                        s = gen_json(g, ctx->workload);
        }
        if (!s)
                s = gen_string(g, "before");
        if (!s)
                s = gen_json(g, x->before);
        if (!s)
                s = gen_string(g, "after");
        if (!s)
                s = gen_json(g, x->after);
        if (!s)
                s = gen_string(g, "action");
        if (!s)
                s = gen_string(g, finding_action_to_string(x->action));
        if (!s)
                s = yajl_gen_map_close(g);
        return s;
}

int audit_format(const struct audit_context *ctx, const struct findings *f, char **ret_buf,
                 size_t *ret_len, struct hr_error *err)
{
        _cleanup_(yajl_gen_freep) yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t out_len;
        char now[48];
        char *buf;

        if (!g)
                return error_set(err, -ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        time_format_now(now, sizeof(now));
        for (size_t i = 0; i < f->n; i++) {
                int s = gen_record(g, ctx, &f->items[i], now);
                if (s)
                        return error_set(err, -EINVAL,
                                         "cannot format an audit record (yajl_gen status %d)", s);
                /* Ends the line and lets the generator start the next top-level object. */
                yajl_gen_reset(g, "\n");
        }
        yajl_gen_get_buf(g, &out, &out_len);
        buf = malloc(out_len + 1);
        if (!buf)
                return error_set(err, -ENOMEM, "out of memory");
        if (out_len > 0) /* no records: yajl has no buffer, out is NULL */
                memcpy(buf, out, out_len);
        buf[out_len] = '\0';
        *ret_buf = buf;
        *ret_len = out_len;
        return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
        while (len > 0) {
                ssize_t n = write(fd, data, len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                data += n;
                len -= (size_t)n;
        }
        return 0;
}

static int append_file(const char *path, const char *data, size_t len, struct hr_error *err)
{
        _cleanup_close_ int fd = -1;
        struct stat st;
        int r;

        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0640);
        if (fd < 0 && errno == ENOENT) {
                /* First record on this host: create the log directory (one level). */
                _cleanup_free_ char *dir = strdup(path);
                char *slash = dir ? strrchr(dir, '/') : NULL;
                if (slash && slash != dir) {
                        *slash = '\0';
                        (void)mkdir(dir, 0750);
                }
                fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
                          0640);
        }
        if (fd < 0)
                return error_set(err, -errno, "audit log %s: cannot open: %s", path,
                                 strerror(errno));
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
                return error_set(err, -EINVAL, "audit log %s: not a regular file", path);
        /* One write: O_APPEND places it whole at the end, so lines never interleave. */
        r = write_all(fd, data, len);
        if (r < 0)
                return error_set(err, r, "audit log %s: cannot write: %s", path, strerror(-r));
        return 0;
}

int audit_write(const struct policy *p, const struct audit_context *ctx, const struct findings *f,
                struct hr_error *err)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        if (f->n == 0 || (!p->audit.file && !p->audit.syslog))
                return 0;
        r = audit_format(ctx, f, &buf, &len, err);
        if (r < 0)
                return r;
        if (p->audit.syslog) {
                char *line = buf, *nl;
                openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
                while ((nl = strchr(line, '\n'))) {
                        syslog(LOG_NOTICE, "%.*s", (int)(nl - line), line);
                        line = nl + 1;
                }
                closelog();
        }
        if (p->audit.file)
                return append_file(p->audit.file, buf, len, err);
        return 0;
}

/* The members of an event record, after the time: who (container, bundle, subcommand), what
 * happened and why. */
static int gen_event(yajl_gen g, const struct audit_context *ctx, const char *now,
                     enum audit_event event, const char *msg)
{
        static const char *const names[_AUDIT_EVENT_MAX] = {
                [AUDIT_EVENT_POLICY_ERROR] = "policy_error",
                [AUDIT_EVENT_POLICY_OFF] = "policy_off",
        };
        const struct {
                const char *key;
                const char *value;
        } strings[] = {
                {"time", now},           {"container", ctx->container_id},
                {"bundle", ctx->bundle}, {"subcommand", ctx->subcommand},
                {"event", names[event]}, {"msg", msg},
        };
        int s = yajl_gen_map_open(g);

        for (size_t i = 0; !s && i < ELEMENTSOF(strings); i++) {
                s = gen_string(g, strings[i].key);
                if (!s)
                        s = gen_string(g, strings[i].value);
        }
        if (!s)
                s = yajl_gen_map_close(g);
        return s;
}

int audit_write_event(const struct policy *p, const struct audit_context *ctx,
                      enum audit_event event, const char *msg, struct hr_error *err)
{
        _cleanup_(yajl_gen_freep) yajl_gen g = yajl_gen_alloc(NULL);
        _cleanup_free_ char *line = NULL;
        const unsigned char *out;
        char now[48];
        size_t len;

        if (!p->audit.file && !p->audit.syslog)
                return 0;
        if (!g)
                return error_set(err, -ENOMEM, "out of memory");
        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        time_format_now(now, sizeof(now));
        if (gen_event(g, ctx, now, event, msg) != yajl_gen_status_ok)
                return error_set(err, -EINVAL, "audit record: cannot encode the message");
        yajl_gen_get_buf(g, &out, &len);
        if (asprintf(&line, "%.*s\n", (int)len, (const char *)out) < 0)
                return error_set(err, -ENOMEM, "out of memory");
        if (p->audit.syslog) {
                openlog("hardrun", LOG_PID, LOG_AUTHPRIV);
                syslog(event == AUDIT_EVENT_POLICY_ERROR ? LOG_ERR : LOG_WARNING, "%.*s", (int)len,
                       (const char *)out);
                closelog();
        }
        if (p->audit.file)
                return append_file(p->audit.file, line, len + 1, err);
        return 0;
}
