/* The JSON document: whatever parses writes out as JSON that parses back into an equal
 * document, compact and pretty alike. */
#include "fuzz.h"

static void check_roundtrip(const struct json *doc, bool pretty)
{
        struct hr_error err = {0};
        struct json *again = NULL;
        char *out = NULL;
        size_t len = 0;
        int r;

        r = pretty ? json_write_pretty(doc, &out, &len, &err) : json_write(doc, &out, &len, &err);
        fuzz_assert(r == 0, "json_write%s failed: %s", pretty ? "_pretty" : "", err.msg);
        r = json_parse(out, len, &fuzz_config_limits, &again, &err);
        fuzz_assert(r == 0, "output of json_write%s does not parse: %s: %.*s",
                    pretty ? "_pretty" : "", err.msg, (int)(len > 200 ? 200 : len), out);
        fuzz_assert(json_equal(doc, again), "parse(write(doc)) differs from doc");
        json_free(again);
        free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct hr_error err = {0};
        struct json *doc = NULL, *copy;

        if (json_parse((const char *)data, size, &fuzz_config_limits, &doc, &err) < 0)
                return 0;
        fuzz_assert(json_equal(doc, doc), "document not equal to itself");
        copy = json_clone(doc);
        fuzz_assert(copy && json_equal(doc, copy), "clone differs");
        json_free(copy);
        check_roundtrip(doc, false);
        check_roundtrip(doc, true);
        json_free(doc);
        return 0;
}
