/* The test harness's own conventions: qjson() turns single-quoted test JSON into JSON, keeps
 * JSON escapes, writes a literal ' only when escaped, and makes a bare " fail every check. */
#include "rule-harness.h"

static void check_qjson(const char *in, const char *want, const char *what)
{
        char *out = qjson(in);

        is_str(out, want, "%s", what);
        qjson_free(out);
}

int main(void)
{
        struct json *doc;
        char *bad;

        check_qjson("{'a':['b',1,null]}", "{\"a\":[\"b\",1,null]}", "quotes become JSON quotes");
        check_qjson("{'a':'it\\'s'}", "{\"a\":\"it's\"}", "an escaped quote stays a quote");
        check_qjson("['a\\\\','b']", "[\"a\\\\\",\"b\"]", "an escaped backslash before a quote");
        check_qjson("['\\n\\t\\u0041\\/']", "[\"\\n\\t\\u0041\\/\"]", "JSON escapes are kept");
        check_qjson("['say \\\"hi\\\"']", "[\"say \\\"hi\\\"\"]",
                    "an escaped double quote is kept");
        check_qjson("", "", "empty text");
        ok(qjson(NULL) == NULL, "NULL stays NULL");
        ok(qjson(any_value) == any_value, "any_value stays any_value");

        bad = qjson("{'a':\"b\"}");
        ok(bad && strchr(bad, '{') == NULL, "a bare double quote: a text that is no JSON");
        doc = bad ? doc_of(bad) : NULL;
        ok(doc == NULL, "a bare double quote: the text does not parse");
        json_free(doc);
        qjson_free(bad);

        bad = qjson("{'k':'v\\'s'}");
        doc = doc_of(bad);
        ok(doc != NULL, "converted text parses");
        json_free(doc);
        qjson_free(bad);
        return tap_done();
}
