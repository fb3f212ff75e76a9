#include "check.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* More names than any kernel's /proc/meminfo has (about 55 in 6.x). */
#define MAX_KEYS 128

const char *reason_name(enum reason r)
{
        static const char *const names[R_COUNT] = {
            "none",
            "call_failed",
            "size",
            "line",
            "duplicate_key",
            "missing_key",
            "free_gt_available",
            "available_gt_total",
            "swapfree_gt_swaptotal",
            "used_negative",
            "sysinfo_fields",
            "above_host",
        };
        return r < R_COUNT ? names[r] : "?";
}

const char *figures_name(enum figures f)
{
        static const char *const names[F_COUNT] = {"limit", "host", "neither", "malformed"};
        return f < F_COUNT ? names[f] : "?";
}

static bool key_is(const char *k, long klen, const char *name)
{
        long n = (long)strlen(name);
        return klen == n && memcmp(k, name, (size_t)n) == 0;
}

enum reason meminfo_parse(const char *buf, long len, struct meminfo_figures *m)
{
        if (len <= 0 || len >= MEMINFO_MAX)
                return R_SIZE;
        if (buf[len - 1] != '\n')
                return R_LINE;
        unsigned short key_at[MAX_KEYS];
        unsigned char key_len[MAX_KEYS];
        int nkeys = 0;
        struct meminfo_figures f = {-1, -1, -1, 0, 0, 0, 0};
        long i = 0;
        while (i < len) {
                long ks = i;
                while (i < len && buf[i] != ':' && buf[i] != '\n' && buf[i] != ' ')
                        i++;
                long klen = i - ks;
                if (i >= len || buf[i] != ':' || klen == 0 || klen > 255)
                        return R_LINE;
                i++;
                long spaces = 0;
                while (i < len && buf[i] == ' ')
                        i++, spaces++;
                long v = 0, digits = 0;
                while (i < len && buf[i] >= '0' && buf[i] <= '9' && digits < 19)
                        v = v * 10 + (buf[i++] - '0'), digits++;
                if (spaces == 0 || digits == 0)
                        return R_LINE;
                if (i + 3 <= len && memcmp(buf + i, " kB", 3) == 0)
                        i += 3;
                if (i >= len || buf[i] != '\n')
                        return R_LINE;
                i++;
                const char *k = buf + ks;
                for (int j = 0; j < nkeys; j++)
                        if (key_len[j] == klen && memcmp(buf + key_at[j], k, (size_t)klen) == 0)
                                return R_DUPLICATE;
                if (nkeys == MAX_KEYS)
                        return R_LINE;
                key_at[nkeys] = (unsigned short)ks;
                key_len[nkeys++] = (unsigned char)klen;
                if (key_is(k, klen, "MemTotal"))
                        f.total = v;
                else if (key_is(k, klen, "MemFree"))
                        f.free = v;
                else if (key_is(k, klen, "MemAvailable"))
                        f.avail = v;
                else if (key_is(k, klen, "SwapTotal"))
                        f.swap_total = v;
                else if (key_is(k, klen, "SwapFree"))
                        f.swap_free = v;
                else if (key_is(k, klen, "Buffers"))
                        f.buffers = v;
                else if (key_is(k, klen, "Cached"))
                        f.cached = v;
        }
        if (f.total < 0 || f.free < 0 || f.avail < 0)
                return R_MISSING;
        *m = f;
        return R_NONE;
}

enum reason meminfo_relations(const struct meminfo_figures *m, bool kernel_file)
{
        if (m->free > m->avail && !kernel_file)
                return R_FREE_AVAIL;
        if (m->avail > m->total)
                return R_AVAIL_TOTAL;
        if (m->swap_free > m->swap_total)
                return R_SWAP;
        if (m->free + m->buffers + m->cached > m->total)
                return R_USED_NEGATIVE;
        return R_NONE;
}

enum reason meminfo_check(const char *buf, long len, bool kernel_file, long *total_kb)
{
        struct meminfo_figures m;
        enum reason why = meminfo_parse(buf, len, &m);
        if (why == R_NONE)
                why = meminfo_relations(&m, kernel_file);
        if (why == R_NONE)
                *total_kb = m.total;
        return why;
}

enum reason sysinfo_check(const struct sysinfo *si, long *total_kb)
{
        unsigned long long unit = si->mem_unit;
        if (unit == 0 || si->totalram == 0)
                return R_SYSINFO;
        if (si->freeram > si->totalram || si->sharedram > si->totalram ||
            si->bufferram > si->totalram || si->freeswap > si->totalswap ||
            si->freehigh > si->totalhigh)
                return R_SYSINFO;
        *total_kb = (long)(si->totalram * unit / 1024);
        return R_NONE;
}

enum figures figures_of_total(const struct expect *e, long total_kb)
{
        if (total_kb == e->limit_kb[0] || total_kb == e->limit_kb[1])
                return F_LIMIT;
        return total_kb == e->host_kb ? F_HOST : F_NEITHER;
}

enum figures figures_of_free(const struct expect *e, long free_kb)
{
        long larger = e->limit_kb[0] > e->limit_kb[1] ? e->limit_kb[0] : e->limit_kb[1];
        return free_kb <= larger ? F_LIMIT : F_HOST;
}

enum figures classify_meminfo(const struct expect *e, const char *buf, long len, enum reason *why)
{
        struct meminfo_figures m;
        *why = len < 0 ? R_CALL_FAILED : meminfo_parse(buf, len, &m);
        if (*why == R_NONE)
                *why = meminfo_relations(&m, m.total == e->host_kb);
        return *why != R_NONE ? F_MALFORMED : figures_of_total(e, m.total);
}

enum figures classify_sysinfo(const struct expect *e, const struct sysinfo *si, enum reason *why)
{
        long total = 0;
        *why = sysinfo_check(si, &total);
        return *why != R_NONE ? F_MALFORMED : figures_of_total(e, total);
}

long read_all(int fd, char *buf, long cap)
{
        long len = 0;
        for (;;) {
                ssize_t n = read(fd, buf + len, (size_t)(cap - len));
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -1;
                if (n == 0)
                        return len;
                len += n;
                if (len >= cap)
                        return len;
        }
}

int format_long(char *out, long v)
{
        char d[21];
        int n = 0;
        unsigned long u = v < 0 ? 0 : (unsigned long)v;
        do {
                d[n++] = (char)('0' + u % 10);
                u /= 10;
        } while (u);
        for (int i = 0; i < n; i++)
                out[i] = d[n - 1 - i];
        out[n] = '\0';
        return n;
}

bool parse_long(const char *s, long *out)
{
        long v = 0;
        if (!s || !*s)
                return false;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > (__LONG_MAX__ - 9) / 10)
                        return false;
                v = v * 10 + (*s - '0');
        }
        *out = v;
        return true;
}
