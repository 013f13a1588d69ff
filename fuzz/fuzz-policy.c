/* The policy loader: arbitrary bytes never crash it; an accepted policy frees cleanly and its
 * written-out form (policy_to_json) reads back into the same settings. */
#include "fuzz.h"
#include "policy-show.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct hr_error err = {0};
        struct policy *p = NULL, *again = NULL;
        struct json *doc = NULL, *doc2 = NULL;
        char *out = NULL;
        size_t len = 0;
        int r;

        if (size > HR_POLICY_MAX_BYTES + 1)
                return 0;
        r = policy_parse((const char *)data, size, "fuzz.json", &p, &err);
        if (r < 0) {
                fuzz_assert(!p, "failed parse returned a policy");
                fuzz_assert(err.code == r && err.msg[0], "failure without a message (%d)", r);
                return 0;
        }
        fuzz_assert(p, "successful parse returned no policy");
        r = policy_to_json(p, &doc, &err);
        fuzz_assert(r == 0, "policy_to_json failed: %s", err.msg);
        r = json_write(doc, &out, &len, &err);
        fuzz_assert(r == 0, "json_write failed: %s", err.msg);
        r = policy_parse(out, len, "fuzz-again.json", &again, &err);
        fuzz_assert(r == 0, "policy_to_json output refused: %s: %.*s", err.msg,
                    (int)(len > 300 ? 300 : len), out);
        r = policy_to_json(again, &doc2, &err);
        fuzz_assert(r == 0, "policy_to_json (again) failed: %s", err.msg);
        fuzz_assert(json_equal(doc, doc2), "policy changed through policy_to_json: %.*s",
                    (int)(len > 300 ? 300 : len), out);
        json_free(doc2);
        json_free(doc);
        free(out);
        policy_free(again);
        policy_free(p);
        return 0;
}
