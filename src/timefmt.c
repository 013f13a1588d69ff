/* Timestamps for log and audit lines. */
#include "timefmt.h"

#include <stdio.h>
#include <time.h>

/* The civil date of a day count since 1970-01-01 (proleptic Gregorian, in eras of 400 years).
 * gmtime_r() would do, but glibc loads /etc/localtime on its first call, for a UTC time: seven
 * system calls on every start. */
static void civil_from_days(long long days, long long *year, unsigned *month, unsigned *day)
{
        long long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
        unsigned doe = (unsigned)(z - era * 146097);
        unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        unsigned mp = (5 * doy + 2) / 153;

        *day = doy - (153 * mp + 2) / 5 + 1;
        *month = mp < 10 ? mp + 3 : mp - 9;
        *year = (long long)yoe + era * 400 + (*month <= 2);
}

void time_format_at(const struct timespec *ts, char *buf, size_t size)
{
        long long secs = (long long)ts->tv_sec, days = secs / 86400, rest = secs % 86400, year;
        unsigned month, day;

        if (rest < 0) {
                rest += 86400;
                days--;
        }
        civil_from_days(days, &year, &month, &day);
        snprintf(buf, size, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%09ldZ", year, month, day,
                 rest / 3600, rest / 60 % 60, rest % 60, (long)ts->tv_nsec);
}

void time_format_now(char *buf, size_t size)
{
        struct timespec ts;

        clock_gettime(CLOCK_REALTIME, &ts);
        time_format_at(&ts, buf, size);
}
