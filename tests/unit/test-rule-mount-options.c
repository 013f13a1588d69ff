/* Unit tests for the mount_options rule through harden_spec(): forced bind mount options, the
 * kernel filesystems' options, propagation, odd specs and each mode. */
#include "rule-harness.h"

#define RULE RULE_MOUNT_OPTIONS

#define BIND(opts) \
        "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/s\"" opts "}]}"

static void test_bind(void)
{
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(""), BIND(",\"options\":[\"nosuid\",\"nodev\"]"),
                     1, "bind: absent options get nosuid,nodev");
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(",\"options\":null"),
                     BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                     "bind: null options count as absent");
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(",\"options\":[]"),
                     BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1, "bind: empty options");
        /* Docker's own binds (hosts, resolv.conf, hostname, /dev/shm): engine options kept. */
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(",\"options\":[\"rbind\",\"rprivate\"]"),
                     BIND(",\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]"), 1,
                     "bind: Docker's rbind,rprivate kept");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"ro\",\"nodev\",\"rprivate\",\"nosuid\"]"),
                     BIND(",\"options\":[\"rbind\",\"ro\",\"nodev\",\"rprivate\",\"nosuid\"]"), 0,
                     "bind: nothing missing, order kept");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"suid\",\"dev\",\"exec\",\"rw\"]"),
                     BIND(",\"options\":[\"rbind\",\"exec\",\"rw\",\"nosuid\",\"nodev\"]"), 1,
                     "bind: suid and dev replaced, exec and rw kept when not forced");
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(",\"options\":[\"rsuid\",\"rdev\",\"nosuid\"]"),
                     BIND(",\"options\":[\"nosuid\",\"nodev\"]"), 1,
                     "bind: recursive undoers (rsuid, rdev) dropped");
        enforce_rule(RULE, "\"bind\":[\"nosuid\",\"nodev\",\"noexec\",\"ro\"]", SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"rw\",\"exec\",\"rrw\",\"rexec\"]"),
                     BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"noexec\",\"ro\"]"), 1,
                     "bind: policy noexec,ro replace exec,rw and their recursive forms");
        enforce_rule(RULE, "\"bind\":[\"rro\",\"rnosuid\"]", SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"rw\",\"suid\"]"),
                     BIND(",\"options\":[\"rbind\",\"rro\",\"rnosuid\"]"), 1,
                     "bind: recursive options only when the policy lists them");
        enforce_rule(RULE, "\"bind\":[]", SPEC_CONFIG, BIND(",\"options\":[\"rbind\",\"suid\"]"),
                     BIND(",\"options\":[\"rbind\",\"suid\"]"), 0,
                     "bind: empty policy list forces nothing");
        /* A bind by option, whatever the type. */
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"none\",\"source\":\"/s\","
                     "\"options\":[\"rbind\"]}]}",
                     "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"none\",\"source\":\"/s\","
                     "\"options\":[\"rbind\",\"nosuid\",\"nodev\"]}]}",
                     1, "bind: type none with rbind");
        enforce_rule(
                RULE, NULL, SPEC_CONFIG,
                "{\"mounts\":[{\"destination\":\"/d\",\"source\":\"/s\",\"options\":[\"bind\"]}]}",
                "{\"mounts\":[{\"destination\":\"/d\",\"source\":\"/s\","
                "\"options\":[\"bind\",\"nosuid\",\"nodev\"]}]}",
                1, "bind: no type, bind option");
        /* runc reads an element with a comma as mount data, crun as a C string: an element
         * hiding an undoer goes as a whole and is never split into flags. */
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"nosuid,suid\",\"mode=1,x\"]"),
                     BIND(",\"options\":[\"rbind\",\"mode=1,x\",\"nosuid\",\"nodev\"]"), 1,
                     "bind: element with a comma holding suid dropped, other data kept");
        enforce_rule(
                RULE, NULL, SPEC_CONFIG,
                BIND(",\"options\":[\"rbind\",\"context=\\\"a,suid\\\"\"]"),
                BIND(",\"options\":[\"rbind\",\"context=\\\"a,suid\\\"\",\"nosuid\",\"nodev\"]"), 1,
                "bind: quoted value with a comma is one option (libmount)");
        enforce_rule(RULE, NULL, SPEC_CONFIG, BIND(",\"options\":[\"rbind\",\"suid=1\"]"),
                     BIND(",\"options\":[\"rbind\",\"suid=1\",\"nosuid\",\"nodev\"]"), 1,
                     "bind: name=value is data, not an undoer");
        enforce_finding(RULE, NULL, BIND(",\"options\":[\"rbind\",\"suid\"]"), "/mounts/0/options",
                        "[\"rbind\",\"suid\"]", "[\"rbind\",\"nosuid\",\"nodev\"]");
        enforce_finding(RULE, NULL, BIND(""), "/mounts/0/options", "(absent)",
                        "[\"nosuid\",\"nodev\"]");
}

static void test_kernel_filesystems(void)
{
        /* Docker's defaults are left exactly as they are. */
        static const char docker[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"nosuid\",\"strictatime\",\"mode=755\",\"size=65536k\"]},"
                "{\"destination\":\"/dev/pts\",\"type\":\"devpts\",\"source\":\"devpts\","
                "\"options\":[\"nosuid\",\"noexec\",\"newinstance\",\"ptmxmode=0666\","
                "\"mode=0620\",\"gid=5\"]},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup\",\"source\":\"cgroup\","
                "\"options\":[\"ro\",\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"source\":\"mqueue\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/dev/shm\",\"type\":\"tmpfs\",\"source\":\"shm\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"mode=1777\",\"size=67108864\"]},"
                "{\"destination\":\"/etc/hosts\",\"type\":\"bind\",\"source\":\"/h\","
                "\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]}],"
                "\"linux\":{\"rootfsPropagation\":\"rprivate\"}}";
        /* What `docker run --privileged` makes of /sys and cgroups. */
        static const char privileged[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\"},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"rw\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
                "\"options\":[\"rw\",\"nosuid\",\"noexec\",\"nodev\"]}]}";
        static const char privileged_fixed[] =
                "{\"mounts\":["
                "{\"destination\":\"/proc\",\"type\":\"proc\",\"source\":\"proc\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]},"
                "{\"destination\":\"/sys/fs/cgroup\",\"type\":\"cgroup2\",\"source\":\"cgroup\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]}]}";

        enforce_rule(RULE, NULL, SPEC_CONFIG, docker, docker, 0,
                     "kernel fs: Docker's default mounts unchanged");
        enforce_rule(RULE, NULL, SPEC_CONFIG, privileged, privileged_fixed, 3,
                     "kernel fs: privileged /sys and cgroup made read-only, proc gets "
                     "nosuid,noexec,nodev");
        enforce_finding(RULE, NULL, privileged, "/mounts/1/options",
                        "[\"nosuid\",\"noexec\",\"nodev\",\"rw\"]",
                        "[\"nosuid\",\"noexec\",\"nodev\",\"ro\"]");
        /* tmpfs keeps device nodes and exec (/dev is one) but never setuid programs. */
        enforce_rule(
                RULE, NULL, SPEC_CONFIG,
                "{\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"exec\",\"suid\",\"dev\",\"rw\"]}]}",
                "{\"mounts\":[{\"destination\":\"/tmp\",\"type\":\"tmpfs\",\"source\":\"tmpfs\","
                "\"options\":[\"exec\",\"dev\",\"rw\",\"nosuid\"]}]}",
                1, "kernel fs: tmpfs gets nosuid, keeps dev and exec");
        enforce_rule(
                RULE, NULL, SPEC_CONFIG,
                "{\"mounts\":[{\"destination\":\"/dev/pts\",\"type\":\"devpts\"},"
                "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\",\"options\":[\"exec\"]},"
                "{\"destination\":\"/x\",\"type\":\"overlay\",\"options\":[\"suid\"]},"
                "{\"destination\":\"/y\",\"type\":\"9p\",\"options\":[\"suid\"]}]}",
                "{\"mounts\":[{\"destination\":\"/dev/pts\",\"type\":\"devpts\","
                "\"options\":[\"nosuid\",\"noexec\"]},"
                "{\"destination\":\"/dev/mqueue\",\"type\":\"mqueue\","
                "\"options\":[\"nosuid\",\"noexec\",\"nodev\"]},"
                "{\"destination\":\"/x\",\"type\":\"overlay\",\"options\":[\"nosuid\",\"nodev\"]},"
                "{\"destination\":\"/y\",\"type\":\"9p\",\"options\":[\"suid\"]}]}",
                3,
                "kernel fs: devpts, mqueue and overlay get their forced options; other types are "
                "rule mount_types'");
}

static void test_propagation(void)
{
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"rshared\",\"nosuid\",\"nodev\"]"),
                     BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"rprivate\"]"), 1,
                     "propagation: rshared bind replaced by rprivate");
        enforce_rule(RULE, "\"propagation\":\"rslave\"", SPEC_CONFIG,
                     "{\"mounts\":[{\"destination\":\"/t\",\"type\":\"tmpfs\",\"source\":\"t\","
                     "\"options\":[\"shared\",\"size=1m\"]}]}",
                     "{\"mounts\":[{\"destination\":\"/t\",\"type\":\"tmpfs\",\"source\":\"t\","
                     "\"options\":[\"size=1m\",\"nosuid\",\"rslave\"]}]}",
                     1, "propagation: shared on any mount replaced by the policy's");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"rprivate\",\"rshared\",\"shared\",\"nosuid\","
                          "\"nodev\"]"),
                     BIND(",\"options\":[\"rbind\",\"rprivate\",\"nosuid\",\"nodev\"]"), 1,
                     "propagation: no duplicate when the policy's is already there");
        enforce_rule(RULE, NULL, SPEC_CONFIG,
                     BIND(",\"options\":[\"rbind\",\"size=1,rshared\",\"nosuid\",\"nodev\"]"),
                     BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\",\"rprivate\"]"), 1,
                     "propagation: rshared inside a comma element");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
                     "{\"linux\":{\"rootfsPropagation\":\"rprivate\"}}", 1,
                     "propagation: rootfsPropagation rshared");
        enforce_rule(RULE, "\"propagation\":\"rslave\"", SPEC_CONFIG,
                     "{\"linux\":{\"rootfsPropagation\":\"shared\"}}",
                     "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}", 1,
                     "propagation: rootfsPropagation shared");
        enforce_finding(RULE, NULL, "{\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
                        "/linux/rootfsPropagation", "\"rshared\"", "\"rprivate\"");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}",
                     "{\"linux\":{\"rootfsPropagation\":\"rslave\"}}", 0,
                     "propagation: rslave root kept");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"rootfsPropagation\":null}}",
                     "{\"linux\":{\"rootfsPropagation\":null}}", 0, "propagation: null root kept");
}

static void test_odd_specs(void)
{
        char *big, *want;
        size_t o = 0, w = 0;

        enforce_rule(RULE, NULL, SPEC_CONFIG, "{}", "{}", 0, "odd: no mounts, no linux");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"mounts\":null,\"linux\":null}",
                     "{\"mounts\":null,\"linux\":null}", 0, "odd: null mounts and linux");
        enforce_rule(RULE, NULL, SPEC_CONFIG, "{\"mounts\":[]}", "{\"mounts\":[]}", 0,
                     "odd: empty mounts");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"mounts\":{}}", "/mounts", "expected array",
                   "odd: mounts an object");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"mounts\":[1]}", "/mounts/0", "expected object",
                   "odd: mount a number");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"mounts\":[{\"type\":1}]}", "/mounts/0/type",
                   "expected string", "odd: type a number");
        refuse_one(RULE, NULL, SPEC_CONFIG,
                   "{\"mounts\":[{\"type\":\"bind\",\"options\":\"nosuid\"}]}", "/mounts/0/options",
                   "expected array", "odd: options a string");
        refuse_one(RULE, NULL, SPEC_CONFIG,
                   "{\"mounts\":[{\"type\":\"bind\",\"options\":[\"rbind\",null]}]}",
                   "/mounts/0/options/1", "expected string", "odd: option null");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"mounts\":[{\"type\":\"bind\",\"Options\":[]}]}",
                   "/mounts/0/options", "letter case", "odd: case-folded key");
        refuse_one(RULE, NULL, SPEC_CONFIG, "{\"linux\":{\"rootfsPropagation\":true}}",
                   "/linux/rootfsPropagation", "expected string", "odd: rootfsPropagation a bool");

        /* Thousands of bind mounts, each with Docker's options. */
        big = malloc(1 << 20);
        want = malloc(1 << 20);
        if (!big || !want)
                abort();
        o += (size_t)sprintf(big + o, "{\"mounts\":[");
        w += (size_t)sprintf(want + w, "{\"mounts\":[");
        for (int i = 0; i < 5000; i++) {
                o += (size_t)sprintf(big + o,
                                     "%s{\"destination\":\"/d%d\",\"type\":\"bind\","
                                     "\"source\":\"/s\",\"options\":[\"rbind\",\"suid\"]}",
                                     i ? "," : "", i);
                w += (size_t)sprintf(want + w,
                                     "%s{\"destination\":\"/d%d\",\"type\":\"bind\","
                                     "\"source\":\"/s\",\"options\":[\"rbind\",\"nosuid\","
                                     "\"nodev\"]}",
                                     i ? "," : "", i);
        }
        sprintf(big + o, "]}");
        sprintf(want + w, "]}");
        enforce_rule(RULE, NULL, SPEC_CONFIG, big, want, 5000, "odd: 5000 bind mounts");
        free(big);
        free(want);
}

static void test_modes(void)
{
        check_modes(RULE, NULL,
                    "{\"mounts\":[{\"destination\":\"/d\",\"type\":\"bind\",\"source\":\"/s\","
                    "\"options\":[\"rbind\",\"rshared\"]},"
                    "{\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\"}],"
                    "\"linux\":{\"rootfsPropagation\":\"rshared\"}}",
                    3, "modes: hostile spec");
        check_modes(RULE, NULL, BIND(",\"options\":[\"rbind\",\"nosuid\",\"nodev\"]"), 0,
                    "modes: nothing to do");
}

int main(void)
{
        test_bind();
        test_kernel_filesystems();
        test_propagation();
        test_odd_specs();
        test_modes();
        return tap_done();
}
