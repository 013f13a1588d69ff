/* Bounds on every input hardrun reads: hostile files must fail with a clear error, not exhaust us.
 */
#pragma once

/* Docker-style configs with an inline seccomp profile are ~30 KiB; 1 MiB configs exist (many env
 * entries and mounts). 16 MiB is far above any real spec and still cheap to refuse. */
#define HR_CONFIG_MAX_BYTES (16u * 1024u * 1024u)
#define HR_PROCESS_MAX_BYTES (4u * 1024u * 1024u)
#define HR_POLICY_MAX_BYTES (1u * 1024u * 1024u)
#define HR_PROFILE_MAX_BYTES (4u * 1024u * 1024u)

/* Real specs nest about 6 levels deep; yajl itself would recurse without limit on free. */
#define HR_JSON_MAX_DEPTH 64

/* runc's own argv never comes near this; bounds our scans (bubblewrap MAX_ARGS). */
#define HR_ARGV_MAX 9000

/* Entries in one JSON array or object. 1 MiB of env entries is ~40k items. */
#define HR_JSON_MAX_MEMBERS 200000
