/* image: only images from allowed registries and repositories run, judged by the image name
 * the engine writes into the spec's annotations. The engine is trusted to write it; see
 * hardrun-policy(5) for who else can set annotations. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

struct image_settings {
        char **allow;      /* image name prefixes; NULL or empty: any image */
        bool require_name; /* refuse a container whose engine names no image */
};

static const struct setting settings[] = {
        {"allow", &setting_strv, offsetof(struct image_settings, allow),
         .description = "image name prefixes, fully qualified (docker.io/library/busybox, "
                        "registry.example.com/team/); a prefix matches at a '/', or at the "
                        "':' of a tag or '@' of a digest; []: any image"},
        {"require_name", &setting_bool, offsetof(struct image_settings, require_name),
         .description = "refuse a container whose engine names no image (Docker, ctr, "
                        "podman)"},
};

static const struct image_settings defaults = {.allow = NULL, .require_name = false};

/* Keys engines set themselves: containerd's CRI plugin and CRI-O. Docker, ctr and podman
 * write no image name into config.json. */
static const char *const image_keys[] = {
        "io.kubernetes.cri.image-name",
        "io.kubernetes.cri-o.ImageName",
};

/* The name as Docker's reference parser completes it: "busybox" is
 * "docker.io/library/busybox", "user/img" is "docker.io/user/img". A first component with a
 * '.' or ':', or "localhost", names a registry. False when it does not fit in buf. */
static bool image_normalise(const char *name, char *buf, size_t size)
{
        const char *slash = strchr(name, '/');
        int n;
        size_t first = slash ? (size_t)(slash - name) : 0;
        bool has_domain =
                slash && (memchr(name, '.', first) || memchr(name, ':', first) ||
                          (first == strlen("localhost") && strncmp(name, "localhost", first) == 0));

        if (has_domain && first == strlen("index.docker.io") &&
            strncmp(name, "index.docker.io", first) == 0) {
                name = slash + 1;
                slash = strchr(name, '/');
                has_domain = false;
        } else if (has_domain && first == strlen("docker.io") &&
                   strncmp(name, "docker.io", first) == 0) {
                name = slash + 1;
                slash = strchr(name, '/');
                has_domain = false;
        }
        n = has_domain ? snprintf(buf, size, "%s", name)
                       : snprintf(buf, size, "docker.io/%s%s", slash ? "" : "library/", name);
        return n >= 0 && (size_t)n < size;
}

/* A prefix matches the whole name, or a part of it that ends at a path component: at a '/',
 * or, once past the registry (the prefix has a '/'), at the ':' of a tag or the '@' of a
 * digest. So "registry.example.com/team" covers "registry.example.com/team/app:1" but not
 * "registry.example.com/teamevil", and "localhost" not "localhost:5000/x". */
static bool prefix_matches(const char *prefix, const char *name)
{
        size_t n = strlen(prefix);
        char next;

        if (n == 0 || strncmp(prefix, name, n) != 0)
                return false;
        next = name[n];
        if (next == '\0' || next == '/' || prefix[n - 1] == '/')
                return true;
        return strchr(prefix, '/') && (next == ':' || next == '@');
}

static int apply_image(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        const struct image_settings *own = ctx->settings;
        struct json *annotations;
        bool named = false;
        int r;

        r = rule_field(ctx, doc, "", "annotations", JSON_OBJECT, false, &annotations, err);
        if (r < 0)
                return r;
        for (size_t k = 0; annotations && k < ELEMENTSOF(image_keys); k++) {
                char path[RULE_PATH_MAX], name[RULE_PATH_MAX * 2];
                struct json *v;
                bool allowed = !own->allow || !own->allow[0];

                snprintf(path, sizeof(path), "/annotations/%s", image_keys[k]);
                /* runc decodes annotations into a map[string]string: nothing but strings. */
                v = json_object_get(annotations, image_keys[k]);
                if (!v)
                        continue;
                if (v->type != JSON_STRING)
                        return rule_fail(ctx, path, err, "expected string, got %s",
                                         json_type_name(v->type));
                if (v->scalar.text[0] == '\0')
                        continue;
                named = true;
                /* A name too long to judge is no allowed name (references stop at 255). */
                if (!allowed && image_normalise(v->scalar.text, name, sizeof(name)))
                        for (char **a = own->allow; *a && !allowed; a++)
                                allowed = prefix_matches(*a, name);
                if (!allowed &&
                    (r = rule_refuse(ctx, path, v, "an image under an allowed prefix", err)) < 0)
                        return r;
        }
        if (!named && own->require_name)
                return rule_refuse(ctx, "/annotations", annotations,
                                   "an image name set by the engine", err);
        return 0;
}

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "image",
        .summary = "only images under allowed name prefixes run",
        .enforce = "nothing can be rewritten: a container whose image name, as "
                   "containerd's CRI plugin (io.kubernetes.cri.image-name) or CRI-O "
                   "(io.kubernetes.cri-o.ImageName) wrote it, is under no allowed "
                   "prefix is refused, in enforce mode too; so is one without an image "
                   "name when require_name is true.",
        .deny = "an image name under no allowed prefix, or with require_name none",
        .spec = "annotations[\"io.kubernetes.cri.image-name\"], "
                "annotations[\"io.kubernetes.cri-o.ImageName\"]",
        .cis = "4.2 (containers use only trusted base images)",
        .pss = "none (the Pod Security Standards do not restrict images)",
};

static bool engine_term_image(const struct finding *f, const struct json *spec, bool cli, char *buf,
                              size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "the image", "the image", buf, size);
}

const struct rule rule_image = {
        .id = RULE_IMAGE,
        .name = "image",
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct image_settings),
        .defaults = &defaults,
        .apply = apply_image,
        .engine_term = engine_term_image,
        .doc = &doc,
};
