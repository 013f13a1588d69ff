/* sysctls: only the namespaced sysctls PSS baseline calls safe, and no value that smuggles a
 * second key=value pair in (cr8escape, CVE-2022-0811: CRI-O handed "a=b+c=d" to pinns, which
 * split it into two writes). */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "rules/helpers.h"
#include "rules/terms.h"
#include "util/cleanup.h"

/* PSS baseline "Sysctls": the namespaced ones that cannot affect the host or other pods. */
static const char *const default_sysctls_allow[] = {
        "kernel.shm_rmid_forced",
        "net.ipv4.ip_local_port_range",
        "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.tcp_syncookies",
        "net.ipv4.ping_group_range",
        "net.ipv4.ip_local_reserved_ports",
        "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout",
        "net.ipv4.tcp_keepalive_intvl",
        "net.ipv4.tcp_keepalive_probes",
        "net.ipv4.tcp_rmem",
        "net.ipv4.tcp_wmem",
        "net.ipv4.tcp_slow_start_after_idle",
        "net.ipv4.tcp_notsent_lowat",
        NULL,
};

struct sysctls_settings {
        char **allow; /* NULL: the PSS safe set */
};

static const struct setting settings[] = {
        {"allow", &setting_strv, offsetof(struct sysctls_settings, allow),
         .builtin = default_sysctls_allow,
         .description = "sysctl names kept, exact; the list replaces the PSS baseline set "
                        "(which includes the two Docker sets in a private network namespace)"},
};

static const struct sysctls_settings defaults = {0};

#define SYSCTL_NAME_MAX 256

/* A name in the dotted form runc and kubelet compare: a name whose first separator is '/'
 * ("net/ipv4/conf/eth0.100/rp_filter") has '.' and '/' swapped, so the interface "eth0.100"
 * stays one component ("net.ipv4.conf.eth0/100.rp_filter"). False when the name is too long
 * to be one the list holds. */
static bool normalize_name(const char *name, size_t len, char *buf, size_t size)
{
        size_t sep = strcspn(name, "./");
        bool swap = sep < len && name[sep] == '/';

        if (len >= size)
                return false;
        for (size_t i = 0; i < len; i++)
                buf[i] = !swap ? name[i] : name[i] == '.' ? '/' : name[i] == '/' ? '.' : name[i];
        buf[len] = '\0';
        return true;
}

static bool is_allowed(const struct sysctls_settings *own, const char *key, size_t len)
{
        char name[SYSCTL_NAME_MAX], allowed[SYSCTL_NAME_MAX];

        if (!normalize_name(key, len, name, sizeof(name)))
                return false;
        for (const char *const *a = settings_strv_or(own->allow, default_sysctls_allow); *a; a++)
                if (normalize_name(*a, strlen(*a), allowed, sizeof(allowed)) &&
                    strcmp(name, allowed) == 0)
                        return true;
        return false;
}

static int apply_sysctls(struct rule_ctx *ctx, struct json *doc, struct hr_error *err)
{
        struct json *linux_obj, *sysctl;
        char path[RULE_PATH_MAX];
        int r;

        r = rule_field(ctx, doc, "", "linux", JSON_OBJECT, false, &linux_obj, err);
        if (r <= 0)
                return r;
        /* A Go map: its keys are matched exactly (harden.c parses it so). */
        r = rule_field(ctx, linux_obj, "/linux", "sysctl", JSON_OBJECT, false, &sysctl, err);
        if (r <= 0)
                return r;
        /* Every value is checked before anything is dropped: runc fails on a non-string. */
        for (size_t i = 0; i < sysctl->object.n; i++) {
                const struct json_member *m = &sysctl->object.members[i];
                if (m->value->type != JSON_STRING) {
                        rule_member_path("/linux/sysctl", m->key, path, sizeof(path));
                        return rule_fail(ctx, path, err, "expected string, got %s",
                                         json_type_name(m->value->type));
                }
        }
        for (size_t i = sysctl->object.n; i-- > 0;) {
                const struct json_member *m = &sysctl->object.members[i];
                const struct json *v = m->value;

                if (is_allowed(ctx->settings, m->key, m->key_len) &&
                    !memchr(v->scalar.text, '+', v->scalar.len) &&
                    !memchr(v->scalar.text, '=', v->scalar.len))
                        continue;
                rule_member_path("/linux/sysctl", m->key, path, sizeof(path));
                if ((r = rule_record(ctx, path, v, NULL, err)) < 0)
                        return r;
                if ((r = json_object_remove_at(sysctl, i)) < 0)
                        return error_set(err, r, "out of memory");
        }
        return 0;
}

static const char *const owns[] = {"/linux/sysctl", NULL};

/* What `hardrunctl policy explain` says about the rule. */
static const struct ruledoc doc = {
        .rule = "sysctls",
        .summary = "only the sysctls Pod Security calls safe, with plain values",
        .enforce = "linux.sysctl keys outside the allow list are dropped, and so is any "
                   "value containing '+' or '=', which CRI-O's pinns split into a second "
                   "write (cr8escape, CVE-2022-0811). Names compare exactly, with '/' "
                   "separators read as runc reads them (net/ipv4/ip_forward is "
                   "net.ipv4.ip_forward). A value that is not a string is an error.",
        .deny = "a sysctl outside the allow list, or a value containing '+' or '='",
        .spec = "linux.sysctl",
        .cis = "none (the benchmark has no sysctl control)",
        .pss = "baseline: Sysctls (kernel.shm_rmid_forced and the net.ipv4 "
               "port range, unprivileged port start, syncookies, ping group range, "
               "reserved ports, keepalive, fin timeout, rmem/wmem, slow start after idle "
               "and notsent_lowat sysctls)",
};

static bool engine_term_sysctls(const struct finding *f, const struct json *spec, bool cli,
                                char *buf, size_t size)
{
        (void)f;
        (void)spec;
        return term_words(cli, "--sysctl", "securityContext.sysctls", buf, size);
}

const struct rule rule_sysctls = {
        .id = RULE_SYSCTLS,
        .name = "sysctls",
        .owns = owns,
        .for_process = false,
        .settings = settings,
        .n_settings = ELEMENTSOF(settings),
        .settings_size = sizeof(struct sysctls_settings),
        .defaults = &defaults,
        .apply = apply_sysctls,
        .engine_term = engine_term_sysctls,
        .doc = &doc,
};
