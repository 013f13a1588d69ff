/* Complete mediation: the model of what runc and crun read against the rules' owns lists, and
 * the rules that judge what no rule judged before (spec_model, annotations, mount_types,
 * id_mappings, groups, cgroups_path) and the resolution of host paths (mounts) from the bundle,
 * through symbolic links, "..", magic links and racy directories. Paths are made in a temporary
 * bundle directory, the current directory of the run. JSON in single quotes (rule-harness.h). */
#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "rule-harness.h"
#include "rules/helpers.h"
#include "rules/spec-model.h"

#define MAX_PATHS 256

struct flat {
        char path[MAX_PATHS][128];
        const struct model_node *node[MAX_PATHS];
        size_t n;
};

static void flatten(const struct model_node *node, const char *prefix, struct flat *f)
{
        for (const struct model_node *c = node->children; c && c->key; c++) {
                char path[128];
                snprintf(path, sizeof(path), "%s/%s", prefix, c->key);
                if (f->n < MAX_PATHS) {
                        snprintf(f->path[f->n], sizeof(f->path[0]), "%s", path);
                        f->node[f->n++] = c;
                }
                flatten(c, path, f);
        }
}

static const struct model_node *find_node(const struct flat *f, const char *path)
{
        for (size_t i = 0; i < f->n; i++)
                if (strcmp(f->path[i], path) == 0)
                        return f->node[i];
        return NULL;
}

/* Every judged member is claimed by its rule and by no other; every claim is a judged member. */
static void test_model_table(void)
{
        struct flat f = {.n = 0};
        size_t judged = 0, harmless = 0, refused = 0, claims = 0;
        bool all_claimed = true, owner_ok = true, once = true, why = true;

        flatten(&spec_model_config, "", &f);
        ok(f.n > 40 && f.n < MAX_PATHS, "the model lists %zu members", f.n);
        for (size_t i = 0; i < f.n; i++) {
                const struct model_node *n = f.node[i];
                int owners = 0;
                if (n->verdict == MODEL_REFUSED) {
                        refused++;
                        why = why && n->why && *n->why;
                } else if (n->verdict == MODEL_HARMLESS)
                        harmless++;
                if (n->verdict != MODEL_JUDGED)
                        continue;
                judged++;
                for (int id = 0; id < _RULE_MAX; id++) {
                        const struct rule *r = rule_get((enum rule_id)id);
                        for (const char *const *o = r->owns; o && *o; o++)
                                if (strcmp(*o, f.path[i]) == 0) {
                                        owners++;
                                        if (id != (int)n->rule) {
                                                owner_ok = false;
                                                diag("%s: claimed by %s, the model says %s",
                                                     f.path[i], rule_id_to_string(id),
                                                     rule_id_to_string(n->rule));
                                        }
                                }
                }
                if (owners != 1) {
                        (owners ? (void)(once = false) : (void)(all_claimed = false));
                        diag("%s: claimed by %d rules", f.path[i], owners);
                }
        }
        ok(all_claimed, "every judged member is in its rule's owns list");
        ok(once, "no judged member is claimed twice");
        ok(owner_ok, "each judged member is claimed by the rule the model names");
        ok(why, "every refused member says what it would do");
        for (int id = 0; id < _RULE_MAX; id++) {
                const struct rule *r = rule_get((enum rule_id)id);
                for (const char *const *o = r->owns; o && *o; o++) {
                        const struct model_node *n = find_node(&f, *o);
                        claims++;
                        if (!n || n->verdict != MODEL_JUDGED || n->rule != (enum rule_id)id) {
                                all_claimed = false;
                                diag("%s claims %s, which the model does not give it",
                                     rule_id_to_string(id), *o);
                        }
                }
        }
        ok(all_claimed, "every claim in an owns list is a judged member of the model");
        diag("model: %zu members, %zu judged, %zu harmless, %zu refused; %zu claims", f.n, judged,
             harmless, refused, claims);
        is_int(judged, claims, "as many judged members as claims");
        /* The process file model is config.json's process object. */
        ok(spec_model_process.children == find_node(&f, "/process")->children,
           "an exec process file is judged by the process object's model");
}

static void test_fold(void)
{
        ok(is_go_fold_equal("User", 4, "user"), "fold: User is user");
        ok(is_go_fold_equal("USER", 4, "user"), "fold: USER is user");
        ok(is_go_fold_equal("\xe2\x84\xaa"
                            "ernel",
                            8, "kernel"),
           "fold: KELVIN SIGN + ernel is kernel");
        ok(is_go_fold_equal("u\xc5\xbf"
                            "er",
                            5, "user"),
           "fold: u + LONG S + er is user");
        ok(!is_go_fold_equal("users", 5, "user"), "fold: users is not user");
        ok(!is_go_fold_equal("us_r", 4, "user"), "fold: us_r is not user");
        ok(!is_go_fold_equal("use", 3, "user"), "fold: use is not user");
}

/* One rule in each mode refuses the input (JSON in single quotes, rule-harness.h), with a
 * finding at path. */
static void expect_refused(enum rule_id id, const char *settings, enum spec_kind kind,
                           const char *input, const char *path, const char *what)
{
        struct run x = run_q(id, "enforce", settings, kind, input);
        const struct finding *f = find(&x, path);

        is_int(x.r, 0, "%s: no error (%s)", what, x.err.msg);
        ok(x.res.denied, "%s: refused in enforce mode", what);
        ok(f && f->rule == id && f->action == FINDING_DENIED, "%s: denied finding at %s by %s",
           what, path, rule_id_to_string(id));
        run_done(&x);
        x = run_q(id, "audit", settings, kind, input);
        f = find(&x, path);
        ok(x.r == 0 && !x.res.denied && f && f->action == FINDING_WOULD_DENY,
           "%s: recorded as would_deny, not refused, in audit mode", what);
        is_str(x.out, x.in, "%s: audit leaves the spec as it was", what);
        run_done(&x);
        x = run_q(id, "deny", settings, kind, input);
        ok(x.r == 0 && x.res.denied, "%s: refused in deny mode", what);
        run_done(&x);
}

static void expect_passes(enum rule_id id, const char *settings, enum spec_kind kind,
                          const char *input, const char *what)
{
        struct run x = run_q(id, "enforce", settings, kind, input);

        ok(x.r == 0 && x.res.findings.n == 0, "%s: passes (%s)", what, x.err.msg);
        if (x.res.findings.n > 0)
                diag("first finding at %s", x.res.findings.items[0].path);
        run_done(&x);
}

/* One input a rule refuses (a finding at path) or passes (path NULL). */
struct mediation_case {
        const char *name;
        const char *policy;
        const char *spec;
        const char *path;
        enum spec_kind kind;
};

static void run_mediation_cases(enum rule_id id, const struct mediation_case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                const struct mediation_case *c = &cases[i];

                if (c->path)
                        expect_refused(id, c->policy, c->kind, c->spec, c->path, c->name);
                else
                        expect_passes(id, c->policy, c->kind, c->spec, c->name);
        }
}
#define mediation_cases(id, cases) run_mediation_cases(id, cases, N_CASES(cases))

static const struct mediation_case spec_model_cases[] = {
        {"spec_model: known members, maps and other platforms", NULL,
         "{'ociVersion':'1.0.2','process':{'user':{'uid':0,'umask':18},"
         "'args':['sh'],'terminal':false,'consoleSize':{'height':1}},"
         "'root':{'path':'rootfs'},'hostname':'h','mounts':[{"
         "'destination':'/x','type':'tmpfs','source':'t'}],"
         "'annotations':{'anything.goes/here':'v'},'linux':{'sysctl':{"
         "'net.ipv4.ip_forward':'1'},'resources':{'memory':{'swap':1},"
         "'cpu':{'shares':2}},'timeOffsets':{},'personality':{}},"
         "'windows':{'whatever':1}}"},
        {"spec_model: null members are absent", NULL,
         "{'process':{'scheduler':null},'nothing':null}"},
        {"spec_model: an unknown top-level member", NULL, "{'processs':{}}", "/processs"},
        {"spec_model: a case-folded key runc reads as 'user'", NULL,
         "{'process':{'User':{'uid':0}}}", "/process/User"},
        {"spec_model: a KELVIN SIGN key runc reads as 'limit'", NULL,
         "{'linux':{'resources':{'pids':{'\xe2\x84\xaa"
         "imit':1}}}}",
         "/linux/resources/pids/\xe2\x84\xaa"
         "imit"},
        {"spec_model: an unknown member of a mount", NULL,
         "{'mounts':[{'destination':'/x','foo':1}]}", "/mounts/0/foo"},
        {"spec_model: linux.intelRdt, read by runc, judged by none", NULL,
         "{'linux':{'intelRdt':{'closID':'x'}}}", "/linux/intelRdt"},
        {"spec_model: process.scheduler", NULL, "{'process':{'scheduler':{'policy':'SCHED_FIFO'}}}",
         "/process/scheduler"},
        {"spec_model: an exec process file's ioPriority", NULL, "{'args':['sh'],'ioPriority':{}}",
         "/ioPriority", .kind = SPEC_PROCESS},
        {"spec_model: an exec process file's case-folded cwd", NULL, "{'args':['sh'],'Cwd':'/'}",
         "/Cwd", .kind = SPEC_PROCESS},
};

static void test_spec_model(void)
{
        enum rule_id M = RULE_SPEC_MODEL;

        mediation_cases(M, spec_model_cases);
}

static void test_annotations(void)
{
        enum rule_id A = RULE_ANNOTATIONS;
        struct run x;

        x = enforce_one_q(A, NULL, SPEC_CONFIG,
                          "{'annotations':{'io.kubernetes.cri.sandbox-id':'s',"
                          "'run.oci.seccomp_bpf_data':'AAAA','org.systemd.property.TasksMax':"
                          "'infinity','org.criu.config':'/etc/x','run.oci.future':'x',"
                          "'io.kubernetes.cri.container-type':'container'}}",
                          "{'annotations':{'io.kubernetes.cri.sandbox-id':'s',"
                          "'io.kubernetes.cri.container-type':'container'}}",
                          4, "annotations: runtime keys removed, the engines' kept");
        check_finding_q(&x, "/annotations/run.oci.seccomp_bpf_data", A, "'AAAA'", NULL,
                        FINDING_CHANGED);
        check_finding_q(&x, "/annotations/org.systemd.property.TasksMax", A, "'infinity'", NULL,
                        FINDING_CHANGED);
        check_idempotent(A, NULL, SPEC_CONFIG, &x, "annotations");
        run_done(&x);
        x = enforce_one_q(A, "'allow':['run.oci.timens_offset']", SPEC_CONFIG,
                          "{'annotations':{'run.oci.timens_offset':'x'}}", NULL, 0,
                          "annotations: an allowed key stays");
        run_done(&x);
        x = run_q(A, "deny", NULL, SPEC_CONFIG,
                  "{'annotations':{'run.oci.hooks.stdout':'/etc/passwd'}}");
        ok(x.r == 0 && x.res.denied, "annotations: deny refuses run.oci.hooks.stdout");
        run_done(&x);
        ok(annotation_model_find("run.oci.handler")->verdict == ANNOTATION_STRIPPED &&
                   annotation_model_find("io.podman.annotations.init")->verdict ==
                           ANNOTATION_HARMLESS &&
                   annotation_model_find("module.wasm.image/variant")->verdict ==
                           ANNOTATION_STRIPPED,
           "annotations: the model's verdicts");
}

static const struct mediation_case mount_types_cases[] = {
        {"mount_types: ext4 from a host disk", NULL,
         "{'mounts':[{'destination':'/d','type':'ext4','source':"
         "'/dev/sda1'}]}",
         "/mounts/0/type"},
        {"mount_types: a second devtmpfs", NULL,
         "{'mounts':[{'destination':'/d','type':'devtmpfs','source':"
         "'devtmpfs'}]}",
         "/mounts/0/type"},
        {"mount_types: bpf", NULL, "{'mounts':[{'destination':'/d','type':'bpf'}]}",
         "/mounts/0/type"},
        {"mount_types: overlay with /etc as a lower dir", NULL,
         "{'mounts':[{'destination':'/d','type':'overlay','options':["
         "'lowerdir=/var/empty-x:/etc,upperdir=/tmp/u']}]}",
         "/mounts/0/options/0"},
        {"mount_types: overlay with a relative lower dir", NULL,
         "{'mounts':[{'destination':'/d','type':'overlay','options':["
         "'lowerdir=../../../../../../../etc']}]}",
         "/mounts/0/options/0"},
        {"mount_types: proc, a bind (its type is ignored), overlay in the bundle", NULL,
         "{'mounts':[{'destination':'/proc','type':'proc'},{"
         "'destination':'/d','type':'ext4','source':'/srv','options':"
         "['rbind']},{'destination':'/o','type':'overlay','options':["
         "'lowerdir=lower\\\\:1:lower2','workdir=work']},{'destination':"
         "'/n'}]}"},
        {"mount_types: a type the policy allows", "'allow':['9p']",
         "{'mounts':[{'destination':'/d','type':'9p'}]}"},
};

static void test_mount_types(void)
{
        enum rule_id T = RULE_MOUNT_TYPES;

        mediation_cases(T, mount_types_cases);
}

#define BIND(src) "{'mounts':[{'destination':'/m','type':'bind','source':'" src "'}]}"

static const struct mediation_case mounts_cases[] = {
        {"mounts: a relative source in the bundle", NULL, BIND("data")},
        {"mounts: a relative source that climbs to /etc", NULL, BIND("../../../../../../../../etc"),
         "/mounts/0/source"},
        {"mounts: '..' after a missing component (runc: /etc, the kernel: ENOENT)", NULL,
         BIND("missing/../../../../../../../../etc"), "/mounts/0/source"},
        {"mounts: a symbolic link in the bundle to /etc", NULL, BIND("to-etc"), "/mounts/0/source"},
        {"mounts: '..' after a symbolic link (crun: /etc)", NULL, BIND("to-etc-parent/../etc"),
         "/mounts/0/source"},
        {"mounts: a /proc magic link", NULL, BIND("/proc/self/root/srv"), "/mounts/0/source"},
};

static const struct mediation_case socket_mounts[] = {
        {"mounts: a UNIX socket at a path no list names", NULL, BIND("engine.sock"),
         "/mounts/0/source"},
        {"mounts: a socket with special_files true", "'special_files':true", BIND("engine.sock")},
};

static const struct mediation_case racy_mounts[] = {
        {"mounts: a source in a directory anyone may write (racy)", NULL, BIND("open/data"),
         "/mounts/0/source"},
        {"mounts: racy_sources true accepts it", "'racy_sources':true", BIND("open/data")},
};

static const struct mediation_case root_mounts[] = {
        {"mounts: root.path in the bundle", NULL, "{'root':{'path':'rootfs'}}"},
        {"mounts: root.path /", NULL, "{'root':{'path':'/'}}", "/root/path"},
        {"mounts: a relative root.path that climbs to /usr", NULL,
         "{'root':{'path':'../../../../../../usr'}}", "/root/path"},
        {"mounts: root.path through a symbolic link to /etc", NULL, "{'root':{'path':'to-etc'}}",
         "/root/path"},
        {"mounts: root.path where Docker keeps root filesystems", NULL,
         "{'root':{'path':'/var/lib/docker/overlay2/abc/merged'}}"},
};

/* The refusal of a racy source names who can swap what, the policy key and the ways out. */
static void expect_racy_message(const char *dir, const char *input, const char *racy_dir,
                                const char *who, const char *what)
{
        char *spec = qjson(input);
        struct run x = run_rule(RULE_MOUNTS, "enforce", NULL, SPEC_CONFIG, spec);
        const struct finding *f = find(&x, "/mounts/0/source");
        char *msg = f ? text_of(f->after) : NULL;
        char want[512];

        ok(msg != NULL, "%s: a finding at /mounts/0/source", what);
        snprintf(want, sizeof(want), "through '%s/%s': %s can swap an entry there", dir, racy_dir,
                 who);
        ok(msg && strstr(msg, want), "%s: the message names the directory and who (%s)", what,
           msg ? msg : "(none)");
        ok(msg && strstr(msg, "TOCTOU"), "%s: the message says why (TOCTOU)", what);
        snprintf(want, sizeof(want), "make '%s/%s' owned by root and writable by root alone", dir,
                 racy_dir);
        ok(msg && strstr(msg, want), "%s: the message says how to fix the directory", what);
        ok(msg && strstr(msg, "rules.mounts.racy_sources") && strstr(msg, "exemption"),
           "%s: the message names the policy key and exemptions", what);
        free(msg);
        run_done(&x);
        qjson_free(spec);
}

static void test_mounts(const char *dir)
{
        enum rule_id B = RULE_MOUNTS;
        char sock[256];
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd;

        mediation_cases(B, mounts_cases);
        snprintf(sock, sizeof(sock), "%s/engine.sock", dir);
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ok(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "a UNIX socket made");
        mediation_cases(B, socket_mounts);
        if (fd >= 0)
                close(fd);
        mediation_cases(B, racy_mounts);
        expect_racy_message(dir, BIND("open/data"), "open", "any user",
                            "mounts: a directory anyone may write");
        if (access("alice/src", F_OK) == 0) {
                static const struct mediation_case other_user[] = {
                        {"mounts: a source in another user's directory (racy)", NULL,
                         BIND("alice/src"), "/mounts/0/source"},
                };

                mediation_cases(B, other_user);
                expect_racy_message(dir, BIND("alice/src"), "alice", "its owner, uid 4242,",
                                    "mounts: a directory another user owns");
        } else {
                ok(1, "a directory another user owns # SKIP needs root (chown)");
        }
        mediation_cases(B, root_mounts);
}

static const struct mediation_case id_mappings_cases[] = {
        {"id_mappings: a uid mapping onto host 0", NULL,
         "{'linux':{'uidMappings':[{'containerID':0,'hostID':100000,"
         "'size':1},{'containerID':1,'hostID':0,'size':1}]}}",
         "/linux/uidMappings/1/hostID"},
        {"id_mappings: a gid mapping without hostID (0 to Go)", NULL,
         "{'linux':{'gidMappings':[{'containerID':0,'size':10}]}}", "/linux/gidMappings/0/hostID"},
        {"id_mappings: an idmapped mount", NULL,
         "{'mounts':[{'destination':'/m','options':['idmap'],"
         "'uidMappings':[{'containerID':1000,'hostID':0,'size':1}]}]}",
         "/mounts/0/uidMappings/0/hostID"},
        {"id_mappings: the host's user namespace, joined by path", NULL,
         "{'linux':{'namespaces':[{'type':'user','path':"
         "'/proc/1/ns/user'}]}}",
         "/linux/namespaces/0/path"},
        {"id_mappings: a namespace whose mappings cannot be read", NULL,
         "{'linux':{'namespaces':[{'type':'user','path':"
         "'/nonexistent/ns'}]}}",
         "/linux/namespaces/0/path"},
        {"id_mappings: a remapped container", NULL,
         "{'linux':{'namespaces':[{'type':'user'}],'uidMappings':[{"
         "'containerID':0,'hostID':100000,'size':65536}],'gidMappings':[{"
         "'containerID':0,'hostID':100000,'size':65536}]}}"},
};

static void test_id_mappings(void)
{
        enum rule_id I = RULE_ID_MAPPINGS;

        mediation_cases(I, id_mappings_cases);
}

static const struct mediation_case groups_cases[] = {
        {"groups: ordinary groups pass", NULL,
         "{'process':{'user':{'uid':1000,'gid':1000,'additionalGids':[1000,"
         "65534]}}}"},
};

static void test_groups(void)
{
        enum rule_id G = RULE_GROUPS;
        struct group *disk = getgrnam("disk");
        char in[256], want[256];
        struct run x;

        x = enforce_one_q(G, "'deny':['1234']", SPEC_CONFIG,
                          "{'process':{'user':{'uid':5,'gid':5,'additionalGids':[1234,7]}}}",
                          "{'process':{'user':{'uid':5,'gid':5,'additionalGids':[7]}}}", 1,
                          "groups: a denied number removed");
        check_finding_q(&x, "/process/user/additionalGids/0", G, "1234", NULL, FINDING_CHANGED);
        run_done(&x);
        if (disk) {
                snprintf(in, sizeof(in),
                         "{'process':{'user':{'uid':5,'gid':1000,'additionalGids':[%u]}}}",
                         (unsigned)disk->gr_gid);
                snprintf(want, sizeof(want),
                         "{'process':{'user':{'uid':5,'gid':1000,'additionalGids':[]}}}");
                x = enforce_one_q(G, NULL, SPEC_CONFIG, in, want, 1,
                                  "groups: the host's disk group removed (built-in list)");
                run_done(&x);
                snprintf(in, sizeof(in), "{'args':['sh'],'user':{'uid':5,'gid':%u}}",
                         (unsigned)disk->gr_gid);
                expect_refused(G, NULL, SPEC_PROCESS, in, "/user/gid",
                               "groups: an exec process with the disk group as its gid");
        } else {
                ok(1, "# SKIP no disk group on this host");
        }
        mediation_cases(G, groups_cases);
}

static const struct mediation_case cgroups_path_cases[] = {
        {"cgroups_path: /", NULL, "{'linux':{'cgroupsPath':'/'}}", "/linux/cgroupsPath"},
        {"cgroups_path: '..'", NULL, "{'linux':{'cgroupsPath':'/a/../..'}}", "/linux/cgroupsPath"},
        {"cgroups_path: Docker's parent itself", NULL, "{'linux':{'cgroupsPath':'/docker'}}",
         "/linux/cgroupsPath"},
        {"cgroups_path: the systemd form of system.slice", NULL,
         "{'linux':{'cgroupsPath':'-.slice::system.slice'}}", "/linux/cgroupsPath"},
        {"cgroups_path: kubepods.slice", NULL, "{'linux':{'cgroupsPath':'/kubepods.slice/'}}",
         "/linux/cgroupsPath"},
        {"cgroups_path: a CRI container's systemd path", NULL,
         "{'linux':{'cgroupsPath':'kubepods-besteffort-podx.slice:"
         "cri-containerd:abc'}}"},
        {"cgroups_path: a new cgroup under /docker", NULL,
         "{'linux':{'cgroupsPath':'/docker/0123abcd-hardrun-test'}}"},
        {"cgroups_path: empty (the runtime chooses)", NULL, "{'linux':{'cgroupsPath':''}}"},
        {"cgroups_path: outside the policy's parents", "'parents':['/allowed/']",
         "{'linux':{'cgroupsPath':'/other/x'}}", "/linux/cgroupsPath"},
        {"cgroups_path: under the policy's parents", "'parents':['/allowed/']",
         "{'linux':{'cgroupsPath':'/allowed/x'}}"},
};

static void test_cgroups_path(void)
{
        enum rule_id C = RULE_CGROUPS_PATH;
        char own[512] = "", in[700];
        FILE *f = fopen("/proc/self/cgroup", "re");
        char line[600];

        mediation_cases(C, cgroups_path_cases);
        /* This test's own cgroup holds this process. */
        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "%*[^:]:%*[^:]:%511s", own) == 1 && strcmp(own, "/") != 0)
                        break;
        if (f)
                fclose(f);
        if (own[0] == '/' && strcmp(own, "/") != 0) {
                snprintf(in, sizeof(in), "{'linux':{'cgroupsPath':'%s'}}", own);
                expect_refused(C, NULL, SPEC_CONFIG, in, "/linux/cgroupsPath",
                               "cgroups_path: an existing cgroup with a process in it");
        } else {
                ok(1, "# SKIP this process is in the root cgroup");
        }
}

int main(void)
{
        char dir[] = "/tmp/hardrun-mediation.XXXXXX", path[300];
        char cwd[4096];

        test_model_table();
        test_fold();
        test_spec_model();
        test_annotations();
        test_mount_types();
        test_id_mappings();
        test_groups();
        test_cgroups_path();

        if (!mkdtemp(dir) || !getcwd(cwd, sizeof(cwd)) || chmod(dir, 0755) < 0) {
                ok(0, "a bundle directory");
                return tap_done();
        }
        snprintf(path, sizeof(path), "%s/data", dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/rootfs", dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/to-etc", dir);
        ok(symlink("/etc", path) == 0, "bundle: to-etc -> /etc");
        snprintf(path, sizeof(path), "%s/to-etc-parent", dir);
        ok(symlink("/etc/ssl", path) == 0, "bundle: to-etc-parent -> /etc/ssl");
        snprintf(path, sizeof(path), "%s/open", dir);
        ok(mkdir(path, 0777) == 0 && chmod(path, 0777) == 0, "bundle: open/, mode 0777");
        snprintf(path, sizeof(path), "%s/open/data", dir);
        mkdir(path, 0755);
        /* docker run -v /home/alice/src:/src: alice's home, alice's to change. */
        snprintf(path, sizeof(path), "%s/alice", dir);
        mkdir(path, 0755);
        if (chown(path, 4242, 4242) == 0) {
                snprintf(path, sizeof(path), "%s/alice/src", dir);
                mkdir(path, 0755);
        }
        if (chdir(dir) == 0) {
                test_mounts(dir);
                (void)chdir(cwd);
        }
        snprintf(path, sizeof(path), "rm -rf '%s'", dir);
        (void)system(path);
        return tap_done();
}
