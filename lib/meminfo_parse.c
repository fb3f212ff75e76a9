#include "meminfo_parse.h"

#include <errno.h>
#include <string.h>

#include "value_parse.h"

int meminfo_split_line(const char *line, size_t len, struct meminfo_line *out)
{
        const char *colon = memchr(line, ':', len);
        if (!colon || colon == line)
                return -EINVAL;
        size_t i = (size_t)(colon - line) + 1;
        while (i < len && line[i] == ' ')
                i++;
        size_t num_start = i;
        while (i < len && line[i] >= '0' && line[i] <= '9')
                i++;
        size_t num_end = i;
        bool kb = false;
        if (i + 3 == len && memcmp(line + i, " kB", 3) == 0)
                kb = true;
        else if (i != len)
                return -EINVAL;
        uint64_t v;
        int r = cgl_parse_u64(line + num_start, num_end - num_start, &v);
        if (r < 0)
                return r;
        out->key_len = (size_t)(colon - line);
        out->num_start = num_start;
        out->num_end = num_end;
        out->kb = kb;
        out->value = v;
        return 0;
}

enum { HM_TOTAL, HM_FREE, HM_AVAILABLE, HM_SWAP_TOTAL, HM_SWAP_FREE, HM_MLOCKED, HM_COUNT };

static const char *const host_keys[HM_COUNT] = {
    [HM_TOTAL] = "MemTotal",       [HM_FREE] = "MemFree",       [HM_AVAILABLE] = "MemAvailable",
    [HM_SWAP_TOTAL] = "SwapTotal", [HM_SWAP_FREE] = "SwapFree", [HM_MLOCKED] = "Mlocked",
};

int meminfo_parse(const char *buf, size_t len, struct host_meminfo *out)
{
        uint64_t v[HM_COUNT] = {0};
        unsigned seen = 0;

        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
                if (i < len && buf[i] != '\n')
                        continue;
                const char *line = buf + start;
                size_t line_len = i - start;
                start = i + 1;
                if (line_len == 0)
                        continue;
                struct meminfo_line ml;
                int r = meminfo_split_line(line, line_len, &ml);
                if (r < 0)
                        return r;
                for (int k = 0; k < HM_COUNT; k++) {
                        if (!cgl_name_is(host_keys[k], line, ml.key_len))
                                continue;
                        if (!ml.kb)
                                return -EINVAL;
                        if (seen & (1u << k))
                                return -EINVAL;
                        if (ml.value > UINT64_MAX / 1024)
                                return -ERANGE;
                        seen |= 1u << k;
                        v[k] = ml.value * 1024;
                }
        }
        if ((seen & ((1u << HM_TOTAL) | (1u << HM_FREE))) != ((1u << HM_TOTAL) | (1u << HM_FREE)))
                return -ENODATA;
        if (!(seen & (1u << HM_AVAILABLE)))
                v[HM_AVAILABLE] = v[HM_FREE];
        out->mem_total = v[HM_TOTAL];
        out->mem_free = v[HM_FREE];
        out->mem_available = v[HM_AVAILABLE];
        out->swap_total = v[HM_SWAP_TOTAL];
        out->swap_free = v[HM_SWAP_FREE];
        out->mlocked = v[HM_MLOCKED];
        return 0;
}
