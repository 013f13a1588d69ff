/* UTF-8 checks for what yajl lets through (it checks only the shape of a sequence). */
#include "utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid sequence at s (1-4), or 0 when it is invalid. */
static size_t sequence_length(const unsigned char *s, size_t left)
{
        unsigned c = s[0];
        size_t n;
        unsigned cp;

        if (c < 0x80)
                return 1;
        if (c >= 0xC2 && c <= 0xDF)
                n = 2, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF)
                n = 3, cp = c & 0x0F;
        else if (c >= 0xF0 && c <= 0xF4)
                n = 4, cp = c & 0x07;
        else
                return 0; /* continuation byte, C0/C1 overlong lead, or beyond U+10FFFF */
        if (left < n)
                return 0;
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xC0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3F);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
                return 0;
        return n;
}

bool utf8_is_valid(const char *s, size_t len)
{
        const unsigned char *p = (const unsigned char *)s;

        for (size_t i = 0; i < len;) {
                size_t n;
                uint64_t w;
                /* Spec text is mostly ASCII: eight bytes at a time, then byte by byte. */
                if (len - i >= 8) {
                        memcpy(&w, p + i, 8);
                        if (!(w & UINT64_C(0x8080808080808080))) {
                                i += 8;
                                continue;
                        }
                }
                if (p[i] < 0x80) {
                        i++;
                        continue;
                }
                n = sequence_length(p + i, len - i);
                if (n == 0)
                        return false;
                i += n;
        }
        return true;
}

char *utf8_sanitize(const char *s)
{
        const unsigned char *p = (const unsigned char *)s;
        size_t len = strlen(s), o = 0;
        char *out = malloc(len * 3 + 1);

        if (!out)
                return NULL;
        for (size_t i = 0; i < len;) {
                size_t n = sequence_length(p + i, len - i);
                if (n == 0) {
                        memcpy(out + o, "\xEF\xBF\xBD", 3);
                        o += 3;
                        i++;
                        continue;
                }
                memcpy(out + o, s + i, n);
                o += n;
                i += n;
        }
        out[o] = '\0';
        return out;
}
