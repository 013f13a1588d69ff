/* The refusal message the workload's owner reads (the engine shows the runtime's error): every
 * refusal of the call, what the engine's user asked for in the engine's own terms, and whom to
 * ask. */
#pragma once

#include <stddef.h>

#include "findings.h"
#include "json.h"

/* The engine that wrote a spec, as far as its annotations and paths tell. */
enum engine {
        ENGINE_UNKNOWN,
        ENGINE_DOCKER,
        ENGINE_NERDCTL,
        ENGINE_PODMAN,
        ENGINE_KUBERNETES, /* CRI: containerd's plugin or CRI-O */
        _ENGINE_MAX,
};

/* Recognises the engine from a config.json (annotations, the files Docker mounts) and the bundle
 * directory (containerd's task directory for Docker's "moby" namespace). Only words for a
 * message depend on it: a spec that lies about its engine gets the wrong hint, nothing else. */
enum engine engine_from_spec(const struct json *spec, const char *bundle);

/* Technical lines listed in full before the rest are counted per rule. */
#define REFUSAL_LINES_MAX 16

struct refusal {
        const char *file;        /* the spec file as shown: "/run/.../config.json" */
        const char *what;        /* "container" or "exec" */
        const struct json *spec; /* the document the rules judged (finding paths point into
                                    it), or NULL */
        enum engine engine;      /* engine_from_spec() of the document as the engine wrote it */
        const char *contact;     /* the policy's messages.contact, or NULL */
};

/* Writes the message for the DENIED findings into buf (size at most HR_ERROR_MSG_MAX is
 * expected; it is never exceeded). One line per refusal, "FILE: 'PATH': VALUE is not allowed by
 * rule 'RULE' (policy needs X)", the first ending in "; refusing the container"; then the count
 * of those left out by rule, a line with the engine's terms when the engine is known, and the
 * contact line. */
void refusal_format(const struct refusal *r, const struct findings *found, char *buf, size_t size);

/* Appends "\n" and the contact line to a message in buf, when there is room and a contact. */
void refusal_append_contact(const char *contact, char *buf, size_t size);
