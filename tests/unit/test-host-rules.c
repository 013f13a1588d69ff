/* Unit tests for the rules that keep the host out: namespaces, mounts, devices. JSON in single
 * quotes (rule-harness.h), but for the texts searched in the output. */
#include "rule-harness.h"

static void test_namespaces(void)
{
        struct policy *p = only_rule(RULE_NAMESPACES, "enforce", NULL);
        struct run x;

        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'namespaces':[{'type':'pid'},{'type':'mount'}]}}");
        is_int(x.r, 0, "namespaces: missing entries (%s)", x.err.msg);
        is_int(x.res.findings.n, 3, "namespaces: network, ipc, uts added");
        ok(x.out && strstr(x.out, "{\"type\":\"network\"}") && strstr(x.out, "{\"type\":\"uts\"}"),
           "namespaces: private network and uts namespaces in the output");
        ok(!x.res.denied && x.res.changed, "namespaces: enforce changes, refuses nothing");
        run_done(&x);

        /* The runtime's own network namespace (here: this process's) counts as the host's. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'namespaces':[{'type':'pid'},{'type':'mount'},"
                       "{'type':'ipc'},{'type':'uts'},"
                       "{'type':'network','path':'/proc/self/ns/net'}]}}");
        is_int(x.r, 0, "namespaces: host netns by path");
        ok(x.res.denied, "namespaces: joining the host's netns is refused, even in enforce");
        ok(find(&x, "/linux/namespaces/4/path") &&
                   find(&x, "/linux/namespaces/4/path")->action == FINDING_DENIED,
           "namespaces: the finding names the path entry");
        run_done(&x);

        /* Another namespace file (here: this process's pid namespace file for "network") is
         * not the host's network namespace: a pod joining its pause container stays allowed. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'namespaces':[{'type':'pid'},{'type':'mount'},"
                       "{'type':'ipc'},{'type':'uts'},"
                       "{'type':'network','path':'/proc/self/ns/pid'}]}}");
        is_int(x.r, 0, "namespaces: joining another namespace by path");
        is_int(x.res.findings.n, 0, "namespaces: another container's namespace is kept");
        run_done(&x);

        x = run_text_q(p, SPEC_CONFIG, "{'linux':{'namespaces':[{'path':'/x'}]}}");
        ok(x.r < 0 && strstr(x.err.msg, "'/linux/namespaces/0': namespace without a type"),
           "namespaces: an entry without a type is an error (%s)", x.err.msg);
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_NAMESPACES, "audit", NULL);
        x = run_text_q(p, SPEC_CONFIG, "{'linux':{}}");
        ok(x.out && !strstr(x.out, "network"), "namespaces audit: nothing added");
        is_int(x.res.findings.n, 5, "namespaces audit: five would_change findings");
        run_done(&x);
        policy_free(p);
}

/* A CRI pause container (containerd's annotations) of a hostNetwork pod: no network and no
 * uts entry. */
#define HOSTNET_PAUSE                                                    \
        "{'annotations':{'io.kubernetes.cri.container-type':'sandbox'}," \
        "'linux':{'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'mount'}]}}"

static void test_pod_namespaces(void)
{
        struct policy *p = only_rule(RULE_NAMESPACES, "enforce", NULL);
        const struct finding *f;
        struct run x;

        x = run_text_q(p, SPEC_CONFIG, HOSTNET_PAUSE);
        is_int(x.r, 0, "pod namespaces: hostNetwork pause container (%s)", x.err.msg);
        ok(x.res.denied && !x.res.changed, "pod namespaces: refused in enforce, nothing added");
        is_str(x.out, x.in, "pod namespaces: the spec is left as it was");
        is_int(x.res.findings.n, 2, "pod namespaces: network and uts, one finding each");
        f = x.res.findings.n == 2 ? &x.res.findings.items[0] : NULL;
        ok(f && strcmp(f->path, "/linux/namespaces") == 0 && f->unfixable &&
                   f->action == FINDING_DENIED,
           "pod namespaces: the first finding is at /linux/namespaces, unfixable, denied");
        ok(f && f->before && strstr(f->before->scalar.text, "no 'network' entry") &&
                   strstr(f->before->scalar.text, "hostNetwork"),
           "pod namespaces: it says the pod asked for hostNetwork (%s)",
           f && f->before ? f->before->scalar.text : "");
        ok(f && f->after && strstr(f->after->scalar.text, "exemption from rule 'namespaces'"),
           "pod namespaces: and that an exemption admits it");
        run_done(&x);

        /* An app container of a hostPID + hostIPC pod (CRI-O's annotation). */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'annotations':{'io.kubernetes.cri-o.ContainerType':'container'},"
                       "'linux':{'namespaces':[{'type':'network','path':'/proc/self/ns/pid'},"
                       "{'type':'uts','path':'/proc/self/ns/pid'},{'type':'mount'}]}}");
        ok(x.r == 0 && x.res.denied && x.res.findings.n == 2 &&
                   strstr(x.res.findings.items[0].before->scalar.text, "hostPID") &&
                   strstr(x.res.findings.items[1].before->scalar.text, "hostIPC"),
           "pod namespaces: hostPID and hostIPC containers are refused, each named");
        run_done(&x);

        /* A container of a hostNetwork pod joins the pause container's, the node's, by path. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'annotations':{'io.kubernetes.cri.container-type':'container'},"
                       "'linux':{'namespaces':[{'type':'pid'},{'type':'ipc'},"
                       "{'type':'uts'},{'type':'mount'},"
                       "{'type':'network','path':'/proc/self/ns/net'}]}}");
        f = find(&x, "/linux/namespaces/4/path");
        ok(x.r == 0 && x.res.denied && f && f->after &&
                   strstr(f->after->scalar.text, "not the node's (hostNetwork)"),
           "pod namespaces: joining the node's network by path names hostNetwork too (%s)",
           f && f->after ? f->after->scalar.text : "");
        run_done(&x);

        /* Other values of the annotation, or none: the engine added no namespace, hardrun adds. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'annotations':{'io.kubernetes.cri.container-type':'podsandbox'},"
                       "'linux':{'namespaces':[{'type':'pid'},{'type':'ipc'},"
                       "{'type':'mount'}]}}");
        ok(x.r == 0 && !x.res.denied && x.res.changed && x.res.findings.n == 2,
           "pod namespaces: another container-type value is no pod: namespaces added");
        run_done(&x);
        policy_free(p);

        p = only_rule(RULE_NAMESPACES, "audit", NULL);
        x = run_text_q(p, SPEC_CONFIG, HOSTNET_PAUSE);
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 2 &&
                   all_actions(&x, FINDING_WOULD_DENY),
           "pod namespaces audit: recorded as would_deny (enforce refuses them), the pod runs");
        run_done(&x);
        policy_free(p);

        /* The rule alone, with an exemption for pause containers. */
        {
                char *text = only_rule_text(RULE_NAMESPACES, "enforce", NULL), *with = NULL;
                char *exemptions = qjson("'exemptions':[{'rules':['namespaces'],'annotations':"
                                         "{'io.kubernetes.cri.container-type':'sandbox'}}]");
                if (text &&
                    asprintf(&with, "%.*s,%s}", (int)strlen(text) - 1, text, exemptions) < 0)
                        with = NULL;
                p = with ? policy_of(with, NULL) : NULL;
                free(text);
                free(with);
                qjson_free(exemptions);
        }
        x = run_text_q(p, SPEC_CONFIG, HOSTNET_PAUSE);
        ok(x.r == 0 && !x.res.denied && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_EXEMPTED,
           "pod namespaces: an exemption from the rule admits the host network");
        run_done(&x);
        policy_free(p);
}

/* A bind mount of source: allowed or refused. */
struct mount_case {
        const char *source;
        bool refused;
        const char *what;
};

static void check_mount(struct policy *p, const char *source, bool refused, const char *what)
{
        char config[1024];
        struct run x;

        snprintf(config, sizeof(config),
                 "{'mounts':[{'destination':'/x','type':'bind','source':'%s',"
                 "'options':['rbind','ro']}]}",
                 source);
        x = run_text_q(p, SPEC_CONFIG, config);
        is_int(x.r, 0, "mounts: %s: no error (%s)", what, x.err.msg);
        ok(x.res.denied == refused, "mounts: %s: %s", what, refused ? "refused" : "allowed");
        run_done(&x);
}

static const struct mount_case default_mounts[] = {
        {"/", true, "the host's root"},
        {"/etc", true, "/etc"},
        {"/etc/ssl/certs", true, "a path under /etc"},
        {"/run/docker.sock", true, "Docker's socket"},
        {"/var/run/docker.sock", true, "Docker's socket through /var/run"},
        {"/run", true, "/run, which holds engine sockets"},
        {"/var/lib", true, "/var/lib, which holds engine state"},
        {"//etc/./", true, "an unclean spelling of /etc"},
        {"/srv/data", false, "an ordinary data directory"},
        {"/var/lib/docker/containers/0123abcd/resolv.conf", false,
         "Docker's resolv.conf for the container"},
        {"/var/lib/docker/volumes/db/_data", false, "a Docker volume"},
        {"/var/lib/docker/volumes/db/_data/sub", false, "inside a Docker volume"},
        {"/var/lib/docker/volumes/db", true, "a volume's metadata directory"},
        /* A pod's directories are allowed only to that pod (test_pod_mounts). */
        {"/var/lib/kubelet/pods/6b1f/volumes/kubernetes.io~projected/kube-api-access", true,
         "a service-account token volume in a spec that names no pod"},
        {"/var/lib/kubelet", true, "kubelet's state"},
};

static const struct mount_case listed_mounts[] = {
        {"/srv/data", true, "policy deny list"},
        {"/srv/public/x", false, "policy allow list"},
        {"/etc", false, "a policy list replaces the default one"},
};

static void check_mounts(struct policy *p, const struct mount_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++)
                check_mount(p, cases[i].source, cases[i].refused, cases[i].what);
}

static void test_mounts(void)
{
        struct policy *p = only_rule(RULE_MOUNTS, "enforce", NULL);
        struct run x;

        check_mounts(p, default_mounts, N_CASES(default_mounts));

        x = run_text_q(p, SPEC_CONFIG,
                       "{'mounts':[{'destination':'/proc','type':'proc','source':'proc'},"
                       "{'destination':'/x','type':'tmpfs','source':'/etc'}]}");
        is_int(x.res.findings.n, 0, "mounts: only bind mounts are judged");
        run_done(&x);

        x = run_text_q(p, SPEC_CONFIG,
                       "{'mounts':[{'destination':'/x','source':'/etc',"
                       "'options':['bind']}]}");
        ok(x.res.denied, "mounts: a bind by option (no type) is judged too");
        ok(find(&x, "/mounts/0/source") != NULL, "mounts: the finding names the source");
        run_done(&x);
        policy_free(p);

        p = only_rule_q(RULE_MOUNTS, "enforce", "'deny':['/srv'],'allow':['/srv/public/']");
        check_mounts(p, listed_mounts, N_CASES(listed_mounts));
        policy_free(p);

        p = only_rule(RULE_MOUNTS, "audit", NULL);
        x = run_text_q(p, SPEC_CONFIG,
                       "{'mounts':[{'destination':'/x','type':'bind','source':'/'}]}");
        ok(!x.res.denied && x.res.findings.n == 1 &&
                   x.res.findings.items[0].action == FINDING_WOULD_DENY,
           "mounts audit: recorded as would_deny (enforce refuses a host path), not refused");
        run_done(&x);
        policy_free(p);
}

/* A CRI container of pod 6b1f (sandbox 5a0e) binding source at /x, run as container c1. */
static struct run run_pod_mount(struct policy *p, const char *annotations, const char *source,
                                const char *dest, const char *namespaces)
{
        char config[2048], *json;
        struct json *doc;
        struct run x = {0};

        snprintf(config, sizeof(config),
                 "{'annotations':{%s},'linux':{'namespaces':[%s]},"
                 "'mounts':[{'destination':'%s','type':'bind','source':'%s',"
                 "'options':['rbind','ro']}]}",
                 annotations, namespaces, dest, source);
        json = qjson(config);
        doc = doc_of(json);
        qjson_free(json);
        x.r = harden_container(p, SPEC_CONFIG, SPEC_FILE, "c1", NULL, doc, &x.res, &x.err);
        json_free(doc);
        return x;
}

#define POD_ANNOTATIONS                                   \
        "'io.kubernetes.cri.container-type':'container'," \
        "'io.kubernetes.cri.sandbox-uid':'6b1f','io.kubernetes.cri.sandbox-id':'5a0e'"
#define ALL_NS "{'type':'ipc'},{'type':'network'}"

/* A pod's container binding source: allowed or refused, the message saying says (NULL: not
 * checked). */
struct pod_mount_case {
        const char *annotations;
        const char *source;
        bool refused;
        const char *says;
        const char *what;
};

static void check_pod_mount(struct policy *p, const char *annotations, const char *source,
                            bool refused, const char *says, const char *what)
{
        struct run x = run_pod_mount(p, annotations, source, "/x", ALL_NS);
        const struct finding *f = find(&x, "/mounts/0/source");

        is_int(x.r, 0, "pod mounts: %s: no error (%s)", what, x.err.msg);
        ok(x.res.denied == refused, "pod mounts: %s: %s", what, refused ? "refused" : "allowed");
        if (says)
                ok(f && f->after && strstr(f->after->scalar.text, says),
                   "pod mounts: %s: says \"%s\" (%s)", what, says,
                   f && f->after ? f->after->scalar.text : "no finding");
        run_done(&x);
}

static const struct pod_mount_case pod_mounts[] = {
        {POD_ANNOTATIONS, "/var/lib/kubelet/pods/6b1f/volumes/kubernetes.io~projected/token", false,
         NULL, "the pod's own token volume"},
        {POD_ANNOTATIONS, "/var/lib/kubelet/pods/6b1f/etc-hosts", false, NULL,
         "the pod's own etc-hosts"},
        {POD_ANNOTATIONS, "/var/lib/kubelet/pods/9c2d/volumes/kubernetes.io~projected/token", true,
         "in another pod's directory; this container's is '6b1f'", "another pod's token volume"},
        {POD_ANNOTATIONS, "/var/lib/kubelet/pods/6b1f0/etc-hosts", true, NULL,
         "a pod uid that only starts like this pod's"},
        {"", "/var/lib/kubelet/pods/6b1f/etc-hosts", true,
         "no annotation io.kubernetes.cri.sandbox-uid",
         "a kubelet pod directory in a spec that names no pod"},
        {POD_ANNOTATIONS, "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/5a0e/shm", false,
         NULL, "the pod sandbox's own /dev/shm"},
        {POD_ANNOTATIONS, "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/77aa/shm", true,
         "another pod sandbox's directory", "another pod sandbox's /dev/shm"},
        {POD_ANNOTATIONS, "/var/lib/containerd/io.containerd.grpc.v1.cri/containers/c1/volumes/v1",
         false, NULL, "the container's own image volume"},
        {POD_ANNOTATIONS, "/var/lib/containerd/io.containerd.grpc.v1.cri/containers/c2/volumes/v1",
         true, "another container's directory; this container's is 'c1'",
         "another container's image volume"},
};

static void check_pod_mounts(struct policy *p, const struct pod_mount_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++)
                check_pod_mount(p, cases[i].annotations, cases[i].source, cases[i].refused,
                                cases[i].says, cases[i].what);
}

static void test_pod_mounts(void)
{
        struct policy *p = only_rule(RULE_MOUNTS, "enforce", NULL);
        struct run x;

        check_pod_mounts(p, pod_mounts, N_CASES(pod_mounts));

        /* The node's /dev/shm: what hostIPC brings, judged by rule namespaces. */
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev/shm", "/dev/shm", "{'type':'network'}");
        ok(x.r == 0 && !x.res.denied, "pod mounts: the node's /dev/shm without an IPC namespace");
        run_done(&x);
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev/shm", "/dev/shm",
                          "{'type':'ipc','path':'/proc/self/ns/ipc'}");
        ok(x.r == 0 && !x.res.denied,
           "pod mounts: ... with the host's IPC namespace joined by path (a hostIPC pod's "
           "container)");
        run_done(&x);
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev/shm", "/dev//shm/", ALL_NS);
        ok(x.r == 0 && x.res.denied, "pod mounts: ... with an IPC namespace of its own: refused");
        run_done(&x);
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev/shm", "/dev/shm",
                          "{'type':'ipc','path':'/proc/self/ns/net'}");
        ok(x.r == 0 && x.res.denied, "pod mounts: ... joining another IPC namespace: refused");
        run_done(&x);
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev/shm", "/data", "{'type':'network'}");
        ok(x.r == 0 && x.res.denied, "pod mounts: ... anywhere but /dev/shm: refused");
        run_done(&x);
        x = run_pod_mount(p, POD_ANNOTATIONS, "/dev", "/dev/shm", "{'type':'network'}");
        ok(x.r == 0 && x.res.denied, "pod mounts: the node's /dev at /dev/shm: refused");
        run_done(&x);
        policy_free(p);
}

static void test_devices(void)
{
        struct policy *p = only_rule(RULE_DEVICES, "enforce", NULL);
        struct run x, y;

        /* What docker run --privileged sends: host devices and an allow-all rule. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'devices':[{'path':'/dev/null','type':'c','major':1,"
                       "'minor':3},{'path':'/dev/sda','type':'b','major':8,'minor':0},"
                       "{'path':'/dev/mem','type':'c','major':1,'minor':1}],"
                       "'resources':{'devices':[{'allow':true,'access':'rwm'}]}}}");
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
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'resources':{'devices':[{'allow':false,'access':'rwm'},"
                       "{'allow':true,'type':'c','access':'m'},"
                       "{'allow':true,'type':'b','access':'m'},"
                       "{'allow':true,'type':'c','major':1,'minor':3,'access':'rwm'},"
                       "{'allow':true,'type':'c','major':136,'access':'rwm'}]}}}");
        is_int(x.res.findings.n, 0, "devices: Docker's default rules need no change");
        run_done(&x);

        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'resources':{'devices':[{'allow':false,'access':'rwm'},"
                       "{'allow':true,'type':'b','major':8,'minor':0,'access':'rw'}]}}}");
        ok(x.out && !strstr(x.out, "\"major\":8"), "devices: a block device allow rule goes");
        run_done(&x);

        /* runc reads an empty type as "a": every type, so b 8:0 (the first disk) too. */
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'resources':{'devices':[{'allow':false,'access':'rwm'},"
                       "{'allow':true,'type':'','major':8,'minor':0,'access':'rw'}]}}}");
        ok(x.out && !strstr(x.out, "\"major\":8"), "devices: an empty-type allow rule goes");
        run_done(&x);
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'resources':{'devices':[{'allow':false,'access':'rwm'},"
                       "{'allow':true,'type':'a','access':''}]}}}");
        ok(x.out && !strstr(x.out, "\"type\":\"a\",\"access\":\"\""),
           "devices: an empty access string counts as rwm (an allow-all rule with it goes)");
        run_done(&x);
        x = run_text_q(p, SPEC_CONFIG,
                       "{'linux':{'resources':{'devices':[{'allow':false,'type':'',"
                       "'access':'rwm'}]}}}");
        is_int(x.res.findings.n, 0,
               "devices: a deny rule of type \"\" is deny-all, as runc reads it");
        run_done(&x);

        x = run_text_q(p, SPEC_CONFIG, "{'linux':{'devices':['/dev/sda']}}");
        ok(x.r < 0 && strstr(x.err.msg, "'/linux/devices/0': expected object"),
           "devices: a malformed entry is an error (%s)", x.err.msg);
        run_done(&x);
        policy_free(p);
}

int main(void)
{
        test_pod_namespaces();
        test_namespaces();
        test_mounts();
        test_pod_mounts();
        test_devices();
        return tap_done();
}
