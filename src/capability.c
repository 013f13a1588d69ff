/* Capability names as the spec writes them ("CAP_NET_RAW"), through libcap. */
#include "capability.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "util/cleanup.h"

static int from_libcap(const char *name, unsigned *ret)
{
        char buf[64];
        char *canonical;
        bool exact;
        cap_value_t v;
        const char *p;

        /* libcap also takes numbers; a policy must name capabilities. */
        for (p = name; *p && *p >= '0' && *p <= '9'; p++)
                ;
        if (*name == '\0' || *p == '\0')
                return -EINVAL;
        if (strncasecmp(name, "cap_", 4) == 0)
                snprintf(buf, sizeof(buf), "%s", name);
        else
                snprintf(buf, sizeof(buf), "cap_%s", name);
        if (strlen(buf) >= sizeof(buf) - 1)
                return -EINVAL;
        if (cap_from_name(buf, &v) < 0 || v < 0 || v > 63)
                return -EINVAL;
        /* libcap stops at the first character that cannot be in a name ("NET_RAW1" would be
         * NET_RAW): only the exact name counts. */
        canonical = cap_to_name(v);
        exact = canonical && strcasecmp(canonical, buf) == 0;
        cap_free(canonical);
        if (!exact)
                return -EINVAL;
        *ret = (unsigned)v;
        return 0;
}

/* A spec names the same dozen capabilities in each of its five sets, and libcap's lookup and
 * the check of its answer cost some 2,000 instructions a name: names found are remembered, as
 * given. */
static struct {
        char name[31];
        unsigned char value;
} found[48];
static size_t n_found;

int capability_from_name(const char *name, unsigned *ret)
{
        size_t len = strlen(name);
        int r;

        for (size_t i = 0; i < n_found; i++)
                if (strcmp(found[i].name, name) == 0) {
                        *ret = found[i].value;
                        return 0;
                }
        if ((r = from_libcap(name, ret)) < 0)
                return r;
        if (n_found < ELEMENTSOF(found) && len < sizeof(found[0].name)) {
                memcpy(found[n_found].name, name, len + 1);
                found[n_found++].value = (unsigned char)*ret;
        }
        return 0;
}

char *capability_to_name(unsigned cap, char *buf, size_t size)
{
        char *name = cap_to_name((cap_value_t)cap);
        size_t i;

        if (!name)
                return NULL;
        /* libcap spells unnamed (newer) caps as numbers; the spec needs names. */
        if (strncmp(name, "cap_", 4) != 0 || strlen(name) >= size) {
                cap_free(name);
                return NULL;
        }
        for (i = 0; name[i]; i++)
                buf[i] = (char)toupper((unsigned char)name[i]);
        buf[i] = '\0';
        cap_free(name);
        return buf;
}
