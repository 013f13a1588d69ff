/* The error sink for the engine: one line, in the format the engine reads. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "json.h"
#include "timefmt.h"
#include "util/cleanup.h"
#include "util/utf8.h"

static int json_line(const char *level, const char *msg, const char *now, char *buf, size_t size)
{
        /* Messages quote hostile input: the line must stay valid JSON whatever bytes it holds. */
        _cleanup_free_ char *clean = utf8_sanitize(msg);
        _cleanup_free_ char *out = NULL;
        struct json *line = json_new_object();
        size_t len;
        int r = clean && line ? 0 : -ENOMEM;

        if (r == 0)
                r = json_object_set(line, "level", json_new_string(level));
        if (r == 0)
                r = json_object_set(line, "msg", json_new_string(clean));
        if (r == 0)
                r = json_object_set(line, "time", json_new_string(now));
        if (r == 0)
                r = json_write(line, &out, &len, NULL);
        json_free(line);
        if (r < 0)
                return r;
        /* A cut line would be invalid JSON: refuse rather than write half of it (len counts the
         * newline json_write ends with). */
        if (len + 1 > size)
                return -ENOBUFS;
        memcpy(buf, out, len + 1);
        return 0;
}

/* logrus text format, as runc writes it: time="..." level=error msg="..." */
static void text_line(const char *level, const char *msg, const char *now, char *buf, size_t size)
{
        size_t o = (size_t)snprintf(buf, size, "time=\"%s\" level=%s msg=\"", now, level);

        for (const char *c = msg; *c && o + 4 < size; c++) {
                if (*c == '"' || *c == '\\')
                        buf[o++] = '\\';
                buf[o++] = *c == '\n' ? ' ' : *c;
        }
        if (o + 3 > size)
                o = size - 3;
        buf[o++] = '"';
        buf[o++] = '\n';
        buf[o] = '\0';
}

int log_format_line_level(const char *log_format, const char *level, const char *msg, char *buf,
                          size_t size)
{
        char now[48];

        time_format_now(now, sizeof(now));
        if (log_format && strcmp(log_format, "json") == 0)
                return json_line(level, msg, now, buf, size);
        text_line(level, msg, now, buf, size);
        return 0;
}

int log_format_line(const char *log_format, const char *msg, char *buf, size_t size)
{
        return log_format_line_level(log_format, "error", msg, buf, size);
}

/* Writes one line to the --log file; false when there is none or it cannot be written. */
static bool write_log_file(const struct cli_args *args, const char *level, const char *full)
{
        /* Room for the worst case: every byte escaped as \u00XX. */
        char line[6 * (HR_ERROR_MSG_MAX + 16) + 256];
        const char *path = args ? args->log_path : NULL;
        _cleanup_close_ int fd = -1;

        if (!path || !*path)
                return false;
        /* crun's --log also takes file:PATH, journald:ID and syslog:ID. */
        if (strncmp(path, "journald:", 9) == 0 || strncmp(path, "syslog:", 7) == 0) {
                openlog("hardrun", LOG_PID, LOG_DAEMON);
                syslog(strcmp(level, "error") == 0 ? LOG_ERR : LOG_WARNING, "%s", full);
                closelog();
                return true;
        }
        if (strncmp(path, "file:", 5) == 0)
                path += 5;
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
        if (fd < 0 || log_format_line_level(args->log_format, level, full, line, sizeof(line)) < 0)
                return false;
        return write(fd, line, strlen(line)) == (ssize_t)strlen(line);
}

void log_warning(const struct cli_args *args, const char *msg)
{
        char full[HR_ERROR_MSG_MAX + 16];

        snprintf(full, sizeof(full), "hardrun: %s", msg);
        (void)write_log_file(args, "warning", full);
}

void log_error(const struct cli_args *args, const char *msg)
{
        char full[HR_ERROR_MSG_MAX + 16];

        snprintf(full, sizeof(full), "hardrun: %s", msg);
        if (write_log_file(args, "error", full))
                return;
        /* No --log, or it cannot be written: stderr is the only channel left. */
        fprintf(stderr, "%s\n", full);
}
