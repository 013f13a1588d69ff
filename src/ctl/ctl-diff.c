/* Diff of a spec against its enforced form, both pretty-printed by json_write_pretty(). */
#include "ctl-diff.h"

#include <errno.h>
#include <stdlib.h>

#include "linediff.h"
#include "util/cleanup.h"

int ctl_diff_print(FILE *out, FILE *notes, const struct lint_spec *s, struct hr_error *err)
{
        _cleanup_free_ char *text_a = NULL;
        _cleanup_free_ char *text_b = NULL;
        _cleanup_free_ char *label_b = NULL;
        size_t len_a, len_b;
        int r;

        if ((r = json_write_pretty(s->original, &text_a, &len_a, err)) < 0 ||
            (r = json_write_pretty(s->hardened, &text_b, &len_b, err)) < 0)
                return error_prefix(err, "%s: ", s->file);
        if (asprintf(&label_b, "%s (enforced)", s->file) < 0) {
                label_b = NULL;
                return error_set(err, -ENOMEM, "out of memory");
        }
        const struct linediff_text a = {s->file, text_a, len_a};
        const struct linediff_text b = {label_b, text_b, len_b};
        r = linediff_unified(&a, &b, 3, out, err);
        if (r < 0)
                return r;
        for (size_t i = 0; i < s->found.n; i++) {
                const struct finding *f = &s->found.items[i];
                if (f->action == FINDING_DENIED)
                        fprintf(notes,
                                "%s: '%s': enforce would refuse this (rule '%s'): no "
                                "rewrite makes it safe\n",
                                s->file, f->path, rule_id_to_string(f->rule));
        }
        return r > 0 || s->refused;
}
