/* Matching a container against the policy's exemptions. */
#include "exemptions.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* A name runc accepts as a container id (libcontainer's ^[\w+-\.]+$, not "." or ".."). Any
 * other id matches no pattern: crun 1.8 joins an id to its state directory unchecked, so
 * "debug-a/../prod" (which "debug-*" matches) is container prod to it. */
static bool is_plain_id(const char *id)
{
        if (!*id || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
                return false;
        for (const char *c = id; *c; c++)
                if (!isalnum((unsigned char)*c) && !strchr("_+,-.", *c))
                        return false;
        return true;
}

static bool exemption_matches(const struct policy_exemption *e, const char *container_id,
                              const struct json *annotations)
{
        if (e->ids) {
                bool any = false;
                for (size_t i = 0; container_id && e->ids[i] && !any; i++)
                        any = fnmatch(e->ids[i], container_id, 0) == 0;
                if (!any)
                        return false;
        }
        /* Annotations are a Go map: keys compare exactly, as the engine wrote them. */
        for (size_t i = 0; e->annotations && e->annotations[i]; i += 2) {
                const struct json *v = json_object_get(annotations, e->annotations[i]);
                if (!json_is_clean_string(v) ||
                    fnmatch(e->annotations[i + 1], v->scalar.text, 0) != 0)
                        return false;
        }
        return true;
}

int exemption_find(const struct policy *p, enum rule_id rule, const char *container_id,
                   const struct json *annotations)
{
        if (annotations && annotations->type != JSON_OBJECT)
                annotations = NULL;
        if (container_id && !is_plain_id(container_id))
                container_id = NULL;
        for (size_t i = 0; i < p->n_exemptions; i++)
                if ((p->exemptions[i].rules & (UINT64_C(1) << rule)) &&
                    exemption_matches(&p->exemptions[i], container_id, annotations))
                        return (int)i;
        return -1;
}
