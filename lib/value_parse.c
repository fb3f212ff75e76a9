#include "value_parse.h"

#include <errno.h>
#include <string.h>

int cgl_parse_u64(const char *s, size_t len, uint64_t *out)
{
        uint64_t v = 0;
        if (len == 0)
                return -EINVAL;
        for (size_t i = 0; i < len; i++) {
                unsigned d = (unsigned char)s[i] - '0';
                if (d > 9)
                        return -EINVAL;
                if (v > (UINT64_MAX - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
        }
        *out = v;
        return 0;
}

int cgl_parse_limit(const char *buf, size_t len, uint64_t *out)
{
        if (len > 0 && buf[len - 1] == '\n')
                len--;
        if (len == 3 && memcmp(buf, "max", 3) == 0) {
                *out = CGL_UNLIMITED;
                return 0;
        }
        return cgl_parse_u64(buf, len, out);
}

int cgl_parse_size(const char *s, uint64_t *out)
{
        size_t n = 0;
        while (s[n] >= '0' && s[n] <= '9')
                n++;
        uint64_t v;
        int r = cgl_parse_u64(s, n, &v);
        if (r < 0)
                return r;

        unsigned shift = 0;
        const char *suffix = s + n;
        switch (*suffix) {
        case 'k':
        case 'K':
                shift = 10;
                break;
        case 'm':
        case 'M':
                shift = 20;
                break;
        case 'g':
        case 'G':
                shift = 30;
                break;
        case 't':
        case 'T':
                shift = 40;
                break;
        case '\0':
        case 'b':
        case 'B':
                break;
        default:
                return -EINVAL;
        }
        if (shift) {
                suffix++;
                if (*suffix == 'i')
                        suffix++;
                if (*suffix == 'B' || *suffix == 'b')
                        suffix++;
        } else if (*suffix == 'B' || *suffix == 'b') {
                suffix++;
        }
        if (*suffix != '\0')
                return -EINVAL;
        if (shift && v > (UINT64_MAX >> shift))
                return -ERANGE;
        *out = v << shift;
        return 0;
}

int cgl_format_u64(char *out, size_t cap, uint64_t v, size_t width)
{
        char digits[20];
        size_t n = 0;
        do {
                digits[n++] = (char)('0' + v % 10);
                v /= 10;
        } while (v);

        size_t pad = width > n ? width - n : 0;
        if (pad + n > cap)
                return -ENOSPC;
        memset(out, ' ', pad);
        for (size_t i = 0; i < n; i++)
                out[pad + i] = digits[n - 1 - i];
        return (int)(pad + n);
}
