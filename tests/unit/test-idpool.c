/* idpool: ranges never shared while held, freed once the container is gone, every leftover of a
 * killed create collected, mounts detached. Root only (ownership, mounts): runs in a private
 * mount namespace on a state directory of its own. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "idpool.h"
#include "tap.h"

static char base[] = "/tmp/hr-idpool.XXXXXX";
static char state[PATH_MAX], rt_root[PATH_MAX];

static const struct idpool_config pool = {
        .host_uid = 3000000000u,
        .host_gid = 3000000000u,
        .size = 65536,
        .ranges = 3,
        .per_container = true,
};

static bool exists(const char *dir, const char *name)
{
        char path[PATH_MAX * 2];
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        return lstat(path, &st) == 0;
}

static int entries(void)
{
        char cmd[PATH_MAX + 64];
        FILE *f;
        int n = -1;

        snprintf(cmd, sizeof(cmd), "ls -A '%s' | grep -c '^c-'", state);
        f = popen(cmd, "r");
        if (f && fscanf(f, "%d", &n) != 1)
                n = -1;
        if (f)
                pclose(f);
        return n;
}

static bool mounted_below(const char *dir)
{
        char cmd[PATH_MAX + 64];

        snprintf(cmd, sizeof(cmd), "grep -q ' %s/' /proc/self/mountinfo", dir);
        return system(cmd) == 0;
}

/* A create in another process: it takes a range for id and reports it, then (like the
 * runtime's create) keeps running until told to go, leaving the runtime's state directory
 * behind when keep_state. */
struct child {
        pid_t pid;
        int go; /* write end: closing it lets the child exit */
        unsigned host;
        int r;
};

static struct child spawn(const char *id, bool keep_state, const struct idpool_config *cfg)
{
        int res[2], go[2];
        struct child c = {.pid = -1, .go = -1};

        if (pipe2(res, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
                return c;
        c.pid = fork();
        if (c.pid == 0) {
                struct idpool_entry e = IDPOOL_ENTRY_INIT;
                struct hr_error err = {0};
                char buf[64], path[PATH_MAX * 2];
                int r = idpool_acquire(state, cfg, rt_root, id, &e, &err);
                if (r == 0 && keep_state) {
                        snprintf(path, sizeof(path), "%s/%s", rt_root, id);
                        (void)mkdir(path, 0700);
                }
                snprintf(buf, sizeof(buf), "%d %u\n", r, r == 0 ? e.uids.host : 0);
                (void)!write(res[1], buf, strlen(buf));
                (void)!read(go[0], buf, 1);
                _exit(0);
        }
        close(res[1]);
        close(go[0]);
        {
                char buf[64] = {0};
                (void)!read(res[0], buf, sizeof(buf) - 1);
                if (sscanf(buf, "%d %u", &c.r, &c.host) != 2)
                        c.r = -999;
        }
        close(res[0]);
        c.go = go[1];
        return c;
}

/* Killed, as a create can be at any moment. */
static void finish(struct child *c)
{
        if (c->go >= 0)
                close(c->go);
        if (c->pid > 0) {
                kill(c->pid, SIGKILL);
                waitpid(c->pid, NULL, 0);
        }
        c->go = c->pid = -1;
}

int main(void)
{
        struct idpool_entry e = IDPOOL_ENTRY_INIT;
        struct hr_error err = {0};
        struct child a, b, c, d;
        struct stat st;
        char path[PATH_MAX * 2];
        int r;

        if (geteuid() != 0) {
                printf("1..0 # SKIP needs root (ownership of state directories, mounts)\n");
                return 0;
        }
        if (unshare(CLONE_NEWNS) < 0 || mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
            !mkdtemp(base)) {
                printf("Bail out! cannot set up a private mount namespace: %s\n", strerror(errno));
                return 1;
        }
        snprintf(state, sizeof(state), "%s/userns", base);
        snprintf(rt_root, sizeof(rt_root), "%s/runtime", base);
        mkdir(rt_root, 0700);

        /* 1. Concurrent holders get different ranges; the directory is the range's. */
        a = spawn("a", false, &pool);
        b = spawn("b", false, &pool);
        is_int(a.r, 0, "first create takes a range");
        is_int(b.r, 0, "second create takes a range");
        ok(a.host != b.host && (a.host == 3000000000u || a.host == 3000065536u) &&
                   (b.host == 3000000000u || b.host == 3000065536u),
           "two live containers get two ranges (%u, %u)", a.host, b.host);
        snprintf(path, sizeof(path), "%s", state);
        ok(stat(path, &st) == 0 && st.st_uid == 0 && (st.st_mode & 07777) == 0711,
           "state directory is root's, 0711");
        is_int(entries(), 2, "one directory per container");
        {
                char cmd[PATH_MAX + 128];
                snprintf(cmd, sizeof(cmd), "stat -c '%%a %%u %%g' %s/c-* | grep -qx '710 0 %u'",
                         state, a.host);
                ok(system(cmd) == 0, "a container's directory is root:<its first gid> 0710");
        }

        /* 2. The same container twice is refused while it lives. */
        c = spawn("a", false, &pool);
        is_int(c.r, -EEXIST, "a second create of a live container is refused");
        finish(&c);

        /* 3. Pool exhausted. */
        c = spawn("c", false, &pool);
        d = spawn("d", false, &pool);
        is_int(c.r, 0, "third range taken");
        is_int(d.r, -ENOSPC, "no fourth range in a pool of three");
        finish(&d);

        /* 4. A create that ended without the runtime keeping state: collected, range reused. */
        finish(&a);
        d = spawn("d", false, &pool);
        is_int(d.r, 0, "once a container is gone its range is free again");
        is_int(d.host, a.host, "and handed out again (%u)", d.host);
        finish(&d);
        finish(&c);

        /* 5. The runtime's state directory keeps a container live after its create exited. */
        finish(&b);
        c = spawn("kept", true, &pool);
        finish(&c);
        r = idpool_collect(state, &err);
        ok(r >= 0, "collect succeeds");
        ok(exists(rt_root, "kept") && entries() == 1,
           "a container the runtime still knows stays (%d entries)", entries());
        snprintf(path, sizeof(path), "%s/kept", rt_root);
        rmdir(path);
        r = idpool_collect(state, &err);
        is_int(entries(), 0, "after the runtime's delete it is collected");

        /* 6. Leftovers of a killed create: a half-made directory, one without owner. */
        snprintf(path, sizeof(path), "%s/.new-999999999-1", state);
        mkdir(path, 0700);
        snprintf(path, sizeof(path), "%s/c-0000000000000000", state);
        mkdir(path, 0700);
        r = idpool_collect(state, &err);
        ok(!exists(state, ".new-999999999-1") && !exists(state, "c-0000000000000000"),
           "half-made and owner-less directories are collected");

        /* 7. An earlier boot's directory is dead whatever the runtime's state says. */
        c = spawn("reboot", true, &pool);
        finish(&c);
        snprintf(path, sizeof(path),
                 "sed -i 's/^boot .*/boot 00000000-0000-0000-0000-000000000000/' %s/c-*/owner",
                 state);
        ok(system(path) == 0, "the directory's owner file says another boot");
        r = idpool_collect(state, &err);
        is_int(entries(), 0, "a directory from another boot is collected");
        snprintf(path, sizeof(path), "%s/reboot", rt_root);
        rmdir(path);

        /* 8. Mounts: detached on delete while live, and when a dead directory is collected. */
        r = idpool_acquire(state, &pool, rt_root, "m", &e, &err);
        is_int(r, 0, "acquire in this process");
        if (r == 0) {
                snprintf(path, sizeof(path), "%s/rootfs", e.path);
                mkdir(path, 0700);
                ok(mount("t", path, "tmpfs", 0, "size=64k") == 0, "a mount in the directory");
                snprintf(path, sizeof(path), "%s/m3", e.path);
                mkdir(path, 0700);
                ok(mount("t", path, "tmpfs", 0, "size=64k") == 0 &&
                           mount("t", path, "tmpfs", 0, "size=64k") == 0,
                   "two mounts stacked on another");
                ok(mounted_below(e.path), "mounted");
                r = idpool_on_delete(state, rt_root, "m", &err);
                ok(r == 0 && !mounted_below(e.path), "delete detaches every mount at once");
                ok(stat(e.path, &st) == 0,
                   "the directory stays while its creator (this process) runs");
                snprintf(path, sizeof(path), "%s/rootfs", e.path);
                (void)mount("t", path, "tmpfs", 0, "size=64k");
                idpool_abandon(state, &e);
                ok(!mounted_below(e.path) && stat(e.path, &st) < 0, "abandon detaches and removes");
        }

        /* 9. Shared allocation: one range for all, never refused for being held. */
        {
                struct idpool_config shared = pool;
                shared.per_container = false;
                a = spawn("s1", false, &shared);
                b = spawn("s2", false, &shared);
                ok(a.r == 0 && b.r == 0 && a.host == b.host && a.host == 3000000000u,
                   "shared: both get the first range");
                finish(&a);
                finish(&b);
        }

        /* 10. Host users: a pool over /etc/passwd's nobody (65534) is refused. */
        {
                struct idpool_config nobody = {.host_uid = 65000,
                                               .host_gid = 3000000000u,
                                               .size = 1000,
                                               .ranges = 1,
                                               .per_container = true};
                struct idpool_config subid = pool;
                subid.subid_user = "hardrun-test-no-such-user";
                a = spawn("n", false, &nobody);
                is_int(a.r, -EADDRINUSE, "a range holding a user of /etc/passwd is refused");
                finish(&a);
                a = spawn("n", false, &subid);
                is_int(a.r, -ERANGE, "with subid_user the range must lie in its /etc/subuid range");
                finish(&a);
        }

        /* 11. Creates racing each other: started together, all different ranges. */
        {
                struct idpool_config big = pool;
                int start[2], res[2], n_ok = 0, dup = 0;
                unsigned seen[12];
                pid_t pids[12];
                big.ranges = 16;
                if (pipe(start) < 0 || pipe(res) < 0)
                        return 1;
                for (int i = 0; i < 12; i++) {
                        pids[i] = fork();
                        if (pids[i] == 0) {
                                struct idpool_entry ce = IDPOOL_ENTRY_INIT;
                                struct hr_error cerr = {0};
                                char id[16], go;
                                unsigned host = 0;
                                close(start[1]);
                                (void)!read(start[0], &go, 1); /* released all at once */
                                snprintf(id, sizeof(id), "race%d", i);
                                if (idpool_acquire(state, &big, rt_root, id, &ce, &cerr) == 0)
                                        host = ce.uids.host;
                                (void)!write(res[1], &host, sizeof(host));
                                pause();
                                _exit(0);
                        }
                }
                close(start[0]);
                close(start[1]);
                for (int i = 0; i < 12; i++) {
                        if (read(res[0], &seen[i], sizeof(seen[i])) != sizeof(seen[i]))
                                seen[i] = 0;
                        n_ok += seen[i] != 0;
                        for (int k = 0; k < i; k++)
                                dup += seen[i] && seen[i] == seen[k];
                }
                is_int(n_ok, 12, "12 racing creates all get a range");
                is_int(dup, 0, "no range handed out twice");
                for (int i = 0; i < 12; i++) {
                        kill(pids[i], SIGKILL);
                        waitpid(pids[i], NULL, 0);
                }
                close(res[0]);
                close(res[1]);
                (void)idpool_collect(state, &err);
                is_int(entries(), 0, "all collected once their creates are killed");
        }

        /* 12. Invalid pools. */
        {
                struct idpool_config zero = pool;
                zero.host_uid = 0;
                ok(idpool_config_check(&zero, &err) < 0, "a pool from host id 0 is refused");
                zero = pool;
                zero.ranges = 20000;
                ok(idpool_config_check(&zero, &err) < 0, "a pool past 4294967293 is refused");
        }

        snprintf(path, sizeof(path), "rm -rf --one-file-system '%s'", base);
        (void)!system(path);
        return tap_done();
}
