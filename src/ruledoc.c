/* The rule documentation table. Keyed by rule name, so a rule added to the enum compiles without
 * an entry; tests/unit/test-policy.c fails until it has one whose fields match policy show. */
#include "ruledoc.h"

#include <string.h>

#include "rules/registry.h"
#include "util/cleanup.h"

/* Prose in string literals, laid out by hand. */
/* clang-format off */
static const struct ruledoc docs[] = {
        {
                .rule = "seccomp",
                .summary = "the policy's seccomp profile is installed",
                .enforce = "linux.seccomp is replaced by the policy's profile (for the host's "
                           "architectures), or with merge keep_if_stricter the spec's own "
                           "profile stays when it allows nothing more.",
                .deny = "no profile, or one that differs from the policy's (and, with "
                        "keep_if_stricter, allows more)",
                .spec = "linux.seccomp",
                .cis = "5.22 (the default seccomp profile is not disabled)",
                .pss = "baseline: Seccomp (not Unconfined); restricted: Seccomp (RuntimeDefault "
                       "or Localhost)",
                .fields = {
                        {"profile", "string",
                         "built-in \"default\" or \"strict\", or the absolute path of a "
                         "root-owned profile file (an OCI linux.seccomp object)"},
                        {"merge", "string",
                         "\"replace\": always install the policy's profile; "
                         "\"keep_if_stricter\": keep the spec's profile when it allows no "
                         "syscall (or argument value) the policy's does not"},
                        {"unknown_syscalls", "string",
                         "\"error\": a syscall name libseccomp does not know (except newer "
                         "syscalls) makes a profile invalid; \"ignore\": skip it as runc and "
                         "crun do"},
                },
        },
        {
                .rule = "rootfs",
                .summary = "the root filesystem is read-only, with tmpfs scratch space",
                .enforce = "root.readonly becomes true; a tmpfs with nosuid,nodev,noexec is "
                           "mounted at each tmpfs path the spec does not already mount "
                           "something at, right before the first mount below it (runc mounts "
                           "in list order: the engine's mounts below stay visible). "
                           "Destinations are compared as runc resolves them inside the root "
                           "filesystem (/var/run linking to /run counts as /run). "

                           "When the process runs as a uid other than 0 (the "
                           "image's user, or the one rule user put there), these tmpfs mounts "
                           "and the spec's own (outside /dev) get uid= and gid= of that user "
                           "unless they name one: runc turns a tmpfs into the mode of the "
                           "directory it covers, root-owned 0755 for most, which only root "
                           "could write.",
                .deny = "root.readonly absent or false, or a tmpfs path without a mount",
                .spec = "root.readonly, mounts[].destination, mounts[].type, mounts[].options, "
                        "process.user.uid, process.user.gid",
                .cis = "5.13 (the container's root filesystem is mounted as read only)",
                .pss = "none (read-only root filesystems are not part of the Pod Security "
                       "Standards)",
                .fields = {
                        {"tmpfs", "array of objects",
                         "scratch mounts: {\"path\": absolute path, \"options\": tmpfs options "
                         "such as \"mode=1777,size=64m\"}; nosuid, nodev and noexec are always "
                         "added, suid, dev, exec, bind, rbind and remount refused. A list "
                         "replaces the default one; [] adds none. Default: /tmp, /var/tmp and "
                         "/run with mode=1777,size=64m, /run also with tmpcopyup (the image's "
                         "/run, such as /run/postgresql, copied in; left out for a process rule "
                         "user moved off root, which could not write the copies)"},
                },
        },
        {
                .rule = "mounts",
                .summary = "no mount hands the container a sensitive host path",
                .enforce = "a bind source and root.path are resolved as runc and crun resolve "
                           "them (relative to the bundle; symbolic links followed; '..' as the "
                           "kernel walks it and as runc's lexical cleaning takes it) and "
                           "refused, in enforce mode too, at, under or above a denied path "
                           "(mounting /run would expose /run/docker.sock) unless they match "
                           "the allow list (root.path: the rootfs list); so is a path that "
                           "walks through a /proc magic link or has '..' after a missing "
                           "component, a bind source that is a UNIX socket or a device node, "
                           "and a path through a directory a user other than root can change "
                           "before the runtime mounts it. A pod's or container's own directory of "
                           "the kubelet or containerd is allowed to it alone (pod uid and "
                           "sandbox id from the CRI annotations). The host's /dev/shm at "
                           "/dev/shm without an IPC namespace of its own is the namespaces "
                           "rule's to judge (hostIPC).",
                .deny = "such a mount",
                .spec = "mounts[].source (bind mounts: type bind, or a bind or rbind option), "
                        "root.path",
                .cis = "5.6 (sensitive host system directories are not mounted on "
                       "containers), 5.32 (the Docker socket is not mounted inside any "
                       "containers)",
                .pss = "baseline: HostPath Volumes; restricted: Volume Types",
                .fields = {
                        {"deny", "array of strings",
                         "absolute host paths no mount may expose; the list replaces the "
                         "built-in one"},
                        {"allow", "array of strings",
                         "engine-managed sources allowed although under a denied path; '*' "
                         "matches one path component, a trailing '/' everything below; the "
                         "list replaces the built-in one"},
                        {"rootfs", "array of strings",
                         "where engines keep root filesystems: a root.path under a denied "
                         "path is allowed when it matches one (same patterns)"},
                        {"special_files", "boolean",
                         "allow UNIX sockets and device nodes as bind sources"},
                        {"racy_sources", "boolean",
                         "allow sources reached through directories a user other than root "
                         "can change (default false: such a user can swap an entry for a "
                         "symbolic link to /etc between hardrun's check and the runtime's "
                         "mount, a TOCTOU hardrun cannot close; docker run -v "
                         "/home/alice/src:/src is refused while alice owns /home/alice). Ways "
                         "out: make the directory owned by root and writable by root alone, "
                         "set this key, or exempt the workload from rule 'mounts'"},
                },
        },
        /* ---- user_namespace: slot ---- */
        {
                .rule = "user_namespace",
                .summary = "root in the container is not root on the host (opt-in: off unless "
                           "its own mode is set)",
                .enforce = "a spec without a user namespace gets one, with uid and gid mappings "
                           "of container ids 0.. onto host_uid.. and host_gid.. (size ids), or "
                           "with allocation per_container onto a range of its own from the pool "
                           "(held until the runtime has forgotten the container); "
                           "a net.ipv4.ping_group_range beyond the mapped gids is cut to them. "
                           "Nothing is chowned. Without idmap the rootfs and bind mounts stay "
                           "owned by host root and show up as the overflow uid (65534), "
                           "readable and executable through their 'others' bits only; with "
                           "idmap, hardrun makes ID-mapped mounts of the rootfs (an overlayfs: "
                           "a new one on ID-mapped layers) and of bind sources on "
                           "idmap_sources under /run/hardrun/userns and points the spec at them, "
                           "so container root owns the image's files and its volumes, and what "
                           "it writes keeps the ids it would have without a user namespace; "
                           "delete detaches them. A kernel or filesystem that cannot do it "
                           "makes the create fail with the reason. A spec "
                           "that joins a network, ipc, pid, uts or mount namespace by path, or "
                           "shares the host's, is refused instead: the new user namespace would "
                           "not own it and runc cannot mount sysfs, mqueue or proc or set the "
                           "hostname. A spec's own user namespace is kept, and gets the "
                           "policy's mappings when it has none; a mapping onto host id 0 and a "
                           "path that is the host's user namespace are refused, in enforce mode "
                           "too. Joining another container's user namespace by path stays "
                           "allowed. With this rule in enforce mode, rule user in deny mode "
                           "lets uid and gid 0 pass.",
                .deny = "no user namespace, a uid or gid mapping onto host id 0, or the host's "
                        "user namespace",
                .spec = "linux.namespaces[] (type user, path), linux.uidMappings, "
                        "linux.gidMappings",
                .cis = "2.9 (user namespace support is enabled), 5.31 (the Docker host user "
                       "namespace is not shared)",
                .pss = "none (Kubernetes' hostUsers: false is the pod-level equivalent; with "
                       "it, restricted accepts runAsUser 0)",
                .fields = {
                        {"host_uid", "integer",
                         "first host uid of the range container uid 0.. maps onto (1 to "
                         "4294967294; like the first range in /etc/subuid)"},
                        {"host_gid", "integer",
                         "first host gid of the range container gid 0.. maps onto (1 to "
                         "4294967294)"},
                        {"size", "integer",
                         "number of ids mapped (at least 1; host id + size within 32 bits)"},
                        {"allocation", "string",
                         "shared: every container maps onto the same range; per_container: "
                         "each container gets a range of its own from a pool of ranges ranges "
                         "(held until it is deleted)"},
                        {"ranges", "integer",
                         "ranges of size ids in the per_container pool, from host_uid and "
                         "host_gid on (the pool must end below 4294967294)"},
                        {"idmap", "boolean",
                         "with a user namespace the rule adds: hardrun makes ID-mapped mounts "
                         "of the rootfs (overlayfs: of its layers) and of bind sources on "
                         "idmap_sources, and points the config at them, so root in the "
                         "container owns the image's root-owned files without any chown"},
                        {"idmap_sources", "array of strings",
                         "bind sources ID-mapped with idmap: engine-managed per-container files "
                         "and volumes ('*' one component, trailing '/' everything below); "
                         "other host paths stay as they are and show up as the overflow uid"},
                        {"subid_user", "string or null",
                         "the user whose /etc/subuid and /etc/subgid ranges must hold every "
                         "range handed out; null: ranges must not overlap any user's there, nor "
                         "an id of /etc/passwd or /etc/group"},
                },
        },
        /* ---- mount_options: slot ---- */
        {
                .rule = "mount_options",
                .summary = "bind mounts are nosuid,nodev, /sys and cgroups read-only, no "
                           "propagation is shared",
                .enforce = "every bind mount (type bind, or a bind or rbind option) gets the "
                           "options in bind, and options that undo them (suid, dev, exec, rw "
                           "and their recursive forms) are dropped; proc mounts get "
                           "nosuid,noexec,nodev, sysfs and cgroup mounts ro,nosuid,noexec,nodev "
                           "(what Docker gives a non-privileged container); shared or rshared "
                           "on a mount or as the root's propagation becomes propagation. Other "
                           "options the engine set are kept in their order. An element holding "
                           "several options ('a,b') goes as a whole when one of them is dropped.",
                .deny = "a bind mount missing a forced option or carrying one that undoes it, "
                        "a proc, sysfs or cgroup mount lacking Docker's options (a writable "
                        "sysfs or cgroup among them), shared propagation",
                .spec = "mounts[].type, mounts[].options, linux.rootfsPropagation",
                .cis = "5.6 (sensitive host system directories are not mounted on "
                       "containers), 5.20 (the host's mount propagation mode is not shared)",
                .pss = "baseline: Privileged Containers (a privileged pod gets a writable /sys "
                       "and cgroups); bind mount options and propagation are not in the Pod "
                       "Security Standards",
                .fields = {
                        {"bind", "array of strings",
                         "options every bind mount gets: nosuid, nodev, noexec, ro, and the "
                         "recursive rnosuid, rnodev, rnoexec, rro (Linux 5.12 or later)"},
                        {"propagation", "string",
                         "what replaces shared and rshared: rprivate, private, rslave or "
                         "slave"},
                },
        },
        /* ---- masked_paths: slot ---- */
        {
                .rule = "masked_paths",
                .summary = "/proc and /sys files that leak host data are masked, /proc/sys "
                           "read-only",
                .enforce = "linux.maskedPaths gets every path of masked it lacks, plus "
                           "/sys/devices/system/cpu/cpu<N>/thermal_throttle for each CPU of the "
                           "host that has one (as Docker does); linux.readonlyPaths every path "
                           "of readonly. The spec's own entries stay. This restores what Docker "
                           "drops for --privileged and the kubelet for procMount Unmasked.",
                .deny = "a path of either list missing from the spec",
                .spec = "linux.maskedPaths, linux.readonlyPaths",
                .cis = "5.5 (privileged containers are not used: --privileged drops both "
                       "lists)",
                .pss = "baseline: /proc Mount Type (procMount Default); restricted: the same",
                .fields = {
                        {"masked", "array of strings",
                         "paths to mask (a file behind /dev/null, a directory behind an empty "
                         "read-only tmpfs); the list replaces Docker's"},
                        {"readonly", "array of strings",
                         "paths mounted read-only; the list replaces Docker's"},
                },
        },
        /* ---- hooks: slot ---- */
        {
                .rule = "hooks",
                .summary = "only the hooks the admins allow run",
                .enforce = "a hook that no allow entry matches is removed from its list, and "
                           "hook kinds the runtime does not know are removed whole. An entry "
                           "matches when its path pattern matches the hook's path, its args "
                           "patterns match the hook's arguments one to one (same count), the "
                           "hook sets no environment, and, when exe is given, the hook's path "
                           "is the same file (device and inode, after /proc/<pid>/exe) as one "
                           "of exe. Entries with exe never match startContainer hooks, whose "
                           "path resolves in the container.",
                .deny = "any hook that no allow entry matches; a hook kind the runtime does "
                        "not know",
                .spec = "hooks.{prestart,createRuntime,createContainer,startContainer,"
                        "poststart,poststop}[].{path,args,env}",
                .cis = "none (hooks run host commands as the runtime's user: root)",
                .pss = "none (Kubernetes has no hook field; engines add hooks themselves)",
                .fields = {
                        {"allow", "array of objects",
                         "allowed hooks: path (pattern, '*' stops at '/'), args (patterns, "
                         "args[0] included; absent: any), exe (absolute paths the hook's path "
                         "must be the same file as; absent: no check). The built-in list "
                         "holds Docker's libnetwork-setkey hook (/proc/<dockerd pid>/exe) and "
                         "the NVIDIA prestart hook"},
                },
        },
        /* ---- env_secrets: slot ---- */
        {
                .rule = "env_secrets",
                .summary = "credentials in the environment are reported (report only)",
                .enforce = "nothing is rewritten (removing a variable breaks the workload): "
                           "a 'detected' record per variable whose value holds a known token "
                           "format (AWS access key ids, GitHub, GitLab, Slack, Stripe, Google, "
                           "OpenAI, Anthropic, npm, PyPI, Vault, DigitalOcean, SendGrid and "
                           "age keys, private keys, JSON web tokens, URLs with a password) or "
                           "whose name contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, "
                           "CREDENTIAL and the like with a value that is set and is no "
                           "reference (a path, $VAR, a template, a flag, a number). Names "
                           "ending in _FILE, _PATH, _URL, _ID, _NAME and similar are no "
                           "secrets. Records name the variable, never the value. Exec process "
                           "files too. The patterns read at most 256 KiB of values per spec: a "
                           "value with a token's fixed part past that is reported as not "
                           "checked in full.",
                .deny = "any such variable",
                .spec = "process.env[]",
                .cis = "4.10 (secrets are not stored in Dockerfiles)",
                .pss = "none (the standards do not look at environment variables; Kyverno's "
                       "disallow-secrets-from-env-vars policy does)",
                .fields = {
                        {"allow_names", "array of strings",
                         "variable names (exact, case-sensitive) never reported"},
                },
        },
        /* ---- image: slot ---- */
        {
                .rule = "image",
                .summary = "only images under allowed name prefixes run",
                .enforce = "nothing can be rewritten: a container whose image name, as "
                           "containerd's CRI plugin (io.kubernetes.cri.image-name) or CRI-O "
                           "(io.kubernetes.cri-o.ImageName) wrote it, is under no allowed "
                           "prefix is refused, in enforce mode too; so is one without an image "
                           "name when require_name is true.",
                .deny = "an image name under no allowed prefix, or with require_name none",
                .spec = "annotations[\"io.kubernetes.cri.image-name\"], "
                        "annotations[\"io.kubernetes.cri-o.ImageName\"]",
                .cis = "4.2 (containers use only trusted base images)",
                .pss = "none (the Pod Security Standards do not restrict images)",
                .fields = {
                        {"allow", "array of strings",
                         "image name prefixes, fully qualified (docker.io/library/busybox, "
                         "registry.example.com/team/); a prefix matches at a '/', or at the "
                         "':' of a tag or '@' of a digest; []: any image"},
                        {"require_name", "boolean",
                         "refuse a container whose engine names no image (Docker, ctr, "
                         "podman)"},
                },
        },
        {
                .rule = "annotations",
                .summary = "no annotation changes what the runtime does",
                .enforce = "annotations runc or crun read are removed unless allowed: crun's "
                           "run.oci.* (a raw seccomp filter, the filter's listener sent to a "
                           "socket, plugins and handlers loaded as host root, hook output "
                           "files, the runtime's own groups kept, cgroup layout), the systemd "
                           "drivers' org.systemd.property.* (TasksMax=infinity lifts the pids "
                           "limit) and runc's org.criu.config. The engines' own keys pass.",
                .deny = "any such annotation",
                .spec = "annotations",
                .cis = "none",
                .pss = "none",
                .fields = {
                        {"allow", "array of strings",
                         "annotation keys (shell patterns) kept although a runtime reads them"},
                },
        },
        {
                .rule = "mount_types",
                .summary = "only the filesystem types containers need are mounted",
                .enforce = "nothing can be rewritten: a mount of a type other than tmpfs, "
                           "proc, sysfs, devpts, mqueue, cgroup, cgroup2 and overlay (bind "
                           "mounts are rule mounts') is refused: a filesystem from a host "
                           "device, devtmpfs (every host device node), kernel interfaces "
                           "(debugfs, bpf, securityfs, configfs, efivarfs, ...). overlay's "
                           "lowerdir, upperdir and workdir are host paths judged like bind "
                           "sources.",
                .deny = "such a mount",
                .spec = "mounts[].type, overlay's mounts[].options",
                .cis = "5.6 (sensitive host system directories are not mounted on "
                       "containers)",
                .pss = "restricted: Volume Types",
                .fields = {
                        {"allow", "array of strings", "further filesystem types allowed"},
                },
        },
        {
                .rule = "groups",
                .summary = "no process holds a privileged host group",
                .enforce = "supplementary groups on the deny list (names resolved in the "
                           "host's /etc/group, numbers as they are, and the group of any "
                           "engine API socket found on the host) are removed; such a primary "
                           "gid is refused. Without a user namespace a container's gid is the "
                           "host's.",
                .deny = "such a group",
                .spec = "process.user.additionalGids, process.user.gid",
                .cis = "5.24 (exec is not run as root)",
                .pss = "none",
                .fields = {
                        {"deny", "array of strings",
                         "group names or numbers; the list replaces the built-in one"},
                        {"engine_sockets", "boolean",
                         "also deny the groups that may use an engine's API socket"},
                },
        },
        {
                .rule = "cgroups_path",
                .summary = "the container gets a new cgroup of its own",
                .enforce = "nothing can be rewritten: a linux.cgroupsPath that is the root, "
                           "has '.' or '..' components, lies at or above an engine's parent "
                           "(/docker, kubepods.slice, machine.slice, ...), is outside the "
                           "policy's parents, or names an existing cgroup with processes in it "
                           "or below it (runc and crun kill and remove what they find there on "
                           "delete) is refused; the systemd form slice:prefix:name is judged "
                           "as that driver expands it.",
                .deny = "such a path",
                .spec = "linux.cgroupsPath",
                .cis = "5.25 (the container is restricted from acquiring additional "
                       "privileges: cgroup usage is confirmed)",
                .pss = "none",
                .fields = {
                        {"parents", "array of strings",
                         "allowed cgroup prefixes ('*' one component, trailing '/' below); "
                         "[]: any new cgroup"},
                },
        },
};
/* clang-format on */

const struct ruledoc *ruledoc_get(const char *rule)
{
        enum rule_id id = rule_id_from_string(rule);

        if (id >= 0 && rule_get(id)->doc)
                return rule_get(id)->doc;
        for (size_t i = 0; i < ELEMENTSOF(docs); i++)
                if (strcmp(docs[i].rule, rule) == 0)
                        return &docs[i];
        return NULL;
}
