/* Timestamps for log and audit lines. */
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

void time_format_now(char *buf, size_t size)
{
        struct timespec ts;
        struct tm tm;
        char date[32];

        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(buf, size, "%s.%09ldZ", date, ts.tv_nsec);
}
