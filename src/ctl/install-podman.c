/* podman: a drop-in containers.conf file that hardrun owns (containers.conf.d/hardrun.conf), so
 * install writes it and uninstall removes it; podman's own files stay untouched. A file of that
 * name without the marker line is the admin's and is left alone. */
#include <stdlib.h>
#include <string.h>

#include "install.h"

#define MARKER "# Managed by hardrunctl"

static void write_dropin(FILE *f, const char *runtime, bool make_default)
{
        fprintf(f,
                "%s: 'hardrunctl install podman' wrote this file, 'hardrunctl uninstall "
                "podman' removes it.\n",
                MARKER);
        fprintf(f, "[engine]\n");
        if (make_default)
                fprintf(f, "runtime = \"%s\"\n", INSTALL_RUNTIME_NAME);
        fprintf(f, "# Without this podman passes no --log to runtimes it does not know, and "
                   "hardrun's\n# refusals would not reach podman's output.\n");
        fprintf(f,
                "runtime_supports_json = [\"crun\", \"runc\", \"kata\", \"runsc\", \"youki\", "
                "\"krun\", \"ocijail\", \"%s\"]\n\n",
                INSTALL_RUNTIME_NAME);
        fprintf(f, "[engine.runtimes]\n%s = [\"%s\"]\n", INSTALL_RUNTIME_NAME, runtime);
}

int install_edit_podman(struct install_edit *e, struct hr_error *err)
{
        char *buf = NULL;
        size_t len = 0;
        FILE *f;

        if (e->text && strncmp(e->text, MARKER, strlen(MARKER)) != 0) {
                if (!e->uninstall) {
                        fprintf(e->notes, "write this as %s (or merge it into yours):\n", e->path);
                        write_dropin(e->notes, e->runtime, e->make_default);
                }
                return error_set(err, -EINVAL,
                                 "%s: exists and was not written by hardrunctl "
                                 "(no '%s' first line); not changed",
                                 e->path, MARKER);
        }
        if (e->uninstall) {
                if (!e->text) {
                        e->unchanged = true;
                        return 0;
                }
                e->remove = true;
                fprintf(e->notes, "%s removed: podman's own settings apply again\n", e->path);
                return 0;
        }
        f = open_memstream(&buf, &len);
        if (!f)
                return error_set(err, -ENOMEM, "out of memory");
        write_dropin(f, e->runtime, e->make_default);
        if (fclose(f) != 0) {
                free(buf);
                return error_set(err, -ENOMEM, "out of memory");
        }
        if (e->text && e->len == len && memcmp(e->text, buf, len) == 0) {
                free(buf);
                e->unchanged = true;
                return 0;
        }
        e->out = buf;
        e->out_len = len;
        fprintf(e->notes, "runtime '%s' registered: %s%s\n", INSTALL_RUNTIME_NAME, e->runtime,
                e->make_default ? ", and made podman's default runtime" : "");
        return 0;
}
