/* Unit tests for json.c: strict parsing, byte-exact numbers, Go-style key folding, limits,
 * lookups, the document editing helpers and their ownership rules, and the writer against
 * yajl_gen, byte for byte. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "bounds.h"
#include "json.h"
#include "tap.h"
#include "util/cleanup.h"

/* A string literal and its length, embedded NULs included. */
#define LIT(s) (s), (sizeof(s) - 1)

static const struct json_limits default_limits = {
        .max_bytes = HR_CONFIG_MAX_BYTES,
        .max_depth = HR_JSON_MAX_DEPTH,
        .max_members = HR_JSON_MAX_MEMBERS,
};

/* What `runc spec` writes, plus what Docker and containerd add (rlimits, a seccomp stub,
 * hooks, annotations, unknown vendor fields). */
static const char runc_config[] =
        "{\n"
        "  \"ociVersion\": \"1.2.0\",\n"
        "  \"process\": {\n"
        "    \"terminal\": true,\n"
        "    \"user\": { \"uid\": 0, \"gid\": 0, \"additionalGids\": [10, 0] },\n"
        "    \"args\": [ \"sh\", \"-c\", \"echo \\\"hi\\\" > /tmp/x\" ],\n"
        "    \"env\": [\n"
        "      \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
        "      \"TERM=xterm\"\n"
        "    ],\n"
        "    \"cwd\": \"/\",\n"
        "    \"capabilities\": {\n"
        "      \"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
        "      \"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
        "      \"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
        "      \"ambient\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ]\n"
        "    },\n"
        "    \"rlimits\": [\n"
        "      { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 },\n"
        "      { \"type\": \"RLIMIT_MEMLOCK\", \"hard\": 18446744073709551615,\n"
        "        \"soft\": 18446744073709551615 }\n"
        "    ],\n"
        "    \"noNewPrivileges\": true,\n"
        "    \"oomScoreAdj\": -999\n"
        "  },\n"
        "  \"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
        "  \"hostname\": \"runc\",\n"
        "  \"mounts\": [\n"
        "    { \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
        "    { \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
        "      \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
        "    { \"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\",\n"
        "      \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\" ] }\n"
        "  ],\n"
        "  \"hooks\": { \"createRuntime\": [ { \"path\": \"/usr/bin/hook\", \"timeout\": 5 } ] },\n"
        "  \"annotations\": { \"io.kubernetes.cri.sandbox-id\": \"0123abcd\", \"x\": \"\" },\n"
        "  \"linux\": {\n"
        "    \"uidMappings\": [],\n"
        "    \"resources\": {\n"
        "      \"devices\": [ { \"allow\": false, \"access\": \"rwm\" } ],\n"
        "      \"memory\": { \"limit\": 536870912, \"swap\": -1 },\n"
        "      \"cpu\": { \"shares\": 1024, \"quota\": -1, \"period\": 100000 },\n"
        "      \"pids\": { \"limit\": 0 }\n"
        "    },\n"
        "    \"namespaces\": [ { \"type\": \"pid\" }, { \"type\": \"network\" },\n"
        "      { \"type\": \"ipc\" }, { \"type\": \"uts\" }, { \"type\": \"mount\" },\n"
        "      { \"type\": \"cgroup\" } ],\n"
        "    \"seccomp\": { \"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,\n"
        "      \"architectures\": [ \"SCMP_ARCH_X86_64\" ],\n"
        "      \"syscalls\": [ { \"names\": [ \"read\", \"write\" ],\n"
        "        \"action\": \"SCMP_ACT_ALLOW\",\n"
        "        \"args\": [ { \"index\": 0, \"value\": 2080505856, \"valueTwo\": 0,\n"
        "        \"op\": \"SCMP_CMP_MASKED_EQ\" } ] } ] },\n"
        "    \"maskedPaths\": [ \"/proc/acpi\", \"/proc/kcore\" ],\n"
        "    \"readonlyPaths\": [ \"/proc/bus\", \"/proc/sys\" ],\n"
        "    \"vendor.example/unknown\": { \"nested\": [ null, true, false, 0.5 ] }\n"
        "  }\n"
        "}\n";

static struct json *parse_with(const char *buf, size_t len, const struct json_limits *limits,
                               struct hr_error *err)
{
        struct json *doc = NULL;
        int r = json_parse(buf, len, limits, &doc, err);

        if (r < 0)
                return NULL;
        return doc;
}

static struct json *parse_str(const char *s, struct hr_error *err)
{
        return parse_with(s, strlen(s), &default_limits, err);
}

/* json_write without the trailing newline, or NULL. */
static char *to_text(const struct json *doc)
{
        char *buf = NULL;
        size_t len = 0;

        if (json_write(doc, &buf, &len, NULL) < 0)
                return NULL;
        if (len > 0 && buf[len - 1] == '\n')
                buf[len - 1] = '\0';
        return buf;
}

/* Parses input and expects a refusal with code and a message containing part (NULL: any
 * non-empty message). The output pointer must stay untouched. */
static void check_refused(const char *input, size_t len, const struct json_limits *limits, int code,
                          const char *part, const char *what)
{
        struct hr_error err = {0};
        struct json *doc = (struct json *)&err; /* sentinel: must not be overwritten */
        int r = json_parse(input, len, limits, &doc, &err);

        is_int(r, code, "%s: refused with the expected code", what);
        is_int(err.code, r, "%s: error object carries the code", what);
        ok(err.msg[0] != '\0', "%s: has a message", what);
        if (part)
                ok(strstr(err.msg, part) != NULL, "%s: message mentions '%s' (%s)", what, part,
                   err.msg);
        ok(doc == (struct json *)&err, "%s: *ret_doc untouched", what);
        if (r == 0 && doc != (struct json *)&err)
                json_free(doc);
}

static void check_accepted(const char *input, size_t len, const struct json_limits *limits,
                           const char *what)
{
        struct hr_error err = {0};
        struct json *doc = parse_with(input, len, limits, &err);

        ok(doc != NULL, "%s: accepted%s%s", what, doc ? "" : ": ", doc ? "" : err.msg);
        json_free(doc);
}

static void test_roundtrip_config(void)
{
        struct hr_error err = {0};
        struct json *a, *b, *v, *rl;
        char *text_a, *text_b;

        a = parse_str(runc_config, &err);
        ok(a != NULL, "runc config.json parses (%s)", err.msg);
        if (!a)
                return;
        text_a = to_text(a);
        ok(text_a != NULL, "runc config.json serialises");
        b = text_a ? parse_str(text_a, &err) : NULL;
        ok(b != NULL, "written config.json parses again");
        ok(json_equal(a, b), "parse -> write -> parse gives an equal document");
        text_b = b ? to_text(b) : NULL;
        is_str(text_b, text_a, "second write is byte-identical to the first");

        /* Member order is kept exactly as read. */
        ok(a->type == JSON_OBJECT && a->object.n == 8, "8 top-level members");
        if (a->object.n == 8) {
                is_str(a->object.members[0].key, "ociVersion", "first key kept first");
                is_str(a->object.members[7].key, "linux", "last key kept last");
        }
        v = json_object_get(json_object_get(a, "process"), "oomScoreAdj");
        ok(v && v->type == JSON_NUMBER, "negative number parsed as number");
        if (v)
                is_str(v->scalar.text, "-999", "negative number text kept");
        rl = json_object_get(json_object_get(a, "process"), "rlimits");
        ok(rl && rl->type == JSON_ARRAY && rl->array.n == 2, "rlimits array of 2");
        if (rl && rl->type == JSON_ARRAY && rl->array.n == 2) {
                v = json_object_get(rl->array.items[1], "hard");
                ok(v && v->type == JSON_NUMBER, "RLIMIT_MEMLOCK hard is a number");
                if (v)
                        is_str(v->scalar.text, "18446744073709551615", "UINT64_MAX text kept");
        }
        v = json_object_get(json_object_get(a, "linux"), "vendor.example/unknown");
        ok(v && v->type == JSON_OBJECT, "unknown vendor field kept");
        ok(text_a && strstr(text_a, "\"echo \\\"hi\\\" > /tmp/x\"") != NULL,
           "quotes inside strings are re-escaped");
        ok(text_a && strstr(text_a, "\"hard\":18446744073709551615,"
                                    "\"soft\":18446744073709551615") != NULL,
           "UINT64_MAX survives byte-for-byte in the output");

        free(text_a);
        free(text_b);
        json_free(a);
        json_free(b);
}

/* Compact input must come back byte-for-byte (plus the newline json_write adds). */
static void check_exact_roundtrip(const char *input, const char *what)
{
        struct hr_error err = {0};
        struct json *doc = parse_str(input, &err);
        char *buf = NULL;
        size_t len = 0;

        ok(doc != NULL, "%s: parses (%s)", what, err.msg);
        if (!doc)
                return;
        is_int(json_write(doc, &buf, &len, &err), 0, "%s: writes", what);
        is_int(len, strlen(input) + 1, "%s: output length is input + newline", what);
        ok(buf && len == strlen(input) + 1 && memcmp(buf, input, len - 1) == 0 &&
                   buf[len - 1] == '\n',
           "%s: output is byte-identical", what);
        if (buf && (len != strlen(input) + 1 || memcmp(buf, input, strlen(input)) != 0))
                diag("got: %s", buf);
        free(buf);
        json_free(doc);
}

static void test_numbers(void)
{
        struct hr_error err = {0};
        struct json *doc;

        check_exact_roundtrip("{\"ociVersion\":\"1.0.2\",\"process\":{\"rlimits\":[{\"type\":"
                              "\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1048576},{\"type\":"
                              "\"RLIMIT_MEMLOCK\",\"hard\":18446744073709551615,\"soft\":"
                              "18446744073709551615}]}}",
                              "Docker-style rlimits with UINT64_MAX");
        check_exact_roundtrip("[1.5e3,-0,0.10,1E+2,-1.25e-10,0,123456789012345678901234567890]",
                              "number texts kept as written");
        check_exact_roundtrip("{\"a\":null,\"b\":true,\"c\":false,\"d\":[],\"e\":{},\"f\":\"\"}",
                              "literals and empty containers");

        doc = parse_str("[1.5e3,-0,0.10]", &err);
        ok(doc && doc->type == JSON_ARRAY && doc->array.n == 3, "number array parsed");
        if (doc && doc->array.n == 3) {
                is_str(doc->array.items[0]->scalar.text, "1.5e3", "1.5e3 stays text");
                is_str(doc->array.items[1]->scalar.text, "-0", "-0 stays text");
                is_str(doc->array.items[2]->scalar.text, "0.10", "0.10 keeps its zero");
                is_int(doc->array.items[2]->scalar.len, 4, "0.10 length 4");
        }
        json_free(doc);

        /* Invalid number syntax is refused. */
        check_refused(LIT("[01]"), &default_limits, -EINVAL, NULL, "leading zero number");
        check_refused(LIT("[1.]"), &default_limits, -EINVAL, NULL, "number with empty fraction");
        check_refused(LIT("[+1]"), &default_limits, -EINVAL, NULL, "number with plus sign");
        check_refused(LIT("[.5]"), &default_limits, -EINVAL, NULL, "number without integer part");
        check_refused(LIT("[NaN]"), &default_limits, -EINVAL, NULL, "NaN");
}

static void test_strings(void)
{
        static const char nul_in_string[] = "{\"a\":\"x\\u0000y\"}";
        struct hr_error err = {0};
        struct json *doc, *v;
        char *text;

        doc = parse_str(nul_in_string, &err);
        ok(doc != NULL, "\\u0000 in a string is accepted (%s)", err.msg);
        v = json_object_get(doc, "a");
        ok(v && v->type == JSON_STRING, "string member found");
        if (v) {
                is_int(v->scalar.len, 3, "string length counts the embedded NUL");
                ok(v->scalar.len == 3 && memcmp(v->scalar.text, "x\0y", 3) == 0,
                   "string bytes are x NUL y");
        }
        text = doc ? to_text(doc) : NULL;
        is_str(text, "{\"a\":\"x\\u0000y\"}", "embedded NUL written back as \\u0000");
        free(text);
        json_free(doc);

        doc = parse_str("{\"\\u0070rocess\":{\"k\":1}}", &err);
        ok(doc != NULL, "escaped key parses");
        ok(doc && doc->object.n == 1 && doc->object.members[0].key_len == 7,
           "escaped key has length 7");
        ok(json_object_get(doc, "process") != NULL, "\"\\u0070rocess\" is the key \"process\"");
        is_int(json_object_field(doc, "process", NULL), 1, "json_object_field finds it exactly");
        text = doc ? to_text(doc) : NULL;
        is_str(text, "{\"process\":{\"k\":1}}", "escaped key written unescaped");
        free(text);
        json_free(doc);

        doc = parse_str("{\"a\\u0000b\":1,\"a\":2}", &err);
        ok(doc != NULL, "key with an embedded NUL parses and is not a duplicate of its prefix");
        ok(doc && doc->object.members[0].key_len == 3, "key_len counts the NUL");
        ok(doc && json_object_get(doc, "a") == doc->object.members[1].value,
           "exact lookup of \"a\" does not stop at the NUL of \"a\\0b\"");
        json_free(doc);

        check_refused(LIT("{\"a\\u0000b\":1,\"a\\u0000B\":2}"), &default_limits, -EILSEQ,
                      "duplicate key", "keys with NUL equal under folding");

        doc = parse_str("[\"\\ud83d\\ude00\",\"\\u00e9\",\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", &err);
        ok(doc && doc->array.n == 3, "escapes parse");
        if (doc && doc->array.n == 3) {
                is_str(doc->array.items[0]->scalar.text, "\xf0\x9f\x98\x80",
                       "surrogate pair decodes to 4-byte UTF-8");
                is_str(doc->array.items[1]->scalar.text, "\xc3\xa9", "\\u00e9 decodes to UTF-8");
                is_str(doc->array.items[2]->scalar.text, "\"\\/\b\f\n\r\t", "short escapes decode");
        }
        text = doc ? to_text(doc) : NULL;
        is_str(text, "[\"\xf0\x9f\x98\x80\",\"\xc3\xa9\",\"\\\"\\\\/\\b\\f\\n\\r\\t\"]",
               "escapes written back in canonical form");
        free(text);
        json_free(doc);

        check_accepted(LIT("{\"k\":\"\xe2\x84\xaa\xc5\xbf\xc3\xa9\"}"), &default_limits,
                       "valid multi-byte UTF-8 in a value");
}

static void test_refusals(void)
{
        static const char nul_raw[] = "{\"a\":\"x\0y\"}";
        static const char nul_after[] = "{}\0";

        check_refused(LIT("{\"a\":1,\"a\":2}"), &default_limits, -EILSEQ, "duplicate key 'a'",
                      "exact duplicate key");
        check_refused(LIT("{\"process\":{},\"Process\":{}}"), &default_limits, -EILSEQ,
                      "duplicate key", "keys equal under case folding");
        check_refused(LIT("{\"x\":{\"uid\":0,\"UID\":0}}"), &default_limits, -EILSEQ,
                      "duplicate key", "fold duplicate in a nested object");
        check_refused(LIT("[{\"a\":1},{\"b\":1,\"B\":2}]"), &default_limits, -EILSEQ, NULL,
                      "fold duplicate in an object inside an array");
        check_refused(LIT("{\"\xe2\x84\xaa\":1,\"k\":2}"), &default_limits, -EILSEQ,
                      "duplicate key", "KELVIN SIGN (raw UTF-8) vs k");
        check_refused(LIT("{\"\\u212a\":1,\"k\":2}"), &default_limits, -EILSEQ, "duplicate key",
                      "KELVIN SIGN (escaped) vs k");
        check_refused(LIT("{\"K\":1,\"\\u212A\":2}"), &default_limits, -EILSEQ, "duplicate key",
                      "K vs KELVIN SIGN");
        check_refused(LIT("{\"\\u017f\":1,\"s\":2}"), &default_limits, -EILSEQ, "duplicate key",
                      "LONG S vs s");
        check_refused(LIT("{\"procesS\":1,\"proce\\u017fs\":2}"), &default_limits, -EILSEQ,
                      "duplicate key", "LONG S inside a longer key");
        check_refused(LIT("{\"\\u212aey\":1,\"KEY\":2}"), &default_limits, -EILSEQ, "duplicate key",
                      "KELVIN SIGN inside a longer key");
        check_accepted(LIT("{\"process\":1,\"processes\":2,\"proc\":3}"), &default_limits,
                       "keys that only share a prefix");
        check_accepted(LIT("{\"\\u00e9\":1,\"\\u00c9\":2}"), &default_limits,
                       "non-ASCII letters that Go does not fold to ASCII stay distinct");
        check_accepted(LIT("{\"\\u212b\":1,\"k\":2}"), &default_limits,
                       "ANGSTROM SIGN is not KELVIN SIGN");

        check_refused(LIT("{/* c */}"), &default_limits, -EINVAL, NULL, "block comment");
        check_refused(LIT("{} // c"), &default_limits, -EINVAL, NULL, "line comment");
        check_refused(LIT("{} {}"), &default_limits, -EINVAL, NULL, "two values");
        check_refused(LIT("{}x"), &default_limits, -EINVAL, NULL, "trailing garbage");
        check_refused(LIT("{}]"), &default_limits, -EINVAL, NULL, "trailing bracket");
        check_refused(nul_after, sizeof(nul_after) - 1, &default_limits, -EINVAL, NULL,
                      "NUL byte after the document");
        check_refused(LIT("{\"a\":\"\xff\"}"), &default_limits, -EINVAL, NULL,
                      "invalid UTF-8 byte in a value");
        check_refused(LIT("{\"\xc3\":1}"), &default_limits, -EINVAL, NULL,
                      "truncated UTF-8 sequence in a key");
        check_refused(LIT("[\"\xe2\x84\"]"), &default_limits, -EINVAL, NULL,
                      "truncated 3-byte sequence");
        check_refused(nul_raw, sizeof(nul_raw) - 1, &default_limits, -EINVAL, NULL,
                      "raw NUL byte in a string");
        check_refused(LIT("[\"a\tb\"]"), &default_limits, -EINVAL, NULL,
                      "raw control character in a string");
        check_refused(LIT(""), &default_limits, -EINVAL, "empty", "empty input");
        check_refused(LIT("   \n"), &default_limits, -EINVAL, NULL, "whitespace only");
        check_refused(LIT("{\"a\":1,}"), &default_limits, -EINVAL, NULL, "trailing comma");
        check_refused(LIT("{'a':1}"), &default_limits, -EINVAL, NULL, "single quotes");
        check_refused(LIT("{\"a\":1"), &default_limits, -EINVAL, NULL, "unterminated object");
        check_refused(LIT("[\"\\x41\"]"), &default_limits, -EINVAL, NULL, "invalid escape");
        check_refused(LIT("[\"\\u12\"]"), &default_limits, -EINVAL, NULL, "short \\u escape");
        /* Strict UTF-8 (src/util/utf8.c): yajl alone only checks the shape of
         * a sequence (lead byte + continuation bytes): overlong forms, UTF-16 surrogates and
         * code points above U+10FFFF pass, and hardrun writes them back into the spec. A lone
         * surrogate escape (\udc00) is decoded by yajl to the same invalid bytes. */
        check_refused(LIT("[\"\xc0\x80\"]"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: overlong 2-byte NUL (C0 80)");
        check_refused(LIT("{\"proce\xc1\xb3s\":1}"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: overlong 's' (C1 B3) in a key");
        check_refused(LIT("[\"\xe0\x80\x80\"]"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: overlong 3-byte form (E0 80 80)");
        check_refused(LIT("[\"\xed\xa0\x80\"]"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: UTF-16 surrogate encoded in UTF-8 (ED A0 80)");
        check_refused(LIT("[\"\xf4\x90\x80\x80\"]"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: code point above U+10FFFF (F4 90 80 80)");
        check_refused(LIT("[\"\\udc00\"]"), &default_limits, -EILSEQ, NULL,
                      "strict UTF-8: lone low surrogate escape decodes to invalid UTF-8");
        check_accepted(LIT("{}\n\t "), &default_limits, "trailing whitespace is fine");
        check_accepted(LIT("\"just a string\""), &default_limits, "top-level scalar");
}

static char *nested(unsigned depth, char open, char close)
{
        char *s = malloc(2 * (size_t)depth + 1);

        if (!s)
                return NULL;
        for (unsigned i = 0; i < depth; i++) {
                s[i] = open;
                s[2 * (size_t)depth - 1 - i] = close;
        }
        s[2 * (size_t)depth] = '\0';
        return s;
}

/* {"a":{"a":...{}...}} with depth objects. */
static char *nested_objects(unsigned depth)
{
        size_t len = (size_t)depth * 6;
        char *s = malloc(len + 1);
        size_t o = 0;

        if (!s)
                return NULL;
        for (unsigned i = 0; i + 1 < depth; i++) {
                memcpy(s + o, "{\"a\":", 5);
                o += 5;
        }
        s[o++] = '{';
        for (unsigned i = 0; i < depth; i++)
                s[o++] = '}';
        s[o] = '\0';
        return s;
}

static void test_limits(void)
{
        struct json_limits l = default_limits;
        char *s;
        size_t len;

        l.max_depth = 5;
        s = nested(5, '[', ']');
        check_accepted(s, strlen(s), &l, "arrays nested exactly max_depth deep");
        free(s);
        s = nested(6, '[', ']');
        check_refused(s, strlen(s), &l, -ELOOP, "nesting deeper than 5", "max_depth + 1 arrays");
        free(s);
        s = nested_objects(5);
        check_accepted(s, strlen(s), &l, "objects nested exactly max_depth deep");
        free(s);
        s = nested_objects(6);
        check_refused(s, strlen(s), &l, -ELOOP, NULL, "max_depth + 1 objects");
        free(s);

        l.max_depth = HR_JSON_MAX_DEPTH;
        s = nested(HR_JSON_MAX_DEPTH, '[', ']');
        check_accepted(s, strlen(s), &l, "HR_JSON_MAX_DEPTH levels");
        free(s);
        s = nested(HR_JSON_MAX_DEPTH + 1, '[', ']');
        check_refused(s, strlen(s), &l, -ELOOP, NULL, "HR_JSON_MAX_DEPTH + 1 levels");
        free(s);

        /* A huge max_depth is clamped to the parser's stack, never overflows it. */
        l.max_depth = 1000000;
        s = nested(100000, '[', ']');
        check_refused(s, strlen(s), &l, -ELOOP, NULL, "100000 levels with a huge max_depth");
        free(s);

        l = default_limits;
        s = strdup("{\"key\":\"0123456789\"}");
        len = strlen(s);
        l.max_bytes = len;
        check_accepted(s, len, &l, "document of exactly max_bytes");
        l.max_bytes = len - 1;
        check_refused(s, len, &l, -EFBIG, "larger than", "document of max_bytes + 1");
        free(s);

        l = default_limits;
        l.max_members = 3;
        check_accepted(LIT("[1,2,3]"), &l, "array with max_members items");
        check_refused(LIT("[1,2,3,4]"), &l, -E2BIG, "more than 3", "array with max_members + 1");
        check_accepted(LIT("{\"a\":1,\"b\":2,\"c\":3}"), &l, "object with max_members members");
        check_refused(LIT("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}"), &l, -E2BIG, "more than 3",
                      "object with max_members + 1");
        check_accepted(LIT("[[1,2,3],[1,2,3],{\"a\":[1,2,3]}]"), &l,
                       "the member limit is per container");
}

static void test_object_field(void)
{
        struct hr_error err = {0};
        struct json *doc = parse_str("{\"process\":{\"a\":1},\"Linux\":{},\"\\u212aey\":1,"
                                     "\"root\":null}",
                                     &err);
        struct json *v = (struct json *)&err;

        ok(doc != NULL, "lookup document parses");
        if (!doc)
                return;
        is_int(json_object_field(doc, "process", &v), 1, "exact key: 1");
        ok(v == json_object_get(doc, "process"), "exact key: value returned");
        v = (struct json *)&err;
        is_int(json_object_field(doc, "mounts", &v), 0, "absent key: 0");
        ok(v == NULL, "absent key: value NULL");
        v = (struct json *)&err;
        is_int(json_object_field(doc, "linux", &v), -EILSEQ, "case-folded key: -EILSEQ");
        ok(v == NULL, "case-folded key: value NULL");
        is_int(json_object_field(doc, "LINUX", NULL), -EILSEQ, "upper-case lookup: -EILSEQ");
        is_int(json_object_field(doc, "key", NULL), -EILSEQ, "KELVIN SIGN key vs 'key': -EILSEQ");
        is_int(json_object_field(doc, "Process", NULL), -EILSEQ,
               "lookup of a fold-variant of an existing key: -EILSEQ");
        is_int(json_object_field(doc, "root", &v), 1, "null member is present: 1");
        ok(v && v->type == JSON_NULL, "null member value returned");
        is_int(json_object_field(doc, "proces", NULL), 0, "prefix of a key: 0");
        is_int(json_object_field(json_object_get(doc, "root"), "x", NULL), 0,
               "lookup in a non-object: 0");
        is_int(json_object_field(NULL, "x", NULL), 0, "lookup in NULL: 0");
        ok(json_object_get(doc, "linux") == NULL, "json_object_get is exact");
        json_free(doc);
}

static void check_uint(const char *text, unsigned long long max, int want_r,
                       unsigned long long want)
{
        struct json *n = json_new_number(text);
        unsigned long long v = 777;
        int r = json_get_uint(n, max, &v);

        if (want_r == 0) {
                is_int(r, 0, "json_get_uint(\"%s\") accepted", text);
                ok(v == want, "json_get_uint(\"%s\") = %llu (got %llu)", text, want, v);
        } else {
                ok(r < 0, "json_get_uint(\"%s\") refused (r=%d)", text, r);
                if (want_r != 1)
                        is_int(r, want_r, "json_get_uint(\"%s\") error code", text);
                ok(v == 777, "json_get_uint(\"%s\") leaves *ret alone", text);
        }
        json_free(n);
}

static void test_get_uint(void)
{
        struct json *s = json_new_string("1");
        unsigned long long v = 0;

        check_uint("0", UINT32_MAX, 0, 0);
        check_uint("7", UINT32_MAX, 0, 7);
        check_uint("4294967295", UINT32_MAX, 0, 4294967295ULL);
        check_uint("00", UINT32_MAX, -EINVAL, 0);
        check_uint("01", UINT32_MAX, -EINVAL, 0);
        check_uint("-0", UINT32_MAX, -EINVAL, 0);
        check_uint("-1", UINT32_MAX, -EINVAL, 0);
        check_uint("1.0", UINT32_MAX, -EINVAL, 0);
        check_uint("1e2", UINT32_MAX, -EINVAL, 0);
        check_uint("1E2", UINT32_MAX, -EINVAL, 0);
        check_uint("+1", UINT32_MAX, -EINVAL, 0);
        check_uint("4294967296", UINT32_MAX, -ERANGE, 0);
        check_uint("18446744073709551615", UINT64_MAX, 0, UINT64_MAX);
        check_uint("18446744073709551616", UINT64_MAX, -ERANGE, 0);
        check_uint("99999999999999999999999", UINT64_MAX, -ERANGE, 0);
        check_uint("65534", 65533, -ERANGE, 0);
        check_uint("", UINT32_MAX, -EINVAL, 0);
        ok(json_get_uint(s, UINT32_MAX, &v) < 0, "json_get_uint refuses a string");
        ok(json_get_uint(NULL, UINT32_MAX, &v) < 0, "json_get_uint refuses NULL");
        json_free(s);
}

static bool equal_texts(const char *a, const char *b)
{
        struct hr_error err = {0};
        struct json *x = parse_str(a, &err);
        struct json *y = parse_str(b, &err);
        bool eq = x && y && json_equal(x, y);

        json_free(x);
        json_free(y);
        return eq;
}

static void test_equal(void)
{
        struct json *a = json_new_null(), *b = json_new_null();

        ok(equal_texts("{\"a\":1,\"b\":[1,2],\"c\":{\"x\":null,\"y\":true}}",
                       "{\"c\":{\"y\":true,\"x\":null},\"b\":[1,2],\"a\":1}"),
           "json_equal ignores member order");
        ok(!equal_texts("[1,2]", "[2,1]"), "json_equal respects array order");
        ok(!equal_texts("{\"a\":1}", "{\"a\":1.0}"), "number text must match (1 vs 1.0)");
        ok(!equal_texts("{\"a\":1}", "{\"a\":\"1\"}"), "number vs string differ");
        ok(!equal_texts("{\"a\":1}", "{\"a\":1,\"b\":2}"), "extra member differs");
        ok(!equal_texts("{\"a\":1,\"b\":2}", "{\"a\":1,\"c\":2}"), "different key differs");
        ok(!equal_texts("{\"a\":true}", "{\"a\":false}"), "true vs false differ");
        ok(!equal_texts("{\"a\":null}", "{\"a\":false}"), "null vs false differ");
        ok(!equal_texts("[\"a\\u0000b\"]", "[\"a\\u0000c\"]"),
           "strings compared past an embedded NUL");
        ok(!equal_texts("{\"a\\u0000b\":1}", "{\"a\\u0000c\":1}"),
           "keys compared past an embedded NUL");
        ok(!equal_texts("[[1,2]]", "[[1,2,3]]"), "nested arrays of different length differ");
        ok(equal_texts("[]", "[]"), "empty arrays equal");
        ok(!equal_texts("[]", "{}"), "array vs object differ");
        ok(json_equal(a, b), "two nulls equal");
        ok(!json_equal(a, NULL), "node vs NULL differ");
        ok(json_equal(NULL, NULL), "NULL vs NULL equal");
        json_free(a);
        json_free(b);
}

static void test_editing(void)
{
        struct hr_error err = {0};
        struct json *doc = parse_str("{\"a\":1,\"b\":2,\"c\":3}", &err);
        struct json *arr, *clone;
        char *text;

        ok(doc != NULL, "edit document parses");
        if (!doc)
                return;
        is_int(json_object_set(doc, "b", json_new_string("x")), 0, "json_object_set replaces");
        text = to_text(doc);
        is_str(text, "{\"a\":1,\"b\":\"x\",\"c\":3}", "replaced member keeps its position");
        free(text);
        is_int(json_object_set(doc, "d", json_new_uint(18446744073709551615ULL)), 0,
               "json_object_set appends");
        text = to_text(doc);
        is_str(text, "{\"a\":1,\"b\":\"x\",\"c\":3,\"d\":18446744073709551615}",
               "new member appended at the end");
        free(text);
        is_int(json_object_set(doc, "e", NULL), -ENOMEM, "json_object_set(NULL) fails");
        is_int(doc->object.n, 4, "failed set adds nothing");

        clone = json_clone(doc);
        ok(clone && json_equal(clone, doc), "clone is equal");
        json_object_set(clone, "a", json_new_bool(true));
        ok(!json_equal(clone, doc), "editing the clone leaves the original");
        json_free(clone);
        json_free(doc);

        arr = parse_str("[1,2,3,4]", &err);
        ok(arr != NULL, "array parses");
        if (!arr)
                return;
        is_int(json_array_remove(arr, 1), 0, "remove returns 0");
        text = to_text(arr);
        is_str(text, "[1,3,4]", "remove from the middle");
        free(text);
        is_int(json_array_remove(arr, 2), 0, "remove the last item: 0");
        text = to_text(arr);
        is_str(text, "[1,3]", "remove the last item");
        free(text);
        is_int(json_array_remove(arr, 2), -EINVAL, "remove out of range: -EINVAL");
        text = to_text(arr);
        is_str(text, "[1,3]", "remove out of range does nothing");
        free(text);
        ok(json_array_remove(arr, 0) == 0 && json_array_remove(arr, 0) == 0,
           "remove the first item twice");
        text = to_text(arr);
        is_str(text, "[]", "remove every item");
        free(text);
        is_int(json_array_append(arr, json_new_string("z")), 0, "append after removals");
        text = to_text(arr);
        is_str(text, "[\"z\"]", "array usable after removals");
        free(text);
        ok(json_array_insert(arr, 0, json_new_uint(1)) == 0 &&
                   json_array_insert(arr, 2, json_new_uint(3)) == 0 &&
                   json_array_insert(arr, 1, json_new_uint(2)) == 0,
           "insert first, last and in the middle");
        is_int(json_array_insert(arr, 5, json_new_uint(9)), -EINVAL, "insert past the end fails");
        text = to_text(arr);
        is_str(text, "[1,2,\"z\",3]", "items in their places");
        free(text);
        json_free(arr);
}

static void test_builders(void)
{
        struct json *o = json_new_object();
        char *text;

        json_object_set(o, "n", json_new_null());
        json_object_set(o, "t", json_new_bool(true));
        json_object_set(o, "f", json_new_bool(false));
        json_object_set(o, "u", json_new_uint(0));
        json_object_set(o, "s", json_new_string("q\"\\\n\x01"));
        json_object_set(o, "a", json_new_array());
        text = to_text(o);
        is_str(text,
               "{\"n\":null,\"t\":true,\"f\":false,\"u\":0,\"s\":\"q\\\"\\\\\\n\\u0001\","
               "\"a\":[]}",
               "built document serialises with escapes");
        free(text);
        json_free(o);

        is_str(json_type_name(JSON_OBJECT), "object", "type name object");
        is_str(json_type_name(JSON_TRUE), "boolean", "type name boolean (true)");
        is_str(json_type_name(JSON_FALSE), "boolean", "type name boolean (false)");
        is_str(json_type_name(_JSON_TYPE_MAX), "invalid", "type name out of range");
        ok(json_is_null(NULL), "json_is_null(NULL)");
        ok(json_free(NULL) == NULL, "json_free(NULL)");
}

/* Each rule of json.h's memory model; valgrind (meson test --setup valgrind) sees the leaks and
 * the use after free a wrong one would cause. */
static void test_ownership(void)
{
        struct hr_error err = {0};
        struct json *doc = parse_str("{\"a\":[1,2],\"b\":{\"c\":\"x\"}}", &err);
        struct json *other = parse_str("{\"keep\":[\"from other\"]}", &err);
        struct json *list, *item, *moved, *a;
        char *text;

        ok(doc && other, "documents parse");
        if (!doc || !other)
                return;

        /* A node inside another document is copied: that document still owns (and frees) the
         * original. */
        ok(json_object_set(doc, "copied", json_object_get(other, "keep")) == 0,
           "a node of another document is accepted");
        ok(json_object_get(doc, "copied") != json_object_get(other, "keep"), "and copied");
        json_free(other);
        text = to_text(doc);
        is_str(text, "{\"a\":[1,2],\"b\":{\"c\":\"x\"},\"copied\":[\"from other\"]}",
               "the copy outlives the document it came from");
        free(text);

        /* Standalone documents join the container's: built bottom-up, freed once. */
        list = json_new_array();
        item = json_new_object();
        ok(json_array_append(list, item) == 0, "a new object joins a new array");
        ok(json_object_set(item, "n", json_new_uint(7)) == 0,
           "a member added to a node that joined another document");
        ok(json_object_set(doc, "list", list) == 0, "the array joins the parsed document");
        json_free(item); /* not a document root any more: nothing happens */
        json_free(list);
        text = to_text(doc);
        is_str(text,
               "{\"a\":[1,2],\"b\":{\"c\":\"x\"},\"copied\":[\"from other\"],\"list\":[{\"n\":7}]}",
               "json_free of nodes that joined a document frees nothing");
        free(text);

        /* A node of the same document is linked where it is, not copied. */
        a = json_object_get(doc, "a");
        moved = json_object_get(doc, "b");
        ok(json_array_append(a, moved) == 0 && a->array.items[2] == moved,
           "a node of the same document is linked, not copied");
        is_int(json_object_remove(doc, "b"), 1, "object remove of a member: 1");
        is_int(json_object_remove(doc, "b"), 0, "object remove of an absent member: 0");
        text = to_text(doc);
        is_str(text, "{\"a\":[1,2,{\"c\":\"x\"}],\"copied\":[\"from other\"],\"list\":[{\"n\":7}]}",
               "a node moved inside its document");
        free(text);

        /* Replaced values stay valid until the document goes. */
        item = json_object_get(doc, "copied");
        ok(json_object_set(doc, "copied", json_new_null()) == 0, "replace a member");
        ok(item->type == JSON_ARRAY && item->array.n == 1, "the replaced value is still readable");

        /* Growth by doubling: many appends keep every item. */
        list = json_new_array();
        for (unsigned i = 0; list && i < 100000; i++)
                if (json_array_append(list, json_new_uint(i)) < 0)
                        break;
        ok(list && list->array.n == 100000 && list->array.items[99999]->scalar.len == 5 &&
                   strcmp(list->array.items[12345]->scalar.text, "12345") == 0,
           "100000 appends to an array");
        json_free(list);
        json_free(doc);

        /* Which documents may hold a key with a NUL byte. */
        doc = parse_str("{\"a\":{\"b\\u0000c\":1}}", &err);
        other = parse_str("{\"a\":{\"bc\":1}}", &err);
        ok(doc && json_doc_has_nul_key(doc), "a parsed NUL key is known");
        ok(other && !json_doc_has_nul_key(other), "a document without one says so");
        item = doc ? json_clone(json_object_get(doc, "a")) : NULL;
        ok(item && json_doc_has_nul_key(item), "a clone keeps it");
        ok(other && item && json_object_set(other, "x", item) == 0 && json_doc_has_nul_key(other),
           "a document that joins another brings it");
        json_free(doc);
        json_free(other);
}

/* A checkpoint undoes every kind of change, at any depth, and can be opened again. */
static void test_checkpoint(void)
{
        static const char text[] = "{\"a\":[1,2,3],\"b\":{\"c\":{\"d\":[]}},\"e\":\"x\"}";
        struct hr_error err = {0};
        struct json *doc = parse_str(text, &err), *a, *d, *added;
        char *before, *after;

        ok(doc != NULL, "checkpoint document parses");
        if (!doc)
                return;
        before = to_text(doc);
        is_int(json_checkpoint(doc), 0, "checkpoint opens");
        is_int(json_checkpoint(json_object_get(doc, "b")), -EBUSY, "one checkpoint at a time");
        a = json_object_get(doc, "a");
        d = json_object_get(json_object_get(json_object_get(doc, "b"), "c"), "d");
        is_int(json_array_remove(a, 0), 0, "remove inside a checkpoint");
        json_array_append(a, json_new_string("new"));
        json_array_append(d, json_new_uint(9));
        json_object_set(doc, "e", json_new_bool(false));
        json_object_set(doc, "f", json_new_object());
        added = json_object_get(doc, "f");
        json_object_set(added, "g", json_new_null());
        json_array_insert(d, 0, json_new_uint(8));
        ok(json_object_remove(json_object_get(doc, "b"), "c") == 1 &&
                   json_object_remove(doc, "a") == 1,
           "object removals inside a checkpoint");
        after = to_text(doc);
        is_str(after, "{\"b\":{},\"e\":false,\"f\":{\"g\":null}}", "changes seen inside");
        free(after);
        is_int(json_rollback(doc), 0, "rollback");
        after = to_text(doc);
        is_str(after, before, "the document is as it was");
        free(after);
        ok(a->array.n == 3 && strcmp(a->array.items[0]->scalar.text, "1") == 0,
           "a node kept across the rollback has its members back");

        is_int(json_checkpoint(doc), 0, "a second checkpoint");
        json_array_append(json_object_get(doc, "a"), json_new_uint(4));
        is_int(json_rollback(doc), 0, "a second rollback");
        after = to_text(doc);
        is_str(after, before, "as it was again");
        free(after);
        json_array_append(json_object_get(doc, "a"), json_new_uint(4));
        after = to_text(doc);
        is_str(after, "{\"a\":[1,2,3,4],\"b\":{\"c\":{\"d\":[]}},\"e\":\"x\"}",
               "outside a checkpoint changes stay");
        free(after);
        is_int(json_rollback(doc), 0, "a rollback without a checkpoint undoes nothing");
        after = to_text(doc);
        ok(after && strstr(after, "[1,2,3,4]"), "nothing undone");
        free(after);
        free(before);
        json_free(doc);

        /* A document freed with a checkpoint open leaks nothing (valgrind). */
        doc = parse_str(text, &err);
        ok(doc && json_checkpoint(doc) == 0 &&
                   json_array_append(json_object_get(doc, "a"), json_new_null()) == 0,
           "a change inside a checkpoint, then free");
        json_free(doc);
}

/* ---- the writer against yajl_gen ---- */

/* What json.c wrote before it had its own writer: yajl_gen, with the empty containers of the
 * beautifier squeezed to "[]" and "{}", and a newline at the end. */
static int reference_node(yajl_gen g, const struct json *n)
{
        int s = 0;

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
                        s = reference_node(g, n->array.items[i]);
                return s ? s : (int)yajl_gen_array_close(g);
        case JSON_OBJECT:
                s = yajl_gen_map_open(g);
                for (size_t i = 0; !s && i < n->object.n; i++) {
                        const struct json_member *m = &n->object.members[i];
                        s = yajl_gen_string(g, (const unsigned char *)m->key, m->key_len);
                        if (!s)
                                s = reference_node(g, m->value);
                }
                return s ? s : (int)yajl_gen_map_close(g);
        case _JSON_TYPE_MAX:
                break;
        }
        return -1;
}

static char *reference_write(const struct json *doc, bool pretty, size_t *ret_len)
{
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out;
        size_t len, o = 0;
        char *buf = NULL;

        if (!g)
                return NULL;
        if (pretty) {
                yajl_gen_config(g, yajl_gen_beautify, 1);
                yajl_gen_config(g, yajl_gen_indent_string, "  ");
        }
        if (reference_node(g, doc) == 0 && yajl_gen_get_buf(g, &out, &len) == 0 &&
            (buf = malloc(len + 2))) {
                for (size_t i = 0; i < len;) {
                        /* "[\n<spaces>\n<spaces>]" is an empty container in beautified text. */
                        size_t j = i + 1;
                        if (pretty && (out[i] == '[' || out[i] == '{') && j < len &&
                            out[j] == '\n') {
                                for (j++; j < len && out[j] == ' '; j++)
                                        ;
                                if (j < len && out[j] == '\n') {
                                        for (j++; j < len && out[j] == ' '; j++)
                                                ;
                                        if (j < len && out[j] == (out[i] == '[' ? ']' : '}')) {
                                                buf[o++] = (char)out[i];
                                                buf[o++] = (char)out[j];
                                                i = j + 1;
                                                continue;
                                        }
                                }
                        }
                        buf[o++] = (char)out[i++];
                }
                if (o == 0 || buf[o - 1] != '\n')
                        buf[o++] = '\n';
                *ret_len = o;
        }
        yajl_gen_free(g);
        return buf;
}

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static unsigned rng(unsigned n)
{
        rng_state ^= rng_state << 13;
        rng_state ^= rng_state >> 7;
        rng_state ^= rng_state << 17;
        return (unsigned)(rng_state % n);
}

/* Text with what the writer must escape or keep: quotes, backslashes, every control byte,
 * DEL, '/', UTF-8 sequences and NUL. */
static size_t random_text(char *buf, size_t size)
{
        static const char *const pieces[] = {
                "a", "Z",  "\"", "\\", "/", "\x7f", "\xc3\xa9", "\xe2\x84\xaa", "\xf0\x9f\x98\x80",
                " ", "key"};
        size_t n = rng(12), o = 0;

        for (size_t i = 0; i < n && o + 8 < size; i++) {
                unsigned k = rng(3);
                if (k == 0) {
                        buf[o++] = (char)rng(32); /* 0x00-0x1f */
                } else {
                        const char *p = pieces[rng(ELEMENTSOF(pieces))];
                        memcpy(buf + o, p, strlen(p));
                        o += strlen(p);
                }
        }
        buf[o] = '\0';
        return o;
}

static struct json *random_node(unsigned depth)
{
        static const char *const numbers[] = {"0", "-1", "18446744073709551615", "1.5e-3", "-0.0"};
        char text[128];
        struct json *n;
        unsigned kind = depth > 5 ? rng(5) : rng(7);

        switch (kind) {
        case 0:
                return json_new_null();
        case 1:
                return json_new_bool(rng(2));
        case 2:
                return json_new_number(numbers[rng(ELEMENTSOF(numbers))]);
        case 3:
        case 4:
                /* json_new_string() takes C strings: a parsed document carries the NULs. */
                random_text(text, sizeof(text));
                return json_new_string(text);
        case 5:
                n = json_new_array();
                for (unsigned i = rng(5); n && i > 0; i--)
                        if (json_array_append(n, random_node(depth + 1)) < 0)
                                return json_free(n);
                return n;
        default:
                n = json_new_object();
                for (unsigned i = rng(5); n && i > 0; i--) {
                        random_text(text, sizeof(text));
                        if (json_object_set(n, text, random_node(depth + 1)) < 0)
                                return json_free(n);
                }
                return n;
        }
}

static bool same_as_reference(const struct json *doc, bool pretty)
{
        size_t len = 0, ref_len = 0;
        char *buf = NULL, *ref = reference_write(doc, pretty, &ref_len);
        int r = pretty ? json_write_pretty(doc, &buf, &len, NULL)
                       : json_write(doc, &buf, &len, NULL);
        bool same =
                r == 0 && ref && len == ref_len && memcmp(buf, ref, len) == 0 && buf[len] == '\0';

        if (!same)
                diag("json.c wrote:\n%.*s\nyajl_gen wrote:\n%.*s", (int)len, buf ? buf : "",
                     (int)ref_len, ref ? ref : "");
        free(buf);
        free(ref);
        return same;
}

static void test_writer_as_yajl_gen(void)
{
        static const char nul_keys[] = "{\"a\\u0000b\":[\"x\\u0000\\u001f\\u007f\"],\"\":{}}";
        struct hr_error err = {0};
        struct json *doc = parse_str(runc_config, &err);
        bool all = true;

        ok(doc && same_as_reference(doc, false), "compact: the runc config as yajl_gen wrote it");
        ok(doc && same_as_reference(doc, true), "pretty: the runc config as yajl_gen wrote it");
        json_free(doc);
        doc = parse_with(nul_keys, sizeof(nul_keys) - 1, &default_limits, &err);
        ok(doc && same_as_reference(doc, false) && same_as_reference(doc, true),
           "embedded NULs, control bytes and DEL as yajl_gen wrote them");
        json_free(doc);
        for (const char *const *t = (const char *const[]){"[]", "{}", "0", "\"s\"", "null",
                                                          "[[],{}]", "{\"a\":[[[]]]}", NULL};
             *t; t++) {
                doc = parse_str(*t, &err);
                all = all && doc && same_as_reference(doc, false) && same_as_reference(doc, true);
                json_free(doc);
        }
        ok(all, "scalars and empty containers at the top and nested");
        all = true;
        for (unsigned i = 0; i < 500 && all; i++) {
                doc = random_node(0);
                all = doc && same_as_reference(doc, false) && same_as_reference(doc, true);
                json_free(doc);
        }
        ok(all, "500 random documents, compact and pretty, byte for byte");
}

/* json_text with check_utf8, as audit records use it, against yajl_gen with
 * yajl_gen_validate_utf8: the same bytes, and a refusal exactly where yajl_gen refuses. */
static bool text_same_as_yajl(const char *s, size_t len, const struct json *v)
{
        struct json_text t = {.check_utf8 = true};
        yajl_gen g = yajl_gen_alloc(NULL);
        const unsigned char *out = NULL;
        size_t out_len = 0;
        bool ref_ok, same;

        yajl_gen_config(g, yajl_gen_validate_utf8, 1);
        ref_ok = yajl_gen_array_open(g) == yajl_gen_status_ok &&
                 (s ? yajl_gen_string(g, (const unsigned char *)s, len) : yajl_gen_null(g)) ==
                         yajl_gen_status_ok &&
                 (v ? reference_node(g, v) : (int)yajl_gen_null(g)) == 0 &&
                 yajl_gen_array_close(g) == yajl_gen_status_ok &&
                 yajl_gen_get_buf(g, &out, &out_len) == yajl_gen_status_ok;
        json_text_raw(&t, "[", 1);
        json_text_string(&t, s);
        json_text_raw(&t, ",", 1);
        json_text_value(&t, v);
        json_text_raw(&t, "]", 1);
        same = ref_ok ? t.error == 0 && t.len == out_len && memcmp(t.buf, out, out_len) == 0
                      : t.error == -EILSEQ;
        if (!same)
                diag("json_text: error %d, %.*s; yajl_gen: %s %.*s", t.error, (int)t.len,
                     t.buf ? t.buf : "", ref_ok ? "ok" : "refused", (int)out_len,
                     out ? (const char *)out : "");
        free(t.buf);
        yajl_gen_free(g);
        return same;
}

static void test_text_as_yajl_gen(void)
{
        /* Lead bytes, continuation bytes, truncated and overlong forms, surrogates. */
        static const char *const pieces[] = {
                "a",        "\x80",         "\xbf", "\xc0",     "\xc3\xa9",         "\xdf",
                "\xe0\x80", "\xed\xa0\x80", "\xef", "\xf0\x9f", "\xf0\x9f\x98\x80", "\xf8",
                "\xfe",     "\xff",         "\"",   "\x01"};
        struct json *nul_value = json_new_string("\xc3\xa9\x1f");
        bool all = true;
        char s[64];

        ok(text_same_as_yajl(NULL, 0, NULL), "json_text: NULL string and value are null");
        for (unsigned i = 0; i < 5000 && all; i++) {
                size_t o = 0;
                for (unsigned k = rng(6); k > 0; k--) {
                        const char *p = pieces[rng(ELEMENTSOF(pieces))];
                        memcpy(s + o, p, strlen(p));
                        o += strlen(p);
                }
                s[o] = '\0';
                all = text_same_as_yajl(s, o, i % 2 ? nul_value : NULL);
        }
        ok(all, "json_text: 5000 random byte strings, refused or written as yajl_gen does");
        all = true;
        for (unsigned i = 0; i < 300 && all; i++) {
                struct json *doc = random_node(0);
                all = doc && text_same_as_yajl("k", 1, doc);
                json_free(doc);
        }
        ok(all, "json_text: 300 random documents as values, as yajl_gen writes them");
        json_free(nul_value);
}

/* From BIGMEM_MIN a document's arena blocks are mappings whose pages are put in place a run at
 * a time as the arena reaches them: documents of every size in between parse, clone and write
 * as from malloc'd memory. */
static void test_mapped_documents(void)
{
        static const size_t counts[] = {400, 1500, 5000, 12000};
        bool all = true;

        for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
                struct json *doc = json_new_object(), *parsed = NULL, *copy = NULL;
                _cleanup_free_ char *text = NULL, *again = NULL;
                struct hr_error err = {0};
                size_t len = 0, again_len = 0;
                char key[32], value[64];
                bool built = doc != NULL;

                for (size_t i = 0; built && i < counts[c]; i++) {
                        snprintf(key, sizeof(key), "key-%zu", i);
                        snprintf(value, sizeof(value), "a value of some length, number %zu", i);
                        built = json_object_set(doc, key, json_new_string(value)) == 0;
                }
                built = built && json_write(doc, &text, &len, &err) == 0;
                parsed = built ? parse_with(text, len, &default_limits, &err) : NULL;
                copy = parsed ? json_clone(parsed) : NULL;
                built = copy && json_equal(parsed, doc) && json_equal(copy, doc) &&
                        json_write(copy, &again, &again_len, &err) == 0 && again_len == len &&
                        memcmp(again, text, len) == 0;
                if (!built)
                        diag("%zu members (%zu bytes): %s", counts[c], len, err.msg);
                all &= built;
                json_free(copy);
                json_free(parsed);
                json_free(doc);
        }
        ok(all, "objects of 400 to 12,000 members (19 to 590 KB) parse, clone and write back");
}

/* Past BIGMEM_HUGE a document's arena blocks, a json_text with .huge and a spec's text live in
 * huge-page mappings: the same bytes come out as from malloc'd memory, and the mappings free. */
static void test_big_documents(void)
{
        struct json_text t = {.huge = true}, pretty = {.huge = true, .pretty = true};
        _cleanup_free_ char *text = NULL, *again = NULL;
        struct json *doc = json_new_array(), *copy = NULL, *parsed = NULL;
        struct hr_error err = {0};
        size_t len = 0, again_len = 0;
        bool built = doc != NULL;
        char item[64];

        /* 40,000 items of some 30 bytes: 1.2 MB of text, a document of several megabytes. */
        for (unsigned i = 0; built && i < 40000; i++) {
                snprintf(item, sizeof(item), "VARIABLE_%u=value-\"%u\"\t", i, i * 7);
                built = json_array_append(doc, json_new_string(item)) == 0;
        }
        ok(built, "a 40,000-item array");
        ok(built && json_write(doc, &text, &len, &err) == 0 && len > 1000000,
           "json_write: %zu bytes", len);
        ok(text && json_write_text(doc, &t, &err) == 0 && t.mapped > 0 && t.len == len &&
                   memcmp(t.buf, text, len) == 0 && t.buf[len] == '\0',
           "json_write_text into huge pages: the same bytes, NUL-terminated (%zu mapped)",
           t.mapped);
        ok(json_write_text(doc, &pretty, &err) == 0 && pretty.mapped > 0 &&
                   json_write_pretty(doc, &again, &again_len, &err) == 0 &&
                   again_len == pretty.len && memcmp(again, pretty.buf, again_len) == 0,
           "pretty, likewise");
        parsed = text ? parse_with(text, len, &default_limits, &err) : NULL;
        ok(parsed && json_equal(parsed, doc), "its text parses (into huge pages) to the same");
        copy = parsed ? json_clone(parsed) : NULL;
        ok(copy && json_equal(copy, doc), "and clones (one big block) to the same");
        json_text_free(&t);
        json_text_free(&pretty);
        ok(!t.buf && !t.mapped && t.len == 0, "json_text_free() empties the text");
        /* More items than the parser's huge page of pending children holds: it moves them. */
        {
                const size_t n = 150000;
                struct json *many;
                char *list = malloc(4 * n + 2);
                size_t o = 0;

                if (list) {
                        list[o++] = '[';
                        for (size_t i = 0; i < n; i++) {
                                memcpy(list + o, i ? ",\"a\"" : "\"a\"", i ? 4 : 3);
                                o += i ? 4 : 3;
                        }
                        list[o++] = ']';
                }
                many = list ? parse_with(list, o, &default_limits, &err) : NULL;
                ok(many && many->type == JSON_ARRAY && many->array.n == n &&
                           many->array.items[n - 1]->type == JSON_STRING,
                   "an array of %zu items parses whole (%s)", n, err.msg);
                json_free(many);
                free(list);
        }
        json_free(copy);
        json_free(parsed);
        json_free(doc);
}

int main(void)
{
        test_roundtrip_config();
        test_numbers();
        test_strings();
        test_refusals();
        test_limits();
        test_object_field();
        test_get_uint();
        test_equal();
        test_editing();
        test_builders();
        test_ownership();
        test_checkpoint();
        test_writer_as_yajl_gen();
        test_text_as_yajl_gen();
        test_mapped_documents();
        test_big_documents();
        return tap_done();
}
