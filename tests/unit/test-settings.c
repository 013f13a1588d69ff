/* Unit tests for settings.c, the table-driven settings engine: each type's parser and its
 * messages, unknown and NUL keys, show with defaults, copy and free, and the two error modes
 * (stop at the first problem, collect them all). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "settings.h"
#include "tap.h"
#include "util/cleanup.h"

#define SOURCE "/etc/demo.json"

struct demo {
        bool flag;
        uint32_t id;
        int64_t count;
        char *name;   /* string or null */
        char *word;   /* one of three */
        char **paths; /* absolute, built-in default */
        char **opts;  /* one of three each */
        int choice;
        bool strict; /* "yes" / "no" */
        char *cache; /* state: freed, never parsed */
};

static const char *const builtin_paths[] = {"/a", "/b", NULL};

static int check_not_x(struct settings_parser *sp, const char *path, const void *field)
{
        const char *v = *(char *const *)field;

        return v && strcmp(v, "x") == 0 ? settings_fail(sp, path, "'x' is refused") : 0;
}

static const struct setting demo_settings[] = {
        {.key = "flag", .type = &setting_bool, .offset = offsetof(struct demo, flag)},
        {.key = "id", .type = &setting_id, .offset = offsetof(struct demo, id)},
        {
                .key = "count",
                .type = &setting_int64,
                .offset = offsetof(struct demo, count),
                .min = -5,
                .max = 5,
        },
        {
                .key = "name",
                .type = &setting_string,
                .offset = offsetof(struct demo, name),
                .flags = SETTING_NULLABLE,
                .check = check_not_x,
        },
        {
                .key = "word",
                .type = &setting_string,
                .offset = offsetof(struct demo, word),
                .flags = SETTING_SHOW_IF_SET,
                .values = (const char *const[]){"one", "two", "three", NULL},
        },
        {
                .key = "paths",
                .type = &setting_strv,
                .offset = offsetof(struct demo, paths),
                .flags = SETTING_ABSOLUTE,
                .builtin = builtin_paths,
        },
        {
                .key = "opts",
                .type = &setting_strv,
                .offset = offsetof(struct demo, opts),
                .values = (const char *const[]){"ro", "nosuid", "nodev", NULL},
        },
        {
                .key = "choice",
                .type = &setting_choice,
                .offset = offsetof(struct demo, choice),
                .values = (const char *const[]){"first", "second", NULL},
        },
        {
                .key = "strict",
                .type = &setting_bool_choice,
                .offset = offsetof(struct demo, strict),
                .values = (const char *const[]){"yes", "no", NULL},
        },
        {
                .key = "cache",
                .type = &setting_string,
                .offset = offsetof(struct demo, cache),
                .flags = SETTING_STATE,
        },
};

static const struct demo demo_defaults = {
        .flag = true,
        .id = 7,
        .count = -1,
        .name = (char *)"dflt",
        .opts = (char *[]){"ro", NULL},
        .choice = 1,
        .strict = true,
};

#define N ELEMENTSOF(demo_settings)

static struct json *doc_of(const char *text)
{
        static const struct json_limits limits = {
                .max_bytes = 65536, .max_depth = 8, .max_members = 64};
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (json_parse(text, strlen(text), &limits, &doc, &err) < 0)
                diag("cannot parse %s: %s", text, err.msg);
        return doc;
}

/* text read into the defaults in stop mode: the error message, or "" and the shown result. */
static void run_stop(const char *text, char *msg, size_t msg_size, char **shown)
{
        struct hr_error err = {0};
        struct settings_parser sp = {.source = SOURCE, .err = &err};
        struct json *doc = doc_of(text), *out = json_new_object();
        struct demo d = {0};
        size_t len;

        *shown = NULL;
        msg[0] = '\0';
        if (settings_copy(demo_settings, N, &d, &demo_defaults) < 0 || !doc || !out) {
                snprintf(msg, msg_size, "setup failed");
        } else if (settings_parse(&sp, demo_settings, N, doc, "/demo", &d, NULL) < 0) {
                snprintf(msg, msg_size, "%s", err.msg);
        } else if (settings_show(demo_settings, N, &d, out) < 0 ||
                   json_write(out, shown, &len, NULL) < 0) {
                snprintf(msg, msg_size, "show failed");
        }
        settings_free(demo_settings, N, &d);
        json_free(doc);
        json_free(out);
}

static void test_types(void)
{
        static const struct {
                const char *in;
                const char *error; /* NULL: valid */
                const char *shown; /* NULL: not checked */
        } cases[] = {
                /* defaults: a NULL list shows its built-in, a SHOW_IF_SET string is left out */
                {"{}", NULL,
                 "{\"flag\":true,\"id\":7,\"count\":-1,\"name\":\"dflt\",\"paths\":[\"/a\",\"/b\"],"
                 "\"opts\":[\"ro\"],\"choice\":\"second\",\"strict\":\"yes\"}\n"},
                {"{\"flag\":false,\"id\":0,\"count\":5,\"name\":null,\"word\":\"two\","
                 "\"paths\":[\"/x\"],\"opts\":[],\"choice\":\"first\",\"strict\":\"no\"}",
                 NULL,
                 "{\"flag\":false,\"id\":0,\"count\":5,\"name\":null,\"word\":\"two\","
                 "\"paths\":[\"/x\"],\"opts\":[],\"choice\":\"first\",\"strict\":\"no\"}\n"},
                /* keys */
                {"{\"bogus\":1}", SOURCE ": '/demo': unknown key 'bogus'", NULL},
                {"{\"fl\\u0000ag\":true}", SOURCE ": '/demo': a key contains a NUL byte", NULL},
                {"{\"cache\":\"x\"}", SOURCE ": '/demo': unknown key 'cache'", NULL},
                {"[]", SOURCE ": '/demo': expected object, got array", NULL},
                /* bool, id, int64 */
                {"{\"flag\":1}", SOURCE ": '/demo/flag': expected boolean, got number", NULL},
                {"{\"id\":4294967295}", SOURCE ": '/demo/id': expected an id from 0 to 4294967294",
                 NULL},
                {"{\"id\":-1}", SOURCE ": '/demo/id': expected an id from 0 to 4294967294", NULL},
                {"{\"count\":\"1\"}", SOURCE ": '/demo/count': expected number, got string", NULL},
                {"{\"count\":6}", SOURCE ": '/demo/count': expected an integer from -5 to 5", NULL},
                {"{\"count\":1.5}", SOURCE ": '/demo/count': expected an integer from -5 to 5",
                 NULL},
                /* strings */
                {"{\"name\":1}", SOURCE ": '/demo/name': expected string, got number", NULL},
                {"{\"name\":\"a\\u0000b\"}", SOURCE ": '/demo/name': contains a NUL byte", NULL},
                {"{\"name\":\"x\"}", SOURCE ": '/demo/name': 'x' is refused", NULL},
                {"{\"word\":null}", SOURCE ": '/demo/word': expected string, got null", NULL},
                {"{\"word\":\"four\"}",
                 SOURCE ": '/demo/word': 'four' is not one of one, two, three", NULL},
                /* string lists */
                {"{\"paths\":\"/a\"}", SOURCE ": '/demo/paths': expected array, got string", NULL},
                {"{\"paths\":[\"/a\",\"\"]}", SOURCE ": '/demo/paths/1': must not be empty", NULL},
                {"{\"paths\":[\"a\"]}", SOURCE ": '/demo/paths/0': 'a' is not an absolute path",
                 NULL},
                {"{\"paths\":[1]}", SOURCE ": '/demo/paths/0': expected string, got number", NULL},
                {"{\"opts\":[\"ro\",\"exec\"]}",
                 SOURCE ": '/demo/opts/1': 'exec' is not one of ro, nosuid, nodev", NULL},
                /* choices: exact names, no NUL byte */
                {"{\"choice\":\"third\"}",
                 SOURCE ": '/demo/choice': 'third' is not one of first, second", NULL},
                {"{\"choice\":\"first\\u0000x\"}",
                 SOURCE ": '/demo/choice': 'first' is not one of first, second", NULL},
                {"{\"strict\":true}", SOURCE ": '/demo/strict': expected string, got boolean",
                 NULL},
                {"{\"strict\":\"maybe\"}", SOURCE ": '/demo/strict': 'maybe' is not one of yes, no",
                 NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                char msg[HR_ERROR_MSG_MAX];
                char *shown;

                run_stop(cases[i].in, msg, sizeof(msg), &shown);
                is_str(msg, cases[i].error ? cases[i].error : "", "%s: %s", cases[i].in,
                       cases[i].error ? "refused" : "valid");
                if (cases[i].shown)
                        is_str(shown, cases[i].shown, "%s: shown", cases[i].in);
                free(shown);
        }
}

/* Collect mode lists every problem (one per key) and goes on; its first problem is the one
 * stop mode reports; valid keys around them are still read. */
static void test_collect(void)
{
        static const char *const want[] = {
                SOURCE ": '/demo': unknown key 'bogus'",
                SOURCE ": '/demo': a key contains a NUL byte",
                SOURCE ": '/demo/id': expected an id from 0 to 4294967294",
                SOURCE ": '/demo/name': 'x' is refused",
                SOURCE ": '/demo/paths/0': 'rel' is not an absolute path",
                SOURCE ": '/demo/choice': 'third' is not one of first, second",
        };
        const char *text = "{\"bogus\":1,\"id\":-1,\"count\":3,\"name\":\"x\",\"paths\":[\"rel\"],"
                           "\"x\\u0000\":0,\"choice\":\"third\",\"strict\":\"no\"}";
        struct hr_error err = {0};
        struct lines problems = {0};
        struct settings_parser sp = {.source = SOURCE, .err = &err, .problems = &problems};
        struct json *doc = doc_of(text);
        struct demo d = {0};
        char stop_msg[HR_ERROR_MSG_MAX], *shown;

        if (!doc || settings_copy(demo_settings, N, &d, &demo_defaults) < 0) {
                ok(0, "collect: setup");
                json_free(doc);
                return;
        }
        is_int(settings_parse(&sp, demo_settings, N, doc, "/demo", &d, NULL), 0,
               "collect: parsing goes on (%s)", err.msg);
        is_int(problems.total, ELEMENTSOF(want), "collect: %zu problems", ELEMENTSOF(want));
        for (size_t i = 0; i < ELEMENTSOF(want) && i < problems.n; i++)
                is_str(problems.lines[i], want[i], "collect: problem %zu", i);
        is_int(d.count, 3, "collect: a valid key after problems is read");
        ok(!d.strict, "collect: the last key is read");
        run_stop(text, stop_msg, sizeof(stop_msg), &shown);
        is_str(stop_msg, want[0], "stop mode reports the first of them");
        free(shown);
        settings_free(demo_settings, N, &d);
        lines_done(&problems);
        json_free(doc);
}

/* Copy and free: the copy owns its strings and lists (valgrind finds leaks and double frees),
 * state fields are freed too. */
static void test_copy_free(void)
{
        struct demo d = {0};

        is_int(settings_copy(demo_settings, N, &d, &demo_defaults), 0, "copy of the defaults");
        ok(d.name && d.name != demo_defaults.name && strcmp(d.name, "dflt") == 0,
           "copy: the string is the copy's own");
        ok(d.opts && d.opts != demo_defaults.opts && d.opts[0] && strcmp(d.opts[0], "ro") == 0 &&
                   !d.opts[1],
           "copy: the list is the copy's own");
        ok(!d.paths, "copy: a NULL list stays NULL (its built-in applies)");
        d.cache = strdup("state");
        settings_free(demo_settings, N, &d);
        ok(!d.name && !d.opts && !d.cache, "free: every owned field is freed and cleared");
}

/* A required key: "missing" when absent; a list shown only when set. */
static void test_required(void)
{
        struct item {
                char *path;
                char **args;
        };
        static const struct setting table[] = {
                {
                        .key = "path",
                        .type = &setting_string,
                        .offset = offsetof(struct item, path),
                        .flags = SETTING_REQUIRED,
                },
                {
                        .key = "args",
                        .type = &setting_strv,
                        .offset = offsetof(struct item, args),
                        .flags = SETTING_SHOW_IF_SET,
                },
        };
        static const struct {
                const char *in, *error, *shown;
        } cases[] = {
                {"{\"path\":\"/x\"}", "", "{\"path\":\"/x\"}\n"},
                {"{\"path\":\"/x\",\"args\":[\"a\"]}", "", "{\"path\":\"/x\",\"args\":[\"a\"]}\n"},
                {"{\"args\":[]}", SOURCE ": '/item/path': missing", NULL},
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct hr_error err = {0};
                struct settings_parser sp = {.source = SOURCE, .err = &err};
                struct json *doc = doc_of(cases[i].in), *out = json_new_object();
                struct item it = {0};
                char *text = NULL;
                size_t len;
                int r = doc && out ? settings_parse(&sp, table, ELEMENTSOF(table), doc, "/item",
                                                    &it, NULL)
                                   : -ENOMEM;

                is_str(r < 0 ? err.msg : "", cases[i].error, "required: %s", cases[i].in);
                if (r == 0 && cases[i].shown) {
                        ok(settings_show(table, ELEMENTSOF(table), &it, out) == 0 &&
                                   json_write(out, &text, &len, NULL) == 0,
                           "required: %s shown", cases[i].in);
                        is_str(text, cases[i].shown, "required: %s shown as", cases[i].in);
                }
                free(text);
                settings_free(table, ELEMENTSOF(table), &it);
                json_free(doc);
                json_free(out);
        }
}

int main(void)
{
        test_types();
        test_collect();
        test_copy_free();
        test_required();
        return tap_done();
}
