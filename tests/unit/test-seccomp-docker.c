/* Docker's seccomp profile format resolved as moby's setupSeccomp resolves it: archMap per
 * architecture, includes/excludes by arches, caps and minKernel, name → names, errno names. */
#include <string.h>

#include "json.h"
#include "seccomp-docker.h"
#include "seccomp-profile.h"
#include "tap.h"

static const char profile_text[] =
        "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 1,"
        " \"archMap\": ["
        "  {\"architecture\": \"SCMP_ARCH_X86_64\", \"subArchitectures\": [\"SCMP_ARCH_X86\"]},"
        "  {\"architecture\": \"SCMP_ARCH_AARCH64\", \"subArchitectures\": [\"SCMP_ARCH_ARM\"]}],"
        " \"syscalls\": ["
        "  {\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\", \"comment\": \"io\"},"
        "  {\"name\": \"ptrace\", \"action\": \"SCMP_ACT_ALLOW\","
        "   \"includes\": {\"minKernel\": \"4.8\"}},"
        "  {\"names\": [\"bpf\"], \"action\": \"SCMP_ACT_ALLOW\","
        "   \"includes\": {\"caps\": [\"CAP_SYS_ADMIN\"]}},"
        "  {\"names\": [\"sync_file_range2\"], \"action\": \"SCMP_ACT_ALLOW\","
        "   \"includes\": {\"arches\": [\"arm64\", \"ppc64le\"]}},"
        "  {\"names\": [\"clone\"], \"action\": \"SCMP_ACT_ALLOW\","
        "   \"args\": [{\"index\": 0, \"value\": 2114060288, \"op\": \"SCMP_CMP_MASKED_EQ\"}],"
        "   \"excludes\": {\"caps\": [\"CAP_SYS_ADMIN\"], \"arches\": [\"s390x\"]}},"
        "  {\"names\": [\"chroot\"], \"action\": \"SCMP_ACT_ALLOW\","
        "   \"includes\": {\"caps\": [\"CAP_SYS_CHROOT\", \"CAP_SYS_ADMIN\"]}},"
        "  {\"names\": [\"io_uring_setup\"], \"action\": \"SCMP_ACT_ALLOW\","
        "   \"excludes\": {\"minKernel\": \"6.0\"}},"
        "  {\"names\": [\"clone3\"], \"action\": \"SCMP_ACT_ERRNO\", \"errno\": \"ENOSYS\"},"
        "  {\"names\": [\"keyctl\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 38,"
        "   \"errno\": \"ENOSYS\"}"
        " ]}";

static struct json *parse(const char *text)
{
        static const struct json_limits limits = {1 << 20, 32, 10000, NULL};
        struct hr_error err = {0};
        struct json *doc = NULL;

        if (json_parse(text, strlen(text), &limits, &doc, &err) < 0)
                diag("parse: %s", err.msg);
        return doc;
}

/* The resolved profile as compact JSON, for comparisons. */
static char *resolve(const char *arch, const char *caps, const char *kernel, struct hr_error *err)
{
        struct seccomp_docker_target t = {0};
        struct json *doc = parse(profile_text), *out = NULL;
        char *text = NULL;
        size_t len;

        if (seccomp_docker_target_arch(&t, arch, err) < 0 ||
            seccomp_docker_target_caps(&t, caps, err) < 0 ||
            seccomp_docker_target_kernel(&t, kernel, err) < 0 ||
            seccomp_docker_resolve(doc, &t, &out, err) < 0 || json_write(out, &text, &len, err) < 0)
                text = NULL;
        json_free(doc);
        json_free(out);
        return text;
}

static bool names(const char *text, const char *name)
{
        char quoted[64];

        snprintf(quoted, sizeof(quoted), "\"%s\"", name);
        return text && strstr(text, quoted);
}

int main(void)
{
        struct hr_error err = {0};
        struct json *doc;
        char *r;

        doc = parse(profile_text);
        ok(seccomp_docker_is_profile(doc), "a profile with archMap is Docker's format");
        json_free(doc);
        doc = parse("{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"syscalls\": [{\"names\": [\"read\"],"
                    " \"action\": \"SCMP_ACT_ALLOW\"}]}");
        ok(!seccomp_docker_is_profile(doc), "a runtime-spec profile is not");
        json_free(doc);

        r = resolve("amd64", "default", "6.1", &err);
        ok(r != NULL, "amd64, Docker's caps, 6.1 resolves (%s)", err.msg);
        ok(r && strstr(r, "\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"]"),
           "architectures: archMap's entry and its subArchitectures");
        ok(!strstr(r ? r : "", "archMap") && !strstr(r ? r : "", "comment") &&
                   !strstr(r ? r : "", "includes") && !strstr(r ? r : "", "excludes") &&
                   !strstr(r ? r : "", "\"errno\""),
           "no key of Docker's format is left");
        ok(names(r, "read") && names(r, "write"), "rules without filters stay");
        ok(r && strstr(r, "\"names\":[\"ptrace\"]"),
           "name becomes names; minKernel 4.8 holds on 6.1");
        ok(!names(r, "bpf"), "includes caps: bpf needs CAP_SYS_ADMIN");
        ok(!names(r, "sync_file_range2"), "includes arches: not on amd64");
        ok(names(r, "clone"), "excludes caps: clone with its argument filter without SYS_ADMIN");
        ok(!names(r, "chroot"), "includes caps: every cap listed is needed");
        ok(!names(r, "io_uring_setup"), "excludes minKernel 6.0 drops it on 6.1");
        ok(r && strstr(r, "{\"names\":[\"clone3\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"),
           "errno name ENOSYS becomes errnoRet 38");
        ok(r && strstr(r, "{\"names\":[\"keyctl\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":38}"),
           "errno name and errnoRet that agree: the number stays");
        free(r);

        r = resolve("arm64", "default,SYS_ADMIN", "4.4", &err);
        ok(r && strstr(r, "\"architectures\":[\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_ARM\"]"),
           "arm64: its archMap entry");
        ok(names(r, "sync_file_range2"), "includes arches: arm64");
        ok(names(r, "bpf") && names(r, "chroot"), "SYS_ADMIN added: bpf and chroot");
        ok(!names(r, "clone\""), "excludes caps: clone's filtered rule goes with SYS_ADMIN");
        ok(!names(r, "ptrace"), "includes minKernel: no ptrace on 4.4");
        ok(names(r, "io_uring_setup"), "excludes minKernel: kept below 6.0");
        free(r);

        r = resolve("s390x", "none", "6.1", &err);
        ok(r && !strstr(r, "architectures"),
           "no archMap entry for s390x: no architectures (native)");
        ok(!names(r, "clone\""), "excludes arches: s390x");
        free(r);

        /* Input the engine refuses, and bad targets. */
        static const char *const bad[][2] = {
                {"{\"archMap\": [{\"architecture\": \"SCMP_ARCH_X86_64\"}], \"architectures\": "
                 "[\"SCMP_ARCH_X86_64\"]}",
                 "both 'architectures' and 'archMap'"},
                {"{\"syscalls\": [{\"name\": \"a\", \"names\": [\"b\"], \"action\": \"x\"}]}",
                 "both 'name' and 'names'"},
                {"{\"syscalls\": [{\"names\": [\"a\"], \"includes\": {\"minKernel\": \"new\"}}]}",
                 "'/syscalls/0/includes/minKernel': expected a kernel version"},
                {"{\"syscalls\": [{\"names\": [\"a\"], \"errno\": \"EWHAT\"}]}",
                 "'/syscalls/0/errno': not an errno name"},
                {"{\"defaultErrno\": \"EPERM\", \"defaultErrnoRet\": 38}", "disagree"},
                {"{\"syscalls\": [{\"names\": [\"a\"], \"excludes\": []}]}",
                 "'/syscalls/0/excludes': expected an object"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct seccomp_docker_target t = {0};
                struct json *out = NULL;
                int rr;

                doc = parse(bad[i][0]);
                seccomp_docker_target_arch(&t, "amd64", &err);
                seccomp_docker_target_kernel(&t, "6.1", &err);
                rr = seccomp_docker_resolve(doc, &t, &out, &err);
                ok(rr < 0 && strstr(err.msg, bad[i][1]), "refused: %s (%s)", bad[i][1], err.msg);
                json_free(doc);
                json_free(out);
        }
        struct seccomp_docker_target t = {0};
        ok(seccomp_docker_target_arch(&t, "sparc", &err) < 0, "--arch sparc: unknown");
        ok(seccomp_docker_target_arch(&t, "SCMP_ARCH_AARCH64", &err) == 0 &&
                   strcmp(t.native, "arm64") == 0,
           "--arch SCMP_ARCH_AARCH64 is arm64");
        ok(seccomp_docker_target_caps(&t, "default,NOPE", &err) < 0, "--caps with a bad name");
        ok(seccomp_docker_target_kernel(&t, "x.1", &err) < 0, "--kernel x.1: bad");
        ok(seccomp_docker_target_kernel(&t, "5.15.0-91-generic", &err) == 0 && t.kernel == 5 &&
                   t.major == 15,
           "--kernel takes a full release string");
        ok(seccomp_docker_target_host(&t, &err) == 0 && t.caps_default && t.kernel > 0,
           "the host: an architecture, a kernel, Docker's caps");
        char what[512];
        seccomp_docker_target_caps(&t, "CHOWN,kill", &err);
        seccomp_docker_describe(&t, what, sizeof(what));
        ok(strstr(what, "capabilities: CAP_CHOWN,CAP_KILL") != NULL, "describe names the caps (%s)",
           what);
        return tap_done();
}
