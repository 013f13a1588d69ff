/* hardrun's reading of a spec, for the differential test against runc's own (tests/oracle/):
 * each input line is "BUNDLE<TAB>CONFIG"; one JSON line per input in the oracle's shape, or
 * {"refused": "..."} when hardrun refuses the spec for a reason other than the policy's lists
 * (which are emptied here): a key it cannot read with certainty, a member it does not know, a
 * path it cannot resolve as the runtime will. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "fileio.h"
#include "harden.h"
#include "json.h"
#include "policy.h"
#include "rules/paths.h"
#include "rules/helpers.h"
#include "util/cleanup.h"

static const char policy_text[] =
        "{\"mode\":\"enforce\",\"rules\":{"
        "\"mounts\":{\"deny\":[\"/nonexistent-hardrun-oracle\"],\"racy_sources\":true,"
        "\"special_files\":true},\"id_mappings\":{\"mode\":\"off\"},"
        "\"namespaces\":{\"mode\":\"off\"},"
        "\"mount_types\":{\"mode\":\"off\"},\"hooks\":{\"mode\":\"off\"}}}";

static void print_string(const char *s)
{
        putchar('"');
        for (; *s; s++) {
                if (*s == '"' || *s == '\\')
                        printf("\\%c", *s);
                else if ((unsigned char)*s < 0x20)
                        printf("\\u%04x", *s);
                else
                        putchar(*s);
        }
        putchar('"');
}

static const char *str(const struct json *obj, const char *key)
{
        const struct json *v = json_object_get(obj, key);

        return v && v->type == JSON_STRING ? v->scalar.text : "";
}

static const char *resolved(const char *bundle, const char *path, char *buf, size_t size)
{
        struct host_path hp;

        if (host_path_resolve_lexical(bundle, path, &hp) < 0 || hp.status != HOST_PATH_OK)
                return NULL;
        snprintf(buf, size, "%s", hp.resolved);
        return buf;
}

static void print_maps(const struct json *linux_obj, const char *key)
{
        const struct json *list = json_object_get(linux_obj, key);

        printf(",\"%s\":[", key);
        for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->array.n; i++) {
                const struct json *m = list->array.items[i], *v;
                const char *keys[] = {"containerID", "hostID", "size"};
                printf("%s[", i ? "," : "");
                for (int k = 0; k < 3; k++) {
                        v = json_object_get(m, keys[k]);
                        printf("%s%s", k ? "," : "", v ? v->scalar.text : "0");
                }
                putchar(']');
        }
        putchar(']');
}

static void refused(const char *why)
{
        printf("{\"refused\":");
        print_string(why);
        printf("}\n");
}

static void read_one(struct policy *p, const char *bundle, const char *file)
{
        struct harden_result res;
        struct hr_error err = {0};
        struct json *doc = NULL, *copy;
        const struct json *root, *mounts, *linux_obj, *ns;
        _cleanup_close_ int fd = fileio_open_regular(AT_FDCWD, file, false, NULL, &err);
        char *buf = NULL, path[8192];
        size_t len;
        int r;

        r = fd < 0 ? fd : fileio_read_all(fd, HR_CONFIG_MAX_BYTES, &buf, &len, &err);
        if (r < 0 || json_parse(buf, len, harden_spec_limits(SPEC_CONFIG), &doc, &err) < 0) {
                refused(err.msg);
                goto out;
        }
        copy = json_clone(doc);
        r = harden_container(p, SPEC_CONFIG, file, NULL, bundle, copy, &res, &err);
        json_free(copy);
        if (r < 0 || res.denied) {
                refused(r < 0 ? err.msg : res.findings.items[0].path);
                if (r == 0)
                        harden_result_done(&res);
                goto out;
        }
        harden_result_done(&res);
        root = json_object_get(doc, "root");
        printf("{\"rootfs\":");
        print_string(resolved(bundle, str(root, "path"), path, sizeof(path)) ?: "?");
        printf(",\"mounts\":[");
        mounts = json_object_get(doc, "mounts");
        for (size_t i = 0; mounts && i < mounts->array.n; i++) {
                const struct json *m = mounts->array.items[i];
                bool bind =
                        is_bind_mount(json_object_get(m, "type"), json_object_get(m, "options"));
                printf("%s{\"source\":", i ? "," : "");
                print_string(bind ? resolved(bundle, str(m, "source"), path, sizeof(path)) ?: "?"
                                  : str(m, "source"));
                printf(",\"destination\":");
                print_string(str(m, "destination"));
                printf(",\"bind\":%s}", bind ? "true" : "false");
        }
        printf("],\"namespaces\":[");
        linux_obj = json_object_get(doc, "linux");
        ns = json_object_get(linux_obj, "namespaces");
        for (size_t i = 0; ns && i < ns->array.n; i++) {
                printf("%s[", i ? "," : "");
                print_string(str(ns->array.items[i], "type"));
                putchar(',');
                print_string(str(ns->array.items[i], "path"));
                putchar(']');
        }
        putchar(']');
        print_maps(linux_obj, "uidMappings");
        print_maps(linux_obj, "gidMappings");
        printf(",\"cgroupsPath\":");
        print_string(str(linux_obj, "cgroupsPath"));
        printf("}\n");
out:
        json_free(doc);
        free(buf);
        error_release(&err);
}

int main(void)
{
        struct hr_error err = {0};
        struct policy *p = NULL;
        char line[16384];

        if (policy_parse(policy_text, strlen(policy_text), "oracle policy", &p, &err) < 0) {
                fprintf(stderr, "%s\n", err.msg);
                return 2;
        }
        while (fgets(line, sizeof(line), stdin)) {
                char *tab = strchr(line, '\t');
                line[strcspn(line, "\n")] = '\0';
                if (!tab)
                        return 2;
                *tab = '\0';
                read_one(p, line, tab + 1);
                fflush(stdout);
        }
        policy_free(p);
        return 0;
}
