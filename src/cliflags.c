/* The verdict on every command-line entry of runc 1.1.5 and crun 1.8.1 (read from their sources:
 * runc main.go and each command's urfave/cli Flags, crun src/crun.c and src/<command>.c argp
 * tables, hidden and argp's own options included), and the checks that apply them. */
#include "cliflags.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "json.h"
#include "rules/lsm.h"
#include "rules/resources.h"
#include "util/cleanup.h"

#define H CLI_VERDICT_HARMLESS
#define J CLI_VERDICT_JUDGED
#define X CLI_VERDICT_REFUSED
#define CL CLI_OWNER_COMMAND_LINE
/* The spec a flag names is judged by every rule: shown as the owner "all rules". */
#define ALL CLI_OWNER_SPEC_RULES

enum { CLI_OWNER_SPEC_RULES = -2 };

/* clang-format off */
static const struct cli_flag_verdict flag_table[] = {
        /* global options */
        {CLI_FLAG_DEBUG, "--debug", H, CL, "more log lines"},
        {CLI_FLAG_LOG, "--log", H, CL, "the runtime's log file; hardrun writes its refusals there"},
        {CLI_FLAG_LOG_FORMAT, "--log-format", H, CL, "text or json log lines"},
        {CLI_FLAG_LOG_LEVEL, "--log-level", H, CL, "log verbosity (crun 1.9)"},
        {CLI_FLAG_ROOT, "--root", H, CL, "where state lives; hardrun reads exec's state under the same root (crun's --rootless is the same option)"},
        {CLI_FLAG_CRIU, "--criu", X, RULE_HOOKS, "a binary runc runs as host root on checkpoint and restore"},
        {CLI_FLAG_SYSTEMD_CGROUP, "--systemd-cgroup", H, CL, "cgroup driver: the same limits through systemd"},
        {CLI_FLAG_CGROUP_MANAGER, "--cgroup-manager", J, RULE_RESOURCES, "crun: 'disabled' creates no cgroup, so no pids or memory limit"},
        {CLI_FLAG_ROOTLESS, "--rootless", J, RULE_RESOURCES, "runc: 'true' ignores cgroup errors, so a limit may silently not apply"},
        {CLI_FLAG_VERSION, "--version", H, CL, "prints the version"},
        {CLI_FLAG_HELP, "--help", H, CL, "prints help"},
        {CLI_FLAG_USAGE, "--usage", H, CL, "argp: prints usage"},
        {CLI_FLAG_PROGRAM_NAME, "--program-name", H, CL, "argp (hidden): the name in messages"},
        {CLI_FLAG_HANG, "--HANG", H, CL, "argp (hidden): sleeps before parsing"},
        /* create, run, restore */
        {CLI_FLAG_BUNDLE, "--bundle", J, ALL, "its config.json is hardened by every rule"},
        {CLI_FLAG_CONFIG, "--config", J, ALL, "crun: the spec file, hardened by every rule"},
        {CLI_FLAG_CONSOLE_SOCKET, "--console-socket", H, CL, "receives the terminal's master end: the caller's own terminal"},
        {CLI_FLAG_PIDFD_SOCKET, "--pidfd-socket", H, CL, "receives a pidfd of the process (runc 1.2)"},
        {CLI_FLAG_PID_FILE, "--pid-file", H, CL, "the runtime writes the pid there"},
        {CLI_FLAG_PRESERVE_FDS, "--preserve-fds", J, RULE_MOUNTS, "fds 3.. (with LISTEN_FDS) enter the container: directories, devices and kernel files refused"},
        {CLI_FLAG_NO_PIVOT, "--no-pivot", X, RULE_ROOTFS, "chroot instead of pivot_root: the host's root stays below the container's (chroot escape)"},
        {CLI_FLAG_NO_NEW_KEYRING, "--no-new-keyring", X, RULE_NAMESPACES, "the container shares the caller's session keyring"},
        {CLI_FLAG_NO_SUBREAPER, "--no-subreaper", H, CL, "the runtime process's own reaping"},
        {CLI_FLAG_DETACH, "--detach", H, CL, "the runtime does not wait"},
        {CLI_FLAG_KEEP, "--keep", H, CL, "runc run: state kept after exit"},
        /* exec */
        {CLI_FLAG_PROCESS, "--process", J, ALL, "the process file, hardened by the process rules"},
        {CLI_FLAG_CWD, "--cwd", H, CL, "a directory inside the container"},
        {CLI_FLAG_ENV, "--env", J, RULE_ENV_SECRETS, "part of the process the runtime will run, judged whole"},
        {CLI_FLAG_TTY, "--tty", H, CL, "a new pseudo-terminal"},
        {CLI_FLAG_USER, "--user", J, RULE_USER, "root, or another user than the policy's, refused"},
        {CLI_FLAG_ADDITIONAL_GIDS, "--additional-gids", J, RULE_USER, "group 0 refused"},
        {CLI_FLAG_PROCESS_LABEL, "--process-label", J, RULE_LSM, "an SELinux type outside the policy's list refused"},
        {CLI_FLAG_APPARMOR, "--apparmor", J, RULE_LSM, "unconfined refused"},
        {CLI_FLAG_NO_NEW_PRIVS, "--no-new-privs", J, RULE_NO_NEW_PRIVILEGES, "runc: '=false' clears no_new_privileges"},
        {CLI_FLAG_CAP, "--cap", J, RULE_CAPABILITIES, "a capability outside the policy's allow list refused"},
        {CLI_FLAG_CGROUP, "--cgroup", J, RULE_RESOURCES, "'..' puts the process outside the container's cgroup (crun joins the path as given)"},
        {CLI_FLAG_IGNORE_PAUSED, "--ignore-paused", H, CL, "runc: exec into a paused container"},
        /* checkpoint, restore (restore itself is judged: see the subcommand table) */
        {CLI_FLAG_IMAGE_PATH, "--image-path", H, CL, "where CRIU keeps the image"},
        {CLI_FLAG_WORK_PATH, "--work-path", H, CL, "where CRIU keeps its logs"},
        {CLI_FLAG_PARENT_PATH, "--parent-path", H, CL, "a previous image (pre-dump)"},
        {CLI_FLAG_MANAGE_CGROUPS_MODE, "--manage-cgroups-mode", J, RULE_RESOURCES, "'full' and 'strict' restore cgroup limits from the image"},
        {CLI_FLAG_EMPTY_NS, "--empty-ns", H, CL, "a namespace created empty instead of restored"},
        {CLI_FLAG_LSM_PROFILE, "--lsm-profile", J, RULE_LSM, "restores under another AppArmor profile or SELinux label"},
        {CLI_FLAG_LSM_MOUNT_CONTEXT, "--lsm-mount-context", H, CL, "SELinux context of the restored mounts' files"},
        {CLI_FLAG_TCP_ESTABLISHED, "--tcp-established", H, CL, "CRIU: open TCP connections"},
        {CLI_FLAG_TCP_CLOSE, "--tcp-close", H, CL, "CRIU: closes TCP connections"},
        {CLI_FLAG_EXT_UNIX_SK, "--ext-unix-sk", H, CL, "CRIU: external UNIX sockets"},
        {CLI_FLAG_SHELL_JOB, "--shell-job", H, CL, "CRIU: a shell job's session"},
        {CLI_FLAG_FILE_LOCKS, "--file-locks", H, CL, "CRIU: file locks"},
        {CLI_FLAG_AUTO_DEDUP, "--auto-dedup", H, CL, "CRIU: image deduplication"},
        {CLI_FLAG_LAZY_PAGES, "--lazy-pages", H, CL, "CRIU: memory restored on demand"},
        {CLI_FLAG_LEAVE_RUNNING, "--leave-running", H, CL, "checkpoint: the container keeps running"},
        {CLI_FLAG_PRE_DUMP, "--pre-dump", H, CL, "checkpoint: memory only"},
        {CLI_FLAG_PAGE_SERVER, "--page-server", H, CL, "checkpoint: pages sent to a page server"},
        {CLI_FLAG_STATUS_FD, "--status-fd", H, CL, "checkpoint: CRIU's readiness byte"},
        /* update: runc parses the values, crun pastes numeric ones into JSON as written */
        {CLI_FLAG_RESOURCES, "--resources", J, RULE_RESOURCES, "a LinuxResources file or '-' (stdin), read as the runtime reads it"},
        {CLI_FLAG_BLKIO_WEIGHT, "--blkio-weight", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPU_PERIOD, "--cpu-period", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPU_QUOTA, "--cpu-quota", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPU_SHARE, "--cpu-share", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPU_RT_PERIOD, "--cpu-rt-period", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPU_RT_RUNTIME, "--cpu-rt-runtime", J, RULE_RESOURCES, "a plain number (crun pastes it into JSON)"},
        {CLI_FLAG_CPUSET_CPUS, "--cpuset-cpus", H, CL, "which CPUs: no policy bound"},
        {CLI_FLAG_CPUSET_MEMS, "--cpuset-mems", H, CL, "which memory nodes: no policy bound"},
        {CLI_FLAG_KERNEL_MEMORY, "--kernel-memory", J, RULE_RESOURCES, "ignored by runc; a plain number for crun"},
        {CLI_FLAG_KERNEL_MEMORY_TCP, "--kernel-memory-tcp", J, RULE_RESOURCES, "ignored by runc; a plain number for crun"},
        {CLI_FLAG_MEMORY, "--memory", J, RULE_RESOURCES, "-1 lifts the memory limit the policy sets"},
        {CLI_FLAG_MEMORY_RESERVATION, "--memory-reservation", J, RULE_RESOURCES, "a soft limit; a plain number for crun"},
        {CLI_FLAG_MEMORY_SWAP, "--memory-swap", J, RULE_RESOURCES, "swap, not memory; a plain number for crun"},
        {CLI_FLAG_PIDS_LIMIT, "--pids-limit", J, RULE_RESOURCES, "-1 (or any negative) lifts the pids limit"},
        {CLI_FLAG_L3_CACHE_SCHEMA, "--l3-cache-schema", H, CL, "runc: Intel RDT cache allocation"},
        {CLI_FLAG_MEM_BW_SCHEMA, "--mem-bw-schema", H, CL, "runc: Intel RDT memory bandwidth"},
        /* pass-through subcommands' flags */
        {CLI_FLAG_FORCE, "--force", H, CL, "delete: kills first"},
        {CLI_FLAG_REGEX, "--regex", H, CL, "crun: ids as a regular expression"},
        {CLI_FLAG_ALL, "--all", H, CL, "kill: every process of the container"},
        {CLI_FLAG_FORMAT, "--format", H, CL, "output format"},
        {CLI_FLAG_QUIET, "--quiet", H, CL, "ids only"},
        {CLI_FLAG_INTERVAL, "--interval", H, CL, "events: stats interval"},
        {CLI_FLAG_STATS, "--stats", H, CL, "events: stats once"},
        {CLI_FLAG_SPEC_FILE, "--file", H, CL, "crun spec: where the example spec goes"},
        {CLI_FLAG_SPEC_ROOTLESS, "--rootless", H, CL, "spec: a rootless example spec"},
};

static const struct cli_command_verdict command_table[] = {
        {CLI_COMMAND_NONE, H, CL, "no subcommand: the runtime prints help or an error"},
        {CLI_COMMAND_CREATE, J, ALL, "its spec is hardened by every rule, its flags judged"},
        {CLI_COMMAND_RUN, J, ALL, "its spec is hardened by every rule, its flags judged"},
        {CLI_COMMAND_EXEC, J, ALL, "the process the runtime will run is judged by the process rules"},
        {CLI_COMMAND_UPDATE, J, RULE_RESOURCES, "limits never lifted, device rules never widened"},
        {CLI_COMMAND_CHECKPOINT, J, CL, "changes nothing in the container; its globals (--criu) are judged"},
        {CLI_COMMAND_RESTORE, X, CL, "CRIU restores credentials, capabilities and seccomp from the image, not from config.json"},
        {CLI_COMMAND_INTERNAL, X, CL, "runc init: the runtime's own re-exec, never an engine's call"},
        {CLI_COMMAND_OTHER, H, CL, "state, list, ps, events, features, spec, help, start, kill, delete, pause, resume: no hardening to undo"},
        {CLI_COMMAND_UNKNOWN, X, CL, "not a subcommand of runc 1.1 or crun 1.8"},
};
/* clang-format on */

#undef H
#undef J
#undef X

const struct cli_flag_verdict *cliflags_flag_table(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(flag_table);
        return flag_table;
}

const struct cli_command_verdict *cliflags_command_table(size_t *ret_n)
{
        *ret_n = ELEMENTSOF(command_table);
        return command_table;
}

const struct cli_flag_verdict *cliflags_flag_verdict(enum cli_flag flag)
{
        for (size_t i = 0; i < ELEMENTSOF(flag_table); i++)
                if (flag_table[i].flag == flag)
                        return &flag_table[i];
        return NULL;
}

const struct cli_command_verdict *cliflags_command_verdict(enum cli_command command)
{
        for (size_t i = 0; i < ELEMENTSOF(command_table); i++)
                if (command_table[i].command == command)
                        return &command_table[i];
        return NULL;
}

bool cliflags_is_allowable(const char *name)
{
        if (strcmp(name, "restore") == 0)
                return true;
        for (size_t i = 0; i < ELEMENTSOF(flag_table); i++)
                if (flag_table[i].verdict == CLI_VERDICT_REFUSED &&
                    strcmp(flag_table[i].name, name) == 0)
                        return true;
        return false;
}

static bool is_allowed(const struct policy *p, const char *name)
{
        for (size_t i = 0; p->command_line.allow && p->command_line.allow[i]; i++)
                if (strcmp(p->command_line.allow[i], name) == 0)
                        return true;
        return false;
}

int cliflags_record(const struct policy *p, int owner, const char *path, const char *value,
                    const char *wanted, struct findings *out, bool *denied, struct hr_error *err)
{
        enum hr_mode mode = owner >= 0 ? p->rule_mode[owner] : p->command_line.mode;
        struct json *before = NULL, *after = NULL;
        struct finding *f;
        int r;

        if (mode == HR_MODE_OFF)
                return 0;
        before = value ? json_new_string(value) : NULL;
        after = wanted ? json_new_string(wanted) : NULL;
        r = (before || !value) && (after || !wanted)
                    ? findings_add(out, owner >= 0 ? (enum rule_id)owner : RULE_PRIVILEGED, path,
                                   before, after)
                    : -ENOMEM;
        json_free(before);
        json_free(after);
        if (r < 0)
                return error_set(err, r, "out of memory");
        f = &out->items[out->n - 1];
        f->mode = mode;
        f->command_line = owner < 0;
        /* argv is passed on unchanged, so enforce cannot fix it: it refuses like deny, and
         * audit predicts that. */
        f->action = mode == HR_MODE_AUDIT ? FINDING_WOULD_DENY : FINDING_DENIED;
        if (f->action == FINDING_DENIED)
                *denied = true;
        return 0;
}

/* One flag as seen on the command line: "/argv/--name". */
static int record_flag(const struct policy *p, const struct cli_flag_verdict *v,
                       const struct cli_seen *s, const char *wanted, struct findings *out,
                       bool *denied, struct hr_error *err)
{
        char path[96];

        snprintf(path, sizeof(path), "/argv/%s", v->name);
        return cliflags_record(p, v->owner, path, s->value ? s->value : s->word, wanted, out,
                               denied, err);
}

/* ---- file descriptors the container inherits ---- */

/* Character devices a container may hold: the memory devices every container has, and
 * terminals (a manual `runc run` in a shell hands its own). */
static bool is_harmless_chardev(dev_t rdev)
{
        unsigned ma = major(rdev), mi = minor(rdev);

        if (ma == 1)
                return mi == 3 || mi == 5 || mi == 7 || mi == 8 || mi == 9;
        return ma == 4 || ma == 5 || (ma >= 136 && ma <= 143);
}

/* Filesystems that are the host kernel's interface: a file of one (/proc/sysrq-trigger, a
 * cgroup's tasks) acts on the host from inside the container. */
static bool is_kernel_fs(long type)
{
        static const long types[] = {
                PROC_SUPER_MAGIC,   SYSFS_MAGIC,         DEBUGFS_MAGIC,    TRACEFS_MAGIC,
                CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC, SECURITYFS_MAGIC, BPF_FS_MAGIC,
                EFIVARFS_MAGIC,     NSFS_MAGIC,
        };

        for (size_t i = 0; i < ELEMENTSOF(types); i++)
                if (types[i] == type)
                        return true;
        return false;
}

static int check_fd(const struct policy *p, int fd, const char *why, struct findings *out,
                    bool *denied, struct hr_error *err)
{
        struct stat st;
        struct statfs sfs;
        char path[64], value[128];
        int owner;

        if (fstat(fd, &st) < 0)
                return 0; /* not open: nothing is passed */
        if (S_ISDIR(st.st_mode)) {
                owner = RULE_MOUNTS;
                snprintf(value, sizeof(value), "a directory (openat(fd, \"..\") reaches the host)");
        } else if (S_ISBLK(st.st_mode) ||
                   (S_ISCHR(st.st_mode) && !is_harmless_chardev(st.st_rdev))) {
                owner = RULE_DEVICES;
                snprintf(value, sizeof(value), "host device %c %u:%u",
                         S_ISBLK(st.st_mode) ? 'b' : 'c', major(st.st_rdev), minor(st.st_rdev));
        } else if (fstatfs(fd, &sfs) == 0 && is_kernel_fs((long)sfs.f_type)) {
                owner = RULE_MOUNTS;
                snprintf(value, sizeof(value), "a file of the host's kernel interface (fs 0x%lx)",
                         (unsigned long)sfs.f_type);
        } else {
                return 0;
        }
        snprintf(path, sizeof(path), "/fd/%d (%s)", fd, why);
        return cliflags_record(p, owner, path, value, "a pipe, socket, terminal or file", out,
                               denied, err);
}

/* A count as the runtime reads it: plain decimal digits (runc: Go's ParseInt, base 0; crun:
 * strtoul). Anything else is read differently by the two, so it is refused. */
static bool parse_count(const char *s, unsigned long *ret)
{
        unsigned long v = 0;

        if (!s || !*s || strlen(s) > 9)
                return false;
        for (const char *c = s; *c; c++) {
                if (*c < '0' || *c > '9')
                        return false;
                v = v * 10 + (unsigned long)(*c - '0');
        }
        *ret = v;
        return true;
}

/* LISTEN_FDS: crun adds it to --preserve-fds whenever it is set; runc only when LISTEN_PID is
 * its pid, which is ours (the runtime replaces this process). */
static unsigned long listen_fds(enum cli_dialect dialect)
{
        const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
        unsigned long n = 0, lp = 0;

        if (!parse_count(fds, &n))
                return 0;
        if (dialect == CLI_DIALECT_RUNC &&
            (!parse_count(pid, &lp) || lp != (unsigned long)getpid()))
                return 0;
        return n;
}

static int check_fds(const struct policy *p, const struct cli_args *a, struct findings *out,
                     bool *denied, struct hr_error *err)
{
        const char *preserve = cli_last_value(a, CLI_FLAG_PRESERVE_FDS);
        const struct cli_flag_verdict *v = cliflags_flag_verdict(CLI_FLAG_PRESERVE_FDS);
        unsigned long n = 0, count;
        struct dirent *e;
        DIR *dir;
        int r = 0;

        /* Without a terminal the runtime's stdio is the container's. */
        for (int fd = 0; fd < 3; fd++)
                if ((r = check_fd(p, fd, "stdio", out, denied, err)) < 0)
                        return r;
        if (preserve && !is_allowed(p, v->name) && !parse_count(preserve, &n)) {
                for (size_t i = 0; i < a->n_seen; i++)
                        if (a->seen[i].flag == CLI_FLAG_PRESERVE_FDS)
                                return record_flag(p, v, &a->seen[i], "a decimal count", out,
                                                   denied, err);
        }
        if (preserve && is_allowed(p, v->name))
                n = 0;
        count = n + listen_fds(a->dialect);
        if (count == 0)
                return 0;
        /* Only the open ones matter: list them rather than probe up to a huge count. */
        dir = opendir("/proc/self/fd");
        if (!dir)
                return error_set(err, -errno, "cannot list /proc/self/fd: %s", strerror(errno));
        while (r == 0 && (e = readdir(dir))) {
                unsigned long fd;
                if (!parse_count(e->d_name, &fd) || fd < 3 || fd - 3 >= count ||
                    (int)fd == dirfd(dir))
                        continue;
                r = check_fd(p, (int)fd, "--preserve-fds/LISTEN_FDS", out, denied, err);
        }
        closedir(dir);
        return r;
}

/* ---- flag values ---- */

static bool is_go_false(const char *v)
{
        static const char *const no[] = {"0", "f", "F", "false", "FALSE", "False"};

        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcmp(v, no[i]) == 0)
                        return true;
        return false;
}

/* A path with a ".." component: runc checks the result stays below the container's cgroup only
 * as a string prefix, crun not at all. */
static bool has_dotdot(const char *s)
{
        for (const char *c = s; *c;) {
                size_t len = strcspn(c, "/");
                if (len == 2 && c[0] == '.' && c[1] == '.')
                        return true;
                c += len;
                c += *c == '/';
        }
        return false;
}

static bool policy_limits_cgroups(const struct policy *p)
{
        const struct resources_settings *own = p->rule_settings[RULE_RESOURCES];

        return own->pids_limit > 0 || own->memory_limit > 0;
}

/* The value the policy objects to, or NULL when it is fine. */
static const char *judge_value(const struct policy *p, const struct cli_args *a,
                               const struct cli_seen *s)
{
        const char *v = s->value;

        if (s->flag == CLI_FLAG_CGROUP_MANAGER)
                return v && strcmp(v, "disabled") == 0 && policy_limits_cgroups(p)
                               ? "systemd or cgroupfs"
                               : NULL;
        if (s->flag == CLI_FLAG_ROOTLESS)
                /* runc reads "" as auto */
                return v && (is_go_false(v) || strcmp(v, "auto") == 0 || !*v) ? NULL
                                                                              : "false or auto";
        if (s->flag == CLI_FLAG_NO_NEW_PRIVS)
                /* crun's is a switch; runc's "--no-new-privs=false" clears the bit */
                return a->dialect == CLI_DIALECT_RUNC && v && is_go_false(v) ? "true" : NULL;
        if (s->flag == CLI_FLAG_CGROUP)
                return v && has_dotdot(v) ? "a path below the container's cgroup" : NULL;
        if (s->flag == CLI_FLAG_MANAGE_CGROUPS_MODE)
                return v && (strcmp(v, "full") == 0 || strcmp(v, "strict") == 0) ? "soft or ignore"
                                                                                 : NULL;
        if (s->flag == CLI_FLAG_LSM_PROFILE) {
                if (v && strncmp(v, "apparmor:", 9) == 0)
                        return lsm_apparmor_is_unconfined(v + 9) ? "a confining AppArmor profile"
                                                                 : NULL;
                if (v && strncmp(v, "selinux:", 8) == 0)
                        return lsm_selinux_label_allowed(p, v + 8) ? NULL
                                                                   : "an allowed SELinux label";
                return v && *v ? "apparmor:PROFILE or selinux:LABEL" : NULL;
        }
        return NULL;
}

int cliflags_check(const struct policy *p, const struct cli_args *a, struct findings *out,
                   bool *ret_denied, struct hr_error *err)
{
        const struct cli_command_verdict *cv = cliflags_command_verdict(a->command);
        bool denied = false;
        char path[96];
        int r;

        if (cv && cv->verdict == CLI_VERDICT_REFUSED &&
            !(a->command == CLI_COMMAND_RESTORE && is_allowed(p, "restore"))) {
                snprintf(path, sizeof(path), "/argv/%s", a->command_name ? a->command_name : "");
                if ((r = cliflags_record(p, CL, path, a->command_name, NULL, out, &denied, err)) <
                    0)
                        return r;
        }
        for (size_t i = 0; i < a->n_seen; i++) {
                const struct cli_seen *s = &a->seen[i];
                const struct cli_flag_verdict *v = cliflags_flag_verdict(s->flag);
                const char *wanted;

                if (!v) {
                        /* Unknown to the modelled runtime: it may take a value, so what follows
                         * cannot be read for sure either. */
                        snprintf(path, sizeof(path), "/argv/%s", s->word);
                        r = cliflags_record(p, CL, path, s->word, NULL, out, &denied, err);
                } else if (v->verdict == CLI_VERDICT_REFUSED) {
                        r = is_allowed(p, v->name) ? 0
                                                   : record_flag(p, v, s, NULL, out, &denied, err);
                } else if (v->verdict == CLI_VERDICT_JUDGED && (wanted = judge_value(p, a, s))) {
                        r = record_flag(p, v, s, wanted, out, &denied, err);
                } else {
                        r = 0;
                }
                if (r < 0)
                        return r;
        }
        if (cli_command_reads_spec(a->command) && (r = check_fds(p, a, out, &denied, err)) < 0)
                return r;
        *ret_denied = denied;
        return 0;
}

int cliflags_refuse(const struct cli_args *a, const struct findings *found, const char *hint,
                    struct hr_error *err)
{
        const char *what = a->command_name ? a->command_name : "call";
        const struct finding *f = NULL;
        const char *name, *reason = NULL;
        char before[96], after[96], shown[200];

        for (size_t i = 0; i < found->n && !f; i++)
                if (found->items[i].action == FINDING_DENIED)
                        f = &found->items[i];
        if (!f)
                return error_set(err, -EPERM, "%s: refused", what);
        name = strncmp(f->path, "/argv/", 6) == 0 ? f->path + 6 : f->path;
        for (size_t i = 0; i < ELEMENTSOF(flag_table) && !reason; i++)
                if (strcmp(flag_table[i].name, name) == 0)
                        reason = flag_table[i].reason;
        if (!reason && a->command_name && strcmp(name, a->command_name) == 0) {
                const struct cli_command_verdict *cv = cliflags_command_verdict(a->command);
                reason = cv ? cv->reason : NULL;
        }
        json_render(f->before, "(absent)", 80, before, sizeof(before));
        /* A switch shows as its name only; a value as "--flag value". */
        if (f->before && f->before->type == JSON_STRING &&
            strcmp(f->before->scalar.text, name) == 0)
                snprintf(shown, sizeof(shown), "'%s'", name);
        else
                snprintf(shown, sizeof(shown), "'%s' %s", name, before);
        if (f->after)
                json_render(f->after, "(absent)", 80, after, sizeof(after));
        return error_set(err, -EPERM,
                         "%s: %s is not allowed by %s '%s'%s%s%s%s%s; refusing the %s (hardrun "
                         "never rewrites arguments: %s)",
                         what, shown, f->command_line ? "policy section" : "rule",
                         f->command_line ? "command_line" : rule_id_to_string(f->rule),
                         reason ? " (" : "", reason ? reason : "", reason ? ")" : "",
                         f->after ? ", policy needs " : "", f->after ? after : "", what,
                         hint ? hint : "drop it, or ask the admins to allow it");
}
