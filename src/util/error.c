/* Error objects: a message is formatted once, context is prepended as it travels up. */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int error_set(struct hr_error *err, int code, const char *fmt, ...)
{
        va_list ap;

        if (code >= 0)
                code = -EINVAL;
        if (!err)
                return code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
        err->code = code;
        return code;
}

int error_format_at(char *buf, size_t size, const char *file, const char *path, const char *fmt,
                    va_list ap)
{
        char reason[HR_ERROR_REASON_MAX];

        vsnprintf(reason, sizeof(reason), fmt, ap);
        return snprintf(buf, size, "%s: '%s': %s", file, path, reason);
}

int error_vset_at(struct hr_error *err, int code, const char *file, const char *path,
                  const char *fmt, va_list ap)
{
        if (code >= 0)
                code = -EINVAL;
        if (!err)
                return code;
        error_format_at(err->msg, sizeof(err->msg), file, path, fmt, ap);
        err->code = code;
        return code;
}

int error_set_at(struct hr_error *err, int code, const char *file, const char *path,
                 const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        code = error_vset_at(err, code, file, path, fmt, ap);
        va_end(ap);
        return code;
}

int error_prefix(struct hr_error *err, const char *fmt, ...)
{
        char prefix[HR_ERROR_MSG_MAX];
        char joined[HR_ERROR_MSG_MAX];
        va_list ap;

        if (!err)
                return -EINVAL;
        va_start(ap, fmt);
        vsnprintf(prefix, sizeof(prefix), fmt, ap);
        va_end(ap);
        snprintf(joined, sizeof(joined), "%s%s", prefix, err->msg);
        memcpy(err->msg, joined, sizeof(err->msg));
        return err->code;
}

void error_release(struct hr_error *err)
{
        if (!err)
                return;
        err->code = 0;
        err->msg[0] = '\0';
}
