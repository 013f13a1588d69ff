/* Unit tests for the rules that keep the host out: namespaces, mounts, devices. */
#include "rule-harness.h"

static void test_namespaces(void)
{
        struct policy *p = only_rule(RULE_NAMESPACES, "enforce", NULL);
        struct run x;

        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"}]}}");
        is_int(x.r, 0, "namespaces: missing entries (%s)", x.err.msg);
        is_int(x.res.findings.n, 3, "namespaces: network, ipc, uts added");
        ok(x.out && strstr(x.out, "{\"type\":\"network\"}") && strstr(x.out, "{\"type\":\"uts\"}"),
           "namespaces: private network and uts namespaces in the output");
        ok(!x.res.denied && x.res.changed, "namespaces: enforce changes, refuses nothing");
        run_done(&x);

        /* The runtime's own network namespace (here: this process's) counts as the host's. */
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},"
                     "{\"type\":\"ipc\"},{\"type\":\"uts\"},"
                     "{\"type\":\"network\",\"path\":\"/proc/self/ns/net\"}]}}");
        is_int(x.r, 0, "namespaces: host netns by path");
        ok(x.res.denied, "namespaces: joining the host's netns is refused, even in enforce");
        ok(find(&x, "/linux/namespaces/4/path") &&
                   find(&x, "/linux/namespaces/4/path")->action == FINDING_DENIED,
           "namespaces: the finding names the path entry");
        run_done(&x);

        /* Another namespace file (here: this process's pid namespace file for "network") is
         * not the host's network namespace: a pod joining its pause container stays allowed. */
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},"
                     "{\"type\":\"ipc\"},{\"type\":\"uts\"},"
                     "{\"type\":\"network\",\"path\":\"/proc/self/ns/pid\"}]}}");
        is_int(x.r, 0, "namespaces: joining another namespace by path");
        is_int(x.res.findings.n, 0, "namespaces: another container's namespace is kept");
        run_done(&x);

        x = run_text(p, SPEC_CONFIG, "{\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}}");
        ok(x.r < 0 && strstr(x.err.msg, "'/linux/namespaces/0': namespace without a type"),
           "namespaces: an entry without a type is an error (%s)", x.err.msg);
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_NAMESPACES, "audit", NULL);
        x = run_text(p, SPEC_CONFIG, "{\"linux\":{}}");
        ok(x.out && !strstr(x.out, "network"), "namespaces audit: nothing added");
        is_int(x.res.findings.n, 5, "namespaces audit: five would_change findings");
        run_done(&x);
        policy_free(p);
}

static void check_mount(struct policy *p, const char *source, bool refused, const char *what)
{
        char config[1024];
        struct run x;

        snprintf(config, sizeof(config),
                 "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"%s\","
                 "\"options\":[\"rbind\",\"ro\"]}]}",
                 source);
        x = run_text(p, SPEC_CONFIG, config);
        is_int(x.r, 0, "mounts: %s: no error (%s)", what, x.err.msg);
        ok(x.res.denied == refused, "mounts: %s: %s", what, refused ? "refused" : "allowed");
        run_done(&x);
}

static void test_mounts(void)
{
        struct policy *p = only_rule(RULE_MOUNTS, "enforce", NULL);
        struct run x;

        check_mount(p, "/", true, "the host's root");
        check_mount(p, "/etc", true, "/etc");
        check_mount(p, "/etc/ssl/certs", true, "a path under /etc");
        check_mount(p, "/run/docker.sock", true, "Docker's socket");
        check_mount(p, "/var/run/docker.sock", true, "Docker's socket through /var/run");
        check_mount(p, "/run", true, "/run, which holds engine sockets");
        check_mount(p, "/var/lib", true, "/var/lib, which holds engine state");
        check_mount(p, "//etc/./", true, "an unclean spelling of /etc");
        check_mount(p, "/srv/data", false, "an ordinary data directory");
        check_mount(p, "/var/lib/docker/containers/0123abcd/resolv.conf", false,
                    "Docker's resolv.conf for the container");
        check_mount(p, "/var/lib/docker/volumes/db/_data", false, "a Docker volume");
        check_mount(p, "/var/lib/docker/volumes/db/_data/sub", false, "inside a Docker volume");
        check_mount(p, "/var/lib/docker/volumes/db", true, "a volume's metadata directory");
        check_mount(p, "/var/lib/kubelet/pods/6b1f/volumes/kubernetes.io~projected/kube-api-access",
                    false, "a service-account token volume");
        check_mount(p, "/var/lib/kubelet/pods/6b1f/etc-hosts", false, "kubelet's etc-hosts");
        check_mount(p, "/var/lib/kubelet", true, "kubelet's state");

        x = run_text(
                p, SPEC_CONFIG,
                "{\"mounts\":[{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/x\",\"type\":\"tmpfs\",\"source\":\"/etc\"}]}");
        is_int(x.res.findings.n, 0, "mounts: only bind mounts are judged");
        run_done(&x);

        x = run_text(p, SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"/x\",\"source\":\"/etc\","
                     "\"options\":[\"bind\"]}]}");
        ok(x.res.denied, "mounts: a bind by option (no type) is judged too");
        ok(find(&x, "/mounts/0/source") != NULL, "mounts: the finding names the source");
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_MOUNTS, "enforce", "\"deny\":[\"/srv\"],\"allow\":[\"/srv/public/\"]");
        check_mount(p, "/srv/data", true, "policy deny list");
        check_mount(p, "/srv/public/x", false, "policy allow list");
        check_mount(p, "/etc", false, "a policy list replaces the default one");
        policy_free(p);

        p = only_rule(RULE_MOUNTS, "audit", NULL);
        x = run_text(p, SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\",\"source\":\"/\"}]}");
        ok(!x.res.denied && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_WOULD_DENY,
           "mounts audit: recorded as would_deny (enforce refuses a host path), not refused");
        run_done(&x);
        policy_free(p);
}

static void test_devices(void)
{
        struct policy *p = only_rule(RULE_DEVICES, "enforce", NULL);
        struct run x, y;

        /* What docker run --privileged sends: host devices and an allow-all rule. */
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"devices\":[{\"path\":\"/dev/null\",\"type\":\"c\",\"major\":1,"
                     "\"minor\":3},{\"path\":\"/dev/sda\",\"type\":\"b\",\"major\":8,\"minor\":0},"
                     "{\"path\":\"/dev/mem\",\"type\":\"c\",\"major\":1,\"minor\":1}],"
                     "\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwm\"}]}}}");
        is_int(x.r, 0, "devices: privileged spec (%s)", x.err.msg);
        ok(x.out && !strstr(x.out, "/dev/sda") && !strstr(x.out, "/dev/mem") &&
                   strstr(x.out, "/dev/null"),
           "devices: host devices dropped, the standard ones kept");
        ok(x.out && strstr(x.out, "\"resources\":{\"devices\":[{\"allow\":false,\"access\":"
                                  "\"rwm\"}"),
           "devices: the cgroup list starts with deny-all");
        ok(x.out && !strstr(x.out, "{\"allow\":true,\"access\":\"rwm\"}"),
           "devices: the allow-all rule is gone");
        ok(x.out &&
                   strstr(x.out, "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,"
                                 "\"access\":\"rwm\"}") &&
                   strstr(x.out, "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":"
                                 "\"rwm\"}"),
           "devices: /dev/null and the pseudo-terminals stay usable");
        y = run_text(p, SPEC_CONFIG, x.out ? x.out : "{}");
        is_int(y.res.findings.n, 0, "devices: enforce twice == once");
        run_done(&y);
        run_done(&x);

        /* Docker's ordinary default list is left alone ("m"-only rules open nothing). */
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                     "{\"allow\":true,\"type\":\"c\",\"access\":\"m\"},"
                     "{\"allow\":true,\"type\":\"b\",\"access\":\"m\"},"
                     "{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                     "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rwm\"}]}}}");
        is_int(x.res.findings.n, 0, "devices: Docker's default rules need no change");
        run_done(&x);

        x = run_text(
                p, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                "{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"rw\"}]}}}");
        ok(x.out && !strstr(x.out, "\"major\":8"), "devices: a block device allow rule goes");
        run_done(&x);

        /* runc reads an empty type as "a": every type, so b 8:0 (the first disk) too. */
        x = run_text(
                p, SPEC_CONFIG,
                "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                "{\"allow\":true,\"type\":\"\",\"major\":8,\"minor\":0,\"access\":\"rw\"}]}}}");
        ok(x.out && !strstr(x.out, "\"major\":8"), "devices: an empty-type allow rule goes");
        run_done(&x);
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                     "{\"allow\":true,\"type\":\"a\",\"access\":\"\"}]}}}");
        ok(x.out && !strstr(x.out, "\"type\":\"a\",\"access\":\"\""),
           "devices: an empty access string counts as rwm (an allow-all rule with it goes)");
        run_done(&x);
        x = run_text(p, SPEC_CONFIG,
                     "{\"linux\":{\"resources\":{\"devices\":[{\"allow\":false,\"type\":\"\","
                     "\"access\":\"rwm\"}]}}}");
        is_int(x.res.findings.n, 0,
               "devices: a deny rule of type \"\" is deny-all, as runc reads it");
        run_done(&x);

        x = run_text(p, SPEC_CONFIG, "{\"linux\":{\"devices\":[\"/dev/sda\"]}}");
        ok(x.r < 0 && strstr(x.err.msg, "'/linux/devices/0': expected object"),
           "devices: a malformed entry is an error (%s)", x.err.msg);
        run_done(&x);
        policy_free(p);
}

int main(void)
{
        test_namespaces();
        test_mounts();
        test_devices();
        return tap_done();
}
