/* Where hardrun's own error goes: the engine's --log file in its --log-format, else stderr. */
#pragma once

#include <stddef.h>

#include "cli.h"

/* Writes one error line: a {"level":"error","msg":...,"time":...} object for --log-format json
 * (containerd reports the last such line), runc's text format otherwise, "hardrun: msg" on
 * stderr when no --log was given. Never both: during create stderr is the container's. */
void log_error(const struct cli_args *args, const char *msg);

/* A warning line in the --log file; dropped without --log, since stderr is the container's. */
void log_warning(const struct cli_args *args, const char *msg);

/* Formats the line log_error would write to a --log file (for tests). */
int log_format_line(const char *log_format, const char *msg, char *buf, size_t size);
int log_format_line_level(const char *log_format, const char *level, const char *msg, char *buf,
                          size_t size);
