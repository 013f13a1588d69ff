/* Unit tests for the mount_options rule through harden_spec(): forced bind mount options, the
 * kernel filesystems' options, propagation, odd specs and each mode. JSON in single quotes
 * (rule-harness.h). */
#include "rule-harness.h"

#define RULE RULE_MOUNT_OPTIONS

#define BIND(opts) "{'mounts':[{'destination':'/d','type':'bind','source':'/s'" opts "}]}"

static const struct rule_case bind_cases[] = {
        {"bind: absent options get nosuid,nodev", NULL, BIND(""),
         BIND(",'options':['nosuid','nodev']"), 1},
        {"bind: null options count as absent", NULL, BIND(",'options':null"),
         BIND(",'options':['nosuid','nodev']"), 1},
        {"bind: empty options", NULL, BIND(",'options':[]"), BIND(",'options':['nosuid','nodev']"),
         1},
};

static const struct rule_case docker_binds[] = {
        {"bind: Docker's rbind,rprivate kept", NULL, BIND(",'options':['rbind','rprivate']"),
         BIND(",'options':['rbind','rprivate','nosuid','nodev']"), 1},
        {"bind: nothing missing, order kept", NULL,
         BIND(",'options':['rbind','ro','nodev','rprivate','nosuid']")},
        {"bind: suid and dev replaced, exec and rw kept when not forced", NULL,
         BIND(",'options':['rbind','suid','dev','exec','rw']"),
         BIND(",'options':['rbind','exec','rw','nosuid','nodev']"), 1},
        {"bind: recursive undoers (rsuid, rdev) dropped", NULL,
         BIND(",'options':['rsuid','rdev','nosuid']"), BIND(",'options':['nosuid','nodev']"), 1},
        {"bind: policy noexec,ro replace exec,rw and their recursive forms",
         "'bind':['nosuid','nodev','noexec','ro']",
         BIND(",'options':['rbind','rw','exec','rrw','rexec']"),
         BIND(",'options':['rbind','nosuid','nodev','noexec','ro']"), 1},
        {"bind: recursive options only when the policy lists them", "'bind':['rro','rnosuid']",
         BIND(",'options':['rbind','rw','suid']"), BIND(",'options':['rbind','rro','rnosuid']"), 1},
        {"bind: empty policy list forces nothing", "'bind':[]",
         BIND(",'options':['rbind','suid']")},
};

static const struct rule_case binds_by_option[] = {
        {"bind: type none with rbind", NULL,
         "{'mounts':[{'destination':'/d','type':'none','source':'/s',"
         "'options':['rbind']}]}",
         "{'mounts':[{'destination':'/d','type':'none','source':'/s',"
         "'options':['rbind','nosuid','nodev']}]}",
         1},
        {"bind: no type, bind option", NULL,
         "{'mounts':[{'destination':'/d','source':'/s','options':['bind']}]}",
         "{'mounts':[{'destination':'/d','source':'/s',"
         "'options':['bind','nosuid','nodev']}]}",
         1},
};

static const struct rule_case binds_with_commas[] = {
        {"bind: element with a comma holding suid dropped, other data kept", NULL,
         BIND(",'options':['rbind','nosuid,suid','mode=1,x']"),
         BIND(",'options':['rbind','mode=1,x','nosuid','nodev']"), 1},
        {"bind: quoted value with a comma is one option (libmount)", NULL,
         BIND(",'options':['rbind','context=\\\"a,suid\\\"']"),
         BIND(",'options':['rbind','context=\\\"a,suid\\\"','nosuid','nodev']"), 1},
        {"bind: name=value is data, not an undoer", NULL, BIND(",'options':['rbind','suid=1']"),
         BIND(",'options':['rbind','suid=1','nosuid','nodev']"), 1},
};

static const struct finding_case bind_findings[] = {
        {NULL, BIND(",'options':['rbind','suid']"), "/mounts/0/options", "['rbind','suid']",
         "['rbind','nosuid','nodev']"},
        {NULL, BIND(""), "/mounts/0/options", "(absent)", "['nosuid','nodev']"},
};

static void test_bind(void)
{
        enforce_cases(RULE, bind_cases);
        /* Docker's own binds (hosts, resolv.conf, hostname, /dev/shm): engine options kept. */
        enforce_cases(RULE, docker_binds);
        /* A bind by option, whatever the type. */
        enforce_cases(RULE, binds_by_option);
        /* runc reads an element with a comma as mount data, crun as a C string: an element
         * hiding an undoer goes as a whole and is never split into flags. */
        enforce_cases(RULE, binds_with_commas);
        finding_cases(RULE, bind_findings);
}

static const char docker[] = "{'mounts':["
                             "{'destination':'/proc','type':'proc','source':'proc',"
                             "'options':['nosuid','noexec','nodev']},"
                             "{'destination':'/dev','type':'tmpfs','source':'tmpfs',"
                             "'options':['nosuid','strictatime','mode=755','size=65536k']},"
                             "{'destination':'/dev/pts','type':'devpts','source':'devpts',"
                             "'options':['nosuid','noexec','newinstance','ptmxmode=0666',"
                             "'mode=0620','gid=5']},"
                             "{'destination':'/sys','type':'sysfs','source':'sysfs',"
                             "'options':['nosuid','noexec','nodev','ro']},"
                             "{'destination':'/sys/fs/cgroup','type':'cgroup','source':'cgroup',"
                             "'options':['ro','nosuid','noexec','nodev']},"
                             "{'destination':'/dev/mqueue','type':'mqueue','source':'mqueue',"
                             "'options':['nosuid','noexec','nodev']},"
                             "{'destination':'/dev/shm','type':'tmpfs','source':'shm',"
                             "'options':['nosuid','noexec','nodev','mode=1777','size=67108864']},"
                             "{'destination':'/etc/hosts','type':'bind','source':'/h',"
                             "'options':['rbind','rprivate','nosuid','nodev']}],"
                             "'linux':{'rootfsPropagation':'rprivate'}}";

static const char privileged[] =
        "{'mounts':["
        "{'destination':'/proc','type':'proc','source':'proc'},"
        "{'destination':'/sys','type':'sysfs','source':'sysfs',"
        "'options':['nosuid','noexec','nodev','rw']},"
        "{'destination':'/sys/fs/cgroup','type':'cgroup2','source':'cgroup',"
        "'options':['rw','nosuid','noexec','nodev']}]}";

static const char privileged_fixed[] =
        "{'mounts':["
        "{'destination':'/proc','type':'proc','source':'proc',"
        "'options':['nosuid','noexec','nodev']},"
        "{'destination':'/sys','type':'sysfs','source':'sysfs',"
        "'options':['nosuid','noexec','nodev','ro']},"
        "{'destination':'/sys/fs/cgroup','type':'cgroup2','source':'cgroup',"
        "'options':['nosuid','noexec','nodev','ro']}]}";

static const struct rule_case kernel_filesystems_cases[] = {
        {"kernel fs: Docker's default mounts unchanged", NULL, docker},
        {"kernel fs: privileged /sys and cgroup made read-only, proc gets "
         "nosuid,noexec,nodev",
         NULL, privileged, privileged_fixed, 3},
};

static const struct finding_case kernel_filesystems_findings[] = {
        {NULL, privileged, "/mounts/1/options", "['nosuid','noexec','nodev','rw']",
         "['nosuid','noexec','nodev','ro']"},
};

static const struct rule_case other_kernel_filesystems[] = {
        {"kernel fs: tmpfs gets nosuid, keeps dev and exec", NULL,
         "{'mounts':[{'destination':'/tmp','type':'tmpfs','source':'tmpfs',"
         "'options':['exec','suid','dev','rw']}]}",
         "{'mounts':[{'destination':'/tmp','type':'tmpfs','source':'tmpfs',"
         "'options':['exec','dev','rw','nosuid']}]}",
         1},
        {"kernel fs: devpts, mqueue and overlay get their forced options; other types are "
         "rule mount_types'",
         NULL,
         "{'mounts':[{'destination':'/dev/pts','type':'devpts'},"
         "{'destination':'/dev/mqueue','type':'mqueue','options':['exec']},"
         "{'destination':'/x','type':'overlay','options':['suid']},"
         "{'destination':'/y','type':'9p','options':['suid']}]}",
         "{'mounts':[{'destination':'/dev/pts','type':'devpts',"
         "'options':['nosuid','noexec']},"
         "{'destination':'/dev/mqueue','type':'mqueue',"
         "'options':['nosuid','noexec','nodev']},"
         "{'destination':'/x','type':'overlay','options':['nosuid','nodev']},"
         "{'destination':'/y','type':'9p','options':['suid']}]}",
         3},
};

static void test_kernel_filesystems(void)
{
        /* Docker's defaults are left exactly as they are. */

        /* What `docker run --privileged` makes of /sys and cgroups. */

        enforce_cases(RULE, kernel_filesystems_cases);
        finding_cases(RULE, kernel_filesystems_findings);
        /* tmpfs keeps device nodes and exec (/dev is one) but never setuid programs. */
        enforce_cases(RULE, other_kernel_filesystems);
}

static const struct rule_case propagation_cases[] = {
        {"propagation: rshared bind replaced by rprivate", NULL,
         BIND(",'options':['rbind','rshared','nosuid','nodev']"),
         BIND(",'options':['rbind','nosuid','nodev','rprivate']"), 1},
        {"propagation: shared on any mount replaced by the policy's", "'propagation':'rslave'",
         "{'mounts':[{'destination':'/t','type':'tmpfs','source':'t',"
         "'options':['shared','size=1m']}]}",
         "{'mounts':[{'destination':'/t','type':'tmpfs','source':'t',"
         "'options':['size=1m','nosuid','rslave']}]}",
         1},
        {"propagation: no duplicate when the policy's is already there", NULL,
         BIND(",'options':['rbind','rprivate','rshared','shared','nosuid',"
              "'nodev']"),
         BIND(",'options':['rbind','rprivate','nosuid','nodev']"), 1},
        {"propagation: rshared inside a comma element", NULL,
         BIND(",'options':['rbind','size=1,rshared','nosuid','nodev']"),
         BIND(",'options':['rbind','nosuid','nodev','rprivate']"), 1},
        {"propagation: rootfsPropagation rshared", NULL,
         "{'linux':{'rootfsPropagation':'rshared'}}", "{'linux':{'rootfsPropagation':'rprivate'}}",
         1},
        {"propagation: rootfsPropagation shared", "'propagation':'rslave'",
         "{'linux':{'rootfsPropagation':'shared'}}", "{'linux':{'rootfsPropagation':'rslave'}}", 1},
};

static const struct finding_case propagation_findings[] = {
        {NULL, "{'linux':{'rootfsPropagation':'rshared'}}", "/linux/rootfsPropagation", "'rshared'",
         "'rprivate'"},
};

static const struct rule_case propagation_more[] = {
        {"propagation: rslave root kept", NULL, "{'linux':{'rootfsPropagation':'rslave'}}"},
        {"propagation: null root kept", NULL, "{'linux':{'rootfsPropagation':null}}"},
};

static void test_propagation(void)
{
        enforce_cases(RULE, propagation_cases);
        finding_cases(RULE, propagation_findings);
        enforce_cases(RULE, propagation_more);
}

static const struct rule_case odd_specs_cases[] = {
        {"odd: no mounts, no linux", NULL, "{}"},
        {"odd: null mounts and linux", NULL, "{'mounts':null,'linux':null}"},
        {"odd: empty mounts", NULL, "{'mounts':[]}"},
};

static const struct refuse_case odd_specs_refusals[] = {
        {"odd: mounts an object", NULL, "{'mounts':{}}", "/mounts", "expected array"},
        {"odd: mount a number", NULL, "{'mounts':[1]}", "/mounts/0", "expected object"},
        {"odd: type a number", NULL, "{'mounts':[{'type':1}]}", "/mounts/0/type",
         "expected string"},
        {"odd: options a string", NULL, "{'mounts':[{'type':'bind','options':'nosuid'}]}",
         "/mounts/0/options", "expected array"},
        {"odd: option null", NULL, "{'mounts':[{'type':'bind','options':['rbind',null]}]}",
         "/mounts/0/options/1", "expected string"},
        {"odd: case-folded key", NULL, "{'mounts':[{'type':'bind','Options':[]}]}",
         "/mounts/0/options", "letter case"},
        {"odd: rootfsPropagation a bool", NULL, "{'linux':{'rootfsPropagation':true}}",
         "/linux/rootfsPropagation", "expected string"},
};

static void test_odd_specs(void)
{
        char *big, *want;
        size_t o = 0, w = 0;

        enforce_cases(RULE, odd_specs_cases);
        refuse_cases(RULE, odd_specs_refusals);

        /* Thousands of bind mounts, each with Docker's options. */
        big = malloc(1 << 20);
        want = malloc(1 << 20);
        if (!big || !want)
                abort();
        o += (size_t)sprintf(big + o, "{'mounts':[");
        w += (size_t)sprintf(want + w, "{'mounts':[");
        for (int i = 0; i < 5000; i++) {
                o += (size_t)sprintf(big + o,
                                     "%s{'destination':'/d%d','type':'bind',"
                                     "'source':'/s','options':['rbind','suid']}",
                                     i ? "," : "", i);
                w += (size_t)sprintf(want + w,
                                     "%s{'destination':'/d%d','type':'bind',"
                                     "'source':'/s','options':['rbind','nosuid',"
                                     "'nodev']}",
                                     i ? "," : "", i);
        }
        sprintf(big + o, "]}");
        sprintf(want + w, "]}");
        const struct rule_case many = {"odd: 5000 bind mounts", NULL, big, want, 5000};
        run_rule_cases(RULE, &many, 1, false);
        free(big);
        free(want);
}

static const struct mode_case mode_runs[] = {
        {"modes: hostile spec", NULL,
         "{'mounts':[{'destination':'/d','type':'bind','source':'/s',"
         "'options':['rbind','rshared']},"
         "{'destination':'/sys','type':'sysfs','source':'sysfs'}],"
         "'linux':{'rootfsPropagation':'rshared'}}",
         3},
        {"modes: nothing to do", NULL, BIND(",'options':['rbind','nosuid','nodev']"), 0},
};

static void test_modes(void)
{
        mode_cases(RULE, mode_runs);
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
