/* Orchestrates one invocation. Pass-through subcommands never touch a spec file or a log; spec
 * readers are hardened, and any error before the exec ends the call with one line and no exec. */
#include "shim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "bounds.h"
#include "cli.h"
#include "cliflags.h"
#include "execproc.h"
#include "devnull.h"
#include "execflags.h"
#include "harden.h"
#include "idmap-spec.h"
#include "json.h"
#include "lastgood.h"
#include "log.h"
#include "policy.h"
#include "refusal.h"
#include "runtime.h"
#include "specfile.h"
#include "update.h"
#include "util/cleanup.h"
#include "util/prefault.h"

static void spec_file_donep(struct spec_file *f)
{
        spec_file_done(f);
}

static void harden_result_donep(struct harden_result *r)
{
        harden_result_done(r);
}

/* The spec file the subcommand will read: crun's --config is relative to the caller's cwd, the
 * default is config.json in the bundle (the cwd when no --bundle). */
static int spec_path(const struct cli_args *a, char *buf, size_t size, struct hr_error *err)
{
        int n;

        if (a->command == CLI_COMMAND_EXEC)
                n = snprintf(buf, size, "%s", a->process);
        else if (a->config)
                n = snprintf(buf, size, "%s", a->config);
        else
                n = snprintf(buf, size, "%s/config.json",
                             a->bundle && *a->bundle ? a->bundle : ".");
        if (n < 0 || (size_t)n >= size)
                return error_set(err, -ENAMETOOLONG, "spec path too long");
        return 0;
}

/* The message for the workload's owner: every refusal, in the engine's terms where the engine
 * is known. The engine is recognised in the spec as it wrote it (enforce may have dropped
 * annotations from the judged copy); the findings point into the judged copy. */
static int refuse(const struct policy *p, const struct spec_file *f, enum spec_kind kind,
                  const char *bundle, const struct json *judged, const struct findings *found,
                  struct hr_error *err)
{
        _cleanup_(json_freep) struct json *spec = NULL;
        struct hr_error parse_err = {0};
        struct refusal r = {
                .file = f->display,
                .what = kind == SPEC_PROCESS ? "exec" : "container",
                .contact = p->messages.contact,
        };

        if (kind == SPEC_CONFIG &&
            json_parse(f->data, f->len, harden_spec_limits(kind), &spec, &parse_err) == 0) {
                r.spec = judged;
                r.engine = engine_from_spec(spec, bundle);
        }
        err->code = -EPERM;
        refusal_format(&r, found, err->msg, sizeof(err->msg));
        return err->code;
}

static void idmap_spec_abortp(struct idmap_spec *st)
{
        idmap_spec_abort(st);
}

/* The user namespace rule user_namespace added gets its id range and ID-mapped mounts; given
 * back (by the cleanup) unless the spec pointing at them is written. */
static int prepare_userns(struct policy *p, const struct cli_args *a, enum cli_dialect dialect,
                          const struct spec_file *f, struct json *doc, struct harden_result *result,
                          struct idmap_spec *st, struct hr_error *err)
{
        char root[PATH_MAX];
        struct idmap_spec_target t = {
                .bundle = a->bundle && *a->bundle ? a->bundle : ".",
                .runtime_root = root,
                .container_id = a->container_id,
                .restore = a->command == CLI_COMMAND_RESTORE,
        };
        bool changed;
        int r;

        if ((r = idmap_spec_runtime_root(a->root, dialect, root, sizeof(root))) < 0)
                return error_set(err, r, "--root '%s': %s", a->root, strerror(-r));
        if ((r = idmap_spec_prepare(p, &t, doc, &result->findings, &changed, st, err)) < 0)
                return error_prefix(err, "%s: ", f->display);
        result->changed |= changed;
        return 0;
}

static int harden(struct policy *p, const struct cli_args *a, enum cli_dialect dialect,
                  struct hr_error *err)
{
        _cleanup_(spec_file_donep) struct spec_file f = SPEC_FILE_INIT;
        _cleanup_(harden_result_donep) struct harden_result result = {{0}};
        _cleanup_(json_freep) struct json *doc = NULL;
        _cleanup_(json_text_free) struct json_text out = {.huge = true};
        _cleanup_free_ char *bundle = NULL;
        _cleanup_(json_freep) struct json *workload = NULL;
        _cleanup_(idmap_spec_abortp) struct idmap_spec prepared = IDMAP_SPEC_INIT;
        struct idmap_range uids, gids;
        struct audit_context ctx;
        bool remapped;
        enum spec_kind kind = a->command == CLI_COMMAND_EXEC ? SPEC_PROCESS : SPEC_CONFIG;
        const struct json_limits *limits = harden_spec_limits(kind);
        char path[PATH_MAX];
        int r, audit_r, own_fd;

        /* A judged start touches most of .bss (the rules' tables and caches) and goes deep
         * down the stack (a bind source resolved under the rootfs, some 150 KiB): both in
         * place in one call each (util/prefault.h). The stack is populated as far as the
         * kernel has mapped it below this frame; a call that reads no spec uses a few pages
         * of it and populates none. */
        (void)prefault_bss();
        (void)prefault_stack(128 * 1024);
        if ((r = spec_path(a, path, sizeof(path), err)) < 0)
                return r;
        /* Audit mode too: a spec we cannot read is a spec we cannot vouch for. An exec process
         * file can be one of our descriptors (`exec -p <(...)`, a pipe read only once). */
        own_fd = kind == SPEC_PROCESS ? spec_own_fd(path) : -1;
        r = own_fd >= 0 ? spec_file_read_own_fd(path, own_fd, limits->max_bytes, &f, err)
                        : spec_file_read(path, limits->max_bytes, &f, err);
        if (r < 0)
                return r;
        if ((r = json_parse(f.data, f.len, limits, &doc, err)) < 0)
                return error_prefix(err, "%s: ", f.display);
        /* An exec into a container in a user namespace of hardrun's is judged as inside it;
         * runc and crun resolve a relative root.path and bind source from the bundle. */
        remapped = kind == SPEC_PROCESS &&
                   idmap_spec_in_userns(a->root, dialect, a->container_id, &uids, &gids);
        if (remapped)
                r = harden_exec_remapped(p, f.display, a->container_id, doc, &result, err);
        else
                r = harden_container(p, kind, f.display, a->container_id, a->bundle, doc, &result,
                                     err);
        if (r < 0)
                return r;

        /* The audit record names the bundle as an absolute path, whatever the engine gave. */
        if (kind == SPEC_CONFIG) {
                bundle = realpath(a->bundle && *a->bundle ? a->bundle : ".", NULL);
                workload = audit_workload_from_spec(doc);
        }
        ctx = (struct audit_context){a->container_id, bundle, f.display, a->command_name, workload};

        if (result.denied) {
                /* Nothing is rewritten: the enforce rules' changes did not happen either. */
                for (size_t i = 0; i < result.findings.n; i++)
                        if (result.findings.items[i].action == FINDING_CHANGED)
                                result.findings.items[i].action = FINDING_WOULD_CHANGE;
                /* The record of a refusal matters more than the refusal's own message. */
                struct hr_error audit_err = {0};
                (void)audit_write(p, &ctx, &result.findings, &audit_err);
                return refuse(p, &f, kind, bundle, doc, &result.findings, err);
        }
        if (kind == SPEC_CONFIG &&
            (r = prepare_userns(p, a, dialect, &f, doc, &result, &prepared, err)) < 0)
                return r;
        /* The record comes first: were the file rewritten before a failed audit write, a
         * retry would find nothing to change and start the container unrecorded. */
        audit_r = audit_write(p, &ctx, &result.findings, err);
        if (audit_r < 0 && p->audit.fail_on_error)
                return audit_r;
        /* on_error "continue": the container starts; the engine's log says what was lost. */
        if (audit_r < 0) {
                log_warning(a, err->msg);
                error_release(err);
        }
        if (result.changed) {
                /* The rewrite is about as long as what was read, and the built-in seccomp
                 * profile. */
                (void)json_text_reserve(&out, f.len + f.len / 8 + 32 * 1024);
                if ((r = json_write_text(doc, &out, err)) < 0)
                        return error_prefix(err, "%s: ", f.display);
                if ((r = spec_file_replace(&f, out.buf, out.len, err)) < 0)
                        return r;
        } else if (f.own_fd >= 0 && (r = spec_file_replace(&f, f.data, f.len, err)) < 0) {
                /* The drained pipe is empty now: the runtime reads what was judged instead. */
                return r;
        }
        /* From here on the range and mounts are the container's. */
        idpool_entry_done(&prepared.entry);
        if (remapped)
                idmap_spec_chown_stdio(&uids, &gids);
        /* The runtime replaces this process image next: freeing the document and findings
         * would only cost time (about a tenth of hardrun's instructions). */
        (void)TAKE_PTR(doc);
        out = (struct json_text){0};
        result = (struct harden_result){{0}};
        return 0;
}

/* Inline exec flags: refused where the policy would change them, recorded in audit mode. */
static int check_exec_flags(struct policy *p, const struct cli_args *a, struct hr_error *err)
{
        _cleanup_(harden_result_donep) struct harden_result result = {{0}};
        const struct audit_context ctx = {a->container_id, NULL, "argv", a->command_name, NULL};
        bool denied = false;
        int r;

        r = execflags_check(p, a->container_id, &a->exec, &result.findings, &denied, err);
        if (r < 0 || result.findings.n == 0)
                return r;
        r = audit_write(p, &ctx, &result.findings, err);
        if (denied) {
                const struct finding *f = NULL;
                for (size_t i = 0; i < result.findings.n && !f; i++)
                        if (result.findings.items[i].action == FINDING_DENIED)
                                f = &result.findings.items[i];
                (void)error_set(err, -EPERM,
                                "exec: '%s %s' is not allowed by rule '%s'; refusing the exec "
                                "(hardrun never rewrites arguments: give a --process file or "
                                "permitted values)",
                                f->path + strlen("/argv/"), f->before->scalar.text,
                                rule_id_to_string(f->rule));
                refusal_append_contact(p->messages.contact, err->msg, sizeof(err->msg));
                return err->code;
        }
        if (r < 0 && p->audit.fail_on_error)
                return r;
        if (r < 0) {
                log_warning(a, err->msg);
                error_release(err);
        }
        return 0;
}

/* Records a command-line judgement; refuses when a finding is DENIED. The refusal names the
 * flag (or file field) and the rule. */
static int settle(struct policy *p, const struct cli_args *a, const char *file,
                  struct findings *found, bool denied, const char *hint, struct hr_error *err)
{
        const struct audit_context ctx = {a->container_id, NULL, file, a->command_name, NULL};
        int r;

        if (found->n == 0)
                return 0;
        r = audit_write(p, &ctx, found, err);
        if (denied) {
                error_release(err);
                r = cliflags_refuse(a, found, hint, err);
                if (strcmp(file, "argv") != 0)
                        r = error_prefix(err, "%s: ", file);
                refusal_append_contact(p->messages.contact, err->msg, sizeof(err->msg));
                return r;
        }
        if (r < 0 && p->audit.fail_on_error)
                return r;
        if (r < 0) {
                log_warning(a, err->msg);
                error_release(err);
        }
        return 0;
}

/* An exec without --process: the process the runtime will build, judged whole. */
static int check_exec_process(struct policy *p, const struct cli_args *a, int argc,
                              char *const *argv, struct hr_error *err)
{
        _cleanup_(harden_result_donep) struct harden_result result = {{0}};
        _cleanup_free_ char *file = NULL;
        const char *hint = a->dialect == CLI_DIALECT_CRUN
                                   ? "crun runs an exec without --user as uid 0 and without "
                                     "--no-new-privs with no_new_privs off: pass --user UID:GID "
                                     "--no-new-privs, or a --process file"
                                   : "runc builds this process from the bundle's config.json "
                                     "as it is now: give a --process file";
        struct idmap_range uids, gids;
        bool remapped = idmap_spec_in_userns(a->root, a->dialect, a->container_id, &uids, &gids);
        int r;

        if ((r = execproc_check(p, a, remapped, argc, argv, &result, &file, err)) < 0 ||
            (r = settle(p, a, file, &result.findings, result.denied, hint, err)) < 0)
                return r;
        if (remapped)
                idmap_spec_chown_stdio(&uids, &gids);
        return 0;
}

static int check_command_line(struct policy *p, const struct cli_args *a, int argc,
                              char *const *argv, struct hr_error *err)
{
        _cleanup_(harden_result_donep) struct harden_result flags = {{0}};
        _cleanup_(harden_result_donep) struct harden_result update = {{0}};
        const char *file = "argv";
        bool denied = false;
        int r;

        if ((r = cliflags_check(p, a, &flags.findings, &denied, err)) < 0 ||
            (r = settle(p, a, "argv", &flags.findings, denied, NULL, err)) < 0)
                return r;
        if (a->command == CLI_COMMAND_EXEC) {
                if ((r = check_exec_flags(p, a, err)) < 0)
                        return r;
                if (!a->process && (r = check_exec_process(p, a, argc, argv, err)) < 0)
                        return r;
        }
        if (a->command == CLI_COMMAND_UPDATE) {
                denied = false;
                if ((r = update_check(p, a, &update.findings, &denied, &file, err)) < 0)
                        return r;
                return settle(p, a, file, &update.findings, denied,
                              "'docker update' and engines cannot lift the policy's limits", err);
        }
        return 0;
}

/* A delete also ends what hardrun prepared for the container (its ID-mapped mounts; its id
 * range once the runtime has forgotten it). Needs no policy, and nothing it meets stops the
 * delete. */
static void on_delete(const struct cli_args *a, int argc, char **argv, enum cli_dialect dialect)
{
        struct hr_error err = {0};

        if (idmap_spec_on_delete(argc, argv, a->command_index, a->root, dialect, &err) < 0) {
                log_warning(a, err.msg);
                error_release(&err);
        }
}

/* The policy file is broken and something else stands in: said on every judged call, in the
 * engine's log (or on stderr) and in the audit log, until an admin fixes the file. */
static void report_policy_problem(const struct policy *p, const struct cli_args *a,
                                  const struct hr_error *problem)
{
        struct hr_error err = {0};

        log_error(a, problem->msg);
        (void)audit_write_event(
                p, &(struct audit_context){a->container_id, NULL, NULL, a->command_name, NULL},
                AUDIT_EVENT_POLICY_ERROR, problem->msg, &err);
}

/* The kill switch: nothing judged, nothing changed, one record that says so. */
static void record_policy_off(const struct policy *p, const struct cli_args *a)
{
        _cleanup_free_ char *bundle = NULL;
        struct hr_error err = {0};
        char msg[PATH_MAX + 128];

        if (cli_command_reads_spec(a->command) && a->command != CLI_COMMAND_EXEC)
                bundle = realpath(a->bundle && *a->bundle ? a->bundle : ".", NULL);
        snprintf(msg, sizeof(msg),
                 "%s: mode is off: the %s passes to the runtime unjudged and unchanged", p->source,
                 a->command_name ? a->command_name : "call");
        if (audit_write_event(
                    p,
                    &(struct audit_context){a->container_id, bundle, NULL, a->command_name, NULL},
                    AUDIT_EVENT_POLICY_OFF, msg, &err) < 0)
                log_warning(a, err.msg);
}

int shim_main(int argc, char **argv, const char *policy_path, const char *lastgood_dir)
{
        _cleanup_(policy_freep) struct policy *p = NULL;
        _cleanup_(lastgood_text_release) struct lastgood_text text = {0};
        /* Emptied, not zeroed: 8 KiB each, on every call that passes through. */
        struct hr_error err, problem, seccomp_problem;
        enum policy_origin origin;
        struct cli_args args;
        struct runtime rt;
        int r;

        error_release(&err);
        error_release(&problem);
        error_release(&seccomp_problem);

        /* A first look in runc's grammar finds --log/--log-format for error reporting; the
         * runtime's own grammar is applied once the policy has named the runtime. */
        (void)cli_parse(argc, argv, CLI_DIALECT_RUNC, &args, &err);
        error_release(&err);

        /* Pass-through needs only the runtime; the rules are read when a call is judged. A
         * broken policy file must not stop kill or delete: the stand-in names the runtime. */
        if ((r = lastgood_policy_load_text(policy_path, lastgood_dir, false, &text, &p, &origin,
                                           &problem, &err)) < 0 ||
            (r = runtime_resolve(p, &rt, &err)) < 0 ||
            (r = cli_parse(argc, argv, rt.dialect, &args, &err)) < 0)
                goto fail;

        if (cli_command_is_judged(args.command) && !args.runtime_refuses) {
                bool reads_spec = cli_command_reads_spec(args.command) &&
                                  (args.command != CLI_COMMAND_EXEC || args.process);
                p = policy_free(p);
                if ((r = lastgood_policy_load_text(policy_path, lastgood_dir, true, &text, &p,
                                                   &origin, &problem, &err)) < 0)
                        goto fail;
                if (origin != POLICY_FROM_LASTGOOD && origin != POLICY_FROM_FALLBACK)
                        error_release(&problem);
                /* A broken profile file stands aside as a broken policy does; one line and one
                 * record name both when both are. Only a config.json gets a profile. */
                r = reads_spec && args.command != CLI_COMMAND_EXEC
                            ? lastgood_seccomp_load(p, lastgood_dir, &seccomp_problem, &err)
                            : 0;
                if (r < 0)
                        goto fail;
                if (r == 1)
                        snprintf(problem.msg + strlen(problem.msg),
                                 sizeof(problem.msg) - strlen(problem.msg), "%s%s",
                                 problem.msg[0] ? "; and " : "", seccomp_problem.msg);
                if (problem.msg[0])
                        report_policy_problem(p, &args, &problem);
                if (p->mode == HR_MODE_OFF) {
                        record_policy_off(p, &args);
                } else {
                        if ((r = check_command_line(p, &args, argc, argv, &err)) < 0)
                                goto fail;
                        if (reads_spec && (r = harden(p, &args, rt.dialect, &err)) < 0)
                                goto fail;
                }
        }
        if (args.command == CLI_COMMAND_OTHER && strcmp(args.command_name, "delete") == 0)
                on_delete(&args, argc, argv, rt.dialect);
        /* crun would chown an inherited /dev/null, the host's, to the container's user. */
        if (cli_command_reads_spec(args.command) && rt.dialect == CLI_DIALECT_CRUN)
                (void)devnull_private_stdio();
        /* Not freed: execve replaces the whole image (see harden()). */
        (void)TAKE_PTR(p);
        (void)runtime_exec(&rt, argv, &err);
fail:
        log_error(&args, err.msg);
        return 1;
}
