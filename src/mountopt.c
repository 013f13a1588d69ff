/* dlopen() of libmount, so only the calls that edit mount options pay for loading it. */
#include "mountopt.h"

#include <dlfcn.h>
#include <errno.h>
#include <libmount/libmount.h>
#include <stdbool.h>

int mountopt_api(const struct mountopt_api **ret, struct hr_error *err)
{
        static struct mountopt_api api;
        static bool loaded;
        void *lib;

        if (loaded) {
                *ret = &api;
                return 0;
        }
        /* Lazy binding: of libmount's ~300 functions we call three. */
        lib = dlopen("libmount.so.1", RTLD_LAZY | RTLD_LOCAL);
        if (!lib)
                return error_set(err, -ENOENT, "cannot load libmount: %s", dlerror());
        /* The prototypes come from libmount.h, so a changed signature fails to compile. */
        api.next_option = (__typeof__(&mnt_optstr_next_option))dlsym(lib, "mnt_optstr_next_option");
        api.get_option = (__typeof__(&mnt_optstr_get_option))dlsym(lib, "mnt_optstr_get_option");
        api.append_option =
                (__typeof__(&mnt_optstr_append_option))dlsym(lib, "mnt_optstr_append_option");
        if (!api.next_option || !api.get_option || !api.append_option)
                return error_set(err, -ENOENT, "libmount lacks the mnt_optstr functions");
        loaded = true;
        *ret = &api;
        return 0;
}
